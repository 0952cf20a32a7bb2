/**
 * A hand-off case, end to end against the stand-in, on one instance in memory and on two instances
 * sharing one Redis (each step sent to the other instance than the last, retries to both): the
 * hand-off post a colleague can work with (from a channel and from a DM), Take it, the
 * conversation through the bot between the asker's DM and the post's thread, and Solved ending it;
 * labelling the question from the post, which moves it from `training export --unlabelled` into
 * `training export`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { ANSWER_ACTIONS } from '../../src/slack/actions.js';
import { CASE_ACTIONS } from '../../src/slack/handoff-post.js';
import { LABEL_ACTIONS } from '../../src/slack/handoff-label.js';
import { trainingCommand } from '../../src/questions/training-export.js';
import type { RecordedCall, Standin } from '../../src/standin/server.js';
import { findAction, sleep, textOf, useBots, type Bots, until } from './bot-process.js';
import { dropPrefix, REDIS_URL, redisForTests, testPrefix } from '../support/redis.js';

const hasRedis = await redisForTests();
const HANDOFF = { HANDOFF_CHANNEL: 'G0PRIVATE', HANDOFF_USERGROUP: 'S0SUPPORT' };
const SUPPORT = 'G0PRIVATE';
/** A question the bot cannot answer, with a mobile number the post must not show. */
const WEATHER = 'can you tell us the weather in Paris for the team trip? call me on 13812345678';

let t0 = 0;
beforeEach(() => {
  t0 = performance.now();
});

const postsIn = (s: Standin, channel: string, pred: (c: RecordedCall) => boolean = () => true): RecordedCall[] =>
  s.callsOf('chat.postMessage').filter((c) => c.at > t0 && c.args.channel === channel && pred(c));
const waitPost = (s: Standin, pred: (c: RecordedCall) => boolean): Promise<RecordedCall> =>
  s.waitForCall((c) => c.method === 'chat.postMessage' && c.at > t0 && pred(c), { timeoutMs: 8000 });
const notesTo = (s: Standin, user: string): RecordedCall[] =>
  s.callsOf('chat.postEphemeral').filter((c) => c.at > t0 && c.args.user === user);
/** The latest state of a message, as the workspace holds it (after chat.update). */
const shown = (s: Standin, channel: string, ts: string): string => {
  const m = s.workspace.find(channel, ts);
  return `${m?.text ?? ''}\n${JSON.stringify(m?.blocks ?? [])}`;
};

/**
 * Presses a button of a stored message (the hand-off post, an answer) as `user`; `value` for a
 * button the message no longer shows (a colleague's screen not yet updated).
 */
async function press(
  s: Standin,
  user: string,
  message: { channel: string; ts: string },
  actionId: string,
  value?: string,
) {
  const c = await s.clickAction({ user, message, actionId, ...(value ? { value } : {}) });
  expect(c.status).toBe(200);
}

/** The asker's DM question the bot cannot answer, handed off: the post, and the promise in the DM. */
async function handOffFromDm(b: Bots, asker: string) {
  const s = b.standin;
  b.to(0);
  const sent = await s.sendMessage({ user: asker, text: WEATHER });
  const fallback = await waitPost(s, (c) => c.args.channel === sent.channel);
  if (!fallback.message) throw new Error('not stored');
  b.to(1);
  await press(s, asker, fallback.message, ANSWER_ACTIONS.askPerson);
  const post = await waitPost(s, (c) => c.args.channel === SUPPORT && textOf(c).includes(`<@${asker}>`));
  const promise = await waitPost(s, (c) => c.args.channel === sent.channel && /asked a colleague/.test(textOf(c)));
  if (!post.message) throw new Error('post not stored');
  return { dm: sent.channel, post: post.message, postCall: post, promise };
}

const modes = [
  { name: 'one instance, in memory', n: 1, redis: false },
  { name: 'two instances on one Redis', n: 2, redis: true },
];

for (const mode of modes) {
  describe.skipIf(mode.redis && !hasRedis)(`a hand-off case, ${mode.name}`, () => {
    const prefix = testPrefix();
    const b = useBots(
      mode.n,
      { ...HANDOFF, ...(mode.redis ? { REDIS_URL, REDIS_PREFIX: prefix } : {}) },
      mode.redis ? () => dropPrefix(prefix) : undefined,
    );

    it('from a DM: the post shows the masked question, the reading, the answer given, why, and the DM by its person; the asker is told what was shared and what happens', async () => {
      const s = b.standin;
      const { postCall, promise } = await handOffFromDm(b, 'U0DMPOST');
      const post = textOf(postCall);
      expect(post).toContain('<!subteam^S0SUPPORT>');
      expect(post).toContain('a direct message with <@U0DMPOST>');
      expect(post).toContain('weather in Paris');
      expect(post).toContain('[phone]');
      expect(post).not.toContain('13812345678');
      expect(post).toMatch(/Understood as: fallback, confidence \d\.\d\d/);
      expect(post).toContain('Why: the bot had no answer (fallback).');
      expect(post).toContain('The bot answered:');
      expect(post).toContain('I can answer: deregistering an ICP filing');
      expect(post).not.toMatch(/<#D|archives\/D/);
      expect(s.callsOf('chat.getPermalink').filter((c) => c.at > t0)).toEqual([]);
      expect(findAction(postCall, (id) => id === CASE_ACTIONS.take)).toBeDefined();
      expect(findAction(postCall, (id) => id === CASE_ACTIONS.solve)).toBeDefined();
      expect(textOf(promise)).toMatch(/shared your question, how I read it and my answer/);
      expect(textOf(promise)).toMatch(/arrive here through me.*until the case is solved/);
    });

    it('from a channel, after "Not helpful": the channel and a permalink, the reason, and "in this thread"', async () => {
      const s = b.standin;
      b.to(0);
      const sent = await s.sendMessage({
        user: 'U0BOB',
        channel: 'C0GENERAL',
        text: '<@U0BOT> How do I deregister our ICP filing in Zhejiang? 13912345678',
      });
      const answer = await waitPost(s, (c) => c.args.thread_ts === sent.ts);
      if (!answer.message) throw new Error('not stored');
      b.to(1);
      await press(s, 'U0BOB', answer.message, ANSWER_ACTIONS.notHelpful);
      const thanks = await s.waitForCall(
        (c) => c.method === 'chat.postEphemeral' && c.at > t0 && c.args.user === 'U0BOB',
        { timeoutMs: 8000 },
      );
      if (!thanks.message) throw new Error('thanks not stored');
      b.to(0);
      await press(s, 'U0BOB', thanks.message, ANSWER_ACTIONS.askPerson);
      const postCall = await waitPost(s, (c) => c.args.channel === SUPPORT);
      const post = textOf(postCall);
      expect(post).toContain('Question from <@U0BOB> in <#C0GENERAL>');
      expect(post).toMatch(/archives\/C0GENERAL\/p\d+\|Open the conversation/);
      expect(post).toContain('Understood as: deregister / zhejiang');
      expect(post).toContain('Why: the asker marked the answer Not helpful.');
      expect(post).toContain('[phone]');
      expect(post).not.toContain('13912345678');
      expect(post).toMatch(/Zhejiang/);
      const told = await waitPost(
        s,
        (c) => c.args.channel === 'C0GENERAL' && c.args.thread_ts === sent.ts && /colleague/.test(textOf(c)),
      );
      expect(textOf(told)).toMatch(/asked a colleague.*They will answer you in this thread/s);
    });

    it('Take it: the asker hears once who is on it, the post shows who took it, a second colleague hears privately who has it', async () => {
      const s = b.standin;
      const { dm, post, postCall } = await handOffFromDm(b, 'U0TAKER');
      const value = String(findAction(postCall, (id) => id === CASE_ACTIONS.take)?.element.value);
      b.to(0);
      await press(s, 'U0ALICE', post, CASE_ACTIONS.take);
      const told = await waitPost(s, (c) => c.args.channel === dm && /is looking at your question/.test(textOf(c)));
      expect(textOf(told)).toContain('<@U0ALICE>');
      b.to(1);
      await press(s, 'U0LOCAL', post, CASE_ACTIONS.take, value);
      expect(await until(() => notesTo(s, 'U0LOCAL').length === 1)).toBe(true);
      expect(notesTo(s, 'U0LOCAL')[0]!.args.text).toBe('<@U0ALICE> already has this case.');
      await press(s, 'U0ALICE', post, CASE_ACTIONS.take, value);
      expect(await until(() => notesTo(s, 'U0ALICE').length === 1)).toBe(true);
      expect(notesTo(s, 'U0ALICE')[0]!.args.text).toBe('You already have this case.');
      await sleep(500);
      expect(postsIn(s, dm, (c) => /is looking at your question/.test(textOf(c)))).toHaveLength(1);
      const now = shown(s, post.channel, post.ts);
      expect(now).toContain('Taken by <@U0ALICE>.');
      expect(now).not.toContain(CASE_ACTIONS.take);
      expect(now).toContain(CASE_ACTIONS.solve);
    });

    it('a colleague’s reply in the thread reaches the DM once; the asker’s reply reaches the thread once, unanswered; Solved ends both', async () => {
      const s = b.standin;
      const asker = 'U0TALKER';
      const { dm, post, postCall } = await handOffFromDm(b, asker);
      const solveValue = String(findAction(postCall, (id) => id === CASE_ACTIONS.solve)?.element.value);
      const inThread = () => postsIn(s, SUPPORT, (c) => c.args.thread_ts === post.ts);
      const inDm = () => postsIn(s, dm);
      const before = inDm().length;

      // The colleague writes in the post's thread; Slack sends the event again to the other instance.
      b.to(0);
      const reply = await s.sendMessage({
        user: 'U0ALICE',
        channel: SUPPORT,
        thread_ts: post.ts,
        text: 'Which province? See <https://beian.miit.gov.cn|MIIT> &lt;3',
      });
      b.to(1);
      await s.driver.retry(reply.envelopes[0]!, 1);
      // Neither another bot in the thread nor a question to the bot at the top of the channel is passed on or answered.
      await s.sendMessage({ user: 'U0ROBOT', bot_id: 'B0OTHER', channel: SUPPORT, thread_ts: post.ts, text: 'beep' });
      await s.sendMessage({ user: 'U0LOCAL', channel: SUPPORT, text: '<@U0BOT> how do I deregister in Zhejiang?' });
      expect(await until(() => inDm().length === before + 1)).toBe(true);
      await sleep(800);
      expect(inDm()).toHaveLength(before + 1);
      const relayed = textOf(inDm()[before]!);
      expect(relayed).toContain('<@U0ALICE>');
      expect(relayed).toContain('Which province? See MIIT (<https://beian.miit.gov.cn>) &lt;3');
      expect(postsIn(s, SUPPORT, (c) => c.args.thread_ts !== post.ts && c.message?.ts !== post.ts)).toEqual([]);

      // The asker answers in the DM: it goes to the thread, once, and is not answered as a question.
      const questionsBefore = b.bots.flatMap((x) => x.logLines()).filter((l) => l.event === 'question').length;
      b.to(0);
      const answer = await s.sendMessage({ user: asker, text: 'Zhejiang, how do I deregister? <!channel>' });
      b.to(1);
      await s.driver.retry(answer.envelopes[0]!, 1);
      expect(await until(() => inThread().length === 1)).toBe(true);
      await sleep(800);
      expect(inThread()).toHaveLength(1);
      const back = textOf(inThread()[0]!);
      expect(back).toContain(`<@${asker}>`);
      expect(back).toContain('Zhejiang, how do I deregister? &lt;!channel&gt;');
      expect(inDm()).toHaveLength(before + 1);
      expect(b.bots.flatMap((x) => x.logLines()).filter((l) => l.event === 'question')).toHaveLength(questionsBefore);

      // Solved: the asker is told, and the relay ends both ways.
      b.to(0);
      await press(s, 'U0LOCAL', post, CASE_ACTIONS.solve);
      const solved = await waitPost(
        s,
        (c) => c.args.channel === dm && /marked your question as solved/.test(textOf(c)),
      );
      expect(textOf(solved)).toContain('<@U0LOCAL>');
      expect(shown(s, post.channel, post.ts)).toContain('Solved by <@U0LOCAL>.');
      expect(shown(s, post.channel, post.ts)).not.toContain(CASE_ACTIONS.solve);
      b.to(1);
      await press(s, 'U0ALICE', post, CASE_ACTIONS.solve, solveValue);
      expect(await until(() => notesTo(s, 'U0ALICE').length === 1)).toBe(true);
      expect(textOf(notesTo(s, 'U0ALICE')[0]!)).toMatch(/already solved/);
      const afterSolved = inDm().length;
      await s.sendMessage({ user: 'U0ALICE', channel: SUPPORT, thread_ts: post.ts, text: 'one more thing' });
      b.to(0);
      await s.sendMessage({ user: asker, text: 'How do I deregister my ICP filing in Zhejiang?' });
      const answered = await waitPost(
        s,
        (c) => c.args.channel === dm && /Zhejiang/.test(textOf(c)) && c.at > solved.at,
      );
      expect(textOf(answered)).not.toContain('one more thing');
      await sleep(800);
      expect(inDm()).toHaveLength(afterSolved + 1);
      expect(inThread()).toHaveLength(1);
    });
  });
}

/** `icp-bot training export` on the bot's log, in-process: its JSON lines. */
async function exported(db: string, unlabelled: boolean): Promise<Record<string, unknown>[]> {
  let out = '';
  const args = ['export', '--db', db, ...(unlabelled ? ['--unlabelled'] : [])];
  await trainingCommand(args, { env: {}, out: (t) => (out += t) });
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The signed value of the option of a label picker whose text ends with `(id)` or starts with `name`. */
function optionValue(call: RecordedCall, actionId: string, pred: (text: string) => boolean): string {
  const el = findAction(call, (id) => id === actionId)?.element;
  const options = (el?.options ?? []) as { text: { text: string }; value: string }[];
  const hit = options.find((o) => pred(o.text.text));
  if (!hit) throw new Error(`no such option in ${actionId}`);
  return hit.value;
}

describe('labelling from the hand-off post', () => {
  const DB = join(mkdtempSync(join(tmpdir(), 'icp-e2e-label-')), 'questions.sqlite');
  const b = useBots(1, { ...HANDOFF, QUESTION_DB: DB });
  const ackTo = (s: Standin, user: string) => notesTo(s, user).map((c) => String(c.args.text));

  it('a colleague picks the province and the intent on the post: stored with who, acknowledged privately, and the question leaves --unlabelled for the training file', async () => {
    const s = b.standin;
    const { post, postCall } = await handOffFromDm(b, 'U0LABEL');
    // The hand-off reaches the log on the writer's next batch (every 200 ms).
    let missed: Record<string, unknown> | undefined;
    for (let i = 0; i < 50 && !(missed?.why as string[] | undefined)?.includes('handed_off'); i++) {
      await sleep(100);
      missed = (await exported(DB, true)).find((l) => String(l.text).includes('weather in Paris'));
    }
    expect(missed).toMatchObject({ intent: 'fallback', why: expect.arrayContaining(['fallback', 'handed_off']) });
    const ref = String(missed?.ref);
    expect(textOf(postCall)).toContain('Lost record number (lost_record_number)');

    // From anywhere but the hand-off channel, or with a value the bot did not sign: refused, nothing stored.
    const province = optionValue(postCall, LABEL_ACTIONS.province, (t) => t.endsWith('Zhejiang'));
    const general = await s.sendMessage({ user: 'U0ALICE', channel: 'C0GENERAL', text: 'hello all' });
    const elsewhere = { ts: general.ts, channel: 'C0GENERAL' };
    await s.clickAction({
      user: 'U0ALICE',
      message: elsewhere,
      actionId: LABEL_ACTIONS.province,
      selectedOption: province,
    });
    const forged = province.replace(/^[^.]+/, 'A'.repeat(43));
    await s.clickAction({ user: 'U0ALICE', message: post, actionId: LABEL_ACTIONS.province, selectedOption: forged });
    expect(await until(() => ackTo(s, 'U0ALICE').length === 2)).toBe(true);
    expect(ackTo(s, 'U0ALICE').every((t) => /no longer have that question/.test(t))).toBe(true);
    expect((await exported(DB, true)).map((l) => l.ref)).toContain(ref);

    // The province first: noted, not yet a label.
    await s.clickAction({ user: 'U0ALICE', message: post, actionId: LABEL_ACTIONS.province, selectedOption: province });
    expect(await until(() => ackTo(s, 'U0ALICE').length === 3)).toBe(true);
    expect(ackTo(s, 'U0ALICE')[2]).toMatch(/^Noted: Zhejiang 浙江\. Now pick what the question was/);
    expect((await exported(DB, true)).map((l) => l.ref)).toContain(ref);

    // Then the intent: labelled, by the colleague, told privately; the post is unchanged for others.
    const offTopic = optionValue(postCall, LABEL_ACTIONS.intent, (t) => t.endsWith('(off_topic)'));
    await s.clickAction({ user: 'U0BOB', message: post, actionId: LABEL_ACTIONS.intent, selectedOption: offTopic });
    expect(await until(() => ackTo(s, 'U0BOB').length === 1)).toBe(true);
    expect(ackTo(s, 'U0BOB')[0]).toMatch(/^Labelled: \*Not about ICP filing\* \(`off_topic`\), Zhejiang 浙江\./);
    expect(postsIn(s, SUPPORT, (c) => c.at > postCall.at)).toEqual([]);
    expect((await exported(DB, true)).map((l) => l.ref)).not.toContain(ref);
    const training = await exported(DB, false);
    expect(training[0]).toMatchObject({ format: 1 });
    expect(training.slice(1)).toContainEqual({
      text: expect.stringContaining('weather in Paris'),
      intent: 'other',
      province: 'zhejiang',
      kind: 'log',
      topic: 'off_topic',
    });
    expect(JSON.stringify(training)).not.toContain('13812345678');
    // Log lines reach stdout in blocks, at most 100 ms after they are written (src/slack/log.ts).
    expect(await b.bots[0]!.waitForLog((l) => l.event === 'labelled' && l.intent === 'off_topic')).toMatchObject({
      channel: SUPPORT,
      stored: true,
    });

    // Solved: the pickers stay, and a label still lands (the case is gone, the value still signed).
    await press(s, 'U0LOCAL', post, CASE_ACTIONS.solve);
    await waitPost(s, (c) => /marked your question as solved/.test(textOf(c)));
    expect(shown(s, post.channel, post.ts)).toContain(LABEL_ACTIONS.intent);
    const fees = optionValue(postCall, LABEL_ACTIONS.intent, (t) => t.endsWith('(fees)'));
    await s.clickAction({ user: 'U0BOB', message: post, actionId: LABEL_ACTIONS.intent, selectedOption: fees });
    expect(await until(() => ackTo(s, 'U0BOB').length === 2)).toBe(true);
    expect(ackTo(s, 'U0BOB')[1]).toMatch(/^Labelled: \*What it costs\* \(`fees`\), Zhejiang 浙江 \(was `off_topic`\)/);
  });
});
