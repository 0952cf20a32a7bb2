/**
 * Agents of the hand-off group act for askers, end to end against the stand-in: with
 * HANDOFF_USERGROUP set, a member of that group (usergroups.users.list) may press "Ask a person"
 * under someone else's question; anyone else gets the private note and nothing is posted; when the
 * group cannot be looked up (no usergroups:read scope), nobody but the asker may.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ANSWER_ACTIONS } from '../../src/slack/actions.js';
import type { RecordedCall, Standin } from '../../src/standin/server.js';
import { findAction, sleep, startHarness, textOf, type Harness } from './bot-process.js';

const HANDOFF = { HANDOFF_CHANNEL: 'G0PRIVATE', HANDOFF_USERGROUP: 'S0SUPPORT' };
const WEATHER = '<@U0BOT> can you tell us the weather in Paris for the team trip?';

let testStart = 0;
beforeEach(() => {
  testStart = performance.now();
});

const handoffPosts = (s: Standin): RecordedCall[] =>
  s.callsOf('chat.postMessage').filter((c) => c.at > testStart && c.args.channel === 'G0PRIVATE');

/** Bob's question the bot cannot answer, in #general, and a click on its "Ask a person" by `user`. */
async function askPersonOnBobsQuestion(s: Standin, user: string) {
  const sent = await s.sendMessage({ user: 'U0BOB', channel: 'C0GENERAL', text: WEATHER });
  const fallback = await s.waitForCall(
    (c) => c.method === 'chat.postMessage' && c.at > testStart && c.args.thread_ts === sent.ts,
    { timeoutMs: 5000 },
  );
  if (!fallback.message || !findAction(fallback, (id) => id === ANSWER_ACTIONS.askPerson))
    throw new Error('no "Ask a person"');
  const click = await s.clickAction({ user, message: fallback.message, actionId: ANSWER_ACTIONS.askPerson });
  expect(click.status).toBe(200);
  return sent;
}

/** The private note `user` got after `testStart`, once it came. */
const noteTo = (s: Standin, user: string): Promise<RecordedCall> =>
  s.waitForCall((c) => c.method === 'chat.postEphemeral' && c.at > testStart && c.args.user === user, {
    timeoutMs: 5000,
  });

describe('the hand-off group may act for askers', () => {
  let h: Harness;
  let noScope: Harness;
  beforeAll(async () => {
    const group = (s: Standin) => s.workspace.setUsergroup('S0SUPPORT', ['U0ALICE']);
    [h, noScope] = await Promise.all([
      startHarness({ env: HANDOFF, beforeStart: group }),
      // The app was installed without usergroups:read: Slack answers missing_scope.
      startHarness({
        env: HANDOFF,
        beforeStart: (s) => {
          group(s);
          s.fail('usergroups.users.list', { times: 1000, okFalse: 'missing_scope' });
        },
      }),
    ]);
  });
  afterAll(async () => {
    for (const x of [h, noScope]) {
      await x?.bot.stop();
      await x?.standin.close();
    }
    expect(h.bot.output()).not.toContain('xoxb-');
  });

  it("a member's \"Ask a person\" under someone else's question hands it off, as the asker's", async () => {
    const sent = await askPersonOnBobsQuestion(h.standin, 'U0ALICE');
    const post = await h.standin.waitForCall(
      (c) => c.method === 'chat.postMessage' && c.at > testStart && c.args.channel === 'G0PRIVATE',
      { timeoutMs: 5000 },
    );
    expect(String(post.args.text)).toContain('<!subteam^S0SUPPORT>');
    expect(String(post.args.text)).toContain('<@U0BOB>');
    expect(String(post.args.text)).toContain('weather in Paris');
    const told = await h.standin.waitForCall(
      (c) => c.method === 'chat.postMessage' && c.at > post.at && c.args.thread_ts === sent.ts,
      { timeoutMs: 5000 },
    );
    expect(textOf(told)).toMatch(/colleague/);
    expect(h.standin.callsOf('usergroups.users.list').length).toBeGreaterThanOrEqual(1);
  });

  it('a non-member gets the private note and nothing is posted', async () => {
    await askPersonOnBobsQuestion(h.standin, 'U0LOCAL');
    expect(textOf(await noteTo(h.standin, 'U0LOCAL'))).toMatch(/U0BOB/);
    await sleep(500);
    expect(handoffPosts(h.standin)).toHaveLength(0);
  });

  it('with the group not readable (missing_scope), a member counts as a non-member, logged once at warn', async () => {
    for (let i = 0; i < 2; i++) {
      testStart = performance.now();
      await askPersonOnBobsQuestion(noScope.standin, 'U0ALICE');
      expect(textOf(await noteTo(noScope.standin, 'U0ALICE'))).toMatch(/U0BOB/);
    }
    await sleep(500);
    expect(handoffPosts(noScope.standin)).toHaveLength(0);
    const warned = noScope.bot.logLines().filter((l) => l.event === 'usergroup_lookup_failed');
    expect(warned).toEqual([
      expect.objectContaining({ level: 'warn', reason: 'missing_scope', usergroup: 'S0SUPPORT' }),
    ]);
  });
});
