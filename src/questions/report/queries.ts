/**
 * `icp-bot report`: what the question log (src/questions/log.ts) says about a period: volume by day,
 * by intent, by province and by surface; the fallback rate and the "Not helpful" rate; the top
 * unanswered questions (the fallback, a confidence below DEFAULTS.lowConfidence, or "Not helpful"),
 * grouped by their normalised text; the slowest answers. As a terminal table (formatQuestionReport)
 * or a self-contained HTML page with charts (reportHtml: Chart.js's UMD build read from
 * node_modules and inlined, the data as JSON in the page; no request leaves the page).
 *
 * Every aggregate is one SQL query, the same text for SQLite and PostgreSQL (src/questions/db.ts);
 * only the unanswered questions are grouped here, since their grouping key is computed. Days are
 * UTC days.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DEFAULTS } from '../defaults.js';
import { messages, UsageError } from '../errors.js';
import { num, type Db, type Param } from './db.js';
import { registry } from '../answer/registry.js';

export interface ReportOptions {
  /** From here (epoch ms, inclusive)… */
  sinceMs: number;
  /** …to here (exclusive); now by default. */
  untilMs?: number;
  /** How many unanswered groups and slowest answers to list. */
  top?: number;
  slowest?: number;
}

export interface Count {
  key: string;
  count: number;
}

export interface DayCount {
  day: string;
  count: number;
  fallback: number;
  notHelpful: number;
}

export interface IntentCount extends Count {
  fallback: number;
  lowConfidence: number;
  notHelpful: number;
}

export interface UnansweredGroup {
  /** Lower case, whitespace collapsed, digits masked (#). */
  text: string;
  count: number;
  /** How many of them were the fallback, below the confidence threshold, rated "Not helpful", handed off. */
  fallback: number;
  lowConfidence: number;
  notHelpful: number;
  handedOff: number;
  /** One of them as stored (masked), the newest. */
  example: string;
  lastAt: string;
}

export interface SlowAnswer {
  at: string;
  latencyMs: number;
  surface: string;
  intent: string;
  province: string | null;
  outcome: string;
  ref: string | null;
}

export interface QuestionReport {
  where: string;
  since: string;
  until: string;
  total: number;
  outcomes: Count[];
  fallback: number;
  /** fallback / total (0 when there are no questions). */
  fallbackRate: number;
  rated: number;
  helpful: number;
  notHelpful: number;
  /** notHelpful / rated (0 when nothing was rated). */
  notHelpfulRate: number;
  handedOff: number;
  lowConfidence: number;
  lowConfidenceThreshold: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  byDay: DayCount[];
  byIntent: IntentCount[];
  byProvince: Count[];
  bySurface: Count[];
  byLang: Count[];
  unanswered: { total: number; withoutText: number; groups: UnansweredGroup[] };
  slowest: SlowAnswer[];
}

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

/** The grouping key of an unanswered question. */
export function normaliseQuestion(text: string): string {
  return text
    .toLowerCase()
    .replace(/\p{Nd}+/gu, '#')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** The condition of an unanswered question, with the threshold as its one parameter. */
const UNANSWERED = "(outcome = 'fallback' OR intent = 'fallback' OR confidence < ? OR feedback = 'not_helpful')";

export async function buildReport(db: Db, opts: ReportOptions): Promise<QuestionReport> {
  const since = Math.floor(opts.sinceMs);
  const until = Math.floor(opts.untilMs ?? Date.now());
  const low = DEFAULTS.lowConfidence;
  const range = 'at_ms >= ? AND at_ms < ?';
  const r: Param[] = [since, until];
  const all = (sql: string, params: Param[] = []) => db.all(sql, [...params, ...r]);

  const [totals] = await db.all(
    `SELECT COUNT(*) AS total,
       SUM(CASE WHEN outcome = 'fallback' THEN 1 ELSE 0 END) AS fallback,
       SUM(CASE WHEN feedback IS NOT NULL THEN 1 ELSE 0 END) AS rated,
       SUM(CASE WHEN feedback = 'helpful' THEN 1 ELSE 0 END) AS helpful,
       SUM(CASE WHEN feedback = 'not_helpful' THEN 1 ELSE 0 END) AS not_helpful,
       SUM(handed_off) AS handed_off,
       SUM(CASE WHEN confidence < ? THEN 1 ELSE 0 END) AS low,
       MAX(latency_ms) AS max_latency
     FROM questions WHERE ${range}`,
    [low, ...r],
  );
  const total = num(totals?.['total']);
  const fallback = num(totals?.['fallback']);
  const rated = num(totals?.['rated']);
  const notHelpful = num(totals?.['not_helpful']);

  const counted = async (column: string): Promise<Count[]> =>
    sortCounts(
      (await all(`SELECT ${column} AS k, COUNT(*) AS n FROM questions WHERE ${range} GROUP BY ${column}`)).map(
        (row) => ({
          key: row['k'] === null || row['k'] === undefined ? '' : String(row['k']),
          count: num(row['n']),
        }),
      ),
    );

  const days = await all(
    `SELECT day, COUNT(*) AS n,
       SUM(CASE WHEN outcome = 'fallback' THEN 1 ELSE 0 END) AS fallback,
       SUM(CASE WHEN feedback = 'not_helpful' THEN 1 ELSE 0 END) AS not_helpful
     FROM questions WHERE ${range} GROUP BY day`,
  );
  const byDayMap = new Map(
    days.map((d) => [
      String(d['day']),
      { count: num(d['n']), fallback: num(d['fallback']), notHelpful: num(d['not_helpful']) },
    ]),
  );
  const byDay: DayCount[] = [];
  for (let t = Date.parse(`${isoDay(since)}T00:00:00Z`); t < until; t += DAY) {
    const day = isoDay(t);
    byDay.push({ day, ...(byDayMap.get(day) ?? { count: 0, fallback: 0, notHelpful: 0 }) });
  }

  const byIntent: IntentCount[] = sortCounts(
    (
      await all(
        `SELECT intent AS k, COUNT(*) AS n,
           SUM(CASE WHEN outcome = 'fallback' THEN 1 ELSE 0 END) AS fallback,
           SUM(CASE WHEN confidence < ? THEN 1 ELSE 0 END) AS low,
           SUM(CASE WHEN feedback = 'not_helpful' THEN 1 ELSE 0 END) AS not_helpful
         FROM questions WHERE ${range} GROUP BY intent`,
        [low],
      )
    ).map((row) => ({
      key: String(row['k']),
      count: num(row['n']),
      fallback: num(row['fallback']),
      lowConfidence: num(row['low']),
      notHelpful: num(row['not_helpful']),
    })),
  );

  const percentile = async (q: number): Promise<number> => {
    if (total === 0) return 0;
    // The nearest-rank value: one row at a computed offset, in both databases.
    const [row] = await all(
      `SELECT latency_ms FROM questions WHERE ${range} ORDER BY latency_ms LIMIT 1 OFFSET ${Math.floor(q * (total - 1))}`,
    );
    return num(row?.['latency_ms']);
  };

  const unansweredRows = await db.all(
    `SELECT text, outcome, intent, confidence, feedback, handed_off, at_ms FROM questions WHERE ${range} AND ${UNANSWERED} ORDER BY at_ms`,
    [...r, low],
  );
  const groups = new Map<string, UnansweredGroup>();
  let withoutText = 0;
  for (const row of unansweredRows) {
    const text = typeof row['text'] === 'string' ? row['text'] : '';
    const key = normaliseQuestion(text);
    if (!key) {
      withoutText++;
      continue;
    }
    const g = groups.get(key) ?? {
      text: key,
      count: 0,
      fallback: 0,
      lowConfidence: 0,
      notHelpful: 0,
      handedOff: 0,
      example: text,
      lastAt: '',
    };
    g.count++;
    if (row['outcome'] === 'fallback' || row['intent'] === 'fallback') g.fallback++;
    if (num(row['confidence']) < low) g.lowConfidence++;
    if (row['feedback'] === 'not_helpful') g.notHelpful++;
    if (num(row['handed_off']) === 1) g.handedOff++;
    g.example = text;
    g.lastAt = new Date(num(row['at_ms'])).toISOString();
    groups.set(key, g);
  }

  const slowest = (
    await all(
      `SELECT at_ms, latency_ms, surface, intent, province, outcome, ref FROM questions WHERE ${range} ORDER BY latency_ms DESC, id LIMIT ${Math.max(1, Math.floor(opts.slowest ?? 10))}`,
    )
  ).map((row) => ({
    at: new Date(num(row['at_ms'])).toISOString(),
    latencyMs: num(row['latency_ms']),
    surface: String(row['surface']),
    intent: String(row['intent']),
    province: typeof row['province'] === 'string' ? row['province'] : null,
    outcome: String(row['outcome']),
    ref: typeof row['ref'] === 'string' ? row['ref'] : null,
  }));

  return {
    where: db.where,
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    total,
    outcomes: await counted('outcome'),
    fallback,
    fallbackRate: total ? fallback / total : 0,
    rated,
    helpful: num(totals?.['helpful']),
    notHelpful,
    notHelpfulRate: rated ? notHelpful / rated : 0,
    handedOff: num(totals?.['handed_off']),
    lowConfidence: num(totals?.['low']),
    lowConfidenceThreshold: low,
    latency: {
      p50: await percentile(0.5),
      p90: await percentile(0.9),
      p99: await percentile(0.99),
      max: num(totals?.['max_latency']),
    },
    byDay,
    byIntent,
    byProvince: await counted('province'),
    bySurface: await counted('surface'),
    byLang: await counted('lang'),
    unanswered: {
      total: unansweredRows.length,
      withoutText,
      groups: [...groups.values()]
        .sort((a, b) => b.count - a.count || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
        .slice(0, Math.max(1, Math.floor(opts.top ?? 20))),
    },
    slowest,
  };
}

/** Biggest first; ties in code-unit order (the databases' collations differ). */
function sortCounts<T extends Count>(counts: T[]): T[] {
  return counts.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** "Guangdong 广东" for a province id; the id itself when unknown; "(none named)" for none. */
export function provinceLabel(id: string): string {
  if (!id) return '(none named)';
  const p = registry().byId.get(id);
  return p ? `${p.name.en} ${p.name.zh}` : id;
}

// ---------------------------------------------------------------------------------------------
// The terminal table.

/** Text a person typed, safe on a terminal: no control characters (escape sequences), no bidi overrides. */
function plain(text: string, max: number): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ');
  const chars = Array.from(clean);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : clean;
}

/** Display width: CJK and other wide characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s)
    w +=
      /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{1f300}-\u{1faff}\u{20000}-\u{3fffd}]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}
const padEnd = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
const padStart = (s: string, n: number) => ' '.repeat(Math.max(0, n - width(s))) + s;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ms = (n: number) => `${int(n)} ms`;
const bar = (n: number, max: number, cols = 30) => (max > 0 ? '█'.repeat(Math.round((n / max) * cols)) : '');

function table(rows: string[][], align: ('l' | 'r')[]): string[] {
  const widths = align.map((_, i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
  return rows.map((r) =>
    `  ${r.map((c, i) => (align[i] === 'r' ? padStart(c, widths[i]!) : padEnd(c, widths[i]!))).join('  ')}`.trimEnd(),
  );
}

export function formatQuestionReport(r: QuestionReport): string {
  const out: string[] = [];
  out.push(`Question log report: ${r.where}`);
  out.push(`${r.since.slice(0, 16).replace('T', ' ')} to ${r.until.slice(0, 16).replace('T', ' ')} UTC`);
  out.push('');
  out.push(
    ...table(
      [
        ['Questions', int(r.total), ''],
        ['Fallback', int(r.fallback), `${pct(r.fallbackRate)} of questions`],
        [
          'Not helpful',
          int(r.notHelpful),
          `${pct(r.notHelpfulRate)} of ${int(r.rated)} rated (${int(r.helpful)} helpful)`,
        ],
        ['Low confidence', int(r.lowConfidence), `confidence below ${r.lowConfidenceThreshold}`],
        ['Handed off', int(r.handedOff), ''],
        [
          'Reply time',
          ms(r.latency.p50),
          `median; p90 ${ms(r.latency.p90)}, p99 ${ms(r.latency.p99)}, max ${ms(r.latency.max)}`,
        ],
      ],
      ['l', 'r', 'l'],
    ),
  );
  if (r.total === 0) {
    out.push('', 'No questions in this period.');
    return out.join('\n') + '\n';
  }

  out.push('', 'By day (UTC)');
  const maxDay = Math.max(...r.byDay.map((d) => d.count));
  out.push(
    ...table(
      [
        ['day', '', 'questions', 'fallback', 'not helpful', ''],
        ...r.byDay.map((d) => [
          d.day,
          weekday(d.day),
          int(d.count),
          int(d.fallback),
          int(d.notHelpful),
          bar(d.count, maxDay),
        ]),
      ],
      ['l', 'l', 'r', 'r', 'r', 'l'],
    ),
  );

  out.push('', 'By intent');
  out.push(
    ...table(
      [
        ['intent', 'questions', 'share', 'fallback', 'low conf.', 'not helpful'],
        ...r.byIntent.map((i) => [
          i.key,
          int(i.count),
          pct(i.count / r.total),
          int(i.fallback),
          int(i.lowConfidence),
          int(i.notHelpful),
        ]),
      ],
      ['l', 'r', 'r', 'r', 'r', 'r'],
    ),
  );

  out.push('', 'By province');
  out.push(
    ...table(
      [
        ['province', 'questions', 'share'],
        ...r.byProvince.map((p) => [provinceLabel(p.key), int(p.count), pct(p.count / r.total)]),
      ],
      ['l', 'r', 'r'],
    ),
  );

  out.push('', 'By surface');
  out.push(
    ...table(
      [
        ['surface', 'questions', 'share'],
        ...r.bySurface.map((s) => [s.key || '-', int(s.count), pct(s.count / r.total)]),
      ],
      ['l', 'r', 'r'],
    ),
  );

  out.push(
    '',
    `Top unanswered questions (fallback, confidence below ${r.lowConfidenceThreshold}, or "Not helpful"): ${int(r.unanswered.total)} questions`,
  );
  if (r.unanswered.groups.length === 0) out.push('  none');
  else
    out.push(
      ...table(
        [
          ['count', 'fallback', 'low conf.', 'not helpful', 'question (normalised)'],
          ...r.unanswered.groups.map((g) => [
            int(g.count),
            int(g.fallback),
            int(g.lowConfidence),
            int(g.notHelpful),
            plain(g.text, 80),
          ]),
        ],
        ['r', 'r', 'r', 'r', 'l'],
      ),
    );
  if (r.unanswered.withoutText > 0) out.push(`  (${int(r.unanswered.withoutText)} without a stored text)`);

  out.push('', 'Slowest answers');
  out.push(
    ...table(
      [
        ['reply time', 'when (UTC)', 'surface', 'intent', 'province', 'outcome', 'ref'],
        ...r.slowest.map((s) => [
          ms(s.latencyMs),
          s.at.slice(0, 16).replace('T', ' '),
          s.surface,
          s.intent,
          s.province ?? '-',
          s.outcome,
          plain(s.ref ?? '-', 40),
        ]),
      ],
      ['r', 'l', 'l', 'l', 'l', 'l', 'l'],
    ),
  );
  return out.join('\n') + '\n';
}

const weekday = (day: string) =>
  ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(`${day}T00:00:00Z`).getUTCDay()]!;

// ---------------------------------------------------------------------------------------------
// The HTML page.

/** Chart.js's UMD build as shipped in its package (resolved from this module, wherever npm put it). */
export function chartJsSource(): string {
  const entry = createRequire(import.meta.url).resolve('chart.js');
  const dist = dirname(entry);
  for (const name of ['chart.umd.min.js', 'chart.umd.js']) {
    try {
      return readFileSync(join(dist, name), 'utf8');
    } catch {
      // The next name.
    }
  }
  throw new Error(`Chart.js's UMD build was not found next to ${entry}: reinstall with npm ci`);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON that can sit inside a <script> element: nothing in it can close the element or start a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function reportHtml(r: QuestionReport, chartJs = chartJsSource()): string {
  const data = { ...r, byProvince: r.byProvince.map((p) => ({ ...p, label: provinceLabel(p.key) })) };
  const card = (label: string, value: string, note: string) =>
    `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div><div class="note">${escapeHtml(note)}</div></div>`;
  const rows = (cells: string[][]) =>
    cells.map((c) => `<tr>${c.map((x) => `<td>${escapeHtml(x)}</td>`).join('')}</tr>`).join('\n');
  const noProvince = r.byProvince.find((p) => p.key === '')?.count ?? 0;
  const period = `${r.since.slice(0, 16).replace('T', ' ')} – ${r.until.slice(0, 16).replace('T', ' ')} UTC`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>icp-bot questions, ${escapeHtml(period)}</title>
<style>
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; margin: 0; color: #1d1c1d; background: #f8f8f8; }
  header { background: #3f0e40; color: #fff; padding: 18px 28px; }
  header h1 { margin: 0; font-size: 20px; font-weight: 600; }
  header p { margin: 4px 0 0; opacity: .8; }
  main { padding: 20px 28px 40px; max-width: 1280px; }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin-bottom: 20px; }
  .card, section { background: #fff; border: 1px solid #e2e2e2; border-radius: 8px; padding: 14px 16px; }
  .card .label { color: #616061; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
  .card .value { font-size: 26px; font-weight: 700; margin: 2px 0; }
  .card .note { color: #616061; font-size: 12px; }
  .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; margin-bottom: 16px; }
  section { margin-bottom: 16px; }
  section h2 { font-size: 15px; margin: 0 0 10px; }
  .chart { position: relative; height: 280px; }
  .chart.tall { height: 420px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
  th { font-size: 12px; color: #616061; font-weight: 600; }
  td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
  @media (max-width: 900px) { .grid { grid-template-columns: 1fr; } }
</style>
</head>
<body>
<header><h1>icp-bot: questions and how they were answered</h1><p>${escapeHtml(period)} · ${escapeHtml(r.where)}</p></header>
<main>
<div class="cards">
${card('Questions', int(r.total), `${int(r.byDay.length)} days`)}
${card('Fallback rate', pct(r.fallbackRate), `${int(r.fallback)} questions got the fallback`)}
${card('Not helpful', pct(r.notHelpfulRate), `${int(r.notHelpful)} of ${int(r.rated)} rated answers`)}
${card('Low confidence', int(r.lowConfidence), `confidence below ${r.lowConfidenceThreshold}`)}
${card('Handed off', int(r.handedOff), 'to a person')}
${card('Reply time', ms(r.latency.p50), `median; p90 ${ms(r.latency.p90)}, p99 ${ms(r.latency.p99)}`)}
</div>
<section><h2>Questions by day (UTC)</h2><div class="chart"><canvas id="by-day"></canvas></div></section>
<div class="grid">
<section><h2>By intent</h2><div class="chart tall"><canvas id="by-intent"></canvas></div></section>
<section><h2>By province${noProvince ? ` <small>(${int(noProvince)} questions named none)</small>` : ''}</h2><div class="chart tall"><canvas id="by-province"></canvas></div></section>
</div>
<div class="grid">
<section><h2>By surface</h2><div class="chart"><canvas id="by-surface"></canvas></div></section>
<section><h2>Outcomes</h2><div class="chart"><canvas id="by-outcome"></canvas></div></section>
</div>
<section><h2>Top unanswered questions</h2>
<p>The fallback, a confidence below ${r.lowConfidenceThreshold}, or rated "Not helpful": ${int(r.unanswered.total)} questions${r.unanswered.withoutText ? `, ${int(r.unanswered.withoutText)} of them without a stored text` : ''}. Grouped by their text in lower case, whitespace collapsed, digits as #.</p>
<table id="unanswered"><thead><tr><th class="n">count</th><th class="n">fallback</th><th class="n">low conf.</th><th class="n">not helpful</th><th class="n">handed off</th><th>question</th><th>last asked (UTC)</th></tr></thead><tbody>
${r.unanswered.groups.map((g) => `<tr><td class="n">${int(g.count)}</td><td class="n">${int(g.fallback)}</td><td class="n">${int(g.lowConfidence)}</td><td class="n">${int(g.notHelpful)}</td><td class="n">${int(g.handedOff)}</td><td title="${escapeHtml(g.example)}">${escapeHtml(g.text)}</td><td>${escapeHtml(g.lastAt.slice(0, 16).replace('T', ' '))}</td></tr>`).join('\n')}
</tbody></table></section>
<section><h2>Slowest answers</h2>
<table id="slowest"><thead><tr><th class="n">reply time</th><th>when (UTC)</th><th>surface</th><th>intent</th><th>province</th><th>outcome</th><th>ref</th></tr></thead><tbody>
${rows(r.slowest.map((s) => [ms(s.latencyMs), s.at.slice(0, 16).replace('T', ' '), s.surface, s.intent, s.province ?? '-', s.outcome, s.ref ?? '-']))}
</tbody></table></section>
</main>
<script>
${chartJs.replace(/<\/script/gi, '<\\/script')}
</script>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>
(function () {
  var d = JSON.parse(document.getElementById('report-data').textContent);
  var purple = '#4a154b', red = '#e01e5a', yellow = '#ecb22e', green = '#2eb67d', blue = '#36c5f0';
  var palette = [purple, blue, green, yellow, red, '#1264a3', '#9b59b6', '#616061'];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  new Chart(document.getElementById('by-day'), {
    type: 'bar',
    data: {
      labels: d.byDay.map(function (x) { return x.day; }),
      datasets: [
        { label: 'answered and other', data: d.byDay.map(function (x) { return x.count - x.fallback; }), backgroundColor: purple, stack: 'q' },
        { label: 'fallback', data: d.byDay.map(function (x) { return x.fallback; }), backgroundColor: yellow, stack: 'q' },
        { label: 'not helpful (right axis)', data: d.byDay.map(function (x) { return x.notHelpful; }), type: 'line', yAxisID: 'y1', borderColor: red, backgroundColor: red, pointRadius: 2 }
      ]
    },
    options: {
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, title: { display: true, text: 'questions' } },
        y1: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'not helpful' } }
      }
    }
  });
  function hbar(id, rows, label, color) {
    new Chart(document.getElementById(id), {
      type: 'bar',
      data: { labels: rows.map(function (x) { return x.label || x.key || '(none)'; }), datasets: [{ label: label, data: rows.map(function (x) { return x.count; }), backgroundColor: color }] },
      options: { indexAxis: 'y', maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } }
    });
  }
  hbar('by-intent', d.byIntent, 'questions', purple);
  hbar('by-province', d.byProvince.filter(function (x) { return x.key; }).slice(0, 20), 'questions', blue);
  function doughnut(id, rows) {
    new Chart(document.getElementById(id), {
      type: 'doughnut',
      data: { labels: rows.map(function (x) { return x.key || '(none)'; }), datasets: [{ data: rows.map(function (x) { return x.count; }), backgroundColor: palette }] },
      options: { maintainAspectRatio: false, plugins: { legend: { position: 'right' } } }
    });
  }
  doughnut('by-surface', d.bySurface);
  doughnut('by-outcome', d.outcomes);
})();
</script>
</body>
</html>
`;
}
