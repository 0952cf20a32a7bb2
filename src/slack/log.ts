/**
 * Logging: pino JSON lines on stdout. Two layers keep secrets out of every line: pino's key
 * redaction (token, signature, response_url, …) and a scrub of every string value for the configured
 * secrets and for anything shaped like a Slack token, a request signature or a response URL — so even
 * a library that logs a whole payload or an error object cannot leak one.
 */
import { format } from 'node:util';
import pino, { type DestinationStream, type Logger } from 'pino';
import { DEFAULTS } from '../defaults.js';
import { CANNOT_HELP } from '../types.js';
import { maskedExcerpt, maskPersonalData, QUESTION_TEXT_LIMIT } from '../mask.js';

export type { Logger } from 'pino';
/** Masking lives in the core (src/mask.ts) so the question log shares it; re-exported for the Slack layer. */
export { maskedExcerpt, maskPersonalData, QUESTION_TEXT_LIMIT };

/** Keys whose values are never written, wherever they sit in a log object. */
const REDACT_KEYS = [
  'token',
  'bot_token',
  'botToken',
  'signingSecret',
  'signing_secret',
  'secret',
  'signature',
  'response_url',
  'authorization',
  'Authorization',
  'x-slack-signature',
  'trigger_id',
];

/**
 * pino's own redaction only for top-level keys: its wildcard paths cost ~10× per line, and the
 * logMethod hook below already removes these keys at every depth.
 */
const REDACT_PATHS = [...REDACT_KEYS];

// Bot and user tokens (xoxb-, xoxp-…) and app-level tokens (xapp-…).
const TOKEN_RE = /(?:xox[a-z]|xapp)-[A-Za-z0-9-]+/g;
const SIGNATURE_RE = /v0=[0-9a-fA-F]{16,}/g;
const RESPONSE_URL_RE = /https?:\/\/[^\s"'<>]*\/(?:commands|actions|response)\/[^\s"'<>]*/g;

/** Replaces secrets and secret-shaped substrings in one string. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 4 && out.includes(s)) out = out.split(s).join('[redacted]');
  }
  // Every log line passes here: a string none of the patterns can match is returned as it is.
  if (!SHAPED.some((mark) => out.includes(mark))) return out;
  return out.replace(TOKEN_RE, '[redacted]').replace(SIGNATURE_RE, '[redacted]').replace(RESPONSE_URL_RE, '[redacted]');
}

/** What each secret-shaped pattern above must contain. */
const SHAPED = ['xox', 'xapp', 'v0=', '://'];

/** Deep copy of a log argument with every string scrubbed and redacted keys removed (bounded depth). */
function scrubValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[deep]';
  if (value instanceof Error) {
    // Keep only what explains the failure (Web API errors carry request configs with headers):
    // the name, the message and the stack, scrubbed and masked like any text.
    const code = (value as { code?: unknown }).code;
    const clean = (t: string) => maskPersonalData(scrub(t, secrets));
    return {
      type: value.name,
      message: clean(value.message),
      ...(typeof code === 'string' ? { code } : {}),
      ...(value.stack ? { stack: clean(value.stack).slice(0, STACK_LIMIT) } : {}),
    };
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => scrubValue(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = REDACT_KEYS.includes(k) ? '[redacted]' : scrubValue(v, secrets, depth + 1);
  }
  return out;
}

interface LoggerOptions {
  level?: string;
  /** Exact secret values (bot token, signing secret) to cut out of every line. */
  secrets?: readonly string[];
  destination?: DestinationStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const secrets = (opts.secrets ?? []).filter((s) => s.length > 0);
  return pino(
    {
      level: opts.level ?? 'info',
      base: { name: 'icp-bot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          const clean = args.map((a) => scrubValue(a, secrets)) as Parameters<typeof method>;
          method.apply(this, clean);
        },
      },
    },
    opts.destination ?? stdout(),
  );
}

/**
 * Lines are written to stdout in blocks of about 4 KB, or every 100 ms when fewer come: one line
 * per question, each its own write, cost a hand-off to libuv's thread pool and back per line
 * (about 70 µs of the event loop's time per question at 500 questions/s on a 2-core VM, more than
 * pino's own formatting). A line waits at most 100 ms; at exit what is held is written at once.
 */
const LOG_BLOCK_BYTES = 4096;
const LOG_FLUSH_MS = 100;

function stdout(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: LOG_BLOCK_BYTES, periodicFlush: LOG_FLUSH_MS });
}

/**
 * Route console.* (Botkit and the adapter print payloads and errors there) through the scrubbing
 * logger: only the text of string arguments, masked and cut short — a dumped payload would carry
 * the asker's words.
 */
export function captureConsole(logger: Logger): void {
  const to =
    (level: 'info' | 'warn' | 'error' | 'debug') =>
    (...args: unknown[]) => {
      const text = args
        .map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.name : `[${typeof a}]`))
        .join(' ');
      logger[level]({ source: 'console' }, maskPersonalData(format('%s', text)).slice(0, CONSOLE_TEXT_LIMIT));
    };
  console.log = to('info');
  console.info = to('info');
  console.warn = to('warn');
  console.error = to('error');
  console.debug = to('debug');
}

/** An error's stack is cut here (the frames that matter come first). */
const STACK_LIMIT = 4000;
/** A line printed by a library to the console is cut here. */
const CONSOLE_TEXT_LIMIT = 300;
/** Below this confidence (or on the fallback intent) the question is logged so intents can improve. */
export const LOW_CONFIDENCE = DEFAULTS.lowConfidence;

export interface QuestionRecord {
  eventId: string | null;
  team: string | null;
  channel: string | null;
  surface: 'dm' | 'mention' | 'slash' | 'pick' | 'typed' | 'followup' | 'shortcut';
  intent: string;
  province: string | null;
  confidence: number;
  latencyMs: number;
  text: string;
}

/** The one log line per handled question. */
export function questionLine(r: QuestionRecord): Record<string, unknown> {
  const low = CANNOT_HELP.has(r.intent) || r.confidence < LOW_CONFIDENCE;
  const line: Record<string, unknown> = {
    event: 'question',
    event_id: r.eventId,
    team: r.team,
    channel: r.channel,
    surface: r.surface,
    intent: r.intent,
    province: r.province,
    confidence: Math.round(r.confidence * 1000) / 1000,
    latency_ms: Math.round(r.latencyMs * 10) / 10,
  };
  if (low) line.text = maskedExcerpt(r.text);
  return line;
}
