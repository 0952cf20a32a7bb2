/**
 * understand(text): which intent, which province, how sure, and which language to answer in.
 *
 * Two readers, combined: rules over the lexicon's concepts (exact where they apply, the winner
 * chosen by intents/precedence.yaml) and a classifier trained on the labelled questions (for
 * wording the rules never saw). They agree on most questions; where they disagree, the classifier
 * wins only when it is very sure. An internal error becomes the fallback answer, is counted and
 * reported with its stack to the reporter the understander was created with — never swallowed.
 */
import { createAnalyzer, type Analyzer } from './analyze.js';
import { loadClassifier } from './classifier.js';
import { loadCalibration } from './calibrate.js';
import type { Calibration } from './calibration.js';
import { DEFAULTS, type Defaults } from '../defaults.js';
import { loadIntents, type IntentSet } from '../answer/intents.js';
import type { Model } from './model.js';
import { createReader, emptyUnderstanding, type ReaderMode } from './read.js';
import { registry } from '../answer/registry.js';
import { FALLBACK_INTENT, type Action, type Understanding } from '../types.js';

export { emptyUnderstanding, type ReaderMode };

export type Understander = (text: string) => Understanding;

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
  /** Raw confidences to calibrated ones; without, confidences stay the decision's own. */
  calibration?: Calibration | null;
  /** Where internal errors go (the Slack bot sends them to its log); stderr when absent. */
  onError?: UnderstandErrorReporter;
}

export function createUnderstander(
  analyze: Analyzer,
  intentSet: IntentSet,
  model: Model | null,
  opts: UnderstanderOptions = {},
): Understander {
  const reportError = opts.onError ?? toStderr;
  const read = createReader(analyze, intentSet, model, {
    mode: opts.mode ?? 'both',
    options: opts.options ?? DEFAULTS,
    calibration: opts.calibration ?? null,
  });
  return (text: string): Understanding => {
    const raw = typeof text === 'string' ? text : '';
    try {
      return read(raw).understanding;
    } catch (err) {
      errorCount++;
      reportError(err, raw);
      return emptyUnderstanding(raw);
    }
  };
}

let defaultInstance: Understander | undefined;
let defaultAnalyzer: Analyzer | undefined;

/** The analyzer over data/ and intents/, built once. */
export function analyzer(): Analyzer {
  return (defaultAnalyzer ??= createAnalyzer(registry(), loadIntents()));
}

/** An understander over data/ and intents/ with the trained classifier (reporting to `opts.onError`, if given). */
export function defaultUnderstander(opts: Pick<UnderstanderOptions, 'mode' | 'onError'> = {}): Understander {
  const model = loadClassifier(analyzer());
  return createUnderstander(analyzer(), loadIntents(), model, {
    ...opts,
    calibration: opts.mode === 'rules' ? null : loadCalibration(analyzer(), model),
  });
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
