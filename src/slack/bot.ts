/**
 * Wiring: HTTP front door → (queue until ready) → adapter → Botkit → handlers. Start-up listens
 * first (so Slack gets its 200s at once), learns the bot's user id with auth.test through
 * SLACK_API_URL, then drains what arrived meanwhile. Stop: refuse new requests, finish in flight.
 */
import botkitPkg from 'botkit';
import type { WebClient } from '@slack/web-api';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { answer } from '../answer.js';
import { renderBlocks } from '../render-blocks.js';
import { understand } from '../understand.js';
import { IcpSlackAdapter } from './adapter.js';
import type { BotConfig } from './config.js';
import { SeenKeys } from './dedupe.js';
import type { SlackMessageEvent } from './filters.js';
import { createHandlers, type Handlers, type TurnContext } from './handlers.js';
import { createApp, type Inbound } from './http.js';
import type { Logger } from './log.js';
import { MemoryPendingStore, type PendingStore } from './pending.js';
import { createSlackOut, createWebClient, failureReason, responseOrigins } from './webapi.js';

const { Botkit } = botkitPkg;

/** Botkit event names under which a person's message can arrive (after the adapter's classification). */
const MESSAGE_EVENTS = ['message', 'direct_message', 'direct_mention', 'mention', 'app_mention', 'file_share', 'thread_broadcast'];
/** auth.test answers that no amount of retrying will fix. */
const FATAL_AUTH = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);
/** Events kept while start-up is not finished; beyond this the oldest are dropped (and logged). */
const MAX_EARLY_EVENTS = 10_000;
/** Requests that go through Botkit at the same time; the rest wait their turn, in order. */
const MAX_CONCURRENT_TURNS = 16;
/** Our own context rides along inside the payload, since Botkit hands handlers only the payload. */
const CTX_KEY = '_icp_ctx';

export interface RunningBot {
  port: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  pending?: PendingStore;
  /** Called when the token is rejected at start-up (main.ts exits). */
  onFatal?: (reason: string) => void;
}

export async function startBot(config: BotConfig, log: Logger, opts: StartOptions = {}): Promise<RunningBot> {
  const client = createWebClient(config.botToken, config.slackApiUrl, log);
  const out = createSlackOut(client, log, { responseOrigins: responseOrigins(config.slackApiUrl) });
  let botUserId: string | null = null;
  let deliver: ((inbound: Inbound) => Promise<void>) | null = null;
  let stopping = false;
  const early: Inbound[] = [];

  const handlers = createHandlers({
    out,
    pending: opts.pending ?? new MemoryPendingStore(),
    pendingTtlMs: config.pendingTtlMs,
    log,
    botUserId: () => botUserId,
  });

  // Acknowledged requests wait here and go through Botkit a few at a time. Each turn of the event
  // loop then does little work, so new requests are acknowledged at once even when replies run
  // behind (Slack retries what is not acknowledged within 3 s).
  const waiting = new Fifo<Inbound>();
  let running = 0;
  let drained: (() => void) | null = null;
  const pump = (): void => {
    while (deliver && running < MAX_CONCURRENT_TURNS && waiting.size > 0) {
      const inbound = waiting.shift()!;
      running++;
      void deliver(inbound)
        .catch((err: unknown) => log.error({ event: 'handler_failed', kind: inbound.kind, reason: failureReason(err) }))
        .finally(() => {
          running--;
          if (running === 0 && waiting.size === 0) drained?.();
          setImmediate(pump);
        });
    }
  };
  const enqueue = (inbound: Inbound): void => {
    waiting.push(inbound);
    pump();
  };

  const app = createApp({
    signingSecret: config.signingSecret,
    log,
    eventIds: new SeenKeys(),
    messageKeys: new SeenKeys(),
    isReady: () => deliver !== null,
    isStopping: () => stopping,
    dispatch: (inbound) => {
      if (deliver) return enqueue(inbound);
      if (early.push(inbound) > MAX_EARLY_EVENTS) {
        early.shift();
        log.warn({ event: 'early_event_dropped' });
      }
    },
  });

  const server = await listen(app, config.port, config.host);
  const port = (server.address() as AddressInfo).port;
  log.info({ event: 'listening', port, slack_api_url: config.slackApiUrl });

  void (async () => {
    botUserId = await whoAmI(client, log, opts.onFatal, () => stopping);
    // The core loads and indexes its data on first use; pay that before the first question, not during it.
    if (!warmUp(log)) {
      opts.onFatal?.('core_failed');
      return;
    }
    if (botUserId === null) return;
    deliver = createDelivery(config, client, botUserId, handlers, log);
    log.info({ event: 'ready', bot_user_id: botUserId, queued: early.length });
    for (const inbound of early.splice(0)) enqueue(inbound);
  })();

  return {
    port,
    async stop() {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Finish what was accepted; in-flight work may enqueue nothing new (the server refuses).
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref());
      const idle = running === 0 && waiting.size === 0 ? Promise.resolve() : new Promise<void>((r) => (drained = r));
      await Promise.race([idle, deadline]);
      if (early.length > 0) log.warn({ event: 'stopped_before_ready', dropped: early.length });
      server.closeAllConnections();
      await closed;
    },
  };
}

/** A first-in, first-out queue whose shift does not move the rest (arrays shift in O(n)). */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  get size(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** False when the core cannot answer at all (e.g. a broken data file): then the bot must not pretend to run. */
function warmUp(log: Logger): boolean {
  const started = performance.now();
  try {
    for (const q of ['How do I deregister my ICP filing in Zhejiang?', '忘记备案密码怎么办']) renderBlocks(answer(understand(q)));
    log.debug({ event: 'warm_up', ms: Math.round(performance.now() - started) });
    return true;
  } catch (err) {
    log.error({ event: 'core_failed', err }, 'the answer data could not be loaded');
    return false;
  }
}

function listen(app: ReturnType<typeof createApp>, port: number, host: string | undefined): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host ?? '0.0.0.0');
    server.once('listening', () => resolve(server));
    server.once('error', reject);
    server.keepAliveTimeout = 65_000;
  });
}

/** auth.test until it answers (transient failures retry every 2 s); null when the token is rejected. */
async function whoAmI(client: WebClient, log: Logger, onFatal: StartOptions['onFatal'], stopped: () => boolean): Promise<string | null> {
  for (let attempt = 1; !stopped(); attempt++) {
    try {
      const res = await client.auth.test();
      if (typeof res.user_id === 'string' && res.user_id !== '') return res.user_id;
      log.error({ event: 'auth_test_failed', reason: 'no_user_id', attempt });
    } catch (err) {
      const reason = failureReason(err);
      if (FATAL_AUTH.has(reason)) {
        log.error({ event: 'auth_test_failed', reason, fatal: true }, 'SLACK_BOT_TOKEN was rejected by Slack; check the token');
        onFatal?.(reason);
        return null;
      }
      log.warn({ event: 'auth_test_failed', reason, attempt });
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
  return null;
}

/** Builds the Botkit controller and returns the function that runs one inbound request through it. */
function createDelivery(
  config: BotConfig,
  client: WebClient,
  botUserId: string,
  handlers: Handlers,
  log: Logger,
): (inbound: Inbound) => Promise<void> {
  const adapter = new IcpSlackAdapter({ client, botUserId, signingSecret: config.signingSecret });
  // Our express app is the web server; Botkit gets none, so it mounts no unverified route of its own.
  const controller = new Botkit({ adapter, disable_webserver: true, disable_console: true });
  const logic = controller.handleTurn.bind(controller);

  controller.on(MESSAGE_EVENTS, async (_bot, message) => {
    const { raw, ctx } = unwrap(message.incoming_message.channelData);
    if (raw) await handlers.onMessage(raw as unknown as SlackMessageEvent, ctx);
  });
  controller.on('slash_command', async (_bot, message) => {
    const { raw, ctx } = unwrap(message.incoming_message.channelData);
    if (raw) await handlers.onSlashCommand(stringFields(raw), ctx);
  });
  controller.on('block_actions', async (_bot, message) => {
    const { raw, ctx } = unwrap(message.incoming_message.channelData);
    if (raw) await handlers.onBlockActions(raw, ctx);
  });

  return async (inbound) => {
    const ctx = { eventId: inbound.kind === 'event' ? inbound.eventId : null, team: inbound.team, receivedAt: inbound.receivedAt };
    if (inbound.kind === 'event') {
      const event = inbound.body.event as Record<string, unknown>;
      event[CTX_KEY] = ctx;
      await adapter.feed(inbound.body, logic);
    } else if (inbound.kind === 'interaction') {
      // The adapter insists on parsing `payload` itself.
      await adapter.feed({ payload: JSON.stringify({ ...inbound.payload, [CTX_KEY]: ctx }) }, logic);
    } else {
      await adapter.feed({ ...inbound.fields, [CTX_KEY]: ctx }, logic);
    }
    log.trace({ event: 'delivered', kind: inbound.kind });
  };
}

function unwrap(channelData: unknown): { raw: Record<string, unknown> | null; ctx: TurnContext } {
  const raw = typeof channelData === 'object' && channelData !== null ? (channelData as Record<string, unknown>) : null;
  const c = raw?.[CTX_KEY] as Partial<TurnContext> | undefined;
  return {
    raw,
    ctx: {
      eventId: typeof c?.eventId === 'string' ? c.eventId : null,
      team: typeof c?.team === 'string' ? c.team : null,
      receivedAt: typeof c?.receivedAt === 'number' ? c.receivedAt : performance.now(),
    },
  };
}

function stringFields(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  return out;
}
