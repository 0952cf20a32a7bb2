/**
 * The HTTP receiver on its own, with a real MemoryDispatcher behind it (turns recorded, not run):
 * what is refused before the body is read, what is verified and parsed, what is acknowledged and
 * when, the limits, and the health endpoints.
 */

import net from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryDispatcher, type Accepted } from '../../src/slack/dispatcher.js';
import { dedupeKeys, parseBody, type Inbound } from '../../src/slack/inbound.js';
import { createLogger } from '../../src/slack/log.js';
import { EVENTS_PATH, startHttpReceiver, type HttpReceiver } from '../../src/slack/receiver-http.js';
import { computeSignature } from '../../src/slack/verify.js';

const SECRET = 'unit-secret-0123456789';
let receiver: HttpReceiver;
let base = '';
let logged = '';
const turns: Inbound[] = [];
let ready = true;
let stopping = false;
/** Lets a test answer for the dispatcher (a full queue, a store that is down). */
let override: Accepted | null = null;

const log = createLogger({
  destination: new Writable({ write: (c, _e, cb) => ((logged += String(c)), cb()) }),
  secrets: [SECRET],
});
const dispatcher = new MemoryDispatcher(log);

beforeAll(async () => {
  dispatcher.start(async (i) => void turns.push(i));
  receiver = await startHttpReceiver(
    {
      signingSecret: SECRET,
      log,
      accept: async (i) => override ?? dispatcher.accept(i),
      isReady: () => ready,
      isStopping: () => stopping,
      limits: { maxConnections: 64, maxInFlightBytes: 3 * 1024 * 1024 },
    },
    0,
    '127.0.0.1',
  );
  base = `http://127.0.0.1:${receiver.port}`;
});
afterAll(() => receiver.close());
beforeEach(() => {
  turns.length = 0;
  ready = true;
  stopping = false;
  override = null;
});

function post(
  body: string | Buffer,
  opts: { contentType?: string; sign?: boolean; signature?: string; ts?: number } = {},
) {
  const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' };
  if (opts.sign !== false) {
    headers['x-slack-request-timestamp'] = ts;
    headers['x-slack-signature'] = opts.signature ?? computeSignature(SECRET, ts, body);
  }
  return fetch(`${base}${EVENTS_PATH}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
}

const flush = () => new Promise((r) => setTimeout(r, 20));
const event = (id: string, ev: Record<string, unknown>) =>
  JSON.stringify({ type: 'event_callback', event_id: id, team_id: 'T1', token: 'vtok', event: ev });

/**
 * Sends headers only (and, if given, the start of a body) and resolves with the status line as
 * soon as the server answers: an answer before the body was sent was given without reading it.
 */
function answerBeforeBody(headers: Record<string, string>, declaredLength: number, firstBytes = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(receiver.port, '127.0.0.1', () => {
      const lines = [
        `POST ${EVENTS_PATH} HTTP/1.1`,
        'Host: 127.0.0.1',
        `Content-Length: ${declaredLength}`,
        'Content-Type: application/json',
      ];
      for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
      socket.write(lines.join('\r\n') + '\r\n\r\n' + firstBytes);
    });
    let data = '';
    socket.on('data', (d) => {
      data += d.toString();
      if (data.includes('\r\n')) {
        resolve(data.split('\r\n')[0]!);
        socket.destroy();
      }
    });
    socket.on('error', reject);
    setTimeout(() => reject(new Error('no answer before the body')), 3000).unref();
  });
}

describe('POST /slack/events', () => {
  it('acknowledges a verified event with an empty 200, then runs it without the verification token', async () => {
    const res = await post(
      event('Ev1', { type: 'message', channel: 'D1', channel_type: 'im', user: 'U1', text: 'hi', ts: '1.1' }),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await flush();
    expect(turns).toHaveLength(1);
    const d = turns[0]!;
    expect(d.kind).toBe('event');
    if (d.kind === 'event') {
      expect(d.eventId).toBe('Ev1');
      expect(d.team).toBe('T1');
      expect(d.body.token).toBeUndefined();
    }
  });

  it('acknowledges an event with no conversation, or of a type it does not answer, and starts no turn', async () => {
    const before = turns.length;
    logged = '';
    for (const [id, ev] of [
      ['EvOrg', { type: 'team_access_granted', team_ids: ['T2'] }],
      ['EvNoChannel', { type: 'message', user: 'U1', text: 'hi', ts: '1.2' }],
      ['EvOther', { type: 'channel_created', channel: { id: 'C9', name: 'x' } }],
    ] as const) {
      const res = await post(event(id, ev));
      expect(res.status).toBe(200);
    }
    await flush();
    expect(turns).toHaveLength(before);
    expect(logged).not.toContain('"level":50');
    expect(logged).not.toContain('turn_failed');
  });

  it('refuses a missing, malformed or stale signature before reading the body', async () => {
    const now = Math.floor(Date.now() / 1000);
    const bigBody = 1_000_000; // declared, never sent
    expect(await answerBeforeBody({}, bigBody)).toContain('401');
    expect(
      await answerBeforeBody({ 'X-Slack-Request-Timestamp': String(now), 'X-Slack-Signature': 'v0=short' }, bigBody),
    ).toContain('401');
    expect(
      await answerBeforeBody(
        { 'X-Slack-Request-Timestamp': String(now - 3600), 'X-Slack-Signature': `v0=${'a'.repeat(64)}` },
        bigBody,
      ),
    ).toContain('401');
    expect(
      await answerBeforeBody(
        { 'X-Slack-Request-Timestamp': 'soon', 'X-Slack-Signature': `v0=${'a'.repeat(64)}` },
        bigBody,
      ),
    ).toContain('401');
    expect(logged).toContain('stale_timestamp');
    expect(logged).toContain('malformed_signature');
  });

  it('refuses a body declared over 1 MB before reading it (413)', async () => {
    const headers = {
      'X-Slack-Request-Timestamp': String(Math.floor(Date.now() / 1000)),
      'X-Slack-Signature': `v0=${'a'.repeat(64)}`,
    };
    expect(await answerBeforeBody(headers, 1024 * 1024 + 1)).toContain('413');
  });

  it('answers 503 with Retry-After before ready and while stopping, so Slack sends it again', async () => {
    ready = false;
    const early = await post(event('Ev-early', { type: 'message' }));
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('5');
    ready = true;
    stopping = true;
    expect((await post(event('Ev-late', { type: 'message' }))).status).toBe(503);
    await flush();
    expect(turns).toHaveLength(0);
  });

  it('answers 503 when the dispatcher cannot keep the request (never 200 for a request it lost)', async () => {
    for (const why of ['busy', 'unavailable'] as const) {
      override = why;
      const res = await post(event(`Ev-${why}`, { type: 'message', channel: 'D1' }));
      expect(res.status, why).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
    }
  });

  it('answers url_verification with the challenge only when verified', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c-42', token: 't' });
    expect(await (await post(body)).json()).toEqual({ challenge: 'c-42' });
    expect((await post(body, { sign: false })).status).toBe(401);
    expect((await post(body, { signature: `v0=${'0'.repeat(64)}` })).status).toBe(401);
  });

  it('401 for a wrong signature, and never logs it', async () => {
    const body = event('Ev2', { type: 'message' });
    const sig = computeSignature('another-secret', String(Math.floor(Date.now() / 1000)), body);
    expect((await post(body, { signature: sig })).status).toBe(401);
    expect(logged).toContain('mismatch');
    expect(logged).not.toContain(sig.slice(3));
  });

  it('400 for malformed bodies, 413 over 1 MB sent without a length', async () => {
    expect((await post('{"type":')).status).toBe(400);
    expect((await post('null')).status).toBe(400);
    expect((await post(JSON.stringify({ type: 'event_callback' }))).status).toBe(400);
    expect((await post('payload=%7Bnope', { contentType: 'application/x-www-form-urlencoded' })).status).toBe(400);
    expect((await post('<xml/>', { contentType: 'application/xml' })).status).toBe(400);
    expect((await post(Buffer.alloc(1024 * 1024 + 1, 0x61))).status).toBe(413);
    expect((await post(Buffer.alloc(1024 * 1024 - 10, 0x61))).status).toBe(400);
  });

  it('runs interactions and slash commands, without tokens', async () => {
    const payload = JSON.stringify({
      type: 'block_actions',
      token: 'vtok',
      trigger_id: 't-1',
      team: { id: 'T1' },
      user: { id: 'U1' },
      actions: [],
    });
    expect(
      (await post(`payload=${encodeURIComponent(payload)}`, { contentType: 'application/x-www-form-urlencoded' }))
        .status,
    ).toBe(200);
    const cmd =
      'token=vtok&team_id=T1&channel_id=C1&user_id=U1&command=%2Ficp&text=help&trigger_id=t-2&response_url=http%3A%2F%2F127.0.0.1%2Fr';
    expect((await post(cmd, { contentType: 'application/x-www-form-urlencoded' })).status).toBe(200);
    await flush();
    expect(turns.map((d) => d.kind)).toEqual(['interaction', 'command']);
    const [i, c] = turns;
    if (i?.kind === 'interaction') expect(i.payload.token).toBeUndefined();
    if (c?.kind === 'command') {
      expect(c.fields.token).toBeUndefined();
      expect(c.fields.text).toBe('help');
    }
  });

  it('acknowledges but runs once: a retry, the twin of a mention, a replayed command or click', async () => {
    const msg = { type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: '<@UB> hi', ts: '5.5' };
    await post(event('Ev10', msg));
    expect((await post(event('Ev10', msg))).status).toBe(200);
    expect((await post(event('Ev11', { ...msg, type: 'app_mention' }))).status).toBe(200);
    const cmd =
      'team_id=T1&channel_id=C1&user_id=U1&command=%2Ficp&text=hi&trigger_id=replay-1&response_url=http%3A%2F%2F127.0.0.1%2Fr';
    const click = `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', trigger_id: 'replay-2', team: { id: 'T1' }, user: { id: 'U1' }, actions: [] }))}`;
    for (let k = 0; k < 3; k++) {
      expect((await post(cmd, { contentType: 'application/x-www-form-urlencoded' })).status).toBe(200);
      expect((await post(click, { contentType: 'application/x-www-form-urlencoded' })).status).toBe(200);
    }
    await flush();
    expect(turns.map((t) => t.kind)).toEqual(['event', 'command', 'interaction']);
  });

  it('answers 503 past the bytes it may read at once, without growing', async () => {
    // Two declared 1 MB bodies fill 2 of the 3 MB; a third and a fourth do not fit.
    const headers = {
      'X-Slack-Request-Timestamp': String(Math.floor(Date.now() / 1000)),
      'X-Slack-Signature': `v0=${'a'.repeat(64)}`,
    };
    const open: net.Socket[] = [];
    for (let k = 0; k < 3; k++) {
      const s = net.connect(receiver.port, '127.0.0.1');
      s.write(
        `POST ${EVENTS_PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: ${1024 * 1024}\r\nX-Slack-Request-Timestamp: ${headers['X-Slack-Request-Timestamp']}\r\nX-Slack-Signature: ${headers['X-Slack-Signature']}\r\n\r\nab`,
      );
      open.push(s);
    }
    await flush();
    expect(await answerBeforeBody(headers, 1024 * 1024, 'ab')).toContain('503');
    for (const s of open) s.destroy();
  });
});

describe('connections', () => {
  it('answers 503 to connections past the cap, and serves again once they close', async () => {
    const open: net.Socket[] = [];
    for (let k = 0; k < 64; k++)
      open.push(
        await new Promise<net.Socket>((r) => {
          const s = net.connect(receiver.port, '127.0.0.1', () => r(s));
        }),
      );
    const extra = await new Promise<string>((resolve) => {
      const s = net.connect(receiver.port, '127.0.0.1');
      let data = '';
      s.on('data', (d) => (data += d.toString()));
      s.on('close', () => resolve(data));
    });
    expect(extra).toContain('503');
    for (const s of open) s.destroy();
    await flush();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe('health', () => {
  it('/healthz is 200 while alive; /readyz is 503 until ready and while stopping', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ ready: true });
    ready = false;
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    ready = true;
    stopping = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
  });

  it('404 elsewhere, 405 for a GET of the events path', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}${EVENTS_PATH}`)).status).toBe(405);
  });
});

describe('parseBody and dedupeKeys', () => {
  it('ignores (acknowledges) unknown JSON types and ssl_check', () => {
    expect(parseBody('application/json', Buffer.from('{"type":"app_rate_limited"}'), 0)).toEqual({
      ok: true,
      inbound: null,
    });
    expect(parseBody('application/x-www-form-urlencoded', Buffer.from('ssl_check=1&token=x'), 0)).toEqual({
      ok: true,
      inbound: null,
    });
  });

  it('keys an edit apart from the message it edits, a mention with its twin', () => {
    const mk = (id: string, ev: Record<string, unknown>): Inbound => ({
      kind: 'event',
      body: { event: ev },
      event: ev,
      eventId: id,
      team: null,
      receivedAt: 0,
    });
    expect(dedupeKeys(mk('E1', { type: 'message', channel: 'C', ts: '1.0' }))).toEqual(['event:E1', 'message:C:1.0']);
    expect(dedupeKeys(mk('E2', { type: 'message', subtype: 'message_changed', channel: 'C', ts: '1.0' }))).toEqual([
      'event:E2',
    ]);
    expect(dedupeKeys(mk('E3', { type: 'app_mention', channel: 'C', ts: '1.0' }))).toEqual([
      'event:E3',
      'message:C:1.0',
    ]);
  });
});
