/**
 * `icp-bot eval --cv`: how far the confidence can be trusted, measured by cross-validation on the
 * training questions (never on the frozen blind sets): each question read by a classifier that did
 * not see it, confidences calibrated as the bot calibrates them. Prints the reliability by
 * confidence band and the risk–coverage table the question-back threshold is chosen from
 * (DEFAULTS.clarifyBelow; docs/evaluation.md says how).
 */
import type { Analyzer } from './understand/analyze.js';
import { loadIntents } from './answer/intents.js';
import { DEFAULTS } from './defaults.js';
import { folds, loadCalibration } from './understand/calibrate.js';
import { loadClassifier } from './understand/classifier.js';
import { createReader } from './understand/read.js';
import { labelOf } from './understand/rules.js';
import { actionOf } from './understand/understand.js';
import type { Action } from './types.js';

interface Line {
  confidence: number;
  right: boolean;
  /** What the bot does when no contested reading is asked back. */
  action: Action;
  /** A contested reading that a question back would offer (its confidence decides); false when none. */
  contested: boolean;
}

export interface CvReport {
  total: number;
  /** Outright answers by calibrated confidence, at the chosen threshold. */
  reliability: { from: number; to: number; n: number; meanConfidence: number; right: number }[];
  /** At each threshold: shares of all lines answered outright, asked back, and answered outright wrongly. */
  riskCoverage: { threshold: number; answered: number; askedBack: number; wrong: number }[];
  chosen: number;
}

const THRESHOLDS = [0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
const BANDS = [0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001];

export function crossValidationReport(analyze: Analyzer, chosen = DEFAULTS.clarifyBelow): CvReport {
  const calibration = loadCalibration(analyze, loadClassifier(analyze));
  const intentSet = loadIntents();
  const lines: Line[] = [];
  for (const { model, heldOut } of folds(analyze)) {
    const reader = (clarifyBelow: number) =>
      createReader(analyze, intentSet, model, { mode: 'both', options: { ...DEFAULTS, clarifyBelow }, calibration });
    // Never asking a contested reading back, and always: the difference is what a threshold decides.
    const never = reader(0);
    const always = reader(1.01);
    for (const q of heldOut) {
      const u = never(q.text).understanding;
      const offered = always(q.text).understanding.options !== undefined && u.options === undefined;
      lines.push({
        confidence: u.confidence,
        right: labelOf(u.intent) === q.label,
        action: actionOf(u),
        contested: offered,
      });
    }
  }
  const actionAt = (l: Line, t: number): Action => (l.contested && l.confidence < t ? 'clarify' : l.action);
  const outright = (a: Action) => a === 'answer' || a === 'ask_province';
  const share = (n: number) => n / Math.max(lines.length, 1);
  const riskCoverage = THRESHOLDS.map((threshold) => {
    const acts = lines.map((l) => actionAt(l, threshold));
    return {
      threshold,
      answered: share(acts.filter(outright).length),
      askedBack: share(acts.filter((a) => a === 'clarify').length),
      wrong: share(lines.filter((l, i) => outright(acts[i]!) && !l.right).length),
    };
  });
  const answered = lines.filter((l) => outright(actionAt(l, chosen)));
  const reliability = BANDS.slice(0, -1).map((from, i) => {
    const to = BANDS[i + 1]!;
    const band = answered.filter((l) => l.confidence >= from && l.confidence < to);
    const mean = band.reduce((s, l) => s + l.confidence, 0) / Math.max(band.length, 1);
    return {
      from,
      to: Math.min(to, 1),
      n: band.length,
      meanConfidence: mean,
      right: band.filter((l) => l.right).length,
    };
  });
  return { total: lines.length, reliability, riskCoverage, chosen };
}

export function formatCvReport(r: CvReport): string {
  const f = (x: number) => x.toFixed(3);
  const out = [
    `Cross-validation on the ${r.total} training questions (label accuracy; each read by a classifier that did not see it)`,
    '',
    `reliability of outright answers (question back below ${r.chosen.toFixed(2)})`,
    '  confidence      answers  mean confidence  share right',
  ];
  for (const b of r.reliability) {
    if (!b.n) continue;
    out.push(
      `  ${f(b.from)}–${f(b.to)}  ${String(b.n).padStart(7)}  ${f(b.meanConfidence).padStart(15)}  ${f(b.right / b.n).padStart(11)}`,
    );
  }
  out.push('', 'risk and coverage (a contested reading below the threshold is asked back; shares of all questions)');
  out.push('  threshold  answered outright  asked back  answered wrongly');
  for (const c of r.riskCoverage) {
    const mark = c.threshold === r.chosen ? '  ← clarifyBelow' : '';
    out.push(
      `  ${f(c.threshold).padStart(9)}  ${f(c.answered).padStart(17)}  ${f(c.askedBack).padStart(10)}  ${f(c.wrong).padStart(16)}${mark}`,
    );
  }
  return out.join('\n');
}
