/**
 * analyze(text): everything understand() decides from, in one pass over the question — the
 * normalised text, the places, the lexicon's concepts, the answer language and the classifier's
 * features. Built once from the registry and the intents data.
 */
import { compileLexicon, findConcepts, type Concepts } from './concepts.js';
import { DEFAULTS, type Defaults } from '../defaults.js';
import { featureStrings, PLACE_MARK, scanFeatures, type FeatureSink } from './features.js';
import { TypoCorrector } from './fuzzy.js';
import type { IntentSet } from '../answer/intents.js';
import { normalize, type Normalized } from './normalize.js';
import { homophoneTable, pinyinOf } from './pinyin.js';
import { besideTerms, buildPlaceIndex, findPlaces, type PlaceCues, type PlaceFinding } from './places.js';
import type { Registry } from '../answer/registry.js';
import type { Lang } from '../types.js';

export interface Analysis {
  norm: Normalized;
  places: PlaceFinding;
  concepts: Concepts;
  lang: Lang;
  /** The asker wrote Traditional characters. */
  traditional: boolean;
}

export interface Analyzer {
  (text: string): Analysis;
  /** The classifier's features of an analysed question. */
  features(a: Analysis): string[];
  /** The same features, reported one by one (for `Model.predictScan`). */
  scan(a: Analysis, sink: FeatureSink): void;
}

const stripTones = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');
const syllables = (zh: string): string[] => stripTones(pinyinOf(zh)).split(' ');

export function createAnalyzer(reg: Registry, intentSet: IntentSet, options: Defaults = DEFAULTS): Analyzer {
  const homophones = homophoneTable();
  const lexicon = compileLexicon(intentSet, syllables, homophones);
  // A generated place spelling that is an English or lexicon word ("beian" is 北安 too) is not a place.
  const places = buildPlaceIndex(reg.provinces, {
    notPlaces: reg.notPlaces,
    cityInitials: reg.cityInitials,
    divisions: reg.divisions,
    pinyin: pinyinOf,
    isEnglishWord: (w) => lexicon.known.has(w),
    homophones,
    words: lexicon.zh,
  });
  for (const w of places.vocabulary) lexicon.known.add(w);
  const corrector = new TypoCorrector([...lexicon.keywords, ...places.vocabulary], options);
  const cues = placeCues(intentSet, lexicon.single);
  const near = new Map<string, string[]>();
  for (const pair of reg.nearPairs)
    for (const id of pair) near.set(id, [...(near.get(id) ?? []), ...pair.filter((x) => x !== id)]);

  const analyze = (raw: string): Analysis => {
    const norm = normalize(raw, reg.traditional, options.maxChars);
    const concepts = findConcepts(norm.text, norm.words, norm.wordSpans, lexicon, corrector, options);
    const found = findPlaces(norm.text, norm.words, norm.wordSpans, norm.tonedWords, places, {
      corrector,
      isKnownWord: (w) => lexicon.known.has(w),
      maxTypoWords: options.fuzzyMaxWords,
      minTypoLength: options.placeFuzzyMinLength,
      maxPlaces: options.maxPlaces,
      cues,
      near,
      severalFilings: concepts.has('several_filings'),
    });
    if (found.found) concepts.set('@province', false);
    if (found.recordNumber) concepts.set('@record_number', false);
    const placeHan = found.placeHan;
    return {
      norm,
      places: found,
      concepts,
      lang: detectLang(norm.han, norm.words, placeHan, found.placeWords),
      traditional: norm.traditional > 0 && norm.traditional >= options.traditionalShare * (norm.han - placeHan),
    };
  };
  analyze.scan = (a: Analysis, sink: FeatureSink): void =>
    scanFeatures(mask(a.norm.text, a.places.spans), a.concepts.keys(), sink);
  analyze.features = (a: Analysis): string[] => featureStrings((sink) => analyze.scan(a, sink));
  return analyze;
}

/** The text with every place name and record number replaced by one mark. */
function mask(text: string, spans: readonly (readonly [number, number])[]): string {
  if (spans.length === 0) return text;
  let out = '';
  let last = 0;
  for (const [s, e] of spans) {
    if (s < last) continue;
    out += `${text.slice(last, s)} ${PLACE_MARK} `;
    last = e;
  }
  return out + text.slice(last);
}

/** The cue words of intents/lexicon.yaml, shaped for the place finder. */
function placeCues(set: IntentSet, single: ReadonlyMap<string, string[]>): PlaceCues {
  const c = set.lexicon.concepts;
  const en = (name: string) =>
    new Set(
      (c[name]?.en ?? []).map((t) =>
        t
          .toLowerCase()
          .split(/[^a-z0-9]+/)
          .filter(Boolean)
          .join(' '),
      ),
    );
  const zh = (name: string) => (c[name]?.zh ?? []).map((t) => t.toLowerCase());
  const filingConcepts = new Set(['filing', 'dereg_strong', 'dereg_weak', 'record', 'record_number', 'kind_access']);
  const zhFilingTerms = [...zh('filing'), ...zh('dereg_strong'), ...zh('dereg_weak'), ...zh('record_number'), 'icp'];
  return {
    negation: { en: new Set([...en('negation')].map((t) => t.replace(/ /g, ''))), zh: zh('negation') },
    filed: {
      before: en('cue_filed_before'),
      after: en('cue_filed_after'),
      zhBefore: zh('cue_filed_before'),
      zhAfter: zh('cue_filed_after'),
    },
    elsewhere: {
      before: en('cue_elsewhere_before'),
      after: en('cue_elsewhere_after'),
      zhBefore: zh('cue_elsewhere_before'),
    },
    parallel: { before: en('cue_parallel_before'), zhBefore: zh('cue_parallel_before') },
    chosen: {
      before: en('cue_chosen_before'),
      after: en('cue_chosen_after'),
      zhBefore: zh('cue_chosen_before'),
      zhAfter: zh('cue_chosen_after'),
    },
    // Single words only: a phrase's first word ("the" of "the number on the footer") means nothing alone.
    isFilingWord: (w) => (single.get(w) ?? []).some((x) => filingConcepts.has(x)),
    zhFilingTerms,
    beside: besideTerms([...zhFilingTerms, ...zh('abbr_before')], [...zhFilingTerms, ...zh('abbr_after')]),
  };
}

const isNumber = (w: string) => w.length > 0 && w.charCodeAt(0) >= 48 && w.charCodeAt(0) <= 57 && !/[^0-9]/.test(w);

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
  // A tie is English: "What is 公安备案?" asks in English about a Chinese term.
  return han / 2 > Math.max(latin, 0) || (latin <= 0 && han > 0) ? 'zh' : 'en';
}
