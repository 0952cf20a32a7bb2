/**
 * The Socket Mode receiver: for a bot behind a firewall, Slack's requests arrive as envelopes over
 * a WebSocket the bot opens itself (`@slack/socket-mode`, with the app-level token). Each envelope
 * becomes the same typed Inbound the HTTP receiver makes, goes to the same dispatcher, and is
 * acknowledged on the socket only once the dispatcher holds it (with Redis: once durably queued).
 * One it cannot take is left unacknowledged, so Slack sends it again. The client reconnects by
 * itself after a drop or Slack's `disconnect` warning; a repeat is recognised by the dispatcher.
 *
 * Two guards sit in front of the client's own handling (GuardedClient): a message is screened
 * before the client parses it (it reads `payload.event.type` unchecked), and a WebSocket message
 * over 1 MB is refused from its frame header, unread, which closes the connection (it reconnects).
 */
import { SocketModeClient, LogLevel, type Logger as SocketLogger, type SocketModeOptions } from '@slack/socket-mode';
import { performance } from 'node:perf_hooks';
import type { RawData, WebSocket } from 'ws';
import type { Accepted } from './dispatcher.js';
import { fromCommand, fromEventBody, fromInteraction, rec, str, type Inbound } from './inbound.js';
import type { Logger } from './log.js';
import { HTTP_LIMITS } from './receiver-http.js';

interface SocketReceiverDeps {
  appToken: string;
  /** Where apps.connections.open is called (the stand-in in tests). */
  slackApiUrl: string;
  log: Logger;
  accept: (inbound: Inbound) => Promise<Accepted>;
}

export interface SocketReceiver {
  /** Opens the connection (resolves once Slack said hello). */
  start(): Promise<void>;
  /** Closes it: no envelope is taken after this resolves. */
  close(): Promise<void>;
  connected(): boolean;
}

/** An envelope as the client hands it over. */
interface Envelope {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  envelope_id: string;
  type: string;
  body: unknown;
  retry_num?: number;
}

/** The envelope's payload as an Inbound; null for a type we do not handle (acknowledged and dropped). */
export function envelopeInbound(type: string, body: unknown, receivedAt: number): Inbound | null | 'malformed' {
  const payload = rec(body);
  if (!payload) return 'malformed';
  if (type === 'events_api') {
    const parsed = fromEventBody(payload, receivedAt);
    return parsed.ok ? parsed.inbound : 'malformed';
  }
  if (type === 'interactive') return fromInteraction(payload, receivedAt);
  if (type === 'slash_commands') {
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(payload)) if (typeof v === 'string') fields[k] = v;
    return fromCommand(fields, receivedAt);
  }
  return null;
}

/**
 * The client's own names for its events: an envelope whose event had one of these types would be
 * emitted as that event (a `close` would start a second connection), so it never reaches the client.
 */
const CLIENT_EVENTS: ReadonlySet<string> = new Set([
  'error',
  'close',
  'ws_message',
  'slack_event',
  'outgoing_message',
  'connecting',
  'connected',
  'authenticated',
  'reconnecting',
  'disconnecting',
  'disconnected',
]);

type Screened = { pass: true } | { pass: false; why: string; envelopeId: string | undefined };

/**
 * Whether a raw Socket Mode message may go to the client's own handler: not when it is not a JSON
 * object (it would throw on `null`), and not for an events_api envelope without an object
 * payload holding an object event with a type of string (it reads `payload.event.type` unchecked,
 * so the envelope would never be acknowledged), nor one whose event type is a client event name.
 */
export function screenMessage(text: string): Screened {
  let msg: Record<string, unknown> | undefined;
  try {
    msg = rec(JSON.parse(text));
  } catch {
    msg = undefined;
  }
  if (!msg) return { pass: false, why: 'malformed_message', envelopeId: undefined };
  if (msg.type !== 'events_api') return { pass: true };
  const envelopeId = str(msg.envelope_id);
  const type = rec(rec(msg.payload)?.event)?.type;
  if (typeof type !== 'string') return { pass: false, why: 'malformed_envelope', envelopeId };
  if (CLIENT_EVENTS.has(type)) return { pass: false, why: 'reserved_event_type', envelopeId };
  return { pass: true };
}

/** ws's frame parser, whose limit the client gives no way to set (it makes the WebSocket itself). */
interface WsReceiver {
  _maxPayload?: unknown;
}

/**
 * The Socket Mode client with our guards in front: each message is screened before the client's
 * handler sees it (a refused envelope is acknowledged here and logged at warn), and each new
 * connection's frame parser is limited to `maxBytes` per message.
 */
class GuardedClient extends SocketModeClient {
  constructor(
    opts: SocketModeOptions,
    private readonly log: Logger,
    private readonly maxBytes: number,
  ) {
    super(opts);
    // start() emits 'connecting' and then creates the WebSocket in the same tick: a microtask
    // later it exists and has not read a byte yet.
    this.on('connecting', () => queueMicrotask(() => this.limitFrames()));
  }

  protected override async onWebSocketMessage(data: RawData, isBinary: boolean): Promise<void> {
    if (!isBinary) {
      // Parsed twice (here and by the client); a message is at most maxBytes.
      const screened = screenMessage(data.toString());
      if (!screened.pass) {
        this.log.warn({ event: 'request_rejected', reason: screened.why, transport: 'socket' });
        if (screened.envelopeId) await this.ackRaw(screened.envelopeId);
        return;
      }
    }
    try {
      await super.onWebSocketMessage(data, isBinary);
    } catch (err) {
      // Whatever else the client trips on is logged, not left as an unhandled rejection.
      this.log.warn({
        event: 'socket_message_failed',
        reason: err instanceof Error ? err.message.slice(0, 200) : 'error',
      });
    }
  }

  /** An acknowledgement as the client sends one, for an envelope it never saw. */
  private ackRaw(envelopeId: string): Promise<void> {
    return new Promise((resolve) => {
      const ws = this.websocket;
      if (!ws?.isActive()) {
        this.log.warn({ event: 'ack_failed', reason: 'not_connected' });
        return resolve();
      }
      ws.send(JSON.stringify({ envelope_id: envelopeId, payload: {} }), (err) => {
        if (err) this.log.warn({ event: 'ack_failed', reason: err.message.slice(0, 200) });
        resolve();
      });
    });
  }

  /**
   * The new connection's WebSocket gets a per-message limit once open (before its first frame is
   * parsed): a larger message fails on its length, unread, and ws closes the connection (1009).
   */
  private limitFrames(): void {
    const ws = (this.websocket as unknown as { websocket?: WebSocket | null } | undefined)?.websocket;
    if (!ws) return this.unbounded();
    ws.once('open', () => {
      const receiver = (ws as unknown as { _receiver?: WsReceiver })._receiver;
      if (typeof receiver?._maxPayload !== 'number') return this.unbounded();
      receiver._maxPayload = this.maxBytes;
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
        this.log.warn({
          event: 'request_rejected',
          reason: 'envelope_too_large',
          limit: this.maxBytes,
          transport: 'socket',
        });
    });
  }

  /** The client or ws changed inside: messages are then bounded by ws's own default (100 MiB). */
  private unbounded(): void {
    this.log.warn({ event: 'socket_unbounded', reason: 'cannot_limit_message_size' });
  }
}

export function createSocketReceiver(deps: SocketReceiverDeps): SocketReceiver {
  const client = new GuardedClient(
    {
      appToken: deps.appToken,
      logger: quietLogger(deps.log),
      clientOptions: { slackApiUrl: deps.slackApiUrl },
      autoReconnectEnabled: true,
    },
    deps.log,
    HTTP_LIMITS.maxEnvelopeBytes,
  );
  let up = false;
  let closing = false;
  client.on('connected', () => {
    up = true;
    deps.log.info({ event: 'socket_connected' });
  });
  client.on('disconnected', () => {
    if (up && !closing) deps.log.warn({ event: 'socket_disconnected' });
    up = false;
  });
  client.on('reconnecting', () => deps.log.info({ event: 'socket_reconnecting' }));
  client.on('slack_event', (e: Envelope) => void onEnvelope(e));

  async function onEnvelope(e: Envelope): Promise<void> {
    if (closing) return; // not acknowledged: Slack sends it to another connection
    const receivedAt = performance.now();
    const inbound = envelopeInbound(e.type, e.body, receivedAt);
    if (inbound === 'malformed')
      deps.log.warn({ event: 'request_rejected', reason: 'malformed_envelope', type: e.type });
    if (inbound === null || inbound === 'malformed') return ack(e);
    const accepted = await deps.accept(inbound);
    if (accepted === 'accepted' || accepted === 'duplicate') {
      if (accepted === 'duplicate') deps.log.debug({ event: 'duplicate', retry: e.retry_num ?? null });
      return ack(e);
    }
    // Not kept (queue full, Redis down, stopping): no ack, so Slack sends it again.
    deps.log.warn({ event: 'request_rejected', reason: accepted, transport: 'socket' });
  }

  async function ack(e: Envelope): Promise<void> {
    try {
      await e.ack();
    } catch (err) {
      // The connection went away between the envelope and its ack: Slack will send it again.
      deps.log.warn({ event: 'ack_failed', reason: err instanceof Error ? err.message : String(err) });
    }
  }

  return {
    async start() {
      await client.start();
    },
    async close() {
      closing = true;
      await client.disconnect().catch(() => undefined);
    },
    connected: () => up,
  };
}

/**
 * The client's own logger, quietened: its debug lines carry whole payloads (response URLs and
 * question texts), so only warnings and errors pass, through our scrubbing logger.
 */
function quietLogger(log: Logger): SocketLogger {
  let level = LogLevel.WARN;
  const text = (msg: unknown[]) =>
    msg
      .map((m) => (m instanceof Error ? m.message : String(m)))
      .join(' ')
      .slice(0, 500);
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...msg: unknown[]) => log.warn({ event: 'socket_mode', detail: text(msg) }),
    // A message over the limit is ours to report (request_rejected, envelope_too_large), at warn.
    error: (...msg: unknown[]) => {
      const detail = text(msg);
      if (/Max payload size exceeded/.test(detail)) log.debug({ event: 'socket_mode', detail });
      else log.error({ event: 'socket_mode', detail });
    },
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
