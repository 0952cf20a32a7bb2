/**
 * End to end, what users see: the real bot process against the Slack stand-in. Assertions are on
 * what Slack would show (where a reply went, its blocks, buttons and fallback text), not on the
 * core's wording.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { ACTIONS } from '../../src/answer/render-blocks.js';
import type { RecordedCall } from '../../src/standin/server.js';
import { understand } from '../../src/understand/understand.js';
import { blocksOf, findAction, sleep, startHarness, textOf, type Harness } from './bot-process.js';

const TTL_MS = 2500;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { PENDING_TTL_MS: String(TTL_MS) } });
});

afterAll(async () => {
  await h?.bot.stop();
  await h?.standin.close();
  // Stopped gracefully (the exit code itself is checked with node directly in e2e-hardening).
  expect(h.bot.logLines().some((l) => l.event === 'stopped')).toBe(true);
});

const posts = (channel: string): RecordedCall[] =>
  h.standin.callsOf('chat.postMessage').filter((c) => c.args.channel === channel);

/** Only calls made during the current test count, so a reply from an earlier test can not match. */
let testStart = 0;
beforeEach(() => {
  testStart = performance.now();
});

function waitPost(pred: (c: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
  return h.standin.waitForCall((c) => c.method === 'chat.postMessage' && c.at > testStart && pred(c), { timeoutMs });
}

/** Lets everything sent so far be handled: a fresh DM's reply arrives after earlier events were processed. */
let settles = 0;
async function settle(): Promise<void> {
  const sent = await h.standin.sendMessage({ user: `U0SETTLE${++settles}`, text: 'hello' });
  await waitPost((c) => c.args.channel === sent.channel);
  await sleep(100);
}

/** The working links of an answer's summary (what the first screen and the customer's text carry). */
function linksOf(question: string): string[] {
  return answer(understand(question)).summary.flatMap((line) =>
    line.flatMap((x) => (typeof x === 'string' ? [] : [x.url])),
  );
}

function expectAnswerShape(call: RecordedCall): void {
  expect(typeof call.args.text).toBe('string');
  expect((call.args.text as string).length).toBeGreaterThan(0);
  const blocks = blocksOf(call);
  expect(blocks.length).toBeGreaterThan(0);
  expect(findAction(call, (id) => id === 'icp_plain_text')).toBeDefined();
  expect(findAction(call, (id) => id === 'icp_feedback_helpful')).toBeDefined();
  expect(findAction(call, (id) => id === 'icp_feedback_not_helpful')).toBeDefined();
}

describe('direct messages', () => {
  it('answers a DM in the DM, with blocks, a text fallback and the province link', async () => {
    const q = 'How do I deregister my ICP filing in Zhejiang?';
    const sent = await h.standin.sendMessage({ user: 'U0ALICE', text: q });
    expect(sent.status).toBe(200);
    const reply = await waitPost((c) => c.args.channel === sent.channel);
    expect(sent.channel).toBe('D0ALICE');
    expect(reply.args.thread_ts).toBeUndefined();
    expectAnswerShape(reply);
    const links = linksOf(q);
    expect(links.length).toBeGreaterThan(0);
    expect(links.some((url) => textOf(reply).includes(url))).toBe(true);
  });

  it('answers a Chinese DM with Chinese buttons', async () => {
    const sent = await h.standin.sendMessage({ user: 'U0BOB', text: '浙江的备案怎么注销？' });
    const reply = await waitPost((c) => c.args.channel === sent.channel && textOf(c).includes('给客户的纯文本'));
    expectAnswerShape(reply);
  });

  it('answers a message with a file by its text', async () => {
    const sent = await h.standin.sendMessage({
      user: 'U0LOCAL',
      text: 'forgot my ICP filing password',
      files: [{ id: 'F0001', name: 'screenshot.png' }],
    });
    const reply = await waitPost((c) => c.args.channel === sent.channel);
    expectAnswerShape(reply);
  });
});

describe('channels', () => {
  it('answers a mention in a thread under the message, once (message + app_mention arrive)', async () => {
    const sent = await h.standin.sendMessage({
      user: 'U0ALICE',
      channel: 'C0GENERAL',
      text: '<@U0BOT> how do I deregister in Jiangsu?',
    });
    expect(sent.eventIds.length).toBe(2);
    expect(sent.acks.map((a) => a.status)).toEqual([200, 200]);
    const reply = await waitPost((c) => c.args.channel === 'C0GENERAL' && c.args.thread_ts === sent.ts);
    expectAnswerShape(reply);
    await settle();
    expect(posts('C0GENERAL').filter((c) => c.args.thread_ts === sent.ts)).toHaveLength(1);
  });

  it('answers a mention inside a thread in that thread', async () => {
    const parent = await h.standin.sendMessage({
      user: 'U0BOB',
      channel: 'C0GENERAL',
      text: 'anyone know about beian?',
    });
    const sent = await h.standin.sendMessage({
      user: 'U0ALICE',
      channel: 'C0GENERAL',
      thread_ts: parent.ts,
      text: '<@U0BOT> forgot filing password',
    });
    const reply = await waitPost((c) => c.args.channel === 'C0GENERAL' && c.args.thread_ts === parent.ts);
    expect(reply.args.thread_ts).not.toBe(sent.ts);
  });

  it('answers mentions in private channels and group DMs, in threads', async () => {
    for (const channel of ['G0PRIVATE', 'G0MPIM']) {
      const sent = await h.standin.sendMessage({ user: 'U0ALICE', channel, text: `<@U0BOT> lost my record number` });
      const reply = await waitPost((c) => c.args.channel === channel && c.args.thread_ts === sent.ts);
      expectAnswerShape(reply);
    }
  });

  it('ignores channel messages without a mention, edits, deletes, bots and itself', async () => {
    const before = posts('C0GENERAL').length;
    await h.standin.sendMessage({ user: 'U0ALICE', channel: 'C0GENERAL', text: 'how do I deregister in Zhejiang?' });
    const original = await h.standin.sendMessage({ user: 'U0ALICE', channel: 'C0GENERAL', text: 'lunch?' });
    await h.standin.sendMessage({
      user: 'U0ALICE',
      channel: 'C0GENERAL',
      ts: original.ts,
      edited: true,
      text: '<@U0BOT> deregister Zhejiang',
    });
    await h.standin.sendMessage({
      user: 'U0ALICE',
      channel: 'C0GENERAL',
      ts: original.ts,
      subtype: 'message_deleted',
      text: '',
    });
    await h.standin.sendMessage({
      user: 'U0OTHERBOT',
      bot_id: 'B0OTHER',
      channel: 'C0GENERAL',
      text: '<@U0BOT> deregister Zhejiang',
    });
    const dmBefore = posts('D0ALICE').length;
    await h.standin.sendMessage({ user: 'U0ALICE', bot_id: 'B0OTHER', text: 'deregister Zhejiang' });
    await h.standin.sendMessage({ user: 'U0BOT', bot_id: 'B0BOT', channel: 'D0ALICE', text: 'deregister Zhejiang' });
    await settle();
    expect(posts('C0GENERAL').length).toBe(before);
    expect(posts('D0ALICE').length).toBe(dmBefore);
  });

  it('escapes nothing it does not echo, and never pings: a <!channel> question is answered without a broadcast', async () => {
    const sent = await h.standin.sendMessage({
      user: 'U0ALICE',
      channel: 'C0GENERAL',
      text: '<@U0BOT> <!channel> deregister in Zhejiang',
    });
    const reply = await waitPost((c) => c.args.channel === 'C0GENERAL' && c.args.thread_ts === sent.ts);
    expect(textOf(reply)).not.toContain('<!channel>');
  });
});

describe('retries', () => {
  it('never replies twice to a retried event', async () => {
    const sent = await h.standin.sendMessage({ user: 'U0CAROL', text: 'how do I find my ICP record number' });
    const first = sent.envelopes[0];
    if (!first) throw new Error('no envelope');
    const r1 = await h.standin.driver.retry(first, 1, 'http_timeout');
    const r2 = await h.standin.driver.retry(first, 2, 'http_timeout');
    expect([r1.status, r2.status]).toEqual([200, 200]);
    await waitPost((c) => c.args.channel === sent.channel);
    await settle();
    expect(posts(sent.channel)).toHaveLength(1);
  });
});

describe('province picker and typed province', () => {
  it('asks for the province with a picker, and a pick completes the question', async () => {
    const sent = await h.standin.sendMessage({ user: 'U0BOB', text: 'How do I deregister my ICP filing?' });
    const ask = await waitPost(
      (c) => c.args.channel === sent.channel && findAction(c, (id) => id === ACTIONS.pickProvince) !== undefined,
    );
    const picker = findAction(ask, (id) => id === ACTIONS.pickProvince);
    expect(picker?.blockId).toMatch(/^icp_province:/);
    if (!ask.message) throw new Error('ask not stored');
    const click = await h.standin.clickAction({
      user: 'U0BOB',
      message: ask.message,
      actionId: ACTIONS.pickProvince,
      selectedOption: 'zhejiang',
    });
    expect(click.status).toBe(200);
    const done = await waitPost(
      (c) =>
        c.args.channel === sent.channel &&
        c.at > ask.at &&
        findAction(c, (id) => id === ACTIONS.pickProvince) === undefined,
    );
    expectAnswerShape(done);
    const links = linksOf('How do I deregister my ICP filing in Zhejiang?');
    expect(links.some((url) => textOf(done).includes(url))).toBe(true);

    // The same picker again: the question was completed, so the bot says so instead of staying silent.
    await h.standin.clickAction({
      user: 'U0BOB',
      message: ask.message,
      actionId: ACTIONS.pickProvince,
      selectedOption: 'jiangsu',
    });
    const notice = await h.standin.waitForCall(
      (c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0BOB' && c.at > done.at,
    );
    expect(typeof notice.args.text).toBe('string');
  });

  it('accepts a typed province in the thread, from the asker only', async () => {
    const sent = await h.standin.sendMessage({
      user: 'U0ALICE',
      channel: 'C0GENERAL',
      text: '<@U0BOT> how to deregister ICP filing',
    });
    const ask = await waitPost(
      (c) => c.args.thread_ts === sent.ts && findAction(c, (id) => id === ACTIONS.pickProvince) !== undefined,
    );
    // Someone else's reply in the thread is not the asker's answer.
    await h.standin.sendMessage({ user: 'U0BOB', channel: 'C0GENERAL', thread_ts: sent.ts, text: 'Zhejiang' });
    await settle();
    expect(posts('C0GENERAL').filter((c) => c.args.thread_ts === sent.ts)).toHaveLength(1);
    await h.standin.sendMessage({ user: 'U0ALICE', channel: 'C0GENERAL', thread_ts: sent.ts, text: '浙江' });
    const done = await waitPost((c) => c.args.thread_ts === sent.ts && c.at > ask.at);
    expectAnswerShape(done);
    expect(findAction(done, (id) => id === ACTIONS.pickProvince)).toBeUndefined();
  });

  it('accepts a city typed in the DM', async () => {
    const sent = await h.standin.sendMessage({ user: 'U0LOCAL', text: 'I want to deregister my beian' });
    const ask = await waitPost(
      (c) => c.args.channel === sent.channel && findAction(c, (id) => id === ACTIONS.pickProvince) !== undefined,
    );
    await h.standin.sendMessage({ user: 'U0LOCAL', text: 'Hangzhou' });
    const done = await waitPost((c) => c.args.channel === sent.channel && c.at > ask.at);
    expect(linksOf('deregister Zhejiang').some((url) => textOf(done).includes(url))).toBe(true);
  });

  it('offers buttons for an ambiguous province, and a button completes the question', async () => {
    const sent = await h.standin.sendMessage({ user: 'U0DAVE', text: 'deregister Hunan or Henan' });
    const ask = await waitPost((c) => c.args.channel === sent.channel);
    const choice = findAction(ask, (id) => id === `${ACTIONS.chooseProvince}:henan`);
    expect(choice?.blockId).toMatch(/^icp_province:/);
    if (!ask.message || !choice) throw new Error('no candidate buttons');
    await h.standin.clickAction({ user: 'U0DAVE', message: ask.message, actionId: `${ACTIONS.chooseProvince}:henan` });
    const done = await waitPost((c) => c.args.channel === sent.channel && c.at > ask.at);
    expectAnswerShape(done);
    expect(linksOf('deregister Henan').some((url) => textOf(done).includes(url))).toBe(true);
  });

  it('completes an /icp question privately: the pick replaces the ephemeral picker', async () => {
    const t0 = performance.now();
    await h.standin.sendSlashCommand({ user: 'U0ERIN', channel: 'C0GENERAL', text: 'how do I deregister my filing' });
    const ask = await h.standin.waitForCall(
      (c) =>
        c.method === 'response_url' && c.at > t0 && findAction(c, (id) => id === ACTIONS.pickProvince) !== undefined,
    );
    expect(ask.args.response_type).toBe('ephemeral');
    if (!ask.message) throw new Error('ephemeral not stored');
    await h.standin.clickAction({
      user: 'U0ERIN',
      message: ask.message,
      actionId: ACTIONS.pickProvince,
      selectedOption: 'guangdong',
    });
    const done = await h.standin.waitForCall((c) => c.method === 'response_url' && c.at > ask.at);
    expect(done.args.replace_original).toBe(true);
    expect(done.args.response_type).toBe('ephemeral');
    expect(findAction(done, (id) => id === 'icp_post_to_channel')).toBeDefined();
    expect(posts('C0GENERAL').filter((c) => c.at > t0 && textOf(c).includes('Guangdong'))).toHaveLength(0);
  });

  it('tells another user the picker is not theirs', async () => {
    const sent = await h.standin.sendMessage({
      user: 'U0ALICE',
      channel: 'C0GENERAL',
      text: '<@U0BOT> deregister my filing please',
    });
    const ask = await waitPost(
      (c) => c.args.thread_ts === sent.ts && findAction(c, (id) => id === ACTIONS.pickProvince) !== undefined,
    );
    if (!ask.message) throw new Error('ask not stored');
    await h.standin.clickAction({
      user: 'U0BOB',
      message: ask.message,
      actionId: ACTIONS.pickProvince,
      selectedOption: 'hebei',
    });
    const notice = await h.standin.waitForCall(
      (c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0BOB' && c.at > ask.at,
    );
    expect(notice.args.thread_ts).toBe(sent.ts);
    expect(String(notice.args.text)).toContain('U0ALICE');
  });

  it('says kindly that an expired picker has expired', async () => {
    const sent = await h.standin.sendMessage({ user: 'U0ALICE', text: 'how can I cancel my ICP filing' });
    const ask = await waitPost(
      (c) => c.args.channel === sent.channel && findAction(c, (id) => id === ACTIONS.pickProvince) !== undefined,
    );
    if (!ask.message) throw new Error('ask not stored');
    await sleep(TTL_MS + 300);
    await h.standin.clickAction({
      user: 'U0ALICE',
      message: ask.message,
      actionId: ACTIONS.pickProvince,
      selectedOption: 'beijing',
    });
    const notice = await h.standin.waitForCall(
      (c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0ALICE' && c.at > ask.at,
    );
    expect(String(notice.args.text)).toMatch(/ask it again/i);
    expect(posts(sent.channel).filter((c) => c.at > ask.at)).toHaveLength(0);
  });
});

describe('answer buttons', () => {
  it('"Plain text for customer" sends the clicker an ephemeral plain text with full URLs and no markup', async () => {
    const q = 'How do I deregister my ICP filing in Zhejiang?';
    const sent = await h.standin.sendMessage({ user: 'U0ALICE', channel: 'C0GENERAL', text: `<@U0BOT> ${q}` });
    const reply = await waitPost((c) => c.args.thread_ts === sent.ts);
    if (!reply.message) throw new Error('reply not stored');
    await h.standin.clickAction({ user: 'U0BOB', message: reply.message, actionId: 'icp_plain_text' });
    const eph = await h.standin.waitForCall(
      (c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0BOB' && c.at > reply.at,
    );
    expect(eph.args.channel).toBe('C0GENERAL');
    expect(eph.args.thread_ts).toBe(sent.ts);
    const text = String(eph.args.text);
    for (const url of linksOf(q)) expect(text).toContain(url);
    expect(text).not.toMatch(/<https?:|\*\*|<@/);
  });

  it('feedback buttons thank the clicker and log intent and confidence', async () => {
    const sent = await h.standin.sendMessage({ user: 'U0BOB', text: 'forgot my filing password' });
    const reply = await waitPost((c) => c.args.channel === sent.channel);
    if (!reply.message) throw new Error('reply not stored');
    await h.standin.clickAction({ user: 'U0BOB', message: reply.message, actionId: 'icp_feedback_not_helpful' });
    await h.standin.waitForCall((c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0BOB' && c.at > reply.at);
    const line = await h.bot.waitForLog((l) => l.event === 'feedback' && l.helpful === false);
    expect(typeof line.intent).toBe('string');
    expect(typeof line.confidence).toBe('number');
  });
});

describe('follow-ups, clarifications and new topics', () => {
  it("answers a province follow-up in the bot's thread without a mention, and ignores chatter there", async () => {
    const sent = await h.standin.sendMessage({
      user: 'U0ALICE',
      channel: 'C0GENERAL',
      text: '<@U0BOT> how do I deregister in Zhejiang?',
    });
    const first = await waitPost((c) => c.args.thread_ts === sent.ts);
    await h.standin.sendMessage({ user: 'U0ALICE', channel: 'C0GENERAL', thread_ts: sent.ts, text: 'ok, lunch first' });
    await h.standin.sendMessage({
      user: 'U0BOB',
      channel: 'C0GENERAL',
      thread_ts: sent.ts,
      text: 'what about Guangxi?',
    });
    const next = await waitPost((c) => c.args.thread_ts === sent.ts && c.at > first.at);
    expect(textOf(next)).toContain('Guangxi');
    await settle();
    expect(posts('C0GENERAL').filter((c) => c.args.thread_ts === sent.ts)).toHaveLength(2);
  });

  it('answers a DM follow-up: another topic, then a language switch', async () => {
    const sent = await h.standin.sendMessage({ user: 'U0FRED', text: 'deregister beian Jiangsu' });
    const first = await waitPost((c) => c.args.channel === sent.channel);
    await h.standin.sendMessage({ user: 'U0FRED', text: 'and the password?' });
    const password = await waitPost((c) => c.args.channel === sent.channel && c.at > first.at);
    expect(textOf(password)).toMatch(/17 August 2020/);
    expect(findAction(password, (id) => id.startsWith(ACTIONS.chooseIntent))).toBeUndefined();
    await h.standin.sendMessage({ user: 'U0FRED', text: 'in Chinese please' });
    const zh = await waitPost((c) => c.args.channel === sent.channel && c.at > password.at);
    expect(textOf(zh)).toContain('2020年8月17日');
  });

  it('asks "do you mean the ICP filing password?" for a bare "forgot password", and a button answers it', async () => {
    const sent = await h.standin.sendMessage({ user: 'U0GINA', text: 'forgot my password' });
    const ask = await waitPost((c) => c.args.channel === sent.channel);
    const button = findAction(ask, (id) => id === `${ACTIONS.chooseIntent}:forgot_password`);
    expect(button).toBeDefined();
    expect(findAction(ask, (id) => id === 'icp_plain_text')).toBeUndefined();
    if (!ask.message) throw new Error('ask not stored');
    await h.standin.clickAction({
      user: 'U0GINA',
      message: ask.message,
      actionId: `${ACTIONS.chooseIntent}:forgot_password`,
    });
    const done = await waitPost((c) => c.args.channel === sent.channel && c.at > ask.at);
    expect(textOf(done)).toMatch(/SMS/);
    expectAnswerShape(done);
  });

  it.each([
    ["What's the difference between 注销网站 and 取消接入?", '注销主体'],
    ['we are moving to another cloud provider, what happens to our ICP filing', '新增接入'],
    ['if I delete my domain is the filing cancelled?', 'does not deregister'],
  ])('answers "%s" without asking for a province', async (q, expected) => {
    const sent = await h.standin.sendMessage({ user: 'U0HANK', text: q });
    const reply = await waitPost((c) => c.args.channel === sent.channel && textOf(c).includes(expected));
    expect(findAction(reply, (id) => id === ACTIONS.pickProvince)).toBeUndefined();
  });

  it('"Steps and details" opens the details in place', async () => {
    const sent = await h.standin.sendMessage({ user: 'U0IVY', text: 'deregister my filing in Hebei' });
    const reply = await waitPost((c) => c.args.channel === sent.channel);
    expect(textOf(reply)).not.toContain('business licence');
    if (!reply.message) throw new Error('reply not stored');
    await h.standin.clickAction({ user: 'U0IVY', message: reply.message, actionId: 'icp_details' });
    const open = await h.standin.waitForCall(
      (c) => c.method === 'response_url' && c.at > reply.at && c.args.replace_original === true,
    );
    expect(textOf(open)).toContain('business licence');
    expect(findAction(open, (id) => id === 'icp_details')).toBeUndefined();
  });

  it('answers a Traditional question in Traditional', async () => {
    const sent = await h.standin.sendMessage({ user: 'U0JANE', text: '請問廣東的網站備案要怎麼註銷？' });
    const reply = await waitPost((c) => c.args.channel === sent.channel);
    expect(textOf(reply)).toContain('註銷');
    expect(textOf(reply)).toContain('給客戶的純文字');
  });
});

describe('/icp', () => {
  it('answers only the asker, and "Post to channel" posts it visibly with the asker escaped', async () => {
    const t0 = performance.now();
    const res = await h.standin.sendSlashCommand({
      user: 'U0ALICE',
      channel: 'C0GENERAL',
      text: 'deregister in Zhejiang <!channel>',
    });
    expect(res.status).toBe(200);
    const eph = await h.standin.waitForCall(
      (c) =>
        c.method === 'response_url' &&
        c.at > t0 &&
        c.args.response_type === 'ephemeral' &&
        findAction(c, (id) => id === 'icp_post_to_channel') !== undefined,
    );
    expectAnswerShape(eph);
    if (!eph.message) throw new Error('ephemeral not stored');
    await h.standin.clickAction({ user: 'U0ALICE', message: eph.message, actionId: 'icp_post_to_channel' });
    const visible = await h.standin.waitForCall(
      (c) => c.method === 'response_url' && c.args.response_type === 'in_channel' && c.at > eph.at,
    );
    const text = textOf(visible);
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
    expect(findAction(visible, (id) => id === 'icp_post_to_channel')).toBeUndefined();
  });

  it('/icp and /icp help show what it can answer', async () => {
    for (const text of ['', 'help']) {
      const t0 = performance.now();
      const res = await h.standin.sendSlashCommand({ user: 'U0BOB', channel: 'C0GENERAL', text });
      expect(res.status).toBe(200);
      const help = await h.standin.waitForCall(
        (c) =>
          c.method === 'response_url' &&
          c.args.response_type === 'ephemeral' &&
          c.at > t0 &&
          textOf(c).includes('Usage'),
      );
      expect(blocksOf(help).length).toBeGreaterThan(0);
      expect(findAction(help, (id) => id === 'icp_post_to_channel')).toBeUndefined();
    }
  });
});
