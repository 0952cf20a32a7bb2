/**
 * Accuracy on real traffic, on a real SQLite file and a real PostgreSQL (skipped without one, as
 * test/support/postgres.ts says): `icp-bot eval --log` scores the bot's stored reading of the
 * sampled questions people labelled (and only those: a labelled failure does not count), week by
 * week, and the report shows the same weeks once labels exist.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DatabaseError, UsageError } from '../../src/errors.js';
import type { CommandIo } from '../../src/questions/command.js';
import { migrate, openDb, readableSchema } from '../../src/questions/db.js';
import { evalLogCommand } from '../../src/questions/eval-log.js';
import { weekOf } from '../../src/questions/live-accuracy.js';
import { openQuestionLog, type LoggedQuestion } from '../../src/questions/log.js';
import { MIGRATIONS } from '../../src/questions/migrations.js';
import { buildReport } from '../../src/questions/report/queries.js';
import { formatQuestionReport } from '../../src/questions/report/terminal.js';
import { reportHtml } from '../../src/questions/report/html.js';
import { logBackends, postgresForTests } from '../support/postgres.js';

const hasPostgres = await postgresForTests();
const tmp = mkdtempSync(join(tmpdir(), 'icp-eval-log-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const DAY = 86_400_000;
/** Monday 2026-11-30, noon UTC: the weeks are 11-16, 11-23 and 11-30. */
const NOW = Date.UTC(2026, 10, 30, 12);
const quiet = { warn: () => {}, error: () => {} };

interface Case {
  ref: string;
  daysAgo: number;
  read: [string, string | null];
  label: [string, string | null];
  sampled: boolean;
}

/** Week 11-16: 2 sampled, both right; week 11-23: 4 sampled, 2 wrong; a labelled failure and an unlabelled sample besides. */
const CASES: Case[] = [
  { ref: 'A1', daysAgo: 13, read: ['deregister', 'zhejiang'], label: ['deregister', 'zhejiang'], sampled: true },
  { ref: 'A2', daysAgo: 12, read: ['fees', null], label: ['fees', null], sampled: true },
  { ref: 'B1', daysAgo: 6, read: ['deregister', 'guangdong'], label: ['deregister', 'guangxi'], sampled: true },
  { ref: 'B2', daysAgo: 5, read: ['deregister', 'beijing'], label: ['switch_provider', 'beijing'], sampled: true },
  { ref: 'B3', daysAgo: 4, read: ['fees', null], label: ['processing_time', null], sampled: true },
  { ref: 'B4', daysAgo: 3, read: ['forgot_password', null], label: ['forgot_password', null], sampled: true },
  { ref: 'F1', daysAgo: 2, read: ['fallback', null], label: ['deregister', 'hunan'], sampled: false },
];

function asked(c: Case): LoggedQuestion {
  return {
    ref: c.ref,
    team: 'T1',
    channel: 'C1',
    surface: 'dm',
    lang: 'en',
    intent: c.read[0],
    province: c.read[1],
    confidence: c.sampled ? 0.9 : 0.1,
    outcome: c.sampled ? 'answered' : 'fallback',
    latencyMs: 50,
    text: `question ${c.ref}`,
    at: NOW - c.daysAgo * DAY,
  };
}

const BACKENDS = logBackends(tmp, hasPostgres, cleanups);

const targetOf = (db: string) => (db.startsWith('postgres') ? { databaseUrl: db } : { sqlitePath: db });

/** The cases written as the bot writes them (every answered one drawn into the sample), then labelled. */
async function logged(db: string): Promise<string> {
  const log = await openQuestionLog({ ...targetOf(db), retentionDays: 3650, log: quiet, labelSample: 1 });
  for (const c of CASES) log.record(asked(c));
  log.record(asked({ ref: 'U1', daysAgo: 1, read: ['deregister', null], label: ['x', null], sampled: true }));
  for (const c of CASES) {
    const r = await log.label({ ref: c.ref, intent: c.label[0], province: c.label[1], by: 'U0ALICE', atMs: NOW });
    expect(r).not.toBe('failed');
  }
  await log.close();
  return db;
}

async function run(args: string[]): Promise<string> {
  let out = '';
  const io: CommandIo = { env: {}, out: (t) => (out += t), now: NOW };
  expect(await evalLogCommand(args, io)).toBe(0);
  return out;
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`icp-bot eval --log on ${backend.name}`, () => {
    it('scores the stored reading of the sampled labelled questions only, week by week, with the confusions', async () => {
      const db = await logged(await backend.db());
      const json = JSON.parse(await run(['--log', '--db', db, '--json'])) as Record<string, unknown>;
      expect(json).toMatchObject({
        labelled: 6,
        intentRight: 4,
        labelRight: 5,
        withProvince: 3,
        provinceRight: 2,
        weeks: [
          { week: '2026-11-16', labelled: 2, intentRight: 2, labelRight: 2, withProvince: 1, provinceRight: 1 },
          { week: '2026-11-23', labelled: 4, intentRight: 2, labelRight: 3, withProvince: 2, provinceRight: 1 },
        ],
        confusions: [
          { label: 'processing_time', read: 'fees', count: 1 },
          { label: 'switch_provider', read: 'deregister', count: 1 },
        ],
      });
      const text = await run(['--log', '--db', db]);
      expect(text).toMatch(/Sampled questions people labelled: 6/);
      expect(text).toMatch(/intent +4 of 6 +66\.7%/);
      expect(text).toMatch(/province +2 of 3 +66\.7%/);
      expect(text).toMatch(/2026-11-23 +4 +50\.0% +75\.0% +50\.0%/);
      expect(text).toContain('1  switch_provider → deregister');
      // --since leaves the older week out.
      const recent = JSON.parse(await run(['--log', '--db', db, '--since', '7d', '--json'])) as { labelled: number };
      expect(recent.labelled).toBe(4);
    });

    it('the report shows the same weeks once labels exist, and nothing before', async () => {
      const db = await logged(await backend.db());
      const d = await openDb(targetOf(db), { readonly: true });
      try {
        const r = await buildReport(d, { sinceMs: NOW - 30 * DAY, untilMs: NOW, schema: await readableSchema(d) });
        expect(r.liveAccuracy?.weeks.map((w) => [w.week, w.labelled, w.intentRight])).toEqual([
          ['2026-11-16', 2, 2],
          ['2026-11-23', 4, 2],
        ]);
        expect(formatQuestionReport(r)).toMatch(/Accuracy on real traffic[^\n]*6\)\n.*\n +2026-11-16 +2 +100\.0%/);
        expect(reportHtml(r, '')).toContain('<h2>Accuracy on real traffic</h2>');
        const before = await buildReport(d, { sinceMs: NOW - 30 * DAY, untilMs: NOW - 14 * DAY });
        expect(before.liveAccuracy?.labelled).toBe(0);
        expect(formatQuestionReport(before)).not.toContain('Accuracy on real traffic');
        expect(reportHtml(before, '')).not.toContain('Accuracy on real traffic');
      } finally {
        await d.close();
      }
    });
  });
}

describe('icp-bot eval --log', () => {
  it('says how to get labels when there are none', async () => {
    const db = join(tmp, 'empty', 'questions.sqlite');
    const log = await openQuestionLog({ sqlitePath: db, log: quiet });
    await log.close();
    expect(await run(['--log', '--db', db])).toMatch(/No sampled question has a label yet\. Set LABEL_SAMPLE/);
  });

  it('refuses a file argument, an unknown option, a log without labels, a missing log', async () => {
    await expect(run(['--log', 'test/dev.jsonl'])).rejects.toThrow(UsageError);
    await expect(run(['--log', '--by-kind'])).rejects.toThrow('unknown option "--by-kind"');
    const old = join(tmp, 'v2', 'questions.sqlite');
    const d = await openDb({ sqlitePath: old });
    await migrate(d, MIGRATIONS.slice(0, 2));
    await d.close();
    await expect(run(['--log', '--db', old])).rejects.toThrow(DatabaseError);
    await expect(run(['--log', '--db', join(tmp, 'none.sqlite')])).rejects.toThrow(/no question log/i);
  });

  it('weeks start on Monday (UTC)', () => {
    expect(weekOf('2026-11-30')).toBe('2026-11-30');
    expect(weekOf('2026-12-06')).toBe('2026-11-30');
    expect(weekOf('2026-11-29')).toBe('2026-11-23');
  });
});
