/**
 * Socket Mode, as Slack documents it: `apps.connections.open` (app-level token) hands out a
 * single-use WebSocket URL; on connect the server says `hello`; requests arrive as envelopes
 * `{envelope_id, type: events_api | interactive | slash_commands, payload, accepts_response_payload,
 * retry_attempt, retry_reason}`, spread over the open connections; the app acknowledges each with
 * `{envelope_id, payload?}`. An envelope not acknowledged within `ackTimeoutMs` is sent again
 * (retry_attempt + 1, to any open connection), at most `maxRetries` times; with no connection open
 * it waits for one, and one sent on a connection that closed before acknowledging it goes out again
 * as soon as a connection is open (not counted as a timeout). `disconnect(reason)` sends Slack's `{type: 'disconnect'}` warning (the app
 * reconnects); `drop()` cuts every connection without a word, as a network failure would.
 * `sendRaw(frame, envelopeId)` sends one frame exactly as given (a malformed or oversized envelope),
 * never again, and resolves on that envelope id's acknowledgement or after a timeout.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { AckResult } from './driver.js';

export type EnvelopeType = 'events_api' | 'interactive' | 'slash_commands';

const SOCKET_PATH = '/socket';

interface SocketHubOptions {
  appId: string;
  /** Slack waits about 3 s for an acknowledgement before it sends the envelope again. */
  ackTimeoutMs?: number;
  maxRetries?: number;
  /** Slack pings every few seconds; the client drops a connection that goes quiet. */
  pingMs?: number;
}

interface Outstanding {
  envelope: {
    envelope_id: string;
    type: EnvelopeType;
    payload: Record<string, unknown>;
    accepts_response_payload: boolean;
    retry_attempt: number;
    retry_reason: string;
  };
  firstSentAt: number;
  sentTo: WebSocket | null;
  timer: NodeJS.Timeout | null;
  /** Acknowledgements it waited for in vain on an open connection. */
  timeouts: number;
  resolve: (r: AckResult) => void;
}

export class SocketHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  private readonly tickets = new Set<string>();
  private readonly open: WebSocket[] = [];
  private readonly outstanding = new Map<string, Outstanding>();
  /** sendRaw's frames waiting for their acknowledgement, by envelope id. */
  private readonly rawWaiting = new Map<string, (r: AckResult) => void>();
  private next = 0;
  private readonly pinger: NodeJS.Timeout;
  /** Envelopes sent (retries included) and acknowledgements received, for tests. */
  readonly counts = { sent: 0, acked: 0, retried: 0, connections: 0 };

  constructor(private readonly opts: SocketHubOptions) {
    this.pinger = setInterval(() => {
      for (const ws of this.open) ws.ping();
    }, opts.pingMs ?? 5_000);
    this.pinger.unref();
  }

  /** The answer to apps.connections.open: a single-use URL on this server. */
  openUrl(baseUrl: string): string {
    const ticket = randomBytes(12).toString('hex');
    this.tickets.add(ticket);
    return `${baseUrl.replace(/^http/, 'ws').replace(/\/$/, '')}${SOCKET_PATH}?ticket=${ticket}`;
  }

  get connections(): number {
    return this.open.length;
  }

  /** Takes an HTTP upgrade on SOCKET_PATH with a valid ticket; false when it is not ours. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== SOCKET_PATH) return false;
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n');
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    return true;
  }

  private accept(ws: WebSocket): void {
    this.open.push(ws);
    this.counts.connections += 1;
    ws.on('message', (data: RawData) => this.onAck(data));
    ws.on('close', () => {
      const i = this.open.indexOf(ws);
      if (i >= 0) this.open.splice(i, 1);
      // What it had not acknowledged goes to another connection, now or once there is one.
      for (const o of this.outstanding.values()) {
        if (o.sentTo !== ws) continue;
        o.envelope = { ...o.envelope, retry_attempt: o.envelope.retry_attempt + 1, retry_reason: 'connection_closed' };
        this.counts.retried += 1;
        this.send(o);
      }
    });
    ws.on('error', () => ws.terminate());
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open.length,
        debug_info: { host: 'standin', approximate_connection_time: 3600 },
        connection_info: { app_id: this.opts.appId },
      }),
    );
    // Envelopes that waited for a connection go out now.
    for (const o of this.outstanding.values()) if (o.sentTo === null) this.send(o);
  }

  /** Sends one request as an envelope; resolves on its first acknowledgement, or after the last retry. */
  deliver(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    retryAttempt = 0,
    retryReason = '',
  ): Promise<AckResult> {
    return new Promise((resolve) => {
      const o: Outstanding = {
        envelope: {
          envelope_id: randomUUID(),
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          retry_attempt: retryAttempt,
          retry_reason: retryReason,
        },
        firstSentAt: performance.now(),
        sentTo: null,
        timer: null,
        timeouts: 0,
        resolve,
      };
      this.outstanding.set(o.envelope.envelope_id, o);
      // However long it waits for connections, it gives up in the end, as Slack does.
      const ack = this.opts.ackTimeoutMs ?? 3_000;
      setTimeout(() => this.giveUp(o), ack * ((this.opts.maxRetries ?? 3) + 1) * 3).unref();
      this.send(o);
    });
  }

  private giveUp(o: Outstanding): void {
    if (!this.outstanding.delete(o.envelope.envelope_id)) return;
    if (o.timer) clearTimeout(o.timer);
    o.resolve({ status: 0, body: '', ackMs: performance.now() - o.firstSentAt, error: 'not acknowledged' });
  }

  private send(o: Outstanding): void {
    const ws = this.pick();
    o.sentTo = ws;
    if (o.timer) clearTimeout(o.timer);
    o.timer = null;
    if (!ws) return; // waits for a connection (accept sends it)
    o.timer = setTimeout(() => this.timedOut(o), this.opts.ackTimeoutMs ?? 3_000);
    o.timer.unref();
    this.counts.sent += 1;
    ws.send(JSON.stringify(o.envelope));
  }

  private timedOut(o: Outstanding): void {
    if (!this.outstanding.has(o.envelope.envelope_id)) return;
    o.timeouts += 1;
    if (o.timeouts > (this.opts.maxRetries ?? 3)) return this.giveUp(o);
    o.envelope = { ...o.envelope, retry_attempt: o.envelope.retry_attempt + 1, retry_reason: 'timeout' };
    this.counts.retried += 1;
    this.send(o);
  }

  private onAck(data: RawData): void {
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString());
    } catch {
      return;
    }
    const id = typeof msg === 'object' && msg !== null ? (msg as { envelope_id?: unknown }).envelope_id : undefined;
    const raw = typeof id === 'string' ? this.rawWaiting.get(id) : undefined;
    if (raw) {
      this.counts.acked += 1;
      return raw({ status: 200, body: '', ackMs: 0 });
    }
    const o = typeof id === 'string' ? this.outstanding.get(id) : undefined;
    if (!o) return;
    this.outstanding.delete(o.envelope.envelope_id);
    if (o.timer) clearTimeout(o.timer);
    this.counts.acked += 1;
    const payload = (msg as { payload?: unknown }).payload;
    const body =
      typeof payload === 'object' && payload !== null && Object.keys(payload).length > 0 ? JSON.stringify(payload) : '';
    o.resolve({ status: 200, body, ackMs: performance.now() - o.firstSentAt });
  }

  /**
   * One frame exactly as given, to one open connection, not tracked for retries: for envelopes
   * Slack should never send (no payload, too large). Resolves with status 200 once `envelopeId` is
   * acknowledged; status 0 when there is no connection or nothing came within `timeoutMs`.
   */
  sendRaw(frame: string, envelopeId: string, timeoutMs = 3_000): Promise<AckResult> {
    const started = performance.now();
    const ws = this.pick();
    if (!ws) return Promise.resolve({ status: 0, body: '', ackMs: 0, error: 'no connection' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => done({ status: 0, body: '', ackMs: 0, error: 'not acknowledged' }), timeoutMs);
      const done = (r: AckResult): void => {
        clearTimeout(timer);
        this.rawWaiting.delete(envelopeId);
        resolve({ ...r, ackMs: performance.now() - started });
      };
      this.rawWaiting.set(envelopeId, done);
      this.counts.sent += 1;
      ws.send(frame);
    });
  }

  /** Round robin over the open connections, as Slack spreads envelopes. */
  private pick(): WebSocket | null {
    const live = this.open.filter((ws) => ws.readyState === WebSocket.OPEN);
    if (live.length === 0) return null;
    return live[this.next++ % live.length]!;
  }

  /** Slack's warning before it closes a connection ('warning', 'refresh_requested', 'link_disabled'). */
  disconnect(reason = 'refresh_requested'): void {
    for (const ws of this.open)
      ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'standin' } }));
  }

  /** Cuts every connection at once, no close frame: a network failure. */
  drop(): void {
    for (const ws of [...this.open]) ws.terminate();
  }

  close(): void {
    clearInterval(this.pinger);
    for (const o of this.outstanding.values()) {
      if (o.timer) clearTimeout(o.timer);
      o.resolve({ status: 0, body: '', ackMs: performance.now() - o.firstSentAt, error: 'stand-in closed' });
    }
    this.outstanding.clear();
    for (const ws of [...this.open]) ws.terminate();
    this.wss.close();
  }
}
