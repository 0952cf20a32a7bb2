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
import { loadIntents, type IntentSet, type IntentSpec } from '../answer/intents.js';
import type { Model } from './model.js';
import { registry } from '../answer/registry.js';
import { CORE_INTENTS, FALLBACK_INTENT, type DeregisterKind, type Understanding } from '../types.js';

export type Understander = (text: string) => Understanding;

/** Which reader decides: both (the default), or one alone, to measure what each contributes. */
export type ReaderMode = 'both' | 'rules' | 'model';

interface RuleHit {
  intent: string;
  confidence: number;
  confirm: boolean;
  firm: boolean;
  /** Found only through a typo correction: the bot is a little less sure, whoever agrees. */
  typo?: boolean;
}

/** The eval label of an intent: itself when core, else "other". */
const labelOf = (intent: string): string => ((CORE_INTENTS as readonly string[]).includes(intent) ? intent : 'other');

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

  return (text: string): Understanding => {
    const raw = typeof text === 'string' ? text : '';
    try {
      return run(raw);
    } catch (err) {
      errorCount++;
      reportError(err, raw);
      return empty(raw);
    }
  };

  function run(raw: string): Understanding {
    const a = analyze(raw);
    const hits = mode === 'model' ? [] : matchRules(intents, a.concepts, options);
    const probs = model && mode !== 'rules' ? model.predict(analyze.features(a)) : null;
    const labels = model?.labels ?? [];
    const decided = decide(hits, probs ? new Map(labels.map((l, i) => [l, probs[i]!])) : null, a, options);
    const u: Understanding = {
      ...empty(raw),
      intent: decided.intent,
      confidence: round(decided.confidence),
      confirm: decided.confirm,
      province: a.places.province,
      candidates: a.places.candidates,
      recordNumber: a.places.recordNumber,
      lang: a.lang,
      traditional: a.traditional,
    };
    if (u.intent === 'deregister') u.kind = kindOf(a);
    if (u.intent === 'language') Object.assign(u, askedLanguage(a));
    return u;
  }
}

function empty(text: string): Understanding {
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

/** Every intent with a matching rule, in precedence order, each with its best rule. */
function matchRules(intents: readonly IntentSpec[], concepts: Analysis['concepts'], options: Defaults): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const spec of intents) {
    let best: RuleHit | null = null;
    for (const r of spec.rules) {
      if (!r.all.every((c) => concepts.has(c)) || r.none.some((c) => concepts.has(c))) continue;
      if (r.any.length > 0 && !r.any.some((c) => concepts.has(c))) continue;
      const typo = [...r.all, ...r.any].some((c) => concepts.get(c) === true);
      const confidence = r.confidence * (typo ? options.fuzzyPenalty : 1);
      if (!best || confidence > best.confidence)
        best = { intent: spec.intent, confidence, confirm: r.confirm, firm: r.firm, typo };
    }
    if (best) hits.push(best);
  }
  return hits;
}

/**
 * The rules' choice (the first intent in precedence with a matching rule), unless the classifier
 * is very sure of another label; with no rule, the classifier's core intent when it is fairly sure.
 */
function decide(
  hits: readonly RuleHit[],
  probs: ReadonlyMap<string, number> | null,
  a: Analysis,
  options: Defaults,
): RuleHit {
  const rule = hits[0];
  const fallback: RuleHit = {
    intent: FALLBACK_INTENT,
    confidence: a.concepts.size === 0 ? options.fallbackNoWords : options.fallbackSomeWords,
    confirm: false,
    firm: false,
  };
  if (!probs) return rule ?? fallback;
  let top = 'other';
  let p = -1;
  for (const [label, q] of probs) if (q > p) [top, p] = [label, q];
  // "other" from the classifier: the first non-core intent the rules found, else the fallback.
  const asModel = (): RuleHit => {
    if (top !== 'other') return { intent: top, confidence: p, confirm: false, firm: false };
    const other = hits.find((h) => labelOf(h.intent) === 'other');
    return other ? { ...other, confidence: Math.max(other.confidence, p) } : { ...fallback, confidence: p };
  };
  if (rule) {
    if (labelOf(rule.intent) === top)
      return { ...rule, confidence: Math.max(rule.confidence, p) * (rule.typo ? options.fuzzyPenalty : 1) };
    const bareOther = top === 'other' && !hits.some((h) => labelOf(h.intent) === 'other');
    const needed = Math.max(
      bareOther ? options.bareOtherOverride : options.modelOverride,
      rule.confidence + options.overrideMargin,
    );
    if (!rule.firm && p >= needed) return asModel();
    // The classifier doubts the rule but is not sure enough to overrule it: a little less sure.
    return {
      ...rule,
      confidence:
        rule.confidence * (options.doubtFloor + (1 - options.doubtFloor) * (probs.get(labelOf(rule.intent)) ?? 0)),
    };
  }
  // Alone, the classifier needs words of ours to go on: a place name by itself ("廣西", "贵的很") asks nothing.
  return top !== 'other' && p >= options.modelAlone && hasOwnWords(a) ? asModel() : fallback;
}

/** Concepts that are the asker's words about a topic, not places, cues or negations. */
function hasOwnWords(a: Analysis): boolean {
  for (const c of a.concepts.keys())
    if (!c.startsWith('@') && !c.startsWith('cue_') && !c.startsWith('abbr_') && !c.startsWith('negation')) return true;
  return false;
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
