/**
 * End to end, what a user sees when a message is not one plain question: moving to another
 * provider (never the deregistration route), a vague message (a question back with one button per
 * reading, answered by a click or by typing "2" or the reading's words) and a message with two
 * needs (the main answer and "You also asked:" / "另外：" in one reply). The real bot process
 * against the Slack stand-in.
 */
import { performance } from 'node:perf_hooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { ACTIONS, ASK_BLOCK } from '../../src/answer/render-blocks.js';
import { ANSWER_ACTIONS } from '../../src/slack/actions.js';
import type { RecordedCall } from '../../src/standin/server.js';
import type { Answer } from '../../src/types.js';
import { understand } from '../../src/understand/understand.js';
import { blocksOf, elementsOf, findAction, sleep, textOf, useHarness } from './bot-process.js';

const h = useHarness();

/** Only calls made during the current test count, so a reply from an earlier test can not match. */
let testStart = 0;
beforeEach(() => {
  testStart = performance.now();
});

const posts = (channel: string, after = testStart): RecordedCall[] =>
  h.standin.callsOf('chat.postMessage').filter((c) => c.args.channel === channel && c.at > after);

function waitPost(pred: (c: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
  return h.standin.waitForCall((c) => c.method === 'chat.postMessage' && c.at > testStart && pred(c), { timeoutMs });
}

/** Lets everything sent so far be handled: a fresh DM's reply arrives after earlier events were processed. */
let settles = 0;
async function settle(): Promise<void> {
  const sent = await h.standin.sendMessage({ user: `U0NEEDSETTLE${++settles}`, text: 'hello' });
  await waitPost((c) => c.args.channel === sent.channel);
  await sleep(100);
}

/**
 * The core's answer for a question, or for one of its offered readings: wording is the core's
 * (its own tests pin it), so these tests check what reaches Slack and which reading was answered.
 */
function core(q: string, reading?: string): Answer {
  const { options: _offered, ...u } = understand(q);
  return answer(reading ? { ...u, intent: reading, confirm: false } : understand(q));
}

/** The question back's sentence and its buttons as the core offers them, checked to be the readings expected. */
function expectedReadings(
  q: string,
  intents: string[],
): { question: string; buttons: { actionId: string; label: string }[] } {
  const a = core(q);
  expect(a.confirm?.options.map((o) => o.intent)).toEqual(intents);
  return {
    question: a.summary.map((line) => line.map((x) => (typeof x === 'string' ? x : x.label)).join('')).join('\n'),
    buttons: (a.confirm?.options ?? []).map((o) => ({
      actionId: `${ACTIONS.chooseIntent}:${o.intent}`,
      label: o.label,
    })),
  };
}

/** The header of a reply (an answer's title; a question back has none). */
const headerOf = (call: RecordedCall): string | undefined => {
  const first = blocksOf(call)[0];
  return first?.type === 'header' ? String((first.text as { text?: unknown }).text) : undefined;
};

/** What the blocks alone show (not the `text` fallback, not button values). */
const blocksText = (call: RecordedCall): string => textOf({ ...call, args: { blocks: call.args.blocks } });

/** The did-you-mean buttons of a question back (in its ask block): action id and label, in order. */
function readingButtons(call: RecordedCall): { actionId: string; label: string }[] {
  return elementsOf(call)
    .filter(
      (e) => e.blockId.startsWith(ASK_BLOCK) && String(e.element.action_id).startsWith(`${ACTIONS.chooseIntent}:`),
    )
    .map((e) => ({ actionId: String(e.element.action_id), label: String((e.element.text as { text: string }).text) }));
}

function expectAnswerShape(call: RecordedCall): void {
  expect(typeof call.args.text).toBe('string');
  expect((call.args.text as string).length).toBeGreaterThan(0);
  expect(findAction(call, (id) => id === ANSWER_ACTIONS.plainText)).toBeDefined();
  expect(findAction(call, (id) => id.startsWith(ACTIONS.chooseIntent))).toBeUndefined();
}

type Surface = 'DM' | 'mention';

/** Asks in a DM or as an @mention in #general; the reply is the first post in that conversation. */
async function askOn(
  surface: Surface,
  user: string,
  text: string,
): Promise<{ reply: RecordedCall; count: () => number }> {
  if (surface === 'DM') {
    const sent = await h.standin.sendMessage({ user, text });
    const reply = await waitPost((c) => c.args.channel === sent.channel);
    expect(reply.args.thread_ts).toBeUndefined();
    return { reply, count: () => posts(sent.channel).length };
  }
  const sent = await h.standin.sendMessage({ user, channel: 'C0GENERAL', text: `<@U0BOT> ${text}` });
  const reply = await waitPost((c) => c.args.channel === 'C0GENERAL' && c.args.thread_ts === sent.ts);
  return { reply, count: () => posts('C0GENERAL').filter((c) => c.args.thread_ts === sent.ts).length };
}

describe('moving to another provider', () => {
  const cases = [
    {
      lang: 'English',
      q: "We're moving our site from another cloud to you, do we have to cancel the filing first? We're in Shenzhen",
      never: ['Communications Administration with the current form', 'notice_list', '注销主体', 'You also asked'],
    },
    {
      lang: 'Chinese',
      q: '我们要从阿里云迁到你们这边，备案需要先注销吗？公司在深圳',
      never: ['notice_list', '注销主体', '申请表', '通信管理局申请', '另外：'],
    },
  ];
  const table = cases.flatMap((c) => (['DM', 'mention'] as const).map((surface) => ({ ...c, surface })));

  it.each(table)('$lang in a $surface: the switch-provider answer, never the deregistration route', async (c) => {
    const expected = core(c.q);
    expect(expected.intent).toBe('switch_provider');
    const user = `U0MOVE${c.lang.slice(0, 2).toUpperCase()}${c.surface[0]}`;
    const { reply, count } = await askOn(c.surface, user, c.q);
    expectAnswerShape(reply);
    expect(headerOf(reply)).toBe(expected.title);
    // The notification: the title, then the whole plain answer.
    expect(String(reply.args.text).split('\n')[0]).toBe(expected.title);
    // The first line says the filing stays: no deregistration needed.
    const first = expected.summary[0]?.map((x) => (typeof x === 'string' ? x : x.label)).join('') ?? '';
    expect(first).toMatch(c.lang === 'English' ? /record number stays/ : /不需要注销/);
    expect(blocksText(reply)).toContain(first);
    for (const s of c.never) expect(textOf(reply)).not.toContain(s);
    expect(findAction(reply, (id) => id === ACTIONS.pickProvince)).toBeUndefined();
    // Nothing else follows: no second message with the deregistration route.
    await settle();
    expect(count()).toBe(1);
  });
});

describe('a vague message in a DM', () => {
  it('English: buttons per reading; only the asker’s click answers; "2" and the reading’s words choose', async () => {
    const vague = 'Can you help with our beian?';
    const readings = expectedReadings(vague, ['deregister', 'forgot_password', 'lost_record_number']);
    const sent = await h.standin.sendMessage({ user: 'U0VAGUE', text: vague });
    const ask = await waitPost((c) => c.args.channel === sent.channel);
    expect(textOf(ask)).toContain(readings.question);
    expect(readingButtons(ask)).toEqual(readings.buttons);
    expect(findAction(ask, (id) => id === ANSWER_ACTIONS.plainText)).toBeUndefined();
    if (!ask.message) throw new Error('ask not stored');

    // Someone else's click: a private note for them, nothing posted.
    await h.standin.clickAction({
      user: 'U0MALLORY',
      message: ask.message,
      actionId: `${ACTIONS.chooseIntent}:forgot_password`,
    });
    const note = await h.standin.waitForCall(
      (c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0MALLORY' && c.at > ask.at,
    );
    expect(String(note.args.text)).toContain('U0VAGUE');
    await settle();
    expect(posts(sent.channel, ask.at)).toHaveLength(0);

    // The asker's click answers that reading at once, in the DM.
    await h.standin.clickAction({
      user: 'U0VAGUE',
      message: ask.message,
      actionId: `${ACTIONS.chooseIntent}:forgot_password`,
    });
    const chosen = await waitPost((c) => c.args.channel === sent.channel && c.at > ask.at);
    expectAnswerShape(chosen);
    expect(headerOf(chosen)).toBe(core(vague, 'forgot_password').title);
    expect(textOf(chosen)).toContain('17 August 2020');

    // "cancel" asks cancelling what; "2" chooses the second reading (alone, "2" means nothing).
    const cancel = expectedReadings('cancel', ['deregister', 'off_topic']);
    await h.standin.sendMessage({ user: 'U0VAGUE', text: 'cancel' });
    const ask2 = await waitPost((c) => c.args.channel === sent.channel && c.at > chosen.at);
    expect(textOf(ask2)).toContain(cancel.question);
    expect(readingButtons(ask2)).toEqual(cancel.buttons);
    await h.standin.sendMessage({ user: 'U0VAGUE', text: '2' });
    const second = await waitPost((c) => c.args.channel === sent.channel && c.at > ask2.at);
    expect(headerOf(second)).toBe(core('cancel', 'off_topic').title);
    expect(headerOf(second)).not.toBe(core('2').title);
    expect(readingButtons(second)).toEqual([]);

    // Typing the reading's words chooses it too (logged as a typed choice, not a new question).
    await h.standin.sendMessage({ user: 'U0VAGUE', text: vague });
    const ask3 = await waitPost((c) => c.args.channel === sent.channel && c.at > second.at);
    expect(readingButtons(ask3)).toHaveLength(3);
    await h.standin.sendMessage({ user: 'U0VAGUE', text: 'the filing password' });
    const typed = await waitPost((c) => c.args.channel === sent.channel && c.at > ask3.at);
    expectAnswerShape(typed);
    expect(textOf(typed)).toContain('17 August 2020');
    await h.bot.waitForLog(
      (l) =>
        l.event === 'question' && l.surface === 'typed' && l.intent === 'forgot_password' && l.channel === sent.channel,
    );
  });

  it('Chinese: a button, "2" and the reading’s words each answer that reading', async () => {
    const vague = '备案的事能帮忙吗';
    const readings = expectedReadings(vague, ['deregister', 'forgot_password', 'lost_record_number']);
    const sent = await h.standin.sendMessage({ user: 'U0XIAO', text: vague });
    const ask = await waitPost((c) => c.args.channel === sent.channel);
    expect(textOf(ask)).toContain(readings.question);
    expect(readingButtons(ask)).toEqual(readings.buttons);
    expect(readings.buttons.every((b) => /\p{Script=Han}/u.test(b.label))).toBe(true);
    if (!ask.message) throw new Error('ask not stored');
    await h.standin.clickAction({
      user: 'U0XIAO',
      message: ask.message,
      actionId: `${ACTIONS.chooseIntent}:lost_record_number`,
    });
    const chosen = await waitPost((c) => c.args.channel === sent.channel && c.at > ask.at);
    expectAnswerShape(chosen);
    expect(headerOf(chosen)).toBe(core(vague, 'lost_record_number').title);
    expect(textOf(chosen)).toContain('https://beian.miit.gov.cn/#/Integrated/recordQuery');

    expectedReadings('备案方面有问题', ['deregister', 'forgot_password', 'lost_record_number']);
    await h.standin.sendMessage({ user: 'U0XIAO', text: '备案方面有问题' });
    const ask2 = await waitPost((c) => c.args.channel === sent.channel && c.at > chosen.at);
    expect(readingButtons(ask2)).toHaveLength(3);
    await h.standin.sendMessage({ user: 'U0XIAO', text: '2' });
    const second = await waitPost((c) => c.args.channel === sent.channel && c.at > ask2.at);
    expectAnswerShape(second);
    expect(headerOf(second)).toBe(core('备案方面有问题', 'forgot_password').title);
    expect(textOf(second)).toContain('2020年8月17日');

    await h.standin.sendMessage({ user: 'U0XIAO', text: vague });
    const ask3 = await waitPost((c) => c.args.channel === sent.channel && c.at > second.at);
    expect(readingButtons(ask3)).toHaveLength(3);
    await h.standin.sendMessage({ user: 'U0XIAO', text: '查询备案号' });
    const typed = await waitPost((c) => c.args.channel === sent.channel && c.at > ask3.at);
    expectAnswerShape(typed);
    expect(headerOf(typed)).toBe(core(vague, 'lost_record_number').title);
    await h.bot.waitForLog(
      (l) =>
        l.event === 'question' &&
        l.surface === 'typed' &&
        l.intent === 'lost_record_number' &&
        l.channel === sent.channel,
    );
  });
});

describe('two needs in one message', () => {
  const cases = [
    {
      lang: 'English',
      q: 'I need to cancel our filing in Hebei. We also lost the record number.',
      main: { intent: 'lost_record_number', text: 'https://beian.miit.gov.cn/#/Integrated/recordQuery' },
      heading: 'You also asked:',
      other: ['Hebei', 'https://beian.miit.gov.cn/#/Integrated/notice_list'],
    },
    {
      lang: 'Chinese',
      q: '要注销安徽的网站，但备案密码找不到了',
      main: { intent: 'forgot_password', text: '短信核验' },
      heading: '另外：',
      other: ['安徽', 'https://beian.miit.gov.cn/#/Integrated/notice_list'],
    },
  ];
  const table = cases.flatMap((c) => (['DM', 'mention'] as const).map((surface) => ({ ...c, surface })));

  it.each(table)('$lang in a $surface: one reply with the main answer and the other need', async (c) => {
    const expected = core(c.q);
    expect(expected.intent).toBe(c.main.intent);
    expect(expected.also?.items.map((n) => n.intent)).toEqual(['deregister']);
    const user = `U0TWO${c.lang.slice(0, 2).toUpperCase()}${c.surface[0]}`;
    const { reply, count } = await askOn(c.surface, user, c.q);
    expectAnswerShape(reply);
    // The notification text names the main answer first, then every other need.
    expect(String(reply.args.text)).toMatch(new RegExp(`^${expected.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · `));
    for (const n of expected.also?.items ?? []) expect(String(reply.args.text)).toContain(n.title);
    expect(headerOf(reply)).toBe(expected.title);
    const blocks = blocksOf(reply);
    const sectionTexts = blocks.map((b) =>
      b.type === 'section' ? String((b.text as { text?: unknown } | undefined)?.text ?? '') : '',
    );
    const mainAt = sectionTexts.findIndex((t) => t.includes(c.main.text));
    const alsoAt = sectionTexts.findIndex((t) => t.startsWith(`*${c.heading}*`));
    expect(mainAt).toBeGreaterThan(0);
    expect(alsoAt).toBeGreaterThan(mainAt);
    const also = sectionTexts[alsoAt] ?? '';
    expect(also).toContain('\n• ');
    for (const s of [...c.other, ...(expected.also?.items.map((n) => n.title) ?? [])]) expect(also).toContain(s);
    // The answer buttons come after both.
    const buttonsAt = blocks.findIndex((b) => b.block_id === ANSWER_ACTIONS.blockId);
    expect(buttonsAt).toBeGreaterThan(alsoAt);
    await settle();
    expect(count()).toBe(1);
  });
});

describe('/icp with a vague question', () => {
  it.each([
    ['English', 'U0SLASHEN', 'Can you help with our beian?'],
    ['Chinese', 'U0SLASHZH', '备案的事能帮忙吗'],
  ])('%s: reading buttons in the ephemeral response, and a click answers privately', async (_, user, q) => {
    const readings = expectedReadings(q, ['deregister', 'forgot_password', 'lost_record_number']);
    await h.standin.sendSlashCommand({ user, channel: 'C0GENERAL', text: q });
    const ask = await h.standin.waitForCall(
      (c) => c.method === 'response_url' && c.at > testStart && readingButtons(c).length > 0,
    );
    expect(ask.args.response_type).toBe('ephemeral');
    expect(textOf(ask)).toContain(readings.question);
    expect(readingButtons(ask)).toEqual(readings.buttons);
    if (!ask.message) throw new Error('ephemeral not stored');
    await h.standin.clickAction({ user, message: ask.message, actionId: `${ACTIONS.chooseIntent}:lost_record_number` });
    const done = await h.standin.waitForCall((c) => c.method === 'response_url' && c.at > ask.at);
    expect(done.args.replace_original).toBe(true);
    expect(done.args.response_type).toBe('ephemeral');
    expect(headerOf(done)).toBe(core(q, 'lost_record_number').title);
    expect(textOf(done)).toContain('https://beian.miit.gov.cn/#/Integrated/recordQuery');
    expect(findAction(done, (id) => id === ANSWER_ACTIONS.postToChannel)).toBeDefined();
    expect(readingButtons(done)).toEqual([]);
    // Private throughout: nothing was posted in the channel.
    expect(posts('C0GENERAL')).toHaveLength(0);
  });
});
