/**
 * Hand-off to a person, end to end: with HANDOFF_CHANNEL (and HANDOFF_USERGROUP) set, what the bot
 * cannot answer and answers marked "Not helpful" offer "Ask a person"; pressing it posts the question,
 * how it was understood and a link to the conversation in the hand-off channel, and tells the asker.
 * A post that fails spends neither the question's hand-off nor one of the hour's five. Without the
 * settings there is no such button. (The case that follows: e2e-handoff-case.test.ts.)
 */
import { performance } from 'node:perf_hooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { ANSWER_ACTIONS } from '../../src/slack/actions.js';
import type { RecordedCall } from '../../src/standin/server.js';
import { findAction, sleep, textOf, useHarness, type Harness } from './bot-process.js';

const h = useHarness({ env: { HANDOFF_CHANNEL: 'G0PRIVATE', HANDOFF_USERGROUP: 'S0SUPPORT' } });
const plain = useHarness();

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
    // The thanks, not the agent material that may follow a new agent's DM answer (U0BOB is a full member).
    const thanks = await h.standin.waitForCall(
      (c) => c.method === 'chat.postEphemeral' && c.at > testStart && !/confidence/.test(JSON.stringify(c.args)),
      { timeoutMs: 5000 },
    );
    expect(findAction(thanks, (id) => id === ANSWER_ACTIONS.askPerson)).toBeDefined();
  });

  it('a post that fails spends nothing: the same question may go again, and the asker still has five that hour', async () => {
    const asker = 'U0LOCAL';
    const fallbacks = [];
    for (let i = 1; i <= 5; i++) {
      const sent = await h.standin.sendMessage({
        user: asker,
        channel: 'C0GENERAL',
        text: `<@U0BOT> can you tell us the weather in Paris for trip ${i}?`,
      });
      const f = await waitPost(h, (c) => c.args.thread_ts === sent.ts);
      if (!f.message) throw new Error('not stored');
      fallbacks.push(f.message);
    }
    const toTeam = () =>
      h.standin.callsOf('chat.postMessage').filter((c) => c.at > testStart && c.args.channel === 'G0PRIVATE');
    const notes = () =>
      h.standin.callsOf('chat.postEphemeral').filter((c) => c.at > testStart && c.args.user === asker);
    // The hand-off post is the next message the bot posts: Slack refuses it.
    h.standin.fail('chat.postMessage', { times: 1, okFalse: 'not_in_channel' });
    await h.standin.clickAction({ user: asker, message: fallbacks[0]!, actionId: ANSWER_ACTIONS.askPerson });
    const failed = await h.standin.waitForCall(
      (c) => c.method === 'chat.postEphemeral' && c.at > testStart && c.args.user === asker,
      { timeoutMs: 5000 },
    );
    expect(String(failed.args.text)).toMatch(/could not reach a colleague/);
    expect(toTeam().filter((c) => c.status === 200 && c.response.ok === true)).toEqual([]);
    for (const m of fallbacks) {
      const n = toTeam().length;
      await h.standin.clickAction({ user: asker, message: m, actionId: ANSWER_ACTIONS.askPerson });
      await h.standin.waitForCall(
        (c) => c.method === 'chat.postMessage' && c.args.channel === 'G0PRIVATE' && toTeam().length > n,
        { timeoutMs: 5000 },
      );
    }
    await sleep(300);
    const posted = toTeam().filter((c) => c.response.ok === true);
    expect(posted).toHaveLength(5);
    expect(notes().map((c) => String(c.args.text))).toEqual([String(failed.args.text)]);
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
