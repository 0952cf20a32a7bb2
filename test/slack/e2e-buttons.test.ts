/**
 * Buttons: who may press what, end to end against the stand-in (docs/security.md). "Ask a person"
 * hands a question off once however often it is pressed, also across two instances on one Redis;
 * only the asker may press it; a forged or badly signed value is "expired" and mentions nobody;
 * another member's "Not helpful" is counted without keeping the asker's words.
 */
import Database from 'better-sqlite3';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { ANSWER_ACTIONS } from '../../src/slack/actions.js';
import type { RecordedCall, Standin } from '../../src/standin/server.js';
import { TOKEN, findAction, sleep, textOf, useBots, useHarness, until } from './bot-process.js';
import { dropPrefix, REDIS_URL, redisForTests, testPrefix } from '../support/redis.js';

const hasRedis = await redisForTests();
const HANDOFF = { HANDOFF_CHANNEL: 'G0PRIVATE', HANDOFF_USERGROUP: 'S0SUPPORT' };
const WEATHER = '<@U0BOT> can you tell us the weather in Paris for the team trip?';
/** A value signed as docs/security.md says: HMAC-SHA256 keyed with HMAC(bot token, label), `<sig>.<json>`. */
function signValue(json: string, botToken: string): string {
  const key = createHmac('sha256', botToken).update('icp-bot button values v1').digest();
  return `${createHmac('sha256', key).update(json).digest('base64url')}.${json}`;
}
/** Mentions that reach everyone in a channel. */
const CHANNEL_WIDE = /<!(channel|here|everyone)\b/;

let testStart = 0;
beforeEach(() => {
  testStart = performance.now();
});

const handoffPosts = (s: Standin): RecordedCall[] =>
  s.callsOf('chat.postMessage').filter((c) => c.at > testStart && c.args.channel === 'G0PRIVATE');
const ephemeralsTo = (s: Standin, user: string): RecordedCall[] =>
  s.callsOf('chat.postEphemeral').filter((c) => c.at > testStart && c.args.user === user);

/** Alice's question the bot cannot answer, in #general: the fallback with "Ask a person", and that button. */
async function fallbackFor(s: Standin, user = 'U0ALICE') {
  const sent = await s.sendMessage({ user, channel: 'C0GENERAL', text: WEATHER });
  const fallback = await s.waitForCall(
    (c) => c.method === 'chat.postMessage' && c.at > testStart && c.args.thread_ts === sent.ts,
    { timeoutMs: 5000 },
  );
  const button = findAction(fallback, (id) => id === ANSWER_ACTIONS.askPerson);
  if (!fallback.message || !button || typeof button.element.value !== 'string') throw new Error('no "Ask a person"');
  return { sent, fallback, message: fallback.message, value: button.element.value, blockId: button.blockId };
}

describe('"Ask a person" on one instance', () => {
  const h = useHarness({ env: HANDOFF });

  it('clicked 4 times by the asker (the same button, each click its own trigger_id): exactly one post in the hand-off channel', async () => {
    const f = await fallbackFor(h.standin);
    // Four clients showing the button: the clicks carry its value even after the message changed.
    const click = () =>
      h.standin.clickAction({
        user: 'U0ALICE',
        message: f.message,
        actionId: ANSWER_ACTIONS.askPerson,
        value: f.value,
        blockId: f.blockId,
      });
    const first = await Promise.all([click(), click()]);
    const more = [await click(), await click()];
    for (const c of [...first, ...more]) expect(c.status).toBe(200);
    expect(new Set([...first, ...more].map((c) => c.payload.trigger_id)).size).toBe(4);
    expect(await until(() => ephemeralsTo(h.standin, 'U0ALICE').length >= 3, 5000)).toBe(true);
    await sleep(800);
    const posts = handoffPosts(h.standin);
    expect(posts).toHaveLength(1);
    expect(String(posts[0]!.args.text)).toContain('<!subteam^S0SUPPORT>');
    expect(String(posts[0]!.args.text)).toContain('<@U0ALICE>');
    const notes = ephemeralsTo(h.standin, 'U0ALICE').map((c) => textOf(c));
    expect(notes).toHaveLength(3);
    for (const n of notes) expect(n).toMatch(/already been sent to the team/);
    // The button is gone from the answer (chat.update), so nobody sees it any more.
    const update = h.standin
      .callsOf('chat.update')
      .find((c) => c.at > testStart && c.args.channel === 'C0GENERAL' && c.args.ts === f.message.ts);
    expect(update).toBeDefined();
    expect(findAction(update!, (id) => id === ANSWER_ACTIONS.askPerson)).toBeUndefined();
    expect(update!.args.text).toBe(f.fallback.args.text);
    const stored = h.standin.workspace.find('C0GENERAL', f.message.ts);
    expect(JSON.stringify(stored?.blocks ?? [])).not.toContain(ANSWER_ACTIONS.askPerson);
    // The asker was told once, in the thread.
    const told = h.standin
      .callsOf('chat.postMessage')
      .filter((c) => c.at > testStart && c.args.channel === 'C0GENERAL' && /asked a colleague/.test(textOf(c)));
    expect(told).toHaveLength(1);
  });

  it('on an ephemeral answer (/icp) the button is replaced through response_url after the hand-off', async () => {
    await h.standin.sendSlashCommand({ user: 'U0ALICE', channel: 'C0GENERAL', text: WEATHER.replace('<@U0BOT> ', '') });
    const eph = await h.standin.waitForCall(
      (c) =>
        c.method === 'response_url' &&
        c.at > testStart &&
        findAction(c, (id) => id === ANSWER_ACTIONS.askPerson) !== undefined,
      { timeoutMs: 5000 },
    );
    if (!eph.message) throw new Error('ephemeral not stored');
    await h.standin.clickAction({ user: 'U0ALICE', message: eph.message, actionId: ANSWER_ACTIONS.askPerson });
    const replaced = await h.standin.waitForCall(
      (c) => c.method === 'response_url' && c.at > eph.at && c.args.replace_original === true,
      { timeoutMs: 5000 },
    );
    expect(findAction(replaced, (id) => id === ANSWER_ACTIONS.askPerson)).toBeUndefined();
    expect(replaced.args.text).toBe(eph.args.text);
    expect(handoffPosts(h.standin)).toHaveLength(1);
    const stored = h.standin.workspace.find('C0GENERAL', eph.message.ts);
    expect(stored?.ephemeral_to).toBe('U0ALICE');
    expect(JSON.stringify(stored?.blocks ?? [])).not.toContain(ANSWER_ACTIONS.askPerson);
  });

  it('clicked by another member: no post, and a private note naming the asker', async () => {
    const f = await fallbackFor(h.standin);
    const click = await h.standin.clickAction({
      user: 'U0BOB',
      message: f.message,
      actionId: ANSWER_ACTIONS.askPerson,
    });
    expect(click.status).toBe(200);
    expect(await until(() => ephemeralsTo(h.standin, 'U0BOB').length === 1, 5000)).toBe(true);
    const note = ephemeralsTo(h.standin, 'U0BOB')[0]!;
    expect(note.args.channel).toBe('C0GENERAL');
    expect(textOf(note)).toMatch(/This is <@U0ALICE>’s question/);
    await sleep(800);
    expect(handoffPosts(h.standin)).toEqual([]);
    // Still there for Alice, who may hand it off herself.
    const stored = h.standin.workspace.find('C0GENERAL', f.message.ts);
    expect(JSON.stringify(stored?.blocks ?? [])).toContain(ANSWER_ACTIONS.askPerson);
  });

  it('a forged value with <!channel> in every field, or a bad signature: the expired note, and no channel-wide mention anywhere', async () => {
    const f = await fallbackFor(h.standin);
    const evil = '<!channel> <!here> <https://evil.example|x>';
    // What the bot wrote before values were signed (v2), with a mention in every field.
    const forged = {
      v: 2,
      t: evil,
      i: '<!channel>',
      c: 0.99,
      p: '<!here>',
      k: ['<!channel>'],
      r: '<!channel>',
      l: 'en',
      q: '<!channel>',
      u: 'U0ALICE',
      a: [['<!channel>', '<!here>']],
    };
    const v3 = { ...forged, v: 3 };
    const json = JSON.stringify(v3);
    const values = [
      JSON.stringify(forged),
      json,
      // Signed with the right key (as if it had leaked): still nothing the core knows.
      signValue(json, TOKEN),
      // Signed with another key, a signature of the right length that is wrong, and one of the wrong length.
      signValue(json, 'xoxb-someone-else'),
      `${'A'.repeat(43)}.${json}`,
      `AAAA.${json}`,
      `.${json}`,
    ];
    for (const value of values) {
      const c = await h.standin.clickAction({
        user: 'U0ALICE',
        message: f.message,
        actionId: ANSWER_ACTIONS.askPerson,
        value,
        blockId: f.blockId,
      });
      expect(c.status).toBe(200);
    }
    expect(await until(() => ephemeralsTo(h.standin, 'U0ALICE').length >= values.length, 8000)).toBe(true);
    await sleep(500);
    const notes = ephemeralsTo(h.standin, 'U0ALICE');
    expect(notes).toHaveLength(values.length);
    for (const n of notes) expect(textOf(n)).toMatch(/no longer have that question/);
    expect(handoffPosts(h.standin)).toEqual([]);
    const since = h.standin.calls.filter((c) => c.at > testStart);
    for (const c of since) expect(JSON.stringify(c.args), c.method).not.toMatch(CHANNEL_WIDE);
    expect(since.some((c) => JSON.stringify(c.args).includes('evil.example'))).toBe(false);
  });
});

describe.skipIf(!hasRedis)('"Ask a person" on two instances sharing one Redis', () => {
  const prefix = testPrefix();
  const two = useBots(2, { REDIS_URL, REDIS_PREFIX: prefix, ...HANDOFF }, () => dropPrefix(prefix));

  it('4 clicks by the asker, sent to both instances at once: exactly one post in the hand-off channel', async () => {
    const standin = two.standin;
    two.to(0);
    const f = await fallbackFor(standin);
    const clicks = [];
    for (let i = 0; i < 4; i++) {
      // The URL is read when the click is sent: the four go out together, two to each instance.
      two.to(i);
      clicks.push(
        standin.clickAction({
          user: 'U0ALICE',
          message: f.message,
          actionId: ANSWER_ACTIONS.askPerson,
          value: f.value,
          blockId: f.blockId,
        }),
      );
    }
    for (const c of await Promise.all(clicks)) expect(c.status).toBe(200);
    expect(await until(() => ephemeralsTo(standin, 'U0ALICE').length >= 3, 8000)).toBe(true);
    await sleep(1000);
    expect(handoffPosts(standin)).toHaveLength(1);
    for (const n of ephemeralsTo(standin, 'U0ALICE')) expect(textOf(n)).toMatch(/already been sent to the team/);
  });
});

describe('"Not helpful" from another member', () => {
  const DB = join(mkdtempSync(join(tmpdir(), 'icp-e2e-buttons-')), 'questions.sqlite');
  const h = useHarness({ env: { QUESTION_DB: DB, ...HANDOFF } });

  it('is counted in the log line and the question log, but keeps no text and offers no hand-off', async () => {
    const sent = await h.standin.sendMessage({
      user: 'U0ALICE',
      channel: 'C0GENERAL',
      text: '<@U0BOT> How do I deregister our ICP filing in Zhejiang?',
    });
    const answer = await h.standin.waitForCall(
      (c) => c.method === 'chat.postMessage' && c.at > testStart && c.args.thread_ts === sent.ts,
      { timeoutMs: 5000 },
    );
    if (!answer.message) throw new Error('not stored');
    await h.standin.clickAction({ user: 'U0BOB', message: answer.message, actionId: ANSWER_ACTIONS.notHelpful });
    const thanks = await h.standin.waitForCall(
      (c) => c.method === 'chat.postEphemeral' && c.at > testStart && c.args.user === 'U0BOB',
      { timeoutMs: 5000 },
    );
    expect(textOf(thanks)).toMatch(/Thanks for telling us/);
    expect(findAction(thanks, (id) => id === ANSWER_ACTIONS.askPerson)).toBeUndefined();
    const line = await h.bot.waitForLog((l) => l.event === 'feedback' && l.helpful === false);
    expect(line).toMatchObject({ intent: 'deregister', province: 'zhejiang', by_asker: false, channel: 'C0GENERAL' });
    // The same member again: thanked, not counted twice.
    await h.standin.clickAction({ user: 'U0BOB', message: answer.message, actionId: ANSWER_ACTIONS.notHelpful });
    expect(await until(() => ephemeralsTo(h.standin, 'U0BOB').length === 2, 5000)).toBe(true);
    expect(textOf(ephemeralsTo(h.standin, 'U0BOB')[1]!)).toMatch(/already given feedback/);
    await sleep(300);
    expect(h.bot.logLines().filter((l) => l.event === 'feedback')).toHaveLength(1);
    // Stopping writes what the log still holds.
    expect((await h.bot.stop()).code).toBe(0);

    const db = new Database(DB, { readonly: true });
    const rows = db.prepare('SELECT intent, province, outcome, feedback, text FROM questions ORDER BY id').all() as {
      intent: string;
      province: string | null;
      outcome: string;
      feedback: string | null;
      text: string | null;
    }[];
    db.close();
    expect(rows).toEqual([
      { intent: 'deregister', province: 'zhejiang', outcome: 'answered', feedback: 'not_helpful', text: null },
    ]);
  });
});
