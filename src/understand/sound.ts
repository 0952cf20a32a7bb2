/**
 * Chinese terms found by how they sound: a typo typed with the same pinyin input (备按号 for
 * 备案号, 广洲 for 广州). Each character becomes its syllable; a stretch of text whose syllables
 * are a term's, but whose characters are not, is that term misspelt. Place names compare tones
 * too (附件 fù jiàn is not 福建 fú jiàn).
 */
import { syllableId, type Homophones } from './pinyin.js';

interface SoundHit<T> {
  value: T;
  index: number;
  length: number;
}

/** A trie over syllable ids: each step one character's syllable. */
interface SoundNode<T> {
  next: Map<number, SoundNode<T>>;
  /** The terms that sound like the path to here. */
  values: T[];
}

export class SoundIndex<T> {
  private readonly root: SoundNode<T> = { next: new Map(), values: [] };
  /** The terms as written: a stretch that is one is no typo (it was read as itself). */
  private readonly exact = new Set<string>();

  constructor(
    private readonly table: Homophones,
    entries: Iterable<readonly [string, T]>,
    private readonly tones: boolean,
  ) {
    for (const [term, value] of entries) {
      if (!/^\p{Script=Han}{2,}$/u.test(term)) continue;
      const ids = [...term].map((ch) => syllableId(table, ch.charCodeAt(0), tones));
      if (ids.includes(0)) continue;
      let node = this.root;
      for (const id of ids) {
        let child = node.next.get(id);
        if (!child) node.next.set(id, (child = { next: new Map(), values: [] }));
        node = child;
      }
      if (!node.values.includes(value)) node.values.push(value);
      this.exact.add(term);
    }
  }

  /**
   * Every misspelt term in the text (each a stretch that sounds like one and is not one), at most
   * `limit`. Each position walks the trie only as far as some term's syllables go, so a flood of
   * one character costs one step a position.
   */
  find(text: string, limit = Infinity): SoundHit<T>[] {
    const hits: SoundHit<T>[] = [];
    for (let i = 0; i < text.length && hits.length < limit; i++) {
      let node = this.root;
      for (let n = 1; i + n <= text.length; n++) {
        const id = syllableId(this.table, text.charCodeAt(i + n - 1), this.tones);
        const child = id === 0 ? undefined : node.next.get(id);
        if (!child) break;
        node = child;
        if (n < 2 || node.values.length === 0 || this.exact.has(text.slice(i, i + n))) continue;
        for (const value of node.values) hits.push({ value, index: i, length: n });
      }
    }
    return hits;
  }
}
