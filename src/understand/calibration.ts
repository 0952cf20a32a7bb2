/**
 * Confidence that means something: a decision's raw confidence mapped to the share of such
 * answers that were right when the classifier had not seen the question (cross-validation on the
 * training questions, src/understand/calibrate.ts; never on the frozen blind sets). One monotone
 * step map per group of decisions, fitted by isotonic regression (pool adjacent violators).
 */
import type { DecisionRow } from './decide.js';

/**
 * Decisions are calibrated by the row that made them, a firm rule's apart (an ICP证 number, moving
 * provider: the classifier was never taught those), and a reading the other reader contested (it
 * read another label) apart from one it did not: they are right at very different rates.
 */
export const groupOf = (row: DecisionRow, firm: boolean, contested: boolean): string =>
  [row, ...(firm ? ['firm'] : []), ...(contested ? ['contested'] : [])].join(':');

/** Rows whose confidence is not a reading's: the fallback, and the rules without a classifier. */
export const UNCALIBRATED_ROWS: ReadonlySet<DecisionRow> = new Set<DecisionRow>(['nothing', 'rules_only']);

export interface CalibrationPoint {
  group: string;
  raw: number;
  right: boolean;
}

/** Per group, steps `[upTo, confidence]` in rising order: a raw confidence up to `upTo` becomes `confidence`. */
export type CalibrationSteps = Record<string, [number, number][]>;

/** Pseudo-answers at the group's rate added to each step (and at the overall rate to each group), so a step of three questions cannot say 0 or 1. */
const PRIOR_WEIGHT = 5;

export function fitCalibration(points: readonly CalibrationPoint[]): CalibrationSteps {
  const byGroup = new Map<string, CalibrationPoint[]>();
  for (const p of points) byGroup.set(p.group, [...(byGroup.get(p.group) ?? []), p]);
  const steps: CalibrationSteps = {};
  const overall = points.filter((p) => p.right).length / Math.max(points.length, 1);
  for (const [group, ps] of [...byGroup].sort(([a], [b]) => (a < b ? -1 : 1))) {
    ps.sort((a, b) => a.raw - b.raw);
    // A small group leans on the rate of all readings.
    const rate = (ps.filter((p) => p.right).length + PRIOR_WEIGHT * overall) / (ps.length + PRIOR_WEIGHT);
    let floor = 0;
    steps[group] = pool(ps).map((b) => {
      // Shrunk towards the group's rate, then kept rising (shrinking can break the order of small steps).
      floor = Math.max(floor, (b.right + PRIOR_WEIGHT * rate) / (b.n + PRIOR_WEIGHT));
      return [Math.ceil(b.upTo * 1e6) / 1e6, round(floor)];
    });
  }
  return steps;
}

interface Block {
  upTo: number;
  right: number;
  n: number;
}

/** Pool adjacent violators: the rising step function closest to the points (sorted by raw). */
function pool(points: readonly CalibrationPoint[]): Block[] {
  const blocks: Block[] = [];
  for (const p of points) {
    const last = blocks[blocks.length - 1];
    // Equal raw confidences cannot be told apart: one step.
    if (last && last.upTo === p.raw) {
      last.right += p.right ? 1 : 0;
      last.n++;
    } else blocks.push({ upTo: p.raw, right: p.right ? 1 : 0, n: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1]!;
      const a = blocks[blocks.length - 2]!;
      if (a.right / a.n < b.right / b.n) break;
      blocks.pop();
      a.upTo = b.upTo;
      a.right += b.right;
      a.n += b.n;
    }
  }
  return blocks;
}

export class Calibration {
  constructor(readonly steps: CalibrationSteps) {}

  /** The calibrated confidence of a decision; the raw one for a group never seen in cross-validation. */
  confidence(group: string, raw: number): number {
    const steps = this.steps[group];
    if (!steps || steps.length === 0) return raw;
    for (const [upTo, confidence] of steps) if (raw <= upTo) return confidence;
    return steps[steps.length - 1]![1];
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
