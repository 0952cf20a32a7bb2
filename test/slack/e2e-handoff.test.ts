/**
 * Hand-off to a person, end to end: with HANDOFF_CHANNEL (and HANDOFF_USERGROUP) set, what the bot
 * cannot answer and answers marked "Not helpful" offer "Ask a person"; pressing it posts the question,
 * how it was understood and a link to the conversation in the hand-off channel, and tells the asker.
 * Without the settings there is no such button.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ANSWER_ACTIONS } from '../../src/slack/actions.js';
import type { RecordedCall } from '../../src/standin/server.js';
import { findAction, startHarness, textOf, type Harness } from './bot-process.js';

let h: Harness;
let plain: Harness;
beforeAll(async () => {
  [h, plain] = await Promise.all([
    startHarness({ env: { HANDOFF_CHANNEL: 'G0PRIVATE', HANDOFF_USERGROUP: 'S0SUPPORT' } }),
    startHarness(),
  ]);
});
afterAll(async () => {
  for (const x of [h, plain]) {
    await x?.bot.stop();
    await x?.standin.close();
  }
});

let testStart = 0;
beforeEach(() => {
  testStart = performance.now();
});
const waitPost = (s: Harness, pred: (c: RecordedCall) => boolean): Promise<RecordedCall> =>
  s.standin.waitForCall((c) => c.method === 'chat.postMessage' && c.at > testStart && pred(c), { timeoutMs: 5000 });

describe('hand-off to a person', () => {
  it('a question the bot cannot answer offers "Ask a person"; pressing it posts to the hand-off channel and tells the asker', async () => {
    const sent = await h.standin.sendMessage({
      user: 'U0ALICE',
      channel: 'C0GENERAL',
      text: '<@U0BOT> can you tell us the weather in Paris for the team trip?',
    });
    const fallback = await waitPost(h, (c) => c.args.thread_ts === sent.ts);
    expect(findAction(fallback, (id) => id === ANSWER_ACTIONS.askPerson)).toBeDefined();
    if (!fallback.message) throw new Error('not stored');
    const click = await h.standin.clickAction({
      user: 'U0ALICE',
      message: fallback.message,
      actionId: ANSWER_ACTIONS.askPerson,
    });
    expect(click.status).toBe(200);
    const handoff = await waitPost(h, (c) => c.args.channel === 'G0PRIVATE');
    const text = String(handoff.args.text);
    expect(text).toContain('<!subteam^S0SUPPORT>');
    expect(text).toContain('<@U0ALICE>');
    expect(text).toContain('weather in Paris');
    expect(text).toContain('fallback');
    expect(text).toMatch(/archives\/C0GENERAL\/p\d+/);
    const told = await waitPost(
      h,
      (c) => c.args.channel === 'C0GENERAL' && c.args.thread_ts === sent.ts && c.at > handoff.at,
    );
    expect(textOf(told) + String(told.args.text)).toMatch(/asked a colleague/);
  });

  it('"Not helpful" offers "Ask a person" too', async () => {
    const sent = await h.standin.sendMessage({ user: 'U0BOB', text: 'How do I deregister my ICP filing in Zhejiang?' });
    const answer = await waitPost(h, (c) => c.args.channel === sent.channel);
    if (!answer.message) throw new Error('not stored');
    await h.standin.clickAction({ user: 'U0BOB', message: answer.message, actionId: ANSWER_ACTIONS.notHelpful });
    const thanks = await h.standin.waitForCall((c) => c.method === 'chat.postEphemeral' && c.at > testStart, {
      timeoutMs: 5000,
    });
    expect(findAction(thanks, (id) => id === ANSWER_ACTIONS.askPerson)).toBeDefined();
  });

  it('without HANDOFF_CHANNEL there is no such button', async () => {
    const sent = await plain.standin.sendMessage({
      user: 'U0ALICE',
      text: 'can you tell us the weather in Paris for the team trip?',
    });
    const fallback = await waitPost(plain, (c) => c.args.channel === sent.channel);
    expect(findAction(fallback, (id) => id === ANSWER_ACTIONS.askPerson)).toBeUndefined();
  });
});
