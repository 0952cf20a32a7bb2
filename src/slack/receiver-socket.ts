/**
 * The Socket Mode receiver: for a bot behind a firewall, Slack's requests arrive as envelopes over
 * a WebSocket the bot opens itself (`@slack/socket-mode`, with the app-level token). Each envelope
 * becomes the same typed Inbound the HTTP receiver makes, goes to the same dispatcher, and is
 * acknowledged on the socket only once the dispatcher holds it (with Redis: once durably queued).
 * One it cannot take is left unacknowledged, so Slack sends it again. The client reconnects by
 * itself after a drop or Slack's `disconnect` warning; a repeat is recognised by the dispatcher.
 */
import { SocketModeClient, LogLevel, type Logger as SocketLogger } from '@slack/socket-mode';
import { performance } from 'node:perf_hooks';
import type { Accepted } from './dispatcher.js';
import { fromCommand, fromEventBody, fromInteraction, rec, type Inbound } from './inbound.js';
import type { Logger } from './log.js';

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

export function createSocketReceiver(deps: SocketReceiverDeps): SocketReceiver {
  const client = new SocketModeClient({
    appToken: deps.appToken,
    logger: quietLogger(deps.log),
    clientOptions: { slackApiUrl: deps.slackApiUrl },
    autoReconnectEnabled: true,
  });
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
    error: (...msg: unknown[]) => log.error({ event: 'socket_mode', detail: text(msg) }),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
