/**
 * understand() does work linear in its input, on inputs made to find the opposite (bench/
 * adversarial.ts: floods of `<@`, `<!|`, `<http:`, province names, ICP备, one Han character,
 * invisible marks, lone surrogates, and random mixes of them). Work is the process's CPU time
 * for the same input at n and at 2n characters: the ratio, not any absolute time, is asserted
 * (≤ 2.5; a quadratic step gives about 4). The absolute figure is the benchmark's (npm run bench).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADVERSARIAL, flood } from '../../bench/adversarial.js';
import { understand } from '../../src/understand/understand.js';

const N = 12_000;

/** CPU microseconds for `reps` runs of understand(text). */
function cpu(text: string, reps: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < reps; i++) understand(text);
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/**
 * The smaller of a few measured ratios: a linear step can be slowed by the machine once, a
 * quadratic one is slow every time.
 */
function growth(make: (n: number) => string): number {
  understand(make(N)); // warm: the first run compiles and fills caches
  let best = Infinity;
  for (let attempt = 0; attempt < 4 && best > 2.5; attempt++) {
    const small = cpu(make(N), 8);
    const large = cpu(make(2 * N), 8);
    best = Math.min(best, large / Math.max(small, 1));
  }
  return best;
}

describe('understand() is linear in its input', () => {
  it.each(Object.entries(ADVERSARIAL))('%s: 2n characters cost at most 2.5× n', (_name, unit) => {
    expect(growth((n) => flood(unit, n))).toBeLessThanOrEqual(2.5);
  });

  it('random mixes of the adversarial pieces, too', () => {
    const units = Object.values(ADVERSARIAL);
    const mix = fc.array(fc.constantFrom(...units), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(mix, (unit) => growth((n) => flood(unit, n)) <= 2.5),
      { numRuns: 12, seed: 20261129 },
    );
  });

  it('a quadratic step would fail this measure (the check is not blind)', () => {
    // Rescanning to the end from every '<', as the old markup stripping did.
    const quadratic = (text: string) => {
      let n = 0;
      for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) n += text.slice(i).indexOf('>');
      return n;
    };
    const measure = (text: string) => {
      const start = process.cpuUsage();
      for (let i = 0; i < 8; i++) quadratic(text);
      const u = process.cpuUsage(start);
      return u.user + u.system;
    };
    measure(flood('<@', N));
    // The larger of a few ratios: a busy machine can blur one measurement, not all of them.
    let ratio = 0;
    for (let attempt = 0; attempt < 4 && ratio <= 2.5; attempt++) {
      ratio = Math.max(ratio, measure(flood('<@', 2 * N)) / Math.max(measure(flood('<@', N)), 1));
    }
    expect(ratio).toBeGreaterThan(2.5);
  });
});
