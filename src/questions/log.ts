/**
 * The question log: one database row per question the bot handled (when, where, how it was asked,
 * what the bot understood and did, how long it took, the feedback and hand-off it got), so a
 * support lead can see what people ask and what the bot fails at (`icp-bot report`, src/questions/report.ts).
 *
 *   const log = await openQuestionLog({ ...settings, log: logger });   // settings: questionLogSettings(process.env)
 *   log.record({ ref: eventId, team, channel, surface: 'dm', lang: 'en', intent, province,
 *                confidence, outcome: 'answered', latencyMs, text });
 *   log.feedback(eventId, 'not_helpful', text);   // the Helpful / Not helpful buttons
 *   log.handedOff(eventId, text);                 // the question went to a person
 *   await log.close();                            // at shutdown: writes what is queued
 *
 * Where: SQLite in a file (QUESTION_DB, default data-local/questions.sqlite next to package.json)
 * or PostgreSQL when DATABASE_URL is set; the schema is migrated up on open
 * (src/questions/migrations.ts). Rows older than RETENTION_DAYS (90) are deleted on open and
 * then every hour.
 *
 * Privacy: the question's text is stored only when the bot was not confident (the fallback, or a
 * confidence below DEFAULTS.lowConfidence), when the asker said "Not helpful", or when the question
 * was handed off; always masked (ID-card and mobile numbers) and cut to 500 characters.
 *
 * Never in the way of an answer: record(), feedback() and handedOff() only queue (they never throw
 * and never wait); a timer writes the queue in batches (every 200 ms, or at once from 100 entries),
 * each batch in one transaction. A failing database never stops answers: a batch is retried 5
 * times (backing off from 250 ms to 5 s) and then dropped, the queue holds at most 10,000 entries
 * (beyond, the oldest are dropped), every lost entry is counted in stats(), and the log gets one
 * warning when writing starts failing and one when it recovers, saying how many entries were lost.
 * With SQLite the writes run on the event loop (a batch of 100 takes about a millisecond) and
 * never wait for a lock: a busy database is a failed attempt.
 */
import { DEFAULTS } from '../defaults.js';
import { DatabaseError, messages } from '../errors.js';
import { maskedExcerpt, QUESTION_TEXT_LIMIT } from '../mask.js';
import {
  DEFAULT_SQLITE_PATH,
  isPostgresUrl,
  migrate,
  openDb,
  resolveSqlitePath,
  safeReason,
  targetWhere,
  type Db,
  type DbTarget,
  type Param,
} from './db.js';
import { FALLBACK_INTENT, type Lang } from '../types.js';

/** How the question reached the bot. */
export const SURFACES = ['dm', 'mention', 'slash', 'pick', 'typed', 'followup', 'shortcut'] as const;
export type Surface = (typeof SURFACES)[number];

/** What the bot did: answered, asked for the province, asked which question was meant, or gave its fallback. */
export const OUTCOMES = ['answered', 'asked_province', 'clarified', 'fallback'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type Feedback = 'helpful' | 'not_helpful';

export interface LoggedQuestion {
  /**
   * What feedback and hand-offs name the question by later (the Slack event id, or any id the
   * caller carries in its buttons). Null: nothing can attach to it.
   */
  ref: string | null;
  team: string | null;
  channel: string | null;
  surface: Surface;
  /** The language of the answer. */
  lang: Lang | null;
  intent: string;
  province: string | null;
  /** 0..1, as understand() gave it. */
  confidence: number;
  outcome: Outcome;
  /** From receiving the question to the reply posted. */
  latencyMs: number;
  /** The question as asked: stored only in the cases above, masked and cut. */
  text: string;
  /** When it was asked (epoch ms or a Date); now by default. */
  at?: number | Date;
}

export interface QuestionLogStats {
  /** Entries (questions, feedback, hand-offs) written. */
  written: number;
  /** Entries lost: queue overflow, batches given up after their retries, left over at close. */
  dropped: number;
  /** Batches given up after their retries. */
  failedBatches: number;
  /** Entries waiting to be written. */
  queued: number;
  /** Feedback or hand-offs that found no question with their ref. */
  unmatched: number;
  /** Writing is failing now. */
  failing: boolean;
}

export interface QuestionLog {
  /** The database, for messages: the SQLite path, or host:port/database (never a password). */
  readonly where: string;
  /** Queues one question. Never throws, never waits. */
  record(q: LoggedQuestion): void;
  /** The asker's feedback on the question recorded with `ref`; "Not helpful" keeps `text`. Never throws. */
  feedback(ref: string, value: Feedback, text?: string): void;
  /** The question recorded with `ref` was handed to a person; keeps `text`. Never throws. */
  handedOff(ref: string, text?: string): void;
  /** Writes what is queued now (tests, shutdown); resolves when done or when an attempt fails. */
  flush(): Promise<void>;
  /** Flushes, stops the timers and closes the database; entries still unwritten are counted as dropped. */
  close(): Promise<void>;
  stats(): QuestionLogStats;
}

/** Where the log's warnings and errors go (a pino logger fits). */
export interface QuestionLogLogger {
  warn(o: object): void;
  error(o: object): void;
}

export interface QuestionLogOptions extends DbTarget {
  /** Rows older than this many days are deleted (on open, then every purgeIntervalMs). */
  retentionDays?: number;
  /** Default: JSON lines on stderr. */
  log?: QuestionLogLogger;
  /** The limits below, for tests. */
  batchRows?: number;
  batchIntervalMs?: number;
  maxQueue?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  purgeIntervalMs?: number;
}

export const QUESTION_LOG_LIMITS: Readonly<Record<LimitName, number>> = Object.freeze({
  retentionDays: 90,
  batchRows: 100,
  batchIntervalMs: 200,
  maxQueue: 10_000,
  maxAttempts: 5,
  retryBaseMs: 250,
  retryMaxMs: 5_000,
  purgeIntervalMs: 60 * 60 * 1000,
});

type LimitName =
  | 'retentionDays'
  | 'batchRows'
  | 'batchIntervalMs'
  | 'maxQueue'
  | 'maxAttempts'
  | 'retryBaseMs'
  | 'retryMaxMs'
  | 'purgeIntervalMs';

/** The settings of the question log, from the environment; problems in the words of errors.ts. */
export interface QuestionLogSettings {
  databaseUrl: string | null;
  sqlitePath: string;
  retentionDays: number;
  /** QUESTION_LOG=off: no question log (questions reach only the log lines). */
  enabled: boolean;
}

export function questionLogSettings(
  env: Record<string, string | undefined>,
): { ok: true; settings: QuestionLogSettings } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const databaseUrl = (env.DATABASE_URL ?? '').trim() || null;
  if (databaseUrl && !isPostgresUrl(databaseUrl)) problems.push(messages.settingNotPostgresUrl('DATABASE_URL'));
  const sqlitePath = resolveSqlitePath((env.QUESTION_DB ?? '').trim() || undefined);
  const rawDays = (env.RETENTION_DAYS ?? '').trim();
  let retentionDays: number = QUESTION_LOG_LIMITS.retentionDays;
  if (rawDays !== '') {
    const n = /^\d+$/.test(rawDays) ? Number(rawDays) : NaN;
    if (Number.isInteger(n) && n >= 1 && n <= 3650) retentionDays = n;
    else problems.push(messages.settingNotWholeNumber('RETENTION_DAYS', 1, 3650, rawDays));
  }
  const enabled = (env.QUESTION_LOG ?? '').trim() !== 'off';
  return problems.length
    ? { ok: false, problems }
    : { ok: true, settings: { databaseUrl, sqlitePath, retentionDays, enabled } };
}

/** Whether a question's text is kept when it is recorded: the bot was not confident. */
export function notConfident(q: Pick<LoggedQuestion, 'intent' | 'outcome' | 'confidence'>): boolean {
  return q.intent === FALLBACK_INTENT || q.outcome === 'fallback' || !(q.confidence >= DEFAULTS.lowConfidence);
}

/** The text as stored: masked, then cut (only a bounded head of a long message is looked at). */
function keptText(text: unknown): string | null {
  if (typeof text !== 'string' || text.trim() === '') return null;
  // A code point is at most two UTF-16 units; the margin covers a number straddling the cut.
  return maskedExcerpt(text.slice(0, 2 * (QUESTION_TEXT_LIMIT + 20)));
}

const ID_LIMIT = 200;
const id = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v.slice(0, ID_LIMIT) : null);
const finite = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

type Entry =
  | { kind: 'question'; values: Param[] }
  | { kind: 'feedback'; ref: string; value: Feedback; text: string | null }
  | { kind: 'handoff'; ref: string; text: string | null };

const QUESTION_COLUMNS =
  'at_ms, day, ref, team, channel, surface, lang, intent, province, confidence, outcome, feedback, handed_off, latency_ms, text';
const QUESTION_PLACEHOLDERS = `(${QUESTION_COLUMNS.split(',')
  .map(() => '?')
  .join(', ')})`;
const FEEDBACK_SQL =
  'UPDATE questions SET feedback = ?, text = COALESCE(text, ?) WHERE id = (SELECT MAX(id) FROM questions WHERE ref = ?)';
const HANDOFF_SQL =
  'UPDATE questions SET handed_off = 1, text = COALESCE(text, ?) WHERE id = (SELECT MAX(id) FROM questions WHERE ref = ?)';
const PURGE_SQL = 'DELETE FROM questions WHERE at_ms < ?';
/** Rows per INSERT statement: one round trip for a whole batch. */
const INSERT_CHUNK = 100;

/** The row values of a question, in QUESTION_COLUMNS order. */
function questionValues(q: LoggedQuestion): Param[] {
  const atRaw = q.at instanceof Date ? q.at.getTime() : q.at;
  const at = Math.round(finite(atRaw, Date.now()));
  const confidence = finite(q.confidence, 0);
  const surface = SURFACES.includes(q.surface) ? q.surface : String(q.surface).slice(0, 20);
  const outcome = OUTCOMES.includes(q.outcome) ? q.outcome : String(q.outcome).slice(0, 20);
  const intent = String(q.intent ?? FALLBACK_INTENT).slice(0, 60);
  const keep = notConfident({ intent, outcome: outcome as Outcome, confidence: finite(q.confidence, NaN) });
  return [
    at,
    new Date(at).toISOString().slice(0, 10),
    id(q.ref),
    id(q.team),
    id(q.channel),
    surface,
    id(q.lang),
    intent,
    id(q.province),
    confidence,
    outcome,
    null,
    0,
    Math.round(Math.max(0, finite(q.latencyMs, 0)) * 10) / 10,
    keep ? keptText(q.text) : null,
  ];
}

/** A bounded FIFO with O(1) removal from the front. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    this.compact();
    return item;
  }
  take(n: number): T[] {
    const out = this.items.slice(this.head, this.head + n);
    this.head += out.length;
    this.compact();
    return out;
  }
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

const stderrLog: QuestionLogLogger = {
  warn: (o) => process.stderr.write(`${JSON.stringify({ level: 'warn', ...o })}\n`),
  error: (o) => process.stderr.write(`${JSON.stringify({ level: 'error', ...o })}\n`),
};

/**
 * Opens the question log. Rejects only for a DATABASE_URL that is not a PostgreSQL URL; a database
 * that cannot be reached or written is logged once and retried, and the log queues meanwhile.
 */
export async function openQuestionLog(opts: QuestionLogOptions = {}): Promise<QuestionLog> {
  const databaseUrl = opts.databaseUrl?.trim() || null;
  if (databaseUrl && !isPostgresUrl(databaseUrl))
    throw new DatabaseError(messages.settingNotPostgresUrl('DATABASE_URL'));
  const target: DbTarget = databaseUrl ? { databaseUrl } : { sqlitePath: opts.sqlitePath ?? DEFAULT_SQLITE_PATH };
  const where = targetWhere(target);
  const L = { ...QUESTION_LOG_LIMITS, ...definedOnly(opts) };
  const log = opts.log ?? stderrLog;
  const retentionMs = L.retentionDays * 24 * 60 * 60 * 1000;

  const queue = new Fifo<Entry>();
  let db: Db | null = null;
  let inFlight: Entry[] | null = null;
  let attempts = 0;
  let retryAt = 0;
  let purgeDue = true;
  let running: Promise<boolean> | null = null;
  let soon = false;
  let closed = false;
  let failingSince: number | null = null;
  const stats = { written: 0, dropped: 0, failedBatches: 0, unmatched: 0 };
  /** Drops up to the last successful write: what a recovery reports is everything lost since. */
  let droppedAtLastWrite = 0;

  const lose = (n: number) => {
    stats.dropped += n;
  };

  const enqueue = (e: Entry) => {
    if (closed) return lose(1);
    if (queue.length >= L.maxQueue) {
      queue.shift();
      lose(1);
    }
    queue.push(e);
    if (queue.length >= L.batchRows && !soon && !running) {
      soon = true;
      setImmediate(() => {
        soon = false;
        tick();
      });
    }
  };

  async function ready(): Promise<Db> {
    if (db) return db;
    const opened = await openDb(target);
    try {
      await migrate(opened);
    } catch (err) {
      await opened.close();
      throw err;
    }
    db = opened;
    return opened;
  }

  async function write(d: Db, entries: Entry[]): Promise<void> {
    const unmatched = await d.transaction(async (tx) => {
      let misses = 0;
      let rows: Param[][] = [];
      const insert = async () => {
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
          const chunk = rows.slice(i, i + INSERT_CHUNK);
          await tx.run(
            `INSERT INTO questions (${QUESTION_COLUMNS}) VALUES ${chunk.map(() => QUESTION_PLACEHOLDERS).join(', ')}`,
            chunk.flat(),
          );
        }
        rows = [];
      };
      // In order: a feedback queued after its question finds it, even in the same batch.
      for (const e of entries) {
        if (e.kind === 'question') {
          rows.push(e.values);
          continue;
        }
        await insert();
        const changed =
          e.kind === 'feedback'
            ? await tx.run(FEEDBACK_SQL, [e.value, e.text, e.ref])
            : await tx.run(HANDOFF_SQL, [e.text, e.ref]);
        if (changed === 0) misses++;
      }
      await insert();
      return misses;
    });
    stats.unmatched += unmatched;
  }

  /** One attempt: open if needed, purge when due, write one batch. False when it failed. */
  async function runOnce(): Promise<boolean> {
    if (!inFlight && queue.length > 0) {
      inFlight = queue.take(L.batchRows);
      attempts = 0;
    }
    try {
      const d = await ready();
      if (purgeDue) {
        await d.run(PURGE_SQL, [Date.now() - retentionMs]);
        purgeDue = false;
      }
      if (inFlight) {
        await write(d, inFlight);
        stats.written += inFlight.length;
        inFlight = null;
      }
      attempts = 0;
      retryAt = 0;
      if (failingSince !== null) {
        const seconds = Math.round((Date.now() - failingSince) / 100) / 10;
        const lost = stats.dropped - droppedAtLastWrite;
        log.warn({
          event: 'question_log_recovered',
          where,
          lost,
          seconds,
          msg: messages.questionLogRecovered(where, lost, seconds),
        });
        failingSince = null;
      }
      droppedAtLastWrite = stats.dropped;
      return true;
    } catch (err) {
      const reason = safeReason(err, databaseUrl);
      if (failingSince === null) {
        failingSince = Date.now();
        log.warn({
          event: 'question_log_failing',
          where,
          reason,
          msg: messages.questionLogFailing(where, reason, L.maxQueue),
        });
      }
      attempts++;
      if (inFlight && attempts >= L.maxAttempts) {
        lose(inFlight.length);
        stats.failedBatches++;
        inFlight = null;
        attempts = 0;
      }
      retryAt = Date.now() + Math.min(L.retryMaxMs, L.retryBaseMs * 2 ** Math.max(0, attempts - 1));
      // Start afresh next time: a SQLite file that moved or a broken pool is opened again.
      const d = db;
      db = null;
      await d?.close().catch(() => undefined);
      return false;
    }
  }

  const pending = () => inFlight !== null || queue.length > 0 || purgeDue;

  function attempt(): Promise<boolean> {
    if (!running) {
      running = runOnce()
        .catch(() => false)
        .finally(() => {
          running = null;
        });
    }
    return running;
  }

  function tick(): void {
    if (closed || running || !pending() || Date.now() < retryAt) return;
    void attempt().then((ok) => {
      if (ok && queue.length >= L.batchRows) setImmediate(tick);
    });
  }

  const batchTimer = setInterval(tick, L.batchIntervalMs);
  batchTimer.unref();
  const purgeTimer = setInterval(() => {
    purgeDue = true;
    tick();
  }, L.purgeIntervalMs);
  purgeTimer.unref();

  async function flush(): Promise<void> {
    if (running) await running;
    while (pending()) {
      if (!(await attempt())) return;
    }
  }

  // Open, migrate and purge now, so a broken database shows at start-up (logged, never thrown).
  await attempt();

  return {
    where,
    record(q) {
      try {
        enqueue({ kind: 'question', values: questionValues(q) });
      } catch {
        lose(1);
      }
    },
    feedback(ref, value, text) {
      try {
        const r = id(ref);
        if (!r || (value !== 'helpful' && value !== 'not_helpful')) return lose(1);
        enqueue({ kind: 'feedback', ref: r, value, text: value === 'not_helpful' ? keptText(text) : null });
      } catch {
        lose(1);
      }
    },
    handedOff(ref, text) {
      try {
        const r = id(ref);
        if (!r) return lose(1);
        enqueue({ kind: 'handoff', ref: r, text: keptText(text) });
      } catch {
        lose(1);
      }
    },
    flush,
    async close() {
      if (closed) return;
      clearInterval(batchTimer);
      clearInterval(purgeTimer);
      await flush();
      closed = true;
      const left = queue.length + (inFlight?.length ?? 0);
      if (left > 0) {
        queue.take(queue.length);
        inFlight = null;
        lose(left);
        log.warn({ event: 'question_log_closed', where, lost: left, msg: messages.questionLogClosed(where, left) });
      }
      const d = db;
      db = null;
      await d?.close();
    },
    stats: () => ({
      ...stats,
      queued: queue.length + (inFlight?.length ?? 0),
      failing: failingSince !== null,
    }),
  };
}

function definedOnly(opts: QuestionLogOptions): Partial<Record<LimitName, number>> {
  const out: Partial<Record<LimitName, number>> = {};
  for (const k of Object.keys(QUESTION_LOG_LIMITS) as LimitName[]) {
    const v = opts[k];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) out[k] = v;
  }
  return out;
}
