/**
 * Simplified → Traditional for askers who wrote Traditional, with OpenCC's tables (opencc-js,
 * "cn" → "tw": 審核 and 公眾號 as Taiwan and Hong Kong readers write them; the phrase table
 * "twp" would turn 注销 into 登出). The answers are a fixed set of texts, so `npm run build`
 * converts them all once into dist/traditional.json: a running bot reads that, and loads OpenCC
 * (about 80 MB of tables) only for a text the build did not see.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BuildCache } from './build-cache.js';
import { hasHan } from './normalize.js';
import { ROOT } from '../paths.js';

const TRADITIONAL_PATH = join(ROOT, 'dist', 'traditional.json');

let convert: ((text: string) => string) | undefined;
const cache = new BuildCache(TRADITIONAL_PATH);

function openccConvert(text: string): string {
  convert ??= (
    createRequire(import.meta.url)('opencc-js/cn2t') as {
      Converter: (o: { from: string; to: string }) => (s: string) => string;
    }
  ).Converter({ from: 'cn', to: 'tw' });
  return convert(text);
}

export function toTraditional(text: string): string {
  return hasHan(text) ? cache.get(text, openccConvert) : text;
}

/** Converts `texts` now and writes every conversion to dist/traditional.json (a build step). */
export function saveTraditional(texts: Iterable<string>): number {
  for (const t of texts) toTraditional(t);
  return cache.save();
}
