/**
 * understand(text): which intent, which province, how sure, and which language to answer in.
 * A plain function over the registry and the intents data; never throws, whatever the input.
 */
import { DEFAULTS, type Defaults } from './defaults.js';
import { TypoCorrector } from './fuzzy.js';
import { loadIntents, type IntentSet, type IntentSpec } from './intents.js';
import { normalize } from './normalize.js';
import { buildPlaceIndex, findPlaces, type PlaceIndex } from './places.js';
import { registry, type Registry } from './registry.js';
import { TermIndex } from './terms.js';
import { FALLBACK_INTENT, type Lang, type Understanding } from './types.js';

interface Phrase {
  concept: string;
  words: string[];
}

interface Matcher {
  single: Map<string, string[]>;
  phrases: Map<string, Phrase[]>;
  zh: TermIndex<string>;
  /** Words that are never typo-corrected: every lexicon word, common words, place names. */
  known: Set<string>;
  /** Lexicon words a typo may be corrected to. */
  keywords: Set<string>;
  /** What each word seen so far resolves to: one look-up per word on the hot path (bounded). */
  wordInfo: Map<string, WordInfo>;
}

interface WordInfo {
  /** The keyword the word is or comes from ("removed" → remove), else the word itself. */
  base: string;
  /** Whether it may be a typo: not a keyword or a known word, no digits. */
  correctable: boolean;
  concepts: string[] | undefined;
  phrases: Phrase[] | undefined;
}

export type Understander = (text: string) => Understanding;

export function createUnderstander(reg: Registry, intentSet: IntentSet, options: Defaults = DEFAULTS): Understander {
  const places = buildPlaceIndex(reg.provinces);
  const matcher = compileLexicon(intentSet, places);
  const corrector = new TypoCorrector([...matcher.keywords, ...places.vocabulary], options);
  const intents = intentSet.intents;
  const negation = intentSet.lexicon.concepts['negation'];
  const negations = {
    en: new Set((negation?.en ?? []).map((t) => t.toLowerCase().replace(/\s+/g, ''))),
    zh: negation?.zh ?? [],
  };

  return (text: string): Understanding => {
    const raw = typeof text === 'string' ? text : '';
    try {
      return run(raw);
    } catch {
      // A bug must not take the bot down: the asker gets the help reply and the question is kept.
      return fallback(raw, 'en', 0);
    }
  };

  function run(raw: string): Understanding {
    const norm = normalize(raw, reg.traditional, options.maxChars, places.tonedSpellings);
    const isKnown = (w: string) => matcher.known.has(w);
    const fuzzy = { maxWords: options.fuzzyMaxWords, minLength: options.placeFuzzyMinLength };
    const found = findPlaces(norm.text, norm.words, places, corrector, isKnown, fuzzy, negations);
    const concepts = findConcepts(norm.text, norm.words, matcher, corrector, options);
    if (found.found) concepts.set('@province', false);
    if (found.recordNumber) concepts.set('@record_number', false);

    const lang = detectLang(norm.han, norm.words, found.placeHan, found.placeWords);
    const ranked = rank(intents, concepts, options);
    const best = ranked[0];
    if (!best || best.score < options.minIntentScore) return fallback(raw, lang, concepts.size, found);
    const second = ranked.find((r) => r.intent !== best.intent);
    return {
      text: raw,
      intent: best.intent,
      confidence: round(best.score),
      runnerUp:
        second && best.score - second.score <= options.runnerUpMargin
          ? { intent: second.intent, confidence: round(second.score) }
          : null,
      province: found.province,
      candidates: found.candidates,
      recordNumber: found.recordNumber,
      lang,
    };
  }
}

function fallback(
  text: string,
  lang: Lang,
  conceptCount: number,
  found?: { province: string | null; candidates: string[]; recordNumber: string | null },
): Understanding {
  return {
    text,
    intent: FALLBACK_INTENT,
    // Sure it is none of ours when no word of ours appeared; unsure when some did.
    confidence: conceptCount === 0 ? 0.6 : 0.4,
    runnerUp: null,
    province: found?.province ?? null,
    candidates: found?.candidates ?? [],
    recordNumber: found?.recordNumber ?? null,
    lang,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function hasDigit(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

const isNumber = (w: string) => w.length > 0 && w.charCodeAt(0) >= 48 && w.charCodeAt(0) <= 57 && !/[^0-9]/.test(w);

function compileLexicon(set: IntentSet, places: PlaceIndex): Matcher {
  const single = new Map<string, string[]>();
  const phrases = new Map<string, Phrase[]>();
  const zh: [string, string][] = [];
  const known = new Set<string>([...set.englishWords, ...set.lexicon.common_words.map((w) => w.toLowerCase()), ...places.vocabulary]);
  const keywords = new Set<string>();
  for (const [concept, { en, zh: zhTerms }] of Object.entries(set.lexicon.concepts)) {
    for (const t of en) {
      const words = t.toLowerCase().split(/[^a-z0-9*]+/).filter(Boolean);
      for (const w of words) if (w !== '*') known.add(w);
      if (words.length === 1) {
        const w = words[0]!;
        single.set(w, [...(single.get(w) ?? []), concept]);
        keywords.add(w);
      } else if (words.length > 1) {
        const first = words[0]!;
        phrases.set(first, [...(phrases.get(first) ?? []), { concept, words }]);
      }
    }
    for (const t of zhTerms) zh.push([t.toLowerCase(), concept]);
  }
  return { single, phrases, zh: new TermIndex(zh), known, keywords, wordInfo: new Map() };
}

/** Concepts present in the text; the value says whether it was found only through a typo. */
function findConcepts(
  text: string,
  words: readonly string[],
  m: Matcher,
  corrector: TypoCorrector,
  options: Defaults,
): Map<string, boolean> {
  const found = new Map<string, boolean>();
  const mark = (concept: string, fuzzy: boolean) => {
    if (!found.has(concept) || found.get(concept)) found.set(concept, fuzzy);
  };

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

  const resolved: WordInfo[] = [];
  const corrected = new Set<number>();
  let tried = 0;
  for (let i = 0; i < words.length; i++) {
    const wi = info(words[i]!);
    if (wi.correctable && tried < options.fuzzyMaxWords) {
      tried++;
      const keyword = corrector.correct(wi.base)?.words.filter((k) => m.keywords.has(k));
      if (keyword && keyword.length === 1) {
        resolved.push(info(keyword[0]!));
        corrected.add(i);
        continue;
      }
    }
    resolved.push(wi);
  }

  const bases = resolved.map((r) => r.base);
  for (let i = 0; i < resolved.length; i++) {
    const { concepts, phrases } = resolved[i]!;
    if (concepts) for (const c of concepts) mark(c, corrected.has(i));
    if (!phrases) continue;
    for (const p of phrases) {
      const end = matchPhrase(bases, i, p.words);
      if (end < 0) continue;
      let fuzzy = false;
      for (let k = i; k < end; k++) if (corrected.has(k)) fuzzy = true;
      mark(p.concept, fuzzy);
    }
  }
  for (const hit of m.zh.all(text)) mark(hit.value, false);
  return found;
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

/** Matches `phrase` at `start`; "*" stands for up to two words. Returns the end index or -1. */
function matchPhrase(words: readonly string[], start: number, phrase: readonly string[], p = 0): number {
  if (p === phrase.length) return start;
  const want = phrase[p]!;
  if (want === '*') {
    for (let skip = 0; skip <= 2; skip++) {
      const end = matchPhrase(words, start + skip, phrase, p + 1);
      if (end >= 0) return end;
    }
    return -1;
  }
  return words[start] === want ? matchPhrase(words, start + 1, phrase, p + 1) : -1;
}

function rank(intents: readonly IntentSpec[], concepts: Map<string, boolean>, options: Defaults) {
  const scored: { intent: string; score: number }[] = [];
  for (const spec of intents) {
    let best = 0;
    for (const r of spec.rules) {
      if (!r.all.every((c) => concepts.has(c)) || r.none.some((c) => concepts.has(c))) continue;
      const fuzzy = r.all.some((c) => concepts.get(c) === true);
      best = Math.max(best, r.score * (fuzzy ? options.fuzzyPenalty : 1));
    }
    if (best > 0) scored.push({ intent: spec.intent, score: best });
  }
  return scored.sort((a, b) => b.score - a.score);
}

/**
 * Chinese when the asker's own words are mostly Chinese: place names and record numbers do not
 * count (a Chinese city in an English question still gets an English answer).
 */
function detectLang(hanInText: number, words: readonly string[], placeHan: number, placeWords: number): Lang {
  const han = hanInText - placeHan;
  if (han <= 0) return 'en';
  let latin = -placeWords;
  for (const w of words) if (!isNumber(w) && w !== 'icp') latin++;
  // Two Han characters carry about as much as one English word.
  return han / 2 >= Math.max(latin, 0) ? 'zh' : 'en';
}

let defaultUnderstander: Understander | undefined;

/** Understands one question with the registry from data/ and the intents from intents/. */
export function understand(text: string): Understanding {
  defaultUnderstander ??= createUnderstander(registry(), loadIntents());
  return defaultUnderstander(text);
}

/** The same question, now with the province the asker chose or typed. */
export function withProvince(u: Understanding, province: string): Understanding {
  return { ...u, province, candidates: [] };
}
