/**
 * The HTTP receiver: `POST /slack/events` (events, interactivity, slash commands), `GET /healthz`
 * (alive) and `GET /readyz` (ready to answer). Before a body is read, a request without a
 * well-formed signature and a timestamp inside the 5-minute window is refused, and so is one that
 * would take the server past its limits (connections, bytes being read): nobody unauthenticated
 * can make it hold memory. A verified, parsed request is handed to the dispatcher and acknowledged
 * only once the dispatcher has it (503 when it cannot take it, so Slack retries).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { messages } from '../errors.js';
import type { Accepted } from './dispatcher.js';
import { parseBody, type Inbound } from './inbound.js';
import type { Logger } from './log.js';
import { checkHeaders, verifySlackRequest } from './verify.js';

export const EVENTS_PATH = '/slack/events';

/** Every limit of the HTTP front door in one place. */
export const HTTP_LIMITS = Object.freeze({
  /** A Slack request body is a few KB; 1 MB is generous (413 above). */
  maxBodyBytes: 1024 * 1024,
  /** Socket Mode: the largest envelope (one WebSocket message) read; a larger one closes the connection. */
  maxEnvelopeBytes: 1024 * 1024,
  /** Bytes of request bodies being read at once, across connections (503 above). */
  maxInFlightBytes: 8 * 1024 * 1024,
  /** Open connections (503 and closed above). */
  maxConnections: 256,
  /** Whole request and headers, in ms: a slow sender is cut off. */
  requestTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  /** Above a load balancer's usual 60 s, so it never reuses a connection we just closed. */
  keepAliveTimeoutMs: 65_000,
  /** Seconds Slack (or a load balancer) is told to wait before trying again. */
  retryAfterSeconds: 5,
});

type HttpLimits = { readonly [K in keyof typeof HTTP_LIMITS]: number };

interface ReceiverDeps {
  signingSecret: string;
  log: Logger;
  /** Keeps a verified request for answering; the request is acknowledged only after it resolves. */
  accept: (inbound: Inbound) => Promise<Accepted>;
  isReady: () => boolean;
  isStopping: () => boolean;
  /** false: only /healthz and /readyz (a worker-only instance). */
  events?: boolean;
  now?: () => number;
  limits?: Partial<HttpLimits>;
}

export interface HttpReceiver {
  port: number;
  /** Stops taking connections; open ones are closed after in-flight requests finish. */
  close(): Promise<void>;
}

export async function startHttpReceiver(
  deps: ReceiverDeps,
  port: number,
  host: string | undefined,
): Promise<HttpReceiver> {
  const front = new FrontDoor(deps, { ...HTTP_LIMITS, ...deps.limits });
  const server = http.createServer((req, res) => {
    front.handle(req, res).catch((err: unknown) => {
      deps.log.error({ event: 'request_failed', err });
      if (!res.headersSent)
        res.writeHead(500, { 'content-type': 'text/plain', connection: 'close' }).end(messages.refused(500));
    });
  });
  front.guard(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** The checks and answers of one server: health, then events refused as early as they can be. */
class FrontDoor {
  /** Bytes of bodies being read now (declared, or the maximum when undeclared). */
  private inFlight = 0;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly deps: ReceiverDeps,
    private readonly limits: HttpLimits,
  ) {}

  /** Timeouts, and past the connection cap a 503 at once instead of a turn waiting in memory. */
  guard(server: http.Server): void {
    server.requestTimeout = this.limits.requestTimeoutMs;
    server.headersTimeout = this.limits.headersTimeoutMs;
    server.keepAliveTimeout = this.limits.keepAliveTimeoutMs;
    server.on('connection', (socket: Socket) => {
      if (this.sockets.size >= this.limits.maxConnections) {
        socket.end(
          `HTTP/1.1 503 Service Unavailable\r\nRetry-After: ${this.limits.retryAfterSeconds}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
        );
        socket.destroySoon();
        return;
      }
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && (path === '/healthz' || path === '/readyz')) return this.health(path, res);
    if (path !== EVENTS_PATH || this.deps.events === false) return void this.refuse(req, res, 404, 'not_found');
    if (req.method !== 'POST') return void this.refuse(req, res, 405, 'method_not_allowed');
    if (this.deps.isStopping()) return void this.refuse(req, res, 503, 'stopping');
    const inbound = await this.readVerified(req, res);
    if (inbound) await this.dispatch(inbound, req, res);
  }

  /** /healthz: alive (200 until stopping); /readyz: able to answer (503 until auth.test passed). */
  private health(path: string, res: http.ServerResponse): void {
    const stopping = this.deps.isStopping();
    const ok = path === '/healthz' ? !stopping : this.deps.isReady() && !stopping;
    const body = path === '/healthz' ? { ok } : { ready: ok };
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  /**
   * The request's Inbound once its headers, size, signature and body pass; anything else is
   * answered here (and null returned). What the headers can refuse is refused before the body is read.
   */
  private async readVerified(req: http.IncomingMessage, res: http.ServerResponse): Promise<Inbound | null> {
    const receivedAt = performance.now();
    const now = this.deps.now ?? Date.now;
    const headers = checkHeaders(req.headers['x-slack-request-timestamp'], req.headers['x-slack-signature'], now());
    if (!headers.ok) return this.refuse(req, res, 401, headers.reason);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > this.limits.maxBodyBytes) return this.refuse(req, res, 413, 'body_too_large');
    if (!this.deps.isReady()) return this.refuse(req, res, 503, 'not_ready');
    const reserve = Number.isFinite(declared) ? declared : this.limits.maxBodyBytes;
    if (this.inFlight + reserve > this.limits.maxInFlightBytes) return this.refuse(req, res, 503, 'busy');

    this.inFlight += reserve;
    let raw: Buffer | null;
    try {
      raw = await readBody(req, this.limits.maxBodyBytes);
    } catch {
      this.deps.log.debug({ event: 'request_rejected', reason: 'client_aborted' });
      return null;
    } finally {
      this.inFlight -= reserve;
    }
    if (raw === null) return this.refuse(req, res, 413, 'body_too_large');
    const verdict = verifySlackRequest(
      this.deps.signingSecret,
      { timestamp: headers.timestamp, signature: headers.signature, rawBody: raw },
      now(),
    );
    if (!verdict.ok) return this.refuse(req, res, 401, verdict.reason);
    const parsed = parseBody(req.headers['content-type'] ?? '', raw, receivedAt);
    if (!parsed.ok) return this.refuse(req, res, 400, parsed.why);
    if (parsed.reply) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(parsed.reply));
    else if (!parsed.inbound) res.writeHead(200).end();
    return parsed.inbound;
  }

  /** Acknowledged (200) only once the dispatcher keeps it; else 503, so Slack sends it again. */
  private async dispatch(inbound: Inbound, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const accepted = await this.deps.accept(inbound);
    if (accepted === 'accepted' || accepted === 'duplicate') {
      if (accepted === 'duplicate')
        this.deps.log.debug({ event: 'duplicate', retry: req.headers['x-slack-retry-num'] ?? null });
      res.writeHead(200).end();
      return;
    }
    // Not kept (queue full, store down, stopping).
    this.refuse(req, res, 503, accepted);
  }

  /** Answers without reading the body, and closes the connection so the body is never read. */
  private refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, reason: string): null {
    this.deps.log.warn({ event: 'request_rejected', status, reason });
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'text/plain; charset=utf-8', connection: 'close' };
    if (status === 503) headers['retry-after'] = String(this.limits.retryAfterSeconds);
    res.writeHead(status, headers).end(messages.refused(status));
    req.socket.destroySoon();
    return null;
  }
}

/** The body as bytes, or null once it passes `limit` (reading stops there). */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!done) reject(err);
    });
    req.on('aborted', () => {
      if (!done) reject(new Error('client_aborted'));
    });
  });
}
