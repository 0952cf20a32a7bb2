/**
 * understand(text): which intent, which province, how sure, and which language to answer in.
 *
 * Two readers, combined: rules over the lexicon's concepts (exact where they apply, the winner
 * chosen by intents/precedence.yaml) and a classifier trained on the labelled questions (for
 * wording the rules never saw). They agree on most questions; where they disagree, the classifier
 * wins only when it is very sure. An internal error becomes the fallback answer, is counted and
 * reported with its stack to the reporter the understander was created with — never swallowed.
 */
import { createAnalyzer, type Analysis, type Analyzer } from './analyze.js';
import { loadClassifier } from './classifier.js';
import { DEFAULTS, type Defaults } from '../defaults.js';
import { isAlongside, loadIntents, type IntentSet } from '../answer/intents.js';
import type { Model } from './model.js';
import { findNeeds } from './needs.js';
import { NO_OFFER, readingsToOffer } from './clarify.js';
import { decide } from './decide.js';
import { matchRules } from './rules.js';
import { registry } from '../answer/registry.js';
import { FALLBACK_INTENT, type Action, type DeregisterKind, type Understanding } from '../types.js';

export type Understander = (text: string) => Understanding;

/** Which reader decides: both (the default), or one alone, to measure what each contributes. */
export type ReaderMode = 'both' | 'rules' | 'model';

/** Where an understander reports an internal error (the asker gets the fallback answer). */
export type UnderstandErrorReporter = (err: unknown, text: string) => void;

/** The reporter of an understander created without one: a JSON line on stderr. */
const toStderr: UnderstandErrorReporter = (err) => {
  process.stderr.write(
    `${JSON.stringify({ event: 'understand_failed', err: err instanceof Error ? err.stack : String(err) })}\n`,
  );
};

let errorCount = 0;

/** How many questions failed inside any understander since start (each answered with the fallback). */
export function understandErrors(): number {
  return errorCount;
}

interface UnderstanderOptions {
  mode?: ReaderMode;
  options?: Defaults;
  /** Where internal errors go (the Slack bot sends them to its log); stderr when absent. */
  onError?: UnderstandErrorReporter;
}

export function createUnderstander(
  analyze: Analyzer,
  intentSet: IntentSet,
  model: Model | null,
  opts: UnderstanderOptions = {},
): Understander {
  const options = opts.options ?? DEFAULTS;
  const reportError = opts.onError ?? toStderr;
  const mode = opts.mode ?? 'both';
  const intents = intentSet.intents;
  // A reading can be offered in a question back when it can be answered beside another (it has a label).
  const offerableSet = new Set(intents.filter(isAlongside).map((i) => i.intent));
  const offerable = (intent: string) => offerableSet.has(intent);

  return (text: string): Understanding => {
    const raw = typeof text === 'string' ? text : '';
    try {
      return run(raw);
    } catch (err) {
      errorCount++;
      reportError(err, raw);
      return emptyUnderstanding(raw);
    }
  };

  function run(raw: string): Understanding {
    const a = analyze(raw);
    const hits = mode === 'model' ? [] : matchRules(intents, a.concepts, options);
    const probs = model && mode !== 'rules' ? model.predict(analyze.features(a)) : null;
    const labels = model?.labels ?? [];
    const decision = decide(hits, probs ? new Map(labels.map((l, i) => [l, probs[i]!])) : null, a, options);
    const decided = decision.hit;
    const needs =
      mode === 'model'
        ? { main: decided.intent, also: [] }
        : findNeeds({ analyze, intents, options }, { main: decided.intent, hits, analysis: a, raw });
    const u: Understanding = {
      ...emptyUnderstanding(raw),
      intent: needs.main,
      confidence: round(decided.confidence),
      confirm: decided.confirm,
      province: a.places.province,
      candidates: a.places.candidates,
      recordNumber: a.places.recordNumber,
      lang: a.lang,
      traditional: a.traditional,
    };
    if (needs.also.length > 0) u.also = needs.also;
    const offer = mode === 'both' ? readingsToOffer(decision, u.intent, a, options, offerable) : NO_OFFER;
    if (offer.readings.length > 1) u.options = offer.readings;
    // Help asked with the filing and nothing else: the best reading is that request, whatever a reader guessed.
    if (offer.aboutNothing && (a.concepts.has('help') || u.intent === 'help' || u.intent === FALLBACK_INTENT)) {
      u.intent = 'help';
      delete u.also;
    }
    if (u.intent === 'deregister') u.kind = kindOf(a);
    if (u.intent === 'language') Object.assign(u, askedLanguage(a));
    return u;
  }
}

/** An understanding of nothing yet: the fallback, no province, English. */
export function emptyUnderstanding(text: string): Understanding {
  return {
    text,
    intent: FALLBACK_INTENT,
    confidence: 0,
    confirm: false,
    province: null,
    candidates: [],
    recordNumber: null,
    kind: null,
    lang: 'en',
    traditional: false,
  };
}

/** The kind of cancellation a deregistration request names, if exactly one. */
function kindOf(a: Analysis): DeregisterKind | null {
  const kinds = (['access', 'site', 'entity'] as const).filter(
    (k) => a.concepts.has(`kind_${k}`) && !(k === 'site' && a.concepts.has('dereg_generic')),
  );
  return kinds.length === 1 ? kinds[0]! : null;
}

/** The language a "in Chinese please" asks for (Traditional when it says so). */
function askedLanguage(a: Analysis): Pick<Understanding, 'lang' | 'traditional'> {
  if (a.concepts.has('lang_hant')) return { lang: 'zh', traditional: true };
  if (a.concepts.has('lang_zh')) return { lang: 'zh', traditional: false };
  return { lang: 'en', traditional: false };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

let defaultInstance: Understander | undefined;
let defaultAnalyzer: Analyzer | undefined;

/** The analyzer over data/ and intents/, built once. */
export function analyzer(): Analyzer {
  return (defaultAnalyzer ??= createAnalyzer(registry(), loadIntents()));
}

/** An understander over data/ and intents/ with the trained classifier (reporting to `opts.onError`, if given). */
export function defaultUnderstander(opts: Pick<UnderstanderOptions, 'mode' | 'onError'> = {}): Understander {
  return createUnderstander(analyzer(), loadIntents(), loadClassifier(analyzer()), opts);
}

/** Understands one question with the data of data/ and intents/ and the trained classifier (errors to stderr). */
export function understand(text: string): Understanding {
  defaultInstance ??= defaultUnderstander();
  return defaultInstance(text);
}

/** An understander that uses only the rules or only the classifier (for `icp-bot eval`). */
export function understanderFor(mode: ReaderMode): Understander {
  return mode === 'both' ? understand : defaultUnderstander({ mode });
}

/** The same question, now with the province the asker chose or typed. */
export function withProvince(u: Understanding, province: string): Understanding {
  return { ...u, province, candidates: [] };
}

let provinceIntents: ReadonlySet<string> | undefined;

/**
 * What the bot does with an understanding: the fallback, a question back between readings (or a
 * did-you-mean), the province asked for, or an answer.
 */
export function actionOf(u: Understanding): Action {
  if (u.intent === FALLBACK_INTENT) return 'fallback';
  if (u.confirm || (u.options?.length ?? 0) > 1) return 'clarify';
  provinceIntents ??= new Set(
    loadIntents()
      .intents.filter((i) => i.needs.includes('province'))
      .map((i) => i.intent),
  );
  return provinceIntents.has(u.intent) && !u.province ? 'ask_province' : 'answer';
}
