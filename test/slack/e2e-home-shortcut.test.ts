/**
 * End to end, the App Home tab and the message shortcut "Answer with icp-bot": the real bot process
 * against the stand-in, over HTTP (the Socket Mode file runs the same surfaces over the socket).
 */
import { performance } from 'node:perf_hooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { ANSWER_ACTIONS } from '../../src/slack/actions.js';
import { ACTIONS } from '../../src/answer/render-blocks.js';
import type { RecordedCall } from '../../src/standin/server.js';
import { findAction, useHarness, textOf } from './bot-process.js';

const h = useHarness();

let testStart = 0;
beforeEach(() => {
  testStart = performance.now();
});
const waitCall = (method: string, pred: (c: RecordedCall) => boolean = () => true): Promise<RecordedCall> =>
  h.standin.waitForCall((c) => c.method === method && c.at > testStart && pred(c), { timeoutMs: 5000 });

describe('App Home', () => {
  it('publishes a Home tab in both languages with the current MIIT links', async () => {
    const res = await h.standin.openHome({ user: 'U0ALICE' });
    expect(res.status).toBe(200);
    const call = await waitCall('views.publish');
    expect(call.args.user_id).toBe('U0ALICE');
    expect(call.response.ok).toBe(true);
    const home = h.standin.workspace.homeView('U0ALICE');
    const text = JSON.stringify(home);
    for (const s of [
      '/icp',
      'ICP备案助手',
      'https://beian.miit.gov.cn/#/Integrated/notice_list',
      'https://beian.miit.gov.cn/#/Integrated/recordQuery',
      'Answer with icp-bot',
    ]) {
      expect(text).toContain(s);
    }
    expect(text).not.toContain('miitbeian.gov.cn');
  });
});

describe('message shortcut "Answer with icp-bot"', () => {
  it('answers a customer message privately, and "Post in thread" posts it under that message', async () => {
    const customer = await h.standin.sendMessage({
      user: 'U0BOB',
      channel: 'C0GENERAL',
      text: 'Hi, how do we cancel our beian? We are in Hangzhou.',
    });
    // A channel message without a mention gets no answer of its own.
    const shortcut = await h.standin.messageShortcut({
      user: 'U0ALICE',
      message: { channel: 'C0GENERAL', ts: customer.ts },
    });
    expect(shortcut.status).toBe(200);
    const privately = await waitCall('response_url');
    expect(privately.args.response_type).toBe('ephemeral');
    expect(textOf(privately)).toMatch(/Zhejiang/);
    expect(findAction(privately, (id) => id === ANSWER_ACTIONS.plainText)).toBeDefined();
    const post = findAction(privately, (id) => id === ANSWER_ACTIONS.postInThread);
    expect(post).toBeDefined();
    expect(h.standin.callsOf('chat.postMessage').filter((c) => c.at > testStart)).toEqual([]);
    if (!privately.message) throw new Error('ephemeral not stored');

    const click = await h.standin.clickAction({
      user: 'U0ALICE',
      message: privately.message,
      actionId: ANSWER_ACTIONS.postInThread,
    });
    expect(click.status).toBe(200);
    const inThread = await waitCall('chat.postMessage', (c) => c.args.channel === 'C0GENERAL');
    expect(inThread.args.thread_ts).toBe(customer.ts);
    expect(textOf(inThread)).toMatch(/Zhejiang/);
    // The private copy is removed once posted.
    await waitCall('response_url', (c) => c.args.delete_original === true);
  });

  it('asks for the province privately, and the answer still posts in the thread', async () => {
    const customer = await h.standin.sendMessage({
      user: 'U0BOB',
      channel: 'C0GENERAL',
      text: '我们想注销网站备案，怎么办理？',
    });
    await h.standin.messageShortcut({ user: 'U0ALICE', message: { channel: 'C0GENERAL', ts: customer.ts } });
    const ask = await waitCall('response_url', (c) => findAction(c, (id) => id === ACTIONS.pickProvince) !== undefined);
    if (!ask.message) throw new Error('picker not stored');
    await h.standin.clickAction({
      user: 'U0ALICE',
      message: ask.message,
      actionId: ACTIONS.pickProvince,
      selectedOption: 'sichuan',
    });
    const answered = await waitCall(
      'response_url',
      (c) => c.at > ask.at && findAction(c, (id) => id === ANSWER_ACTIONS.postInThread) !== undefined,
    );
    expect(textOf(answered)).toMatch(/四川/);
    if (!answered.message) throw new Error('answer not stored');
    await h.standin.clickAction({ user: 'U0ALICE', message: answered.message, actionId: ANSWER_ACTIONS.postInThread });
    const inThread = await waitCall('chat.postMessage', (c) => c.args.channel === 'C0GENERAL');
    expect(inThread.args.thread_ts).toBe(customer.ts);
    await waitCall('response_url', (c) => c.args.delete_original === true);
  });

  it('says so when the message has no text', async () => {
    const customer = await h.standin.sendMessage({
      user: 'U0BOB',
      channel: 'C0GENERAL',
      text: '',
      files: [{ id: 'F1', name: 'screenshot.png' }],
    });
    await h.standin.messageShortcut({ user: 'U0ALICE', message: { channel: 'C0GENERAL', ts: customer.ts } });
    const reply = await waitCall('response_url');
    expect(String(reply.args.text)).toMatch(/no text/);
  });
});
