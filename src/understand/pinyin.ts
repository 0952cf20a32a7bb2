/**
 * Pinyin of the Chinese names and terms in data/ and intents/, from pinyin-pro. `npm run build`
 * saves every spelling the analyzer asked for in dist/pinyin.json, so a running bot reads them
 * instead of loading pinyin-pro's dictionaries (about 20 MB); a term missing there (data changed
 * since the build) is looked up with pinyin-pro, loaded on first need.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from '../paths.js';
import { BuildCache } from './build-cache.js';

const PINYIN_PATH = join(ROOT, 'dist', 'pinyin.json');

type PinyinFn = (text: string, opts: { toneType: 'symbol'; type: 'array' }) => string[];
let library: PinyinFn | undefined;
const cache = new BuildCache(PINYIN_PATH);

const pinyinLibrary = (): PinyinFn =>
  (library ??= (createRequire(import.meta.url)('pinyin-pro') as { pinyin: PinyinFn }).pinyin);

/** Toned pinyin, syllables separated by spaces: 陕西 → "shǎn xī". */
export function pinyinOf(zh: string): string {
  return cache.get(zh, (text) =>
    pinyinLibrary()(text, { toneType: 'symbol', type: 'array' }).join(' ').normalize('NFC'),
  );
}

/** Writes every spelling looked up so far (the build calls this after building the analyzer). */
export function savePinyin(): number {
  return cache.save();
}

const HOMOPHONES_PATH = join(ROOT, 'dist', 'homophones.json');

/**
 * Each CJK Unified Ideograph's syllable (its first reading), toned and toneless, for reading
 * typos by sound: 广洲 sounds like 广州 (guǎng zhōu), 秘码 like 密码 (mi ma).
 */
export interface Homophones {
  /** Syllable id + 1 of U+4E00 + i, with its tone; 0 when unknown. */
  toned: Uint16Array;
  /** The same without tones (mì and mí are one). */
  plain: Uint16Array;
}

const FIRST = 0x4e00;
const LAST = 0x9fff;
let homophones: Homophones | undefined;

/** The table from dist/homophones.json (written by the build), else computed with pinyin-pro now. */
export function homophoneTable(): Homophones {
  if (homophones) return homophones;
  let bySyllable: Record<string, string> | undefined;
  if (existsSync(HOMOPHONES_PATH)) {
    try {
      bySyllable = JSON.parse(readFileSync(HOMOPHONES_PATH, 'utf8')) as Record<string, string>;
    } catch {
      bySyllable = undefined;
    }
  }
  bySyllable ??= computeHomophones();
  const tonedIds = new Map<string, number>();
  const plainIds = new Map<string, number>();
  const toned = new Uint16Array(LAST - FIRST + 1);
  const plain = new Uint16Array(LAST - FIRST + 1);
  for (const s of Object.keys(bySyllable).sort()) {
    const t = tonedIds.get(s) ?? tonedIds.set(s, tonedIds.size + 1).get(s)!;
    const bare = stripTones(s);
    const p = plainIds.get(bare) ?? plainIds.set(bare, plainIds.size + 1).get(bare)!;
    for (const ch of bySyllable[s]!) {
      toned[ch.charCodeAt(0) - FIRST] = t;
      plain[ch.charCodeAt(0) - FIRST] = p;
    }
  }
  return (homophones = { toned, plain });
}

const stripTones = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');

/** toned syllable → every character read that way, from pinyin-pro. */
function computeHomophones(): Record<string, string> {
  const library = pinyinLibrary();
  const out: Record<string, string> = {};
  for (let c = FIRST; c <= LAST; c++) {
    const ch = String.fromCharCode(c);
    const p = library(ch, { toneType: 'symbol', type: 'array' })[0]?.normalize('NFC');
    if (!p || !/^[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+$/.test(p)) continue;
    out[p] = (out[p] ?? '') + ch;
  }
  return out;
}

/** Writes the homophone table (a build step). */
export function saveHomophones(): number {
  const table = computeHomophones();
  writeFileSync(HOMOPHONES_PATH, JSON.stringify(table));
  return Object.keys(table).length;
}

/** The syllable id of a character, toned or not (0 when not a CJK ideograph the table knows). */
export function syllableId(table: Homophones, code: number, tones = false): number {
  return code >= FIRST && code <= LAST ? (tones ? table.toned : table.plain)[code - FIRST]! : 0;
}
