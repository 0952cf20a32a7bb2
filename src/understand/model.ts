/**
 * A small linear classifier (multinomial logistic regression) over sparse text features, trained
 * at build time on the labelled questions. It catches wording the rules never saw; the rules keep
 * what they do exactly (see understand.ts). Training is deterministic: same data, same model.
 */

import { featureStrings, readFeature, type FeatureRows, type FeatureSink } from './features.js';

export interface Example {
  features: readonly string[];
  label: string;
}

interface TrainOptions {
  epochs: number;
  /** L2 penalty per example and step. */
  l2: number;
  learningRate: number;
  /** Seed of the shuffle, so training is repeatable. */
  seed: number;
}

export const TRAIN_DEFAULTS: TrainOptions = Object.freeze({ epochs: 30, l2: 1e-5, learningRate: 4, seed: 7 });

/** The serialised model: labels, vocabulary, and one weight per (feature, label), feature-major. */
export interface ModelFile {
  /** 2: the weights as the base64 of their float32 bytes (1: a JSON array of numbers). */
  format: 1 | 2;
  /** Hash of what it was trained on (examples and feature code), so a stale model is noticed. */
  trainedOn: string;
  labels: string[];
  features: string[];
  /**
   * Rounded to 4 decimals, then float32, feature-major: weights[f * labels.length + l]. Bias is the
   * feature "". As bytes the load is a copy, where 117,000 JSON numbers were a fifth of start-up.
   */
  weights: string | number[];
}

export class Model {
  /** Feature → its row of weights, built on first use: `predictScan` needs only `rows`. */
  private index: Map<string, number> | undefined;
  /** The rows by what a scan reports, built on first use; null when a feature is not in a scan's form. */
  private rows: ScanRows | null | undefined;

  constructor(
    readonly labels: readonly string[],
    private readonly features: readonly string[],
    private readonly weights: Float32Array,
    readonly trainedOn: string,
  ) {}

  private indexed(): Map<string, number> {
    if (!this.index) {
      const index = new Map<string, number>();
      this.features.forEach((f, i) => index.set(f, i));
      this.index = index;
    }
    return this.index;
  }

  /** Probabilities per label, in `labels` order. Unknown features are ignored. */
  predict(features: readonly string[]): Float64Array {
    const index = this.indexed();
    const k = this.labels.length;
    const scores = new Float64Array(k);
    const bias = index.get('');
    if (bias !== undefined) for (let l = 0; l < k; l++) scores[l] = this.weights[bias * k + l]!;
    const scale = featureScale(features.length);
    for (const f of features) {
      const i = index.get(f);
      if (i === undefined) continue;
      for (let l = 0; l < k; l++) scores[l]! += this.weights[i * k + l]! * scale;
    }
    return softmax(scores);
  }

  /**
   * Exactly `predict(textFeatures(…))` for the text `scan` reports (features.ts): the same features
   * counted, the known ones added in the same order. Without a string a feature, nor a look-up
   * in a map of 29,000 strings (each a few cache misses: a third of the classifier's time).
   */
  predictScan(scan: (sink: FeatureSink) => void): Float64Array {
    if (this.rows === undefined) this.rows = ScanRows.of(this.features);
    if (this.rows === null) return this.predict(featureStrings(scan));
    const rows = this.rows.start();
    scan(rows);
    const k = this.labels.length;
    const scores = new Float64Array(k);
    if (rows.bias >= 0) for (let l = 0; l < k; l++) scores[l] = this.weights[rows.bias * k + l]!;
    const scale = featureScale(rows.count());
    for (let n = 0; n < rows.known.length; n++) {
      const i = rows.known[n]!;
      for (let l = 0; l < k; l++) scores[l]! += this.weights[i * k + l]! * scale;
    }
    return softmax(scores);
  }

  toFile(): ModelFile {
    const features = [...this.indexed().keys()];
    // The same float32 values format 1 gave once loaded: rounded, then narrowed.
    const rounded = Float32Array.from(this.weights, (w) => Math.round(w * 1e4) / 1e4);
    return {
      format: 2,
      trainedOn: this.trainedOn,
      labels: [...this.labels],
      features,
      weights: Buffer.from(rounded.buffer, rounded.byteOffset, rounded.byteLength).toString('base64'),
    };
  }

  static fromFile(file: ModelFile): Model {
    const weights = typeof file.weights === 'string' ? float32s(file.weights) : Float32Array.from(file.weights);
    if (weights.length !== file.features.length * file.labels.length)
      throw new Error('model weights do not match its features and labels');
    return new Model(file.labels, file.features, weights, file.trainedOn);
  }
}

/**
 * The model's rows by what a scan reports (the number-keyed ones in flat tables), and one scan's
 * features: the known rows in the order first seen, and how many features it had, each once.
 */
class ScanRows implements FeatureSink {
  /** The bias's row (the feature ""), or -1. */
  bias = -1;
  private readonly concepts = new Map<string, number>();
  private readonly words = new Map<string, number>();
  private readonly bigrams = new Map<string, Map<string, number>>();
  private readonly trigrams: KeyRows;
  private readonly hans: KeyRows;
  /** The scan in which each row was last seen. */
  private readonly seenIn: Uint32Array;
  private scanNo = 0;
  readonly known: number[] = [];
  /** The scan's features the model does not know, each once. */
  private unknown = 0;
  private readonly unknownTexts = new Set<string>();
  private readonly unknownBigrams = new Map<string, Set<string>>();
  private readonly unknownKeys = new Set<number>();

  private constructor(features: readonly string[]) {
    this.seenIn = new Uint32Array(features.length);
    const count = (prefix: string) => features.reduce((n, f) => (f.startsWith(prefix) ? n + 1 : n), 0);
    this.trigrams = new KeyRows(count('t:'));
    this.hans = new KeyRows(count('h:'));
  }

  static of(features: readonly string[]): ScanRows | null {
    const rows = new ScanRows(features);
    const fill: FeatureRows = {
      concept: (name, row) => rows.concepts.set(name, row),
      word: (word, row) => rows.words.set(word, row),
      bigram: (before, word, row) => {
        const after = rows.bigrams.get(before) ?? new Map<string, number>();
        rows.bigrams.set(before, after.set(word, row));
      },
      trigram: (key, row) => rows.trigrams.set(key, row),
      han: (key, row) => rows.hans.set(key, row),
    };
    for (let i = 0; i < features.length; i++) {
      // As the index of predict() does: a feature listed twice is its later row.
      if (features[i] === '') rows.bias = i;
      else if (!readFeature(features[i]!, i, fill)) return null;
    }
    return rows;
  }

  concept(name: string): void {
    if (!this.seen(this.concepts.get(name))) this.unknownText(`c${name}`);
  }

  word(word: string, before: string): void {
    if (!this.seen(this.words.get(word))) this.unknownText(`w${word}`);
    if (this.seen(this.bigrams.get(before)?.get(word))) return;
    let after = this.unknownBigrams.get(before);
    if (!after) this.unknownBigrams.set(before, (after = new Set()));
    if (after.has(word)) return;
    after.add(word);
    this.unknown++;
  }

  trigram(key: number): void {
    if (!this.seen(this.trigrams.get(key))) this.unknownKey(key);
  }

  // Chinese characters' keys (all above 0) are told from trigrams' among the unknown by their sign.
  han(key: number): void {
    if (!this.seen(this.hans.get(key))) this.unknownKey(-key);
  }

  start(): this {
    if (++this.scanNo === 0xffffffff) this.seenIn.fill((this.scanNo = 0));
    this.known.length = 0;
    this.unknown = 0;
    if (this.unknownTexts.size) this.unknownTexts.clear();
    if (this.unknownBigrams.size) this.unknownBigrams.clear();
    if (this.unknownKeys.size) this.unknownKeys.clear();
    return this;
  }

  /** How many distinct features the scan had. */
  count(): number {
    return this.known.length + this.unknown;
  }

  /** Takes a known row (once a scan); false for a feature the model does not know. */
  private seen(row: number | undefined): boolean {
    if (row === undefined || row < 0) return false;
    if (this.seenIn[row] !== this.scanNo) {
      this.seenIn[row] = this.scanNo;
      this.known.push(row);
    }
    return true;
  }

  // Concepts and words are told apart among the unknown by a prefix.
  private unknownText(text: string): void {
    if (this.unknownTexts.has(text)) return;
    this.unknownTexts.add(text);
    this.unknown++;
  }

  private unknownKey(key: number): void {
    if (this.unknownKeys.has(key)) return;
    this.unknownKeys.add(key);
    this.unknown++;
  }
}

/** Rows by a whole-number key below 2^53, in flat arrays (open addressing): one cache line a look-up. */
class KeyRows {
  private keys: Float64Array;
  /** Row + 1; 0 for an empty slot. */
  private rows: Int32Array;
  private size = 0;

  /** Room for `expected` keys without growing. */
  constructor(expected: number) {
    let slots = 16;
    while (slots < expected * 2) slots *= 2;
    this.keys = new Float64Array(slots);
    this.rows = new Int32Array(slots);
  }

  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let slot = slotOf(key) & mask; ; slot = (slot + 1) & mask) {
      const row = this.rows[slot]!;
      if (row === 0 || this.keys[slot] === key) return row - 1;
    }
  }

  set(key: number, row: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let slot = slotOf(key) & mask;
    while (this.rows[slot] !== 0 && this.keys[slot] !== key) slot = (slot + 1) & mask;
    if (this.rows[slot] === 0) this.size++;
    this.keys[slot] = key;
    this.rows[slot] = row + 1;
  }

  private grow(): void {
    const { keys, rows } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.rows = new Int32Array(rows.length * 2);
    this.size = 0;
    for (let s = 0; s < keys.length; s++) if (rows[s] !== 0) this.set(keys[s]!, rows[s]! - 1);
  }
}

/** A slot for a key: its low and high 32 bits mixed (Fibonacci hashing). */
const slotOf = (key: number): number => Math.imul((key | 0) ^ Math.floor(key / 0x100000000), 0x9e3779b1) >>> 0;

/** float32 bytes in base64, in the byte order of the machine that built them (npm run build, where it runs). */
function float32s(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length % 4 !== 0) throw new Error('model weights are not float32 bytes');
  // Copied into its own buffer: aligned, and not a view into Buffer's shared pool.
  const out = new Float32Array(bytes.length / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Long messages have many features: scale them so length alone does not make the model sure. */
const featureScale = (n: number) => 1 / Math.sqrt(Math.max(n, 1));

function softmax(scores: Float64Array): Float64Array {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += scores[i] = Math.exp(scores[i]! - max);
  for (let i = 0; i < scores.length; i++) scores[i]! /= sum;
  return scores;
}

/** A small, seeded pseudo-random generator (mulberry32), for a repeatable shuffle (and generated test data). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Plain SGD on the log loss with L2, classes weighted to balance their frequency, the learning
 * rate decaying over the epochs. Feature order and the shuffle are fixed, so it is deterministic.
 */
export function train(examples: readonly Example[], trainedOn: string, opts: TrainOptions = TRAIN_DEFAULTS): Model {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const k = labels.length;
  const labelOf = new Map(labels.map((l, i) => [l, i]));
  const featureIndex = new Map<string, number>([['', 0]]);
  const rows = examples.map((e) => {
    const ids = new Set<number>();
    for (const f of e.features) {
      let i = featureIndex.get(f);
      if (i === undefined) featureIndex.set(f, (i = featureIndex.size));
      ids.add(i);
    }
    return { ids: [...ids], label: labelOf.get(e.label)!, scale: featureScale(e.features.length) };
  });
  const counts = new Array<number>(k).fill(0);
  for (const r of rows) counts[r.label]!++;
  const classWeight = counts.map((c) => (c ? examples.length / (k * c) : 0));

  const w = new Float32Array(featureIndex.size * k);
  const order = rows.map((_, i) => i);
  const rand = seededRandom(opts.seed);
  const p = new Float64Array(k);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const rate = opts.learningRate / (1 + epoch * 0.2);
    for (const n of order) {
      const r = rows[n]!;
      for (let l = 0; l < k; l++) p[l] = w[l]!;
      for (const i of r.ids) for (let l = 0; l < k; l++) p[l]! += w[i * k + l]! * r.scale;
      softmax(p);
      const cw = classWeight[r.label]!;
      for (let l = 0; l < k; l++) {
        const g = (p[l]! - (l === r.label ? 1 : 0)) * cw * rate;
        w[l]! -= g;
        for (const i of r.ids) {
          const at = i * k + l;
          w[at]! -= g * r.scale + opts.l2 * rate * w[at]!;
        }
      }
    }
  }
  return new Model(labels, [...featureIndex.keys()], w, trainedOn);
}
