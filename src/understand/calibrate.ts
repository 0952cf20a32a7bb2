/**
 * Calibration by cross-validation: the training questions in k folds, each read by a classifier
 * trained on the other folds, so every confidence is measured on questions that reader never saw.
 * The build writes the fitted steps to dist/calibration.json; a stale or missing file is fitted
 * again at load (deterministically), like the model.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analyzer } from './analyze.js';
import { loadIntents } from '../answer/intents.js';
import { DEFAULTS } from '../defaults.js';
import { labelOf } from './rules.js';
import { trainingQuestions } from './classifier.js';
import { train, type Model } from './model.js';
import { createReader, type Reading } from './read.js';
import {
  Calibration,
  fitCalibration,
  UNCALIBRATED_ROWS,
  type CalibrationPoint,
  type CalibrationSteps,
} from './calibration.js';
import { ROOT } from '../paths.js';

export const CALIBRATION_PATH = join(ROOT, 'dist', 'calibration.json');

/** Folds of the cross-validation: five models of four fifths each, about four seconds on this machine. */
export const CV_FOLDS = 5;

export interface CalibrationFile {
  format: 1;
  /** The model's `trainedOn`: calibration belongs to that model's data and code. */
  trainedOn: string;
  folds: number;
  steps: CalibrationSteps;
}

/** One held-out question: how it was read, and whether its label was right. */
export interface HeldOut {
  text: string;
  label: string;
  reading: Reading;
  right: boolean;
}

/** One fold: a model trained on the other folds, and the questions it never saw (question i is in fold i mod k). */
export interface Fold {
  model: Model;
  heldOut: { text: string; label: string }[];
}

export function* folds(analyze: Analyzer, questions = trainingQuestions(), k = CV_FOLDS): Generator<Fold> {
  // Features once for all folds: most of the cost of training is reading the questions.
  const examples = questions.map((q) => ({ features: analyze.features(analyze(q.text)), label: q.label }));
  for (let f = 0; f < k; f++) {
    const model = train(
      examples.filter((_, i) => i % k !== f),
      `cv-${f}`,
    );
    yield { model, heldOut: questions.filter((_, i) => i % k === f) };
  }
}

/** Every training question read by a model that did not see it, with raw (uncalibrated) confidences. */
export function crossValidate(analyze: Analyzer, questions = trainingQuestions()): HeldOut[] {
  const intentSet = loadIntents();
  const out: HeldOut[] = [];
  for (const { model, heldOut } of folds(analyze, questions)) {
    const read = createReader(analyze, intentSet, model, { mode: 'both', options: DEFAULTS, calibration: null });
    for (const q of heldOut) {
      const reading = read(q.text);
      out.push({ ...q, reading, right: labelOf(reading.understanding.intent) === q.label });
    }
  }
  return out;
}

/** The calibration points of held-out readings (the fallback's rows are not readings, so not calibrated). */
export function calibrationPoints(heldOut: readonly HeldOut[]): CalibrationPoint[] {
  return heldOut
    .filter((h) => !UNCALIBRATED_ROWS.has(h.reading.row))
    .map((h) => ({ group: h.reading.group, raw: h.reading.raw, right: h.right }));
}

export function fitFile(analyze: Analyzer, model: Model): CalibrationFile {
  const steps = fitCalibration(calibrationPoints(crossValidate(analyze)));
  return { format: 1, trainedOn: model.trainedOn, folds: CV_FOLDS, steps };
}

/** The built calibration when it belongs to this model, else one fitted now. */
export function loadCalibration(analyze: Analyzer, model: Model): Calibration {
  if (existsSync(CALIBRATION_PATH)) {
    try {
      const file = JSON.parse(readFileSync(CALIBRATION_PATH, 'utf8')) as CalibrationFile;
      if (file.format === 1 && file.trainedOn === model.trainedOn && file.folds === CV_FOLDS)
        return new Calibration(file.steps);
    } catch {
      // A damaged file is fitted again below, like a stale one.
    }
  }
  return new Calibration(fitFile(analyze, model).steps);
}
