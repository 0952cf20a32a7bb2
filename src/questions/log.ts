/**
 * The question log: one database row per question the bot handled (when, where, how it was asked,
 * what the bot understood and did, how long it took, the feedback and hand-off it got), so a
 * support lead can see what people ask and what the bot fails at (`icp-bot report`, src/questions/report/).
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
 * was handed off, or (LABEL_SAMPLE) when an answered question is drawn into the labelling sample; always masked (src/mask.ts: mobile and ID-card numbers, e-mail addresses) and cut to 500 characters.
 *
 * Never in the way of an answer: record(), feedback() and handedOff() only queue (they never throw
 * and never wait); a timer writes the queue in batches (every 200 ms, or at once from 100 entries),
 * each batch in one transaction. A failing database never stops answers: a batch is retried 5
 * times (backing off from 250 ms to 5 s) and then dropped, the queue holds at most 10,000 entries
 * (beyond, the oldest are dropped), every lost entry is counted in stats(), and the log gets one
 * warning when writing starts failing and one when it recovers, saying how many entries were lost.
 * With SQLite the writes run on a thread of their own (src/questions/sqlite-thread.ts: a batch
 * of 100 takes about half a millisecond, but now and then a commit also checkpoints the WAL and
 * syncs the file, 5 to 15 ms, which on the event loop held up every answer meanwhile) and never
 * wait for a lock: a busy database is a failed attempt.
 *
 * Parts: this file holds what callers use (the types, the settings, what a recorded question
 * becomes); the queue and its retries are src/questions/writer.ts, opening, migrating and writing
 * a batch src/questions/store.ts, the retention purge src/questions/retention.ts.
 */
import { DEFAULTS } from '../defaults.js';
import { DatabaseError, messages } from '../errors.js';
import { maskedExcerpt, QUESTION_TEXT_LIMIT } from '../mask.js';
import {
  DEFAULT_SQLITE_PATH,
  isPostgresUrl,
  resolveSqlitePath,
  safeReason,
  targetWhere,
  type DbTarget,
  type Param,
} from './db.js';
import { RetentionPurge } from './retention.js';
import type { LabelChange, LabelResult } from './label-store.js';
import { keptValues, QuestionStore, type Entry, type LabelSlot } from './store.js';
import { CANNOT_HELP, FALLBACK_INTENT, type Lang } from '../types.js';
import { BatchWriter } from './writer.js';

/** How the question reached the bot. */
export const SURFACES = ['dm', 'mention', 'slash', 'pick', 'typed', 'followup', 'shortcut'] as const;
export type Surface = (typeof SURFACES)[number];

/** What the bot did: answered, asked for the province, asked which question was meant, or gave its fallback. */
const OUTCOMES = ['answered', 'asked_province', 'clarified', 'fallback'] as const;
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

interface QuestionLogStats {
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
  /**
   * A person's label (or part of one) on the question recorded with `ref`, written with what is
   * queued before it: the label as it now stands, null for no such question, 'failed' when the
   * database could not be written. Never rejects.
   */
  label(change: LabelChange): Promise<LabelResult | null | 'failed'>;
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
  /** LABEL_SAMPLE: the share (0..1) of answered questions whose masked text is kept for labelling. */
  labelSample?: number;
  /** The random numbers the sample is drawn with (tests). */
  random?: () => number;
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

const QUESTION_LOG_LIMITS: Readonly<Record<LimitName, number>> = Object.freeze({
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
interface QuestionLogSettings {
  databaseUrl: string | null;
  sqlitePath: string;
  retentionDays: number;
  labelSample: number;
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
  const rawSample = (env.LABEL_SAMPLE ?? '').trim();
  const labelSample = rawSample === '' ? 0 : /^(?:0|1|0?\.\d{1,6}|1\.0*)$/.test(rawSample) ? Number(rawSample) : NaN;
  if (Number.isNaN(labelSample)) problems.push(messages.settingNotShare('LABEL_SAMPLE', rawSample));
  const enabled = (env.QUESTION_LOG ?? '').trim() !== 'off';
  return problems.length
    ? { ok: false, problems }
    : { ok: true, settings: { databaseUrl, sqlitePath, retentionDays, labelSample, enabled } };
}

/** Whether a question's text is kept when it is recorded: the bot was not confident. */
function notConfident(q: Pick<LoggedQuestion, 'intent' | 'outcome' | 'confidence'>): boolean {
  return CANNOT_HELP.has(q.intent) || q.outcome === 'fallback' || !(q.confidence >= DEFAULTS.lowConfidence);
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

/** Whether an answered question is drawn into the labelling sample (LABEL_SAMPLE). */
type Sampler = (outcome: string) => boolean;

export function sampler(share: number, random: () => number = Math.random): Sampler {
  return (outcome) => share > 0 && outcome === 'answered' && random() < share;
}

/** The row values of a question, in the order of QUESTION_COLUMNS (src/questions/store.ts). */
function questionValues(q: LoggedQuestion, sampled: Sampler): Param[] {
  const atRaw = q.at instanceof Date ? q.at.getTime() : q.at;
  const at = Math.round(finite(atRaw, Date.now()));
  const confidence = finite(q.confidence, 0);
  const surface = SURFACES.includes(q.surface) ? q.surface : String(q.surface).slice(0, 20);
  const outcome = OUTCOMES.includes(q.outcome) ? q.outcome : String(q.outcome).slice(0, 20);
  const intent = String(q.intent ?? FALLBACK_INTENT).slice(0, 60);
  const keep = notConfident({ intent, outcome: outcome as Outcome, confidence: finite(q.confidence, NaN) });
  // An answered question's text is kept only when drawn into the sample, and marked so.
  const drawn = !keep && sampled(outcome);
  const text = keep || drawn ? keptText(q.text) : null;
  const [, key, concepts, topic, readKey] = keptValues(text);
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
    text,
    key,
    drawn && text !== null ? 1 : 0,
    concepts,
    topic,
    readKey,
  ];
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
  const limits = { ...QUESTION_LOG_LIMITS, ...definedOnly(opts) };
  const retention = new RetentionPurge(limits.retentionDays, limits.purgeIntervalMs, () => writer.wake());
  const store = new QuestionStore(target, retention);
  const writer = new BatchWriter<Entry>({
    sink: store,
    limits,
    where,
    log: opts.log ?? stderrLog,
    reason: (err) => safeReason(err, databaseUrl),
  });
  // Open, migrate and purge now, so a broken database shows at start-up (logged, never thrown).
  await writer.attempt();
  const share = Math.min(1, Math.max(0, finite(opts.labelSample, 0)));
  return new DatabaseQuestionLog(where, writer, store, retention, sampler(share, opts.random));
}

/** The question log openQuestionLog returns: shapes what is recorded, and queues it for the writer. */
class DatabaseQuestionLog implements QuestionLog {
  constructor(
    readonly where: string,
    private readonly writer: BatchWriter<Entry>,
    private readonly store: QuestionStore,
    private readonly retention: RetentionPurge,
    private readonly sampled: Sampler,
  ) {}

  record(q: LoggedQuestion): void {
    try {
      this.writer.enqueue({ kind: 'question', values: questionValues(q, this.sampled) });
    } catch {
      this.writer.lose(1);
    }
  }

  feedback(ref: string, value: Feedback, text?: string): void {
    try {
      const r = id(ref);
      if (!r || (value !== 'helpful' && value !== 'not_helpful')) return this.writer.lose(1);
      this.writer.enqueue({ kind: 'feedback', ref: r, value, text: value === 'not_helpful' ? keptText(text) : null });
    } catch {
      this.writer.lose(1);
    }
  }

  handedOff(ref: string, text?: string): void {
    try {
      const r = id(ref);
      if (!r) return this.writer.lose(1);
      this.writer.enqueue({ kind: 'handoff', ref: r, text: keptText(text) });
    } catch {
      this.writer.lose(1);
    }
  }

  async label(change: LabelChange): Promise<LabelResult | null | 'failed'> {
    const r = id(change.ref);
    if (!r || this.writer.closed) return 'failed';
    const settled: LabelSlot = {};
    this.writer.enqueue({ kind: 'label', change: { ...change, ref: r, by: change.by.slice(0, ID_LIMIT) }, settled });
    // Written now, not on the timer: the person is told whether it was stored.
    await this.writer.flush().catch(() => undefined);
    return settled.result === undefined ? 'failed' : settled.result;
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  async close(): Promise<void> {
    if (this.writer.closed) return;
    this.retention.stop();
    await this.writer.close();
    await this.store.close();
  }

  stats(): QuestionLogStats {
    const w = this.writer.stats();
    return {
      written: w.written,
      dropped: w.dropped,
      failedBatches: w.failedBatches,
      unmatched: this.store.unmatched,
      queued: w.queued,
      failing: w.failing,
    };
  }
}

function definedOnly(opts: QuestionLogOptions): Partial<Record<LimitName, number>> {
  const out: Partial<Record<LimitName, number>> = {};
  for (const k of Object.keys(QUESTION_LOG_LIMITS) as LimitName[]) {
    const v = opts[k];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) out[k] = v;
  }
  return out;
}
