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
import { contentConcepts, suggestIntent } from '../reading.js';
import type {
  Count,
  DayCount,
  IntentCount,
  NextSteps,
  ProvinceCount,
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
       SUM(CASE WHEN feedback = 'not_helpful' THEN 1 ELSE 0 END) AS not_helpful,
       SUM(CASE WHEN feedback IS NOT NULL THEN 1 ELSE 0 END) AS rated
     FROM questions WHERE ${RANGE} GROUP BY intent`,
  byProvince: `SELECT province AS k, COUNT(*) AS n,
       SUM(CASE WHEN outcome = 'fallback' THEN 1 ELSE 0 END) AS fallback,
       SUM(CASE WHEN feedback = 'not_helpful' THEN 1 ELSE 0 END) AS not_helpful,
       SUM(CASE WHEN feedback IS NOT NULL THEN 1 ELSE 0 END) AS rated
     FROM questions WHERE ${RANGE} GROUP BY province`,
  first: `SELECT MIN(at_ms) AS first FROM questions WHERE ${RANGE}`,
  // The nearest-rank value: one row at a computed offset, in both databases.
  percentile: (offset: number) =>
    `SELECT latency_ms FROM questions WHERE ${RANGE} ORDER BY latency_ms LIMIT 1 OFFSET ${offset}`,
  /** The range, then the threshold. */
  unansweredTotals: `SELECT COUNT(*) AS n, SUM(CASE WHEN text_key IS NULL THEN 1 ELSE 0 END) AS without_text
     FROM questions WHERE ${RANGE} AND ${UNANSWERED}`,
  /**
   * The biggest groups by `key` (read_key: the reading, else the text; text_key on an older log),
   * ties in byte order (PostgreSQL's collation would differ from SQLite's); the threshold twice,
   * then the range, then the threshold.
   */
  unansweredGroups: (key: string, limit: number, collate: string) => `SELECT ${key} AS g, COUNT(*) AS n,
       SUM(CASE WHEN outcome = 'fallback' OR intent = 'fallback' THEN 1 ELSE 0 END) AS fallback,
       SUM(CASE WHEN confidence < ? THEN 1 ELSE 0 END) AS low,
       SUM(CASE WHEN feedback = 'not_helpful' THEN 1 ELSE 0 END) AS not_helpful,
       SUM(handed_off) AS handed_off,
       SUM(CASE WHEN lang = 'en' THEN 1 ELSE 0 END) AS en,
       SUM(CASE WHEN lang = 'zh' THEN 1 ELSE 0 END) AS zh,
       MAX(at_ms) AS last_at
     FROM questions WHERE ${RANGE} AND ${UNANSWERED} AND ${key} IS NOT NULL
     GROUP BY ${key} ORDER BY n DESC, ${key}${collate} LIMIT ${limit}`,
  /** The newest text of a group (in a language): the group, the range, the threshold. */
  example: (key: string, lang: boolean) =>
    `SELECT text FROM questions WHERE ${key} = ? ${lang ? 'AND lang = ?' : ''} AND ${RANGE} AND ${UNANSWERED}
     ORDER BY at_ms DESC, id DESC LIMIT 1`,
  /** The commonest value of `column` in a group: the group, then the range. */
  commonest: (key: string, column: string, collate: string) => `SELECT ${column} AS k, COUNT(*) AS n
     FROM questions WHERE ${key} = ? AND ${column} IS NOT NULL AND ${RANGE}
     GROUP BY ${column} ORDER BY n DESC, ${column}${collate} LIMIT 1`,
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
  /** The log's schema version, and the column the unanswered questions are grouped by. */
  schema: number;
  groupBy: 'read_key' | 'text_key';
  /** Byte order for ties in PostgreSQL, as SQLite has it. */
  collate: string;
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
      rated: num(row['rated']),
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
  const limit = Math.max(1, Math.floor(top));
  const rows = await p.db.all(SQL.unansweredGroups(p.groupBy, limit, p.collate), [p.low, p.since, p.until, p.low]);
  const groups: UnansweredGroup[] = [];
  for (const row of rows) groups.push(await groupOf(p, row));
  // The databases' order, again in code-unit order like every other count.
  groups.sort((a, b) => b.count - a.count || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return { total: num(totals?.['n']), withoutText: num(totals?.['without_text']), groups };
}

/** One group of unanswered questions: its counts, its newest text in each language, what to teach it as. */
async function groupOf(p: Period, row: Row): Promise<UnansweredGroup> {
  const g = String(row['g']);
  const newest = async (lang?: string): Promise<string | null> => {
    const params: Param[] = lang ? [g, lang, p.since, p.until, p.low] : [g, p.since, p.until, p.low];
    const [r] = await p.db.all(SQL.example(p.groupBy, lang !== undefined), params);
    return typeof r?.['text'] === 'string' ? r['text'] : null;
  };
  const en = num(row['en']);
  const zh = num(row['zh']);
  const examples = [en ? await newest('en') : null, zh ? await newest('zh') : null].filter(
    (x): x is string => x !== null,
  );
  const example = examples.length ? examples[0]! : ((await newest()) ?? g);
  const concepts = g.startsWith('c:') ? g.slice(2) : null;
  const text = p.groupBy === 'read_key' ? (concepts !== null ? `read: ${concepts}` : g.replace(/^t:/, '')) : g;
  return {
    text,
    concepts,
    suggested: await suggestion(p, g, concepts, example),
    count: num(row['n']),
    fallback: num(row['fallback']),
    lowConfidence: num(row['low']),
    notHelpful: num(row['not_helpful']),
    handedOff: num(row['handed_off']),
    en,
    zh,
    examples: examples.length ? examples : [example],
    example,
    lastAt: new Date(num(row['last_at'])).toISOString(),
  };
}

/** What to teach a group as: the commonest label given, else the reading's intent, else the example's. */
async function suggestion(p: Period, g: string, concepts: string | null, example: string): Promise<string | null> {
  const commonest = async (column: string) => {
    const [r] = await p.db.all(SQL.commonest(p.groupBy, column, p.collate), [g, p.since, p.until]);
    return typeof r?.['k'] === 'string' ? r['k'] : null;
  };
  if (p.schema >= 3) {
    const labelled = await commonest('label_intent');
    if (labelled) return labelled;
  }
  if (p.schema >= 5 && concepts !== null) return commonest('read_topic');
  // An older row has no stored reading: its text is read now.
  return suggestIntent(contentConcepts(example));
}

async function byProvince(p: Period): Promise<ProvinceCount[]> {
  return sortCounts(
    (await inPeriod(p, SQL.byProvince)).map((row) => ({
      key: row['k'] === null || row['k'] === undefined ? '' : String(row['k']),
      count: num(row['n']),
      fallback: num(row['fallback']),
      notHelpful: num(row['not_helpful']),
      rated: num(row['rated']),
    })),
  );
}

/** The biggest unanswered groups, and the named provinces with enough questions that fail most. */
function nextSteps(total: number, provinces: ProvinceCount[], groups: UnansweredGroup[]): NextSteps {
  const minVolume = Math.max(20, Math.ceil(total * 0.01));
  const failing = provinces
    .filter((x) => x.key !== '' && x.count >= minVolume)
    .map((x) => ({ ...x, failureRate: (x.fallback + x.notHelpful) / x.count }))
    .filter((x) => x.failureRate > 0)
    .sort((a, b) => b.failureRate - a.failureRate || (a.key < b.key ? -1 : 1))
    .slice(0, 3);
  return { groups: groups.slice(0, 3), provinces: failing, minVolume };
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
  const until = Math.floor(opts.untilMs ?? Date.now());
  const schema = opts.schema ?? SCHEMA_VERSION;
  const p: Period = {
    db,
    since: Math.floor(opts.sinceMs),
    until,
    low: DEFAULTS.lowConfidence,
    schema,
    groupBy: schema >= 5 ? 'read_key' : 'text_key',
    collate: db.dialect === 'postgres' ? ' COLLATE "C"' : '',
  };
  // A log younger than the period starts at its first question: no empty days before it.
  const [first] = await inPeriod(p, SQL.first);
  if (first?.['first'] !== null && first?.['first'] !== undefined) p.since = Math.max(p.since, num(first['first']));
  const since = p.since;
  const t = await totals(p);
  const provinces = await byProvince(p);
  const groups = await unanswered(p, opts.top ?? 20);
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
    byProvince: provinces,
    bySurface: await counted(p, 'surface'),
    byLang: await counted(p, 'lang'),
    unanswered: groups,
    slowest: await slowest(p, opts.slowest ?? 10),
    liveAccuracy: schema >= 4 ? await liveAccuracy(db, since, until) : null,
    next: nextSteps(t.total, provinces, groups.groups),
  };
}
