/**
 * One reading of a message: the two readers' decision (decide.ts), the needs it holds (needs.ts),
 * the calibrated confidence (calibration.ts) and, when the reading is unsure, the readings to offer
 * in a question back (clarify.ts). understand.ts wraps it for callers; cross-validation
 * (calibrate.ts) reads the decision's row and raw confidence too.
 */
import type { Analyzer, Analysis } from './analyze.js';
import type { Defaults } from '../defaults.js';
import { isAlongside, type IntentSet } from '../answer/intents.js';
import type { Model } from './model.js';
import { BLOCKERS, findNeeds, splitClauses } from './needs.js';
import { NO_OFFER, readingsToOffer } from './clarify.js';
import { decide, type Decision, type DecisionRow } from './decide.js';
import { isCore, labelOf, matchRules } from './rules.js';
import { groupOf, UNCALIBRATED_ROWS, type Calibration } from './calibration.js';
import { FALLBACK_INTENT, type DeregisterKind, type Understanding } from '../types.js';

/** Which reader decides: both (the default), or one alone, to measure what each contributes. */
export type ReaderMode = 'both' | 'rules' | 'model';

export interface Reading {
  understanding: Understanding;
  /** The row of the decision table that decided (decide.ts). */
  row: DecisionRow;
  /** The decision's confidence before calibration. */
  raw: number;
  /** The calibration group: the row, and whether the other reader read another label. */
  group: string;
}

export interface ReaderOptions {
  mode: ReaderMode;
  options: Defaults;
  calibration: Calibration | null;
}

export function createReader(
  analyze: Analyzer,
  intentSet: IntentSet,
  model: Model | null,
  { mode, options, calibration }: ReaderOptions,
): (raw: string) => Reading {
  const intents = intentSet.intents;
  // A reading can be offered in a question back when it can be answered beside another (it has a label).
  const offerableSet = new Set(intents.filter(isAlongside).map((i) => i.intent));
  const offerable = (intent: string) => offerableSet.has(intent);

  /** The classifier's probability per label for an analysed text. */
  const probabilities = (m: Model, a: Analysis): Map<string, number> => {
    const p = m.predictScan((sink) => analyze.scan(a, sink));
    return new Map(m.labels.map((l, i) => [l, p[i]!]));
  };

  /**
   * A message the whole-message reading leaves to the fallback, while one of its sentences, read
   * alone, is a core need both readers agree on ("Can you cancel our Xinjiang beian? Also, does the
   * domain still resolve afterwards?": the classifier reads the whole as the domain question).
   */
  const rescued = (whole: Decision, raw: string): Decision | null => {
    if (whole.hit.intent !== FALLBACK_INTENT || !model) return null;
    const clauses = splitClauses(raw);
    if (clauses.length < 2) return null;
    for (const clause of clauses.slice(0, MAX_RESCUE_CLAUSES)) {
      const c = analyze(clause);
      const d = decide(matchRules(intents, c.concepts, options), probabilities(model, c), c, options);
      if (d.row === 'agree' && isCore(d.hit.intent)) return { ...d, alternative: null };
    }
    return null;
  };

  return (raw: string): Reading => {
    const a = analyze(raw);
    const hits = mode === 'model' ? [] : matchRules(intents, a.concepts, options);
    const whole = decide(hits, model && mode !== 'rules' ? probabilities(model, a) : null, a, options);
    const decision = mode === 'both' ? (rescued(whole, raw) ?? whole) : whole;
    const decided = decision.hit;
    const needs =
      mode === 'model'
        ? { main: decided.intent, also: [] }
        : findNeeds({ analyze, intents, options }, { main: decided.intent, hits, analysis: a, raw });
    const alt = decision.alternative;
    const group = groupOf(decision.row, decided.firm, alt !== null && labelOf(alt) !== labelOf(needs.main));
    const calibrated =
      calibration && !UNCALIBRATED_ROWS.has(decision.row)
        ? calibration.confidence(group, decided.confidence)
        : decided.confidence;
    const u: Understanding = {
      ...emptyUnderstanding(raw),
      intent: needs.main,
      confidence: round(calibrated),
      confirm: decided.confirm,
      province: a.places.province,
      candidates: a.places.candidates,
      ...(a.places.filings ? { filings: true } : {}),
      recordNumber: a.places.recordNumber,
      lang: a.lang,
      traditional: a.traditional,
    };
    if (needs.also.length > 0) u.also = needs.also;
    const offer = mode === 'both' ? readingsToOffer(decision, u, a, options, offerable) : NO_OFFER;
    if (offer.readings.length > 1) u.options = offer.readings;
    if (offer.secondNeed) Object.assign(u, bothNeeds(u, offer.secondNeed));
    // Help asked with the filing and nothing else: the best reading is that request, whatever a reader guessed.
    if (offer.aboutNothing && (a.concepts.has('help') || u.intent === 'help' || u.intent === FALLBACK_INTENT)) {
      u.intent = 'help';
      delete u.also;
    } else if (a.concepts.has('bot_scope') && !SCOPE_BREAKERS.some((c) => a.concepts.has(c))) {
      // What the bot covers, asked with the topics it lists ("What can you help with - beian
      // cancellations, passwords?"), nothing wrong or wanted besides: help, not a guess among them.
      Object.assign(u, { intent: 'help', confidence: Math.max(u.confidence, SCOPE_CONFIDENCE) });
      delete u.also;
      delete u.options;
    }
    if (u.intent === 'deregister') u.kind = kindOf(a);
    if (u.intent === 'language') Object.assign(u, askedLanguage(a));
    return { understanding: u, row: decision.row, raw: decided.confidence, group };
  };
}

/** Words that make "what can you do?" more than a question about the bot: a need, a request, a filing named. */
const SCOPE_BREAKERS = ['forget', 'request', 'vanished', 'not_received', 'status', '@province', '@record_number'];
const SCOPE_CONFIDENCE = 0.9;

/** Sentences read alone when the whole message fell to the fallback, at most. */
const MAX_RESCUE_CLAUSES = 6;

/** Two core needs of one message: the blocker first, the deregistration (with the province) beside it. */
function bothNeeds(u: Understanding, other: string): Pick<Understanding, 'intent' | 'also'> {
  const rest = (u.also ?? []).filter((n) => n.intent !== other);
  if (u.intent === 'deregister' && BLOCKERS.has(other))
    return { intent: other, also: [{ intent: 'deregister', province: u.province }, ...rest] };
  return { intent: u.intent, also: [{ intent: other, province: other === 'deregister' ? u.province : null }, ...rest] };
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
