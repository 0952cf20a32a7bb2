/**
 * Finds many Chinese terms in a text in one pass: terms are indexed by their first character, so
 * a 40,000-character message costs one map look-up per character, however many terms there are.
 */
interface TermHit<T> {
  term: string;
  value: T;
  index: number;
}

interface TermNode<T> {
  next: Map<number, TermNode<T>> | null;
  /** The terms that end here (one term may carry several values). */
  entries: { term: string; value: T }[];
}

/**
 * A trie over code units: at each position of a text the walk goes only as deep as some term
 * matches, so the cost is the text's length times the longest match there, not the number of terms.
 */
export class TermIndex<T> {
  private readonly root: TermNode<T> = { next: new Map(), entries: [] };
  /** 1 where some term starts with that code unit: most characters are passed over without a map look-up. */
  private readonly starts = new Uint8Array(0x10000);

  constructor(entries: Iterable<readonly [string, T]>) {
    for (const [term, value] of entries) {
      if (!term) continue;
      this.starts[term.charCodeAt(0)] = 1;
      let node = this.root;
      for (let i = 0; i < term.length; i++) {
        const c = term.charCodeAt(i);
        node.next ??= new Map();
        let child = node.next.get(c);
        if (!child) node.next.set(c, (child = { next: null, entries: [] }));
        node = child;
      }
      node.entries.push({ term, value });
    }
  }

  /**
   * The distinct values of every term that occurs, overlapping ones included: one pass, each
   * position walking the trie only as far as some term matches.
   */
  values(text: string): Set<T> {
    const found = new Set<T>();
    const first = this.root.next!;
    for (let i = 0; i < text.length; i++) {
      if (this.starts[text.charCodeAt(i)] === 0) continue;
      let node = first.get(text.charCodeAt(i));
      for (let k = i + 1; node; k++) {
        for (const e of node.entries) found.add(e.value);
        if (!node.next || k >= text.length) break;
        node = node.next.get(text.charCodeAt(k));
      }
    }
    return found;
  }

  /** Every occurrence of every term, overlapping ones included, longest first at each position. */
  occurrences(text: string): TermHit<T>[] {
    const hits: TermHit<T>[] = [];
    const first = this.root.next!;
    const here: TermNode<T>[] = [];
    for (let i = 0; i < text.length; i++) {
      if (this.starts[text.charCodeAt(i)] === 0) continue;
      let node = first.get(text.charCodeAt(i));
      if (!node) continue;
      here.length = 0;
      for (let k = i + 1; node; k++) {
        if (node.entries.length > 0) here.push(node);
        if (!node.next || k >= text.length) break;
        node = node.next.get(text.charCodeAt(k));
      }
      for (let d = here.length - 1; d >= 0; d--)
        for (const e of here[d]!.entries) hits.push({ term: e.term, value: e.value, index: i });
    }
    return hits;
  }

  /** Leftmost-longest occurrences that do not overlap, as a reader would segment the text. */
  segments(text: string): TermHit<T>[] {
    const hits: TermHit<T>[] = [];
    const first = this.root.next!;
    for (let i = 0; i < text.length; i++) {
      if (this.starts[text.charCodeAt(i)] === 0) continue;
      let node = first.get(text.charCodeAt(i));
      let longest: { term: string; value: T } | undefined;
      for (let k = i + 1; node; k++) {
        if (node.entries.length > 0) longest = node.entries[0];
        if (!node.next || k >= text.length) break;
        node = node.next.get(text.charCodeAt(k));
      }
      if (!longest) continue;
      hits.push({ term: longest.term, value: longest.value, index: i });
      i += longest.term.length - 1;
    }
    return hits;
  }
}
