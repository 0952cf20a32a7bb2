/**
 * The icp-bot command as users run it: `node dist/src/cli.js …` in a child process (vitest's
 * globalSetup builds dist/ first). Exit codes: 0 ok, 1 below a floor or bad input lines, 2 usage.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../src/paths.js';
import { registry } from '../src/registry.js';

const CLI = join(ROOT, 'dist', 'src', 'cli.js');

function run(args: string[], input = '') {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 15_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'icp-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('icp-bot ask', () => {
  it('prints the plain-text answer with the full URLs', () => {
    const r = run(['ask', 'how do I deregister my ICP filing in Zhejiang?']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Deregistering an ICP filing in Zhejiang');
    expect(r.stdout).toContain(registry().byId.get('zhejiang')!.deregistration.url);
    expect(r.stdout).toContain('https://beian.miit.gov.cn/#/Integrated/notice_list');
    expect(r.stdout).not.toContain('<');
    expect(r.stdout).not.toContain('&amp;');
  });

  it('joins several arguments into one question and answers Chinese in Chinese', () => {
    const r = run(['ask', '上海的备案', '怎么注销']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('上海');
    expect(r.stdout).toContain('https://beian.shca.gov.cn/');
  });

  it('asks for the province when none is given', () => {
    const r = run(['ask', 'how do I deregister my ICP filing']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Which province');
  });

  it('exits 2 with a usage message without a question', () => {
    const r = run(['ask']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ask needs a question/);
    expect(r.stdout).toBe('');
  });
});

describe('icp-bot classify --jsonl', () => {
  it('writes one line per input line, in order', () => {
    const input = jsonl([
      { text: 'deregister Zhejiang' },
      { text: 'I forgot the filing password' },
      { text: '我的备案号是多少' },
      { text: 'hello' },
      { text: '粤ICP备17012345号-2 注销' },
    ]);
    const r = run(['classify', '--jsonl'], input);
    expect(r.code).toBe(0);
    const out = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((o) => [o['intent'], o['province']])).toEqual([
      ['deregister', 'zhejiang'],
      ['forgot_password', null],
      ['lost_record_number', null],
      ['greeting', null],
      ['deregister', 'guangdong'],
    ]);
    for (const o of out) {
      expect(Object.keys(o).sort()).toEqual(['confidence', 'intent', 'province']);
      expect(o['confidence']).toBeGreaterThanOrEqual(0);
      expect(o['confidence']).toBeLessThanOrEqual(1);
    }
  });

  it('adds the candidates for an ambiguous province', () => {
    const r = run(['classify', '--jsonl'], jsonl([{ text: 'deregister Hobei' }]));
    expect(JSON.parse(r.stdout)).toMatchObject({ intent: 'deregister', province: null, candidates: ['hebei', 'hubei'] });
  });

  it('answers a bad line with an error object in its place and exits 1', () => {
    const input = ['{"text":"deregister Zhejiang"}', '{not json', '{"question":"no text field"}', '"just a string"', 'null', '{"text":"hello"}'].join('\n');
    const r = run(['classify', '--jsonl'], input);
    expect(r.code).toBe(1);
    const out = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(6);
    expect(out[0]).toMatchObject({ intent: 'deregister', province: 'zhejiang' });
    for (const [i, o] of out.slice(1, 5).entries()) {
      expect(o['error'], JSON.stringify(o)).toContain(`line ${i + 2}`);
      expect(o['intent']).toBeUndefined();
    }
    expect(out[5]).toMatchObject({ intent: 'greeting' });
  });

  it('handles many lines, CRLF endings and Unicode', () => {
    const texts = Array.from({ length: 2_000 }, (_, i) => (i % 2 ? `deregister Hebei ${i}` : `注销备案 湖北 ${i}`));
    const input = texts.map((t) => JSON.stringify({ text: t })).join('\r\n');
    const r = run(['classify', '--jsonl'], input);
    expect(r.code).toBe(0);
    const out = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { province: string });
    expect(out).toHaveLength(2_000);
    expect(out.every((o, i) => o.province === (i % 2 ? 'hebei' : 'hubei'))).toBe(true);
  });

  it('exits 2 without --jsonl', () => {
    const r = run(['classify'], '{"text":"hi"}\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--jsonl');
  });
});

describe('icp-bot eval', () => {
  // The bot gets the second line wrong on purpose: it is labelled forgot_password.
  const half = file(
    'half.jsonl',
    jsonl([
      { text: 'deregister Zhejiang', intent: 'deregister', province: 'zhejiang' },
      { text: 'deregister Zhejiang please', intent: 'forgot_password', province: null },
    ]),
  );

  it('prints the report with the misses and exits 0 without a floor', () => {
    const r = run(['eval', half]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 questions');
    expect(r.stdout).toMatch(/answer accuracy:\s+0\.500/);
    expect(r.stdout).toContain('confusion');
    expect(r.stdout).toContain('misses (1):');
    expect(r.stdout).toContain('line 2: expected forgot_password/-, got deregister/zhejiang');
  });

  it('exits 1 below --min-answer-accuracy and says so', () => {
    const r = run(['eval', half, '--min-answer-accuracy', '0.9']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('below the floor 0.9');
  });

  it('exits 0 at or above the floor', () => {
    expect(run(['eval', half, '--min-answer-accuracy', '0.5']).code).toBe(0);
    expect(run(['eval', join(ROOT, 'test', 'dev.jsonl'), '--min-answer-accuracy', '0.97']).code).toBe(0);
  });

  it('exits non-zero for a floor no file can reach (1.01)', () => {
    const r = run(['eval', join(ROOT, 'test', 'dev.jsonl'), '--min-answer-accuracy', '1.01']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.length).toBeGreaterThan(0);
  });

  it('prints the report as JSON with --json', () => {
    const r = run(['eval', half, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { total: number; answerAccuracy: number; misses: { line: number }[] };
    expect(report.total).toBe(2);
    expect(report.answerAccuracy).toBe(0.5);
    expect(report.misses.map((m) => m.line)).toEqual([2]);
  });

  it('exits 2 naming the line of a bad labelled file', () => {
    const bad = file('bad.jsonl', '{"text":"a","intent":"other"}\n{"text":"b","intent":"greeting"}\n');
    const r = run(['eval', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 2.intent');
  });

  it('exits 2 for a missing file or no file', () => {
    const missing = run(['eval', join(tmp, 'nope.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    expect(run(['eval']).code).toBe(2);
  });
});

describe('icp-bot check, help and unknown commands', () => {
  it('check validates the data and prints a summary', () => {
    const r = run(['check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('31 provinces');
    expect(r.stdout).toMatch(/28 form links, 3 online routes/);
    expect(r.stdout).toMatch(/\d+ intents \(3 core\), \d+ examples/);
  });

  it('help prints the usage', () => {
    const r = run(['help']);
    expect(r.code).toBe(0);
    for (const cmd of ['ask', 'classify --jsonl', 'eval', 'check']) expect(r.stdout).toContain(cmd);
  });

  it('an unknown command exits 2 with a message', () => {
    const r = run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(r.stdout).toBe('');
  });
});
