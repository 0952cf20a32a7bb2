/**
 * Learning from the question log, on a real SQLite file and a real PostgreSQL (a schema of its own
 * per test; skipped without one, as test/support/postgres.ts says): `icp-bot label` stores a label
 * with the question's row and refuses unknown refs, intents and provinces with the valid ones.
 * The commands run in-process with their own environment and output.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DatabaseError, UsageError } from '../../src/errors.js';
import { num, openDb, type Row } from '../../src/questions/db.js';
import { openQuestionLog, type LoggedQuestion } from '../../src/questions/log.js';
import type { CommandIo } from '../../src/questions/command.js';
import { labelCommand } from '../../src/questions/label.js';
import { postgresForTests, testSchema } from '../support/postgres.js';

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

/** A log with a question the bot missed (fallback), one it was unsure of, and one it answered. */
const LOGGED: LoggedQuestion[] = [
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
const BACKENDS = [
  { name: 'SQLite file', skip: false, db: async () => join(tmp, `q-${++seq}`, 'questions.sqlite') },
  {
    name: 'PostgreSQL',
    skip: !hasPostgres,
    db: async () => {
      const schema = await testSchema();
      cleanups.push(() => schema.drop());
      return schema.url;
    },
  },
];

/** The log at `db` (a path or a URL), written through the question log as the bot writes it. */
async function logged(db: string, questions = LOGGED): Promise<string> {
  const target = db.startsWith('postgres') ? { databaseUrl: db } : { sqlitePath: db };
  const log = await openQuestionLog({ ...target, retentionDays: 3650, log: quiet });
  for (const q of questions) log.record(q);
  log.feedback('EvOk', 'helpful');
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

describe('icp-bot label on a log that is not there', () => {
  it('says so and creates nothing', async () => {
    const missing = join(tmp, 'nowhere', 'questions.sqlite');
    const r = run(labelCommand, ['EvMiss', 'deregister', '--db', missing]);
    await expect(r).rejects.toThrow(DatabaseError);
    await expect(r).rejects.toThrow(`no question log at ${missing}`);
    expect(existsSync(join(tmp, 'nowhere'))).toBe(false);
  });
});
