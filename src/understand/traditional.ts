/**
 * Simplified → Traditional for askers who wrote Traditional, with OpenCC's tables (opencc-js,
 * "cn" → "tw": 審核 and 公眾號 as Taiwan and Hong Kong readers write them; the phrase table
 * "twp" would turn 注销 into 登出). The answers are a fixed set of texts, so `npm run build`
 * converts them all once into dist/traditional.json: a running bot reads that, and loads OpenCC
 * (about 80 MB of tables) only for a text the build did not see.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { hasHan } from './normalize.js';
import { ROOT } from '../paths.js';

export const TRADITIONAL_PATH = join(ROOT, 'dist', 'traditional.json');

let convert: ((text: string) => string) | undefined;
let known: Map<string, string> | undefined;

function cache(): Map<string, string> {
  if (known) return known;
  known = new Map();
  if (existsSync(TRADITIONAL_PATH)) {
    try {
      for (const [k, v] of Object.entries(JSON.parse(readFileSync(TRADITIONAL_PATH, 'utf8')) as Record<string, string>))
        known.set(k, v);
    } catch {
      // A damaged file only costs OpenCC being loaded.
    }
  }
  return known;
}

export function toTraditional(text: string): string {
  if (!hasHan(text)) return text;
  const c = cache();
  let t = c.get(text);
  if (t === undefined) {
    convert ??= (
      createRequire(import.meta.url)('opencc-js/cn2t') as {
        Converter: (o: { from: string; to: string }) => (s: string) => string;
      }
    ).Converter({ from: 'cn', to: 'tw' });
    t = convert(text);
    c.set(text, t);
  }
  return t;
}

/** Whether OpenCC had to be loaded (a text the build did not convert). */
export const openccLoaded = (): boolean => convert !== undefined;

/** Converts `texts` now and writes every conversion to dist/traditional.json (a build step). */
export function saveTraditional(texts: Iterable<string>): number {
  for (const t of texts) toTraditional(t);
  const c = cache();
  writeFileSync(
    TRADITIONAL_PATH,
    JSON.stringify(Object.fromEntries([...c].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))),
  );
  return c.size;
}
