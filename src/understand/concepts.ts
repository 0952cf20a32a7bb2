/**
 * The concepts of intents/lexicon.yaml found in a question: English words and phrases (inflected,
 * or with a typo), Chinese terms anywhere in the text, and the toneless pinyin of every Chinese
 * term ("zhuxiao beian"), generated with pinyin-pro rather than typed by hand.
 */
import type { Defaults } from '../defaults.js';
import type { TypoCorrector } from './fuzzy.js';
import type { IntentSet } from '../answer/intents.js';
import type { Homophones } from './pinyin.js';
import { SoundIndex } from './sound.js';
import { TermIndex } from './terms.js';
import { charBetween, charCodes } from './normalize.js';

interface Phrase {
  concept: string;
  words: string[];
}

export interface Lexicon {
  single: Map<string, string[]>;
  phrases: Map<string, Phrase[]>;
  zh: TermIndex<string>;
  /** Words that are never typo-corrected: every lexicon word, common words (and place names, added by the analyzer). */
  known: Set<string>;
  /** Lexicon words a typo may be corrected to. */
  keywords: Set<string>;
  /** What each word seen so far resolves to: one look-up per word on the hot path (bounded). */
  wordInfo: Map<string, WordInfo>;
  /** Concepts a negation just before them cancels, and the Chinese terms that carry them. */
  negatable: ReadonlySet<string>;
  zhNegatable: TermIndex<string>;
  /**
   * Chinese negations ("不想", "无需"), and the terms of other concepts that contain one (没有,
   * 不知道, 能不能): segmenting with both, a negation inside such a term is read as that term.
   */
  zhNegationIndex: TermIndex<boolean>;
  /** Concepts that count only near another (lexicon `near`), with the Chinese terms of both. */
  near: { concept: string; anchor: string; words: number; characters: number; zh: TermIndex<string> }[];
  /** Chinese terms by the sound of their syllables, for homophone typos; null without a table. */
  bySound: SoundIndex<string> | null;
}

/** The concept of words that negate the action after them. */
const NEGATION = 'negation_action';
const NONE: never[] = [];

interface WordInfo {
  /** The keyword the word is or comes from ("removed" → remove), else the word itself. */
  base: string;
  /** Whether it may be a typo: not a keyword or a known word, no digits. */
  correctable: boolean;
  concepts: string[] | undefined;
  phrases: Phrase[] | undefined;
}

/** Concepts found, each with whether it was found only through a typo. */
export type Concepts = Map<string, boolean>;

/**
 * Pinyin spellings of a Chinese term: all syllables joined, all spaced, and in pairs
 * (注销备案 → zhuxiaobeian, zhu xiao bei an, zhuxiao beian).
 */
function pinyinSpellings(syllables: readonly string[]): string[] {
  const pairs: string[] = [];
  for (let i = 0; i < syllables.length; i += 2) pairs.push(syllables.slice(i, i + 2).join(''));
  return [...new Set([syllables.join(''), syllables.join(' '), pairs.join(' ')])];
}

export function compileLexicon(
  set: IntentSet,
  pinyin: (zh: string) => string[],
  homophones: Homophones | null = null,
): Lexicon {
  const single = new Map<string, string[]>();
  const phrases = new Map<string, Phrase[]>();
  const zh: [string, string][] = [];
  const english = (w: string) => set.englishWords.has(w);
  const known = new Set<string>([...set.englishWords, ...set.lexicon.common_words.map((w) => w.toLowerCase())]);
  const keywords = new Set<string>();
  const add = (concept: string, term: string, generated: boolean) => {
    const words = term
      .toLowerCase()
      .split(/[^a-z0-9*]+/)
      .filter(Boolean);
    // Generated pinyin that spells an English word ("wangle") would misread English text.
    if (generated && words.length === 1 && (english(words[0]!) || known.has(words[0]!))) return;
    for (const w of words) if (w !== '*') known.add(w);
    if (words.length === 1) {
      const w = words[0]!;
      if (!single.get(w)?.includes(concept)) single.set(w, [...(single.get(w) ?? []), concept]);
      if (!generated) keywords.add(w);
    } else if (words.length > 1) {
      const first = words[0]!;
      phrases.set(first, [...(phrases.get(first) ?? []), { concept, words }]);
    }
  };
  for (const [concept, { en, zh: zhTerms }] of Object.entries(set.lexicon.concepts)) {
    for (const t of en) add(concept, t, false);
    for (const t of zhTerms) {
      zh.push([t.toLowerCase(), concept]);
      if (!/^\p{Script=Han}{2,}$/u.test(t)) continue;
      for (const spelling of pinyinSpellings(pinyin(t))) add(concept, spelling, true);
    }
  }
  // A phrase's words as the text's words are read (resolveWords): a word that is no keyword of its
  // own goes to its base form ("got removed" → got remove), or a phrase with an inflected word whose
  // base is a keyword ("remove") would never match.
  const readAs = (w: string) => (w === '*' || keywords.has(w) ? w : (baseForm(w, keywords) ?? w));
  const byBase = new Map<string, Phrase[]>();
  for (const list of phrases.values())
    for (const p of list) {
      const words = p.words.map(readAs);
      byBase.set(words[0]!, [...(byBase.get(words[0]!) ?? []), { ...p, words }]);
    }
  const negatable = new Set(set.lexicon.negatable);
  const soundTerms = set.lexicon.by_sound.flatMap((c) =>
    (set.lexicon.concepts[c]?.zh ?? []).map((t) => [t, c] as const),
  );
  const bySound = homophones ? new SoundIndex(homophones, soundTerms, false) : null;
  return {
    single,
    phrases: byBase,
    zh: new TermIndex(zh),
    known,
    keywords,
    wordInfo: new Map(),
    negatable,
    zhNegatable: new TermIndex(zh.filter(([, c]) => negatable.has(c))),
    zhNegationIndex: negationIndex(set),
    near: Object.entries(set.lexicon.near).map(([concept, n]) => ({
      concept,
      anchor: n.concept,
      words: n.words,
      characters: n.characters,
      zh: new TermIndex(zh.filter(([, c]) => c === concept || c === n.concept)),
    })),
    bySound,
  };
}

/** Whether some occurrence of the concept is within reach of its anchor, in words or in characters. */
function isNear(n: Lexicon['near'][number], positions: ReadonlyMap<string, number[]>, text: string): boolean {
  const mine = positions.get(n.concept) ?? [];
  const anchors = positions.get(n.anchor) ?? [];
  if (mine.some((p) => anchors.some((a) => Math.abs(a - p) <= n.words))) return true;
  const hits = n.zh.occurrences(text);
  const zhAnchors = hits.filter((h) => h.value === n.anchor).map((h) => h.index);
  return hits.some((h) => h.value === n.concept && zhAnchors.some((a) => Math.abs(a - h.index) <= n.characters));
}

function negationIndex(set: IntentSet): TermIndex<boolean> {
  const negations = set.lexicon.concepts[NEGATION]?.zh ?? [];
  const owning = Object.entries(set.lexicon.concepts)
    .filter(([c]) => c !== NEGATION)
    .flatMap(([, v]) => v.zh)
    .filter((t) => negations.some((n) => t.includes(n) && t.length > n.length));
  return new TermIndex<boolean>([
    ...negations.map((n) => [n, true] as const),
    ...owning.map((t) => [t, false] as const),
  ]);
}

function hasDigit(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** Concepts present in the text; the value says whether it was found only through a typo. */
export function findConcepts(
  text: string,
  words: readonly string[],
  wordSpans: readonly (readonly [number, number])[],
  m: Lexicon,
  corrector: TypoCorrector,
  options: Defaults,
): Concepts {
  const found: Concepts = new Map();
  const mark = (concept: string, fuzzy: boolean) => {
    if (!found.has(concept) || found.get(concept)) found.set(concept, fuzzy);
  };
  const resolved = resolveWords(words, m, corrector, options);
  const { negated, positions } = scanWords(text, resolved, wordSpans, m, options.negationReach, mark);
  let anyNegated = negated;
  const zhFound = m.zh.values(text);
  const zhNegated =
    zhFound.has(NEGATION) || EN_NEGATION_BEFORE_HAN.test(text)
      ? negatedInChinese(text, m, options.zhNegationReach)
      : new Set<string>();
  for (const concept of zhFound) {
    if (zhNegated.has(concept)) anyNegated = true;
    else mark(concept, false);
  }
  if (m.bySound) for (const hit of m.bySound.find(text)) if (!found.has(hit.value)) mark(hit.value, true);
  for (const n of m.near) if (found.has(n.concept) && !isNear(n, positions, text)) found.delete(n.concept);
  if (anyNegated) mark('@negated', false);
  return found;
}

/** The words as the lexicon reads them, and which got there by a typo correction (parallel arrays: no object a word). */
interface ResolvedWords {
  infos: WordInfo[];
  corrected: Uint8Array;
}

/** Each word's base form and concepts; unknown words within the budget are corrected to a keyword. */
function resolveWords(
  words: readonly string[],
  m: Lexicon,
  corrector: TypoCorrector,
  options: Defaults,
): ResolvedWords {
  const info = (w: string): WordInfo => {
    let i = m.wordInfo.get(w);
    if (!i) {
      const base = m.keywords.has(w) ? w : (baseForm(w, m.keywords) ?? w);
      const correctable = base === w && !m.keywords.has(w) && !m.known.has(w) && !hasDigit(w);
      i = { base, correctable, concepts: m.single.get(base), phrases: m.phrases.get(base) };
      if (m.wordInfo.size >= options.fuzzyCacheSize) m.wordInfo.clear();
      m.wordInfo.set(w, i);
    }
    return i;
  };
  const infos: WordInfo[] = new Array<WordInfo>(words.length);
  const corrected = new Uint8Array(words.length);
  let tried = 0;
  for (let k = 0; k < words.length; k++) {
    const wi = info(words[k]!);
    infos[k] = wi;
    if (wi.correctable && tried < options.fuzzyMaxWords) {
      tried++;
      const keyword = corrector.correct(wi.base)?.words.filter((x) => m.keywords.has(x));
      // Two keywords as close ("cancell": cancel, cancels) are one correction when they mean the same.
      if (keyword && (keyword.length === 1 || sameConcepts(m, keyword))) {
        infos[k] = info(keyword[0]!);
        corrected[k] = 1;
      }
    }
  }
  return { infos, corrected };
}

/** Whether keywords stand for the same concepts on their own (a typo of either reads alike). */
function sameConcepts(m: Lexicon, words: readonly string[]): boolean {
  const key = (w: string) => [...(m.single.get(w) ?? [])].sort().join(' ');
  const first = key(words[0]!);
  return first !== '' && words.every((w) => key(w) === first);
}

/**
 * English and pinyin words and phrases, with negation: a negation word reaches a few words of its
 * clause, and negatable concepts there are not counted. Returns whether something was negated and
 * where the near-bound concepts occur (word indexes).
 */
function scanWords(
  text: string,
  { infos: resolved, corrected }: ResolvedWords,
  wordSpans: readonly (readonly [number, number])[],
  m: Lexicon,
  reach: number,
  mark: (concept: string, fuzzy: boolean) => void,
): { negated: boolean; positions: Map<string, number[]> } {
  /** Whether punctuation that ends a clause stands between word i - 1 and word i. */
  // An opening bracket does not end the clause: "not the licence (ICP证)" negates what is inside.
  const clauseBreak = (i: number) => i > 0 && charBetween(text, wordSpans[i - 1]![1], wordSpans[i]![0], CLAUSE_ENDERS);
  let negatedUntil = -1;
  let negated = false;
  let negatedFrom = Infinity;
  const positions = new Map<string, number[]>();
  const nearNames = new Set(m.near.flatMap((n) => [n.concept, n.anchor]));
  const seen = new Set<string>();
  const markAt = (concept: string, fuzzy: boolean, at: number, end: number) => {
    if (nearNames.has(concept)) {
      const list = positions.get(concept);
      if (list) list.push(at);
      else positions.set(concept, [at]);
    }
    if (concept === NEGATION) {
      // A negation reaches a few words, never past the end of its clause ("Hebei (not Hubei) deregister").
      let until = end;
      while (until < end + reach && until < resolved.length && !clauseBreak(until)) until++;
      if (until > negatedUntil) [negatedFrom, negatedUntil] = [end, until];
    }
    if (m.negatable.has(concept) && at >= negatedFrom && at < negatedUntil) {
      negated = true;
      return;
    }
    if (!fuzzy) seen.add(concept);
    mark(concept, fuzzy);
  };
  const bases = resolved.map((r) => r.base);
  // A phrase never reads across the end of a clause ("…where we did the filing. Password reset?" is no
  // "filing password").
  const breaks = new Uint8Array(resolved.length);
  for (let k = 1; k < resolved.length; k++) if (clauseBreak(k)) breaks[k] = 1;
  for (let i = 0; i < resolved.length; i++) {
    const { concepts, phrases } = resolved[i]!;
    // Phrases first: one that begins with a negation word ("don't know", "do not have") is what
    // the words mean, and the negation inside it reaches nothing after it.
    const matched: { concept: string; end: number; fuzzy: boolean }[] = phrases ? [] : NONE;
    // (A negation word is always read on: "…and don't remember the password" is forgetting, whatever came before.)
    const negationWord = concepts?.includes(NEGATION) ?? false;
    for (const p of phrases ?? []) {
      // A concept already found exactly needs no more matches: a word repeated 10,000 times costs one look each.
      if (seen.has(p.concept) && p.concept !== NEGATION && !negationWord) continue;
      const end = matchPhrase(bases, breaks, i, p.words);
      if (end < 0) continue;
      let fuzzy = false;
      for (let k = i; k < end; k++) if (corrected[k]) fuzzy = true;
      matched.push({ concept: p.concept, end, fuzzy });
    }
    const ownsNegation = matched.some((x) => x.concept !== NEGATION && x.end > i + 1);
    for (const c of concepts ?? []) if (!(ownsNegation && c === NEGATION)) markAt(c, corrected[i] === 1, i, i + 1);
    for (const x of matched) if (!(ownsNegation && x.concept === NEGATION)) markAt(x.concept, x.fuzzy, i, x.end);
  }
  return { negated, positions };
}

const CLAUSE_END = /[\p{P}\n]/u;

/**
 * An English negation just before Chinese words ("变更 not 注销"), or a few words of what is not
 * asked before them ("I'm not asking about the 公安备案"): it negates the Chinese after it. (Not
 * "don't know our 备案号": only these words; a bounded repeat of fixed words, linear.)
 */
const EN_NEGATION_BEFORE_HAN =
  /\b(?:not|no|dont|never|without)(?: (?:asking|talking|about|for|the|our|a|an|need|want|mean|looking|interested|in|regarding|icp|licence|license|console|cloud)){0,4} ?\(?(?=\p{Script=Han})/u;
const EN_NEGATIONS_BEFORE_HAN = new RegExp(EN_NEGATION_BEFORE_HAN.source, 'gu');

/**
 * Negatable concepts whose every Chinese occurrence a negation reaches ("不想注销", "不是要找回
 * 备案密码，是…"). A negation that begins a term of its own (没有, 不知道, 不用了) is that term.
 */
function negatedInChinese(text: string, m: Lexicon, reach: number): Set<string> {
  const scopes: [number, number][] = [];
  const scope = (start: number) => {
    let end = start;
    while (end < text.length && end < start + reach && !CLAUSE_END.test(text[end]!)) end++;
    if (end > start) scopes.push([start, end]);
  };
  for (const neg of m.zhNegationIndex.segments(text)) {
    if (!neg.value) continue; // a term that holds a negation (没有, 不知道, 能不能) is itself
    scope(neg.index + neg.term.length);
  }
  for (const en of text.matchAll(EN_NEGATIONS_BEFORE_HAN)) scope(en.index + en[0].length);
  scopes.sort((a, b) => a[0] - b[0]);
  const free = new Set<string>();
  const negated = new Set<string>();
  let s = 0;
  for (const hit of m.zhNegatable.occurrences(text)) {
    while (s < scopes.length && scopes[s]![1] <= hit.index) s++;
    const inside = s < scopes.length && scopes[s]![0] <= hit.index;
    (inside ? negated : free).add(hit.value);
  }
  for (const c of free) negated.delete(c);
  return negated;
}

/**
 * The keyword an inflected word comes from ("removed" → remove, "withdrawn" → withdraw,
 * "deleting" → delete, "records" → record), or null. Only regular English endings.
 */
function baseForm(w: string, keywords: ReadonlySet<string>): string | null {
  if (w.length < 5) return null;
  const tries: string[] = [];
  if (w.endsWith('ied')) tries.push(w.slice(0, -3) + 'y');
  if (w.endsWith('ed')) tries.push(w.slice(0, -2), w.slice(0, -1), w.slice(0, -3));
  if (w.endsWith('ing')) tries.push(w.slice(0, -3), w.slice(0, -3) + 'e', w.slice(0, -4));
  if (w.endsWith('n')) tries.push(w.slice(0, -1)); // withdrawn
  if (w.endsWith('en')) tries.push(w.slice(0, -2), w.slice(0, -3));
  if (w.endsWith('es')) tries.push(w.slice(0, -2));
  if (w.endsWith('s')) tries.push(w.slice(0, -1));
  for (const t of tries) if (t.length >= 3 && keywords.has(t)) return t;
  return null;
}

/** Punctuation that ends a clause (an opening bracket does not). */
const CLAUSE_ENDERS = charCodes(',.;:!?)）。，；：！？、\n');

/**
 * Matches `phrase` at `start`; "*" stands for up to two words. Returns the end index or -1. No
 * word after the first may follow a clause break (`breaks[k]`: one stands before word k).
 */
function matchPhrase(
  words: readonly string[],
  breaks: Uint8Array,
  start: number,
  phrase: readonly string[],
  p = 0,
): number {
  if (p === phrase.length) return start;
  if (p > 0 && breaks[start] === 1) return -1;
  const want = phrase[p]!;
  if (want === '*') {
    for (let skip = 0; skip <= 2; skip++) {
      if (skip > 0 && breaks[start + skip - 1] === 1) break;
      const end = matchPhrase(words, breaks, start + skip, phrase, p + 1);
      if (end >= 0) return end;
    }
    return -1;
  }
  return words[start] === want ? matchPhrase(words, breaks, start + 1, phrase, p + 1) : -1;
}
