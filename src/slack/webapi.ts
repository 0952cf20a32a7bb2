/**
 * The one Web API client, pointed at SLACK_API_URL, and the few calls the bot makes. Retries are the
 * client's own policy, bounded (its default retries for half an hour); 429 waits for Retry-After. A
 * call that still fails is logged with its reason and reported as `false` — never thrown, so a
 * failing Slack can not end the process or block anything else.
 */
import http from 'node:http';
import https from 'node:https';
import { stringify } from 'node:querystring';
import { urlToHttpOptions } from 'node:url';
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

/**
 * What the bot's calls need of a Web API client: `apiCall(method, args)` resolving to the response,
 * throwing as @slack/web-api's WebClient does (an `ok: false` answer with `data.error`, an HTTP
 * failure with `statusCode`, a request that did not get through with a message), so either serves.
 */
export interface ApiCaller {
  apiCall(method: string, args?: Body): Promise<unknown>;
}

/** The per-event methods that take a JSON body (Slack's write methods); the rest are sent as a form. */
const JSON_METHODS = new Set(['chat.postMessage', 'chat.postEphemeral', 'chat.update']);
/** A method name, never a URL: the token only ever goes to SLACK_API_URL. */
const METHOD_NAME = /^[a-z]+(?:\.[a-zA-Z]+)+$/;
/** A response larger than this is not read (Slack's are a few KB). */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

type Thrown = Error & { code?: string; statusCode?: number; data?: Body };

const failure = (message: string, extra: Partial<Thrown>): Thrown => Object.assign(new Error(message), extra);

/**
 * The bot's own Web API client for the calls it makes on every event (chat.*, users.info, …): one
 * keep-alive connection pool to SLACK_API_URL, the same retry policy as createWebClient's
 * (RETRY_POLICY: HTTP failures and requests that did not get through are tried again at most 3
 * times, 0.5, 1, 2 s apart, within 10 s; a 429 waits its Retry-After, and holds every other call
 * meanwhile), the same 5 s timeout and the same errors, without @slack/web-api's per-call work
 * (axios, its request queue, and the request body, headers and response stringified for a debug
 * line whether or not anyone logs it). Write methods go as JSON, the others as a form.
 */
export function createApiCaller(
  token: string,
  slackApiUrl: string,
  retry = RETRY_POLICY,
  timeoutMs = REQUEST_TIMEOUT_MS,
): ApiCaller {
  const base = new URL(slackApiUrl);
  const lib = base.protocol === 'https:' ? https : http;
  // As many at once as WebClient's request queue lets through; the rest wait for a socket.
  const agent = new lib.Agent({ keepAlive: true, maxSockets: 100 });
  const auth = `Bearer ${token}`;
  let pausedUntil = 0;
  // Where each method goes, worked out once (a URL parsed per call was a few µs of every request).
  const targets = new Map<string, Target>();
  const targetOf = (method: string): Target => {
    let t = targets.get(method);
    if (!t) {
      t = urlToHttpOptions(new URL(method, base));
      targets.set(method, t);
    }
    return t;
  };

  return {
    async apiCall(method, args = {}) {
      if (!METHOD_NAME.test(method)) throw new TypeError('not a Web API method name');
      const json = JSON_METHODS.has(method);
      const body = json ? JSON.stringify(args) : form(args);
      const started = Date.now();
      for (let attempt = 0; ; attempt++) {
        const paused = pausedUntil - Date.now();
        if (paused > 0) await sleep(paused);
        let err: Thrown;
        let wait = Math.min(retry.maxTimeout, retry.minTimeout * retry.factor ** attempt);
        try {
          const res = await postOnce(lib, agent, targetOf(method), auth, json, body, timeoutMs);
          if (res.status === 200) {
            let result: Body;
            try {
              result = JSON.parse(res.text) as Body;
            } catch {
              throw failure('invalid_response', { code: 'slack_webapi_http_error', statusCode: 200 });
            }
            if (result.ok === true) return result;
            const error = typeof result.error === 'string' ? result.error : 'unknown_error';
            throw failure(`An API error occurred: ${error}`, { code: 'slack_webapi_platform_error', data: result });
          }
          err = failure(`An HTTP protocol error occurred: statusCode = ${res.status}`, {
            code: 'slack_webapi_http_error',
            statusCode: res.status,
          });
          if (res.status === 429) {
            const secs = Number(res.retryAfter);
            // No valid Retry-After: not tried again, as WebClient does.
            if (res.retryAfter === '' || !Number.isFinite(secs) || secs < 0) throw err;
            wait = secs * 1000;
            pausedUntil = Math.max(pausedUntil, Date.now() + wait);
          }
        } catch (e) {
          const thrown = e as Thrown;
          // An answer from Slack (ok: false, unreadable) is final; only failures to get one are tried again.
          if (thrown.code !== 'slack_webapi_request_error') throw thrown;
          err = thrown;
        }
        if (attempt >= retry.retries || Date.now() - started + wait > retry.maxRetryTime) throw err;
        await sleep(wait);
      }
    },
  };
}

/** Where a method's requests go: SLACK_API_URL's origin and the method's path under it. */
type Target = ReturnType<typeof urlToHttpOptions>;

/** One POST, its whole answer read (at most MAX_RESPONSE_BYTES), within `timeoutMs`. */
function postOnce(
  lib: typeof http | typeof https,
  agent: http.Agent,
  target: Target,
  auth: string,
  json: boolean,
  body: string,
  timeoutMs: number,
): Promise<{ status: number; retryAfter: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = lib.request(
      {
        ...target,
        method: 'POST',
        agent,
        headers: {
          authorization: auth,
          'content-type': json ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_RESPONSE_BYTES) req.destroy(failure('response_too_large', { code: 'response_too_large' }));
          else chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(timer);
          const ra = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: Array.isArray(ra) ? (ra[0] ?? '') : (ra ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', () => undefined);
      },
    );
    const timer = setTimeout(() => req.destroy(failure('request_timeout', { code: 'ETIMEDOUT' })), timeoutMs);
    req.on('error', (err: Thrown) => {
      clearTimeout(timer);
      // The message names the cause only (ECONNREFUSED, a timeout), never the request.
      reject(failure(`A request error occurred: ${err.code ?? err.message}`, { code: 'slack_webapi_request_error' }));
    });
    req.end(body);
  });
}

/** A form body as WebClient sends one: objects and arrays (blocks) as JSON, nothing for undefined or null. */
function form(args: Body): string {
  const flat: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(args)) {
    if (v === undefined || v === null) continue;
    flat[k] = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
  }
  return stringify(flat);
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
export async function usergroupMembers(client: ApiCaller, usergroup: string): Promise<UsergroupMembers> {
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
export async function userFacts(client: ApiCaller, user: string): Promise<UserFacts> {
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
  client: ApiCaller,
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
