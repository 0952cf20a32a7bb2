/**
 * Finds the province a question is about: from an ICP record number's first character (the
 * authority), a Chinese province or city name, or an English / pinyin name or city, exact first and
 * then with a typo. Near pairs (Shanxi/Shaanxi, Hebei/Hubei, …) are never guessed: an exact name
 * wins, and a typo as close to one as to the other is reported as ambiguous.
 */
import type { Province } from './registry.js';
import type { TypoCorrector } from './fuzzy.js';
import { countHan, englishKey } from './normalize.js';
import { TermIndex } from './terms.js';

export interface PlaceIndex {
  /** Normalised English/pinyin key (no spaces, hyphens, apostrophes) → province ids and whether it is a province name. */
  en: Map<string, { ids: string[]; level: Level }>;
  /** Every prefix of every English key: a word that is none cannot start a place name. */
  enPrefixes: Set<string>;
  /** Chinese province and city names. */
  zh: TermIndex<{ ids: string[]; level: Level }>;
  /** Record-number character → province id. */
  icpPrefix: Map<string, string>;
  /** The English keys of one word, for typo correction. */
  vocabulary: string[];
  /** Tone-marked spellings that decide between near pairs → the plain key they stand for. */
  tonedSpellings: [string, string][];
}

type Level = 'province' | 'city';

export interface PlaceFinding {
  province: string | null;
  candidates: string[];
  recordNumber: string | null;
  /** Han characters that belong to places or record numbers (not the asker's own words). */
  placeHan: number;
  /** Latin words that are place names (not the asker's own words). */
  placeWords: number;
  /** Whether a place was named at all (even if ambiguous). */
  found: boolean;
}

export { englishKey };
const isAscii = (s: string) => /^[\x00-\x7f]*$/.test(s);

export function buildPlaceIndex(provinces: readonly Province[]): PlaceIndex {
  const en = new Map<string, { ids: string[]; level: Level }>();
  const zh = new Map<string, { ids: string[]; level: Level }>();
  const icpPrefix = new Map<string, string>();
  const tonedSpellings: [string, string][] = [];
  const add = (map: typeof en, key: string, id: string, level: Level) => {
    const entry = map.get(key);
    if (!entry) map.set(key, { ids: [id], level });
    else if (level === 'province' && entry.level === 'city') map.set(key, { ids: [id], level });
    else if (level === entry.level && !entry.ids.includes(id)) entry.ids.push(id);
  };
  for (const p of provinces) {
    for (const n of [p.name.en, p.pinyin, p.id, ...p.aliasesEn]) {
      if (isAscii(n)) add(en, englishKey(n), p.id, 'province');
      else tonedSpellings.push([n.normalize('NFC').toLowerCase(), englishKey(p.pinyin)]);
    }
    for (const n of [p.name.zh, ...p.aliasesZh]) add(zh, n, p.id, 'province');
    for (const c of p.cities) {
      add(zh, c.zh, p.id, 'city');
      if (c.en) add(en, englishKey(c.en), p.id, 'city');
    }
    for (const c of p.icpPrefix) icpPrefix.set(c, p.id);
  }
  const enPrefixes = new Set<string>();
  for (const key of en.keys()) for (let i = 1; i <= key.length; i++) enPrefixes.add(key.slice(0, i));
  return {
    en,
    enPrefixes,
    zh: new TermIndex(zh),
    icpPrefix,
    vocabulary: [...en.keys()],
    // Longest first, so "shǎn xī" is replaced before a shorter spelling inside it.
    tonedSpellings: tonedSpellings.sort((a, b) => b[0].length - a[0].length),
  };
}

// 浙ICP备12345678号-1, 京icp备2021123456号, 粤 ICP 备 17012345 号 - 2 (after lower-casing); the
// prefix alone ("still under 陕ICP备") tells the province too. Sticky: tried only where "icp" is.
const RECORD_NUMBER_AT = /(\p{Script=Han})\s*icp\s*备(?:\s*[:：]?\s*(\d{4,12})\s*号?(?:\s*-\s*(\d{1,3}))?)?/uy;

/** Record numbers in the text, found from each "icp" rather than by a regex tried at every position. */
function recordNumbers(text: string): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  let from = 0;
  for (let k = text.indexOf('icp', from); k >= 0; k = text.indexOf('icp', from)) {
    let start = k - 1;
    while (start >= 0 && text.charCodeAt(start) === 32) start--;
    from = k + 3;
    if (start < 0) continue;
    RECORD_NUMBER_AT.lastIndex = start;
    const m = RECORD_NUMBER_AT.exec(text);
    if (!m) continue;
    from = start + m[0].length;
    found.push(m);
  }
  return found;
}

interface Hit {
  ids: string[];
  level: Level | 'record';
  fuzzy: boolean;
  /** Preceded by "not" / "不是": named to be excluded ("Hebei, not Hubei"). */
  negated?: boolean;
}

export interface Negations {
  en: ReadonlySet<string>;
  zh: readonly string[];
}

export function findPlaces(
  text: string,
  words: readonly string[],
  index: PlaceIndex,
  corrector: TypoCorrector,
  isKnownWord: (w: string) => boolean,
  fuzzy: { maxWords: number; minLength: number },
  negations: Negations,
): PlaceFinding {
  let placeHan = 0;
  let placeWords = 0;
  let recordNumber: string | null = null;
  const hits: Hit[] = [];

  for (const m of recordNumbers(text)) {
    const id = index.icpPrefix.get(m[1]!);
    placeHan += countHan(m[0]);
    if (recordNumber === null && m[2]) recordNumber = `${m[1]}ICP备${m[2]}号${m[3] ? '-' + m[3] : ''}`;
    if (id) hits.push({ ids: [id], level: 'record', fuzzy: false });
  }

  for (const m of index.zh.segments(text)) {
    const entry = m.value;
    placeHan += m.term.length;
    const before = text.slice(Math.max(0, m.index - 6), m.index).replace(/[\s\p{P}]/gu, '');
    const negated = negations.zh.some((n) => before.endsWith(n));
    hits.push({ ids: entry.ids, level: entry.level, fuzzy: false, negated });
  }

  // English: one, two and three words joined ("zhe jiang", "inner mongolia", "xi an").
  const used = new Set<number>();
  for (let i = 0; i < words.length; i++) {
    // Grow the key word by word while it can still begin a name; keep the longest that is one.
    let key = '';
    let entry: { ids: string[]; level: Level } | undefined;
    let n = 0;
    for (let k = 0; k < 3 && i + k < words.length; k++) {
      key += words[i + k]!;
      if (!index.enPrefixes.has(key)) break;
      const found = index.en.get(key);
      if (found) [entry, n] = [found, k + 1];
    }
    if (!entry) continue;
    const negated = [words[i - 1], words[i - 2], (words[i - 2] ?? '') + (words[i - 1] ?? '')].some((w) => w !== undefined && negations.en.has(w));
    hits.push({ ids: entry.ids, level: entry.level, fuzzy: false, negated });
    for (let k = i; k < i + n; k++) used.add(k);
    placeWords += n;
    i += n - 1;
  }

  // Typos, only where nothing exact was found: an exact name always beats a near one.
  if (hits.length === 0) {
    let tried = 0;
    for (let i = 0; i < words.length && tried < fuzzy.maxWords; i++) {
      const w = words[i]!;
      if (used.has(i) || w.length < fuzzy.minLength || isKnownWord(w) || /\d/.test(w)) continue;
      tried++;
      const fix = corrector.correct(w);
      if (!fix) continue;
      // A typo as close to a province as to a city means the province ("Xinjang": Xinjiang, not Xinyang).
      const places = fix.words.filter((k) => index.en.has(k));
      const provinceKeys = places.filter((k) => index.en.get(k)!.level === 'province');
      const keys = provinceKeys.length ? provinceKeys : places;
      const ids = [...new Set(keys.flatMap((k) => index.en.get(k)!.ids))];
      const level = provinceKeys.length ? 'province' : 'city';
      if (ids.length > 0) {
        hits.push({ ids, level, fuzzy: true });
        placeWords++;
      }
    }
  }

  // Negated places drop out: "deregister, not Hubei" must not answer Hubei.
  const named = hits.filter((h) => !h.negated);
  return { ...decide(named), recordNumber, placeHan, placeWords, found: named.length > 0 };
}

/**
 * A record number beats province names, which beat cities; more than one province left is
 * ambiguous, unless a city settles it ("Shanxi or Shaanxi? the customer is in Taiyuan").
 */
function decide(hits: Hit[]): { province: string | null; candidates: string[] } {
  if (hits.length === 0) return { province: null, candidates: [] };
  if (hits.length === 1 && hits[0]!.ids.length === 1) return { province: hits[0]!.ids[0]!, candidates: [] };
  const at = (level: Hit['level']) => [...new Set(hits.filter((h) => h.level === level).flatMap((h) => h.ids))];
  const cities = at('city');
  for (const level of ['record', 'province', 'city'] as const) {
    const ids = at(level);
    if (ids.length === 1) return { province: ids[0]!, candidates: [] };
    if (ids.length > 1) {
      const settled = level === 'city' ? [] : ids.filter((id) => cities.includes(id));
      return settled.length === 1 ? { province: settled[0]!, candidates: [] } : { province: null, candidates: ids };
    }
  }
  return { province: null, candidates: [] };
}
