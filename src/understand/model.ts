/**
 * A small linear classifier (multinomial logistic regression) over sparse text features, trained
 * at build time on the labelled questions. It catches wording the rules never saw; the rules keep
 * what they do exactly (see understand.ts). Training is deterministic: same data, same model.
 */

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
  private readonly index = new Map<string, number>();

  constructor(
    readonly labels: readonly string[],
    features: readonly string[],
    private readonly weights: Float32Array,
    readonly trainedOn: string,
  ) {
    features.forEach((f, i) => this.index.set(f, i));
  }

  /** Probabilities per label, in `labels` order. Unknown features are ignored. */
  predict(features: readonly string[]): Float64Array {
    const k = this.labels.length;
    const scores = new Float64Array(k);
    const bias = this.index.get('');
    if (bias !== undefined) for (let l = 0; l < k; l++) scores[l] = this.weights[bias * k + l]!;
    const scale = featureScale(features.length);
    for (const f of features) {
      const i = this.index.get(f);
      if (i === undefined) continue;
      for (let l = 0; l < k; l++) scores[l]! += this.weights[i * k + l]! * scale;
    }
    return softmax(scores);
  }

  toFile(): ModelFile {
    const features = [...this.index.keys()];
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
