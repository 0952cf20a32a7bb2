/**
 * The evaluation: metrics checked by hand on a tiny labelled list with a fake understander, the
 * parser's errors, and the misses of the real understander on every labelled set, pinned.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../src/errors.js';
import { EVAL_LABELS, evaluate, formatReport, parseLabelled, toLabel, type LabelledQuestion } from '../src/eval.js';
import { ROOT } from '../src/paths.js';
import type { Action, Understanding } from '../src/types.js';
import { understand } from '../src/understand/understand.js';

/** A fake understander: each text says what it is understood as. */
function fake(table: Record<string, [string, string | null]>): (t: string) => Understanding {
  return (text) => {
    const [intent, province] = table[text] ?? ['fallback', null];
    return {
      text,
      intent,
      province,
      confidence: 0.5,
      confirm: false,
      candidates: [],
      recordNumber: null,
      kind: null,
      lang: 'en',
      traditional: false,
    };
  };
}

const q = (text: string, intent: LabelledQuestion['intent'], province: string | null = null): LabelledQuestion => ({
  text,
  intent,
  province,
});

// Expected → predicted:
//   a dereg/zhejiang → dereg/zhejiang   right
//   b dereg/hebei    → dereg/hubei      intent right, province wrong
//   c dereg/-        → forgot_password  wrong intent (province null = null still counts right)
//   d passwd         → passwd           right
//   e passwd         → greeting (other) wrong
//   f number         → number           right
//   g other          → help (other)     right
//   h other          → dereg            wrong
const ROWS = [
  q('a', 'deregister', 'zhejiang'),
  q('b', 'deregister', 'hebei'),
  q('c', 'deregister'),
  q('d', 'forgot_password'),
  q('e', 'forgot_password'),
  q('f', 'lost_record_number'),
  q('g', 'other'),
  q('h', 'other'),
];
const UNDERSTAND = fake({
  a: ['deregister', 'zhejiang'],
  b: ['deregister', 'hubei'],
  c: ['forgot_password', null],
  d: ['forgot_password', null],
  e: ['greeting', null],
  f: ['lost_record_number', null],
  g: ['help', null],
  h: ['deregister', null],
});

describe('toLabel', () => {
  it('keeps the three core intents and maps every other intent to other', () => {
    expect(toLabel('deregister')).toBe('deregister');
    expect(toLabel('forgot_password')).toBe('forgot_password');
    expect(toLabel('lost_record_number')).toBe('lost_record_number');
    for (const i of ['greeting', 'thanks', 'help', 'public_security_filing', 'new_filing', 'fallback', 'anything'])
      expect(toLabel(i)).toBe('other');
  });
});

describe('evaluate on a hand-made list', () => {
  const r = evaluate(ROWS, UNDERSTAND);

  it('fills the confusion matrix (rows expected, columns predicted)', () => {
    expect(r.total).toBe(8);
    expect(r.confusion).toEqual({
      deregister: { deregister: 2, forgot_password: 1, lost_record_number: 0, other: 0 },
      forgot_password: { deregister: 0, forgot_password: 1, lost_record_number: 0, other: 1 },
      lost_record_number: { deregister: 0, forgot_password: 0, lost_record_number: 1, other: 0 },
      other: { deregister: 1, forgot_password: 0, lost_record_number: 0, other: 1 },
    });
  });

  it('computes precision, recall and F1 per intent', () => {
    // deregister: tp 2, predicted 3 (a, b, h), support 3 (a, b, c).
    expect(r.perIntent.deregister.precision).toBeCloseTo(2 / 3, 10);
    expect(r.perIntent.deregister.recall).toBeCloseTo(2 / 3, 10);
    expect(r.perIntent.deregister.f1).toBeCloseTo(2 / 3, 10);
    expect(r.perIntent.deregister.support).toBe(3);
    // forgot_password: tp 1, predicted 2 (c, d), support 2 (d, e).
    expect(r.perIntent.forgot_password).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(r.perIntent.lost_record_number).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    // other: tp 1 (g), predicted 2 (e, g), support 2 (g, h).
    expect(r.perIntent.other).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
  });

  it('averages F1 over the labels present', () => {
    expect(r.macroF1).toBeCloseTo((2 / 3 + 0.5 + 1 + 0.5) / 4, 10);
  });

  it('scores the province on deregister lines only', () => {
    expect(r.provinceTotal).toBe(3);
    expect(r.provinceAccuracy).toBeCloseTo(2 / 3, 10);
  });

  it('counts an answer right only when the intent and, for deregister, the province are right', () => {
    expect(r.answerAccuracy).toBe(4 / 8);
  });

  it('lists every miss with its 1-based line, expectation and result', () => {
    expect(r.misses.map((m) => m.line)).toEqual([2, 3, 5, 8]);
    expect(r.misses[0]).toEqual({
      line: 2,
      text: 'b',
      expected: { intent: 'deregister', province: 'hebei' },
      got: { intent: 'deregister', province: 'hubei', candidates: [], confidence: 0.5 },
    });
    expect(r.misses[2]!.got.intent).toBe('other');
  });

  it('ignores the province of a non-deregister line', () => {
    const r2 = evaluate([q('d', 'forgot_password', 'zhejiang')], UNDERSTAND);
    expect(r2.answerAccuracy).toBe(1);
    expect(r2.provinceTotal).toBe(0);
    expect(r2.provinceAccuracy).toBe(1);
  });

  it('reports an empty list as perfect rather than dividing by zero', () => {
    const r0 = evaluate([], UNDERSTAND);
    expect(r0).toMatchObject({ total: 0, answerAccuracy: 1, provinceAccuracy: 1, macroF1: 0, misses: [] });
    for (const l of EVAL_LABELS) expect(Number.isFinite(r0.perIntent[l].f1)).toBe(true);
  });

  it('gives a label that is predicted but never expected precision 0 and leaves it out of macro-F1', () => {
    const r3 = evaluate([q('h', 'other')], UNDERSTAND);
    expect(r3.perIntent.deregister).toEqual({ precision: 0, recall: 1, f1: 0, support: 0 });
    expect(r3.macroF1).toBe(0); // only `other` is present, with F1 0
  });
});

describe('evaluate by kind', () => {
  it('scores answer accuracy per kind, lines without one under "-"', () => {
    const rows = [
      { ...q('a', 'deregister', 'zhejiang'), kind: 'short' },
      { ...q('b', 'deregister', 'hebei'), kind: 'short' },
      q('d', 'forgot_password'),
    ];
    const r = evaluate(rows, UNDERSTAND);
    expect(r.byKind).toEqual({
      short: { total: 2, right: 1, answerAccuracy: 0.5 },
      '-': { total: 1, right: 1, answerAccuracy: 1 },
    });
    const text = formatReport(r, 'k.jsonl', { byKind: true });
    expect(text).toMatch(/answer accuracy by kind\n {2}- +1\.000 {2}\(1\/1\)\n {2}short +0\.500 {2}\(1\/2\)/);
    expect(formatReport(r, 'k.jsonl')).not.toContain('by kind');
  });
});

describe('evaluate: needs, topics and actions', () => {
  const made =
    (over: Partial<Understanding>) =>
    (text: string): Understanding => ({
      ...fake({})(text),
      ...over,
    });
  const rows: LabelledQuestion[] = [
    { ...q('two', 'forgot_password'), also: ['deregister'] },
    { ...q('two, one found', 'forgot_password'), also: ['deregister', 'other'] },
    q('one', 'forgot_password'),
    { ...q('moving', 'other'), topic: 'switch_provider' },
    { ...q('invoice', 'other'), topic: 'unrelated' },
  ];
  const read: Record<string, Partial<Understanding>> = {
    two: { intent: 'forgot_password', also: [{ intent: 'deregister', province: 'anhui' }] },
    'two, one found': { intent: 'forgot_password', also: [{ intent: 'deregister', province: null }] },
    one: { intent: 'forgot_password', also: [{ intent: 'fees', province: null }] },
    moving: { intent: 'deregister', confidence: 0.99 },
    invoice: { intent: 'off_topic' },
  };
  const understandMade = (t: string) => made(read[t] ?? {})(t);
  const action = (u: Understanding): Action => (u.intent === 'deregister' ? 'ask_province' : 'answer');
  const r = evaluate(rows, understandMade, action);

  it('counts a two-need line found only when every need is', () => {
    expect(r.needs).toEqual({ found: 1, total: 2 });
  });

  it('counts another need found on a one-need line as a miss', () => {
    expect(r.spuriousAlso).toEqual({ count: 1, total: 3 });
  });

  it('scores the look-alike topic; an off-topic ask may be named as one', () => {
    expect(r.topics).toMatchObject({
      right: 1,
      total: 2,
      misses: [{ line: 4, topic: 'switch_provider', got: 'deregister' }],
    });
  });

  it('scores the topic of a side question beside a core need among the other needs', () => {
    const side: LabelledQuestion[] = [
      { ...q('dereg and fee', 'deregister'), also: ['other'], topic: 'fees' },
      { ...q('dereg, fee missed', 'deregister'), also: ['other'], topic: 'fees' },
      { ...q('fee as main', 'deregister'), also: ['other'], topic: 'fees' },
    ];
    const reads: Record<string, Partial<Understanding>> = {
      'dereg and fee': { intent: 'deregister', also: [{ intent: 'fees', province: null }] },
      'dereg, fee missed': { intent: 'deregister', also: [] },
      // The topic answered as the main ask of a deregistration line is not its side question answered.
      'fee as main': { intent: 'fees', also: [] },
    };
    const s = evaluate(side, (t) => made(reads[t] ?? {})(t), action);
    expect(s.topics).toMatchObject({
      right: 1,
      total: 3,
      misses: [
        { line: 2, topic: 'fees', got: '-' },
        { line: 3, topic: 'fees', got: '-' },
      ],
    });
  });

  it('counts answers given outright and wrongly, and the risk at each threshold', () => {
    expect(r.actions).toMatchObject({ answeredWrong: 1, askedBack: 0 });
    const at99 = r.riskCoverage.find((c) => c.threshold === 0.95)!;
    expect(at99).toEqual({ threshold: 0.95, answered: 1 / 5, wrong: 1 });
    expect(formatReport(r, 'x.jsonl')).toContain('answered outright and wrongly: 0.200 (1 of 5)');
  });

  it('reads also and topic, and names a bad one', () => {
    const ok = parseLabelled('{"text":"a","intent":"other","province":null,"also":["deregister"],"topic":"fees"}', 'f');
    expect(ok[0]).toMatchObject({ also: ['deregister'], topic: 'fees' });
    expect(() => parseLabelled('{"text":"a","intent":"other","province":null,"also":["nope"]}', 'f')).toThrow(
      /line 1\.also/,
    );
    expect(() => parseLabelled('{"text":"a","intent":"other","province":null,"topic":"Fees!"}', 'f')).toThrow(
      /line 1\.topic/,
    );
  });
});

describe('formatReport', () => {
  const text = formatReport(evaluate(ROWS, UNDERSTAND), 'tiny.jsonl');

  it('names the file and the count, and prints every figure', () => {
    expect(text).toContain('Evaluation of tiny.jsonl: 8 questions');
    for (const l of EVAL_LABELS) expect(text).toContain(l);
    expect(text).toMatch(/intent macro-F1:\s+0\.667/);
    expect(text).toMatch(/province accuracy:\s+0\.667 \(3 deregister questions\)/);
    expect(text).toMatch(/answer accuracy:\s+0\.500/);
    expect(text).toContain('confusion');
  });

  it('lists every miss with its line and what was expected and got', () => {
    expect(text).toContain('misses (4):');
    expect(text).toContain('line 2: expected deregister/hebei, got deregister/hubei');
    expect(text).toContain('line 8: expected other/-, got deregister/-');
  });
});

describe('parseLabelled', () => {
  it('reads text, intent and province, skipping blank lines', () => {
    const rows = parseLabelled(
      '{"text":"a","intent":"deregister","province":"zhejiang"}\n\n{"text":"b","intent":"other"}\n',
      'f.jsonl',
    );
    expect(rows).toEqual([q('a', 'deregister', 'zhejiang'), q('b', 'other', null)]);
    expect(parseLabelled('{"text":"c","intent":"other","province":null,"kind":"email"}', 'f.jsonl')).toEqual([
      { ...q('c', 'other'), kind: 'email' },
    ]);
  });

  it.each([
    ['not JSON', '{"text":"a","intent":"other"}\n\n{oops', 'line 3', 'not valid JSON'],
    ['text missing', '{"intent":"other"}', 'line 1.text', 'must be a string'],
    [
      'unknown intent',
      '{"text":"a","intent":"other"}\n{"text":"b","intent":"greeting"}',
      'line 2.intent',
      'must be one of',
    ],
    ['bad province', '{"text":"a","intent":"deregister","province":3}', 'line 1.province', 'province id or null'],
    ['bad kind', '{"text":"a","intent":"other","kind":"Two Places"}', 'line 1.kind', 'lowercase word'],
  ])('names the line and the reason: %s', (_name, input, field, reason) => {
    let err: unknown;
    try {
      parseLabelled(input, 'bad.jsonl');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    const d = err as DataError;
    expect(d.file).toBe('bad.jsonl');
    expect(d.field).toBe(field);
    expect(d.reason).toContain(reason);
    expect(d.message).toContain(`bad.jsonl: ${field}`);
  });
});

/**
 * Every labelled set's misses, pinned: a reviewed snapshot per set (test/misses/), so any change in
 * what is missed — one more, one fewer, a different answer — shows in the diff and must be looked at.
 * The blind sets are frozen as written; their scores are in docs/evaluation.md.
 */
describe('what the real understander misses, set by set', () => {
  const sets = [
    'test/dev.jsonl',
    'test/holdout.jsonl',
    ...readdirSync(join(ROOT, 'test', 'blind'))
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .map((f) => `test/blind/${f}`),
  ];

  it.each(sets)('%s', async (file) => {
    const rows = parseLabelled(readFileSync(join(ROOT, file), 'utf8'), file);
    const r = evaluate(rows, understand);
    const lines = [
      `${file}: ${rows.length} questions, answer accuracy ${r.answerAccuracy.toFixed(3)}, intent macro-F1 ${r.macroF1.toFixed(3)}, province accuracy ${r.provinceAccuracy.toFixed(3)}`,
      ...r.misses.map(
        (m) =>
          `line ${m.line}: expected ${m.expected.intent}/${m.expected.province ?? '-'}, got ${m.got.intent}/${m.got.province ?? (m.got.candidates.join('|') || '-')}: ${JSON.stringify(m.text.slice(0, 120))}`,
      ),
    ];
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot(
      join(ROOT, 'test', 'misses', `${basename(file, '.jsonl')}.txt`),
    );
  });
});
