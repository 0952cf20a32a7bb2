/**
 * Bot settings from the environment (main.ts loads a `.env` file into it first). Pure: takes an env
 * object, returns settings or the list of problems, so the messages are testable.
 */
import { messages } from '../errors.js';

export interface BotConfig {
  botToken: string;
  /** Required for HTTP; Socket Mode requests come over an authenticated connection instead. */
  signingSecret: string;
  /** The app-level token (xapp-…): Socket Mode instead of HTTP events; null: HTTP. */
  appToken: string | null;
  port: number;
  host: string | undefined;
  /** Every Web API call goes here, auth.test included. Always ends with '/'. */
  slackApiUrl: string;
  /** How long a question waiting for a province stays answerable. */
  pendingTtlMs: number;
  logLevel: string;
  /** auth.test tries at start-up, and the first wait between them (doubling): 5 tries ≈ 60 s. */
  startupAttempts: number;
  startupRetryMs: number;
  /** Shared state and a durable queue for more than one instance; null: all in memory (the default). */
  redisUrl: string | null;
  /** Namespaces the bot's Redis keys (several bots, or tests, on one Redis). */
  redisPrefix: string;
  /** Where "Ask a person" posts (a channel id), and the user group it mentions; null: no such button. */
  handoff: { channel: string; usergroup: string | null } | null;
  /** With it, only its members (who are full members of the workspace) are agents; null: every full member. */
  supportUsergroup: string | null;
  /** web: receive and enqueue; worker: answer from the queue; all: both (the default). */
  role: Role;
}

export type Role = 'web' | 'worker' | 'all';
const ROLES: readonly Role[] = ['web', 'worker', 'all'];

type ConfigResult = { ok: true; config: BotConfig } | { ok: false; problems: string[] };

export const DEFAULT_PORT = 3000;
const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';
export const DEFAULT_PENDING_TTL_MS = 30 * 60 * 1000;
/** 5 tries, waiting 4 s, 8 s, 16 s and 32 s between them: Slack gets about a minute, then we exit. */
const DEFAULT_STARTUP_ATTEMPTS = 5;
const DEFAULT_STARTUP_RETRY_MS = 4000;

const WHERE: Record<string, string> = {
  SLACK_BOT_TOKEN:
    'the Bot User OAuth Token (starts with xoxb-): https://api.slack.com/apps → your app → OAuth & Permissions (install the app to your workspace first)',
  SLACK_SIGNING_SECRET: 'https://api.slack.com/apps → your app → Basic Information → App Credentials → Signing Secret',
};

/** True when neither Slack setting is given (PORT and the rest do not count): `npm start` then runs the local playground. */
export function noSlackSettings(env: Record<string, string | undefined>): boolean {
  return ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'].every(
    (name) => (env[name] ?? '').trim() === '',
  );
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const problems: string[] = [];
  const botToken = (env.SLACK_BOT_TOKEN ?? '').trim();
  const signingSecret = (env.SLACK_SIGNING_SECRET ?? '').trim();
  const appToken = (env.SLACK_APP_TOKEN ?? '').trim() || null;
  if (appToken !== null && !appToken.startsWith('xapp-')) problems.push(messages.settingNotAppToken('SLACK_APP_TOKEN'));
  // Socket Mode needs no signing secret: its requests come over a connection the app token opened.
  const required =
    appToken === null ? (['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'] as const) : (['SLACK_BOT_TOKEN'] as const);
  for (const name of required) {
    if ((name === 'SLACK_BOT_TOKEN' ? botToken : signingSecret) === '')
      problems.push(messages.settingNotSet(name, WHERE[name] ?? ''));
  }

  const port = intSetting(env, 'PORT', DEFAULT_PORT, 0, 65535, problems);
  const pendingTtlMs = intSetting(env, 'PENDING_TTL_MS', DEFAULT_PENDING_TTL_MS, 1, 7 * 24 * 3600 * 1000, problems);
  const startupAttempts = intSetting(env, 'STARTUP_ATTEMPTS', DEFAULT_STARTUP_ATTEMPTS, 1, 100, problems);
  const startupRetryMs = intSetting(env, 'STARTUP_RETRY_MS', DEFAULT_STARTUP_RETRY_MS, 1, 600_000, problems);

  let slackApiUrl = (env.SLACK_API_URL ?? '').trim() || DEFAULT_SLACK_API_URL;
  try {
    const u = new URL(slackApiUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    if (!slackApiUrl.endsWith('/')) slackApiUrl += '/';
  } catch {
    problems.push(messages.settingNotHttpUrl('SLACK_API_URL', slackApiUrl));
  }

  const logLevel = (env.LOG_LEVEL ?? '').trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(messages.settingNotOneOf('LOG_LEVEL', LOG_LEVELS));

  const redisUrl = (env.REDIS_URL ?? '').trim() || null;
  if (redisUrl !== null && !/^rediss?:\/\/[^\s]+$/.test(redisUrl))
    problems.push(messages.settingNotRedisUrl('REDIS_URL'));
  const role = ((env.ICP_ROLE ?? '').trim() || 'all') as Role;
  if (!ROLES.includes(role)) problems.push(messages.settingNotOneOf('ICP_ROLE', ROLES));
  else if (role !== 'all' && redisUrl === null) problems.push(messages.roleNeedsRedis(role));
  const redisPrefix = (env.REDIS_PREFIX ?? '').trim() || 'icp';
  const handoffChannel = (env.HANDOFF_CHANNEL ?? '').trim() || null;
  const handoffGroup = (env.HANDOFF_USERGROUP ?? '').trim() || null;
  if (handoffChannel !== null && !/^[CG][A-Z0-9]{2,}$/.test(handoffChannel))
    problems.push(messages.settingNotSlackId('HANDOFF_CHANNEL', 'a channel id such as C0123ABCD'));
  if (handoffGroup !== null && !/^S[A-Z0-9]{2,}$/.test(handoffGroup))
    problems.push(messages.settingNotSlackId('HANDOFF_USERGROUP', 'a user group id such as S0123ABCD'));
  if (handoffGroup !== null && handoffChannel === null)
    problems.push(messages.settingNeeds('HANDOFF_USERGROUP', 'HANDOFF_CHANNEL'));
  const supportUsergroup = (env.SUPPORT_USERGROUP ?? '').trim() || null;
  if (supportUsergroup !== null && !/^S[A-Z0-9]{2,}$/.test(supportUsergroup))
    problems.push(messages.settingNotSlackId('SUPPORT_USERGROUP', 'a user group id such as S0123ABCD'));

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      botToken,
      signingSecret,
      appToken,
      port,
      host: (env.HOST ?? '').trim() || undefined,
      slackApiUrl,
      pendingTtlMs,
      logLevel,
      startupAttempts,
      startupRetryMs,
      redisUrl,
      redisPrefix,
      role,
      handoff: handoffChannel ? { channel: handoffChannel, usergroup: handoffGroup } : null,
      supportUsergroup,
    },
  };
}

function intSetting(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(messages.settingNotWholeNumber(name, min, max, raw));
    return fallback;
  }
  return n;
}

/** The text printed before exiting with code 2. */
export function formatProblems(problems: readonly string[]): string {
  return messages.cannotStart(problems);
}
