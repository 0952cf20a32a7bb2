/**
 * The trained classifier: built by `npm run build` (src/build.ts writes dist/model.json) from the
 * labelled questions in intents/training/ and the examples of intents/*.yaml. Loaded only when it
 * was trained on exactly today's data; otherwise it is trained again here (deterministically), so
 * a stale model can never answer.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Analyzer } from './analyze.js';
import { DataError } from '../errors.js';
import { featureCodeHash, fingerprint } from '../fingerprint.js';
import { parseLabelled, toLabel } from '../eval.js';
import { loadIntents } from '../answer/intents.js';
import { Model, train, type Example, type ModelFile } from './model.js';
import { INTENTS_DIR, ROOT } from '../paths.js';

export const MODEL_PATH = join(ROOT, 'dist', 'model.json');
export const TRAINING_DIR = join(INTENTS_DIR, 'training');

/** What the model learns from: the intents folder (training sets included) and the place data. */
const TRAINING_INPUTS = ['intents', 'data/provinces.yaml', 'data/places.tsv', 'data/hanzi-variants.yaml'];

/** A hash of the training inputs and of the feature code, so a model trained on anything else is never loaded. */
export function trainingHash(): string {
  return `${fingerprint(TRAINING_INPUTS)}-${featureCodeHash()}`;
}

const TRAINING_FORMAT = 1;

/**
 * One training file: a first line `{"format": 1, "source": "what the questions are"}`, then labelled
 * questions as in the eval files ({text, intent, province, kind?}).
 */
export function readTrainingFile(path: string): { text: string; label: string }[] {
  const file = relative(ROOT, path);
  const text = readFileSync(path, 'utf8');
  const newline = text.indexOf('\n');
  let header: unknown;
  try {
    header = JSON.parse(newline < 0 ? text : text.slice(0, newline));
  } catch {
    header = null;
  }
  const h = header as { format?: unknown; source?: unknown } | null;
  if (!h || h.format !== TRAINING_FORMAT || typeof h.source !== 'string') {
    throw new DataError(file, 'line 1', `must be {"format": ${TRAINING_FORMAT}, "source": "what the questions are"}`);
  }
  // Line numbers in errors count the header too.
  return parseLabelled('\n' + text.slice(newline + 1), file).map((q) => ({ text: q.text, label: q.intent }));
}

/**
 * The labelled training questions: intents/training/*.jsonl and every intent's examples, in one
 * canonical order (by text, then label), so how the questions are split into files, or named,
 * never changes the model.
 */
export function trainingQuestions(): { text: string; label: string }[] {
  const rows: { text: string; label: string }[] = [];
  if (existsSync(TRAINING_DIR)) {
    for (const f of readdirSync(TRAINING_DIR)
      .filter((n) => n.endsWith('.jsonl'))
      .sort())
      rows.push(...readTrainingFile(join(TRAINING_DIR, f)));
  }
  for (const spec of loadIntents().intents) {
    for (const text of [...spec.examples.en, ...spec.examples.zh]) rows.push({ text, label: toLabel(spec.intent) });
  }
  return rows.sort((a, b) => compare(a.text, b.text) || compare(a.label, b.label));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function trainModel(analyze: Analyzer, questions = trainingQuestions(), trainedOn = trainingHash()): Model {
  const examples: Example[] = questions.map((q) => ({ features: analyze.features(analyze(q.text)), label: q.label }));
  return train(examples, trainedOn);
}

/** The built model when it matches today's data, else one trained now. */
export function loadClassifier(analyze: Analyzer): Model {
  const trainedOn = trainingHash();
  if (existsSync(MODEL_PATH)) {
    try {
      const file = JSON.parse(readFileSync(MODEL_PATH, 'utf8')) as ModelFile;
      if ((file.format === 1 || file.format === 2) && file.trainedOn === trainedOn) return Model.fromFile(file);
    } catch {
      // A damaged model file is rebuilt below, like a stale one.
    }
  }
  return trainModel(analyze, trainingQuestions(), trainedOn);
}
