/**
 * Finds the province of the filing a question is about: from an ICP record number (the
 * authority), a Chinese province, city or county name, a one-character abbreviation standing alone
 * or beside a filing word (浙, 粤备案), an English or pinyin name or city (toned pinyin decides
 * between 山西 Shānxī and 陕西 Shǎnxī), Latin initials beside a filing word (zj, gd), and typos.
 * With two places, the filing's wins: "filed in X / the X administration" over "now in / servers
 * in Y". Near pairs and names several places share (Suzhou, "hb", "Shan xi") are never guessed.
 */
import { editDistance, type TypoCorrector } from './fuzzy.js';
import { charBetween, charCodes, countHan, englishKey } from './normalize.js';
import type { Division, Province } from '../answer/registry.js';
import type { Homophones } from './pinyin.js';
import { SoundIndex } from './sound.js';
import { TermIndex } from './terms.js';

export type Level = 'province' | 'city' | 'county';
const LEVELS: readonly Level[] = ['province', 'city', 'county'];

interface EnEntry {
  id: string;
  level: Level;
  /** An English name or alias of the data (not only generated pinyin): "Shanxi" is 山西's name. */
  named: boolean;
  /** The toned pinyin without spaces ("shǎnxī"), for names read from Chinese; else null. */
  toned: string | null;
}

interface PlaceIndex {
  /** englishKey of a name (no case, spaces, hyphens, apostrophes) → every place it may be. */
  en: Map<string, EnEntry[]>;
  /** Chinese names; null marks a word that is not a place though it contains one (新增, 京东). */
  zh: TermIndex<{ ids: string[]; level: Level } | null>;
  /** One-character names (京, 沪, 川, 蜀) → province. */
  abbreviations: Map<string, string>;
  /** Latin initials (zj, gd, hlj, and big cities' gz, sz) → provinces. */
  initials: Map<string, string[]>;
  /** Record-number character → province id. */
  icpPrefix: Map<string, string>;
  /** The English keys a typo may be corrected to: provinces and their main cities. */
  vocabulary: string[];
  /** Each province's own English keys ("hebei", "hopeh"): how far a typo is from a near twin. */
  provinceKeys: Map<string, string[]>;
  /** Province and prefecture names by their toned sound, for Chinese typos (广洲, 福键); null without a table. */
  sound: SoundIndex<{ ids: string[]; level: Level }> | null;
  /** Words of the asker's (the lexicon's Chinese terms): a sound typo never takes a character of one ("那取消" is not 那曲). */
  words: TermIndex<unknown> | null;
}

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
  /**
   * The candidates are filings, one each (two record numbers, or "one filed in X, the other in Y"),
   * not readings of one ambiguous name: the asker may want them all.
   */
  filings: boolean;
  /** [start, end) of every place name and record number in the text, in order. */
  spans: [number, number][];
}

export { englishKey };
/** No place name is longer than this many letters joined ("innermongolia"): longer joins are not tried. */
const MAX_KEY = 24;
const isAscii = (s: string) => /^[\x00-\x7f]*$/.test(s);
const stripTones = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');
const isHanCode = (c: number) => (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf);
/** Suffixes a division's bare name is read without (杭州市 → 杭州, 延边朝鲜族自治州 → 延边). */
const DIVISION_SUFFIX = /(?:(?:[\u4e00-\u9fff]{1,6}?族)*(?:自治州|自治县|自治旗)|地区|林区|特区|市|盟|州|县|区|旗)$/u;

interface IndexOptions {
  notPlaces: readonly string[];
  cityInitials: Readonly<Record<string, readonly string[]>>;
  divisions: readonly Division[];
  /** Pinyin for a Chinese name, syllables with tone marks separated by spaces. */
  pinyin: (zh: string) => string;
  /** English words a generated pinyin key must not be ("nan" is a word, not a place). */
  isEnglishWord: (w: string) => boolean;
  /** Characters' syllables, for names typed with the wrong character of the same sound. */
  homophones?: Homophones | null;
  /** Chinese words that are words, not misspelt places: the lexicon's own index of its terms. */
  words?: TermIndex<unknown>;
}

/** The maps of a PlaceIndex being filled, with the rules for adding to them. */
class IndexBuilder {
  readonly en = new Map<string, EnEntry[]>();
  readonly zh = new Map<string, { ids: string[]; level: Level }>();
  readonly icpPrefix = new Map<string, string>();
  readonly abbreviations = new Map<string, string>();
  readonly initials = new Map<string, string[]>();
  readonly vocabulary = new Set<string>();
  readonly notPlaces: ReadonlySet<string>;

  constructor(readonly opts: IndexOptions) {
    this.notPlaces = new Set(opts.notPlaces);
  }

  addEn(key: string, e: EnEntry): void {
    const list = this.en.get(key) ?? [];
    const same = list.find((x) => x.id === e.id && x.level === e.level);
    if (!same) list.push({ ...e });
    else {
      // The same place by its English name and by its pinyin: one entry that is both.
      same.named ||= e.named;
      same.toned ??= e.toned;
    }
    this.en.set(key, list);
  }

  /** A curated English name, which typos may also be corrected to. */
  addNamed(name: string, id: string, level: Level): void {
    const key = englishKey(name);
    if (!isAscii(key)) return;
    this.addEn(key, { id, level, named: true, toned: null });
    this.vocabulary.add(key);
  }

  addZh(name: string, id: string, level: Level): void {
    if (this.notPlaces.has(name)) return;
    const entry = this.zh.get(name);
    if (!entry || LEVELS.indexOf(level) < LEVELS.indexOf(entry.level)) this.zh.set(name, { ids: [id], level });
    else if (entry.level === level && !entry.ids.includes(id)) entry.ids.push(id);
  }

  /**
   * A Chinese name's pinyin as a key ("hángzhōu"), unless it is too short, or an English or
   * lexicon word that no curated name already made a place ("beian" is a word, "suzhou" a city).
   */
  addPinyin(spelled: string, id: string, level: Level, minLength: number, typo: boolean): void {
    const toned = spelled.replace(/\s+/g, '').normalize('NFC');
    const key = englishKey(stripTones(toned));
    if (key.length < minLength || !/^[a-z]+$/.test(key) || (this.opts.isEnglishWord(key) && !this.en.has(key))) return;
    this.addEn(key, { id, level, named: false, toned });
    if (typo) this.vocabulary.add(key);
  }

  addInitials(key: string, ids: readonly string[]): void {
    this.initials.set(key, [...new Set([...(this.initials.get(key) ?? []), ...ids])]);
  }
}

export function buildPlaceIndex(provinces: readonly Province[], opts: IndexOptions): PlaceIndex {
  const b = new IndexBuilder(opts);
  // Curated names first (data/provinces.yaml), so generated pinyin can tell a place from a word.
  for (const p of provinces) addCurated(b, p);
  for (const [key, ids] of Object.entries(opts.cityInitials)) b.addInitials(key, ids);
  for (const p of provinces) {
    for (const n of [p.name.zh, ...p.aliasesZh]) b.addPinyin(opts.pinyin(n), p.id, 'province', 4, false);
    for (const c of p.cities) b.addPinyin(opts.pinyin(c.zh), p.id, 'city', 4, false);
  }
  addDivisions(b, opts.divisions);

  const zhEntries: [string, { ids: string[]; level: Level } | null][] = [
    ...b.zh.entries(),
    ...[...b.notPlaces].map((w) => [w, null] as [string, null]),
  ];
  // By sound: provinces and prefectures only (counties are too many to guess between).
  const sounded = [...b.zh.entries()].filter(([name, e]) => e.level !== 'county' && name.length >= 2);
  const sound = opts.homophones ? new SoundIndex(opts.homophones, sounded, true) : null;
  const provinceKeys = new Map<string, string[]>();
  for (const [key, entries] of b.en)
    for (const e of entries)
      if (e.level === 'province') provinceKeys.set(e.id, [...(provinceKeys.get(e.id) ?? []), key]);
  return {
    en: b.en,
    provinceKeys,
    zh: new TermIndex(zhEntries),
    abbreviations: b.abbreviations,
    initials: b.initials,
    icpPrefix: b.icpPrefix,
    vocabulary: [...b.vocabulary],
    sound,
    words: opts.words ?? null,
  };
}

/** A province of data/provinces.yaml: its names, cities, abbreviations, record prefixes and initials. */
function addCurated(b: IndexBuilder, p: Province): void {
  for (const n of [p.name.en, p.pinyin, p.id, ...p.aliasesEn]) b.addNamed(n, p.id, 'province');
  for (const n of [p.name.zh, ...p.aliasesZh]) b.addZh(n, p.id, 'province');
  for (const c of p.cities) {
    b.addZh(c.zh, p.id, 'city');
    if (c.en) b.addNamed(c.en, p.id, 'city');
  }
  for (const c of p.icpPrefix) b.icpPrefix.set(c, p.id);
  for (const c of [...p.abbr, ...p.icpPrefix]) b.abbreviations.set(c, p.id);
  b.addInitials(
    b.opts
      .pinyin(p.name.zh)
      .split(/\s+/)
      .map((x) => stripTones(x)[0])
      .join(''),
    [p.id],
  );
}

/** Every prefecture and county of China: full names always, bare names where they are safe. */
function addDivisions(b: IndexBuilder, divisions: readonly Division[]): void {
  const bareCount = new Map<string, number>();
  const bare = (d: Division) => d.zh.replace(DIVISION_SUFFIX, '');
  for (const d of divisions) bareCount.set(bare(d), (bareCount.get(bare(d)) ?? 0) + 1);
  for (const d of divisions) {
    const level: Level = d.level === 'prefecture' ? 'city' : 'county';
    if (d.zh.length >= 3) b.addZh(d.zh, d.province, level);
    const name = bare(d);
    if (b.notPlaces.has(name)) continue;
    // A county-level city's bare name (义乌, 昆山) only where no other division shares it.
    const bareOk = name.length >= 2 && (d.level === 'prefecture' || (d.zh.endsWith('市') && bareCount.get(name) === 1));
    if (!bareOk) continue;
    b.addZh(name, d.province, level);
    // The bare name's syllables are the first of the full name's (one per character).
    const spelled = d.pinyin.split(' ').slice(0, name.length).join(' ');
    b.addPinyin(spelled, d.province, level, d.level === 'prefecture' ? 4 : 5, d.level === 'prefecture');
  }
}

// 浙ICP备12345678号-1, 京icp备2021123456号, 粤 ICP 备 17012345 号 - 2 (after lower-casing); the
// prefix alone ("still under 陕ICP备") tells the province too. Sticky: tried only where "icp" is.
const RECORD_NUMBER_AT = /(\p{Script=Han})\s*icp\s*备(?:\s*[:：]?\s*(\d{4,12})\s*号?(?:\s*-\s*(\d{1,3}))?)?/uy;

/** Record numbers in the text (at most `max`), found from each "icp" rather than by a regex tried at every position. */
function recordNumbers(text: string, max: number): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  let from = 0;
  for (let k = text.indexOf('icp', from); k >= 0 && found.length < max; k = text.indexOf('icp', from)) {
    let start = k - 1;
    while (start >= from && text.charCodeAt(start) === 32) start--;
    from = k + 3;
    if (start < 0 || start < k - 8) continue;
    RECORD_NUMBER_AT.lastIndex = start;
    const m = RECORD_NUMBER_AT.exec(text);
    if (!m) continue;
    from = start + m[0].length;
    found.push(m);
  }
  return found;
}

/** Whose place a name is: the filing's ("filed in X"), somewhere else ("servers in Y"), or unsaid. */
type Role = 'filed' | 'neutral' | 'elsewhere';

/** What the words around a place say of it. */
interface PlaceContext {
  role: Role;
  negated: boolean;
  parallel: boolean;
  /** "the Ningxia one", "河北那个", "only Hunan": the one of several places the message picks. */
  chosen?: boolean;
}

interface Hit {
  ids: string[];
  level: Level | 'record';
  role: Role;
  fuzzy: boolean;
  /** Preceded by "not" / "不是": named to be excluded ("Hebei, not Hubei"). */
  negated: boolean;
  /** Preceded by "the other (one) in" / "另一个在": whose it is, as the place before it. */
  parallel?: boolean;
  /** "the Ningxia one", "河北那个", "only Hunan": picked among the places named. */
  chosen?: boolean;
  /** Where it is in the text. */
  span: [number, number];
}

/** Words around a place that say whose it is, from intents/lexicon.yaml. */
export interface PlaceCues {
  negation: { en: ReadonlySet<string>; zh: readonly string[] };
  /** "filed in", "registered with" before a place; "administration", "filing" after it. */
  filed: {
    before: ReadonlySet<string>;
    after: ReadonlySet<string>;
    zhBefore: readonly string[];
    zhAfter: readonly string[];
  };
  /** "now in", "servers in", "moved to" before a place; "now" after it ("we're in Chongqing now"). */
  elsewhere: { before: ReadonlySet<string>; after: ReadonlySet<string>; zhBefore: readonly string[] };
  /** "the other (one) in", "另一个在" before a place: the second of two of the same kind ("one filed in X, the other in Y"). */
  parallel: { before: ReadonlySet<string>; zhBefore: readonly string[] };
  /** "only", "just the" before a place, "one" after it; 只想注销 before, 那个 after: the one picked among several. */
  chosen: {
    before: ReadonlySet<string>;
    after: ReadonlySet<string>;
    zhBefore: readonly string[];
    zhAfter: readonly string[];
  };
  /** Words that make initials a place ("zj dereg", "gd beian"). */
  isFilingWord: (w: string) => boolean;
  /** Chinese terms a one-character abbreviation may stand beside (备案, 注销, 管局). */
  zhFilingTerms: readonly string[];
  /** The same, indexed for the check beside each character. */
  beside: BesideTerms;
}

interface FindOptions {
  corrector: TypoCorrector;
  isKnownWord: (w: string) => boolean;
  maxTypoWords: number;
  minTypoLength: number;
  /** Places after this many are not read: the first ones decide, and a flood costs no more. */
  maxPlaces: number;
  cues: PlaceCues;
  /** Each province's near twins (data/provinces.yaml nearPairs): Shanxi ↔ Shaanxi, Hebei ↔ Hubei… */
  near?: ReadonlyMap<string, readonly string[]>;
  /** The message says it holds several filings ("两个备案", "both filings", 各有一个): each place named may be one. */
  severalFilings?: boolean;
}

/** What a search has found so far; each pass below adds to it. */
interface Scan {
  readonly text: string;
  readonly words: readonly string[];
  readonly wordSpans: readonly (readonly [number, number])[];
  readonly index: PlaceIndex;
  readonly o: FindOptions;
  hits: Hit[];
  spans: [number, number][];
  /** Characters read as a place or as a word that is not one (新增, 京东): no abbreviation or typo inside. */
  covered: Uint8Array;
  /** Latin words that are part of a place name. */
  used: Set<number>;
  placeHan: number;
  placeWords: number;
  recordNumber: string | null;
}

const full = (s: Scan) => s.hits.length >= s.o.maxPlaces;

function addHit(s: Scan, hit: Omit<Hit, 'role' | 'negated'>, context: PlaceContext): void {
  s.hits.push({ ...hit, ...context });
  s.spans.push(hit.span);
}

export function findPlaces(
  text: string,
  words: readonly string[],
  wordSpans: readonly (readonly [number, number])[],
  tonedWords: readonly string[] | null,
  index: PlaceIndex,
  o: FindOptions,
): PlaceFinding {
  const s: Scan = {
    text,
    words,
    wordSpans,
    index,
    o,
    hits: [],
    spans: [],
    covered: new Uint8Array(text.length),
    used: new Set(),
    placeHan: 0,
    placeWords: 0,
    recordNumber: null,
  };
  scanRecordNumbers(s);
  scanChineseNames(s);
  scanAbbreviations(s);
  scanEnglishNames(s, tonedWords);
  // Typos, only where nothing exact was found, or only places said to be elsewhere ("tianjing company,
  // office now in beijing"): an exact name always beats a near one of the same standing.
  const noneYet = () => s.hits.every((h) => h.role === 'elsewhere');
  if (noneYet()) scanSoundTypos(s);
  if (noneYet()) scanSpellingTypos(s);

  inheritListRoles(text, s.hits);
  // Negated places drop out: "deregister, not Hubei" must not answer Hubei.
  const named = s.hits.filter((h) => !h.negated);
  if (o.near) settleNearTwins(text, named, o.near);
  s.spans.sort((a, b) => a[0] - b[0]);
  return {
    ...decide(named, o.severalFilings ?? false),
    recordNumber: s.recordNumber,
    placeHan: s.placeHan,
    placeWords: s.placeWords,
    found: named.length > 0,
    spans: s.spans,
  };
}

/**
 * "Shanxi (Xi'an)", "Xi'an, Shanxi": a province in Latin letters right beside a city of its near
 * twin (and none of its own) is the twin misspelt (Xi'an is in Shaanxi), so the city settles it.
 * Only right beside: "filed in Guangxi, staff in Guangzhou" names two places.
 */
function settleNearTwins(text: string, hits: Hit[], near: ReadonlyMap<string, readonly string[]>): void {
  const own = new Set(hits.filter((h) => h.level !== 'province').flatMap((h) => h.ids));
  const gap = (a: Hit, b: Hit) => Math.max(a.span[0] - b.span[1], b.span[0] - a.span[1]);
  for (const h of hits) {
    if (h.level !== 'province' || h.ids.length !== 1 || !isAscii(text.slice(h.span[0], h.span[1]))) continue;
    const id = h.ids[0]!;
    if (own.has(id)) continue;
    const twins = near.get(id) ?? [];
    const beside = hits.filter(
      (c) => c.level !== 'province' && c.ids.length === 1 && twins.includes(c.ids[0]!) && gap(h, c) <= NEAR_GAP,
    );
    const settled = [...new Set(beside.map((c) => c.ids[0]!))];
    if (settled.length === 1) h.ids = [settled[0]!];
  }
}

/** Characters between a misspelt province and the city that settles it: "Shanxi (Xi'an)", "Xi'an, Shanxi". */
const NEAR_GAP = 3;

/** 浙ICP备12345678号-1: the prefix is the filing's province, whatever else the text says. */
function scanRecordNumbers(s: Scan): void {
  for (const m of recordNumbers(s.text, s.o.maxPlaces)) {
    const id = s.index.icpPrefix.get(m[1]!);
    const span: [number, number] = [m.index, m.index + m[0].length];
    s.placeHan += countHan(m[0]);
    s.covered.fill(1, span[0], span[1]);
    if (s.recordNumber === null && m[2]) s.recordNumber = `${m[1]}ICP备${m[2]}号${m[3] ? '-' + m[3] : ''}`;
    if (id)
      addHit(s, { ids: [id], level: 'record', fuzzy: false, span }, { role: 'filed', negated: false, parallel: false });
    else s.spans.push(span);
  }
}

/** Chinese names, read as a reader segments the text: longest first, words that are not places consumed. */
function scanChineseNames(s: Scan): void {
  for (const m of s.index.zh.segments(s.text)) {
    if (full(s)) break;
    const end = m.index + m.term.length;
    s.covered.fill(1, m.index, end);
    if (!m.value) continue;
    s.placeHan += m.term.length;
    addHit(
      s,
      { ids: m.value.ids, level: m.value.level, fuzzy: false, span: [m.index, end] },
      zhContext(s.text, m.index, end, s.o.cues),
    );
  }
}

/** One-character names standing alone or beside a filing word: "浙 注销", "粤备案", "注销鄂". */
function scanAbbreviations(s: Scan): void {
  for (let i = 0; i < s.text.length && !full(s); i++) {
    if (s.covered[i]) continue;
    const id = s.index.abbreviations.get(s.text[i]!);
    if (!id || !standsAlone(s.text, i, s.o.cues.beside)) continue;
    s.placeHan++;
    addHit(s, { ids: [id], level: 'province', fuzzy: false, span: [i, i + 1] }, zhContext(s.text, i, i + 1, s.o.cues));
  }
}

/** English and pinyin: one, two and three words joined ("zhe jiang", "inner mongolia", "xi an"); initials beside a filing word. */
function scanEnglishNames(s: Scan, tonedWords: readonly string[] | null): void {
  const { words } = s;
  for (let i = 0; i < words.length && !full(s); i++) {
    let key = '';
    let found: { ids: string[]; level: Level } | null = null;
    let n = 0;
    for (let k = 0; k < 3 && i + k < words.length; k++) {
      key += words[i + k]!;
      if (key.length > MAX_KEY) break;
      const entries = s.index.en.get(key);
      const toned = tonedWords ? tonedWords.slice(i, i + k + 1).join('') : null;
      const r = entries && choose(entries, k > 0, toned !== null && toned !== key ? toned : null);
      if (r) [found, n] = [r, k + 1];
    }
    if (!found) {
      const ids = s.index.initials.get(words[i]!);
      if (ids && nearFilingWord(s.text, words, s.wordSpans, i, s.o.cues)) [found, n] = [{ ids, level: 'province' }, 1];
    }
    if (!found) continue;
    addWords(s, i, n, { ids: found.ids, level: found.level, fuzzy: false });
    i += n - 1;
  }
}

/** A place of `n` words from word `i`. */
function addWords(s: Scan, i: number, n: number, hit: { ids: string[]; level: Level; fuzzy: boolean }): void {
  const span: [number, number] = [s.wordSpans[i]![0], s.wordSpans[i + n - 1]![1]];
  // Cues are read within the place's clause: "We moved to Hubei; the filing was registered with the
  // Henan administration" — "the filing" after the semicolon is not Hubei's.
  const [lo, hi] = clauseOf(s, i, i + n);
  addHit(s, { ...hit, span }, enContext(s.words.slice(lo, hi), i - lo, i + n - lo, s.o.cues));
  for (let k = i; k < i + n; k++) s.used.add(k);
  s.placeWords += n;
}

/** Punctuation that ends a clause between two English words (not brackets: "Shanxi (Xi'an)"). */
const EN_CLAUSE_ENDERS = charCodes(',.;:!?，。；：！？\n');
/** Words read around a place for its cues, at most this many each side. */
const CONTEXT_WORDS = 6;

/** [lo, hi): the words of the clause around words [start, end), a few each side at most. */
function clauseOf(s: Scan, start: number, end: number): [number, number] {
  const breaksBefore = (k: number) => charBetween(s.text, s.wordSpans[k - 1]![1], s.wordSpans[k]![0], EN_CLAUSE_ENDERS);
  let lo = start;
  while (lo > 0 && start - lo < CONTEXT_WORDS && !breaksBefore(lo)) lo--;
  let hi = end;
  while (hi < s.words.length && hi - end < CONTEXT_WORDS && !breaksBefore(hi)) hi++;
  return [lo, hi];
}

/** Chinese names typed with a character of the same sound (广洲, 福键). */
function scanSoundTypos(s: Scan): void {
  if (!s.index.sound) return;
  let words: Uint8Array | null = null;
  for (const h of s.index.sound.find(s.text, s.o.maxPlaces)) {
    if (full(s)) break;
    const end = h.index + h.length;
    // Words read as words (云服务器, 新增) are not misspelt places.
    if (s.covered.subarray(h.index, end).some((c) => c === 1)) continue;
    // Nor is a name that takes a character of one of the asker's words ("那取消" is not 那曲).
    words ??= wordCover(s.text, s.index.words);
    if (words.subarray(h.index, end).some((c) => c === 1)) continue;
    s.placeHan += h.length;
    addHit(
      s,
      { ids: h.value.ids, level: h.value.level, fuzzy: true, span: [h.index, end] },
      zhContext(s.text, h.index, end, s.o.cues),
    );
  }
}

/** 1 at every character inside a lexicon word of the text. */
function wordCover(text: string, words: TermIndex<unknown> | null): Uint8Array {
  const cover = new Uint8Array(text.length);
  if (words) for (const w of words.occurrences(text)) cover.fill(1, w.index, w.index + w.term.length);
  return cover;
}

/** Misspelt English or pinyin names ("Zhejang", "Innner Mongolia"). */
function scanSpellingTypos(s: Scan): void {
  const { words, o } = s;
  let tried = 0;
  for (let i = 0; i < words.length && tried < o.maxTypoWords; i++) {
    const w = words[i]!;
    if (s.used.has(i) || w.length < o.minTypoLength || o.isKnownWord(w) || /\d/.test(w)) continue;
    tried++;
    // A name of two words misspelt ("Innner Mongolia"): the pair joined, when the word alone is no name.
    let fix = o.corrector.correct(w);
    let n = 1;
    if (!fix && i + 1 < words.length) {
      fix = o.corrector.correct(w + words[i + 1]!);
      n = 2;
    }
    if (!fix) continue;
    const options = fix.words.flatMap((k) => (s.index.en.get(k) ?? []).map((e) => ({ ...e, key: k })));
    // A typo as close to a province as to a city means the province ("Xinjang": Xinjiang, not Xinyang).
    const level = LEVELS.find((l) => options.some((e) => e.level === l));
    if (!level) continue;
    const ids = [...new Set(options.filter((e) => e.level === level).map((e) => e.id))];
    addWords(s, i, n, {
      ids: level === 'province' ? withNearTwins(s, ids, fix, words.slice(i, i + n).join('')) : ids,
      level,
      fuzzy: true,
    });
    i += n - 1;
  }
}

/**
 * A misspelt province nearly as close to its near twin ("Heibei": Hebei by one letter, Hubei by
 * two; "Hunnan", "jiangxsu") could be either: both are candidates, and a city named beside settles
 * it ("Heibei, Shijiazhuang"). Not a typo that only swaps two letters ("Hubie" is Hubei).
 */
function withNearTwins(s: Scan, ids: string[], fix: { distance: number; words: string[] }, typo: string): string[] {
  const near = s.o.near;
  if (!near || ids.length !== 1) return ids;
  // Two letters swapped ("Hubie") leave no doubt which name was meant.
  if (fix.words.some((w) => isAnagram(w, typo))) return ids;
  const twins = (near.get(ids[0]!) ?? []).filter((t) =>
    s.index.provinceKeys.get(t)?.some((key) => editDistance(typo, key, fix.distance + 1) <= fix.distance + 1),
  );
  return twins.length ? [...ids, ...twins] : ids;
}

const isAnagram = (a: string, b: string) => a.length === b.length && [...a].sort().join('') === [...b].sort().join('');

/** Joins a list of places: "Beijing and Shanghai", "北京、上海". */
const LIST_JOINER = /^[\s,，、/&]*(?:and|or|und|和|与|及|或|跟|一个在|一个)?[\s,，、/&]*$/;

/**
 * A place listed right after another ("offices in Beijing and Shanghai") shares its role, unless
 * a cue of its own said otherwise; so does the second of a pair ("one filed in Guangdong, the
 * other in Fujian": two filings, so no province is guessed).
 */
function inheritListRoles(text: string, hits: Hit[]): void {
  const ordered = [...hits].sort((a, b) => a.span[0] - b.span[0]);
  for (let i = 1; i < ordered.length; i++) {
    const prev = ordered[i - 1]!;
    const h = ordered[i]!;
    if (h.role !== 'neutral' || h.level === 'record') continue;
    if (prev.role !== 'neutral' && LIST_JOINER.test(text.slice(prev.span[1], h.span[0]))) h.role = prev.role;
    else if (h.parallel) {
      const earlier = ordered
        .slice(0, i)
        .reverse()
        .find((e) => e.role !== 'neutral' && e.level !== 'record');
      if (earlier) h.role = earlier.role;
    }
  }
}

/**
 * The places an English key stands for. Toned pinyin keeps only names whose tones agree
 * ("shǎn xi" is 陕西); one word that is a province's own English name means that province
 * ("Shanxi" is 山西); otherwise every place of the best level ("Shan xi", "Suzhou": several).
 */
function choose(
  entries: readonly EnEntry[],
  spaced: boolean,
  toned: string | null,
): { ids: string[]; level: Level } | null {
  let list = entries;
  if (toned) {
    const agree = list.filter((e) => e.toned !== null && tonesAgree(toned, e.toned));
    if (agree.length) list = agree;
  } else if (!spaced) {
    const named = list.filter((e) => e.named && e.level === 'province');
    if (named.length) list = named;
  }
  const level = LEVELS.find((l) => list.some((e) => e.level === l));
  return level ? { ids: [...new Set(list.filter((e) => e.level === level).map((e) => e.id))], level } : null;
}

/** Every tone the asker typed is the name's: "shǎnxi" agrees with "shǎnxī", not with "shānxī". */
function tonesAgree(typed: string, name: string): boolean {
  if (typed.length !== name.length) return false;
  for (let i = 0; i < typed.length; i++) {
    const t = typed[i]!;
    if (t !== name[i] && t !== stripTones(t)) return false;
  }
  return true;
}

/** A one-character name counts only with nothing Chinese glued to it but filing words. */
function standsAlone(text: string, i: number, beside: BesideTerms): boolean {
  const before = i > 0 ? text.charCodeAt(i - 1) : 32;
  const after = i + 1 < text.length ? text.charCodeAt(i + 1) : 32;
  // Only the terms that end (start) with the neighbouring character are compared: a few at most.
  const leftOk =
    !isHanCode(before) ||
    (beside.byLast.get(text[i - 1]!) ?? []).some((t) => i >= t.length && text.startsWith(t, i - t.length));
  const rightOk = !isHanCode(after) || (beside.byFirst.get(text[i + 1]!) ?? []).some((t) => text.startsWith(t, i + 1));
  return leftOk && rightOk;
}

/** Filing words a one-character name may stand beside, by their last and their first character. */
interface BesideTerms {
  byLast: ReadonlyMap<string, readonly string[]>;
  byFirst: ReadonlyMap<string, readonly string[]>;
}

/** `before` may end just before the character, `after` begin just after it. */
export function besideTerms(before: readonly string[], after: readonly string[]): BesideTerms {
  const byLast = new Map<string, string[]>();
  const byFirst = new Map<string, string[]>();
  for (const t of before) if (t) byLast.set(t[t.length - 1]!, [...(byLast.get(t[t.length - 1]!) ?? []), t]);
  for (const t of after) if (t) byFirst.set(t[0]!, [...(byFirst.get(t[0]!) ?? []), t]);
  return { byLast, byFirst };
}

/** Initials are read as a place only beside a filing word ("zj dereg pls", "gd 备案"), never alone ("js error"). */
function nearFilingWord(
  text: string,
  words: readonly string[],
  spans: readonly (readonly [number, number])[],
  i: number,
  cues: PlaceCues,
): boolean {
  for (let k = Math.max(0, i - 3); k <= Math.min(words.length - 1, i + 3); k++)
    if (k !== i && cues.isFilingWord(words[k]!)) return true;
  const around = text.slice(Math.max(0, spans[i]![0] - 12), spans[i]![1] + 12);
  return cues.zhFilingTerms.some((t) => /\p{Script=Han}/u.test(t) && around.includes(t));
}

const FILLER = new Set(['the', 'a', 'an', 'our', 'my', 'their', 'its', 'his', 'her', 'your', 'province', 'city', 'of']);

/** Whether one of `phrases` ends just before words[end] (fillers like "the" skipped). */
function phraseBefore(words: readonly string[], end: number, phrases: ReadonlySet<string>): boolean {
  let e = end;
  for (let skip = 0; skip <= 2; skip++) {
    for (let len = 1; len <= 3 && e - len >= 0; len++) if (phrases.has(words.slice(e - len, e).join(' '))) return true;
    if (e > 0 && FILLER.has(words[e - 1]!)) e--;
    else break;
  }
  return false;
}

function phraseAfter(words: readonly string[], start: number, phrases: ReadonlySet<string>): boolean {
  let s = start;
  if (s < words.length && FILLER.has(words[s]!)) s++;
  for (let len = 1; len <= 3 && s + len <= words.length; len++)
    if (phrases.has(words.slice(s, s + len).join(' '))) return true;
  return false;
}

function enContext(words: readonly string[], start: number, end: number, cues: PlaceCues): PlaceContext {
  const w1 = words[start - 1];
  const w2 = words[start - 2];
  const negated = [w1, w2, (w2 ?? '') + (w1 ?? '')].some((w) => w !== undefined && cues.negation.en.has(w));
  let role: Role = 'neutral';
  const nowThere = phraseAfter(words, end, cues.elsewhere.after);
  if (phraseBefore(words, start, cues.filed.before) || phraseAfter(words, end, cues.filed.after))
    // "registered in Pudong now": where the company is now, not where it filed ("filed in Sichuan,
    // now moving servers" stays filed).
    role =
      nowThere && !words.slice(Math.max(0, start - 3), start).some((w) => w === 'filed' || cues.isFilingWord(w))
        ? 'neutral'
        : 'filed';
  else if (phraseBefore(words, start, cues.elsewhere.before) || nowThere) role = 'elsewhere';
  // "the Ningxia one" picks; "one in Shandong one in Henan" and "our Beijing one" do not.
  const chosen =
    phraseBefore(words, start, cues.chosen.before) || (w1 === 'the' && phraseAfter(words, end, cues.chosen.after));
  return { role, negated, parallel: role === 'neutral' && phraseBefore(words, start, cues.parallel.before), chosen };
}

/** Spaces out; punctuation stays, so a cue on the other side of a comma is not this place's. */
const squeeze = (s: string) => s.replace(/\s/g, '');

function zhContext(text: string, start: number, end: number, cues: PlaceCues): PlaceContext {
  const before = squeeze(text.slice(Math.max(0, start - 8), start));
  const after = squeeze(text.slice(end, end + 8));
  const negated = cues.negation.zh.some((n) => before.endsWith(n));
  let role: Role = 'neutral';
  // A cue before the place says whose it is more surely than one after: "现在公司在海南 要注销".
  if (cues.filed.zhBefore.some((c) => before.endsWith(c))) role = 'filed';
  else if (cues.elsewhere.zhBefore.some((c) => before.endsWith(c))) role = 'elsewhere';
  else if (cues.filed.zhAfter.some((c) => after.startsWith(c))) role = 'filed';
  const parallel = role === 'neutral' && cues.parallel.zhBefore.some((c) => before.endsWith(c));
  const chosen =
    cues.chosen.zhBefore.some((c) => before.endsWith(c)) || cues.chosen.zhAfter.some((c) => after.startsWith(c));
  return { role, negated, parallel, chosen };
}

/**
 * A record number beats everything; then the filing's place ("filed in") beats one said plainly,
 * which beats one said to be elsewhere ("now in"). Within that, a province name beats a city and a
 * city a county; several provinces left are a question, unless a city of the same kind settles it.
 */
function decide(
  hits: Hit[],
  severalFilings: boolean,
): { province: string | null; candidates: string[]; filings: boolean } {
  const none = { province: null, candidates: [], filings: false };
  if (hits.length === 0) return none;
  const records = [...new Set(hits.filter((h) => h.level === 'record').flatMap((h) => h.ids))];
  if (records.length === 1 && !severalFilings) return { province: records[0]!, candidates: [], filings: false };
  // Several places, one of them picked ("one filed in Ningxia, another in Qinghai: cancel the Ningxia one").
  const named = new Set(hits.flatMap((h) => h.ids));
  const chosen = [...new Set(hits.filter((h) => h.chosen && !h.negated && h.ids.length === 1).map((h) => h.ids[0]!))];
  if (named.size > 1 && chosen.length === 1) return { province: chosen[0]!, candidates: [], filings: false };
  // Several filings said to be held, in places of several provinces ("我们在上海和广州各有一个主体备案",
  // "two filings, one in Beijing and one in Shanghai"): one each, none guessed, whatever their levels.
  if (severalFilings) {
    const theirs = [...new Set(hits.filter((h) => h.role !== 'elsewhere' && h.ids.length === 1).map((h) => h.ids[0]!))];
    if (theirs.length > 1) return { province: null, candidates: theirs, filings: true };
  }
  if (records.length === 1) return { province: records[0]!, candidates: [], filings: false };
  if (records.length > 1) return { province: null, candidates: records, filings: true };
  for (const role of ['filed', 'neutral', 'elsewhere'] as const) {
    const mine = hits.filter((h) => h.role === role);
    if (mine.length === 0) continue;
    for (let l = 0; l < LEVELS.length; l++) {
      const level = LEVELS[l]!;
      const here = mine.filter((h) => h.level === level);
      if (here.length === 0) continue;
      // Names that mean one province settle names that could mean several ("Hubei (hb)").
      const sure = [...new Set(here.filter((h) => h.ids.length === 1).map((h) => h.ids[0]!))];
      if (sure.length === 1) return { province: sure[0]!, candidates: [], filings: false };
      const ids = sure.length > 1 ? sure : [...new Set(here.flatMap((h) => h.ids))];
      // "Shanxi or Shaanxi? the customer is in Taiyuan": a smaller place that picks one of them.
      for (const lower of LEVELS.slice(l + 1)) {
        const below = new Set(mine.filter((h) => h.level === lower).flatMap((h) => h.ids));
        const settled = ids.filter((id) => below.has(id));
        if (settled.length === 1) return { province: settled[0]!, candidates: [], filings: false };
      }
      // Provinces each said to be filed ("one filed in Guangdong, the other in Fujian") are filings.
      return { province: null, candidates: ids, filings: role === 'filed' && sure.length > 1 };
    }
  }
  return none;
}
