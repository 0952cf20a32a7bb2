import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildCache } from '../../src/understand/build-cache.js';

const path = () => join(mkdtempSync(join(tmpdir(), 'cache-')), 'cache.json');

describe('BuildCache', () => {
  it('computes a missing key once, then answers from the table', () => {
    const cache = new BuildCache(path());
    let calls = 0;
    const upper = (s: string) => (calls++, s.toUpperCase());
    expect(cache.get('ab', upper)).toBe('AB');
    expect(cache.get('ab', upper)).toBe('AB');
    expect(calls).toBe(1);
  });

  it('saves every entry sorted, and a new cache reads them without computing', () => {
    const file = path();
    const cache = new BuildCache(file);
    for (const k of ['b', 'a', 'c']) cache.get(k, (s) => s + s);
    expect(cache.save()).toBe(3);
    expect(readFileSync(file, 'utf8')).toBe('{"a":"aa","b":"bb","c":"cc"}');
    const again = new BuildCache(file);
    expect(again.get('b', () => 'computed')).toBe('bb');
  });

  it('computes everything when the file is damaged or missing', () => {
    const file = path();
    writeFileSync(file, '{"a": ');
    expect(new BuildCache(file).get('a', () => 'computed')).toBe('computed');
    expect(new BuildCache(file + '.missing').get('a', () => 'computed')).toBe('computed');
  });
});
