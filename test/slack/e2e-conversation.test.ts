/**
 * Conversations end to end, against the stand-in: the language asked for holds across a follow-up
 * (in a thread and in a DM), a request for the language already used is one line, and after a
 * typed province the answer comes below the user's reply while the question above it reads as the
 * bot's question with who chose what — never as an answer given before it was asked for.
 */
import { performance } from 'node:perf_hooks';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/standin/server.js';
import { textOf, useHarness } from './bot-process.js';

const h = useHarness();

let testStart = 0;
beforeEach(() => {
  testStart = performance.now();
});
const waitPost = (pred: (c: RecordedCall) => boolean, after = testStart): Promise<RecordedCall> =>
  h.standin.waitForCall((c) => c.method === 'chat.postMessage' && c.at > after && pred(c), { timeoutMs: 5000 });
const HAN = /[\u4e00-\u9fff]/;

describe('the language asked for holds', () => {
  it('in a thread: after "in Chinese please", "and the password?" is answered in Chinese', async () => {
    const sent = await h.standin.sendMessage({
      user: 'U0BOB',
      channel: 'C0GENERAL',
      text: '<@U0BOT> How do I deregister our ICP filing in Zhejiang?',
    });
    const first = await waitPost((c) => c.args.thread_ts === sent.ts);
    expect(textOf(first)).toMatch(/Zhejiang Communications Administration/);
    await h.standin.sendMessage({ user: 'U0BOB', channel: 'C0GENERAL', thread_ts: sent.ts, text: 'in Chinese please' });
    const zh = await waitPost((c) => c.args.thread_ts === sent.ts, first.at);
    expect(textOf(zh)).toMatch(/浙江省通信管理局/);
    await h.standin.sendMessage({ user: 'U0BOB', channel: 'C0GENERAL', thread_ts: sent.ts, text: 'and the password?' });
    const password = await waitPost((c) => c.args.thread_ts === sent.ts, zh.at);
    expect(textOf(password)).toMatch(/备案密码/);
    expect(String(password.args.text)).toMatch(HAN);
    // Asked again for Chinese: one line, not the same answer again.
    await h.standin.sendMessage({ user: 'U0BOB', channel: 'C0GENERAL', thread_ts: sent.ts, text: '中文' });
    const again = await waitPost((c) => c.args.thread_ts === sent.ts, password.at);
    expect(again.args.text).toBe('上面的回答已经是中文的了。');
    expect(again.args.blocks).toBeUndefined();
  });

  it('in a DM: after "in Chinese please", "and the password?" is answered in Chinese', async () => {
    const q = await h.standin.sendMessage({ user: 'U0ALICE', text: 'How do I deregister our ICP filing in Beijing?' });
    const first = await waitPost((c) => c.args.channel === q.channel);
    expect(textOf(first)).toMatch(/Beijing/);
    await h.standin.sendMessage({ user: 'U0ALICE', text: 'in Chinese please' });
    const zh = await waitPost((c) => c.args.channel === q.channel, first.at);
    expect(textOf(zh)).toMatch(/北京市通信管理局/);
    await h.standin.sendMessage({ user: 'U0ALICE', text: 'and the password?' });
    const password = await waitPost((c) => c.args.channel === q.channel, zh.at);
    expect(textOf(password)).toMatch(/备案密码/);
  });
});

describe('a typed province', () => {
  it('is answered below the user’s reply; the question above says who replied what', async () => {
    const q = await h.standin.sendMessage({ user: 'U0DAVE', text: 'How do I deregister our ICP filing?' });
    const asked = await waitPost((c) => c.args.channel === q.channel);
    const reply = await h.standin.sendMessage({ user: 'U0DAVE', text: 'Hunan' });
    const answer = await waitPost((c) => c.args.channel === q.channel, asked.at);
    await h.standin.waitForCall((c) => c.method === 'chat.update' && c.at > asked.at, { timeoutMs: 5000 });
    expect(String(answer.response.ts) > reply.ts).toBe(true);
    const order = h.standin.messages(q.channel).filter((m) => m.ts >= q.ts);
    expect(order.map((m) => (m.user === 'U0DAVE' ? 'user' : 'bot'))).toEqual(['user', 'bot', 'user', 'bot']);
    const [, question, , last] = order;
    expect(last!.text).toMatch(/Hunan/);
    // The question before the reply still asks, and says what the user replied; it is no "✓ 湖南 Hunan" answer.
    expect(question!.text).not.toMatch(/^✓/);
    expect(question!.text).toMatch(/\?|？/);
    expect(question!.text).toMatch(/<@U0DAVE> replied 湖南 Hunan/);
    expect(JSON.stringify(question!.blocks)).not.toMatch(/static_select/);
  });
});
