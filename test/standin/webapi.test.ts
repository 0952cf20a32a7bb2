import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Standin, startStandin } from '../../src/standin/server.js';
import { SECRET, TOKEN, api } from './fake-bot.js';

let s: Standin;
beforeAll(async () => {
  s = await startStandin({ signingSecret: SECRET, botToken: TOKEN });
});
afterAll(() => s.close());
beforeEach(() => {
  s.reset();
  s.clearMessages();
});

describe('token check', () => {
  it('accepts the token as a Bearer header or a token field', async () => {
    expect((await api(s.apiUrl, 'auth.test', {})).json).toMatchObject({
      ok: true,
      user_id: 'U0BOT',
      bot_id: 'B0BOT',
      team_id: 'T0LOCAL',
    });
    expect((await api(s.apiUrl, 'auth.test', { token: TOKEN }, { token: null, form: true })).json.ok).toBe(true);
  });

  it('refuses a missing or wrong token, and records the attempt without the token', async () => {
    expect((await api(s.apiUrl, 'auth.test', {}, { token: null })).json).toEqual({ ok: false, error: 'not_authed' });
    expect(
      (await api(s.apiUrl, 'chat.postMessage', { channel: 'C0GENERAL', text: 'x' }, { token: 'xoxb-wrong' })).json,
    ).toEqual({ ok: false, error: 'invalid_auth' });
    const calls = s.callsOf('chat.postMessage');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.tokenOk).toBe(false);
    expect(JSON.stringify(s.calls)).not.toContain('xoxb-wrong');
    expect(s.messages()).toHaveLength(0);
  });
});

describe('chat.postMessage', () => {
  it('returns {ok, channel, ts, message} and stores the message', async () => {
    const r = await api(s.apiUrl, 'chat.postMessage', {
      channel: 'C0GENERAL',
      text: 'hello',
      blocks: [{ type: 'divider' }],
    });
    expect(r.json).toMatchObject({
      ok: true,
      channel: 'C0GENERAL',
      message: { type: 'message', text: 'hello', user: 'U0BOT', bot_id: 'B0BOT', blocks: [{ type: 'divider' }] },
    });
    expect(r.json.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect((r.json.message as Record<string, unknown>).ts).toBe(r.json.ts);
    expect(s.messages('C0GENERAL').map((m) => m.text)).toEqual(['hello']);
  });

  it('accepts form bodies with blocks as a JSON string, and a user id as channel (the DM)', async () => {
    const r = await api(
      s.apiUrl,
      'chat.postMessage',
      { channel: 'U0ALICE', text: 'hi', blocks: [{ type: 'divider' }] },
      { form: true },
    );
    expect(r.json).toMatchObject({ ok: true, channel: 'D0ALICE', message: { blocks: [{ type: 'divider' }] } });
  });

  it('validates like Slack', async () => {
    const post = async (args: Record<string, unknown>, form = false): Promise<unknown> =>
      (await api(s.apiUrl, 'chat.postMessage', args, { form })).json.error;
    expect(await post({ text: 'no channel' })).toBe('channel_not_found');
    expect(await post({ channel: 'C0NOPE', text: 'x' })).toBe('channel_not_found');
    expect(await post({ channel: 'C0GENERAL' })).toBe('no_text');
    expect(await post({ channel: 'C0GENERAL', text: '', blocks: [] })).toBe('no_text');
    expect(await post({ channel: 'C0GENERAL', text: 'x', blocks: { type: 'divider' } })).toBe('invalid_blocks');
    expect(await post({ channel: 'C0GENERAL', text: 'x', blocks: 'not json' }, true)).toBe('invalid_blocks');
    expect(
      await post({
        channel: 'C0GENERAL',
        text: 'x',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'a'.repeat(3001) } }],
      }),
    ).toBe('invalid_blocks');
    expect(
      await post({ channel: 'C0GENERAL', text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }),
    ).toBe('invalid_blocks');
    const longButton = {
      type: 'actions',
      elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b'.repeat(76) } }],
    };
    expect(await post({ channel: 'C0GENERAL', text: 'x', blocks: [longButton] })).toBe('invalid_blocks');
    expect(s.messages()).toHaveLength(0);
  });

  it('explains invalid_blocks with a json-pointer, as Slack does', async () => {
    const r = await api(s.apiUrl, 'chat.postMessage', {
      channel: 'C0GENERAL',
      text: 'x',
      blocks: [{ type: 'divider' }, { type: 'header', text: { type: 'mrkdwn', text: 'h' } }],
    });
    expect(r.json.response_metadata).toEqual({ messages: [expect.stringContaining('/blocks/1/text/type')] });
  });

  it('assigns strictly increasing ts values', async () => {
    const tss: string[] = [];
    for (let i = 0; i < 50; i++)
      tss.push(String((await api(s.apiUrl, 'chat.postMessage', { channel: 'C0GENERAL', text: `m${i}` })).json.ts));
    expect(new Set(tss).size).toBe(50);
    expect([...tss].sort()).toEqual(tss);
  });

  it('counts thread replies on the parent and serves conversations.replies', async () => {
    const parent = await s.sendMessage({ channel: 'C0GENERAL', text: 'question', user: 'U0ALICE' });
    const reply = await api(s.apiUrl, 'chat.postMessage', {
      channel: 'C0GENERAL',
      thread_ts: parent.ts,
      text: 'answer',
    });
    const r = await api(s.apiUrl, 'conversations.replies', { channel: 'C0GENERAL', ts: parent.ts });
    expect(r.json).toMatchObject({
      ok: true,
      messages: [
        { ts: parent.ts, reply_count: 1 },
        { ts: reply.json.ts, thread_ts: parent.ts, text: 'answer' },
      ],
    });
    expect((await api(s.apiUrl, 'conversations.replies', { channel: 'C0GENERAL', ts: '1.000001' })).json.error).toBe(
      'thread_not_found',
    );
  });
});

describe('other methods', () => {
  it('postEphemeral needs a known user and returns message_ts', async () => {
    expect((await api(s.apiUrl, 'chat.postEphemeral', { channel: 'C0GENERAL', text: 'x' })).json.error).toBe(
      'invalid_arguments',
    );
    expect(
      (await api(s.apiUrl, 'chat.postEphemeral', { channel: 'C0GENERAL', user: 'U0NOBODY', text: 'x' })).json.error,
    ).toBe('user_not_found');
    const r = await api(s.apiUrl, 'chat.postEphemeral', { channel: 'C0GENERAL', user: 'U0ALICE', text: 'only you' });
    expect(r.json).toMatchObject({ ok: true, message_ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    expect(s.messages('C0GENERAL')[0]).toMatchObject({ ephemeral_to: 'U0ALICE', text: 'only you' });
    expect(s.callsOf('chat.postEphemeral').at(-1)!.message).toEqual({ channel: 'C0GENERAL', ts: r.json.message_ts });
  });

  it('chat.update edits only the bot’s own messages; chat.delete removes them', async () => {
    const posted = await api(s.apiUrl, 'chat.postMessage', { channel: 'C0GENERAL', text: 'v1' });
    const up = await api(s.apiUrl, 'chat.update', { channel: 'C0GENERAL', ts: posted.json.ts, text: 'v2' });
    expect(up.json).toMatchObject({ ok: true, channel: 'C0GENERAL', ts: posted.json.ts, text: 'v2' });
    expect(s.messages('C0GENERAL')[0]?.text).toBe('v2');
    const human = await s.sendMessage({ channel: 'C0GENERAL', text: 'mine' });
    expect(
      (await api(s.apiUrl, 'chat.update', { channel: 'C0GENERAL', ts: human.ts, text: 'hacked' })).json.error,
    ).toBe('cant_update_message');
    expect((await api(s.apiUrl, 'chat.update', { channel: 'C0GENERAL', ts: '1.000001', text: 'x' })).json.error).toBe(
      'message_not_found',
    );
    expect((await api(s.apiUrl, 'chat.delete', { channel: 'C0GENERAL', ts: posted.json.ts })).json.ok).toBe(true);
    expect(s.messages('C0GENERAL').map((m) => m.text)).toEqual(['mine']);
  });

  it('answers conversations.info, users.info, views.open, reactions.add, and unknown_method', async () => {
    expect((await api(s.apiUrl, 'conversations.info', { channel: 'D0ALICE' })).json).toMatchObject({
      ok: true,
      channel: { id: 'D0ALICE', is_im: true, user: 'U0ALICE' },
    });
    expect((await api(s.apiUrl, 'conversations.info', { channel: 'G0PRIVATE' })).json).toMatchObject({
      channel: { is_group: true, is_private: true },
    });
    expect((await api(s.apiUrl, 'users.info', { user: 'U0ALICE' })).json).toMatchObject({
      ok: true,
      user: { id: 'U0ALICE', name: 'alice' },
    });
    expect((await api(s.apiUrl, 'users.info', { user: 'U0NONE' })).json.error).toBe('user_not_found');
    expect((await api(s.apiUrl, 'views.open', { trigger_id: '1.2.abc', view: { type: 'modal' } })).json).toMatchObject({
      ok: true,
      view: { type: 'modal' },
    });
    const m = await s.sendMessage({ channel: 'C0GENERAL', text: 'nice' });
    expect(
      (await api(s.apiUrl, 'reactions.add', { channel: 'C0GENERAL', timestamp: m.ts, name: 'eyes' })).json.ok,
    ).toBe(true);
    expect(
      (await api(s.apiUrl, 'reactions.add', { channel: 'C0GENERAL', timestamp: m.ts, name: 'eyes' })).json.error,
    ).toBe('already_reacted');
    expect((await api(s.apiUrl, 'chat.scheduleMessage', { channel: 'C0GENERAL', text: 'x' })).json).toEqual({
      ok: false,
      error: 'unknown_method',
    });
  });
});

describe('recording', () => {
  it('records method, args without token, and what was created', async () => {
    await api(
      s.apiUrl,
      'chat.postMessage',
      { channel: 'C0GENERAL', text: 'hi', token: TOKEN },
      { token: null, form: true },
    );
    const [c] = s.calls;
    expect(c).toMatchObject({
      method: 'chat.postMessage',
      args: { channel: 'C0GENERAL', text: 'hi' },
      tokenOk: true,
      status: 200,
      response: { ok: true },
    });
    expect(c!.args.token).toBeUndefined();
    expect(c!.message?.channel).toBe('C0GENERAL');
    expect(JSON.stringify(s.calls)).not.toContain(TOKEN);
  });

  it('waitForCall resolves for past and future calls, and rejects when nothing matches', async () => {
    await api(s.apiUrl, 'auth.test', {});
    expect((await s.waitForCall((c) => c.method === 'auth.test')).method).toBe('auth.test');
    const later = s.waitForCall((c) => c.method === 'users.info');
    await api(s.apiUrl, 'users.info', { user: 'U0BOB' });
    expect((await later).args.user).toBe('U0BOB');
    await expect(s.waitForCall((c) => c.method === 'chat.delete', { timeoutMs: 20 })).rejects.toThrow(
      /no matching call/,
    );
    s.reset();
    expect(s.calls).toHaveLength(0);
  });

  it('keeps at most maxCalls calls', async () => {
    const small = await startStandin({ signingSecret: SECRET, botToken: TOKEN, maxCalls: 3 });
    for (let i = 0; i < 5; i++) await api(small.apiUrl, 'users.info', { user: `U0ALICE`, n: String(i) });
    expect(small.calls.map((c) => c.args.n)).toEqual(['2', '3', '4']);
    await small.close();
  });
});
