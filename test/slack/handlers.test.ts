/**
 * The handlers alone (on-message, on-slash, on-action composed by handlers.ts): the real core, a
 * recording SlackOut, the memory pending store and a fake clock. Assertions are on what Slack would
 * show: where each reply goes, its blocks and buttons, and what a click replaces in place. The core
 * reaches the handlers through their deps; one test gives them a fake one.
 */
import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/answer/render-blocks.js';
import { ANSWER_ACTIONS, deriveButtonKey, packQuestion, signValue } from '../../src/slack/actions.js';
import { knownIds, type Core } from '../../src/slack/core.js';
import { createHandlers, readClick, type HandlerDeps, type Handlers } from '../../src/slack/handlers.js';
import { createLogger } from '../../src/slack/log.js';
import { MemoryCaseStore } from '../../src/slack/cases.js';
import { CASE_ACTIONS, caseValue } from '../../src/slack/handoff-post.js';
import { relayText } from '../../src/slack/strings.js';
import { MemoryPendingStore, contextKey } from '../../src/slack/pending.js';
import type { Body, SlackOut } from '../../src/slack/webapi.js';
import { answer, topicAnswer } from '../../src/answer/answer.js';
import type { QuestionLog } from '../../src/questions/log.js';
import type { Understanding } from '../../src/types.js';
import { understand } from '../../src/understand/understand.js';
import { madeAnswer, understanding } from '../support/made.js';

type Sent = { method: string; args: Body; url?: string; ts?: string };
type El = Record<string, unknown> & { action_id?: string; block_id?: string; value?: string };
type Block = Record<string, unknown> & { type: string; block_id?: string };

let sent: Sent[];
let logs: string;
let now: number;
let failPosts: boolean;
let seq: number;

const TTL = 60_000;
/** Slack user ids (the bot only names ids of this shape in `<@…>`). */
const ASKER = 'UASKER1';
const OTHER = 'UOTHER2';
const THIRD = 'UTHIRD3';
const DM_CHANNEL = `D${ASKER}`;
const RESPONSE_URL = 'https://hooks.slack.com/actions/T1/1/x';

const out: SlackOut = {
  postMessage: async (args) => {
    if (failPosts) return (sent.push({ method: 'postMessage', args }), null);
    const ts = `${2000 + ++seq}.000100`;
    sent.push({ method: 'postMessage', args, ts });
    return { ok: true, ts };
  },
  postEphemeral: async (args) => (sent.push({ method: 'postEphemeral', args }), { ok: true }),
  update: async (args) => (sent.push({ method: 'update', args }), { ok: true }),
  publishView: async (args) => (sent.push({ method: 'publishView', args }), { ok: true }),
  permalink: async (args) => (
    sent.push({ method: 'permalink', args }),
    { ok: true, permalink: `https://example.slack.com/archives/${String(args.channel)}/p1` }
  ),
  respond: async (url, args) => (sent.push({ method: 'respond', args, url }), true),
};

let store: MemoryPendingStore;

/** The real core, as bot.ts wires it (its own understander aside). */
const REAL_CORE: Core = { understand, answer, topicAnswer, ...knownIds };
/** What bot.ts derives from the bot token to sign button values. */
const KEY = deriveButtonKey('xoxb-handlers-test');

function setup(ttl = TTL, core: Core = REAL_CORE, extra: Partial<HandlerDeps> = {}): Handlers {
  const destination = new Writable({
    write(c, _e, cb) {
      logs += String(c);
      cb();
    },
  });
  store = new MemoryPendingStore(() => now);
  return createHandlers({
    core,
    out,
    pending: store,
    pendingTtlMs: ttl,
    log: createLogger({ destination }),
    botUserId: () => 'UBOT',
    now: () => now,
    buttonKey: KEY,
    cases: new MemoryCaseStore(() => now),
    ...extra,
  });
}

beforeEach(() => {
  sent = [];
  logs = '';
  now = 1_000_000;
  failPosts = false;
  seq = 0;
});

const ctx = { eventId: 'Ev1', team: 'T1', receivedAt: 0 };

// ---- events -------------------------------------------------------------------------------------

const dm = (text: string, user = ASKER) => ({
  type: 'message',
  channel: `D${user}`,
  channel_type: 'im',
  user,
  text,
  ts: `${++now}.0001`,
});
/** A top-level channel message; `mention` puts the bot's mention in front and sends it as app_mention. */
const top = (text: string, opts: { user?: string; ts?: string; mention?: boolean } = {}) => ({
  type: opts.mention === false ? 'message' : 'app_mention',
  channel: 'C1',
  channel_type: 'channel',
  user: opts.user ?? ASKER,
  text: opts.mention === false ? text : `<@UBOT> ${text}`,
  ts: opts.ts ?? `${++now}.0001`,
});
/** A message inside a channel thread, without a mention unless the text has one. */
const inThread = (threadTs: string, text: string, user = ASKER, channel = 'C1') => ({
  type: 'message',
  channel,
  channel_type: 'channel',
  user,
  text,
  ts: `${++now}.0002`,
  thread_ts: threadTs,
});

// ---- what was sent ------------------------------------------------------------------------------

const blocksOf = (s: Sent): Block[] => (s.args.blocks as Block[] | undefined) ?? [];
const elementsOf = (s: Sent): El[] =>
  blocksOf(s).flatMap((b) =>
    [...((b.elements as El[] | undefined) ?? []), ...(b.accessory ? [b.accessory as El] : [])].map((e): El => ({
      ...e,
      block_id: b.block_id,
    })),
  );
/** action_ids of every interactive element, in order. */
const actionIds = (s: Sent): string[] =>
  elementsOf(s).flatMap((e) => (typeof e.action_id === 'string' ? [e.action_id] : []));
const answerButtons = (s: Sent): El[] => {
  const b = blocksOf(s).find((x) => x.block_id === ANSWER_ACTIONS.blockId);
  return (b?.elements as El[] | undefined) ?? [];
};
const labels = (s: Sent): string[] => answerButtons(s).map((e) => (e.text as { text: string }).text);
/** The header, or for a question back (which has none) the notification text, its title. */
const headerOf = (s: Sent): string => {
  const h = blocksOf(s).find((b) => b.type === 'header');
  return h ? (h.text as { text: string }).text : String(s.args.text ?? '');
};
/** Every text a person could read in the message. */
const textOf = (s: Sent): string => JSON.stringify(s.args.blocks ?? []) + String(s.args.text ?? '');
const last = (): Sent => sent[sent.length - 1]!;
const since = (n: number): Sent[] => sent.slice(n);
const posts = () => sent.filter((s) => s.method === 'postMessage');
const find = (s: Sent, actionId: string): El => {
  const e = elementsOf(s).find((x) => x.action_id === actionId);
  if (!e) throw new Error(`no ${actionId} in ${actionIds(s).join(', ')}`);
  return e;
};

/**
 * The core's title for a question: the handlers' job is to answer the right question (intent,
 * province, language), so expected headers come from the core rather than from copies of its wording.
 */
const titleOf = (over: Partial<Understanding>): string =>
  answer(understanding(over.intent ?? 'deregister', { text: 'x', ...over })).title;
const dereg = (province: string, lang: 'en' | 'zh' = 'en', traditional = false) =>
  titleOf({ province, lang, traditional });
const PASSWORD = titleOf({ intent: 'forgot_password' });
const PASSWORD_ZH = titleOf({ intent: 'forgot_password', lang: 'zh' });
const RECORD_NUMBER = titleOf({ intent: 'lost_record_number' });
const CONSOLE = titleOf({ intent: 'console_password' });
/** The first words of an answer's details (a heading or paragraph): shown only when expanded or in full. */
function firstDetail(question: string): string {
  const part = answer(understand(question)).details.find((d) => d.type === 'heading' || d.type === 'paragraph');
  const words =
    part && 'text' in part ? part.text.find((x): x is string => typeof x === 'string' && x.length >= 8) : undefined;
  if (!words) throw new Error(`no details text for ${question}`);
  return words.replace(/[&<>"]/g, '').slice(0, 20);
}
const EN_LABELS = ['Steps and details', 'Plain text for customer', 'Helpful', 'Not helpful'];
const ZH_LABELS = ['步骤和详情', '给客户的纯文本', '有帮助', '没有帮助'];
const HANT_LABELS = ['步驟和詳情', '給客戶的純文字', '有幫助', '沒有幫助'];

const COMPLETE_EN = [
  ANSWER_ACTIONS.details,
  ANSWER_ACTIONS.plainText,
  ANSWER_ACTIONS.helpful,
  ANSWER_ACTIONS.notHelpful,
];
const NO_AGENT_WORDS = ['JD Cloud', 'jcloud', '京东云', '京東雲', 'miitbeian.gov.cn', 'Archived', '存档'];

// ---- clicks -------------------------------------------------------------------------------------

/** A block_actions payload for a click on `on`, as Slack sends it (the thread is in `container`). */
function clickPayload(
  on: Sent,
  user: string,
  action: Record<string, unknown>,
  opts: { ephemeral?: boolean; responseUrl?: string | null } = {},
) {
  const channel = String(on.args.channel ?? 'C1');
  const threadTs = on.args.thread_ts as string | undefined;
  return {
    type: 'block_actions',
    user: { id: user },
    team: { id: 'T1' },
    channel: { id: channel },
    container: {
      type: 'message',
      channel_id: channel,
      message_ts: on.ts ?? '1.1',
      is_ephemeral: opts.ephemeral === true,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    },
    message: { text: on.args.text, ts: on.ts, ...(threadTs ? { thread_ts: threadTs } : {}) },
    ...(opts.responseUrl === null ? {} : { response_url: opts.responseUrl ?? RESPONSE_URL }),
    actions: [action],
  };
}

/** Presses a button of a posted message. */
function press(
  h: Handlers,
  on: Sent,
  actionId: string,
  user = ASKER,
  opts: { ephemeral?: boolean; responseUrl?: string | null } = {},
) {
  const b = find(on, actionId);
  return h.onBlockActions(
    clickPayload(on, user, { type: 'button', action_id: actionId, block_id: b.block_id, value: b.value }, opts),
    ctx,
  );
}

/** Picks a province in the picker of a posted question. */
function pick(h: Handlers, on: Sent, province: string, user = ASKER, opts: { ephemeral?: boolean } = {}) {
  const p = find(on, ACTIONS.pickProvince);
  const action = {
    type: 'static_select',
    action_id: ACTIONS.pickProvince,
    block_id: p.block_id,
    selected_option: { value: province },
  };
  return h.onBlockActions(clickPayload(on, user, action, opts), ctx);
}

/**
 * A question back once answered: still the bot's question, then who chose what (never a bare
 * "✓ label" that reads as an answer given before the reply), and no controls.
 */
function expectAnsweredPrompt(s: Sent, label: string, user = ASKER): void {
  const blocks = blocksOf(s);
  expect(blocks.map((b) => b.type)).toEqual(['section', 'context']);
  expect(JSON.stringify(blocks[0])).toMatch(/\?|？/);
  const chose = (blocks[1]!.elements as { text: string }[])[0]!.text;
  expect(chose).toContain(`<@${user}>`);
  expect(chose).toContain(label);
  expect(chose).toMatch(/below|下方/);
  expect(String(s.args.text)).not.toMatch(/^✓/);
  expect(String(s.args.text)).toContain(label);
  expect(actionIds(s)).toEqual([]);
}

const questionLines = () =>
  logs
    .split('\n')
    .filter((l) => l.includes('"event":"question"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

// =================================================================================================

describe('answers in a DM and under a mention', () => {
  it('the expected titles name what they answer (so the tests below compare the right things)', () => {
    expect(dereg('zhejiang')).toContain('Zhejiang');
    expect(dereg('zhejiang', 'zh')).toContain('浙江');
    expect(dereg('guangxi', 'zh', true)).toContain('廣西');
    expect(new Set([dereg('zhejiang'), dereg('guangxi'), PASSWORD, RECORD_NUMBER, CONSOLE]).size).toBe(5);
  });

  it('answers a DM in the DM (no thread), with details, plain-text and feedback buttons, and nothing for agents', async () => {
    const h = setup();
    expect(await h.onMessage(dm('how do I deregister my ICP filing in Zhejiang'), ctx)).toBe('answered');
    expect(sent).toHaveLength(1);
    const s = sent[0]!;
    expect(s.method).toBe('postMessage');
    expect(s.args.channel).toBe(DM_CHANNEL);
    expect(s.args.thread_ts).toBeUndefined();
    expect(headerOf(s)).toBe(dereg('zhejiang'));
    // The notification is the whole plain answer, not only its title.
    expect(String(s.args.text)).toMatch(new RegExp(`^${dereg('zhejiang')}\\n`));
    expect(String(s.args.text)).toContain('Zhejiang Communications Administration');
    expect(answerButtons(s).map((e) => e.action_id)).toEqual(COMPLETE_EN);
    expect(labels(s)).toEqual(EN_LABELS);
    // Only the answer's buttons: no picker, no did-you-mean.
    expect(actionIds(s)).toEqual(COMPLETE_EN);
    // A DM may be with a customer: no source line (archived address, JD Cloud), our buttons last.
    const blocks = blocksOf(s);
    expect(JSON.stringify(blocks)).not.toMatch(/Archived|JD Cloud|miitbeian/);
    expect(blocks[blocks.length - 1]!.block_id).toBe(ANSWER_ACTIONS.blockId);
    // Collapsed: only the header, the summary and our buttons.
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'actions']);
    expect(questionLines()).toEqual([
      expect.objectContaining({
        surface: 'dm',
        intent: 'deregister',
        province: 'zhejiang',
        channel: DM_CHANNEL,
        event_id: 'Ev1',
      }),
    ]);
  });

  it('answers a mention in a thread under the message, without the mention in the question', async () => {
    const h = setup();
    expect(await h.onMessage(top('how do I deregister in Zhejiang', { ts: '100.0001' }), ctx)).toBe('answered');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.args).toMatchObject({ channel: 'C1', thread_ts: '100.0001' });
    expect(headerOf(sent[0]!)).toBe(dereg('zhejiang'));
    expect(answerButtons(sent[0]!).map((e) => e.action_id)).toEqual(COMPLETE_EN);
    expect(questionLines()[0]).toMatchObject({ surface: 'mention', channel: 'C1' });
  });

  it('a mention inside a thread is answered in that thread; a plain message with the mention counts too', async () => {
    const h = setup();
    expect(await h.onMessage(inThread('50.0001', '<@UBOT> how do I deregister in Jiangsu'), ctx)).toBe('answered');
    expect(sent[0]!.args).toMatchObject({ channel: 'C1', thread_ts: '50.0001' });
    expect(headerOf(sent[0]!)).toBe(dereg('jiangsu'));
    expect(
      await h.onMessage(top('<@UBOT|icpbot>: I forgot my ICP filing password', { ts: '60.0001', mention: false }), ctx),
    ).toBe('answered');
    expect(sent[1]!.args).toMatchObject({ channel: 'C1', thread_ts: '60.0001' });
    expect(headerOf(sent[1]!)).toBe(PASSWORD);
  });

  it('"Steps and details" is offered exactly when the answer has details', async () => {
    const h = setup();
    for (const q of [
      'deregister zhejiang',
      'I forgot my ICP filing password',
      'lost my record number',
      'console password',
      'what is an ICP licence',
    ]) {
      sent = [];
      await h.onMessage(dm(q), ctx);
      const a = answer(understand(q));
      if (a.ask || a.confirm || ['greeting', 'thanks', 'help', 'fallback'].includes(a.intent)) continue;
      const ids = answerButtons(sent[0]!).map((e) => e.action_id);
      expect(ids, q).toEqual(
        a.details.length > 0 ? COMPLETE_EN : COMPLETE_EN.filter((id) => id !== ANSWER_ACTIONS.details),
      );
    }
  });

  it('answers in Chinese with Chinese buttons, and in Traditional with Traditional buttons', async () => {
    const h = setup();
    await h.onMessage(dm('浙江怎么注销备案'), ctx);
    expect(headerOf(sent[0]!)).toBe(dereg('zhejiang', 'zh'));
    expect(labels(sent[0]!)).toEqual(ZH_LABELS);
    await h.onMessage(dm('如何註銷浙江的備案', OTHER), ctx);
    expect(headerOf(sent[1]!)).toBe(dereg('zhejiang', 'zh', true));
    expect(labels(sent[1]!)).toEqual(HANT_LABELS);
  });

  it('greetings, thanks, help and fallbacks carry no buttons at all', async () => {
    const h = setup();
    for (const [i, text] of ['hi', 'thanks', 'help', 'lunch?', '好的谢谢', '你好'].entries()) {
      const n = sent.length;
      // Each in its own DM, so no earlier answer is a context for it.
      expect(await h.onMessage(dm(text, `UCHAT${i}`), ctx)).toBe('answered');
      expect(since(n)).toHaveLength(1);
      expect(headerOf(last())).not.toBe('');
      expect(actionIds(last()), text).toEqual([]);
    }
  });

  it('questions back (picker, near-pair buttons, did-you-mean) carry only their own controls', async () => {
    const h = setup();
    expect(await h.onMessage(dm('how do I deregister my ICP filing'), ctx)).toBe('asked');
    expect(actionIds(sent[0]!)).toEqual([ACTIONS.pickProvince]);
    expect(await h.onMessage(dm('deregister shanxy', OTHER), ctx)).toBe('asked');
    expect(actionIds(sent[1]!)).toEqual([`${ACTIONS.chooseProvince}:shanxi`, `${ACTIONS.chooseProvince}:shaanxi`]);
    expect(await h.onMessage(dm('forgot password', THIRD), ctx)).toBe('asked');
    expect(actionIds(sent[2]!)).toEqual([
      `${ACTIONS.chooseIntent}:forgot_password`,
      `${ACTIONS.chooseIntent}:console_password`,
    ]);
    for (const s of sent) {
      expect(blocksOf(s).some((b) => b.block_id === ANSWER_ACTIONS.blockId)).toBe(false);
      // All three controls point back to a remembered question.
      const ask = blocksOf(s).find((b) => String(b.block_id ?? '').startsWith('icp_province:'));
      const ref = String(ask?.block_id).slice('icp_province:'.length);
      expect((await store.get(`ref:${ref}`))?.user).toBeDefined();
    }
  });

  it('ignores channel chatter, its own and other bots’ messages, edits; reports a failed post and remembers nothing', async () => {
    const h = setup();
    expect(await h.onMessage(top('deregister zhejiang', { mention: false }), ctx)).toBe('ignored');
    expect(await h.onMessage({ ...dm('deregister zhejiang'), user: 'UBOT' }, ctx)).toBe('ignored');
    expect(await h.onMessage({ ...dm('deregister zhejiang'), bot_id: 'B1' }, ctx)).toBe('ignored');
    expect(await h.onMessage({ ...dm('deregister zhejiang'), subtype: 'message_changed' }, ctx)).toBe('ignored');
    expect(sent).toEqual([]);
    failPosts = true;
    expect(await h.onMessage(dm('deregister zhejiang'), ctx)).toBe('failed');
    expect(await h.onMessage(dm('how do I deregister my ICP filing'), ctx)).toBe('failed');
    expect(store.size).toBe(0);
  });
});

describe('province picker', () => {
  it('asks without a province: the picker comes right after the summary, with every province', async () => {
    const h = setup();
    await h.onMessage(dm('how do I deregister my ICP filing'), ctx);
    const blocks = blocksOf(sent[0]!);
    expect(blocks.map((b) => b.type)).toEqual(['section', 'actions']);
    expect(blocks[1]!.block_id).toMatch(/^icp_province:[A-Za-z0-9_-]{12}$/);
    const select = (blocks[1]!.elements as El[])[0]!;
    expect(select.type).toBe('static_select');
    const values = (select.options as { value: string }[]).map((o) => o.value);
    expect(values).toContain('zhejiang');
    expect(values.length).toBeGreaterThanOrEqual(31);
  });

  it('a pick by the asker marks the question back with who chose 浙江 Zhejiang, then answers below it in the thread', async () => {
    const h = setup();
    expect(await h.onMessage(top('how do I deregister my ICP filing', { ts: '100.0001' }), ctx)).toBe('asked');
    const question = sent[0]!;
    expect(question.args.thread_ts).toBe('100.0001');
    expect(await pick(h, question, 'zhejiang')).toBe('completed');
    const [marked, answerMsg, ...rest] = since(1);
    expect(rest).toEqual([]);
    expect(marked!.method).toBe('respond');
    expect(marked!.url).toBe(RESPONSE_URL);
    expect(marked!.args.replace_original).toBe(true);
    expectAnsweredPrompt(marked!, '浙江 Zhejiang');
    expect(answerMsg!.method).toBe('postMessage');
    expect(answerMsg!.args).toMatchObject({ channel: 'C1', thread_ts: '100.0001' });
    expect(headerOf(answerMsg!)).toBe(dereg('zhejiang'));
    expect(answerButtons(answerMsg!).map((e) => e.action_id)).toEqual(COMPLETE_EN);
    expect(questionLines().map((l) => l.surface)).toEqual(['mention', 'pick']);
    expect(questionLines()[1]).toMatchObject({ intent: 'deregister', province: 'zhejiang', channel: 'C1' });
    // Answered: the same pick again finds nothing.
    expect(await pick(h, question, 'zhejiang')).toBe('notified');
    expect(String(last().args.text)).toMatch(/no longer have that question/);
  });

  it('another user’s pick is refused (only to them), and the asker can still pick', async () => {
    const h = setup();
    await h.onMessage(top('how do I deregister my ICP filing', { ts: '100.0001' }), ctx);
    const question = sent[0]!;
    expect(await pick(h, question, 'zhejiang', OTHER)).toBe('notified');
    expect(sent).toHaveLength(2);
    expect(last().method).toBe('postEphemeral');
    expect(last().args).toMatchObject({ channel: 'C1', user: OTHER, thread_ts: '100.0001' });
    expect(String(last().args.text)).toBe(
      `This is <@${ASKER}>’s question. Ask your own question and I will answer you too.`,
    );
    expect(await pick(h, question, 'zhejiang', ASKER)).toBe('completed');
  });

  it('a Chinese question’s refusal is in Chinese', async () => {
    const h = setup();
    await h.onMessage(dm('怎么注销备案'), ctx);
    await pick(h, sent[0]!, 'zhejiang', OTHER);
    expect(String(last().args.text)).toContain(`这是 <@${ASKER}> 的问题`);
  });

  it('an expired or unknown question gets a kind notice in the language of the message', async () => {
    const h = setup();
    await h.onMessage(dm('how do I deregister my ICP filing'), ctx);
    now += TTL;
    expect(await pick(h, sent[0]!, 'zhejiang')).toBe('notified');
    expect(last().method).toBe('postEphemeral');
    expect(last().args).toMatchObject({ channel: DM_CHANNEL, user: ASKER });
    expect(String(last().args.text)).toBe(
      'Sorry, I no longer have that question (a question I asked back waits 1 minute for your answer). Please ask it again and I will answer right away.',
    );
    expect(posts()).toHaveLength(1);

    await h.onMessage(dm('怎么注销备案'), ctx);
    now += TTL + 1;
    await pick(h, last(), 'zhejiang');
    expect(String(last().args.text)).toBe(
      '抱歉，这个问题已过期（我追问的问题保留 1 分钟）。请重新提问，我会马上回答。',
    );

    const forged = clickPayload(sent[0]!, ASKER, {
      type: 'static_select',
      action_id: ACTIONS.pickProvince,
      block_id: 'icp_province:nope',
      selected_option: { value: 'zhejiang' },
    });
    expect(await h.onBlockActions(forged, ctx)).toBe('notified');
    expect(String(last().args.text)).toMatch(/no longer have that question/);
  });

  it('a value that is not a province id is refused and the question keeps waiting', async () => {
    const h = setup();
    await h.onMessage(dm('how do I deregister my ICP filing'), ctx);
    expect(await pick(h, sent[0]!, 'Zhejiang<script>')).toBe('notified');
    expect(posts()).toHaveLength(1);
    expect(await pick(h, sent[0]!, 'zhejiang')).toBe('completed');
  });

  it('a typed province in the DM completes it; the question back is updated in place by its ts', async () => {
    const h = setup();
    await h.onMessage(dm('how do I deregister my ICP filing'), ctx);
    const question = sent[0]!;
    expect(await h.onMessage(dm('Hangzhou'), ctx)).toBe('completed');
    const [update, answerMsg, ...rest] = since(1);
    expect(rest).toEqual([]);
    expect(update!.method).toBe('update');
    expect(update!.args).toMatchObject({ channel: DM_CHANNEL, ts: question.ts });
    expectAnsweredPrompt(update!, '浙江 Zhejiang');
    expect(answerMsg!.args.channel).toBe(DM_CHANNEL);
    expect(answerMsg!.args.thread_ts).toBeUndefined();
    expect(headerOf(answerMsg!)).toBe(dereg('zhejiang'));
    expect(questionLines().map((l) => l.surface)).toEqual(['dm', 'typed']);
    // Forgotten: the picker is stale now.
    expect(await pick(h, question, 'zhejiang')).toBe('notified');
  });

  it('a typed province in the thread completes it; others typing there are not the asker', async () => {
    const h = setup();
    await h.onMessage(top('how do I deregister my ICP filing', { ts: '100.0001' }), ctx);
    const question = sent[0]!;
    // Not the asker, no answer in the thread yet: ignored.
    expect(await h.onMessage(inThread('100.0001', 'Zhejiang', OTHER), ctx)).toBe('ignored');
    // The asker chatting: not a province, the question keeps waiting.
    expect(await h.onMessage(inThread('100.0001', 'lunch?'), ctx)).toBe('ignored');
    expect(sent).toHaveLength(1);
    expect(await h.onMessage(inThread('100.0001', '浙ICP备12345678号'), ctx)).toBe('completed');
    expect(since(1).map((s) => s.method)).toEqual(['update', 'postMessage']);
    expect(sent[1]!.args).toMatchObject({ channel: 'C1', ts: question.ts });
    expectAnsweredPrompt(sent[1]!, '浙江 Zhejiang');
    expect(sent[2]!.args).toMatchObject({ channel: 'C1', thread_ts: '100.0001' });
    expect(headerOf(sent[2]!)).toBe(dereg('zhejiang'));
  });

  it('the whole question asked again with its place, in another language, is answered as asked', async () => {
    const h = setup();
    await h.onMessage(dm('How do I deregister?'), ctx);
    expect(await h.onMessage(dm('浙江注销备案'), ctx)).toBe('completed');
    expect(headerOf(sent[2]!)).toBe(dereg('zhejiang', 'zh'));
  });

  it('the question keeps its language: a Traditional question back is completed in Traditional', async () => {
    const h = setup();
    await h.onMessage(dm('如何註銷備案'), ctx);
    expect(String(sent[0]!.args.text)).toMatch(new RegExp(`^${titleOf({ lang: 'zh', traditional: true })}`));
    expect(await h.onMessage(dm('廣東'), ctx)).toBe('completed');
    // A typed reply: "回覆了", the province in the question's script (not 选择了广东 in a Traditional note).
    expectAnsweredPrompt(sent[1]!, '廣東 Guangdong');
    const note = (blocksOf(sent[1]!)[1]!.elements as { text: string }[])[0]!.text;
    expect(note).toBe(`<@${ASKER}> 回覆了廣東 Guangdong，回答見下方。`);
    expect(String(sent[1]!.args.text)).not.toMatch(/广东|選擇了/);
    expect(headerOf(sent[2]!)).toBe(dereg('guangdong', 'zh', true));
    expect(labels(sent[2]!)).toEqual(HANT_LABELS);
  });

  it('a Traditional question back picked from its list says 選擇了 with the province in Traditional', async () => {
    const h = setup();
    await h.onMessage(dm('如何註銷備案'), ctx);
    expect(await pick(h, sent[0]!, 'guangdong')).toBe('completed');
    expectAnsweredPrompt(sent[1]!, '廣東 Guangdong');
    const note = (blocksOf(sent[1]!)[1]!.elements as { text: string }[])[0]!.text;
    expect(note).toBe(`<@${ASKER}> 選擇了廣東 Guangdong，回答見下方。`);
    expect(headerOf(sent[2]!)).toBe(dereg('guangdong', 'zh', true));
  });

  it('a typed English reply says who replied, not who chose', async () => {
    const h = setup();
    await h.onMessage(dm('How do I deregister?'), ctx);
    expect(await h.onMessage(dm('Hunan'), ctx)).toBe('completed');
    expectAnsweredPrompt(sent[1]!, '湖南 Hunan');
    expect(String(sent[1]!.args.text)).toContain(`<@${ASKER}> replied 湖南 Hunan; the answer follows below.`);
  });

  it('a new core question replaces the waiting one instead of completing it', async () => {
    const h = setup();
    await h.onMessage(dm('how do I deregister my ICP filing'), ctx);
    expect(await h.onMessage(dm('I forgot my ICP filing password for Zhejiang'), ctx)).toBe('answered');
    expect(sent.map((s) => s.method)).toEqual(['postMessage', 'postMessage']);
    expect(headerOf(sent[1]!)).toBe(PASSWORD);
  });

  it('a waiting question expires with the TTL: a typed province is then a question of its own', async () => {
    const h = setup();
    await h.onMessage(dm('how do I deregister my ICP filing'), ctx);
    now += TTL;
    expect(await h.onMessage(dm('Zhejiang'), ctx)).toBe('answered');
    expect(sent.map((s) => s.method)).toEqual(['postMessage', 'postMessage']);
  });

  it('near-pair buttons: choosing one marks the question and answers for that province', async () => {
    const h = setup();
    await h.onMessage(dm('deregister shanxy'), ctx);
    expect(await press(h, sent[0]!, `${ACTIONS.chooseProvince}:shaanxi`)).toBe('completed');
    expectAnsweredPrompt(sent[1]!, '陕西 Shaanxi');
    expect(sent[1]!.args.replace_original).toBe(true);
    expect(headerOf(sent[2]!)).toBe(dereg('shaanxi'));
  });
});

describe('did-you-mean', () => {
  it('"forgot password" alone asks which password, with two buttons', async () => {
    const h = setup();
    expect(await h.onMessage(dm('forgot password'), ctx)).toBe('asked');
    const q = sent[0]!;
    expect(headerOf(q)).toBe(
      'Do you mean the ICP filing password (工信部备案密码), or the login password of the cloud console?',
    );
    expect(blocksOf(q).map((b) => b.type)).toEqual(['section', 'actions']);
    expect(elementsOf(q).map((e) => [e.action_id, (e.text as { text: string }).text, e.value])).toEqual([
      ['icp_choose_intent:forgot_password', 'ICP filing password', 'forgot_password'],
      ['icp_choose_intent:console_password', 'Console login password', 'console_password'],
    ]);
  });

  it('choosing the filing password answers it (SMS since 17 August 2020) and marks the question in place', async () => {
    const h = setup();
    await h.onMessage(dm('forgot password'), ctx);
    expect(await press(h, sent[0]!, 'icp_choose_intent:forgot_password')).toBe('completed');
    const [marked, answerMsg, ...rest] = since(1);
    expect(rest).toEqual([]);
    expect(marked!.method).toBe('respond');
    expect(marked!.args.replace_original).toBe(true);
    expectAnsweredPrompt(marked!, 'ICP filing password');
    expect(answerMsg!.method).toBe('postMessage');
    expect(answerMsg!.args.channel).toBe(DM_CHANNEL);
    expect(headerOf(answerMsg!)).toBe(PASSWORD);
    expect(textOf(answerMsg!)).toContain('17 August 2020');
    expect(textOf(answerMsg!)).toContain('SMS');
    expect(answerButtons(answerMsg!).map((e) => e.action_id)).toEqual(COMPLETE_EN);
    expect(actionIds(answerMsg!).some((id) => id.startsWith(ACTIONS.chooseIntent))).toBe(false);
    expect(questionLines().pop()).toMatchObject({ surface: 'pick', intent: 'forgot_password' });
  });

  it('choosing the console password answers that instead; another user cannot choose', async () => {
    const h = setup();
    await h.onMessage(dm('forgot password'), ctx);
    expect(await press(h, sent[0]!, 'icp_choose_intent:console_password', OTHER)).toBe('notified');
    expect(String(last().args.text)).toContain(`<@${ASKER}>`);
    expect(await press(h, sent[0]!, 'icp_choose_intent:console_password')).toBe('completed');
    expectAnsweredPrompt(sent[2]!, 'Console login password');
    expect(headerOf(sent[3]!)).toBe(CONSOLE);
  });

  it('a forged intent value is refused', async () => {
    const h = setup();
    await h.onMessage(dm('forgot password'), ctx);
    const b = find(sent[0]!, 'icp_choose_intent:forgot_password');
    const forged = clickPayload(sent[0]!, ASKER, {
      type: 'button',
      action_id: 'icp_choose_intent:x',
      block_id: b.block_id,
      value: 'Robert"); DROP',
    });
    expect(await h.onBlockActions(forged, ctx)).toBe('notified');
    expect(posts()).toHaveLength(1);
  });

  it('in Chinese, the buttons and the mark are Chinese', async () => {
    const h = setup();
    await h.onMessage(dm('忘记密码'), ctx);
    expect(elementsOf(sent[0]!).map((e) => (e.text as { text: string }).text)).toEqual([
      '工信部备案密码',
      '控制台登录密码',
    ]);
    await press(h, sent[0]!, 'icp_choose_intent:forgot_password');
    expectAnsweredPrompt(sent[1]!, '工信部备案密码');
    expect(headerOf(sent[2]!)).toBe(PASSWORD_ZH);
    expect(textOf(sent[2]!)).toContain('2020年8月17日');
  });
});

describe('"Steps and details"', () => {
  it('replaces the message in place with the same answer expanded, without the details button', async () => {
    const h = setup();
    await h.onMessage(dm('how do I deregister my ICP filing in Zhejiang'), ctx);
    const original = sent[0]!;
    expect(await press(h, original, ANSWER_ACTIONS.details)).toBe('answered');
    expect(sent).toHaveLength(2);
    const r = sent[1]!;
    expect(r.method).toBe('respond');
    expect(r.url).toBe(RESPONSE_URL);
    expect(r.args.replace_original).toBe(true);
    expect(r.args.text).toBe(original.args.text);
    expect(answerButtons(r).map((e) => e.action_id)).toEqual([
      ANSWER_ACTIONS.plainText,
      ANSWER_ACTIONS.helpful,
      ANSWER_ACTIONS.notHelpful,
    ]);
    // The same header and summary, then the details; our buttons stay last, and nothing for agents comes.
    const blocks = blocksOf(r);
    const before = blocksOf(original);
    expect(blocks.slice(0, 2)).toEqual(before.slice(0, 2));
    expect(blocks[blocks.length - 1]!.block_id).toBe(ANSWER_ACTIONS.blockId);
    expect(JSON.stringify(blocks)).not.toMatch(/Archived|JD Cloud|miitbeian/);
    const details = answer(understand('how do I deregister my ICP filing in Zhejiang')).details;
    expect(details.length).toBeGreaterThan(0);
    expect(blocks).toHaveLength(before.length + details.length);
    expect(textOf(original)).not.toContain(firstDetail('how do I deregister my ICP filing in Zhejiang'));
    expect(textOf(r)).toContain(firstDetail('how do I deregister my ICP filing in Zhejiang'));
  });

  it('keeps the language, and "Post to channel" on an /icp answer', async () => {
    const h = setup();
    await h.onSlashCommand(
      { text: '浙江怎么注销备案', response_url: RESPONSE_URL, channel_id: 'C1', user_id: ASKER, team_id: 'T1' },
      ctx,
    );
    expect(await press(h, sent[0]!, ANSWER_ACTIONS.details, ASKER, { ephemeral: true })).toBe('answered');
    const r = last();
    expect(r.args.replace_original).toBe(true);
    expect(headerOf(r)).toBe(dereg('zhejiang', 'zh'));
    expect(labels(r)).toEqual(['发到频道', '给客户的纯文本', '有帮助', '没有帮助']);
  });

  it('without a response_url it fails rather than post a second copy', async () => {
    const h = setup();
    await h.onMessage(dm('deregister zhejiang'), ctx);
    expect(await press(h, sent[0]!, ANSWER_ACTIONS.details, ASKER, { responseUrl: null })).toBe('failed');
    expect(sent).toHaveLength(1);
  });
});

describe('"Plain text for customer"', () => {
  const plainOf = (s: Sent): string =>
    blocksOf(s)
      .filter((b) => b.type === 'section')
      .map((b) => (b.text as { text: string }).text)
      .join('');

  function expectCustomerText(s: Sent): void {
    for (const b of blocksOf(s).filter((x) => x.type === 'section'))
      expect((b.text as { type: string }).type).toBe('plain_text');
    const text = String(s.args.text);
    expect(plainOf(s)).toBe(text.trim());
    for (const w of NO_AGENT_WORDS) expect(text).not.toContain(w);
    // No Slack markup: no <url|label> links, no bold.
    expect(text).not.toMatch(/<https?:|\|[^|]*>|\*[^*\s][^*]*\*/);
  }

  it('is ephemeral plain text with full URLs and no agent-facing source, with a "Full text" button', async () => {
    const h = setup();
    await h.onMessage(dm('how do I deregister my ICP filing in Zhejiang'), ctx);
    expect(await press(h, sent[0]!, ANSWER_ACTIONS.plainText)).toBe('notified');
    const p = last();
    expect(p.method).toBe('postEphemeral');
    expect(p.args).toMatchObject({ channel: DM_CHANNEL, user: ASKER });
    expectCustomerText(p);
    expect(String(p.args.text)).toMatch(/https:\/\/beian\.miit\.gov\.cn/);
    expect(JSON.stringify(blocksOf(p)[0])).toContain('Plain text, ready to paste to a customer:');
    expect(actionIds(p)).toEqual([ANSWER_ACTIONS.fullText]);
    expect(labels(p)).toEqual(['Full text']);

    expect(await press(h, p, ANSWER_ACTIONS.fullText)).toBe('notified');
    const full = last();
    expect(full.method).toBe('postEphemeral');
    expectCustomerText(full);
    // The summary, then the details.
    expect(String(full.args.text).startsWith(String(p.args.text).trim())).toBe(true);
    expect(String(full.args.text).length).toBeGreaterThan(String(p.args.text).length);
    expect(String(p.args.text)).not.toContain(firstDetail('how do I deregister my ICP filing in Zhejiang'));
    expect(String(full.args.text)).toContain(firstDetail('how do I deregister my ICP filing in Zhejiang'));
    expect(actionIds(full)).toEqual([]);
  });

  it('never carries the source line in any core answer, in either language or script', async () => {
    const h = setup();
    for (const [i, q] of [
      'deregister zhejiang',
      '浙江怎么注销备案',
      '如何註銷浙江的備案',
      'I forgot my ICP filing password',
      '我忘記了備案密碼',
      'lost my record number',
      'deregister guangdong',
    ].entries()) {
      sent = [];
      await h.onMessage(dm(q, `UPLAIN${i}`), ctx);
      const answerMsg = sent[0]!;
      expect(answerButtons(answerMsg).length, q).toBeGreaterThan(0);
      await press(h, answerMsg, ANSWER_ACTIONS.plainText);
      expectCustomerText(last());
      if (answer(understand(q)).details.length > 0) {
        await press(h, last(), ANSWER_ACTIONS.fullText);
        expectCustomerText(last());
      } else {
        expect(actionIds(last())).toEqual([]);
      }
    }
  });

  it('in a thread it goes to the clicker in that thread, in the answer’s language', async () => {
    const h = setup();
    await h.onMessage(top('浙江怎么注销备案', { ts: '100.0001' }), ctx);
    await press(h, sent[0]!, ANSWER_ACTIONS.plainText, OTHER);
    expect(last().args).toMatchObject({ channel: 'C1', user: OTHER, thread_ts: '100.0001' });
    expect(JSON.stringify(blocksOf(last())[0])).toContain('纯文本，可直接粘贴给客户');
    expect(labels(last())).toEqual(['完整内容']);
  });

  it('a tampered button value gets the expiry notice', async () => {
    const h = setup();
    await h.onMessage(dm('deregister zhejiang'), ctx);
    const b = find(sent[0]!, ANSWER_ACTIONS.plainText);
    expect(
      await h.onBlockActions(
        clickPayload(sent[0]!, ASKER, {
          type: 'button',
          action_id: ANSWER_ACTIONS.plainText,
          block_id: b.block_id,
          value: '{"v":9}',
        }),
        ctx,
      ),
    ).toBe('notified');
    expect(String(last().args.text)).toMatch(/no longer have that question/);
  });
});

describe('feedback, /icp and "Post to channel"', () => {
  it('feedback is logged with intent and confidence and thanked, privately', async () => {
    const h = setup();
    await h.onMessage(dm('deregister zhejiang'), ctx);
    expect(await press(h, sent[0]!, ANSWER_ACTIONS.helpful)).toBe('notified');
    expect(last().args).toMatchObject({ channel: DM_CHANNEL, user: ASKER, text: 'Thanks — glad it helped.' });
    expect(logs).toMatch(
      /"event":"feedback","helpful":true,"intent":"deregister","confidence":(0\.\d+|1),"province":"zhejiang"/,
    );
    // One vote per person and answer (was: a second vote on the same answer was counted too).
    expect(await press(h, sent[0]!, ANSWER_ACTIONS.notHelpful)).toBe('notified');
    expect(last().args.text).toBe('You have already given feedback on this answer — thank you.');
    expect(logs).not.toMatch(/"event":"feedback","helpful":false/);
    await h.onMessage(dm('deregister guangdong'), ctx);
    const second = posts()[posts().length - 1]!;
    expect(await press(h, second, ANSWER_ACTIONS.notHelpful)).toBe('notified');
    expect(logs).toMatch(/"event":"feedback","helpful":false/);
    expect(
      await h.onBlockActions(
        clickPayload(sent[0]!, ASKER, { type: 'button', action_id: 'something_else', value: 'x' }),
        ctx,
      ),
    ).toBe('ignored');
    expect(await h.onBlockActions({ type: 'view_submission' }, ctx)).toBe('ignored');
  });

  it('/icp answers privately via response_url with "Post to channel" first; help has no buttons', async () => {
    const h = setup();
    expect(
      await h.onSlashCommand(
        { text: 'deregister zhejiang', response_url: RESPONSE_URL, channel_id: 'C1', user_id: ASKER, team_id: 'T1' },
        ctx,
      ),
    ).toBe('answered');
    expect(sent[0]).toMatchObject({ method: 'respond', url: RESPONSE_URL, args: { response_type: 'ephemeral' } });
    expect(answerButtons(sent[0]!).map((e) => e.action_id)).toEqual([ANSWER_ACTIONS.postToChannel, ...COMPLETE_EN]);
    expect(labels(sent[0]!)[0]).toBe('Post to channel');
    expect(questionLines()[0]).toMatchObject({ surface: 'slash' });

    for (const text of ['', 'help', '帮助']) {
      expect(await h.onSlashCommand({ text, response_url: RESPONSE_URL, channel_id: 'C1', user_id: ASKER }, ctx)).toBe(
        'answered',
      );
      expect(actionIds(last())).toEqual([]);
      const blocks = blocksOf(last());
      expect(JSON.stringify(blocks[blocks.length - 1])).toContain(text === '帮助' ? '用法' : 'Usage');
    }
    expect(await h.onSlashCommand({ text: 'deregister zhejiang' }, ctx)).toBe('ignored');
  });

  it('/icp small talk and questions back have no answer buttons', async () => {
    const h = setup();
    await h.onSlashCommand({ text: 'thanks', response_url: RESPONSE_URL, channel_id: 'C1', user_id: ASKER }, ctx);
    expect(actionIds(sent[0]!)).toEqual([]);
    expect(
      await h.onSlashCommand(
        { text: 'forgot password', response_url: RESPONSE_URL, channel_id: 'C1', user_id: ASKER },
        ctx,
      ),
    ).toBe('asked');
    expect(actionIds(sent[1]!)).toEqual(['icp_choose_intent:forgot_password', 'icp_choose_intent:console_password']);
  });

  it('/icp’s picker is answered privately in place, keeping "Post to channel"', async () => {
    const h = setup();
    expect(
      await h.onSlashCommand(
        {
          text: 'how do I deregister my ICP filing',
          response_url: RESPONSE_URL,
          channel_id: 'C1',
          user_id: ASKER,
          team_id: 'T1',
        },
        ctx,
      ),
    ).toBe('asked');
    expect(await pick(h, sent[0]!, 'zhejiang', ASKER, { ephemeral: true })).toBe('completed');
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ method: 'respond', args: { response_type: 'ephemeral', replace_original: true } });
    expect(headerOf(sent[1]!)).toBe(dereg('zhejiang'));
    expect(answerButtons(sent[1]!)[0]!.action_id).toBe(ANSWER_ACTIONS.postToChannel);
    // A slash question waits in no conversation: typing in the channel does nothing.
    expect(await h.onMessage(top('Zhejiang', { mention: false }), ctx)).toBe('ignored');
  });

  it('"Post to channel" posts the answer for everyone with who asked, then removes the private copy', async () => {
    const h = setup();
    await h.onSlashCommand(
      { text: 'deregister zhejiang', response_url: RESPONSE_URL, channel_id: 'C1', user_id: ASKER },
      ctx,
    );
    expect(await press(h, sent[0]!, ANSWER_ACTIONS.postToChannel, ASKER, { ephemeral: true })).toBe('answered');
    const [posted, removed, ...rest] = since(1);
    expect(rest).toEqual([]);
    expect(posted).toMatchObject({
      method: 'respond',
      url: RESPONSE_URL,
      args: { response_type: 'in_channel', replace_original: false },
    });
    expect(JSON.stringify(blocksOf(posted!)[0])).toContain(`<@${ASKER}> asked: deregister zhejiang`);
    expect(headerOf(posted!)).toBe(dereg('zhejiang'));
    // The public copy has no "Post to channel" of its own.
    expect(answerButtons(posted!).map((e) => e.action_id)).toEqual(COMPLETE_EN);
    expect(removed).toMatchObject({ method: 'respond', url: RESPONSE_URL, args: { delete_original: true } });
  });
});

describe('follow-ups in a thread', () => {
  const THREAD = '100.0001';
  async function answeredThread(h: Handlers, question = 'how do I deregister in Zhejiang'): Promise<string> {
    expect(await h.onMessage(top(question, { ts: THREAD }), ctx)).toBe('answered');
    sent = [];
    return THREAD;
  }

  it('a place alone moves the deregistration there, for anyone in the thread, without a mention', async () => {
    const h = setup();
    const thread = await answeredThread(h);
    expect(await h.onMessage(inThread(thread, 'what about Guangxi?', OTHER), ctx)).toBe('answered');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.args).toMatchObject({ channel: 'C1', thread_ts: thread });
    expect(headerOf(sent[0]!)).toBe(dereg('guangxi'));
    expect(answerButtons(sent[0]!).map((e) => e.action_id)).toEqual(COMPLETE_EN);
    expect(questionLines().pop()).toMatchObject({
      surface: 'followup',
      intent: 'deregister',
      province: 'guangxi',
      channel: 'C1',
    });

    expect(await h.onMessage(inThread(thread, '浙ICP备12345678号'), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(dereg('zhejiang'));
    expect(last().args.thread_ts).toBe(thread);
  });

  it('"那广东呢" in a Chinese thread answers for Guangdong in Chinese', async () => {
    const h = setup();
    const thread = await answeredThread(h, '浙江怎么注销备案');
    expect(await h.onMessage(inThread(thread, '那广东呢', THIRD), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(dereg('guangdong', 'zh'));
    expect(labels(last())).toEqual(ZH_LABELS);
  });

  it('a near pair in a follow-up asks with buttons, and the choice answers in the thread', async () => {
    const h = setup();
    const thread = await answeredThread(h);
    expect(await h.onMessage(inThread(thread, 'what about shanxy?', OTHER), ctx)).toBe('asked');
    expect(actionIds(sent[0]!)).toEqual([`${ACTIONS.chooseProvince}:shanxi`, `${ACTIONS.chooseProvince}:shaanxi`]);
    expect(await press(h, sent[0]!, `${ACTIONS.chooseProvince}:shanxi`, OTHER)).toBe('completed');
    expect(sent[2]!.args).toMatchObject({ channel: 'C1', thread_ts: thread });
    expect(headerOf(sent[2]!)).toBe(dereg('shanxi'));
  });

  it('a language switch re-answers the last answer in that language', async () => {
    const h = setup();
    const thread = await answeredThread(h);
    expect(await h.onMessage(inThread(thread, 'in Chinese please', OTHER), ctx)).toBe('answered');
    expect(last().args.thread_ts).toBe(thread);
    expect(headerOf(last())).toBe(dereg('zhejiang', 'zh'));
    expect(labels(last())).toEqual(ZH_LABELS);
    // The re-answer is the context now.
    expect(await h.onMessage(inThread(thread, '那广西呢'), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(dereg('guangxi', 'zh'));
    // "英文" switches back, for the last province.
    expect(await h.onMessage(inThread(thread, '英文'), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(dereg('guangxi'));
    expect(labels(last())).toEqual(EN_LABELS);
    expect(await h.onMessage(inThread(thread, '請用繁體'), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(dereg('guangxi', 'zh', true));
    expect(labels(last())).toEqual(HANT_LABELS);
    expect(sent).toHaveLength(4);
    expect(
      questionLines()
        .slice(1)
        .map((l) => l.surface),
    ).toEqual(['followup', 'followup', 'followup', 'followup']);
  });

  it('another core topic is answered directly: "and the password?" is the filing password, no did-you-mean', async () => {
    const h = setup();
    const thread = await answeredThread(h);
    expect(await h.onMessage(inThread(thread, 'and the password?', OTHER), ctx)).toBe('answered');
    expect(sent).toHaveLength(1);
    expect(headerOf(sent[0]!)).toBe(PASSWORD);
    expect(textOf(sent[0]!)).toContain('17 August 2020');
    expect(actionIds(sent[0]!).some((id) => id.startsWith(ACTIONS.chooseIntent))).toBe(false);
    expect(answerButtons(sent[0]!).map((e) => e.action_id)).toEqual(COMPLETE_EN);
    expect(await h.onMessage(inThread(thread, 'and the record number?', OTHER), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(RECORD_NUMBER);
    // The last answer is the context: the language switch re-answers the record number.
    expect(await h.onMessage(inThread(thread, 'in Chinese please'), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(titleOf({ intent: 'lost_record_number', lang: 'zh' }));
  });

  it('the place of the last question carries over to a deregistration asked next', async () => {
    const h = setup();
    const thread = await answeredThread(h, 'I forgot my ICP filing password for Zhejiang');
    expect(await h.onMessage(inThread(thread, 'how do I deregister my ICP filing'), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(dereg('zhejiang'));
  });

  it('what is not a follow-up is ignored without a mention: thanks, chatter, other threads, top level', async () => {
    const h = setup();
    const thread = await answeredThread(h);
    for (const text of ['ok thanks', 'lunch?', 'hi', 'ok', '好的谢谢'])
      expect(await h.onMessage(inThread(thread, text, OTHER), ctx), text).toBe('ignored');
    expect(await h.onMessage(inThread('999.0001', 'what about Guangxi?'), ctx)).toBe('ignored');
    expect(await h.onMessage(inThread(thread, 'what about Guangxi?', ASKER, 'C2'), ctx)).toBe('ignored');
    expect(await h.onMessage(top('what about Guangxi?', { mention: false }), ctx)).toBe('ignored');
    expect(sent).toEqual([]);
    // The context is still there for a real follow-up.
    expect(await h.onMessage(inThread(thread, 'what about Guangxi?', OTHER), ctx)).toBe('answered');
  });

  it('with a mention, a follow-up is still read in the thread’s light', async () => {
    const h = setup();
    const thread = await answeredThread(h);
    expect(await h.onMessage(inThread(thread, '<@UBOT> in Chinese please', OTHER), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(dereg('zhejiang', 'zh'));
    // A mention that is no follow-up is answered as itself.
    expect(await h.onMessage(inThread(thread, '<@UBOT> thanks', OTHER), ctx)).toBe('answered');
    expect(last().args.thread_ts).toBe(thread);
    // In the language asked for: it holds in the thread.
    // (A reply that starts with its title has no header: the text starts with it.)
    expect(headerOf(last()).startsWith(titleOf({ intent: 'thanks', lang: 'zh' }))).toBe(true);
    expect(actionIds(last())).toEqual([]);
  });

  it('a question back is no context: nobody can follow up on a picker', async () => {
    const h = setup();
    await h.onMessage(top('how do I deregister my ICP filing', { ts: THREAD }), ctx);
    expect(await h.onMessage(inThread(THREAD, 'in Chinese please', OTHER), ctx)).toBe('ignored');
    expect(await h.onMessage(inThread(THREAD, 'and the password?', OTHER), ctx)).toBe('ignored');
    expect(sent).toHaveLength(1);
  });

  it('the context expires with the TTL, and each answer renews it', async () => {
    const h = setup();
    const thread = await answeredThread(h);
    expect(await store.getContext(contextKey('C1', thread, false))).toMatchObject({
      understanding: { intent: 'deregister', province: 'zhejiang' },
      answeredAt: now,
    });
    now += TTL - 1000;
    expect(await h.onMessage(inThread(thread, 'what about Guangxi?'), ctx)).toBe('answered');
    now += TTL - 1000;
    // 2 × TTL - 2 s after the first answer, but only TTL - 1 s after the last.
    expect(await h.onMessage(inThread(thread, 'in Chinese please'), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(dereg('guangxi', 'zh'));
    now += TTL;
    expect(await h.onMessage(inThread(thread, 'in English please'), ctx)).toBe('ignored');
    expect(await h.onMessage(inThread(thread, 'what about Hunan?'), ctx)).toBe('ignored');
    expect(await store.getContext(contextKey('C1', thread, false))).toBeUndefined();
  });

  it('a completed picker question becomes the context of its thread', async () => {
    const h = setup();
    await h.onMessage(top('how do I deregister my ICP filing', { ts: THREAD }), ctx);
    await pick(h, sent[0]!, 'zhejiang');
    expect(await h.onMessage(inThread(THREAD, 'what about Guangxi?', OTHER), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(dereg('guangxi'));
  });

  it('a Traditional conversation follows up in Traditional', async () => {
    const h = setup();
    const thread = await answeredThread(h, '如何註銷浙江的備案');
    expect(await h.onMessage(inThread(thread, '那廣西呢', OTHER), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(dereg('guangxi', 'zh', true));
    expect(labels(last())).toEqual(HANT_LABELS);
    expect(await h.onMessage(inThread(thread, '密碼呢？我忘記了備案密碼', OTHER), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(titleOf({ intent: 'forgot_password', lang: 'zh', traditional: true }));
    expect(labels(last())).toEqual(HANT_LABELS);
  });
});

describe('the language asked for holds in the conversation', () => {
  const THREAD = '100.0001';

  it('in a thread: after "in Chinese please", "and the password?" is answered in Chinese, until "in English please"', async () => {
    const h = setup();
    await h.onMessage(top('how do I deregister in Zhejiang', { ts: THREAD }), ctx);
    await h.onMessage(inThread(THREAD, 'in Chinese please', OTHER), ctx);
    expect(headerOf(last())).toBe(dereg('zhejiang', 'zh'));
    expect(await h.onMessage(inThread(THREAD, 'what about Guangxi?'), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(dereg('guangxi', 'zh'));
    expect(await h.onMessage(inThread(THREAD, 'and the password?'), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(titleOf({ intent: 'forgot_password', lang: 'zh' }));
    expect(labels(last())).toEqual(ZH_LABELS);
    await h.onMessage(inThread(THREAD, 'in English please'), ctx);
    expect(headerOf(last())).toBe(PASSWORD);
    expect(await h.onMessage(inThread(THREAD, 'and the record number?'), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(RECORD_NUMBER);
  });

  it('in a DM, Traditional asked for holds for the next question too', async () => {
    const h = setup();
    await h.onMessage(dm('deregister zhejiang'), ctx);
    await h.onMessage(dm('請用繁體'), ctx);
    expect(headerOf(last())).toBe(dereg('zhejiang', 'zh', true));
    expect(await h.onMessage(dm('and the password?'), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(titleOf({ intent: 'forgot_password', lang: 'zh', traditional: true }));
    expect(await h.onMessage(dm('How do I find our record number?'), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(titleOf({ intent: 'lost_record_number', lang: 'zh', traditional: true }));
  });

  it('asked for before any answer, it holds for the first question', async () => {
    const h = setup();
    await h.onMessage(dm('in Chinese please'), ctx);
    expect(await h.onMessage(dm('How do I deregister in Zhejiang?'), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(dereg('zhejiang', 'zh'));
  });

  it('a request for the language already used says so in one line instead of answering again', async () => {
    const h = setup();
    await h.onMessage(top('浙江怎么注销备案', { ts: THREAD }), ctx);
    sent = [];
    expect(await h.onMessage(inThread(THREAD, 'in Chinese please', OTHER), ctx)).toBe('answered');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.args).toMatchObject({ channel: 'C1', thread_ts: THREAD, text: '上面的回答已经是中文的了。' });
    expect(sent[0]!.args.blocks).toBeUndefined();
    await h.onMessage(dm('deregister zhejiang'), ctx);
    await h.onMessage(dm('in English please'), ctx);
    expect(last().args.text).toBe('The answer above is already in English.');
    // Traditional after Simplified is another language: answered again.
    await h.onMessage(inThread(THREAD, '請用繁體'), ctx);
    expect(headerOf(last())).toBe(dereg('zhejiang', 'zh', true));
    expect(questionLines().pop()).toMatchObject({ surface: 'followup' });
  });
});

describe('a DM message is a follow-up only when it reads as one', () => {
  it('a new question soon after an answer is a question of its own: no place carried, logged as dm', async () => {
    const h = setup();
    await h.onMessage(dm('I forgot my ICP filing password for Zhejiang'), ctx);
    expect(await h.onMessage(dm('how do I deregister my ICP filing'), ctx)).toBe('asked');
    expect(questionLines().pop()).toMatchObject({ surface: 'dm', intent: 'deregister', province: null });
    expect(await h.onMessage(dm('Zhejiang'), ctx)).toBe('completed');
    expect(await h.onMessage(dm('We lost our record number'), ctx)).toBe('answered');
    expect(questionLines().pop()).toMatchObject({ surface: 'dm', intent: 'lost_record_number' });
  });

  it('"and …", "what about …", a bare place and "…呢" are follow-ups', async () => {
    const h = setup();
    await h.onMessage(dm('deregister zhejiang'), ctx);
    for (const text of ['what about Hebei?', 'Guangxi', '那广东呢', 'and how do I find the record number?'])
      await h.onMessage(dm(text), ctx);
    expect(questionLines().map((l) => l.surface)).toEqual(['dm', 'followup', 'followup', 'followup', 'followup']);
  });
});

describe('follow-ups in a DM', () => {
  it('a place follows the last answer', async () => {
    const h = setup();
    await h.onMessage(dm('deregister zhejiang'), ctx);
    expect(await h.onMessage(dm('what about Guangxi?'), ctx)).toBe('answered');
    expect(last().args.channel).toBe(DM_CHANNEL);
    expect(last().args.thread_ts).toBeUndefined();
    expect(headerOf(last())).toBe(dereg('guangxi'));
    expect(questionLines().pop()).toMatchObject({ surface: 'followup', province: 'guangxi' });
  });

  it('"in Chinese please" re-answers the last answer (alone, it is not a re-answer)', async () => {
    const h = setup();
    await h.onMessage(dm('in Chinese please', OTHER), ctx);
    const alone = headerOf(last());
    await h.onMessage(dm('deregister zhejiang'), ctx);
    expect(await h.onMessage(dm('in Chinese please'), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(dereg('zhejiang', 'zh'));
    expect(alone).not.toBe(headerOf(last()));
    // Another user's DM is another conversation.
    await h.onMessage(dm('in Chinese please', OTHER), ctx);
    expect(headerOf(last())).toBe(alone);
  });

  it('"and the password?" answers the filing password; "forgot password" alone is a did-you-mean', async () => {
    const h = setup();
    expect(await h.onMessage(dm('forgot password', OTHER), ctx)).toBe('asked');
    await h.onMessage(dm('deregister zhejiang'), ctx);
    expect(await h.onMessage(dm('and the password?'), ctx)).toBe('answered');
    expect(headerOf(last())).toBe(PASSWORD);
    expect(actionIds(last()).some((id) => id.startsWith(ACTIONS.chooseIntent))).toBe(false);
  });

  it('small talk in a DM is answered as itself, never as a re-answer', async () => {
    const h = setup();
    await h.onMessage(dm('deregister zhejiang'), ctx);
    expect(await h.onMessage(dm('ok thanks'), ctx)).toBe('answered');
    expect(headerOf(last()).startsWith(titleOf({ intent: 'thanks' }))).toBe(true);
    expect(actionIds(last())).toEqual([]);
  });

  it('the DM context expires with the TTL', async () => {
    const h = setup(5_000);
    await h.onMessage(dm('deregister zhejiang'), ctx);
    now += 4_000;
    await h.onMessage(dm('in Chinese please'), ctx);
    expect(headerOf(last())).toBe(dereg('zhejiang', 'zh'));
    now += 5_000;
    await h.onMessage(dm('in English please'), ctx);
    expect(headerOf(last())).not.toBe(dereg('zhejiang'));
    expect(headerOf(last())).toBe(titleOf({ intent: 'help' }));
  });
});

describe('the core comes from the deps', () => {
  /** A fake core: whatever is asked, one fixed understanding and a made answer, and a record of the calls. */
  function fakeCore() {
    const asked: string[] = [];
    const answered: Understanding[] = [];
    const fixed = understanding('forgot_password', { text: 'fixed', province: 'hainan', confidence: 0.77 });
    const made = madeAnswer({
      intent: 'forgot_password',
      title: 'Made by the fake core',
      summary: [['Words the real core never says']],
    });
    const core: Core = {
      understand: (text) => (asked.push(text), fixed),
      answer: (u) => (answered.push(u), made),
      topicAnswer: () => madeAnswer({ title: 'Fake home' }),
      ...knownIds,
    };
    return { core, asked, answered, fixed };
  }

  it('a mention is understood and answered by the injected core, and its answer is what is posted and logged', async () => {
    const fake = fakeCore();
    const h = setup(TTL, fake.core);
    expect(await h.onMessage(top('how do I deregister in Zhejiang', { ts: '100.0001' }), ctx)).toBe('answered');
    expect(fake.asked).toEqual(['how do I deregister in Zhejiang']);
    expect(fake.answered).toEqual([fake.fixed]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.method).toBe('postMessage');
    expect(sent[0]!.args).toMatchObject({ channel: 'C1', thread_ts: '100.0001' });
    expect(sent[0]!.args.text).toBe('Made by the fake core\nWords the real core never says');
    expect(headerOf(sent[0]!)).toBe('Made by the fake core');
    expect(textOf(sent[0]!)).toContain('Words the real core never says');
    expect(textOf(sent[0]!)).not.toContain(dereg('zhejiang'));
    // The buttons carry the fake core's understanding, not the real core's reading of the text.
    expect(find(sent[0]!, ANSWER_ACTIONS.plainText).value).toBe(packQuestion(fake.fixed, KEY, { asker: ASKER }));
    expect(questionLines()).toEqual([
      expect.objectContaining({ surface: 'mention', intent: 'forgot_password', province: 'hainan', confidence: 0.77 }),
    ]);
  });

  it('/icp and the Home tab answer from the injected core too', async () => {
    const fake = fakeCore();
    const h = setup(TTL, fake.core);
    expect(
      await h.onSlashCommand({ text: 'deregister zhejiang', response_url: RESPONSE_URL, channel_id: 'C1' }, ctx),
    ).toBe('answered');
    expect(fake.asked).toEqual(['deregister zhejiang']);
    expect(last()).toMatchObject({ method: 'respond', url: RESPONSE_URL });
    expect(headerOf(last())).toBe('Made by the fake core');
    expect(await h.onHomeOpened({ type: 'app_home_opened', tab: 'home', user: ASKER })).toBe('answered');
    expect(last().method).toBe('publishView');
    expect(JSON.stringify(last().args)).toContain('Fake home');
  });
});

/** Bugs found while writing these tests, fixed since: each states the intended behaviour. */
describe('regressions', () => {
  it('a province typed while a did-you-mean waits marks it "✓ 浙江 Zhejiang" and asks it again', async () => {
    const h = setup();
    await h.onMessage(dm('forgot password'), ctx);
    await h.onMessage(dm('I forgot my ICP filing password for Zhejiang'), ctx);
    // Intended: the did-you-mean is not "answered" with a province, and the reply is an answer, not the same question again.
    expect(sent.filter((s) => s.method === 'update')).toEqual([]);
    expect(headerOf(last())).toBe(PASSWORD);
  });

  it('a place in Han characters, alone, as a follow-up in a Chinese conversation is answered in English', async () => {
    const h = setup();
    await h.onMessage(top('如何註銷浙江的備案', { ts: '100.0001' }), ctx);
    await h.onMessage(inThread('100.0001', '廣西', OTHER), ctx);
    expect(headerOf(last())).toBe(dereg('guangxi', 'zh', true));
  });

  it('small talk in a DM replaces the conversation context, so the next follow-up re-answers the small talk', async () => {
    const h = setup();
    await h.onMessage(dm('deregister zhejiang'), ctx);
    await h.onMessage(dm('thanks'), ctx);
    await h.onMessage(dm('in Chinese please'), ctx);
    expect(headerOf(last())).toBe(dereg('zhejiang', 'zh'));
  });

  it('a language switch with nothing to re-answer (the help text) carries plain-text and feedback buttons', async () => {
    const h = setup();
    await h.onMessage(dm('in Chinese please'), ctx);
    expect(actionIds(last())).toEqual([]);
  });
});

describe('readClick', () => {
  it('takes the thread from the container, where block_actions carry it', () => {
    const c = readClick({
      type: 'block_actions',
      user: { id: ASKER },
      container: { channel_id: 'C1', thread_ts: '5.5', is_ephemeral: true },
      message: { text: '浙江' },
      response_url: RESPONSE_URL,
      actions: [{ type: 'button', action_id: 'a', block_id: 'b', value: 'v' }],
    });
    expect(c).toEqual({
      actionId: 'a',
      blockId: 'b',
      value: 'v',
      selected: undefined,
      user: ASKER,
      channel: 'C1',
      threadTs: '5.5',
      responseUrl: RESPONSE_URL,
      isEphemeral: true,
      lang: 'zh',
    });
  });

  it('reads a select’s choice, and refuses payloads without a user or an action', () => {
    const base = {
      type: 'block_actions',
      user: { id: ASKER },
      channel: { id: 'D1' },
      actions: [{ action_id: 'p', selected_option: { value: 'zhejiang' } }],
    };
    expect(readClick(base)).toMatchObject({
      channel: 'D1',
      selected: 'zhejiang',
      value: undefined,
      lang: 'en',
      isEphemeral: false,
    });
    expect(readClick({ ...base, user: {} })).toBeNull();
    expect(readClick({ ...base, actions: [] })).toBeNull();
    expect(readClick({ ...base, actions: [{ value: 'x' }] })).toBeNull();
    expect(readClick({ ...base, type: 'view_submission' })).toBeNull();
  });
});

describe('button values', () => {
  it('an answer’s buttons carry its question, so a click regenerates the same answer', async () => {
    const h = setup();
    await h.onMessage(dm('how do I deregister my ICP filing in Zhejiang'), ctx);
    for (const e of answerButtons(sent[0]!))
      expect(e.value).toBe(
        packQuestion(understand('how do I deregister my ICP filing in Zhejiang'), KEY, { asker: ASKER }),
      );
  });
});

describe('buttons: who may press what', () => {
  const HANDOFF = { handoff: { channel: 'G1', usergroup: 'S1' } };
  const WEATHER = 'what is the weather in Paris tomorrow?';
  /** Posts that reached the hand-off channel (a failed attempt is recorded without a ts). */
  const toHandoff = () => posts().filter((s) => s.args.channel === 'G1' && s.ts !== undefined);
  const noteTo = (user: string) => sent.filter((s) => s.method === 'postEphemeral' && s.args.user === user);
  /** A value as a forger would press it, in place of the button's own. */
  const pressWith = (h: Handlers, on: Sent, actionId: string, value: string, user = ASKER) =>
    h.onBlockActions(clickPayload(on, user, { type: 'button', action_id: actionId, block_id: 'b', value }), ctx);

  it('"Ask a person": the asker only, once per answer however often pressed, then the button goes; a failed post may be tried again', async () => {
    const h = setup(TTL, REAL_CORE, HANDOFF);
    await h.onMessage(top(WEATHER, { ts: '100.0001' }), ctx);
    const fallback = sent[0]!;
    expect(actionIds(fallback)).toEqual([ANSWER_ACTIONS.askPerson]);

    expect(await press(h, fallback, ANSWER_ACTIONS.askPerson, OTHER)).toBe('notified');
    expect(noteTo(OTHER).map((s) => s.args.text)).toEqual([
      `This is <@${ASKER}>’s question, so only they can do that. Ask your own question and I will answer you too.`,
    ]);
    expect(toHandoff()).toEqual([]);

    failPosts = true;
    expect(await press(h, fallback, ANSWER_ACTIONS.askPerson)).toBe('notified');
    expect(String(last().args.text)).toMatch(/could not reach a colleague/);
    failPosts = false;

    expect(await press(h, fallback, ANSWER_ACTIONS.askPerson)).toBe('notified');
    expect(toHandoff()).toHaveLength(1);
    expect(String(toHandoff()[0]!.args.text)).toMatch(/^<!subteam\^S1> Question from <@UASKER1> in <#C1>/);
    const update = sent.find((s) => s.method === 'update');
    expect(update?.args).toMatchObject({ channel: 'C1', ts: fallback.ts, text: fallback.args.text });
    expect(actionIds(update!)).toEqual([]);
    for (let i = 0; i < 3; i++) expect(await press(h, fallback, ANSWER_ACTIONS.askPerson)).toBe('notified');
    expect(toHandoff()).toHaveLength(1);
    expect(
      noteTo(ASKER)
        .slice(-3)
        .map((s) => s.args.text),
    ).toEqual(
      Array(3).fill('This question has already been sent to the team; a colleague will answer in the conversation.'),
    );
    // Someone else still gets "not yours", not "already sent".
    expect(await press(h, fallback, ANSWER_ACTIONS.askPerson, OTHER)).toBe('notified');
    expect(String(last().args.text)).toMatch(/’s question/);
  });

  it('at most 5 hand-offs an hour per person, then a polite note; the hour over, again', async () => {
    const h = setup(TTL, REAL_CORE, HANDOFF);
    const fallbacks: Sent[] = [];
    for (let i = 0; i < 7; i++) {
      await h.onMessage(top(`${WEATHER} (${i})`, { ts: `${200 + i}.0001` }), ctx);
      fallbacks.push(posts()[posts().length - 1]!);
    }
    for (const f of fallbacks.slice(0, 5)) await press(h, f, ANSWER_ACTIONS.askPerson);
    expect(toHandoff()).toHaveLength(5);
    expect(await press(h, fallbacks[5]!, ANSWER_ACTIONS.askPerson)).toBe('notified');
    expect(last().args.text).toBe(
      'Sorry, I can pass on at most 5 questions an hour for you. Please try again later, or ask the team directly.',
    );
    expect(toHandoff()).toHaveLength(5);
    // Another person has their own five.
    await h.onMessage(top(WEATHER, { ts: '300.0001', user: OTHER }), ctx);
    await press(h, posts()[posts().length - 1]!, ANSWER_ACTIONS.askPerson, OTHER);
    expect(toHandoff()).toHaveLength(6);
    now += 3_600_001;
    await press(h, fallbacks[6]!, ANSWER_ACTIONS.askPerson);
    // The refused one was not marked as sent: it can go too.
    await press(h, fallbacks[5]!, ANSWER_ACTIONS.askPerson);
    expect(toHandoff()).toHaveLength(8);
  });

  it('on an ephemeral message the button is replaced through response_url (/icp’s fallback, the "Not helpful" thanks)', async () => {
    const h = setup(TTL, REAL_CORE, HANDOFF);
    await h.onSlashCommand(
      { text: WEATHER, response_url: RESPONSE_URL, channel_id: 'C1', user_id: ASKER, team_id: 'T1' },
      ctx,
    );
    const eph = sent[0]!;
    expect(actionIds(eph)).toEqual([ANSWER_ACTIONS.askPerson]);
    await press(h, eph, ANSWER_ACTIONS.askPerson, ASKER, { ephemeral: true });
    expect(toHandoff()).toHaveLength(1);
    const replaced = sent.find((s) => s.method === 'respond' && s.args.replace_original === true);
    expect(replaced?.args.text).toBe(eph.args.text);
    expect(actionIds(replaced!)).toEqual([]);

    sent = [];
    await h.onMessage(dm('deregister zhejiang'), ctx);
    await press(h, sent[0]!, ANSWER_ACTIONS.notHelpful);
    const thanks = last();
    expect(actionIds(thanks)).toEqual([ANSWER_ACTIONS.askPerson]);
    await press(h, thanks, ANSWER_ACTIONS.askPerson, ASKER, { ephemeral: true });
    const gone = sent.find((s) => s.method === 'respond' && s.args.replace_original === true);
    expect(gone?.args.text).toBe('Thanks for telling us. The team reviews these to improve the answers.');
    expect(actionIds(gone!)).toEqual([]);
  });

  it('"Post to channel" and "Post in thread" act for the asker only', async () => {
    const h = setup();
    await h.onSlashCommand(
      { text: 'deregister zhejiang', response_url: RESPONSE_URL, channel_id: 'C1', user_id: ASKER },
      ctx,
    );
    expect(await press(h, sent[0]!, ANSWER_ACTIONS.postToChannel, OTHER, { ephemeral: true })).toBe('notified');
    expect(last().args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(last().args.text)).toMatch(/^This is <@UASKER1>’s question/);
    expect(sent.some((s) => s.args.response_type === 'in_channel')).toBe(false);

    sent = [];
    const shortcut = {
      type: 'message_action',
      callback_id: 'icp_answer_message',
      response_url: RESPONSE_URL,
      user: { id: ASKER },
      channel: { id: 'C1' },
      message: { ts: '100.0001', text: 'deregister zhejiang' },
    };
    expect(await h.onMessageAction(shortcut, ctx)).toBe('answered');
    const priv = sent[0]!;
    expect(await press(h, priv, ANSWER_ACTIONS.postInThread, OTHER, { ephemeral: true })).toBe('notified');
    expect(posts()).toEqual([]);
    expect(await press(h, priv, ANSWER_ACTIONS.postInThread, ASKER, { ephemeral: true })).toBe('answered');
    expect(posts()).toHaveLength(1);
    expect(posts()[0]!.args).toMatchObject({ channel: 'C1', thread_ts: '100.0001' });
  });

  it('feedback: anyone, once per answer; the text only with the asker’s own "Not helpful"', async () => {
    const calls: unknown[][] = [];
    const questions = {
      record: () => undefined,
      feedback: (...a: unknown[]) => void calls.push(['feedback', ...a]),
      handedOff: (...a: unknown[]) => void calls.push(['handedOff', ...a]),
    } as unknown as QuestionLog;
    const h = setup(TTL, REAL_CORE, { ...HANDOFF, questions });
    await h.onMessage(top('how do I deregister my ICP filing in Zhejiang', { ts: '100.0001' }), { ...ctx, ref: 'R1' });
    const a = sent[0]!;
    await press(h, a, ANSWER_ACTIONS.notHelpful, OTHER);
    expect(actionIds(last())).toEqual([]);
    await press(h, a, ANSWER_ACTIONS.helpful, OTHER);
    expect(last().args.text).toBe('You have already given feedback on this answer — thank you.');
    await press(h, a, ANSWER_ACTIONS.notHelpful, ASKER);
    const thanks = last();
    expect(actionIds(thanks)).toEqual([ANSWER_ACTIONS.askPerson]);
    await press(h, a, ANSWER_ACTIONS.helpful, THIRD);
    expect(calls).toEqual([
      ['feedback', 'R1', 'not_helpful', undefined],
      ['feedback', 'R1', 'not_helpful', 'how do I deregister my ICP filing in Zhejiang'],
      ['feedback', 'R1', 'helpful', undefined],
    ]);
    const lines = logs
      .split('\n')
      .filter((l) => l.includes('"event":"feedback"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.helpful, l.by_asker])).toEqual([
      [false, false],
      [false, true],
      [true, false],
    ]);
    // The hand-off of that answer, and only the asker's, carries the text.
    await press(h, thanks, ANSWER_ACTIONS.askPerson, ASKER, { ephemeral: true });
    expect(calls[calls.length - 1]).toEqual(['handedOff', 'R1', 'how do I deregister my ICP filing in Zhejiang']);
  });

  it('a value not signed with our key, or naming what the core does not know, is expired', async () => {
    const h = setup(TTL, REAL_CORE, HANDOFF);
    await h.onMessage(top('deregister zhejiang', { ts: '100.0001' }), ctx);
    const a = sent[0]!;
    const u = understand('deregister zhejiang');
    const json = (over: Record<string, unknown>) =>
      JSON.stringify({
        v: 3,
        t: 'x',
        i: 'deregister',
        c: 0.9,
        p: 'zhejiang',
        k: [],
        r: null,
        l: 'en',
        u: ASKER,
        ...over,
      });
    const values = [
      packQuestion(u, deriveButtonKey('xoxb-another-app'), { asker: ASKER }),
      packQuestion({ ...u, intent: '<!channel>' }, KEY, { asker: ASKER }),
      packQuestion({ ...u, intent: 'no_such_intent' }, KEY, { asker: ASKER }),
      packQuestion({ ...u, province: 'atlantis' }, KEY, { asker: ASKER }),
      packQuestion({ ...u, province: null, candidates: ['shanxi', 'gondor'] }, KEY, { asker: ASKER }),
      packQuestion({ ...u, also: [{ intent: 'made_up', province: null }] }, KEY, { asker: ASKER }),
      packQuestion({ ...u, also: [{ intent: 'deregister', province: 'mordor' }] }, KEY, { asker: ASKER }),
      signValue(json({ c: 2 }), KEY),
      signValue(json({ c: -1 }), KEY),
      json({}),
    ];
    for (const v of values) {
      for (const id of [ANSWER_ACTIONS.askPerson, ANSWER_ACTIONS.notHelpful, ANSWER_ACTIONS.plainText]) {
        const n = sent.length;
        expect(await pressWith(h, a, id, v), `${id} ${v}`).toBe('notified');
        expect(sent.slice(n).map((s) => s.method)).toEqual(['postEphemeral']);
        expect(String(last().args.text)).toMatch(/no longer have that question/);
      }
    }
    expect(toHandoff()).toEqual([]);
    expect(logs).not.toMatch(/"event":"feedback"/);
  });

  it('the hand-off post escapes what it quotes, and a value naming another asker is theirs', async () => {
    const h = setup(TTL, REAL_CORE, HANDOFF);
    await h.onMessage(top('<!channel> weather in <https://evil.example|Paris>?', { ts: '100.0001' }), ctx);
    await press(h, sent[0]!, ANSWER_ACTIONS.askPerson);
    const post = String(toHandoff()[0]!.args.text);
    expect(post).not.toMatch(/<!channel>|<https:\/\/evil/);
    expect(post).toContain('&lt;!channel&gt;');
    // A value signed for someone else does not become the clicker's by being pressed.
    const theirs = packQuestion(understand(WEATHER), KEY, { asker: OTHER });
    expect(await pressWith(h, sent[0]!, ANSWER_ACTIONS.askPerson, theirs)).toBe('notified');
    expect(String(last().args.text)).toMatch(/^This is <@UOTHER2>’s question/);
    expect(toHandoff()).toHaveLength(1);
  });
});

describe('hand-off cases: who may press Take it and Solved, what is relayed', () => {
  const HANDOFF = { handoff: { channel: 'G1', usergroup: null } };
  const WEATHER = 'what is the weather in Paris tomorrow?';
  const toHandoff = () => posts().filter((s) => s.args.channel === 'G1' && s.ts !== undefined);
  const note = () => String(last().args.text);
  const pressCase = (h: Handlers, on: Sent, actionId: string, user: string, value?: string, channel = 'G1') =>
    h.onBlockActions(
      clickPayload({ ...on, args: { ...on.args, channel } }, user, {
        type: 'button',
        action_id: actionId,
        block_id: CASE_ACTIONS.blockId,
        value: value ?? find(on, actionId).value,
      }),
      ctx,
    );

  /** A fallback handed off from the asker's DM (or, with `channel`, from a thread in C1): the hand-off post. */
  async function handedOff(h: Handlers, channel = false): Promise<Sent> {
    await h.onMessage(channel ? top(WEATHER, { ts: '100.0001' }) : dm(WEATHER), ctx);
    await press(h, posts()[posts().length - 1]!, ANSWER_ACTIONS.askPerson);
    const post = toHandoff()[toHandoff().length - 1];
    if (!post) throw new Error('not handed off');
    return post;
  }

  it('only in the hand-off channel, only with our signature, only on the case’s own post', async () => {
    const h = setup(TTL, REAL_CORE, HANDOFF);
    const post = await handedOff(h);
    expect(actionIds(post)).toEqual([CASE_ACTIONS.take, CASE_ACTIONS.solve]);
    const own = String(find(post, CASE_ACTIONS.take).value);
    const n = sent.length;
    expect(await pressCase(h, post, CASE_ACTIONS.take, OTHER, own, 'C1')).toBe('notified');
    expect(note()).toMatch(/no longer have that question/);
    expect(
      await pressCase(h, post, CASE_ACTIONS.take, OTHER, caseValue('AAAAAAAAAAAAAAAA', deriveButtonKey('x'))),
    ).toBe('notified');
    expect(note()).toMatch(/no longer have that question/);
    expect(await pressCase(h, post, CASE_ACTIONS.solve, OTHER, caseValue('AAAAAAAAAAAAAAAA', KEY))).toBe('notified');
    expect(note()).toBe('This case is already solved, or it has expired.');
    expect(await pressCase(h, { ...post, ts: '1.000001' }, CASE_ACTIONS.solve, OTHER, own)).toBe('notified');
    expect(note()).toBe('This case is already solved, or it has expired.');
    expect(since(n).map((s) => s.method)).toEqual(Array(4).fill('postEphemeral'));
    // The real thing, by any member of the channel.
    expect(await pressCase(h, post, CASE_ACTIONS.take, OTHER)).toBe('notified');
    expect(last().args).toMatchObject({
      channel: DM_CHANNEL,
      text: '<@UOTHER2> from the support team is looking at your question.',
    });
    const update = sent.find((s) => s.method === 'update' && s.args.ts === post.ts)!;
    expect(actionIds(update)).toEqual([CASE_ACTIONS.solve]);
    expect(textOf(update)).toContain('Taken by <@UOTHER2>.');
  });

  it('a case from a channel relays nothing, and the hand-off channel answers no question', async () => {
    const h = setup(TTL, REAL_CORE, HANDOFF);
    const post = await handedOff(h, true);
    const n = sent.length;
    expect(await h.onMessage(inThread(post.ts!, 'on it', OTHER, 'G1'), ctx)).toBe('ignored');
    expect(await h.onMessage({ ...top('how do I deregister in Zhejiang'), channel: 'G1' }, ctx)).toBe('ignored');
    expect(await h.onMessage(inThread('99.0001', 'deregister zhejiang', OTHER, 'G1'), ctx)).toBe('ignored');
    expect(since(n)).toEqual([]);
    // Solved tells the asker in their thread.
    expect(await pressCase(h, post, CASE_ACTIONS.solve, OTHER)).toBe('notified');
    expect(last().args).toMatchObject({ channel: 'C1', thread_ts: '100.0001' });
    expect(note()).toBe('<@UOTHER2> marked your question as solved. Ask me again any time.');
  });

  it('a case from a DM relays both ways, once per message, mentioning nobody it should not; a failed relay may go again', async () => {
    const h = setup(TTL, REAL_CORE, HANDOFF);
    const post = await handedOff(h);
    const reply = inThread(
      post.ts!,
      '<!channel> see <https://beian.miit.gov.cn|MIIT>, ask <@UTHIRD3|third>',
      OTHER,
      'G1',
    );
    expect(await h.onMessage(reply, ctx)).toBe('relayed');
    expect(last().args).toMatchObject({
      channel: DM_CHANNEL,
      text: '*<@UOTHER2>* (support team):\n&lt;!channel&gt; see MIIT (<https://beian.miit.gov.cn>), ask <@UTHIRD3>',
    });
    const n = sent.length;
    expect(await h.onMessage(reply, ctx)).toBe('ignored');
    expect(since(n)).toEqual([]);

    failPosts = true;
    const lost = dm('my filing is in Zhejiang <@UTHIRD3> <!here>');
    expect(await h.onMessage(lost, ctx)).toBe('failed');
    failPosts = false;
    expect(await h.onMessage(lost, ctx)).toBe('relayed');
    expect(last().args).toMatchObject({
      channel: 'G1',
      thread_ts: post.ts,
      text: '*<@UASKER1>* wrote:\nmy filing is in Zhejiang &lt;@UTHIRD3&gt; &lt;!here&gt;',
    });
    expect(logs).not.toMatch(/"event":"question".*my filing/);
  });
});

describe('relayText', () => {
  it('keeps links (showing a label’s address) and, when asked, user mentions; escapes every other <…>', () => {
    expect(relayText('<!channel> <!here|here> <!subteam^S1|@team> <#C1|general>', { mentions: true })).toBe(
      '&lt;!channel&gt; &lt;!here|here&gt; &lt;!subteam^S1|@team&gt; &lt;#C1|general&gt;',
    );
    expect(relayText('<@U123|bob> <@W456>', { mentions: true })).toBe('<@U123> <@W456>');
    expect(relayText('<@U123|bob>', { mentions: false })).toBe('&lt;@U123|bob&gt;');
    expect(
      relayText('<https://a.example/x?y=1&amp;z=2|https://b.example> <http://c.example>', { mentions: false }),
    ).toBe('https://b.example (<https://a.example/x?y=1&amp;z=2>) <http://c.example>');
    expect(relayText('<mailto:a@b.example|a@b> 1 &lt; 2 > 0 <', { mentions: true })).toBe(
      '&lt;mailto:a@b.example|a@b&gt; 1 &lt; 2 &gt; 0 &lt;',
    );
  });
});
