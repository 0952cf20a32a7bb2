/**
 * The report's data (./types.ts) from the question log: `buildReport` runs one query per aggregate.
 *
 * Every aggregate is one SQL query, the same text for SQLite and PostgreSQL (src/questions/db.ts),
 * and memory stays bounded: the unanswered questions are grouped by the key stored with each row
 * (text_key) and only the top groups are read, with one example each. Days are UTC days.
 */
import { DEFAULTS } from '../../defaults.js';
import { messages, UsageError } from '../../errors.js';
import { num, type Db, type Param, type Row } from '../db.js';
import { liveAccuracy } from '../live-accuracy.js';
import { SCHEMA_VERSION } from '../migrations.js';
import type {
  Count,
  DayCount,
  IntentCount,
  QuestionReport,
  ReportOptions,
  SlowAnswer,
  UnansweredGroup,
} from './types.js';

const DAY = 24 * 3600 * 1000;

/** `--since`: 7d, 24h, 2w, 90m, or a date (2026-11-01, UTC midnight). */
export function parseSince(raw: string, now: number): number {
  const m = /^(\d{1,5})([mhdw])$/.exec(raw.trim());
  if (m) {
    const unit = { m: 60_000, h: 3_600_000, d: DAY, w: 7 * DAY }[m[2] as 'm' | 'h' | 'd' | 'w'];
    return now - Number(m[1]) * unit;
  }
  if (/^\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?$/.test(raw.trim())) {
    const t = Date.parse(raw.trim().length === 10 ? `${raw.trim()}T00:00:00Z` : raw.trim());
    if (Number.isFinite(t)) return t;
  }
  throw new UsageError(messages.badSince(raw));
}

// ---------------------------------------------------------------------------------------------
// The SQL, one text per aggregate.

/** The period, with its two parameters (since, until). */
const RANGE = 'at_ms >= ? AND at_ms < ?';

/** The condition of an unanswered question, with the threshold as its one parameter. */
const UNANSWERED = "(outcome = 'fallback' OR intent = 'fallback' OR confidence < ? OR feedback = 'not_helpful')";

const SQL = {
  /** The threshold, then the range. */
  totals: `SELECT COUNT(*) AS total,
       SUM(CASE WHEN outcome = 'fallback' THEN 1 ELSE 0 END) AS fallback,
       SUM(CASE WHEN feedback IS NOT NULL THEN 1 ELSE 0 END) AS rated,
       SUM(CASE WHEN feedback = 'helpful' THEN 1 ELSE 0 END) AS helpful,
       SUM(CASE WHEN feedback = 'not_helpful' THEN 1 ELSE 0 END) AS not_helpful,
       SUM(handed_off) AS handed_off,
       SUM(CASE WHEN confidence < ? THEN 1 ELSE 0 END) AS low,
       MAX(latency_ms) AS max_latency
     FROM questions WHERE ${RANGE}`,
  counted: (column: string) => `SELECT ${column} AS k, COUNT(*) AS n FROM questions WHERE ${RANGE} GROUP BY ${column}`,
  byDay: `SELECT day, COUNT(*) AS n,
       SUM(CASE WHEN outcome = 'fallback' THEN 1 ELSE 0 END) AS fallback,
       SUM(CASE WHEN feedback = 'not_helpful' THEN 1 ELSE 0 END) AS not_helpful
     FROM questions WHERE ${RANGE} GROUP BY day`,
  /** The threshold, then the range. */
  byIntent: `SELECT intent AS k, COUNT(*) AS n,
       SUM(CASE WHEN outcome = 'fallback' THEN 1 ELSE 0 END) AS fallback,
       SUM(CASE WHEN confidence < ? THEN 1 ELSE 0 END) AS low,
       SUM(CASE WHEN feedback = 'not_helpful' THEN 1 ELSE 0 END) AS not_helpful
     FROM questions WHERE ${RANGE} GROUP BY intent`,
  // The nearest-rank value: one row at a computed offset, in both databases.
  percentile: (offset: number) =>
    `SELECT latency_ms FROM questions WHERE ${RANGE} ORDER BY latency_ms LIMIT 1 OFFSET ${offset}`,
  /** The range, then the threshold. */
  unansweredTotals: `SELECT COUNT(*) AS n, SUM(CASE WHEN text_key IS NULL THEN 1 ELSE 0 END) AS without_text
     FROM questions WHERE ${RANGE} AND ${UNANSWERED}`,
  /**
   * The biggest groups by their key (src/questions/text-key.ts), ties in byte order (PostgreSQL's
   * collation would differ from SQLite's); the threshold twice, then the range, then the threshold.
   */
  unansweredGroups: (limit: number, collate: string) => `SELECT text_key, COUNT(*) AS n,
       SUM(CASE WHEN outcome = 'fallback' OR intent = 'fallback' THEN 1 ELSE 0 END) AS fallback,
       SUM(CASE WHEN confidence < ? THEN 1 ELSE 0 END) AS low,
       SUM(CASE WHEN feedback = 'not_helpful' THEN 1 ELSE 0 END) AS not_helpful,
       SUM(handed_off) AS handed_off,
       MAX(at_ms) AS last_at
     FROM questions WHERE ${RANGE} AND ${UNANSWERED} AND text_key IS NOT NULL
     GROUP BY text_key ORDER BY n DESC, text_key${collate} LIMIT ${limit}`,
  /** The newest text of a group: the key, the range, then the threshold. */
  example: `SELECT text FROM questions WHERE text_key = ? AND ${RANGE} AND ${UNANSWERED} ORDER BY at_ms DESC, id DESC LIMIT 1`,
  slowest: (limit: number) =>
    `SELECT at_ms, latency_ms, surface, intent, province, outcome, ref
     FROM questions WHERE ${RANGE} ORDER BY latency_ms DESC, id LIMIT ${limit}`,
};

// ---------------------------------------------------------------------------------------------
// The aggregates.

/** The period read: epoch ms, `until` exclusive; `low` is the confidence threshold. */
interface Period {
  db: Db;
  since: number;
  until: number;
  low: number;
}

/** Runs a query on the period: `params` first, then the range's two. */
const inPeriod = (p: Period, sql: string, params: Param[] = []): Promise<Row[]> =>
  p.db.all(sql, [...params, p.since, p.until]);

interface Totals {
  total: number;
  fallback: number;
  rated: number;
  helpful: number;
  notHelpful: number;
  handedOff: number;
  lowConfidence: number;
  maxLatency: number;
}

async function totals(p: Period): Promise<Totals> {
  const [row] = await inPeriod(p, SQL.totals, [p.low]);
  return {
    total: num(row?.['total']),
    fallback: num(row?.['fallback']),
    rated: num(row?.['rated']),
    helpful: num(row?.['helpful']),
    notHelpful: num(row?.['not_helpful']),
    handedOff: num(row?.['handed_off']),
    lowConfidence: num(row?.['low']),
    maxLatency: num(row?.['max_latency']),
  };
}

/** Questions per value of `column` (no value counts as ''). */
async function counted(p: Period, column: string): Promise<Count[]> {
  return sortCounts(
    (await inPeriod(p, SQL.counted(column))).map((row) => ({
      key: row['k'] === null || row['k'] === undefined ? '' : String(row['k']),
      count: num(row['n']),
    })),
  );
}

/** Every UTC day of the period, those without questions too. */
async function byDay(p: Period): Promise<DayCount[]> {
  const days = await inPeriod(p, SQL.byDay);
  const byDayMap = new Map(
    days.map((d) => [
      String(d['day']),
      { count: num(d['n']), fallback: num(d['fallback']), notHelpful: num(d['not_helpful']) },
    ]),
  );
  const out: DayCount[] = [];
  for (let t = Date.parse(`${isoDay(p.since)}T00:00:00Z`); t < p.until; t += DAY) {
    const day = isoDay(t);
    out.push({ day, ...(byDayMap.get(day) ?? { count: 0, fallback: 0, notHelpful: 0 }) });
  }
  return out;
}

async function byIntent(p: Period): Promise<IntentCount[]> {
  return sortCounts(
    (await inPeriod(p, SQL.byIntent, [p.low])).map((row) => ({
      key: String(row['k']),
      count: num(row['n']),
      fallback: num(row['fallback']),
      lowConfidence: num(row['low']),
      notHelpful: num(row['not_helpful']),
    })),
  );
}

/** The reply time at quantile `q` of the period's `total` questions. */
async function percentile(p: Period, total: number, q: number): Promise<number> {
  if (total === 0) return 0;
  const [row] = await inPeriod(p, SQL.percentile(Math.floor(q * (total - 1))));
  return num(row?.['latency_ms']);
}

async function unanswered(p: Period, top: number): Promise<QuestionReport['unanswered']> {
  const [totals] = await p.db.all(SQL.unansweredTotals, [p.since, p.until, p.low]);
  const collate = p.db.dialect === 'postgres' ? ' COLLATE "C"' : '';
  const limit = Math.max(1, Math.floor(top));
  const rows = await p.db.all(SQL.unansweredGroups(limit, collate), [p.low, p.since, p.until, p.low]);
  const groups: UnansweredGroup[] = [];
  for (const row of rows) {
    const key = String(row['text_key']);
    const [example] = await p.db.all(SQL.example, [key, p.since, p.until, p.low]);
    groups.push({
      text: key,
      count: num(row['n']),
      fallback: num(row['fallback']),
      lowConfidence: num(row['low']),
      notHelpful: num(row['not_helpful']),
      handedOff: num(row['handed_off']),
      example: typeof example?.['text'] === 'string' ? example['text'] : key,
      lastAt: new Date(num(row['last_at'])).toISOString(),
    });
  }
  // The databases' order, again in code-unit order like every other count.
  groups.sort((a, b) => b.count - a.count || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return { total: num(totals?.['n']), withoutText: num(totals?.['without_text']), groups };
}

async function slowest(p: Period, n: number): Promise<SlowAnswer[]> {
  return (await inPeriod(p, SQL.slowest(Math.max(1, Math.floor(n))))).map((row) => ({
    at: new Date(num(row['at_ms'])).toISOString(),
    latencyMs: num(row['latency_ms']),
    surface: String(row['surface']),
    intent: String(row['intent']),
    province: typeof row['province'] === 'string' ? row['province'] : null,
    outcome: String(row['outcome']),
    ref: typeof row['ref'] === 'string' ? row['ref'] : null,
  }));
}

/** Biggest first; ties in code-unit order (the databases' collations differ). */
function sortCounts<T extends Count>(counts: T[]): T[] {
  return counts.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// The report.

export async function buildReport(db: Db, opts: ReportOptions): Promise<QuestionReport> {
  const since = Math.floor(opts.sinceMs);
  const until = Math.floor(opts.untilMs ?? Date.now());
  const p: Period = { db, since, until, low: DEFAULTS.lowConfidence };
  const t = await totals(p);
  return {
    where: db.where,
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    total: t.total,
    outcomes: await counted(p, 'outcome'),
    fallback: t.fallback,
    fallbackRate: t.total ? t.fallback / t.total : 0,
    rated: t.rated,
    helpful: t.helpful,
    notHelpful: t.notHelpful,
    notHelpfulRate: t.rated ? t.notHelpful / t.rated : 0,
    handedOff: t.handedOff,
    lowConfidence: t.lowConfidence,
    lowConfidenceThreshold: p.low,
    latency: {
      p50: await percentile(p, t.total, 0.5),
      p90: await percentile(p, t.total, 0.9),
      p99: await percentile(p, t.total, 0.99),
      max: t.maxLatency,
    },
    byDay: await byDay(p),
    byIntent: await byIntent(p),
    byProvince: await counted(p, 'province'),
    bySurface: await counted(p, 'surface'),
    byLang: await counted(p, 'lang'),
    unanswered: await unanswered(p, opts.top ?? 20),
    slowest: await slowest(p, opts.slowest ?? 10),
    liveAccuracy: (opts.schema ?? SCHEMA_VERSION) >= 4 ? await liveAccuracy(db, since, until) : null,
  };
}
