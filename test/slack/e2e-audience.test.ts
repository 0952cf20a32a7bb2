/**
 * Two audiences, end to end against the stand-in: whatever others can read — every message posted
 * or updated in a channel, a thread or a DM, the Home tab, and every private note to a customer —
 * holds nothing on the agent-only list (src/answer/audience.ts), in any field, over every surface:
 * a channel mention, its Details, a thread follow-up, DMs, /icp → Post to channel, the shortcut →
 * Post in thread, the Home tab. "For agents" shows the agent material privately to an agent (a full
 * member: U0LOCAL), and only a note to a guest (U0ALICE) or a Slack Connect user (U0BOB); /icp's
 * and the shortcut's private answers show it to an agent directly. Without users:read nobody is an
 * agent. Helpful after Details reaches the question's row.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findAgentOnly } from '../../src/answer/audience.js';
import { ANSWER_ACTIONS } from '../../src/slack/actions.js';
import type { Message, RecordedCall, Standin } from '../../src/standin/server.js';
import { findAction, sleep, startHarness, textOf, type Harness } from './bot-process.js';

const AGENT = 'U0LOCAL';
const GUEST = 'U0ALICE';
const CONNECT = 'U0BOB';
const CUSTOMERS = new Set([GUEST, CONNECT]);
const DB = join(mkdtempSync(join(tmpdir(), 'icp-e2e-audience-')), 'questions.sqlite');

/** Alice is a guest, Bob a Slack Connect user from another organisation; U0LOCAL a full member. */
const people = (s: Standin) => {
  s.workspace.setGuest(GUEST, 'multi');
  s.workspace.setExternal(CONNECT, 'T0CUSTOMER');
};

/** Everything others may read: each message as it was created or updated, unless ephemeral to an agent. */
function watch(s: Standin): { seen: Message[]; stop: () => void } {
  const seen: Message[] = [];
  const stop = s.workspace.onChange((kind, m) => {
    if (kind === 'deleted' || (m.ephemeral_to && !CUSTOMERS.has(m.ephemeral_to))) return;
    seen.push(JSON.parse(JSON.stringify(m)) as Message);
  });
  return { seen, stop };
}

/** Every field of every public message and Web API call since `since` that names anything on the list. */
function leaks(s: Standin, seen: Message[], since: number): string[] {
  const out: string[] = [];
  for (const m of seen) {
    const found = findAgentOnly(JSON.stringify(m));
    if (found.length) out.push(`${m.channel}/${m.ts} to ${m.ephemeral_to ?? 'everyone'}: ${found.join(', ')}`);
  }
  const publicCall = (c: RecordedCall) =>
    ['chat.postMessage', 'chat.update', 'views.publish'].includes(c.method) ||
    (c.method === 'chat.postEphemeral' && CUSTOMERS.has(String(c.args.user))) ||
    (c.method === 'response_url' && c.args.response_type === 'in_channel');
  for (const c of s.calls.filter((x) => x.at > since && publicCall(x))) {
    const found = findAgentOnly(JSON.stringify(c.args));
    if (found.length) out.push(`${c.method}: ${found.join(', ')}`);
  }
  return out;
}

describe('two audiences', () => {
  let h: Harness;
  let w: ReturnType<typeof watch>;
  let testStart = 0;
  beforeAll(async () => {
    h = await startHarness({ env: { QUESTION_DB: DB }, beforeStart: people });
    w = watch(h.standin);
  });
  afterAll(async () => {
    w.stop();
    await h?.bot.stop();
    await h?.standin.close();
    expect(h.bot.output()).not.toContain('xoxb-');
  });
  beforeEach(() => {
    testStart = performance.now();
    w.seen.length = 0;
  });
  afterEach(() => {
    expect(leaks(h.standin, w.seen, testStart)).toEqual([]);
  });

  const waitCall = (pred: (c: RecordedCall) => boolean): Promise<RecordedCall> =>
    h.standin.waitForCall((c) => c.at > testStart && pred(c), { timeoutMs: 5000 });
  const waitPost = (pred: (c: RecordedCall) => boolean) => waitCall((c) => c.method === 'chat.postMessage' && pred(c));
  const noteTo = (user: string, after = testStart) =>
    waitCall((c) => c.method === 'chat.postEphemeral' && c.args.user === user && c.at > after);
  const forAgents = (c: RecordedCall) => findAction(c, (id) => id === ANSWER_ACTIONS.forAgents);
  const click = async (user: string, message: { ts: string; channel: string } | undefined, actionId: string) => {
    if (!message) throw new Error('message not stored');
    expect((await h.standin.clickAction({ user, message, actionId })).status).toBe(200);
  };
  /** The agent material: the archived address, the vendor, the reading with its confidence. */
  const expectAgentMaterial = (text: string) => {
    expect(text).toMatch(/miitbeian\.gov\.cn/);
    expect(text).toMatch(/JD Cloud/);
    expect(text).toMatch(/confidence [01]\.\d\d/);
  };

  it('a channel mention, its Details and a thread follow-up hold customer material only; For agents is for agents', async () => {
    const sent = await h.standin.sendMessage({
      user: CONNECT,
      channel: 'C0GENERAL',
      text: '<@U0BOT> How do I deregister our ICP filing in Zhejiang?',
    });
    const answer = await waitPost((c) => c.args.thread_ts === sent.ts);
    expect(textOf(answer)).toMatch(/Zhejiang Communications Administration/);
    expect(forAgents(answer)).toBeDefined();

    await click(CONNECT, answer.message, ANSWER_ACTIONS.details);
    const details = await waitCall((c) => c.method === 'response_url' && c.args.replace_original === true);
    // Details adds the customer's steps, and keeps "For agents".
    expect(textOf(details)).toMatch(/Applying at the Communications Administration/);
    expect(forAgents(details)).toBeDefined();

    for (const customer of [CONNECT, GUEST]) {
      const before = performance.now();
      await click(customer, answer.message, ANSWER_ACTIONS.forAgents);
      expect(textOf(await noteTo(customer, before))).toMatch(/support team/);
    }
    await click(AGENT, answer.message, ANSWER_ACTIONS.forAgents);
    const material = await noteTo(AGENT);
    expect(material.args.thread_ts).toBe(sent.ts);
    expectAgentMaterial(textOf(material));

    const follow = await h.standin.sendMessage({
      user: CONNECT,
      channel: 'C0GENERAL',
      thread_ts: sent.ts,
      text: 'what about Guangxi?',
    });
    const next = await waitPost((c) => c.args.thread_ts === sent.ts && c.at > material.at);
    expect(follow.status).toBe(200);
    expect(textOf(next)).toMatch(/Guangxi/);
    expect(forAgents(next)).toBeDefined();
  });

  it('DMs hold customer material only; "For agents" is offered in an agent’s DM and not in a guest’s', async () => {
    const guest = await h.standin.sendMessage({ user: GUEST, text: 'How do I deregister our ICP filing in Beijing?' });
    const toGuest = await waitPost((c) => c.args.channel === guest.channel);
    expect(textOf(toGuest)).toMatch(/Beijing/);
    expect(forAgents(toGuest)).toBeUndefined();
    const zh = await h.standin.sendMessage({ user: CONNECT, text: '廣東的備案怎麼註銷？密碼也忘了' });
    const toConnect = await waitPost((c) => c.args.channel === zh.channel);
    expect(textOf(toConnect)).toMatch(/廣東/);
    expect(forAgents(toConnect)).toBeUndefined();

    const agent = await h.standin.sendMessage({ user: AGENT, text: '上海的备案怎么注销' });
    const toAgent = await waitPost((c) => c.args.channel === agent.channel);
    expect(forAgents(toAgent)).toBeDefined();
    await click(AGENT, toAgent.message, ANSWER_ACTIONS.forAgents);
    const material = textOf(await noteTo(AGENT));
    expect(material).toMatch(/存档地址/);
    expect(material).toMatch(/置信度/);
  });

  it('a DM’s answer does not wait for users.info: a new agent gets it without For agents, the agent material privately after, For agents once known', async () => {
    const NEW_AGENT = 'U0NEWAGENT';
    const NEW_GUEST = 'U0NEWGUEST';
    h.standin.workspace.setGuest(NEW_GUEST, 'single');
    CUSTOMERS.add(NEW_GUEST);
    // users.info slower than everything else: the answer must not wait for it.
    h.standin.delay('users.info', 600);
    try {
      const sentAt = performance.now();
      const dm = await h.standin.sendMessage({
        user: NEW_AGENT,
        text: 'How do I deregister my ICP filing in Zhejiang?',
      });
      const answer = await waitPost((c) => c.args.channel === dm.channel);
      expect(answer.at - sentAt).toBeLessThan(500);
      expect(textOf(answer)).toMatch(/Zhejiang/);
      expect(forAgents(answer)).toBeUndefined();
      // Then, privately to the agent and under the answer: the source line and the reading.
      const material = await waitCall((c) => c.method === 'chat.postEphemeral' && c.args.user === NEW_AGENT);
      expect(material.at).toBeGreaterThan(answer.at);
      expect(material.args.channel).toBe(dm.channel);
      expectAgentMaterial(textOf(material));
      const lookups = h.standin.calls.filter(
        (c) => c.method === 'users.info' && c.args.user === NEW_AGENT && c.at > testStart,
      );
      expect(lookups).toHaveLength(1);
      // Asked for behind the answer, not ahead of it.
      expect(lookups[0]?.at).toBeGreaterThanOrEqual(answer.at);

      // A guest's first DM: the answer, and nothing more once users.info has said who they are.
      const guest = await h.standin.sendMessage({ user: NEW_GUEST, text: 'How do I deregister my filing in Hebei?' });
      const toGuest = await waitPost((c) => c.args.channel === guest.channel);
      expect(forAgents(toGuest)).toBeUndefined();
      await waitCall((c) => c.method === 'users.info' && c.args.user === NEW_GUEST);
      await sleep(900);
      expect(
        h.standin.calls.filter(
          (c) => c.method === 'chat.postEphemeral' && c.args.user === NEW_GUEST && c.at > testStart,
        ),
      ).toEqual([]);

      // The agent known now: the next answer offers For agents itself, and nothing follows it.
      const before = performance.now();
      await h.standin.sendMessage({ user: NEW_AGENT, text: '浙江的备案怎么注销' });
      const next = await waitPost((c) => c.args.channel === dm.channel && c.at > before);
      expect(forAgents(next)).toBeDefined();
      await sleep(300);
      expect(
        h.standin.calls.filter((c) => c.method === 'chat.postEphemeral' && c.args.user === NEW_AGENT && c.at > before),
      ).toEqual([]);
    } finally {
      h.standin.delay('users.info', 0);
    }
  });

  it('a new agent’s question back is looked up behind it: the answer to the province offers For agents itself', async () => {
    const AGENT2 = 'U0NEWAGENT2';
    const asked = await h.standin.sendMessage({ user: AGENT2, text: 'How do I deregister my ICP filing?' });
    const question = await waitPost((c) => c.args.channel === asked.channel);
    expect(forAgents(question)).toBeUndefined();
    await waitCall((c) => c.method === 'users.info' && c.args.user === AGENT2);
    await sleep(200);
    const before = performance.now();
    await h.standin.sendMessage({ user: AGENT2, text: 'Zhejiang' });
    const answer = await waitPost((c) => c.args.channel === asked.channel && c.at > before);
    expect(textOf(answer)).toMatch(/Zhejiang/);
    expect(forAgents(answer)).toBeDefined();
    await sleep(300);
    expect(h.standin.calls.filter((c) => c.method === 'chat.postEphemeral' && c.args.user === AGENT2)).toEqual([]);
  });

  it('/icp: the agent’s private answer shows the agent material, Post to channel only the customer’s', async () => {
    await h.standin.sendSlashCommand({ user: AGENT, channel: 'C0GENERAL', text: 'how do I deregister in Zhejiang' });
    const mine = await waitCall((c) => c.method === 'response_url' && c.args.response_type === 'ephemeral');
    expectAgentMaterial(textOf(mine));
    expect(forAgents(mine)).toBeUndefined();
    await click(AGENT, mine.message, ANSWER_ACTIONS.details);
    const expanded = await waitCall((c) => c.method === 'response_url' && c.args.replace_original === true);
    expectAgentMaterial(textOf(expanded));
    expect(textOf(expanded)).toMatch(/Applying at the Communications Administration/);

    await click(AGENT, mine.message, ANSWER_ACTIONS.postToChannel);
    const posted = await waitCall((c) => c.method === 'response_url' && c.args.response_type === 'in_channel');
    expect(textOf(posted)).toMatch(/Zhejiang/);
    expect(forAgents(posted)).toBeDefined();

    const before = performance.now();
    await h.standin.sendSlashCommand({ user: GUEST, channel: 'C0GENERAL', text: 'how do I deregister in Zhejiang' });
    const theirs = await waitCall(
      (c) => c.method === 'response_url' && c.args.response_type === 'ephemeral' && c.at > before,
    );
    expect(textOf(theirs)).toMatch(/Zhejiang/);
    expect(findAgentOnly(textOf(theirs))).toEqual([]);
  });

  it('the shortcut: the agent sees the agent material privately; Post in thread posts the customer’s', async () => {
    const customer = await h.standin.sendMessage({
      user: CONNECT,
      channel: 'C0GENERAL',
      text: 'Hi, how do we cancel our beian? We are in Hangzhou.',
    });
    await h.standin.messageShortcut({ user: AGENT, message: { channel: 'C0GENERAL', ts: customer.ts } });
    const privately = await waitCall((c) => c.method === 'response_url' && c.args.response_type === 'ephemeral');
    expectAgentMaterial(textOf(privately));
    await click(AGENT, privately.message, ANSWER_ACTIONS.postInThread);
    const inThread = await waitPost((c) => c.args.thread_ts === customer.ts);
    expect(textOf(inThread)).toMatch(/Zhejiang/);
    expect(forAgents(inThread)).toBeDefined();
  });

  it('the Home tab holds customer material only', async () => {
    await h.standin.openHome({ user: CONNECT });
    const call = await waitCall((c) => c.method === 'views.publish');
    expect(JSON.stringify(call.args)).toMatch(/notice_list/);
  });

  it('Helpful after Details reaches the question’s row', async () => {
    const sent = await h.standin.sendMessage({
      user: AGENT,
      channel: 'C0GENERAL',
      text: '<@U0BOT> we forgot the ICP filing password, what now?',
    });
    const answer = await waitPost((c) => c.args.thread_ts === sent.ts);
    await click(AGENT, answer.message, ANSWER_ACTIONS.details);
    await waitCall((c) => c.method === 'response_url' && c.args.replace_original === true);
    // The button pressed is the one of the rebuilt message.
    const rebuilt = h.standin.workspace.find('C0GENERAL', answer.message!.ts);
    expect(JSON.stringify(rebuilt?.blocks)).toMatch(/Before August 2020/);
    await click(AGENT, answer.message, ANSWER_ACTIONS.helpful);
    await noteTo(AGENT);
    await sleep(300);
    expect((await h.bot.stop()).code).toBe(0);
    const db = new Database(DB, { readonly: true });
    const row = db
      .prepare("SELECT feedback FROM questions WHERE intent = 'forgot_password' AND surface = 'mention'")
      .get() as { feedback: string | null } | undefined;
    db.close();
    expect(row).toEqual({ feedback: 'helpful' });
  });
});

describe('without users:read, nobody is an agent', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      beforeStart: (s) => {
        people(s);
        s.fail('users.info', { times: 1000, okFalse: 'missing_scope' });
      },
    });
  });
  afterAll(async () => {
    await h?.bot.stop();
    await h?.standin.close();
  });

  it('/icp shows a full member no agent material, For agents refuses, and it is logged once at warn', async () => {
    await h.standin.sendSlashCommand({ user: AGENT, channel: 'C0GENERAL', text: 'how do I deregister in Zhejiang' });
    const mine = await h.standin.waitForCall((c) => c.method === 'response_url', { timeoutMs: 5000 });
    expect(textOf(mine)).toMatch(/Zhejiang/);
    expect(findAgentOnly(textOf(mine))).toEqual([]);
    const sent = await h.standin.sendMessage({ user: AGENT, channel: 'C0GENERAL', text: '<@U0BOT> 浙江怎么注销备案' });
    const answer = await h.standin.waitForCall((c) => c.method === 'chat.postMessage' && c.args.thread_ts === sent.ts, {
      timeoutMs: 5000,
    });
    if (!answer.message) throw new Error('not stored');
    await h.standin.clickAction({ user: AGENT, message: answer.message, actionId: ANSWER_ACTIONS.forAgents });
    const note = await h.standin.waitForCall((c) => c.method === 'chat.postEphemeral' && c.args.user === AGENT, {
      timeoutMs: 5000,
    });
    expect(textOf(note)).toMatch(/支持团队/);
    expect(findAgentOnly(textOf(note))).toEqual([]);
    // Log lines reach stdout in blocks, at most 100 ms after they are written (src/slack/log.ts).
    await h.bot.waitForLog((l) => l.event === 'user_lookup_failed');
    const warned = h.bot.logLines().filter((l) => l.event === 'user_lookup_failed');
    expect(warned).toEqual([expect.objectContaining({ level: 'warn', reason: 'missing_scope' })]);
    expect(h.bot.output()).not.toContain('xoxb-');
  });
});
