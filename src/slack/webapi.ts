/**
 * The one Web API client, pointed at SLACK_API_URL, and the few calls the bot makes. Retries are the
 * client's own policy, bounded (its default retries for half an hour); 429 waits for Retry-After. A
 * call that still fails is logged with its reason and reported as `false` — never thrown, so a
 * failing Slack can not end the process or block anything else.
 */
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Logger } from './log.js';

type SlackLogger = NonNullable<WebClientOptions['logger']>;
type LogLevelValue = NonNullable<WebClientOptions['logLevel']>;

/** retries 3 × (0.5 s, 1 s, 2 s) plus Retry-After waits, all within about 10 s. */
const RETRY_POLICY = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 2000, maxRetryTime: 10_000 };
const REQUEST_TIMEOUT_MS = 5000;

/** `ok: false` errors that are Slack being unwell rather than us being wrong: worth another try. */
const TRANSIENT_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);

export type Body = Record<string, unknown>;

/** What handlers need from Slack. Each call resolves to the response, or null after logging a failure. */
export interface SlackOut {
  postMessage(args: Body): Promise<Body | null>;
  postEphemeral(args: Body): Promise<Body | null>;
  update(args: Body): Promise<Body | null>;
  /** views.publish: a user's App Home tab. */
  publishView(args: Body): Promise<Body | null>;
  /** chat.getPermalink: a link to a message, for the hand-off post. */
  permalink(args: Body): Promise<Body | null>;
  /** POST to an interaction's response_url (no token; the URL is the credential). */
  respond(responseUrl: string, body: Body): Promise<boolean>;
}

/**
 * Adapts our pino logger to the Web API client's logger interface; its chatter goes at debug. The
 * client writes whole request bodies there (button values carry the question): only the line
 * before any body or params is kept, so no level ever logs what the asker wrote.
 */
function clientLogger(log: Logger): SlackLogger {
  let level = 'warn' as LogLevelValue;
  const join = (msg: unknown[]): string => {
    const line = msg.filter((m) => typeof m === 'string').join(' ');
    return line.replace(/\b(body|data|params|args|arguments|payload)\b[\s\S]*$/i, '$1 [omitted]').slice(0, 200);
  };
  // The client logs every request body at debug; skip the formatting unless someone listens.
  const debug = (...msg: unknown[]) => {
    if (log.isLevelEnabled('debug')) log.debug({ source: 'web-api' }, join(msg));
  };
  return {
    debug,
    info: debug,
    warn: debug,
    error: (...msg: unknown[]) => log.warn({ source: 'web-api' }, join(msg)),
    setLevel: (l: LogLevelValue) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

export function createWebClient(
  token: string,
  slackApiUrl: string,
  log: Logger,
  retryConfig = RETRY_POLICY,
): WebClient {
  return new WebClient(token, {
    slackApiUrl,
    retryConfig,
    rejectRateLimitedCalls: false,
    timeout: REQUEST_TIMEOUT_MS,
    // Absolute URLs would carry our token to wherever they point.
    allowAbsoluteUrls: false,
    // The original error holds the request config, Authorization header included.
    attachOriginalToWebAPIRequestError: false,
    logger: clientLogger(log),
  });
}

/** Short, secret-free reason for a failed call. */
export function failureReason(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; data?: { error?: unknown }; statusCode?: unknown; message?: unknown };
    if (e.data && typeof e.data.error === 'string') return e.data.error;
    if (typeof e.statusCode === 'number') return `http_${e.statusCode}`;
    if (typeof e.message === 'string') return e.message.slice(0, 200);
    if (typeof e.code === 'string') return e.code;
  }
  return String(err).slice(0, 200);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export type UsergroupMembers = { ok: true; users: string[] } | { ok: false; reason: string };

/**
 * usergroups.users.list (scope `usergroups:read`): a user group's member ids, or why not (a
 * secret-free reason such as `missing_scope`). Not logged here: the caller logs each reason once.
 */
export async function usergroupMembers(client: WebClient, usergroup: string): Promise<UsergroupMembers> {
  try {
    const res: unknown = await client.apiCall('usergroups.users.list', { usergroup });
    const list = (res as Body).users;
    const users = Array.isArray(list) ? list.filter((u): u is string => typeof u === 'string') : [];
    return { ok: true, users };
  } catch (err) {
    return { ok: false, reason: failureReason(err) };
  }
}

/** What the bot reads of a user (users.info): enough to tell an agent from a customer. */
export type UserFacts =
  { ok: true; team: string | null; guest: boolean; bot: boolean; deleted: boolean } | { ok: false; reason: string };

/**
 * users.info (scope `users:read`): the user's team, and whether they are a guest
 * (`is_restricted` / `is_ultra_restricted`), a bot or deactivated; or why not (a secret-free
 * reason such as `missing_scope`). Not logged here: the caller logs each reason once.
 */
export async function userFacts(client: WebClient, user: string): Promise<UserFacts> {
  try {
    const res: unknown = await client.apiCall('users.info', { user });
    const u = (res as Body).user;
    if (!u || typeof u !== 'object') return { ok: false, reason: 'no_user' };
    const f = u as Body;
    return {
      ok: true,
      team: typeof f.team_id === 'string' ? f.team_id : null,
      guest: f.is_restricted === true || f.is_ultra_restricted === true,
      bot: f.is_bot === true,
      deleted: f.deleted === true,
    };
  } catch (err) {
    return { ok: false, reason: failureReason(err) };
  }
}

/** Where Slack's response_urls point; nothing else is ever posted to. */
export const SLACK_RESPONSE_ORIGIN = 'https://hooks.slack.com';

/**
 * The origins a response_url may have: Slack's, and the configured API's own when it is not
 * slack.com (the local stand-in issues its response_urls on its own address).
 */
export function responseOrigins(slackApiUrl: string): string[] {
  const api = new URL(slackApiUrl);
  return api.hostname === 'slack.com' ? [SLACK_RESPONSE_ORIGIN] : [SLACK_RESPONSE_ORIGIN, api.origin];
}

/** Whether `url` is a response_url we may post to: one of `origins`, a path under it, nothing odd. */
export function isAllowedResponseUrl(url: string, origins: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  // URL normalises 2130706433, 0x7f.1 and friends to 127.0.0.1, so they compare as what they are.
  return origins.includes(u.origin) && u.username === '' && u.password === '' && u.pathname.length > 1;
}

export function createSlackOut(
  client: WebClient,
  log: Logger,
  opts: {
    transientRetries?: number;
    transientDelayMs?: number;
    respondTimeoutMs?: number;
    responseOrigins?: readonly string[];
  } = {},
): SlackOut {
  const origins = opts.responseOrigins ?? [SLACK_RESPONSE_ORIGIN];
  const transientRetries = opts.transientRetries ?? RETRY_POLICY.retries;
  const transientDelayMs = opts.transientDelayMs ?? RETRY_POLICY.minTimeout;

  async function call(method: string, args: Body): Promise<Body | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result: unknown = await client.apiCall(method, args);
        return result as Body;
      } catch (err) {
        const reason = failureReason(err);
        // HTTP errors and 429 were already retried inside the client; only `ok: false` lands here fresh.
        if (TRANSIENT_ERRORS.has(reason) && attempt < transientRetries) {
          await sleep(transientDelayMs * 2 ** attempt);
          continue;
        }
        log.warn({ event: 'slack_api_failed', method, reason, attempts: attempt + 1, channel: args.channel ?? null });
        return null;
      }
    }
  }

  async function respond(responseUrl: string, body: Body): Promise<boolean> {
    // A payload's response_url is a request we would make for whoever sent it: Slack's only.
    if (!isAllowedResponseUrl(responseUrl, origins)) {
      log.warn({ event: 'response_url_refused', reason: 'not_a_slack_response_url' });
      return false;
    }
    for (let attempt = 0; attempt <= 2; attempt++) {
      try {
        const res = await fetch(responseUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(body),
          // A redirect would take our post elsewhere: refused, not followed.
          redirect: 'error',
          signal: AbortSignal.timeout(opts.respondTimeoutMs ?? REQUEST_TIMEOUT_MS),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return true;
        if (res.status < 500 && res.status !== 429) {
          log.warn({
            event: 'slack_api_failed',
            method: 'response_url',
            reason: `http_${res.status}`,
            attempts: attempt + 1,
          });
          return false;
        }
      } catch (err) {
        // The error's message may quote the URL; its name and code say enough.
        const reason =
          err instanceof Error ? (((err as { code?: unknown }).code as string | undefined) ?? err.name) : 'error';
        if (attempt === 2) {
          log.warn({ event: 'slack_api_failed', method: 'response_url', reason, attempts: attempt + 1 });
          return false;
        }
      }
      if (attempt < 2) await sleep(transientDelayMs * 2 ** attempt);
    }
    log.warn({ event: 'slack_api_failed', method: 'response_url', reason: 'retries_exhausted', attempts: 3 });
    return false;
  }

  return {
    postMessage: (args) => call('chat.postMessage', args),
    postEphemeral: (args) => call('chat.postEphemeral', args),
    update: (args) => call('chat.update', args),
    publishView: (args) => call('views.publish', args),
    permalink: (args) => call('chat.getPermalink', args),
    respond,
  };
}
