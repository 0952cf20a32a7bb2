/**
 * The icp-bot command as users run it: `node dist/src/cli.js …` in a child process (vitest's
 * globalSetup builds dist/ first). Exit codes: 0 ok, 1 below a floor or bad input lines, 2 usage,
 * data or database errors.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ROOT } from '../src/paths.js';
import { openQuestionLog } from '../src/questions/log.js';
import { findAgentOnly } from '../src/answer/audience.js';
import { registry } from '../src/answer/registry.js';
import { generateMonth, writeMonth } from '../scripts/questions-month.js';
import { postgresForTests, testSchema, type TestSchema } from './support/postgres.js';

const DAY_MS = 24 * 3600 * 1000;
const hasPostgres = await postgresForTests();

const CLI = join(ROOT, 'dist', 'src', 'cli.js');

/** Runs the CLI; tests run concurrently because each start-up costs about a second. */
function run(
  args: string[],
  input = '',
  env: Record<string, string> = {},
  timeoutMs = 15_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // The question log's settings come only from the test, never from the machine.
    const base = { ...process.env };
    for (const k of ['DATABASE_URL', 'QUESTION_DB', 'RETENTION_DAYS']) delete base[k];
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...base, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'icp-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe.concurrent('icp-bot ask', () => {
  it('prints the plain-text answer with the full URLs', async ({ expect }) => {
    const r = await run(['ask', 'how do I deregister my ICP filing in Zhejiang?']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Deregistering an ICP filing in Zhejiang');
    expect(r.stdout).toContain(registry().byId.get('zhejiang')!.deregistration.url);
    expect(r.stdout).toContain('https://beian.miit.gov.cn/#/Integrated/notice_list');
    expect(r.stdout).not.toContain('<');
    expect(r.stdout).not.toContain('&amp;');
  });

  it('joins several arguments into one question and answers Chinese in Chinese', async ({ expect }) => {
    const r = await run(['ask', '上海的备案', '怎么注销']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('上海');
    expect(r.stdout).toContain('https://beian.shca.gov.cn/');
  });

  it('is the agent view; --customer (with --full too) holds nothing on the agent-only list', async ({ expect }) => {
    for (const q of ['how do I deregister in Zhejiang?', '忘记备案密码怎么办', '廣東的備案怎麼註銷']) {
      const agent = await run(['ask', q]);
      expect(findAgentOnly(agent.stdout).length, q).toBeGreaterThan(0);
      for (const flags of [['--customer'], ['--customer', '--full']]) {
        const r = await run(['ask', ...flags, q]);
        expect(r.code).toBe(0);
        expect(r.stdout.length).toBeGreaterThan(20);
        expect(findAgentOnly(r.stdout), `${q} ${flags.join(' ')}`).toEqual([]);
      }
    }
  });

  it('asks for the province when none is given', async ({ expect }) => {
    const r = await run(['ask', 'how do I deregister my ICP filing']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Which province');
  });

  it('exits 2 with a usage message without a question', async ({ expect }) => {
    const r = await run(['ask']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ask needs a question/);
    expect(r.stdout).toBe('');
  });
});

describe.concurrent('icp-bot classify --jsonl', () => {
  it('writes one line per input line, in order', async ({ expect }) => {
    const input = jsonl([
      { text: 'deregister Zhejiang' },
      { text: 'I forgot the filing password' },
      { text: '我的备案号是多少' },
      { text: 'hello' },
      { text: '粤ICP备17012345号-2 注销' },
    ]);
    const r = await run(['classify', '--jsonl'], input);
    expect(r.code).toBe(0);
    const out = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((o) => [o['intent'], o['province']])).toEqual([
      ['deregister', 'zhejiang'],
      ['forgot_password', null],
      ['lost_record_number', null],
      ['greeting', null],
      ['deregister', 'guangdong'],
    ]);
    expect(out.map((o) => o['action'])).toEqual(['answer', 'answer', 'answer', 'answer', 'answer']);
    for (const o of out) {
      expect(Object.keys(o).sort()).toEqual(
        ['action', 'also', 'confidence', 'intent', 'province', ...(o['confirm'] ? ['confirm'] : [])].sort(),
      );
      expect(o['also']).toEqual([]);
      expect(o['confidence']).toBeGreaterThanOrEqual(0);
      expect(o['confidence']).toBeLessThanOrEqual(1);
    }
  });

  it('lists the other needs of a message and says what the bot does with it', async ({ expect }) => {
    const input = jsonl([
      { text: 'I need to cancel our filing in Hebei. We also lost the record number.' },
      { text: '要注销安徽的网站，但备案密码找不到了' },
      { text: 'how do I cancel our ICP filing' },
      { text: 'can you send me the invoice for March' },
    ]);
    const r = await run(['classify', '--jsonl'], input);
    const out = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((o) => [o['intent'], o['also'], o['action']])).toEqual([
      ['lost_record_number', ['deregister'], 'answer'],
      ['forgot_password', ['deregister'], 'answer'],
      ['deregister', [], 'ask_province'],
      ['off_topic', [], 'answer'],
    ]);
  });

  it('adds the candidates for an ambiguous province', async ({ expect }) => {
    const r = await run(['classify', '--jsonl'], jsonl([{ text: 'deregister Hobei' }]));
    expect(JSON.parse(r.stdout)).toMatchObject({
      intent: 'deregister',
      province: null,
      candidates: ['hebei', 'hubei'],
    });
  });

  it('answers a bad line with an error object in its place and exits 1', async ({ expect }) => {
    const input = [
      '{"text":"deregister Zhejiang"}',
      '{not json',
      '{"question":"no text field"}',
      '"just a string"',
      'null',
      '{"text":"hello"}',
    ].join('\n');
    const r = await run(['classify', '--jsonl'], input);
    expect(r.code).toBe(1);
    const out = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(6);
    expect(out[0]).toMatchObject({ intent: 'deregister', province: 'zhejiang' });
    for (const [i, o] of out.slice(1, 5).entries()) {
      expect(o['error'], JSON.stringify(o)).toContain(`line ${i + 2}`);
      expect(o['intent']).toBeUndefined();
    }
    expect(out[5]).toMatchObject({ intent: 'greeting' });
  });

  it('handles many lines, CRLF endings and Unicode', async ({ expect }) => {
    const texts = Array.from({ length: 2_000 }, (_, i) => (i % 2 ? `deregister Hebei ${i}` : `注销备案 湖北 ${i}`));
    const input = texts.map((t) => JSON.stringify({ text: t })).join('\r\n');
    const r = await run(['classify', '--jsonl'], input);
    expect(r.code).toBe(0);
    const out = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { province: string });
    expect(out).toHaveLength(2_000);
    expect(out.every((o, i) => o.province === (i % 2 ? 'hebei' : 'hubei'))).toBe(true);
  });

  it('exits 2 without --jsonl', async ({ expect }) => {
    const r = await run(['classify'], '{"text":"hi"}\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--jsonl');
  });
});

// Alone: five classifiers trained in one process take seconds, and longer beside the concurrent tests.
describe('icp-bot eval --cv', () => {
  it('--cv: reliability by confidence band and the risk–coverage table, the chosen threshold marked', async ({
    expect,
  }) => {
    const r = await run(['eval', '--cv'], '', {}, 90_000);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Cross-validation on the \d+ training questions/);
    expect(r.stdout).toContain('mean confidence  share right');
    const chosen = r.stdout.split('\n').find((l) => l.includes('← clarifyBelow'));
    expect(chosen).toMatch(/^\s+0\.800\s+0\.\d{3}\s+0\.\d{3}\s+0\.\d{3}/);
    // Asking back more never answers more outright.
    const rows = r.stdout
      .split('\n')
      .filter((l) => /^\s+0\.\d{3}\s+0\.\d{3}\s+0\.\d{3}\s+0\.\d{3}/.test(l))
      .map((l) => l.trim().split(/\s+/).map(Number));
    expect(rows.length).toBeGreaterThan(5);
    for (let i = 1; i < rows.length; i++) expect(rows[i]![1]!).toBeLessThanOrEqual(rows[i - 1]![1]!);
  }, 120_000);
});

describe.concurrent('icp-bot eval', () => {
  // The bot gets the second line wrong on purpose: it is labelled forgot_password.
  const half = file(
    'half.jsonl',
    jsonl([
      { text: 'deregister Zhejiang', intent: 'deregister', province: 'zhejiang' },
      { text: 'deregister Zhejiang please', intent: 'forgot_password', province: null },
    ]),
  );

  it('prints the report with the misses and exits 0 without a floor', async ({ expect }) => {
    const r = await run(['eval', half]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 questions');
    expect(r.stdout).toMatch(/answer accuracy:\s+0\.500/);
    expect(r.stdout).toContain('confusion');
    expect(r.stdout).toContain('misses (1):');
    expect(r.stdout).toContain('line 2: expected forgot_password/-, got deregister/zhejiang');
  });

  it('exits 1 below --min-answer-accuracy and says so', async ({ expect }) => {
    const r = await run(['eval', half, '--min-answer-accuracy', '0.9']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('below the floor 0.9');
  });

  it('exits 0 at or above the floor', async ({ expect }) => {
    expect((await run(['eval', half, '--min-answer-accuracy', '0.5'])).code).toBe(0);
    expect((await run(['eval', join(ROOT, 'test', 'dev.jsonl'), '--min-answer-accuracy', '0.97'])).code).toBe(0);
  });

  it('exits non-zero for a floor no file can reach (1.01)', async ({ expect }) => {
    const r = await run(['eval', join(ROOT, 'test', 'dev.jsonl'), '--min-answer-accuracy', '1.01']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.length).toBeGreaterThan(0);
  });

  it('prints the report as JSON with --json', async ({ expect }) => {
    const r = await run(['eval', half, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { total: number; answerAccuracy: number; misses: { line: number }[] };
    expect(report.total).toBe(2);
    expect(report.answerAccuracy).toBe(0.5);
    expect(report.misses.map((m) => m.line)).toEqual([2]);
  });

  it('exits 2 naming the line of a bad labelled file', async ({ expect }) => {
    const bad = file('bad.jsonl', '{"text":"a","intent":"other"}\n{"text":"b","intent":"greeting"}\n');
    const r = await run(['eval', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 2.intent');
  });

  it('exits 2 for a missing file or no file', async ({ expect }) => {
    const missing = await run(['eval', join(tmp, 'nope.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    expect((await run(['eval'])).code).toBe(2);
  });
});

describe.concurrent('icp-bot check, help and unknown commands', () => {
  it('check validates the data and prints a summary', async ({ expect }) => {
    const r = await run(['check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('31 provinces');
    expect(r.stdout).toMatch(/28 form links, 3 online routes/);
    expect(r.stdout).toMatch(/\d+ intents \(3 core\), \d+ examples/);
  });

  it('help prints the usage', async ({ expect }) => {
    const r = await run(['help']);
    expect(r.code).toBe(0);
    for (const cmd of ['ask', 'classify --jsonl', 'eval', 'check', 'report [--since 7d] [--html FILE] [--db PATH]'])
      expect(r.stdout).toContain(cmd);
  });

  it('an unknown command exits 2 with a message', async ({ expect }) => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(r.stdout).toBe('');
  });
});

describe.concurrent('icp-bot report', () => {
  // A month written through the question log, ending now, so the command's own clock covers it.
  const month = generateMonth({ end: Date.now() - 60_000, seed: 3 });
  const db = join(tmp, 'month.sqlite');
  let schema: TestSchema | null = null;
  beforeAll(async () => {
    const log = await openQuestionLog({ sqlitePath: db, retentionDays: 3650 });
    await writeMonth(log, month);
    await log.close();
    if (hasPostgres) {
      schema = await testSchema();
      const pg = await openQuestionLog({ databaseUrl: schema.url, retentionDays: 3650 });
      await writeMonth(pg, month);
      await pg.close();
    }
  }, 60_000);
  afterAll(async () => {
    await schema?.drop();
  });
  const total = (text: string) => Number(/Questions\s+([\d,]+)\n/.exec(text)?.[1]?.replace(/,/g, ''));

  it('prints the sections for the period, reading a SQLite file given with --db', async ({ expect }) => {
    const r = await run(['report', '--db', db, '--since', '31d']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(total(r.stdout)).toBe(month.length);
    for (const title of [
      'By day (UTC)',
      'By intent',
      'By province',
      'By surface',
      'Top unanswered questions',
      'Slowest answers',
    ])
      expect(r.stdout).toContain(`\n${title}`);
    expect(r.stdout).toMatch(/Fallback\s+[\d,]+\s+\d+\.\d% of questions/);
    expect(r.stdout).toMatch(/Not helpful\s+[\d,]+\s+\d+\.\d% of [\d,]+ rated/);
  });

  it('looks back 7 days by default', async ({ expect }) => {
    const from = Date.now() - 7 * DAY_MS;
    const r = await run(['report', '--db', db]);
    expect(r.code).toBe(0);
    expect(total(r.stdout)).toBeLessThan(month.length);
    // Every UTC day from the first question of the 7 days to today: 8 days, or 7 when the run is
    // late enough in the UTC day that the first, partial day holds no question.
    const first = Math.min(...month.filter((q) => q.at >= from).map((q) => q.at));
    const utcDay = (t: number) => Date.parse(new Date(t).toISOString().slice(0, 10));
    const days = (utcDay(Date.now()) - utcDay(first)) / DAY_MS + 1;
    expect(days).toBeGreaterThanOrEqual(7);
    expect(r.stdout.match(/^ {2}\d{4}-\d{2}-\d{2} /gm)?.length).toBe(days);
  });

  it('--html writes a page with Chart.js inlined and the data', async ({ expect }) => {
    const page = join(tmp, 'report.html');
    const r = await run(['report', '--db', db, '--since', '31d', '--html', page]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote ${page}`);
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(/\* Chart\.js v4\.\d+\.\d+/);
    expect(html).toContain('<canvas id="by-day">');
    expect(html).toContain(`"total":${month.length},`);
    expect(html).not.toMatch(/<script[^>]+src=/);
  });

  it('reads PostgreSQL when DATABASE_URL is set, or from --db', async ({ expect }) => {
    if (!schema) return;
    const fromEnv = await run(['report', '--since', '31d'], '', { DATABASE_URL: schema.url });
    expect(fromEnv.stderr).toBe('');
    expect(total(fromEnv.stdout)).toBe(month.length);
    expect(fromEnv.stdout).toContain('Question log report: postgresql://127.0.0.1:5432/');
    const fromArg = await run(['report', '--since', '31d', '--db', schema.url]);
    expect(fromArg.stdout.split('\n').slice(2)).toEqual(fromEnv.stdout.split('\n').slice(2));
  });

  it('exits 2 for a log that is not there, and creates nothing', async ({ expect }) => {
    const missing = join(tmp, 'no-such-dir', 'questions.sqlite');
    const r = await run(['report', '--db', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no question log at ${missing}`);
    expect(existsSync(join(tmp, 'no-such-dir'))).toBe(false);
    const fromSetting = await run(['report'], '', { QUESTION_DB: missing });
    expect(fromSetting.code).toBe(2);
    expect(fromSetting.stderr).toContain(`no question log at ${missing}`);
  });

  it('exits 2 for bad options and settings, never echoing a password', async ({ expect }) => {
    const since = await run(['report', '--db', db, '--since', 'yesterday']);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since takes a duration or a date');
    const unknown = await run(['report', '--db', db, '--format', 'csv']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('report takes --since, --html, --db and --json');
    const noValue = await run(['report', '--html']);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toContain('--html needs a value');
    const bad = await run(['report'], '', { DATABASE_URL: 'mysql://root:hunter2@db/icp' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
    const down = await run(['report'], '', { DATABASE_URL: 'postgresql://icp:hunter2@127.0.0.1:1/icp' });
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('question log at postgresql://127.0.0.1:1/icp');
    expect(down.stderr).toContain('ECONNREFUSED');
    expect(bad.stderr + down.stderr).not.toContain('hunter2');
  });
});

describe('icp-bot label and training export', () => {
  const db = join(tmp, 'label.sqlite');
  let schema: TestSchema | null = null;
  const missed = {
    ref: 'EvCliMiss',
    team: 'T1',
    channel: 'C1',
    surface: 'dm' as const,
    lang: 'zh' as const,
    intent: 'fallback',
    province: null,
    confidence: 0.1,
    outcome: 'fallback' as const,
    latencyMs: 5,
    text: '备案怎么撤 138-1234-5678',
  };
  beforeAll(async () => {
    const log = await openQuestionLog({ sqlitePath: db });
    log.record(missed);
    await log.close();
    if (hasPostgres) {
      schema = await testSchema();
      const pg = await openQuestionLog({ databaseUrl: schema.url });
      pg.record(missed);
      await pg.close();
    }
  });
  afterAll(async () => {
    await schema?.drop();
  });

  it('offers a missed question with its ref, labels it, then exports it as training and no longer offers it', async ({
    expect,
  }) => {
    const envs: Record<string, string>[] = [{ QUESTION_DB: db }, ...(schema ? [{ DATABASE_URL: schema.url }] : [])];
    for (const env of envs) {
      const offered = await run(['training', 'export', '--unlabelled'], '', env);
      expect(offered.stderr).toBe('');
      expect(JSON.parse(offered.stdout)).toMatchObject({
        ref: 'EvCliMiss',
        text: '备案怎么撤 [phone]',
        why: ['fallback', 'low_confidence'],
      });
      const refused = await run(['label', 'EvCliMiss', 'deregister', 'narnia'], '', env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^icp-bot: unknown province "narnia"; the provinces are: anhui, .*zhejiang\n$/);
      const labelled = await run(['label', 'EvCliMiss', 'deregister', 'shanghai'], '', { ...env, USER: 'lin' });
      expect(labelled).toMatchObject({ code: 0, stdout: 'labelled EvCliMiss: deregister, shanghai (by lin)\n' });
      const training = await run(['training', 'export'], '', env);
      expect(training.stdout.split('\n')[1]).toBe(
        JSON.stringify({ text: '备案怎么撤 [phone]', intent: 'deregister', province: 'shanghai', kind: 'log' }),
      );
      expect((await run(['training', 'export', '--unlabelled'], '', env)).stdout).toBe('');
    }
  });
});
