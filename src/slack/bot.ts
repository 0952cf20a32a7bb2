/**
 * Wiring: receiver (HTTP) → dispatcher → Botkit turn → handlers → Slack Web API. Start-up listens
 * first, so health checks answer; it learns the bot's user id with auth.test (a few tries, then it
 * gives up with a clear message) and warms the core; until then /readyz and events answer 503, so
 * Slack sends them again. Stop: refuse new requests, finish what was accepted, say what was dropped.
 */
import { performance } from 'node:perf_hooks';
import { renderBlocks } from '../answer/render-blocks.js';
import { checkStrings } from './strings.js';
import { deriveButtonKey } from './actions.js';
import type { BotConfig } from './config.js';
import { realCore, type Core } from './core.js';
import { MemoryDispatcher, type Dispatcher, type TurnRunner } from './dispatcher.js';
import type { RedisDispatcher } from './dispatcher-redis.js';
import { createHandlers, type Handlers } from './handlers.js';
import type { Logger } from './log.js';
import { AgentDetector } from './agents.js';
import { GroupMembers } from './members.js';
import type { QuestionLog } from '../questions/log.js';
import { MemoryCaseStore } from './cases.js';
import type { RedisCaseStore } from './cases-redis.js';
import { MemoryPendingStore, type PendingStore } from './pending.js';
import type { RedisPendingStore } from './pending-redis.js';
import { startHttpReceiver } from './receiver-http.js';
import type { SocketReceiver } from './receiver-socket.js';
import { createTurnRunner } from './turn.js';
import {
  createApiCaller,
  createSlackOut,
  createWebClient,
  type ApiCaller,
  failureReason,
  responseOrigins,
  usergroupMembers,
  userFacts,
} from './webapi.js';

/** auth.test answers that no amount of retrying will fix. */
const FATAL_AUTH = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);
/** How long a stop waits for accepted requests to be answered. */
const STOP_WAIT_MS = 15_000;

export interface RunningBot {
  port: number;
  /** Stops taking requests and finishes what was accepted (waiting at most `waitMs`); says how many were dropped. */
  stop(waitMs?: number): Promise<{ dropped: number }>;
}

interface StartOptions {
  pending?: PendingStore;
  dispatcher?: Dispatcher;
  /** Called when start-up cannot succeed (token rejected, Slack unreachable, core broken): main.ts exits. */
  onFatal?: (reason: string) => void;
  /** Where each question is recorded (main.ts opens it; the caller closes it). */
  questions?: QuestionLog | null;
}

export async function startBot(config: BotConfig, log: Logger, opts: StartOptions = {}): Promise<RunningBot> {
  const api = createApiCaller(config.botToken, config.slackApiUrl);
  const out = createSlackOut(api, log, { responseOrigins: responseOrigins(config.slackApiUrl) });
  const shared = config.redisUrl ? await sharedState(config, config.redisUrl, log) : null;
  const pending = opts.pending ?? shared?.pending ?? new MemoryPendingStore();
  const cases = shared?.cases ?? new MemoryCaseStore();
  // The asker gets the fallback; the error, its stack and the running count go to the log (never the question).
  let understandFailed = 0;
  const core = realCore({
    onError: (err) => log.error({ event: 'understand_failed', err, errors_total: ++understandFailed }),
  });
  const { members, agents } = whoIsWho(config, api, log, () => botTeamId);
  const handlers = createHandlers({
    core,
    out,
    pending,
    pendingTtlMs: config.pendingTtlMs,
    log,
    botUserId: () => botUserId,
    handoff: config.handoff,
    // Agents of HANDOFF_USERGROUP may act for askers.
    members: config.handoff?.usergroup ? members : null,
    // Who may read what is for agents.
    agents,
    questions: opts.questions ?? null,
    // Every instance of the app derives the same key, so a button signed by one is read by all.
    buttonKey: deriveButtonKey(config.botToken),
    cases,
  });
  const dispatcher = opts.dispatcher ?? shared?.dispatcher ?? new MemoryDispatcher(log);
  let botUserId: string | null = null;
  let botTeamId: string | null = null;
  let ready = false;
  let stopping = false;
  const redisUp = shared ? watchRedis(shared.dispatcher, log) : { up: () => true, stop: () => undefined };

  const receiver = await startHttpReceiver(
    {
      signingSecret: config.signingSecret,
      log,
      accept: (inbound) => dispatcher.accept(inbound),
      isReady: () => ready && redisUp.up(),
      isStopping: () => stopping,
      // A worker-only instance takes no events (it answers from the shared queue); in Socket Mode
      // they come over the socket. /healthz and /readyz answer either way.
      events: config.role !== 'worker' && config.appToken === null,
    },
    config.port,
    config.host,
  );
  const transport = config.appToken === null ? 'http' : 'socket';
  log.info({
    event: 'listening',
    port: receiver.port,
    slack_api_url: config.slackApiUrl,
    role: config.role,
    redis: shared !== null,
    transport,
  });
  const socket =
    config.appToken !== null && config.role !== 'worker'
      ? await socketReceiver(config.appToken, config.slackApiUrl, log, dispatcher)
      : null;

  void (async () => {
    const who = await whoAmI(api, log, config.startupAttempts, config.startupRetryMs, () => stopping);
    if (!who.ok) {
      if (!stopping) opts.onFatal?.(who.reason);
      return;
    }
    // The core loads and indexes its data on first use; pay that before the first question, not during it.
    if (!warmUp(core, log)) {
      opts.onFatal?.('core_failed');
      return;
    }
    botUserId = who.userId;
    botTeamId = who.teamId;
    if (config.role !== 'web') dispatcher.start(botkitTurns(config, log, who.userId, handlers));
    // Socket Mode: connect only now, so every envelope finds a bot that can answer it.
    if (socket) {
      try {
        await socket.start();
      } catch (err) {
        log.error({ event: 'socket_failed', reason: err instanceof Error ? err.message : String(err) });
        if (!stopping) opts.onFatal?.('socket_failed');
        return;
      }
    }
    ready = true;
    log.info({ event: 'ready', bot_user_id: who.userId, transport });
  })();

  return {
    port: receiver.port,
    async stop(waitMs = STOP_WAIT_MS) {
      stopping = true;
      redisUp.stop();
      await socket?.close();
      const closed = receiver.close();
      const { dropped } = await dispatcher.stop(waitMs);
      if (dropped > 0) log.warn({ event: 'stopped_with_unanswered', dropped });
      shared?.pending.close();
      shared?.cases.disconnect();
      await closed;
      return { dropped };
    },
  };
}

/**
 * Group lists (usergroups.users.list, cached) for HANDOFF_USERGROUP and SUPPORT_USERGROUP, and
 * who is an agent (users.info, cached; everyone a customer when it cannot be known).
 */
function whoIsWho(config: BotConfig, client: ApiCaller, log: Logger, team: () => string | null) {
  const members =
    config.handoff?.usergroup || config.supportUsergroup
      ? new GroupMembers((g) => usergroupMembers(client, g), log)
      : null;
  const agents = new AgentDetector({
    lookup: (user) => userFacts(client, user),
    team,
    log,
    group: config.supportUsergroup && members ? { id: config.supportUsergroup, members } : null,
  });
  return { members, agents };
}

/**
 * Botkit runs the turns (turn.ts). Its adapter wants a WebClient, which it never calls: our
 * handlers post, and every call of ours goes through the ApiCaller (webapi.ts).
 */
function botkitTurns(config: BotConfig, log: Logger, botUserId: string, handlers: Handlers): TurnRunner {
  return createTurnRunner(createWebClient(config.botToken, config.slackApiUrl, log), botUserId, handlers);
}

/** Socket Mode (SLACK_APP_TOKEN): loaded only then, like Redis. */
async function socketReceiver(
  appToken: string,
  slackApiUrl: string,
  log: Logger,
  dispatcher: Dispatcher,
): Promise<SocketReceiver> {
  const { createSocketReceiver } = await import('./receiver-socket.js');
  return createSocketReceiver({ appToken, slackApiUrl, log, accept: (inbound) => dispatcher.accept(inbound) });
}

/** With REDIS_URL: the queue, the waiting questions and the hand-off cases in Redis, shared by every instance. */
async function sharedState(
  config: BotConfig,
  url: string,
  log: Logger,
): Promise<{ dispatcher: RedisDispatcher; pending: RedisPendingStore; cases: RedisCaseStore }> {
  const { RedisDispatcher } = await import('./dispatcher-redis.js');
  const { RedisPendingStore } = await import('./pending-redis.js');
  const { RedisCaseStore } = await import('./cases-redis.js');
  return {
    dispatcher: new RedisDispatcher({ url, log, prefix: config.redisPrefix, work: config.role !== 'web' }),
    pending: new RedisPendingStore(url, log, config.redisPrefix),
    cases: new RedisCaseStore(url, log, config.redisPrefix),
  };
}

/** Redis answering, checked every 2 s: /readyz says 503 while it does not (events get 503 anyway). */
function watchRedis(d: RedisDispatcher, log: Logger): { up: () => boolean; stop: () => void } {
  let up = false;
  const check = async () => {
    const now = await d.ping();
    if (now !== up) log[now ? 'info' : 'warn']({ event: now ? 'redis_up' : 'redis_down' });
    up = now;
  };
  void check();
  const timer = setInterval(() => void check(), 2_000);
  timer.unref();
  return { up: () => up, stop: () => clearInterval(timer) };
}

/** False when the core cannot answer at all (e.g. a broken data file): then the bot must not pretend to run. */
function warmUp(core: Core, log: Logger): boolean {
  const started = performance.now();
  try {
    for (const q of ['How do I deregister my ICP filing in Zhejiang?', '忘记备案密码怎么办', '如何註銷備案'])
      renderBlocks(core.answer(core.understand(q)));
    // The reviewed Traditional strings: a stale one stops the bot here, not in a reply.
    checkStrings();
    log.debug({ event: 'warm_up', ms: Math.round(performance.now() - started) });
    return true;
  } catch (err) {
    log.error({ event: 'core_failed', err }, 'the answer data could not be loaded');
    return false;
  }
}

/**
 * auth.test, a few times with growing waits (`attempts`, the first wait `firstWaitMs`, doubling);
 * a rejected token ends at once. Returns the bot's user id and team (agents are of that team), or
 * why they could not be had.
 */
async function whoAmI(
  client: ApiCaller,
  log: Logger,
  attempts: number,
  firstWaitMs: number,
  stopped: () => boolean,
): Promise<{ ok: true; userId: string; teamId: string | null } | { ok: false; reason: string }> {
  let reason = 'no_user_id';
  for (let attempt = 1; attempt <= attempts && !stopped(); attempt++) {
    try {
      const res = (await client.apiCall('auth.test')) as { user_id?: unknown; team_id?: unknown };
      if (typeof res.user_id === 'string' && res.user_id !== '')
        return { ok: true, userId: res.user_id, teamId: typeof res.team_id === 'string' ? res.team_id : null };
      reason = 'no_user_id';
    } catch (err) {
      reason = failureReason(err);
      if (FATAL_AUTH.has(reason)) {
        log.error(
          { event: 'auth_test_failed', reason, fatal: true },
          'SLACK_BOT_TOKEN was rejected by Slack; check the token',
        );
        return { ok: false, reason };
      }
    }
    log.warn({ event: 'auth_test_failed', reason, attempt, of: attempts });
    if (attempt < attempts) await new Promise((r) => setTimeout(r, firstWaitMs * 2 ** (attempt - 1)));
  }
  log.error(
    { event: 'auth_test_failed', reason, fatal: true },
    `Slack's Web API did not answer auth.test after ${attempts} tries (${reason}); check SLACK_API_URL and the network, then start again`,
  );
  return { ok: false, reason: `unreachable:${reason}` };
}
