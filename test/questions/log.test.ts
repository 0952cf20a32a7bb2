/**
 * The question log against real databases: a SQLite file in a temp directory and the PostgreSQL
 * of test/support/postgres.ts (a schema of its own per test). Migrations from empty and again,
 * the same rows on both, which texts are kept (masked and cut), feedback and hand-offs finding
 * their row, retention, and outages while recording: record() never throws, losses are counted
 * and logged once when writing starts failing and once when it recovers.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/defaults.js';
import { messages } from '../../src/errors.js';
import { QUESTION_TEXT_LIMIT } from '../../src/mask.js';
import { migrate, num, openDb, type DbTarget, type Row } from '../../src/questions/db.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/questions/migrations.js';
import {
  openQuestionLog,
  questionLogSettings,
  type LoggedQuestion,
  type QuestionLog,
  type QuestionLogOptions,
} from '../../src/questions/log.js';
import { freePort } from '../slack/bot-process.js';
import { PG_URL, pgProxy, postgresForTests, testSchema, withSchema } from '../support/postgres.js';

const hasPostgres = await postgresForTests();
const tmp = mkdtempSync(join(tmpdir(), 'icp-qlog-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let seq = 0;
const sqliteTarget = (): DbTarget => ({ sqlitePath: join(tmp, `q-${++seq}`, 'questions.sqlite') });
async function postgresTarget(): Promise<DbTarget> {
  const schema = await testSchema();
  cleanups.push(() => schema.drop());
  return { databaseUrl: schema.url };
}

/** Log lines the question log wrote. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    log: {
      warn: (o: object) => lines.push({ level: 'warn', ...o }),
      error: (o: object) => lines.push({ level: 'error', ...o }),
    },
    events: () => lines.map((l) => l['event']),
  };
}

/** Short batches and retries, so outages play out in a test's time. */
const FAST: QuestionLogOptions = { batchIntervalMs: 20, retryBaseMs: 20, retryMaxMs: 60, maxAttempts: 2 };

async function open(target: DbTarget, opts: QuestionLogOptions = {}): Promise<QuestionLog> {
  const log = await openQuestionLog({ ...target, log: capture().log, ...opts });
  cleanups.push(() => log.close());
  return log;
}

let refSeq = 0;
function question(over: Partial<LoggedQuestion> = {}): LoggedQuestion {
  return {
    ref: `Ev${++refSeq}`,
    team: 'T1',
    channel: 'C1',
    surface: 'dm',
    lang: 'en',
    intent: 'deregister',
    province: 'zhejiang',
    confidence: 0.93,
    outcome: 'answered',
    latencyMs: 812.34,
    text: 'How do I cancel our filing in Hangzhou?',
    at: Date.UTC(2026, 10, 20, 8, 30),
    ...over,
  };
}

/** Every row, oldest first, with numbers as numbers (PostgreSQL returns BIGINT as strings) and no id. */
async function rows(target: DbTarget): Promise<Row[]> {
  const db = await openDb(target);
  try {
    const out = await db.all('SELECT * FROM questions ORDER BY id');
    return out.map(({ id: _id, ...r }) => ({
      ...r,
      at_ms: num(r['at_ms']),
      handed_off: num(r['handed_off']),
      confidence: num(r['confidence']),
      latency_ms: num(r['latency_ms']),
    }));
  } finally {
    await db.close();
  }
}

async function versions(target: DbTarget): Promise<number[]> {
  const db = await openDb(target);
  try {
    return (await db.all('SELECT version FROM schema_version ORDER BY version')).map((r) => num(r['version']));
  } finally {
    await db.close();
  }
}

function waitFor(pred: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () =>
      pred() ? resolve() : Date.now() > deadline ? reject(new Error('timed out')) : setTimeout(tick, 10);
    tick();
  });
}

const BACKENDS = [
  { name: 'SQLite file', skip: false, target: async () => sqliteTarget() },
  { name: 'PostgreSQL', skip: !hasPostgres, target: postgresTarget },
];

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`question log on ${backend.name}`, () => {
    it('migrates an empty database up, and opening it again applies nothing twice', async () => {
      const target = await backend.target();
      const first = await open(target);
      await first.close();
      expect(await versions(target)).toEqual(MIGRATIONS.map((m) => m.version));
      const second = await open(target);
      second.record(question());
      await second.close();
      expect(await versions(target)).toEqual(MIGRATIONS.map((m) => m.version));
      const db = await openDb(target);
      cleanups.push(() => db.close());
      expect(await migrate(db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
      expect(await rows(target)).toHaveLength(1);
    });

    it('goes up through a later step, and a log that knows only the older schema says so instead of writing', async () => {
      const target = await backend.target();
      const db = await openDb(target);
      cleanups.push(() => db.close());
      expect(await migrate(db, MIGRATIONS.slice(0, 1))).toEqual({ from: 0, to: 1 });
      const later = {
        version: SCHEMA_VERSION + 1,
        name: 'test: a later step',
        sqlite: ['CREATE TABLE later_step (x INTEGER)'],
        postgres: ['CREATE TABLE later_step (x INTEGER)'],
      };
      expect(await migrate(db, [...MIGRATIONS, later])).toEqual({ from: 1, to: later.version });
      expect(await versions(target)).toEqual([...MIGRATIONS.map((m) => m.version), later.version]);
      await db.all('SELECT x FROM later_step');

      const out = capture();
      const log = await open(target, { ...FAST, log: out.log });
      log.record(question());
      expect(() => log.record(question())).not.toThrow();
      expect(log.stats().failing).toBe(true);
      expect(out.lines[0]).toMatchObject({ event: 'question_log_failing' });
      expect(String(out.lines[0]!['reason'])).toContain(
        `schema version ${later.version}, newer than this icp-bot knows (${SCHEMA_VERSION})`,
      );
    });

    it('step 2 gives the rows already there their grouping key (text_key), and new rows get it when written', async () => {
      const target = await backend.target();
      const db = await openDb(target);
      cleanups.push(() => db.close());
      await migrate(db, MIGRATIONS.slice(0, 1));
      const insert =
        "INSERT INTO questions (at_ms, day, ref, surface, intent, confidence, outcome, latency_ms, text) VALUES (?, '2026-11-01', ?, 'dm', 'fallback', 0.1, 'fallback', 1, ?)";
      for (let i = 0; i < 1203; i++) await db.run(insert, [i, `r${i}`, i % 2 ? `Cancel  ${i} Sites?` : null]);
      await migrate(db);
      const keys = await db.all('SELECT ref, text_key FROM questions ORDER BY id');
      expect(keys.filter((r) => r['text_key'] !== null)).toHaveLength(601);
      expect(keys[1]).toEqual({ ref: 'r1', text_key: 'cancel # sites?' });
      expect(keys[1202]).toEqual({ ref: 'r1202', text_key: null });
      const log = await open(target);
      log.record(question({ ref: 'new', intent: 'fallback', outcome: 'fallback', text: ' WHERE is  MY 2nd record? ' }));
      await log.flush();
      expect((await rows(target)).at(-1)).toMatchObject({
        text: ' WHERE is  MY 2nd record? ',
        text_key: 'where is my #nd record?',
      });
    });

    it('writes every field of a question', async () => {
      const target = await backend.target();
      const log = await open(target);
      log.record(
        question({
          ref: 'EvA',
          surface: 'mention',
          lang: 'zh',
          intent: 'forgot_password',
          province: null,
          confidence: 0.876,
          outcome: 'answered',
          latencyMs: 1234.56,
          at: Date.UTC(2026, 10, 1, 23, 59, 59, 999),
        }),
      );
      log.record(
        question({
          ref: null,
          team: null,
          channel: 'D1',
          surface: 'slash',
          intent: 'deregister',
          province: null,
          outcome: 'asked_province',
          confidence: 0.8,
        }),
      );
      await log.flush();
      expect(log.stats()).toMatchObject({ written: 2, dropped: 0, failedBatches: 0, queued: 0, failing: false });
      expect(await rows(target)).toEqual([
        {
          at_ms: Date.UTC(2026, 10, 1, 23, 59, 59, 999),
          day: '2026-11-01',
          ref: 'EvA',
          team: 'T1',
          channel: 'C1',
          surface: 'mention',
          lang: 'zh',
          intent: 'forgot_password',
          province: null,
          confidence: 0.876,
          outcome: 'answered',
          feedback: null,
          handed_off: 0,
          latency_ms: 1234.6,
          text: null,
          text_key: null,
          label_intent: null,
          label_province: null,
          label_by: null,
          label_at_ms: null,
          sampled: 0,
          read_concepts: null,
          read_topic: null,
          read_key: null,
        },
        expect.objectContaining({
          ref: null,
          team: null,
          channel: 'D1',
          surface: 'slash',
          outcome: 'asked_province',
          day: '2026-11-20',
          text: null,
        }),
      ]);
    });

    it('keeps the text only when not confident, told "Not helpful" or handed off; masked, then cut to 500 characters', async () => {
      const target = await backend.target();
      const log = await open(target);
      const personal = '身份证 11010519491231002X 电话 13812345678';
      log.record(question({ ref: 'confident', confidence: 0.93, text: `sure ${personal}` }));
      log.record(
        question({ ref: 'at-threshold', confidence: DEFAULTS.lowConfidence, text: 'exactly at the threshold' }),
      );
      log.record(question({ ref: 'low', confidence: DEFAULTS.lowConfidence - 0.01, text: `low ${personal}` }));
      log.record(
        question({ ref: 'fallback', intent: 'fallback', outcome: 'fallback', confidence: 0.6, text: 'lunch?' }),
      );
      log.record(
        question({
          ref: 'fallback-outcome',
          intent: 'greeting',
          outcome: 'fallback',
          confidence: 0.9,
          text: 'a fallback answer',
        }),
      );
      log.record(question({ ref: 'not-helpful', text: 'irrelevant here' }));
      log.feedback('not-helpful', 'not_helpful', `nh ${personal}`);
      log.record(question({ ref: 'helpful', text: 'irrelevant here' }));
      log.feedback('helpful', 'helpful', 'never kept');
      log.record(question({ ref: 'handed', text: 'irrelevant here' }));
      log.handedOff('handed', `ho ${personal}`);
      // 😀 is one character of two UTF-16 units: the cut counts characters, not units.
      log.record(
        question({
          ref: 'long',
          intent: 'fallback',
          outcome: 'fallback',
          text: `😀${'字'.repeat(QUESTION_TEXT_LIMIT - 12)} 13912345678 ${'x'.repeat(5000)}`,
        }),
      );
      await log.flush();
      const byRef = new Map((await rows(target)).map((r) => [r['ref'], r['text']]));
      expect(Object.fromEntries(byRef)).toEqual({
        confident: null,
        'at-threshold': null,
        low: 'low 身份证 [id-card] 电话 [phone]',
        fallback: 'lunch?',
        'fallback-outcome': 'a fallback answer',
        'not-helpful': 'nh 身份证 [id-card] 电话 [phone]',
        helpful: null,
        handed: 'ho 身份证 [id-card] 电话 [phone]',
        long: expect.any(String),
      });
      const long = byRef.get('long') as string;
      expect(Array.from(long)).toHaveLength(QUESTION_TEXT_LIMIT);
      // Cut before masking, the phone number would straddle the cut and keep ten of its digits.
      expect(long).toBe(`😀${'字'.repeat(QUESTION_TEXT_LIMIT - 12)} [phone] xx`);
    });

    it('attaches feedback and hand-offs to their own question (the newest with that ref), in the same batch or later', async () => {
      const target = await backend.target();
      const log = await open(target);
      log.record(question({ ref: 'A', text: 'first A' }));
      log.record(question({ ref: 'B' }));
      log.record(question({ ref: 'A', text: 'second A' }));
      log.feedback('B', 'helpful');
      await log.flush();
      log.feedback('A', 'not_helpful', 'second A, not helpful');
      log.handedOff('B', 'B went to a person');
      log.feedback('nobody', 'helpful');
      await log.flush();
      expect(log.stats()).toMatchObject({ written: 7, unmatched: 1, dropped: 0 });
      expect((await rows(target)).map((r) => [r['ref'], r['feedback'], r['handed_off'], r['text']])).toEqual([
        ['A', null, 0, null],
        ['B', 'helpful', 1, 'B went to a person'],
        ['A', 'not_helpful', 0, 'second A, not helpful'],
      ]);
    });

    it('deletes rows older than RETENTION_DAYS on open and then periodically', async () => {
      const target = await backend.target();
      const day = 24 * 3600 * 1000;
      const now = Date.now();
      const first = await open(target, { retentionDays: 90 });
      first.record(question({ ref: 'old', at: now - 91 * day }));
      first.record(question({ ref: 'kept', at: now - 89 * day }));
      first.record(question({ ref: 'new', at: now }));
      await first.close();
      expect((await rows(target)).map((r) => r['ref'])).toEqual(['old', 'kept', 'new']);
      const second = await open(target, { retentionDays: 90, purgeIntervalMs: 50, batchIntervalMs: 10 });
      expect((await rows(target)).map((r) => r['ref'])).toEqual(['kept', 'new']);
      second.record(question({ ref: 'late-old', at: now - 200 * day }));
      await second.flush();
      expect((await rows(target)).map((r) => r['ref'])).toContain('late-old');
      // The hourly purge, here every 50 ms.
      const deadline = Date.now() + 5000;
      while ((await rows(target)).some((r) => r['ref'] === 'late-old')) {
        if (Date.now() > deadline) throw new Error('the periodic purge did not run');
        await new Promise((r) => setTimeout(r, 25));
      }
    });

    it('never writes on the reply path: record() only queues, the timer writes in batches', async () => {
      const target = await backend.target();
      const log = await open(target, { batchIntervalMs: 50 });
      const started = performance.now();
      for (let i = 0; i < 1000; i++) log.record(question({ ref: `r${i}` }));
      const took = performance.now() - started;
      expect(log.stats().written).toBe(0);
      expect(took).toBeLessThan(200);
      await waitFor(() => log.stats().written === 1000);
      expect(await rows(target)).toHaveLength(1000);
    });

    it('never throws on odd input, and counts what it cannot take', async () => {
      const target = await backend.target();
      const log = await open(target);
      const odd = [
        {} as LoggedQuestion,
        question({ confidence: Number.NaN, latencyMs: Number.POSITIVE_INFINITY, at: Number.NaN, text: 'nan' }),
        question({ surface: 'carrier-pigeon' as never, outcome: 'shrugged' as never, intent: 'x'.repeat(1000) }),
        null as unknown as LoggedQuestion,
      ];
      for (const q of odd) expect(() => log.record(q)).not.toThrow();
      expect(() => log.feedback('', 'helpful')).not.toThrow();
      expect(() => log.feedback('x', 'maybe' as never)).not.toThrow();
      expect(() => log.handedOff(undefined as never, 'x')).not.toThrow();
      await log.flush();
      const s = log.stats();
      expect(s.written + s.dropped).toBe(7);
      expect(s.written).toBeGreaterThanOrEqual(3);
      const r = await rows(target);
      // NaN confidence reads as not confident: the text is kept.
      expect(r.find((x) => x['text'] === 'nan')).toMatchObject({ confidence: 0, latency_ms: 0 });
    });
  });
}

describe.skipIf(!hasPostgres)('the same rows on both databases', () => {
  it('SQLite and PostgreSQL store and read back identical rows for the same questions', async () => {
    const lite = sqliteTarget();
    const pgTarget = await postgresTarget();
    const script = (log: QuestionLog) => {
      const surfaces = ['dm', 'mention', 'slash', 'pick', 'typed', 'followup', 'shortcut'] as const;
      for (let i = 0; i < 300; i++) {
        log.record(
          question({
            ref: `S${i}`,
            surface: surfaces[i % surfaces.length]!,
            lang: i % 3 ? 'en' : 'zh',
            intent: i % 11 === 0 ? 'fallback' : 'deregister',
            outcome: i % 11 === 0 ? 'fallback' : i % 7 === 0 ? 'asked_province' : 'answered',
            province: i % 5 ? 'guangdong' : null,
            confidence: (i % 100) / 100,
            latencyMs: i * 3.3,
            at: Date.UTC(2026, 10, 1) + i * 3_600_000,
            text: `question ${i} phone 138${String(i).padStart(8, '0')}`,
          }),
        );
        if (i % 13 === 0) log.feedback(`S${i}`, i % 2 ? 'helpful' : 'not_helpful', `feedback on ${i}`);
        if (i % 29 === 0) log.handedOff(`S${i}`, `handed ${i}`);
      }
    };
    for (const target of [lite, pgTarget]) {
      const log = await open(target);
      script(log);
      await log.close();
    }
    const a = await rows(lite);
    expect(a).toHaveLength(300);
    expect(await rows(pgTarget)).toEqual(a);
  });
});

// Not chmod: these tests run as root on CI, which writes through any permission. A path whose
// directory cannot be made, and a lock held by another connection, fail for root too.
describe('outages with SQLite', () => {
  it('a path that cannot be created: record() never throws, losses are counted and logged once, and it recovers', async () => {
    const dir = join(tmp, `blocked-${++seq}`);
    writeFileSync(dir, 'a file where the directory should be');
    const out = capture();
    const log = await open(
      { sqlitePath: join(dir, 'questions.sqlite') },
      { ...FAST, batchRows: 10, maxQueue: 30, log: out.log },
    );
    expect(log.stats().failing).toBe(true);
    for (let i = 0; i < 100; i++) expect(() => log.record(question({ ref: `lost${i}` }))).not.toThrow();
    await waitFor(() => log.stats().failedBatches >= 1);
    const during = log.stats();
    expect(during.dropped).toBeGreaterThanOrEqual(70);
    expect(during.written).toBe(0);
    expect(out.events()).toEqual(['question_log_failing']);
    expect(String(out.lines[0]!['reason'])).toMatch(/^EEXIST|^ENOTDIR/);

    rmSync(dir);
    mkdirSync(dir);
    await waitFor(() => !log.stats().failing);
    log.record(question({ ref: 'after' }));
    await log.flush();
    const s = log.stats();
    expect(out.events()).toEqual(['question_log_failing', 'question_log_recovered']);
    expect(out.lines[1]!['lost']).toBe(s.dropped);
    expect(String(out.lines[1]!['msg'])).toContain(`${s.dropped} entries were lost`);
    expect(s.written + s.dropped).toBe(101);
    expect(await rows({ sqlitePath: join(dir, 'questions.sqlite') })).toHaveLength(s.written);
    expect((await rows({ sqlitePath: join(dir, 'questions.sqlite') })).at(-1)).toMatchObject({ ref: 'after' });
  });

  it('a database another process holds locked: batches wait, retry, then write everything once the lock goes', async () => {
    const target = sqliteTarget();
    const out = capture();
    const log = await open(target, { ...FAST, maxAttempts: 1000, log: out.log });
    const other = new Database(target.sqlitePath!);
    other.exec('BEGIN EXCLUSIVE');
    for (let i = 0; i < 50; i++) log.record(question({ ref: `held${i}` }));
    await waitFor(() => log.stats().failing);
    expect(out.lines[0]).toMatchObject({ event: 'question_log_failing' });
    expect(String(out.lines[0]!['reason'])).toMatch(/SQLITE_BUSY|locked/);
    expect(log.stats()).toMatchObject({ written: 0, dropped: 0 });
    other.exec('COMMIT');
    other.close();
    await waitFor(() => log.stats().written === 50);
    expect(out.events()).toEqual(['question_log_failing', 'question_log_recovered']);
    expect(out.lines[1]!['lost']).toBe(0);
    expect(await rows(target)).toHaveLength(50);
  });

  it('a full queue drops the oldest entries and counts them', async () => {
    const dir = join(tmp, `full-${++seq}`);
    writeFileSync(dir, '');
    const log = await open(
      { sqlitePath: join(dir, 'q.sqlite') },
      { batchIntervalMs: 10_000, retryBaseMs: 10_000, maxQueue: 100 },
    );
    for (let i = 0; i < 250; i++) log.record(question());
    expect(log.stats()).toMatchObject({ queued: 100, dropped: 150 });
  });

  it('close() writes what is queued, and counts what it could not', async () => {
    const target = sqliteTarget();
    const ok = await openQuestionLog({ ...target, batchIntervalMs: 60_000, log: capture().log });
    for (let i = 0; i < 5; i++) ok.record(question());
    await ok.close();
    expect(ok.stats()).toMatchObject({ written: 5, dropped: 0, queued: 0 });
    ok.record(question());
    expect(ok.stats().dropped).toBe(1);

    const dir = join(tmp, `closed-${++seq}`);
    writeFileSync(dir, '');
    const out = capture();
    const bad = await openQuestionLog({ sqlitePath: join(dir, 'q.sqlite'), ...FAST, log: out.log });
    for (let i = 0; i < 5; i++) bad.record(question());
    await bad.close();
    expect(bad.stats()).toMatchObject({ written: 0, dropped: 5, queued: 0 });
    expect(out.events()).toEqual(['question_log_failing', 'question_log_closed']);
    expect(out.lines[1]!['msg']).toBe(messages.questionLogClosed(join(dir, 'q.sqlite'), 5));
  });
});

describe('SQLite on its own thread (the bot writes off the event loop)', () => {
  it('a long statement runs while the event loop keeps turning', async () => {
    const db = await openDb(sqliteTarget(), { thread: true });
    cleanups.push(() => db.close());
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      // Counting to a few million in SQL: long enough to see the event loop turn meanwhile.
      const counting = db.all(
        'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3000000) SELECT COUNT(*) AS n FROM c',
      );
      const before = ticks;
      const [r] = await counting;
      expect(num(r?.['n'])).toBe(3_000_000);
      expect(ticks - before).toBeGreaterThanOrEqual(3);
    } finally {
      clearInterval(timer);
    }
  });

  it('no question is lost or written twice: 3,000 recorded in bursts while batches are being written', async () => {
    const target = sqliteTarget();
    const log = await open(target, { batchIntervalMs: 5 });
    for (let burst = 0; burst < 30; burst++) {
      for (let i = 0; i < 100; i++) log.record(question({ ref: `burst${burst}-${i}` }));
      // Some bursts land while a batch is on the SQLite thread, some between batches.
      await new Promise((r) => setTimeout(r, burst % 3));
    }
    await log.close();
    expect(log.stats()).toMatchObject({ written: 3000, dropped: 0, queued: 0, failedBatches: 0 });
    const refs = (await rows(target)).map((r) => r['ref']);
    expect(refs).toHaveLength(3000);
    expect(new Set(refs).size).toBe(3000);
    // In the order recorded.
    expect(refs[0]).toBe('burst0-0');
    expect(refs.at(-1)).toBe('burst29-99');
  });

  it('a transaction that fails is rolled back, and calls after close() are refused', async () => {
    const target = sqliteTarget();
    const db = await openDb(target, { thread: true });
    await migrate(db);
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO schema_version (version, name, applied_at_ms) VALUES (99, 'x', 0)");
        await tx.run('INSERT INTO no_such_table VALUES (1)');
      }),
    ).rejects.toThrow(/no such table/);
    expect(await db.all('SELECT version FROM schema_version WHERE version = 99')).toEqual([]);
    await db.close();
    await expect(db.all('SELECT 1')).rejects.toThrow();
  });
});

describe.skipIf(!hasPostgres)('outages with PostgreSQL', () => {
  it('the server goes away while recording: record() never throws, losses are counted and logged once, it recovers', async () => {
    const schema = await testSchema();
    cleanups.push(() => schema.drop());
    const proxy = await pgProxy(schema.url);
    cleanups.push(() => proxy.stop());
    const out = capture();
    const log = await open({ databaseUrl: proxy.url }, { ...FAST, batchRows: 20, maxQueue: 50, log: out.log });
    for (let i = 0; i < 10; i++) log.record(question({ ref: `before${i}` }));
    await log.flush();
    expect(log.stats()).toMatchObject({ written: 10, failing: false });

    await proxy.stop();
    for (let i = 0; i < 200; i++) expect(() => log.record(question({ ref: `gap${i}` }))).not.toThrow();
    await waitFor(() => log.stats().failedBatches >= 1);
    expect(out.events()).toEqual(['question_log_failing']);
    expect(log.stats().dropped).toBeGreaterThanOrEqual(150);

    await proxy.start();
    await waitFor(() => !log.stats().failing && log.stats().queued === 0);
    log.record(question({ ref: 'after' }));
    await log.flush();
    const s = log.stats();
    expect(out.events()).toEqual(['question_log_failing', 'question_log_recovered']);
    expect(out.lines[1]!['lost']).toBe(s.dropped);
    expect(s.written + s.dropped).toBe(211);
    const stored = await rows({ databaseUrl: schema.url });
    expect(stored).toHaveLength(s.written);
    expect(stored.at(-1)).toMatchObject({ ref: 'after' });
  });

  it('nothing listens when it opens: it starts anyway, then migrates and writes once the server is there', async () => {
    const schema = await testSchema();
    cleanups.push(() => schema.drop());
    const proxy = await pgProxy(schema.url);
    cleanups.push(() => proxy.stop());
    await proxy.stop();
    const out = capture();
    const log = await open({ databaseUrl: proxy.url }, { ...FAST, maxAttempts: 1000, log: out.log });
    expect(log.stats().failing).toBe(true);
    expect(String(out.lines[0]!['reason'])).toMatch(/ECONNREFUSED/);
    for (let i = 0; i < 30; i++) log.record(question());
    await proxy.start();
    await waitFor(() => log.stats().written === 30);
    expect(await versions({ databaseUrl: schema.url })).toEqual(MIGRATIONS.map((m) => m.version));
    expect(out.events()).toEqual(['question_log_failing', 'question_log_recovered']);
  });

  it('never puts the DATABASE_URL password in a log line, an error or where', async () => {
    const port = await freePort();
    const password = 'pw-s3cret-Zq9';
    const url = `postgresql://icp_user:${password}@127.0.0.1:${port}/test`;
    const out = capture();
    const log = await open({ databaseUrl: url }, { ...FAST, log: out.log });
    log.record(question());
    await log.flush();
    expect(out.lines.length).toBeGreaterThan(0);
    const everything = JSON.stringify(out.lines) + log.where;
    expect(everything).not.toContain(password);
    expect(everything).not.toContain('icp_user');
    expect(log.where).toBe(`postgresql://127.0.0.1:${port}/test`);
    // A server that answers (trust authentication ignores the password): still nothing in the log lines.
    const schema = await testSchema();
    cleanups.push(() => schema.drop());
    const withPassword = new URL(withSchema(PG_URL, schema.name));
    withPassword.password = password;
    const out2 = capture();
    const ok = await open({ databaseUrl: withPassword.toString() }, { log: out2.log });
    ok.record(question());
    await ok.flush();
    expect(ok.stats().written).toBe(1);
    expect(JSON.stringify(out2.lines) + ok.where).not.toContain(password);
  });
});

describe('settings', () => {
  it('reads QUESTION_DB, DATABASE_URL and RETENTION_DAYS, with defaults', () => {
    const d = questionLogSettings({});
    expect(d).toMatchObject({ ok: true, settings: { databaseUrl: null, retentionDays: 90, enabled: true } });
    if (d.ok) expect(d.settings.sqlitePath).toMatch(/data-local[\\/]questions\.sqlite$/);
    expect(
      questionLogSettings({
        QUESTION_DB: '/var/lib/icp/q.sqlite',
        RETENTION_DAYS: '30',
        DATABASE_URL: 'postgres://u:p@db:5432/icp',
      }),
    ).toEqual({
      ok: true,
      settings: {
        sqlitePath: '/var/lib/icp/q.sqlite',
        retentionDays: 30,
        databaseUrl: 'postgres://u:p@db:5432/icp',
        labelSample: 0,
        enabled: true,
      },
    });
    expect(questionLogSettings({ QUESTION_LOG: 'off' })).toMatchObject({ ok: true, settings: { enabled: false } });
  });

  it('names each bad setting, never echoing the URL', () => {
    const r = questionLogSettings({ DATABASE_URL: 'mysql://root:hunter2@db/icp', RETENTION_DAYS: '0' });
    expect(r).toEqual({
      ok: false,
      problems: [
        messages.settingNotPostgresUrl('DATABASE_URL'),
        messages.settingNotWholeNumber('RETENTION_DAYS', 1, 3650, '0'),
      ],
    });
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });

  it('openQuestionLog refuses a DATABASE_URL that is not PostgreSQL, without echoing it', async () => {
    await expect(openQuestionLog({ databaseUrl: 'mysql://root:hunter2@db/icp' })).rejects.toThrow(
      messages.settingNotPostgresUrl('DATABASE_URL'),
    );
  });
});
