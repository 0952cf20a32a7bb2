/**
 * The stand-in's Socket Mode: apps.connections.open, hello, envelopes spread over connections,
 * acknowledgements, retries of unacknowledged envelopes, disconnect warnings.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startStandin, type Standin } from '../../src/standin/server.js';

const BOT = 'xoxb-standin-socket';
const APP = 'xapp-1-standin-socket';
let s: Standin;

beforeEach(async () => {
  s = await startStandin({
    signingSecret: 'x',
    botToken: BOT,
    appToken: APP,
    transport: 'socket',
    socketAckTimeoutMs: 200,
  });
});
afterEach(async () => {
  await s.close();
});

async function open(token = APP): Promise<Record<string, unknown>> {
  const res = await fetch(`${s.apiUrl}apps.connections.open`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  return (await res.json()) as Record<string, unknown>;
}

/** A client that records what it receives and acknowledges envelopes when told to. */
async function connect(opts: { ack: boolean }): Promise<{ ws: WebSocket; got: Record<string, unknown>[] }> {
  const { url } = await open();
  const ws = new WebSocket(String(url));
  const got: Record<string, unknown>[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as Record<string, unknown>;
    got.push(m);
    if (opts.ack && typeof m.envelope_id === 'string') ws.send(JSON.stringify({ envelope_id: m.envelope_id }));
  });
  await new Promise((r) => ws.once('open', r));
  while (!got.some((m) => m.type === 'hello')) await new Promise((r) => setTimeout(r, 5));
  return { ws, got };
}

describe('stand-in Socket Mode', () => {
  it('opens connections only with the app-level token, each URL once', async () => {
    expect(await open(BOT)).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await open('xapp-wrong')).toEqual({ ok: false, error: 'invalid_auth' });
    const first = await open();
    expect(first.ok).toBe(true);
    expect(String(first.url)).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/socket\?ticket=/);
    const a = new WebSocket(String(first.url));
    await new Promise((r) => a.once('open', r));
    const b = new WebSocket(String(first.url));
    const status = await new Promise<number>((r) =>
      b.once('unexpected-response', (_req, res) => r(res.statusCode ?? 0)),
    );
    expect(status).toBe(401);
    a.close();
  });

  it('sends an event as an events_api envelope and times its acknowledgement', async () => {
    const c = await connect({ ack: true });
    const sent = await s.sendMessage({ user: 'U0ALICE', text: 'hello' });
    expect(sent.status).toBe(200);
    const env = c.got.find((m) => m.type === 'events_api')!;
    expect(env).toMatchObject({
      retry_attempt: 0,
      accepts_response_payload: false,
      payload: { type: 'event_callback', event: { type: 'message', text: 'hello' } },
    });
    c.ws.close();
  });

  it('sends an unacknowledged envelope again, then gives up', async () => {
    const c = await connect({ ack: false });
    const sent = await s.sendMessage({ user: 'U0ALICE', text: 'hello' });
    expect(sent.status).toBe(0);
    const attempts = c.got.filter((m) => m.type === 'events_api').map((m) => [m.retry_attempt, m.retry_reason]);
    expect(attempts).toEqual([
      [0, ''],
      [1, 'timeout'],
      [2, 'timeout'],
      [3, 'timeout'],
    ]);
    c.ws.close();
  });

  it('holds envelopes while no connection is open, and spreads them over several', async () => {
    const pending = s.sendSlashCommand({ user: 'U0BOB', text: 'hi' });
    await new Promise((r) => setTimeout(r, 50));
    const a = await connect({ ack: true });
    expect((await pending).status).toBe(200);
    expect(a.got.find((m) => m.type === 'slash_commands')).toMatchObject({
      accepts_response_payload: true,
      payload: { command: '/icp', text: 'hi' },
    });
    const b = await connect({ ack: true });
    for (let i = 0; i < 4; i++) await s.sendMessage({ user: 'U0ALICE', text: `m${i}` });
    expect(a.got.filter((m) => m.type === 'events_api').length).toBeGreaterThan(0);
    expect(b.got.filter((m) => m.type === 'events_api').length).toBeGreaterThan(0);
    s.socket.disconnect('warning');
    await new Promise((r) => setTimeout(r, 50));
    expect(a.got.at(-1)).toMatchObject({ type: 'disconnect', reason: 'warning' });
    a.ws.close();
    b.ws.close();
  });
});
