/**
 * The hostile-input checks of understand(), shared by the property and unit tests and by the
 * meta-test that proves they can fail: each runs on the understander it is given, through
 * `strict`, so an internal error (answered with the fallback and only counted) fails it too.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { registry } from '../../src/answer/registry.js';
import type { Understanding } from '../../src/types.js';
import { understandErrors, type Understander } from '../../src/understand/understand.js';

const IDS = registry().provinces.map((p) => p.id);
const ID_SET = new Set(IDS);

/** The understander, failing where it failed inside (the user got the fallback, the test must not pass). */
export function strict(understand: Understander): Understander {
  return (text) => {
    const before = understandErrors();
    const u = understand(text);
    if (understandErrors() !== before) throw new Error('understand() failed inside and answered with the fallback');
    return u;
  };
}

const char = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCharCode(c));
export const loneSurrogate = char(0xd800, 0xdfff);
/** Low surrogates alone never pair into a character. */
const lowSurrogate = char(0xdc00, 0xdfff);
export const control = fc.oneof(
  char(0, 0x1f),
  char(0x7f, 0x9f),
  fc.constantFrom('\u200b', '\u200d', '\u202e', '\u2028', '\ufeff', '\u2060'),
);
const slack = fc.constantFrom(
  '<@U123>',
  '<@U1|bob>',
  '<#C1|general>',
  '<!here>',
  '<!channel>',
  '<http://a.cn|a.cn>',
  '<https://x.cn/?a=1&amp;b=2>',
  '&amp;',
  '&lt;',
  '&gt;',
  '<',
  '>',
  '|',
  '*',
  '_',
  '`',
  '<@',
  '<#C1|',
  '<http://',
);
const cjk = fc.constantFrom(
  '浙江',
  '注销',
  '备案',
  '陕西',
  '山西',
  '河北，不是湖北',
  '粤ICP备17012345号-2',
  '蜀ICP备',
  '註銷備案',
  '廣東',
  '密码',
  '备案号',
  '公安备案',
  '马鞍山',
  '上海东',
);
const words = fc.constantFrom(
  'deregister',
  'deregestration',
  'zhejang',
  'hobei',
  'not',
  'password',
  'forgot',
  'record number',
  'filing',
  'cancel',
  'Shǎnxī',
  'Zhe Jiang',
  "Xi'an",
  'icp',
  'hello',
  'thanks',
);
export const emoji = fc.constantFrom('😀', '🇨🇳', '👍🏽', '👩‍💻', '🎉');
const separator = fc.constantFrom(' ', '', '\n', '，', '\t', '  ');

const fragment = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: loneSurrogate }),
  fc.string({ unit: control }),
  slack,
  cjk,
  words,
  emoji,
);
/** A message built from hostile fragments. */
export const hostile = fc
  .array(fc.tuple(fragment, separator), { maxLength: 30 })
  .map((parts) => parts.map(([f, s]) => f + s).join(''));
/** A few very long messages, beyond Slack's 40,000 characters. */
export const huge = fc
  .tuple(fragment, fc.integer({ min: 2_000, max: 60_000 }))
  .map(([f, n]) => (f || 'x').repeat(Math.ceil(n / Math.max(f.length, 1))));

export function checkShape(u: Understanding, input: string): void {
  expect(u.text).toBe(input);
  expect(typeof u.intent).toBe('string');
  expect(u.intent.length).toBeGreaterThan(0);
  expect(u.confidence).toBeGreaterThanOrEqual(0);
  expect(u.confidence).toBeLessThanOrEqual(1);
  expect(u.province === null || ID_SET.has(u.province)).toBe(true);
  for (const c of u.candidates) expect(ID_SET.has(c)).toBe(true);
  if (u.province !== null) expect(u.candidates).toEqual([]);
  expect(u.candidates.length === 0 || u.candidates.length >= 2).toBe(true);
  expect(['en', 'zh']).toContain(u.lang);
  expect(u.kind === null || ['entity', 'site', 'access'].includes(u.kind)).toBe(true);
  expect(typeof u.confirm).toBe('boolean');
  if (u.recordNumber !== null) expect(u.recordNumber).toMatch(/^\p{Script=Han}ICP备\d+号(-\d+)?$/u);
}

/** Named property checks over an understander; each fails if it throws, misreads or fails inside. */
export function understandingChecks(understand: Understander): Record<string, () => void> {
  const u = strict(understand);
  // Low surrogates only: a high one beside a low one is a real character, and some (CJK
  // compatibility ideographs such as U+2F8xx) normalise to a province's abbreviation (晉, 贛).
  const noise = fc
    .array(
      fc.oneof(
        emoji,
        fc.string({ unit: lowSurrogate }),
        fc.string({ unit: control }),
        fc.constantFrom('<@U123>', '<!here>', '!', '?', '...', '（', '）', '  '),
      ),
      {
        maxLength: 20,
      },
    )
    .map((xs) => xs.join(''));
  return {
    'never throws and always returns a valid shape': () =>
      fc.assert(
        fc.property(hostile, (s) => void checkShape(u(s), s)),
        { numRuns: 300 },
      ),
    'copes with very long messages': () =>
      fc.assert(
        fc.property(huge, (s) => void checkShape(u(s), s)),
        { numRuns: 15 },
      ),
    'is deterministic (the typo cache does not change answers)': () =>
      fc.assert(
        fc.property(hostile, (s) => void expect(u(s)).toEqual(u(s))),
        { numRuns: 100 },
      ),
    'is not distracted by noise that carries no words': () =>
      fc.assert(
        fc.property(noise, (n) => {
          const r = u(`deregister Zhejiang ${n}`);
          expect([r.intent, r.province]).toEqual(['deregister', 'zhejiang']);
        }),
        { numRuns: 200 },
      ),
  };
}

/** Inputs that have broken text handling elsewhere, some not even strings. */
export const HOSTILE_INPUTS: [string, unknown][] = [
  ['empty', ''],
  ['spaces', '   \n\t '],
  ['emoji only', '😀🎉🇨🇳👍🏽'],
  ['100 KB', 'deregister Zhejiang '.repeat(5_200)],
  ['100 KB of Chinese', '浙江注销备案'.repeat(17_000)],
  ['control characters', '\u0000\u0001\u0002\u001b[31m\u007f\u0085\u2028\u2029'],
  ['lone surrogates', '\ud800 deregister \udfff zhejiang \ud83d'],
  ['unbalanced Slack markup', '<@ <# <! <http:// | > &amp &lt'],
  ['regex metacharacters', '.*+?^${}()|[]\\ 注销(备案) [Zhejiang]'],
  ['a long single word', 'x'.repeat(60_000)],
  ['undefined', undefined],
  ['null', null],
  ['a number', 42],
  ['an object', { text: 'deregister Zhejiang' }],
];

/** One hostile input: a valid shape, reached without an internal error. */
export function checkHostileInput(understand: Understander, input: unknown): void {
  const r = strict(understand)(input as string);
  expect(typeof r.intent).toBe('string');
  expect(r.intent.length).toBeGreaterThan(0);
  expect(r.confidence).toBeGreaterThanOrEqual(0);
  expect(r.confidence).toBeLessThanOrEqual(1);
  expect(r.province === null || ID_SET.has(r.province)).toBe(true);
  for (const c of r.candidates) expect(ID_SET.has(c)).toBe(true);
  expect(['en', 'zh']).toContain(r.lang);
}
