/**
 * Typo correction: the edit distance (with transpositions) has the last word, ties are reported,
 * short words are never corrected, and the cache stays bounded.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULTS, type Defaults } from '../../src/defaults.js';
import { editDistance, TypoCorrector } from '../../src/understand/fuzzy.js';

describe('editDistance', () => {
  it('is Levenshtein plus adjacent transpositions', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('sichaun', 'sichuan')).toBe(1); // one transposition
    expect(editDistance('zhejang', 'zhejiang')).toBe(1);
    expect(editDistance('deregestration', 'deregistration')).toBe(1);
  });

  it('is symmetric', () => {
    for (const [a, b] of [
      ['hebei', 'hubei'],
      ['shanxi', 'shaanxi'],
      ['guangdong', 'guangxi'],
      ['ab', 'ba'],
    ] as const) {
      expect(editDistance(a, b)).toBe(editDistance(b, a));
    }
  });

  it('stops early above max but never reports a distance at or below max wrongly', () => {
    expect(editDistance('abcdef', 'uvwxyz', 1)).toBeGreaterThan(1);
    expect(editDistance('hebei', 'hubei', 1)).toBe(1);
  });
});

/** DEFAULTS with some values changed (its type has the default values as literal types). */
const withOptions = (o: Partial<Record<keyof Defaults, number>>) => ({ ...DEFAULTS, ...o }) as Defaults;

describe('TypoCorrector', () => {
  const vocab = [
    'deregistration',
    'deregister',
    'zhejiang',
    'sichuan',
    'hebei',
    'hubei',
    'henan',
    'hunan',
    'hainan',
    'log',
  ];
  const c = new TypoCorrector(vocab);

  it('corrects one edit below nine letters and two from nine', () => {
    expect(c.correct('zhejang')).toEqual({ words: ['zhejiang'], distance: 1 });
    expect(c.correct('sichaun')).toEqual({ words: ['sichuan'], distance: 1 });
    expect(c.correct('deregestration')).toEqual({ words: ['deregistration'], distance: 1 });
    expect(c.correct('deregestratin')).toEqual({ words: ['deregistration'], distance: 2 });
    // Eight letters: two edits are too many.
    expect(c.correct('zhajang')).toBeNull();
  });

  it('reports every word at the smallest distance when the typo sits between them', () => {
    expect(c.correct('hobei')?.words.sort()).toEqual(['hebei', 'hubei']);
    expect(c.correct('hinan')?.words.sort()).toEqual(['hainan', 'henan', 'hunan']);
  });

  it('returns an exact word at distance 0', () => {
    expect(c.correct('hebei')).toEqual({ words: ['hebei'], distance: 0 });
  });

  it('never corrects words shorter than fuzzyMinLength, and drops short vocabulary', () => {
    expect(DEFAULTS.fuzzyMinLength).toBe(4);
    expect(c.correct('lgo')).toBeNull();
    expect(c.correct('logg')).toBeNull(); // "log" is below the minimum length, so not a target
  });

  it('ignores absurdly long words', () => {
    expect(c.correct('z'.repeat(41))).toBeNull();
  });

  it('returns null when nothing is close', () => {
    expect(c.correct('banana')).toBeNull();
  });

  it('returns the same answer from its cache, and keeps the cache bounded', () => {
    const small = new TypoCorrector(vocab, withOptions({ fuzzyCacheSize: 2 }));
    const first = small.correct('zhejang');
    expect(small.correct('zhejang')).toEqual(first);
    for (const w of ['aaaa', 'bbbb', 'cccc', 'dddd']) small.correct(w);
    expect(small.correct('zhejang')).toEqual({ words: ['zhejiang'], distance: 1 });
  });

  it('follows the options it is given', () => {
    const strict = new TypoCorrector(vocab, withOptions({ fuzzyTwoEditsFrom: 100 }));
    expect(strict.correct('deregestratin')).toBeNull();
    const short = new TypoCorrector(['hebei'], withOptions({ fuzzyMinLength: 6 }));
    expect(short.correct('hebai')).toBeNull();
  });
});
