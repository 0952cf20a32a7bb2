import { describe, expect, it } from 'vitest';
import { DEDUPE_TTL_MS, SeenKeys } from '../../src/slack/dedupe.js';

describe('SeenKeys', () => {
  it('reports a key seen within the TTL, and keeps it at least 6 minutes by default', () => {
    let now = 0;
    const seen = new SeenKeys({ now: () => now });
    expect(DEDUPE_TTL_MS).toBeGreaterThanOrEqual(6 * 60 * 1000);
    expect(seen.checkAndAdd('Ev1')).toBe(false);
    now = 6 * 60 * 1000;
    expect(seen.checkAndAdd('Ev1')).toBe(true);
    expect(seen.checkAndAdd('Ev2')).toBe(false);
  });

  it('forgets keys after the TTL and evicts them', () => {
    let now = 0;
    const seen = new SeenKeys({ ttlMs: 1000, now: () => now });
    seen.checkAndAdd('a');
    seen.checkAndAdd('b');
    now = 1500;
    expect(seen.checkAndAdd('a')).toBe(false);
    expect(seen.size).toBe(1); // b evicted on the way
  });

  it('stays bounded under a flood, dropping the oldest first', () => {
    const seen = new SeenKeys({ maxKeys: 100, now: () => 0 });
    for (let i = 0; i < 1000; i++) seen.checkAndAdd(`k${i}`);
    expect(seen.size).toBe(100);
    expect(seen.checkAndAdd('k999')).toBe(true);
    expect(seen.checkAndAdd('k0')).toBe(false);
  });
});
