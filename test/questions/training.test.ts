/**
 * Learning from the question log, on a real SQLite file and a real PostgreSQL (a schema of its own
 * per test; skipped without one, as test/support/postgres.ts says): `icp-bot label` stores a label
 * with the question's row and refuses unknown refs, intents and provinces with the valid ones;
 * `icp-bot training export --unlabelled` offers what the bot missed with its ref until someone
 * labels it, and `training export` then writes it as a training file the classifier reads. The
 * commands run in-process with their own environment and output.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DatabaseError, UsageError } from '../../src/errors.js';
import { num, openDb, type Row } from '../../src/questions/db.js';
import { openQuestionLog, questionLogSettings, type LoggedQuestion } from '../../src/questions/log.js';
import type { CommandIo } from '../../src/questions/command.js';
import { labelCommand } from '../../src/questions/label.js';
import { trainingCommand } from '../../src/questions/training-export.js';
import { migrate } from '../../src/questions/db.js';
import { MIGRATIONS } from '../../src/questions/migrations.js';
import { readTrainingFile } from '../../src/understand/classifier.js';
import { logBackends, postgresForTests } from '../support/postgres.js';

const hasPostgres = await postgresForTests();
const tmp = mkdtempSync(join(tmpdir(), 'icp-training-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const quiet = { warn: () => {}, error: () => {} };

function question(over: Partial<LoggedQuestion>): LoggedQuestion {
  return {
    ref: 'Ev0',
    team: 'T1',
    channel: 'C1',
    surface: 'dm',
    lang: 'en',
    intent: 'deregister',
    province: 'zhejiang',
    confidence: 0.93,
    outcome: 'answered',
    latencyMs: 100,
    text: 'How do I cancel our filing in Hangzhou?',
    at: NOW - 3600_000,
    ...over,
  };
}

/** A log with a question the bot missed (fallback), one it was unsure of, answered ones, one from 40 days ago. */
const LOGGED: LoggedQuestion[] = [
  question({
    ref: 'EvOld',
    intent: 'fallback',
    outcome: 'fallback',
    confidence: 0,
    text: 'old question',
    at: NOW - 40 * 86_400_000,
  }),
  question({ ref: 'EvHand', text: 'Can a person call me? wang.li@example.com' }),
  question({ ref: 'EvNh', intent: 'forgot_password', province: null, text: 'password' }),
  question({
    ref: 'EvMiss',
    intent: 'fallback',
    outcome: 'fallback',
    confidence: 0.2,
    province: null,
    text: '我的网站备案要怎么撤掉？电话 138 1234 5678',
  }),
  question({ ref: 'EvLow', intent: 'lost_record_number', confidence: 0.5, text: 'where do I find the number thing' }),
  question({ ref: 'EvOk', text: 'How do I deregister in Zhejiang?' }),
];

let seq = 0;
const BACKENDS = logBackends(tmp, hasPostgres, cleanups);

/** The log at `db` (a path or a URL), written through the question log as the bot writes it. */
async function logged(db: string, questions = LOGGED): Promise<string> {
  const target = db.startsWith('postgres') ? { databaseUrl: db } : { sqlitePath: db };
  const log = await openQuestionLog({ ...target, retentionDays: 3650, log: quiet });
  for (const q of questions) log.record(q);
  log.feedback('EvOk', 'helpful');
  log.feedback('EvNh', 'not_helpful', 'I forgot the password, 0086 139 1234 5678');
  log.handedOff('EvHand', 'Can a person call me? wang.li@example.com');
  await log.close();
  return db;
}

/** Runs a command in-process; its output, or the error it threw. */
async function run(
  command: (args: readonly string[], io: CommandIo) => Promise<number>,
  args: string[],
  env: Record<string, string> = { USER: 'alice' },
): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await command(args, { env, out: (t) => (out += t), now: NOW });
  return { code, out };
}

async function row(db: string, ref: string): Promise<Row> {
  const d = await openDb(db.startsWith('postgres') ? { databaseUrl: db } : { sqlitePath: db }, { readonly: true });
  try {
    const [r] = await d.all('SELECT * FROM questions WHERE ref = ?', [ref]);
    return r!;
  } finally {
    await d.close();
  }
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`icp-bot label on ${backend.name}`, () => {
    it('stores the intent, the province, who and when with the question', async () => {
      const db = await logged(await backend.db());
      const r = await run(labelCommand, ['EvMiss', 'deregister', 'Zhejiang', '--db', db]);
      expect(r).toEqual({ code: 0, out: 'labelled EvMiss: deregister, zhejiang (by alice)\n' });
      const stored = await row(db, 'EvMiss');
      expect(stored).toMatchObject({ label_intent: 'deregister', label_province: 'zhejiang', label_by: 'alice' });
      expect(num(stored['label_at_ms'])).toBe(NOW);
      // Again, without a province and without $USER: replaces the label, says what it was.
      const again = await run(labelCommand, ['EvMiss', 'cancel_kinds', '--db', db], {});
      expect(again.out).toBe('labelled EvMiss: cancel_kinds (by cli; was deregister)\n');
      expect(await row(db, 'EvMiss')).toMatchObject({
        label_intent: 'cancel_kinds',
        label_province: null,
        label_by: 'cli',
      });
      // A question whose text was not kept can be labelled, and the command says what that means.
      expect((await run(labelCommand, ['EvOk', 'deregister', '--db', db])).out).toContain('its text was not kept');
    });

    it('refuses an unknown province, intent or ref, listing the valid ones, and changes nothing', async () => {
      const db = await logged(await backend.db());
      const province = run(labelCommand, ['EvMiss', 'deregister', 'atlantis', '--db', db]);
      await expect(province).rejects.toThrow(UsageError);
      await expect(province).rejects.toThrow(
        /^unknown province "atlantis"; the provinces are: anhui, beijing, .*zhejiang$/,
      );
      const intent = run(labelCommand, ['EvMiss', 'cancel_filing', '--db', db]);
      await expect(intent).rejects.toThrow(
        /^unknown intent "cancel_filing"; the intents are: .*deregister, .*forgot_password, .*lost_record_number/,
      );
      await expect(run(labelCommand, ['EvNone', 'deregister', '--db', db])).rejects.toThrow(
        /^no question with ref "EvNone" in the question log at /,
      );
      await expect(run(labelCommand, ['EvMiss', '--db', db])).rejects.toThrow(
        'label takes a ref, an intent and optionally a province',
      );
      await expect(run(labelCommand, ['EvMiss', 'deregister', '--by', 'x', '--db', db])).rejects.toThrow(
        'unknown option "--by"',
      );
      expect(await row(db, 'EvMiss')).toMatchObject({ label_intent: null, label_province: null, label_by: null });
    });
  });
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`labels through the question log (the hand-off post) on ${backend.name}`, () => {
    it('a province, then an intent, merge into one label with who and when; an unknown ref is null', async () => {
      const db = await logged(await backend.db());
      const target = db.startsWith('postgres') ? { databaseUrl: db } : { sqlitePath: db };
      const log = await openQuestionLog({ ...target, retentionDays: 3650, log: quiet });
      try {
        const noted = await log.label({ ref: 'EvMiss', province: 'zhejiang', by: 'U0ALICE', atMs: NOW });
        expect(noted).toEqual({ hasText: true, previous: null, intent: null, province: 'zhejiang' });
        expect((await exported(['--unlabelled', '--db', db])).map((l) => l['ref'])).toContain('EvMiss');
        const done = await log.label({ ref: 'EvMiss', intent: 'deregister', by: 'U0BOB', atMs: NOW + 1 });
        expect(done).toEqual({ hasText: true, previous: null, intent: 'deregister', province: 'zhejiang' });
        expect(await log.label({ ref: 'EvNone', intent: 'fees', by: 'U0BOB', atMs: NOW })).toBeNull();
      } finally {
        await log.close();
      }
      expect(await row(db, 'EvMiss')).toMatchObject({
        label_intent: 'deregister',
        label_province: 'zhejiang',
        label_by: 'U0BOB',
      });
      expect((await exported(['--unlabelled', '--db', db])).map((l) => l['ref'])).not.toContain('EvMiss');
      expect((await exported(['--db', db])).slice(1)).toEqual([
        { text: '我的网站备案要怎么撤掉？电话 [phone]', intent: 'deregister', province: 'zhejiang', kind: 'log' },
      ]);
    });

    it('a closed log says it failed, never that it stored', async () => {
      const db = await logged(await backend.db());
      const target = db.startsWith('postgres') ? { databaseUrl: db } : { sqlitePath: db };
      const log = await openQuestionLog({ ...target, retentionDays: 3650, log: quiet });
      await log.close();
      expect(await log.label({ ref: 'EvMiss', intent: 'fees', by: 'U0BOB', atMs: NOW })).toBe('failed');
    });
  });
}

/** The JSON lines of an export. */
async function exported(args: string[]): Promise<Record<string, unknown>[]> {
  const r = await run(trainingCommand, ['export', ...args]);
  expect(r.code).toBe(0);
  return r.out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`icp-bot training export on ${backend.name}`, () => {
    it('--unlabelled: each question the bot missed, with its ref, masked text, reading and why', async () => {
      const db = await logged(await backend.db());
      expect(await exported(['--unlabelled', '--db', db])).toEqual([
        {
          ref: 'EvHand',
          text: 'Can a person call me? [email]',
          intent: 'deregister',
          province: 'zhejiang',
          confidence: 0.93,
          why: ['handed_off'],
        },
        {
          ref: 'EvNh',
          text: 'I forgot the password, [phone]',
          intent: 'forgot_password',
          province: null,
          confidence: 0.93,
          why: ['not_helpful'],
        },
        {
          ref: 'EvMiss',
          text: '我的网站备案要怎么撤掉？电话 [phone]',
          intent: 'fallback',
          province: null,
          confidence: 0.2,
          why: ['fallback', 'low_confidence'],
        },
        {
          ref: 'EvLow',
          text: 'where do I find the number thing',
          intent: 'lost_record_number',
          province: 'zhejiang',
          confidence: 0.5,
          why: ['low_confidence'],
        },
      ]);
      // --since reaches further back (the default is 30 days).
      const all = await exported(['--unlabelled', '--since', '60d', '--db', db]);
      expect(all.map((l) => l['ref'])).toEqual(['EvOld', 'EvHand', 'EvNh', 'EvMiss', 'EvLow']);
    });

    it('a labelled question comes out as a training line and leaves --unlabelled', async () => {
      const db = await logged(await backend.db());
      await run(labelCommand, ['EvMiss', 'deregister', 'zhejiang', '--db', db]);
      await run(labelCommand, ['EvLow', 'fees', '--db', db]);
      const r = await run(trainingCommand, ['export', '--db', db]);
      const file = join(tmp, `training-${++seq}.jsonl`);
      writeFileSync(file, r.out);
      // The classifier reads it as one of intents/training/*.jsonl.
      expect(readTrainingFile(file)).toEqual([
        { text: '我的网站备案要怎么撤掉？电话 [phone]', label: 'deregister' },
        { text: 'where do I find the number thing', label: 'other' },
      ]);
      const [header, ...lines] = r.out
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown);
      expect(header).toMatchObject({
        format: 1,
        source: expect.stringContaining('names, companies and domains are not'),
      });
      expect(lines).toEqual([
        { text: '我的网站备案要怎么撤掉？电话 [phone]', intent: 'deregister', province: 'zhejiang', kind: 'log' },
        { text: 'where do I find the number thing', intent: 'other', province: null, kind: 'log', topic: 'fees' },
      ]);
      const left = await exported(['--unlabelled', '--db', db]);
      expect(left.map((l) => l['ref'])).toEqual(['EvHand', 'EvNh']);
    });
  });
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`LABEL_SAMPLE on ${backend.name}`, () => {
    it('keeps the masked text of a drawn share of answered questions, offered as sampled until labelled', async () => {
      const db = await backend.db();
      const target = db.startsWith('postgres') ? { databaseUrl: db } : { sqlitePath: db };
      // The draws: below 0.25 is in the sample.
      const draws = [0.1, 0.9, 0.2];
      const log = await openQuestionLog({ ...target, log: quiet, labelSample: 0.25, random: () => draws.shift() ?? 1 });
      log.record(question({ ref: 'EvS1', text: 'cancel filing, mail me: li@corp.cn' }));
      log.record(question({ ref: 'EvS2', text: 'not drawn' }));
      // Only answered questions are drawn; a question back keeps nothing.
      log.record(question({ ref: 'EvS3', outcome: 'asked_province', text: 'never drawn' }));
      log.record(question({ ref: 'EvS4', intent: 'forgot_password', province: null, text: '忘记备案密码' }));
      await log.close();
      expect(await row(db, 'EvS2')).toMatchObject({ text: null, sampled: 0 });
      expect(await row(db, 'EvS3')).toMatchObject({ text: null, sampled: 0 });
      expect(await exported(['--unlabelled', '--db', db])).toEqual([
        {
          ref: 'EvS1',
          text: 'cancel filing, mail me: [email]',
          intent: 'deregister',
          province: 'zhejiang',
          confidence: 0.93,
          why: ['sampled'],
        },
        {
          ref: 'EvS4',
          text: '忘记备案密码',
          intent: 'forgot_password',
          province: null,
          confidence: 0.93,
          why: ['sampled'],
        },
      ]);
      await run(labelCommand, ['EvS1', 'deregister', 'zhejiang', '--db', db]);
      expect((await exported(['--unlabelled', '--db', db])).map((l) => l['ref'])).toEqual(['EvS4']);
    });
  });
}

describe('LABEL_SAMPLE, the setting', () => {
  it('is a share from 0 to 1, none by default; anything else is named', () => {
    const share = (v?: string) => {
      const s = questionLogSettings(v === undefined ? {} : { LABEL_SAMPLE: v });
      return s.ok ? s.settings.labelSample : s.problems;
    };
    expect(share()).toBe(0);
    expect(share('0.02')).toBe(0.02);
    expect(share('.5')).toBe(0.5);
    expect(share('1')).toBe(1);
    for (const bad of ['2', '-0.1', '2%', 'some', '1e-2'])
      expect(share(bad)).toEqual([
        `LABEL_SAMPLE must be a share from 0 to 1 (0.02 keeps 2 % of the answered questions), got "${bad}"`,
      ]);
  });
});

describe('icp-bot training export', () => {
  it('on a log not yet migrated to labels says so instead of failing on a column', async () => {
    const d = await openDb({ sqlitePath: join(tmp, 'v2b', 'questions.sqlite') });
    await migrate(d, MIGRATIONS.slice(0, 3));
    await d.close();
    const r = run(trainingCommand, ['export', '--db', join(tmp, 'v2b', 'questions.sqlite')]);
    await expect(r).rejects.toThrow(DatabaseError);
    await expect(r).rejects.toThrow('has schema version 3; this needs 4');
  });

  it('refuses what it does not take', async () => {
    await expect(run(trainingCommand, ['import'])).rejects.toThrow('training takes export');
    await expect(run(trainingCommand, ['export', '--since', 'soon'])).rejects.toThrow(
      '--since takes a duration or a date',
    );
    await expect(run(trainingCommand, ['export', '--labelled'])).rejects.toThrow('unknown option "--labelled"');
  });
});

describe('icp-bot label on a log that is not there', () => {
  it('says so and creates nothing', async () => {
    const missing = join(tmp, 'nowhere', 'questions.sqlite');
    const r = run(labelCommand, ['EvMiss', 'deregister', '--db', missing]);
    await expect(r).rejects.toThrow(DatabaseError);
    await expect(r).rejects.toThrow(`no question log at ${missing}`);
    expect(existsSync(join(tmp, 'nowhere'))).toBe(false);
  });
});
