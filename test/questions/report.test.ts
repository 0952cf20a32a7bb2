/**
 * The report on a generated month (scripts/questions-month.ts) written through the question log
 * into a real SQLite file and a real PostgreSQL: every figure is computed again here from the
 * generated rows, by code of its own, and compared with the report, its terminal table and its
 * HTML page (Chart.js inlined, the data in the page, nothing fetched, typed text escaped).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseError, UsageError } from '../../src/errors.js';
import { maskPersonalData } from '../../src/mask.js';
import { openDb, readableSchema, type Db, type DbTarget } from '../../src/questions/db.js';
import { openQuestionLog } from '../../src/questions/log.js';
import { contentConcepts } from '../../src/questions/reading.js';
import { buildReport, parseSince } from '../../src/questions/report/queries.js';
import { formatQuestionReport } from '../../src/questions/report/terminal.js';
import { chartJsSource, reportHtml } from '../../src/questions/report/html.js';
import type { QuestionReport } from '../../src/questions/report/types.js';
import { generateMonth, writeMonth, type GeneratedQuestion } from '../../scripts/questions-month.js';
import { postgresForTests, testSchema, type TestSchema } from '../support/postgres.js';

const hasPostgres = await postgresForTests();
const DAY = 24 * 3600 * 1000;
const END = Date.UTC(2026, 10, 30, 0, 0, 0);
const SINCE = END - 30 * DAY;
const LOW = 0.6;

const tmp = mkdtempSync(join(tmpdir(), 'icp-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const month = generateMonth({ end: END, days: 30, seed: 7 });
/** Questions whose text tries to break out of the page and the terminal, asked often enough to top the list. */
const hostile: GeneratedQuestion[] = Array.from({ length: 50 }, (_, i) => ({
  ...month[0]!,
  ref: `hostile-${i}`,
  at: END - 2 * DAY + i * 60_000,
  intent: 'fallback',
  outcome: 'fallback' as const,
  confidence: 0.4,
  feedback: null,
  handedOff: false,
  latencyMs: 10 + i,
  text: i % 2 ? '</script><img src=x onerror=alert(1)> & "quotes"' : 'red \u001b[31malert\u001b[0m \u202eevil',
}));
const questions = [...month, ...hostile].sort((a, b) => a.at - b.at);

async function fill(target: DbTarget): Promise<void> {
  const log = await openQuestionLog({ ...target, retentionDays: 3650, log: { warn: () => {}, error: () => {} } });
  await writeMonth(log, questions);
  await log.close();
  expect(log.stats()).toMatchObject({ dropped: 0, unmatched: 0 });
}

// ---- What the report must say, computed here from the generated rows. ----

const tally = <K extends string>(rows: readonly GeneratedQuestion[], key: (q: GeneratedQuestion) => K) => {
  const m = new Map<K, number>();
  for (const q of rows) m.set(key(q), (m.get(key(q)) ?? 0) + 1);
  return m;
};
const sorted = (m: Map<string, number>) =>
  [...m.entries()]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
const isFallback = (q: GeneratedQuestion) => q.outcome === 'fallback';
const unanswered = (q: GeneratedQuestion) =>
  q.outcome === 'fallback' || q.intent === 'fallback' || q.confidence < LOW || q.feedback === 'not_helpful';
/** The grouping the report promises: masked as stored, lower case, whitespace collapsed, digits as #. */
const key = (text: string) =>
  Array.from(maskPersonalData(text))
    .slice(0, 500)
    .join('')
    .toLowerCase()
    .replace(/[0-9]+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();

/** The group the report promises: what the bot read in the stored text, or the text key when it read nothing. */
const group = (text: string) => {
  const stored = Array.from(maskPersonalData(text)).slice(0, 500).join('');
  const concepts = contentConcepts(stored);
  return concepts.length ? `read: ${concepts.join(' ')}` : key(text);
};

const expected = {
  total: questions.length,
  fallback: questions.filter(isFallback).length,
  rated: questions.filter((q) => q.feedback).length,
  helpful: questions.filter((q) => q.feedback === 'helpful').length,
  notHelpful: questions.filter((q) => q.feedback === 'not_helpful').length,
  handedOff: questions.filter((q) => q.handedOff).length,
  lowConfidence: questions.filter((q) => q.confidence < LOW).length,
  byIntent: sorted(tally(questions, (q) => q.intent)),
  byProvince: sorted(tally(questions, (q) => q.province ?? '')).map(({ key, count }) => {
    const of = questions.filter((q) => (q.province ?? '') === key);
    return {
      key,
      count,
      fallback: of.filter(isFallback).length,
      notHelpful: of.filter((q) => q.feedback === 'not_helpful').length,
      rated: of.filter((q) => q.feedback).length,
    };
  }),
  bySurface: sorted(tally(questions, (q) => q.surface)),
  byDay: Array.from({ length: 30 }, (_, i) => {
    const day = new Date(SINCE + i * DAY).toISOString().slice(0, 10);
    const on = questions.filter((q) => new Date(q.at).toISOString().slice(0, 10) === day);
    return {
      day,
      count: on.length,
      fallback: on.filter(isFallback).length,
      notHelpful: on.filter((q) => q.feedback === 'not_helpful').length,
    };
  }),
  unanswered: questions.filter(unanswered).length,
  groups: sorted(tally(questions.filter(unanswered), (q) => group(q.text))).slice(0, 20),
  slowest: [...questions]
    .sort((a, b) => b.latencyMs - a.latencyMs)
    .slice(0, 10)
    .map((q) => q.ref),
  p50: [...questions].map((q) => q.latencyMs).sort((a, b) => a - b)[Math.floor(0.5 * (questions.length - 1))],
};

describe('the generated month', () => {
  it('is a realistic month: thousands of questions on every day, every surface and outcome, feedback and hand-offs', () => {
    expect(month.length).toBeGreaterThan(2000);
    expect(expected.byDay.every((d) => d.count > 0)).toBe(true);
    expect(expected.bySurface.map((s) => s.key).sort()).toEqual([
      'dm',
      'followup',
      'mention',
      'pick',
      'shortcut',
      'slash',
      'typed',
    ]);
    expect(new Set(month.map((q) => q.outcome))).toEqual(
      new Set(['answered', 'asked_province', 'clarified', 'fallback']),
    );
    expect(expected.byProvince.length).toBeGreaterThan(15);
    expect(expected.notHelpful).toBeGreaterThan(30);
    expect(expected.handedOff).toBeGreaterThan(5);
    expect(expected.groups[0]!.count).toBeGreaterThan(10);
    expect(generateMonth({ end: END, seed: 7 })).toEqual(month);
  });
});

const sqlite: DbTarget = { sqlitePath: join(tmp, 'month.sqlite') };
let pgSchema: TestSchema | null = null;
const reports = new Map<string, QuestionReport>();

beforeAll(async () => {
  await fill(sqlite);
  if (hasPostgres) {
    pgSchema = await testSchema();
    await fill({ databaseUrl: pgSchema.url });
  }
}, 60_000);
afterAll(async () => {
  await pgSchema?.drop();
});

async function reportOn(
  target: DbTarget,
  opts: { sinceMs: number; untilMs: number } = { sinceMs: SINCE, untilMs: END },
): Promise<QuestionReport> {
  const db = await openDb(target, { readonly: true });
  try {
    await readableSchema(db);
    return await buildReport(db, opts);
  } finally {
    await db.close();
  }
}

const BACKENDS = [
  { name: 'SQLite', skip: false, target: () => sqlite },
  { name: 'PostgreSQL', skip: !hasPostgres, target: (): DbTarget => ({ databaseUrl: pgSchema!.url }) },
];

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`the report on ${backend.name}`, () => {
    let r: QuestionReport;
    beforeAll(async () => {
      r = await reportOn(backend.target());
      reports.set(backend.name, r);
    });

    it('counts the month: totals, rates, by day, by intent, by province, by surface', () => {
      expect(r).toMatchObject({
        total: expected.total,
        fallback: expected.fallback,
        rated: expected.rated,
        helpful: expected.helpful,
        notHelpful: expected.notHelpful,
        handedOff: expected.handedOff,
        lowConfidence: expected.lowConfidence,
      });
      expect(r.fallbackRate).toBeCloseTo(expected.fallback / expected.total, 10);
      expect(r.notHelpfulRate).toBeCloseTo(expected.notHelpful / expected.rated, 10);
      expect(r.byDay).toEqual(expected.byDay);
      expect(r.byIntent.map(({ key, count }) => ({ key, count }))).toEqual(expected.byIntent);
      expect(r.byProvince).toEqual(expected.byProvince);
      expect(r.bySurface).toEqual(expected.bySurface);
      expect(r.latency.p50).toBe(expected.p50);
    });

    it('groups the unanswered questions by their normalised text, with counts', () => {
      expect(r.unanswered.total).toBe(expected.unanswered);
      expect(r.unanswered.withoutText).toBe(0);
      expect(r.unanswered.groups.map((g) => ({ key: g.text, count: g.count }))).toEqual(expected.groups);
      // The same question in two languages is one group, by what the bot read in it, with a suggestion.
      const expedite = r.unanswered.groups.find((g) => g.text === 'read: dereg_strong duration');
      expect(expedite).toMatchObject({ suggested: 'processing_time', concepts: 'dereg_strong duration' });
      expect(expedite!.en).toBeGreaterThan(0);
      expect(expedite!.zh).toBeGreaterThan(0);
      expect(expedite!.examples).toEqual([
        expect.stringMatching(/^can the deregistration be {1,2}expedited\? {1,2}ticket \d+$/i),
        expect.stringMatching(/^注销备案能加急吗 工单\d+$/),
      ]);
      expect(r.unanswered.groups.find((g) => g.text === 'read: fee')).toMatchObject({ suggested: 'fees' });
      // Where the bot read nothing, the text groups: numbers that differ fall into one group.
      expect(r.unanswered.groups.some((g) => g.text.includes('#'))).toBe(true);
      // What to add next: the biggest groups first.
      expect(r.next.groups.map((g) => g.text)).toEqual(r.unanswered.groups.slice(0, 3).map((g) => g.text));
      expect(r.next.provinces.length).toBeGreaterThan(0);
      for (const x of r.next.provinces) expect(x.count).toBeGreaterThanOrEqual(r.next.minVolume);
      expect(JSON.stringify(r.unanswered)).not.toMatch(/1[3-9]\d{9}/);
    });

    it('lists the slowest answers, slowest first', () => {
      expect(r.slowest.map((s) => s.ref)).toEqual(expected.slowest);
      expect(r.slowest[0]!.latencyMs).toBe(r.latency.max);
    });

    it('reads a bounded number of rows, whatever the period holds: the unanswered are grouped in SQL', async () => {
      const db = await openDb(backend.target(), { readonly: true });
      let largest = 0;
      const counting: Db = {
        ...db,
        all: async (sql, params) => {
          const rows = await db.all(sql, params);
          largest = Math.max(largest, rows.length);
          return rows;
        },
      };
      try {
        const top = await buildReport(counting, { sinceMs: SINCE, untilMs: END, top: 5 });
        expect(top.unanswered.groups.map((g) => ({ key: g.text, count: g.count }))).toEqual(
          expected.groups.slice(0, 5),
        );
      } finally {
        await db.close();
      }
      expect(expected.unanswered).toBeGreaterThan(400);
      // Rows of a query: at most the intents, provinces or days of the month, never one per question.
      expect(largest).toBeLessThanOrEqual(40);
    });

    it('starts at the first question when the log is younger than --since: no empty days before it', async () => {
      const sixty = await reportOn(backend.target(), { sinceMs: END - 60 * DAY, untilMs: END });
      expect(sixty.since).toBe(new Date(questions[0]!.at).toISOString());
      expect(sixty.byDay).toEqual(expected.byDay);
      expect(sixty.byDay[0]!.count).toBeGreaterThan(0);
    });

    it('reads only the period asked for', async () => {
      const lastWeek = await reportOn(backend.target(), { sinceMs: END - 7 * DAY, untilMs: END });
      expect(lastWeek.total).toBe(questions.filter((q) => q.at >= END - 7 * DAY).length);
      expect(lastWeek.byDay).toHaveLength(7);
    });
  });
}

describe.skipIf(!hasPostgres)('both databases', () => {
  it('give the same report for the same rows', () => {
    const a = reports.get('SQLite');
    const b = reports.get('PostgreSQL');
    expect(a && b).toBeTruthy();
    expect({ ...b!, where: '' }).toEqual({ ...a!, where: '' });
  });
});

describe('the terminal table', () => {
  let text: string;
  beforeAll(async () => {
    text = formatQuestionReport(await reportOn(sqlite));
  });
  const section = (title: string) => {
    const start = text.indexOf(`\n${title}`);
    expect(start, title).toBeGreaterThan(0);
    const end = text.indexOf('\n\n', start + 1);
    return text.slice(start + 1, end < 0 ? undefined : end).trimEnd();
  };
  const n = (x: number) => x.toLocaleString('en-US');

  it('has the summary with the right counts', () => {
    expect(text).toMatch(new RegExp(`Questions\\s+${n(expected.total)}\\n`));
    expect(text).toMatch(
      new RegExp(
        `Fallback\\s+${n(expected.fallback)}\\s+${((expected.fallback / expected.total) * 100).toFixed(1)}% of questions`,
      ),
    );
    expect(text).toMatch(
      new RegExp(
        `Not helpful\\s+${n(expected.notHelpful)}\\s+${((expected.notHelpful / expected.rated) * 100).toFixed(1)}% of ${n(expected.rated)} rated`,
      ),
    );
    expect(text).toMatch(new RegExp(`Handed off\\s+${n(expected.handedOff)}\\n`));
  });

  it('has a line per day, per intent, per province and per surface with its count', () => {
    const days = section('By day');
    for (const d of expected.byDay)
      expect(days).toMatch(new RegExp(`${d.day}\\s+\\w{3}\\s+${n(d.count)}\\s+${d.fallback}\\s+${d.notHelpful}\\b`));
    const intents = section('By intent');
    for (const i of expected.byIntent) expect(intents).toMatch(new RegExp(`\\n  ${i.key}\\s+${n(i.count)}\\s`));
    const provinces = section('By province');
    expect(provinces).toMatch(
      new RegExp(`\\(none named\\)\\s+${n(expected.byProvince.find((p) => p.key === '')!.count)}\\s`),
    );
    expect(provinces).toMatch(
      new RegExp(`Guangdong 广东\\s+${n(expected.byProvince.find((p) => p.key === 'guangdong')!.count)}\\s`),
    );
    const surfaces = section('By surface');
    for (const s of expected.bySurface) expect(surfaces).toMatch(new RegExp(`\\n  ${s.key}\\s+${n(s.count)}\\s`));
  });

  it('lists the top unanswered questions with their counts, and the slowest answers', () => {
    const top = section('Top unanswered questions');
    expect(top).toContain(`${n(expected.unanswered)} questions`);
    const lines = top.split('\n').slice(2);
    expect(lines).toHaveLength(expected.groups.length);
    for (const [i, g] of expected.groups.entries()) {
      expect(lines[i]).toMatch(new RegExp(`^\\s+${g.count}\\s`));
      // Control characters and direction marks print as spaces.
      const shown = g.key.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ');
      expect(lines[i]!.endsWith(Array.from(shown).length > 80 ? '…' : shown), lines[i]).toBe(true);
    }
    const slow = section('Slowest answers').split('\n').slice(2);
    expect(slow).toHaveLength(10);
    expect(slow[0]).toContain(expected.slowest[0]!);
  });

  it('prints no control characters or direction overrides from what people typed', () => {
    expect(text).toContain('red  [#malert [#m  evil');
    expect(text).not.toMatch(/[\u001b\u202e]/);
  });

  it('says so when there is nothing in the period', async () => {
    const empty = formatQuestionReport(await reportOn(sqlite, { sinceMs: END + DAY, untilMs: END + 2 * DAY }));
    expect(empty).toContain('No questions in this period.');
  });
});

describe('the HTML page', () => {
  let html: string;
  let r: QuestionReport;
  beforeAll(async () => {
    r = await reportOn(sqlite);
    html = reportHtml(r);
  });

  it('inlines Chart.js from its package and fetches nothing', () => {
    const lib = chartJsSource();
    expect(lib.length).toBeGreaterThan(100_000);
    expect(lib).toMatch(/^\/\*!\n \* Chart\.js v4\./);
    expect(html).toContain(lib);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).toContain(`content="default-src 'none'; script-src 'unsafe-inline'`);
    for (const id of ['by-day', 'by-intent', 'by-province', 'by-surface', 'by-outcome'])
      expect(html).toContain(`<canvas id="${id}">`);
  });

  it('carries the report data, which the charts read', () => {
    const m = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
    expect(m).not.toBeNull();
    const data = JSON.parse(m![1]!) as QuestionReport;
    expect(data.total).toBe(expected.total);
    expect(data.byDay).toEqual(expected.byDay);
    expect(data.byIntent.map((i) => i.count)).toEqual(expected.byIntent.map((i) => i.count));
    expect(data.unanswered.groups.map((g) => g.text)).toContain('</script><img src=x onerror=alert(#)> & "quotes"');
  });

  it('shows what people typed as text, never as markup', () => {
    expect(html).not.toContain('<img');
    expect(html.split('</script>').length - 1).toBe(3);
    expect(html).toContain('&#60;/script&#62;&#60;img src=x onerror=alert(#)&#62; &#38; &#34;quotes&#34;');
    const escaped = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    for (const g of expected.groups) expect(html).toContain(`<td>${escaped(g.key)}<br>`);
  });
});

describe('reading a question log', () => {
  it('--since takes a duration or a date', () => {
    const now = Date.UTC(2026, 10, 29, 12);
    expect(parseSince('7d', now)).toBe(now - 7 * DAY);
    expect(parseSince('24h', now)).toBe(now - DAY);
    expect(parseSince('2w', now)).toBe(now - 14 * DAY);
    expect(parseSince('90m', now)).toBe(now - 90 * 60_000);
    expect(parseSince('2026-11-01', now)).toBe(Date.UTC(2026, 10, 1));
    for (const bad of ['yesterday', '7', '-7d', '2026-13-45', ''])
      expect(() => parseSince(bad, now), bad).toThrow(UsageError);
  });

  it('refuses a file that is not there (without creating it) or is not a question log', async () => {
    const missing = join(tmp, 'nothing-here.sqlite');
    await expect(openDb({ sqlitePath: missing }, { readonly: true })).rejects.toThrow(DatabaseError);
    await expect(openDb({ sqlitePath: missing }, { readonly: true })).rejects.toThrow(/no question log at/);
    const other = join(tmp, 'other.sqlite');
    const raw: Db = await openDb({ sqlitePath: other });
    await raw.run('CREATE TABLE unrelated (x INTEGER)');
    await raw.close();
    const db = await openDb({ sqlitePath: other }, { readonly: true });
    await expect(readableSchema(db)).rejects.toThrow(/no question log at/);
    await db.close();
  });
});
