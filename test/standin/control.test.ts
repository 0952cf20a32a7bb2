import http from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Standin } from '../../src/standin/server.js';
import { api, bodyOf, type FakeBot, useStandinWithFakeBot } from './fake-bot.js';

const env = useStandinWithFakeBot();
let bot: FakeBot;
let s: Standin;
beforeAll(() => {
  ({ bot, s } = env);
});

const control = async (path: string, body?: unknown): Promise<Record<string, unknown>> => {
  const res = await fetch(
    `${s.baseUrl}_standin/${path}`,
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  return (await res.json()) as Record<string, unknown>;
};

/** Opens the SSE stream and resolves with the first `message` event's data. */
function nextSseMessage(): Promise<{
  ready: Promise<void>;
  event: Promise<Record<string, unknown>>;
  close: () => void;
}> {
  return new Promise((resolveOuter) => {
    let buf = '';
    let resolveEvent: (v: Record<string, unknown>) => void = () => undefined;
    const event = new Promise<Record<string, unknown>>((r) => (resolveEvent = r));
    let resolveReady: () => void = () => undefined;
    const ready = new Promise<void>((r) => (resolveReady = r));
    const req = http.get(`${s.baseUrl}_standin/events`, (res) => {
      expect(res.headers['content-type']).toContain('text/event-stream');
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        resolveReady();
        const m = /event: message\ndata: (.*)\n\n/.exec(buf);
        if (m?.[1]) resolveEvent(JSON.parse(m[1]) as Record<string, unknown>);
      });
    });
    req.on('error', () => undefined);
    resolveOuter({ ready, event, close: () => req.destroy() });
  });
}

describe('playground control API', () => {
  it('streams a message event when the bot posts', async () => {
    const sse = await nextSseMessage();
    await sse.ready;
    await api(s.apiUrl, 'chat.postMessage', { channel: 'D0LOCAL', text: 'Here is how to deregister' });
    const data = await sse.event;
    sse.close();
    expect(data).toMatchObject({
      kind: 'created',
      message: { channel: 'D0LOCAL', text: 'Here is how to deregister', bot_id: 'B0BOT', ephemeral: false },
    });
  });

  it('turns typed text into a signed event from the local user, and /icp into a slash command', async () => {
    const r = await control('messages', { channel: 'C0GENERAL', text: '<@U0BOT> how do I deregister?' });
    expect(r).toMatchObject({ ok: true, status: 200 });
    const types = bot.received.map((x) => (bodyOf(x).event as Record<string, unknown>).type).sort();
    expect(types).toEqual(['app_mention', 'message']);
    expect((bodyOf(bot.received[0]!).event as Record<string, unknown>).user).toBe('U0LOCAL');
    bot.received.length = 0;
    await control('messages', { channel: 'C0GENERAL', text: '/icp help' });
    expect(bodyOf(bot.received[0]!)).toMatchObject({
      command: '/icp',
      text: 'help',
      user_id: 'U0LOCAL',
      channel_id: 'C0GENERAL',
    });
  });

  it('turns a click into block_actions for the stored message', async () => {
    const posted = await api(s.apiUrl, 'chat.postMessage', {
      channel: 'D0LOCAL',
      text: 'pick',
      blocks: [
        {
          type: 'actions',
          block_id: 'b',
          elements: [
            {
              type: 'static_select',
              action_id: 'province',
              options: [{ text: { type: 'plain_text', text: 'Zhejiang' }, value: 'zhejiang' }],
            },
          ],
        },
      ],
    });
    const r = await control('actions', {
      message_ts: posted.json.ts,
      channel: 'D0LOCAL',
      action_id: 'province',
      block_id: 'b',
      selected_option: { value: 'zhejiang' },
    });
    expect(r.ok).toBe(true);
    expect(bodyOf(bot.received[0]!)).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0LOCAL' },
      actions: [{ action_id: 'province', selected_option: { value: 'zhejiang' } }],
    });
  });

  it('shows the local user’s ephemerals in the state, not other users’', async () => {
    await api(s.apiUrl, 'chat.postEphemeral', { channel: 'C0GENERAL', user: 'U0LOCAL', text: 'mine' });
    await api(s.apiUrl, 'chat.postEphemeral', { channel: 'C0GENERAL', user: 'U0ALICE', text: 'alice only' });
    const state = await control('state');
    expect(state).toMatchObject({ localUser: 'U0LOCAL', dm: 'D0LOCAL', bot: { userId: 'U0BOT' } });
    expect((state.messages as Array<Record<string, unknown>>).map((m) => [m.text, m.ephemeral])).toEqual([
      ['mine', true],
    ]);
    expect((state.channels as Array<Record<string, unknown>>).map((c) => c.id)).toEqual(
      expect.arrayContaining(['C0GENERAL', 'D0LOCAL']),
    );
  });

  it('rejects malformed control requests', async () => {
    const res = await fetch(`${s.baseUrl}_standin/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(res.status).toBe(400);
    expect((await control('actions', { channel: 'D0LOCAL' })).error).toBe('invalid_arguments');
  });
});

describe('control API from a browser', () => {
  it('allows only the origins it was given (CORS), refuses every other page and non-JSON posts', async () => {
    const ok = await fetch(`${s.baseUrl}_standin/state`, { headers: { origin: 'http://localhost:3000' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const pre = await fetch(`${s.baseUrl}_standin/messages`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000' },
    });
    expect(pre.status).toBe(204);
    // Another page on this machine is refused too: it could type as the user.
    for (const origin of ['http://127.0.0.1:3000', 'http://localhost:4000', 'null']) {
      const other = await fetch(`${s.baseUrl}_standin/messages`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: '{"text":"hi"}',
      });
      expect(other.status, origin).toBe(403);
    }
    const evil = await fetch(`${s.baseUrl}_standin/messages`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{"text":"hi"}',
    });
    expect(evil.status).toBe(403);
    const form = await fetch(`${s.baseUrl}_standin/messages`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"text":"hi"}',
    });
    expect(form.status).toBe(415);
    expect(bot.received).toHaveLength(0);
  });

  it('answers only requests for a loopback Host (DNS rebinding cannot read its state)', async () => {
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        http
          .get(
            { host: '127.0.0.1', port: new URL(s.baseUrl).port, path: '/_standin/state', headers: { host } },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          )
          .on('error', reject);
      });
    expect(await get('evil.example:80')).toBe(421);
    expect(await get(`rebind.attacker.test:${new URL(s.baseUrl).port}`)).toBe(421);
    expect(await get(`localhost:${new URL(s.baseUrl).port}`)).toBe(200);
    expect(await get(`127.0.0.1:${new URL(s.baseUrl).port}`)).toBe(200);
  });
});
