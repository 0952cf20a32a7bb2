import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SeenKeys } from '../../src/slack/dedupe.js';
import { EVENTS_PATH, createApp, isDuplicate, parseBody, type Inbound } from '../../src/slack/http.js';
import { createLogger } from '../../src/slack/log.js';
import { computeSignature } from '../../src/slack/verify.js';

const SECRET = 'unit-secret-0123456789';
let server: Server;
let base = '';
const dispatched: Inbound[] = [];
let logged = '';
const sink = new Writable({
  write(chunk, _enc, cb) {
    logged += String(chunk);
    cb();
  },
});

beforeAll(async () => {
  const app = createApp({
    signingSecret: SECRET,
    log: createLogger({ destination: sink, secrets: [SECRET] }),
    eventIds: new SeenKeys(),
    messageKeys: new SeenKeys(),
    dispatch: (i) => dispatched.push(i),
    isReady: () => true,
    isStopping: () => false,
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  dispatched.length = 0;
});

function post(body: string | Buffer, opts: { contentType?: string; sign?: boolean; signature?: string; ts?: number } = {}) {
  const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' };
  if (opts.sign !== false) {
    headers['x-slack-request-timestamp'] = ts;
    headers['x-slack-signature'] = opts.signature ?? computeSignature(SECRET, ts, body);
  }
  return fetch(`${base}${EVENTS_PATH}`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
}

const flush = () => new Promise((r) => setImmediate(r));
const event = (id: string, ev: Record<string, unknown>) => JSON.stringify({ type: 'event_callback', event_id: id, team_id: 'T1', token: 'vtok', event: ev });

describe('POST /slack/events', () => {
  it('acknowledges a verified event with an empty 200, then dispatches it without the verification token', async () => {
    const res = await post(event('Ev1', { type: 'message', channel: 'D1', channel_type: 'im', user: 'U1', text: 'hi', ts: '1.1' }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await flush();
    expect(dispatched).toHaveLength(1);
    const d = dispatched[0];
    expect(d?.kind).toBe('event');
    if (d?.kind === 'event') {
      expect(d.eventId).toBe('Ev1');
      expect(d.team).toBe('T1');
      expect(d.body.token).toBeUndefined();
    }
  });

  it('answers url_verification with the challenge only when verified', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c-42', token: 't' });
    expect(await (await post(body)).json()).toEqual({ challenge: 'c-42' });
    expect((await post(body, { sign: false })).status).toBe(401);
    expect((await post(body, { signature: 'v0=short' })).status).toBe(401);
  });

  it('401 for a stale timestamp, and never logs the signature', async () => {
    const body = event('Ev2', { type: 'message' });
    const sig = computeSignature(SECRET, String(Math.floor(Date.now() / 1000) - 3600), body);
    const res = await post(body, { ts: Math.floor(Date.now() / 1000) - 3600, signature: sig });
    expect(res.status).toBe(401);
    expect(logged).toContain('stale_timestamp');
    expect(logged).not.toContain(sig.slice(3));
    await flush();
    expect(dispatched).toHaveLength(0);
  });

  it('400 for malformed bodies, 413 over 1 MB', async () => {
    expect((await post('{"type":')).status).toBe(400);
    expect((await post('null')).status).toBe(400);
    expect((await post(JSON.stringify({ type: 'event_callback' }))).status).toBe(400);
    expect((await post('payload=%7Bnope', { contentType: 'application/x-www-form-urlencoded' })).status).toBe(400);
    expect((await post('<xml/>', { contentType: 'application/xml' })).status).toBe(400);
    expect((await post(Buffer.alloc(1024 * 1024 + 1, 0x61))).status).toBe(413);
    // Just under the limit is read (and then fails only on its signature/parse, not its size).
    expect((await post(Buffer.alloc(1024 * 1024 - 10, 0x61))).status).toBe(400);
  });

  it('dispatches interactions and slash commands, without tokens', async () => {
    const payload = JSON.stringify({ type: 'block_actions', token: 'vtok', team: { id: 'T1' }, user: { id: 'U1' }, actions: [] });
    const form = `payload=${encodeURIComponent(payload)}`;
    expect((await post(form, { contentType: 'application/x-www-form-urlencoded' })).status).toBe(200);
    const cmd = 'token=vtok&team_id=T1&channel_id=C1&user_id=U1&command=%2Ficp&text=help&response_url=http%3A%2F%2F127.0.0.1%2Fr';
    expect((await post(cmd, { contentType: 'application/x-www-form-urlencoded' })).status).toBe(200);
    await flush();
    expect(dispatched.map((d) => d.kind)).toEqual(['interaction', 'command']);
    const [i, c] = dispatched;
    if (i?.kind === 'interaction') expect(i.payload.token).toBeUndefined();
    if (c?.kind === 'command') {
      expect(c.fields.token).toBeUndefined();
      expect(c.fields.text).toBe('help');
    }
  });

  it('acknowledges but does not re-dispatch a retry or the twin of a mention', async () => {
    const msg = { type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: '<@UB> hi', ts: '5.5' };
    await post(event('Ev10', msg));
    expect((await post(event('Ev10', msg))).status).toBe(200);
    expect((await post(event('Ev11', { ...msg, type: 'app_mention' }))).status).toBe(200);
    await flush();
    expect(dispatched).toHaveLength(1);
  });

  it('GET /healthz answers 200', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, ready: true });
  });
});

describe('parseBody and isDuplicate', () => {
  it('ignores (acknowledges) unknown JSON types and ssl_check', () => {
    expect(parseBody('application/json', Buffer.from('{"type":"app_rate_limited"}'), 0)).toEqual({ ok: true, inbound: null });
    expect(parseBody('application/x-www-form-urlencoded', Buffer.from('ssl_check=1&token=x'), 0)).toEqual({ ok: true, inbound: null });
  });

  it('does not de-duplicate edits against the message they edit', () => {
    const ids = new SeenKeys();
    const keys = new SeenKeys();
    const mk = (id: string, ev: Record<string, unknown>): Inbound => ({ kind: 'event', body: { event: ev }, eventId: id, team: null, receivedAt: 0 });
    expect(isDuplicate(mk('E1', { type: 'message', channel: 'C', ts: '1.0' }), ids, keys)).toBe(false);
    expect(isDuplicate(mk('E2', { type: 'message', subtype: 'message_changed', channel: 'C', ts: '1.0' }), ids, keys)).toBe(false);
    expect(isDuplicate(mk('E3', { type: 'app_mention', channel: 'C', ts: '1.0' }), ids, keys)).toBe(true);
    expect(isDuplicate(mk('E4', { type: 'message', channel: 'C2', ts: '1.0' }), ids, keys)).toBe(false);
  });
});
