/**
 * Chinese terms found by how they sound: a typo typed with the same pinyin input (备按号 for
 * 备案号, 广洲 for 广州). Each character becomes its syllable; a stretch of text whose syllables
 * are a term's, but whose characters are not, is that term misspelt. Place names compare tones
 * too (附件 fù jiàn is not 福建 fú jiàn).
 */
import { syllableId, type Homophones } from './pinyin.js';

export interface SoundHit<T> {
  value: T;
  index: number;
  length: number;
}

export class SoundIndex<T> {
  private readonly keys = new Map<string, T[]>();
  /** Syllables that start some term: most characters start nothing. */
  private readonly firsts = new Set<number>();
  /** The terms as written: a stretch that is one is no typo (it was read as itself). */
  private readonly exact = new Set<string>();
  private longest = 0;

  constructor(
    private readonly table: Homophones,
    entries: Iterable<readonly [string, T]>,
    private readonly tones: boolean,
  ) {
    for (const [term, value] of entries) {
      if (!/^\p{Script=Han}{2,}$/u.test(term)) continue;
      const ids = [...term].map((ch) => syllableId(table, ch.charCodeAt(0), tones));
      if (ids.includes(0)) continue;
      const key = ids.join(',');
      const list = this.keys.get(key) ?? [];
      if (!list.includes(value)) list.push(value);
      this.keys.set(key, list);
      this.exact.add(term);
      this.firsts.add(ids[0]!);
      this.longest = Math.max(this.longest, ids.length);
    }
  }

  /** Every misspelt term in the text (each a stretch that sounds like one and is not one). */
  find(text: string): SoundHit<T>[] {
    const hits: SoundHit<T>[] = [];
    for (let i = 0; i < text.length; i++) {
      const first = syllableId(this.table, text.charCodeAt(i), this.tones);
      if (first === 0 || !this.firsts.has(first)) continue;
      let key = String(first);
      for (let n = 2; n <= this.longest && i + n <= text.length; n++) {
        const id = syllableId(this.table, text.charCodeAt(i + n - 1), this.tones);
        if (id === 0) break;
        key += `,${id}`;
        const values = this.keys.get(key);
        if (!values || this.exact.has(text.slice(i, i + n))) continue;
        for (const value of values) hits.push({ value, index: i, length: n });
      }
    }
    return hits;
  }
}
