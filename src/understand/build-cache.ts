import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * A text → text table that `npm run build` writes once into dist/ and a running bot reads, so a
 * large library (pinyin-pro, OpenCC) is loaded only for a text the build did not see.
 */
export class BuildCache {
  private known: Map<string, string> | undefined;

  constructor(private readonly path: string) {}

  /** The cached value, else `compute(key)`, kept for the next call and for `save`. */
  get(key: string, compute: (key: string) => string): string {
    const table = this.table();
    let value = table.get(key);
    if (value === undefined) table.set(key, (value = compute(key)));
    return value;
  }

  /** Writes every entry looked up or computed so far, sorted (a build step); returns how many. */
  save(): number {
    const table = this.table();
    const sorted = [...table].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    writeFileSync(this.path, JSON.stringify(Object.fromEntries(sorted)));
    return table.size;
  }

  private table(): Map<string, string> {
    if (this.known) return this.known;
    this.known = new Map();
    if (existsSync(this.path)) {
      try {
        const saved = JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, string>;
        for (const [k, v] of Object.entries(saved)) this.known.set(k, v);
      } catch {
        // A damaged file only costs the library being loaded.
      }
    }
    return this.known;
  }
}
