/**
 * Typo correction for single words ("deregestration", "zhejang", "sichaun"). fuse.js finds the
 * candidates; an edit distance with transpositions has the last word, so that score quirks of a
 * fuse.js version cannot change which word is chosen, and ties are reported rather than guessed.
 */
import Fuse from 'fuse.js';
import { DEFAULTS, type Defaults } from '../defaults.js';

interface Correction {
  /** Every vocabulary word at the smallest distance (two or more when the typo sits between them). */
  words: string[];
  distance: number;
}

export class TypoCorrector {
  /**
   * One small fuse.js index per first letter: a typo rarely hits the first letter, and searching
   * a few dozen words instead of the whole vocabulary keeps a miss cheap.
   */
  private readonly buckets = new Map<string, { fuse: Fuse<string>; lengths: Set<number> }>();
  private readonly cache = new Map<string, Correction | null>();

  constructor(
    vocabulary: Iterable<string>,
    private readonly options: Defaults = DEFAULTS,
  ) {
    const groups = new Map<string, string[]>();
    for (const w of new Set(vocabulary)) {
      if (w.length < options.fuzzyMinLength) continue;
      groups.set(w[0]!, [...(groups.get(w[0]!) ?? []), w]);
    }
    for (const [first, words] of groups) {
      const fuse = new Fuse(words, {
        includeScore: true,
        threshold: options.fuseThreshold,
        ignoreLocation: true,
        isCaseSensitive: true,
        minMatchCharLength: 2,
      });
      this.buckets.set(first, { fuse, lengths: new Set(words.map((w) => w.length)) });
    }
  }

  /** The closest vocabulary words within the allowed distance, or null. Results are cached. */
  correct(word: string): Correction | null {
    if (word.length < this.options.fuzzyMinLength || word.length > 40) return null;
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const result = this.search(word);
    if (this.cache.size >= this.options.fuzzyCacheSize) this.cache.clear();
    this.cache.set(word, result);
    return result;
  }

  private search(word: string): Correction | null {
    const allowed = word.length >= this.options.fuzzyTwoEditsFrom ? 2 : 1;
    const bucket = this.buckets.get(word[0]!);
    if (!bucket) return null;
    let lengthFits = false;
    for (let d = -allowed; d <= allowed && !lengthFits; d++) lengthFits = bucket.lengths.has(word.length + d);
    if (!lengthFits) return null;
    let best: Correction | null = null;
    for (const { item } of bucket.fuse.search(word)) {
      if (Math.abs(item.length - word.length) > allowed) continue;
      const d = editDistance(word, item, allowed);
      if (d > allowed) continue;
      if (!best || d < best.distance) best = { words: [item], distance: d };
      else if (d === best.distance && !best.words.includes(item)) best.words.push(item);
    }
    return best;
  }
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), stopping early
 * once every path exceeds `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  const n = a.length;
  const m = b.length;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return rowMin;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}
