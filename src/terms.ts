/**
 * Finds many Chinese terms in a text in one pass: terms are indexed by their first character, so
 * a 40,000-character message costs one map look-up per character, however many terms there are.
 */
export interface TermHit<T> {
  term: string;
  value: T;
  index: number;
}

export class TermIndex<T> {
  private readonly byFirst = new Map<number, { term: string; value: T }[]>();
  /** 1 where some term starts with that code unit: most characters are rejected without a map look-up. */
  private readonly starts = new Uint8Array(0x10000);

  constructor(entries: Iterable<readonly [string, T]>) {
    for (const [term, value] of entries) {
      if (!term) continue;
      const first = term.charCodeAt(0);
      this.starts[first] = 1;
      const list = this.byFirst.get(first) ?? [];
      list.push({ term, value });
      this.byFirst.set(first, list);
    }
    // Longest first, so the first hit at a position is the longest term there (马鞍山 before 鞍山).
    for (const list of this.byFirst.values()) list.sort((a, b) => b.term.length - a.term.length);
  }

  /**
   * The distinct values of every term that occurs, overlapping ones included: one pass, and no
   * work for a term whose value is already found (a term repeated 10,000 times costs no more).
   */
  values(text: string): Set<T> {
    const found = new Set<T>();
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.starts[c] === 0) continue;
      const list = this.byFirst.get(c);
      if (!list) continue;
      for (const e of list) if (!found.has(e.value) && text.startsWith(e.term, i)) found.add(e.value);
    }
    return found;
  }

  /** Every occurrence of every term, overlapping ones included (for small indexes: each hit is kept). */
  occurrences(text: string): TermHit<T>[] {
    const hits: TermHit<T>[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.starts[c] === 0) continue;
      for (const e of this.byFirst.get(c) ?? []) if (text.startsWith(e.term, i)) hits.push({ ...e, index: i });
    }
    return hits;
  }

  /** Leftmost-longest occurrences that do not overlap, as a reader would segment the text. */
  segments(text: string): TermHit<T>[] {
    const hits: TermHit<T>[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.starts[c] === 0) continue;
      const list = this.byFirst.get(c);
      if (!list) continue;
      for (const e of list) {
        if (!text.startsWith(e.term, i)) continue;
        hits.push({ ...e, index: i });
        i += e.term.length - 1;
        break;
      }
    }
    return hits;
  }
}
