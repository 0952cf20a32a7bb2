/** The handlers alone: real core, a recording SlackOut, the memory pending store, a fake clock. */
import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/render-blocks.js';
import { createHandlers, readClick } from '../../src/slack/handlers.js';
import { createLogger } from '../../src/slack/log.js';
import { MemoryPendingStore } from '../../src/slack/pending.js';
import type { Body, SlackOut } from '../../src/slack/webapi.js';

type Sent = { method: string; args: Body; url?: string };
let sent: Sent[];
let logs: string;
let now: number;
let failPosts: boolean;

const out: SlackOut = {
  postMessage: async (args) => (sent.push({ method: 'postMessage', args }), failPosts ? null : { ok: true, ts: '9.9' }),
  postEphemeral: async (args) => (sent.push({ method: 'postEphemeral', args }), { ok: true }),
  update: async (args) => (sent.push({ method: 'update', args }), { ok: true }),
  respond: async (url, args) => (sent.push({ method: 'respond', args, url }), true),
};

function setup(ttl = 60_000) {
  const destination = new Writable({
    write(c, _e, cb) {
      logs += String(c);
      cb();
    },
  });
  return createHandlers({ out, pending: new MemoryPendingStore(() => now), pendingTtlMs: ttl, log: createLogger({ destination }), botUserId: () => 'UBOT', now: () => now });
}

const ctx = { eventId: 'Ev1', team: 'T1', receivedAt: 0 };
const dm = (text: string, user = 'U1') => ({ type: 'message', channel: `D${user}`, channel_type: 'im', user, text, ts: String(++now) });
const elements = (args: Body): Record<string, unknown>[] =>
  (args.blocks as Record<string, unknown>[]).flatMap((b) =>
    [...((b.elements as Record<string, unknown>[] | undefined) ?? []), ...(b.accessory ? [b.accessory as Record<string, unknown>] : [])].map(
      (e): Record<string, unknown> => ({ ...e, block_id: b.block_id }),
    ),
  );
const picker = (args: Body) => elements(args).find((e) => e.action_id === ACTIONS.pickProvince);
const click = (user: string, action: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'block_actions',
  user: { id: user },
  team: { id: 'T1' },
  channel: { id: 'DU1' },
  container: { type: 'message', channel_id: 'DU1', message_ts: '9.9' },
  response_url: 'http://127.0.0.1:1/response/x',
  actions: [action],
  ...extra,
});

beforeEach(() => {
  sent = [];
  logs = '';
  now = 1_000;
  failPosts = false;
});

describe('messages', () => {
  it('asks for a missing province, then a typed city completes it and is forgotten', async () => {
    const h = setup();
    expect(await h.onMessage(dm('how do I deregister my ICP filing'), ctx)).toBe('asked');
    expect(picker(sent[0]!.args)?.block_id).toMatch(/^icp_province:/);
    expect(await h.onMessage(dm('Hangzhou'), ctx)).toBe('completed');
    expect(sent[1]!.args.channel).toBe('DU1');
    // The question is answered: the next city is a new question, not a completion.
    expect(await h.onMessage(dm('Hangzhou'), ctx)).not.toBe('completed');
    expect(logs).toContain('"surface":"typed"');
  });

  it('a new core question replaces the pending one instead of completing it', async () => {
    const h = setup();
    await h.onMessage(dm('how do I deregister my ICP filing'), ctx);
    const outcome = await h.onMessage(dm('I forgot my ICP filing password for Zhejiang'), ctx);
    expect(outcome).not.toBe('completed');
  });

  it('ignores channel chatter and its own messages; reports a failed post', async () => {
    const h = setup();
    expect(await h.onMessage({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'deregister zhejiang', ts: '1.1' }, ctx)).toBe('ignored');
    expect(await h.onMessage({ ...dm('deregister zhejiang'), user: 'UBOT' }, ctx)).toBe('ignored');
    failPosts = true;
    expect(await h.onMessage(dm('deregister zhejiang'), ctx)).toBe('failed');
  });
});

describe('clicks', () => {
  it('a pick completes the question for its asker only; an unknown ref gets the expiry notice', async () => {
    const h = setup();
    await h.onMessage(dm('how do I deregister my ICP filing'), ctx);
    const p = picker(sent[0]!.args)!;
    const action = { type: 'static_select', action_id: ACTIONS.pickProvince, block_id: p.block_id, selected_option: { value: 'zhejiang' } };
    expect(await h.onBlockActions(click('U2', action), ctx)).toBe('notified');
    expect(await h.onBlockActions(click('U1', action), ctx)).toBe('completed');
    expect(await h.onBlockActions(click('U1', action), ctx)).toBe('notified');
    const notice = sent[sent.length - 1]!;
    expect(notice.method).toBe('postEphemeral');
    expect(String(notice.args.text)).toMatch(/ask it again/);
  });

  it('a pick after the TTL is expired', async () => {
    const h = setup(1000);
    await h.onMessage(dm('how do I deregister my ICP filing'), ctx);
    const p = picker(sent[0]!.args)!;
    now += 1001;
    await h.onBlockActions(click('U1', { type: 'static_select', action_id: ACTIONS.pickProvince, block_id: p.block_id, selected_option: { value: 'zhejiang' } }), ctx);
    expect(String(sent[sent.length - 1]!.args.text)).toContain('for 1 minute)');
  });

  it('feedback is logged with intent and confidence; unknown actions are ignored', async () => {
    const h = setup();
    await h.onMessage(dm('deregister zhejiang'), ctx);
    const helpful = elements(sent[0]!.args).find((e) => e.action_id === 'icp_feedback_helpful')!;
    expect(await h.onBlockActions(click('U1', { type: 'button', action_id: helpful.action_id, value: helpful.value }), ctx)).toBe('notified');
    expect(logs).toMatch(/"event":"feedback","helpful":true,"intent":"deregister","confidence":0\.\d+/);
    expect(await h.onBlockActions(click('U1', { type: 'button', action_id: 'something_else', value: 'x' }), ctx)).toBe('ignored');
    expect(await h.onBlockActions({ type: 'view_submission' }, ctx)).toBe('ignored');
  });
});

describe('/icp', () => {
  it('answers ephemerally via response_url, with Post to channel; help has none', async () => {
    const h = setup();
    await h.onSlashCommand({ text: 'deregister zhejiang', response_url: 'http://127.0.0.1:1/r', channel_id: 'C1', user_id: 'U1', team_id: 'T1' }, ctx);
    expect(sent[0]).toMatchObject({ method: 'respond', args: { response_type: 'ephemeral' } });
    expect(elements(sent[0]!.args).some((e) => e.action_id === 'icp_post_to_channel')).toBe(true);
    await h.onSlashCommand({ text: 'help', response_url: 'http://127.0.0.1:1/r', channel_id: 'C1', user_id: 'U1' }, ctx);
    expect(elements(sent[1]!.args).some((e) => e.action_id === 'icp_post_to_channel')).toBe(false);
  });
});

describe('readClick', () => {
  it('takes the thread from the container, where block_actions carry it', () => {
    const c = readClick(click('U1', { type: 'button', action_id: 'a', value: 'v' }, { container: { channel_id: 'C1', thread_ts: '5.5', is_ephemeral: true }, channel: undefined }));
    expect(c).toMatchObject({ channel: 'C1', threadTs: '5.5', isEphemeral: true, value: 'v' });
  });
});
