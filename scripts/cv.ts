/**
 * Cross-validation of the classifier on the training questions (a development tool, not a test):
 * k folds; each fold's questions are read by a model trained on the others, with the rules alone,
 * the model alone and both. Prints the label accuracy of each, and of both at a few thresholds.
 *
 *   npx tsx scripts/cv.ts [--folds 5]
 */
import { trainingQuestions, trainingHash } from '../src/understand/classifier.js';
import { DEFAULTS } from '../src/defaults.js';
import { toLabel } from '../src/eval.js';
import { loadIntents } from '../src/answer/intents.js';
import { train, TRAIN_DEFAULTS } from '../src/understand/model.js';
import { analyzer, createUnderstander, type ReaderMode } from '../src/understand/understand.js';

const args = process.argv.slice(2);
const k = Number(args[args.indexOf('--folds') + 1]) || 5;
const num = (flag: string, fallback: number) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : fallback);
const trainOpts = {
  ...TRAIN_DEFAULTS,
  epochs: num('--epochs', TRAIN_DEFAULTS.epochs),
  learningRate: num('--lr', TRAIN_DEFAULTS.learningRate),
  l2: num('--l2', TRAIN_DEFAULTS.l2),
};
const analyze = analyzer();
const questions = trainingQuestions();
const rows = questions.map((q, i) => ({ ...q, i, features: analyze.features(analyze(q.text)) }));
const intents = loadIntents();

// modelOverride / modelAlone / overrideMargin / bareOtherOverride
const grid = [
  [0.8, 0.6, 0.05, 0.8],
  [0.8, 0.6, 0.05, 0.85],
  [0.8, 0.6, 0.05, 0.9],
  [0.8, 0.6, 0.05, 0.95],
  [0.7, 0.6, 0.05, 0.9],
  [0.75, 0.6, 0, 0.9],
] as const;
const right: Record<string, number> = {};
const add = (key: string, ok: boolean) => (right[key] = (right[key] ?? 0) + (ok ? 1 : 0));
for (let f = 0; f < k; f++) {
  const test = rows.filter((r) => r.i % k === f);
  const model = train(
    rows.filter((r) => r.i % k !== f),
    trainingHash(),
    trainOpts,
  );
  for (const mode of ['rules', 'model'] as ReaderMode[]) {
    const u = createUnderstander(analyze, intents, model, { mode });
    for (const r of test) add(mode, toLabel(u(r.text).intent) === r.label);
  }
  for (const [override, alone, margin, bare] of grid) {
    const u = createUnderstander(analyze, intents, model, {
      mode: 'both',
      options: {
        ...DEFAULTS,
        modelOverride: override,
        modelAlone: alone,
        overrideMargin: margin,
        bareOtherOverride: Math.max(override, bare),
      },
    });
    for (const r of test) add(`both ${override}/${alone}/${margin}/${bare}`, toLabel(u(r.text).intent) === r.label);
  }
}
console.log(`${questions.length} questions, ${k} folds (label accuracy; the province is not scored here)`);
for (const [key, n] of Object.entries(right)) console.log(`${key.padEnd(16)} ${(n / questions.length).toFixed(3)}`);

if (args.includes('--misses')) {
  for (let f = 0; f < k; f++) {
    const model = train(
      rows.filter((r) => r.i % k !== f),
      trainingHash(),
      trainOpts,
    );
    const u = createUnderstander(analyze, intents, model, { mode: 'both' });
    for (const r of rows.filter((r) => r.i % k === f)) {
      const got = u(r.text);
      if (toLabel(got.intent) !== r.label)
        console.log(`${r.label} ← ${got.intent} (${got.confidence}): ${JSON.stringify(r.text.slice(0, 160))}`);
    }
  }
}
