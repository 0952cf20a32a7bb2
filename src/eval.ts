/**
 * Scores understanding against labelled questions (`{text, intent, province}` per line): per-intent
 * precision/recall/F1, a confusion matrix, province and answer accuracy, and every miss.
 */
import { DataError } from './errors.js';
import { CANNOT_HELP, CORE_INTENTS, type Action, type Understanding } from './types.js';

export const EVAL_LABELS = [...CORE_INTENTS, 'other'] as const;
type EvalLabel = (typeof EVAL_LABELS)[number];

export interface LabelledQuestion {
  text: string;
  intent: EvalLabel;
  province: string | null;
  /** Optional kind of question (email, slang, short, two_places, …) for `eval --by-kind`. */
  kind?: string;
  /** The message's other needs, as labels (two needs in one message). */
  also?: EvalLabel[];
  /** For a look-alike: the bot's own intent id that should answer it (switch_provider, new_filing, …). */
  topic?: string;
}

interface Miss {
  line: number;
  text: string;
  expected: { intent: EvalLabel; province: string | null };
  got: { intent: EvalLabel; province: string | null; candidates: string[]; confidence: number };
}

interface EvalReport {
  total: number;
  perIntent: Record<EvalLabel, { precision: number; recall: number; f1: number; support: number }>;
  macroF1: number;
  /** confusion[expected][predicted] */
  confusion: Record<EvalLabel, Record<EvalLabel, number>>;
  provinceAccuracy: number;
  provinceTotal: number;
  answerAccuracy: number;
  /** Answer accuracy per `kind` (lines without one count as "-"). */
  byKind: Record<string, { total: number; right: number; answerAccuracy: number }>;
  misses: Miss[];
  /** How the bot acted on the lines (given an `actionOf`): answered outright and wrongly, asked back. */
  actions: { answeredWrong: number; askedBack: number; byAction: Record<Action, number> } | null;
  /** Lines with an `also` field whose every need the bot found, of all such lines. */
  needs: { found: number; total: number };
  /** Single-need lines (no `also`) where the bot still found another need, of all such lines. */
  spuriousAlso: { count: number; total: number };
  /**
   * Risk and coverage: at each confidence threshold, the share of all lines the bot would answer
   * outright (answered, at least that sure) and the share of those that are wrong.
   */
  riskCoverage: { threshold: number; answered: number; wrong: number }[];
  /** Outright answers: their mean confidence and the share right (a calibrated confidence makes the two meet). */
  calibration: { meanConfidence: number; shareRight: number; answers: number };
  /** Lines with a `topic` the bot answered with that topic, of all such lines. */
  topics: { right: number; total: number; misses: { line: number; topic: string; got: string }[] };
}

/** A topic a blind set may name that the bot answers with its fallback. */
const FALLBACK_TOPICS = new Set(['unrelated']);

/** A non-core intent (greeting, help, fallback, …) is scored as `other`. */
export function toLabel(intent: string): EvalLabel {
  return (CORE_INTENTS as readonly string[]).includes(intent) ? (intent as EvalLabel) : 'other';
}

/** Parses a JSONL file's text; a bad line is a DataError naming the line and the reason. */
export function parseLabelled(text: string, file: string): LabelledQuestion[] {
  const out: LabelledQuestion[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new DataError(file, `line ${i + 1}`, 'not valid JSON');
    }
    const r = row as Partial<Record<string, unknown>>;
    if (typeof r.text !== 'string') throw new DataError(file, `line ${i + 1}.text`, 'must be a string');
    if (!(EVAL_LABELS as readonly unknown[]).includes(r.intent)) {
      throw new DataError(file, `line ${i + 1}.intent`, `must be one of ${EVAL_LABELS.join(', ')}`);
    }
    if (r.province !== null && r.province !== undefined && typeof r.province !== 'string') {
      throw new DataError(file, `line ${i + 1}.province`, 'must be a province id or null');
    }
    if (r.kind !== undefined && (typeof r.kind !== 'string' || !/^[a-z_]+$/.test(r.kind))) {
      throw new DataError(file, `line ${i + 1}.kind`, 'must be a lowercase word (letters and _)');
    }
    if (
      r.also !== undefined &&
      !(Array.isArray(r.also) && r.also.every((x) => (EVAL_LABELS as readonly unknown[]).includes(x)))
    )
      throw new DataError(file, `line ${i + 1}.also`, `must be a list of ${EVAL_LABELS.join(', ')}`);
    if (r.topic !== undefined && (typeof r.topic !== 'string' || !/^[a-z_]+$/.test(r.topic)))
      throw new DataError(file, `line ${i + 1}.topic`, 'must be an intent id (letters and _)');
    out.push({
      text: r.text,
      intent: r.intent as EvalLabel,
      province: (r.province as string | null | undefined) ?? null,
      ...(typeof r.kind === 'string' ? { kind: r.kind } : {}),
      ...(Array.isArray(r.also) && r.also.length ? { also: r.also as EvalLabel[] } : {}),
      ...(typeof r.topic === 'string' ? { topic: r.topic } : {}),
    });
  });
  return out;
}

export function evaluate(
  rows: readonly LabelledQuestion[],
  understand: (t: string) => Understanding,
  actionOf?: (u: Understanding) => Action,
): EvalReport {
  const zero = () => Object.fromEntries(EVAL_LABELS.map((l) => [l, 0])) as Record<EvalLabel, number>;
  const confusion = Object.fromEntries(EVAL_LABELS.map((l) => [l, zero()])) as EvalReport['confusion'];
  const misses: Miss[] = [];
  let provinceRight = 0;
  let provinceTotal = 0;
  let answerRight = 0;
  const byKind: EvalReport['byKind'] = {};
  const actions = actionOf
    ? { answeredWrong: 0, askedBack: 0, byAction: { answer: 0, clarify: 0, ask_province: 0, fallback: 0 } }
    : null;
  const needs = { found: 0, total: 0 };
  const spuriousAlso = { count: 0, total: 0 };
  const topics: EvalReport['topics'] = { right: 0, total: 0, misses: [] };
  const outright: { confidence: number; right: boolean }[] = [];

  rows.forEach((row, i) => {
    const u = understand(row.text);
    tallyNeeds(row, i + 1, u, { needs, spuriousAlso, topics });
    const got = toLabel(u.intent);
    confusion[row.intent][got]++;
    const intentOk = got === row.intent;
    let provinceOk = true;
    if (row.intent === 'deregister') {
      provinceTotal++;
      provinceOk = u.province === row.province;
      if (provinceOk) provinceRight++;
    }
    const kind = (byKind[row.kind ?? '-'] ??= { total: 0, right: 0, answerAccuracy: 0 });
    kind.total++;
    if (actions && actionOf) {
      const action = actionOf(u);
      actions.byAction[action]++;
      if (action === 'clarify') actions.askedBack++;
      else if (action === 'answer' || action === 'ask_province') {
        outright.push({ confidence: u.confidence, right: intentOk && provinceOk });
        if (!(intentOk && provinceOk)) actions.answeredWrong++;
      }
    }
    if (intentOk && provinceOk) {
      answerRight++;
      kind.right++;
    } else {
      misses.push({
        line: i + 1,
        text: row.text,
        expected: { intent: row.intent, province: row.province },
        got: { intent: got, province: u.province, candidates: u.candidates, confidence: u.confidence },
      });
    }
  });

  const perIntent = {} as EvalReport['perIntent'];
  for (const l of EVAL_LABELS) {
    const tp = confusion[l][l];
    const predicted = EVAL_LABELS.reduce((s, e) => s + confusion[e][l], 0);
    const support = EVAL_LABELS.reduce((s, p) => s + confusion[l][p], 0);
    const precision = predicted ? tp / predicted : support ? 0 : 1;
    const recall = support ? tp / support : 1;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perIntent[l] = { precision, recall, f1, support };
  }
  for (const k of Object.values(byKind)) k.answerAccuracy = k.right / k.total;
  const scored = EVAL_LABELS.filter((l) => perIntent[l].support > 0);
  const macroF1 = scored.reduce((s, l) => s + perIntent[l].f1, 0) / Math.max(scored.length, 1);
  return {
    total: rows.length,
    perIntent,
    macroF1,
    confusion,
    provinceAccuracy: provinceTotal ? provinceRight / provinceTotal : 1,
    provinceTotal,
    answerAccuracy: rows.length ? answerRight / rows.length : 1,
    byKind,
    misses,
    actions,
    needs,
    spuriousAlso,
    topics,
    riskCoverage: riskCoverage(outright, rows.length),
    calibration: {
      meanConfidence: outright.reduce((sum, o) => sum + o.confidence, 0) / Math.max(outright.length, 1),
      shareRight: outright.filter((o) => o.right).length / Math.max(outright.length, 1),
      answers: outright.length,
    },
  };
}

/** The other needs found (or found where there were none) and the look-alike topic answered, for one line. */
function tallyNeeds(
  row: LabelledQuestion,
  line: number,
  u: Understanding,
  t: Pick<EvalReport, 'needs' | 'spuriousAlso' | 'topics'>,
): void {
  const found = new Set([toLabel(u.intent), ...(u.also ?? []).map((n) => toLabel(n.intent))]);
  if (row.also) {
    t.needs.total++;
    if ([row.intent, ...row.also].every((l) => found.has(l))) t.needs.found++;
  } else {
    t.spuriousAlso.total++;
    if ((u.also?.length ?? 0) > 0) t.spuriousAlso.count++;
  }
  if (row.topic) {
    t.topics.total++;
    // On a line whose main ask is a core need, the topic names its side question ("…and is there a
    // fee?"): answered when it is among the other needs.
    const answeredWith = row.intent === 'other' ? [u.intent] : (u.also ?? []).map((n) => n.intent);
    const right =
      answeredWith.includes(row.topic) ||
      (FALLBACK_TOPICS.has(row.topic) && answeredWith.some((i) => CANNOT_HELP.has(i)));
    if (right) t.topics.right++;
    else t.topics.misses.push({ line, topic: row.topic, got: answeredWith.join(',') || '-' });
  }
}

/** At each threshold: the share of all lines answered outright at least that sure, and the share of those wrong. */
function riskCoverage(outright: readonly { confidence: number; right: boolean }[], total: number) {
  return RISK_THRESHOLDS.map((threshold) => {
    const kept = outright.filter((o) => o.confidence >= threshold);
    return {
      threshold,
      answered: total ? kept.length / total : 0,
      wrong: kept.length ? kept.filter((o) => !o.right).length / kept.length : 0,
    };
  });
}

const RISK_THRESHOLDS = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

const pct = (x: number) => x.toFixed(3);

interface ReaderScores {
  answerAccuracy: number;
  macroF1: number;
  provinceAccuracy: number;
}

export function formatReport(
  r: EvalReport,
  file: string,
  opts: { byKind?: boolean; readers?: Record<string, ReaderScores> } = {},
): string {
  const lines: string[] = [`Evaluation of ${file}: ${r.total} questions`, ''];
  lines.push('intent               precision  recall  f1     support');
  for (const l of EVAL_LABELS) {
    const s = r.perIntent[l];
    lines.push(
      `${l.padEnd(20)} ${pct(s.precision).padStart(9)}  ${pct(s.recall).padStart(6)}  ${pct(s.f1)}  ${String(s.support).padStart(7)}`,
    );
  }
  lines.push('', 'confusion (rows: expected, columns: predicted)');
  const short: Record<EvalLabel, string> = {
    deregister: 'dereg',
    forgot_password: 'passwd',
    lost_record_number: 'number',
    other: 'other',
  };
  lines.push(''.padEnd(20) + EVAL_LABELS.map((l) => short[l].padStart(8)).join(''));
  for (const e of EVAL_LABELS)
    lines.push(e.padEnd(20) + EVAL_LABELS.map((p) => String(r.confusion[e][p]).padStart(8)).join(''));
  lines.push('');
  lines.push(`intent macro-F1:   ${pct(r.macroF1)}`);
  lines.push(`province accuracy: ${pct(r.provinceAccuracy)} (${r.provinceTotal} deregister questions)`);
  lines.push(`answer accuracy:   ${pct(r.answerAccuracy)}`);
  const share = (n: number, of: number) => `${pct(of ? n / of : 0)} (${n} of ${of})`;
  if (r.actions) {
    lines.push(`answered outright and wrongly: ${share(r.actions.answeredWrong, r.total)}`);
    lines.push(`asked back (which reading?):   ${share(r.actions.askedBack, r.total)}`);
  }
  if (r.needs.total) lines.push(`two needs, every need found:   ${share(r.needs.found, r.needs.total)}`);
  if (r.needs.total) lines.push(`one need, another found too:   ${share(r.spuriousAlso.count, r.spuriousAlso.total)}`);
  if (r.topics.total) lines.push(`look-alike topic answered:     ${share(r.topics.right, r.topics.total)}`);
  if (r.actions) {
    lines.push(
      '',
      'risk and coverage (answered outright at least this sure: share of all lines, share of those wrong)',
    );
    for (const c of r.riskCoverage)
      lines.push(`  ≥ ${c.threshold.toFixed(2)}   answered ${pct(c.answered)}   wrong ${pct(c.wrong)}`);
    const c = r.calibration;
    lines.push(
      `  outright answers: ${c.answers}, mean confidence ${pct(c.meanConfidence)}, share right ${pct(c.shareRight)}`,
    );
  }
  if (opts.readers) {
    lines.push('', 'reader        answer  macro-F1  province');
    const row = (name: string, s: ReaderScores) =>
      `${name.padEnd(12)}  ${pct(s.answerAccuracy)}  ${pct(s.macroF1).padStart(8)}  ${pct(s.provinceAccuracy).padStart(8)}`;
    for (const [name, s] of Object.entries(opts.readers)) lines.push(row(`${name} only`, s));
    lines.push(row('both', r));
  }
  if (opts.byKind) {
    lines.push('', 'answer accuracy by kind');
    for (const [kind, k] of Object.entries(r.byKind).sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`  ${kind.padEnd(18)} ${pct(k.answerAccuracy)}  (${k.right}/${k.total})`);
    }
  }
  if (r.misses.length) {
    lines.push('', `misses (${r.misses.length}):`);
    for (const m of r.misses) {
      const got = `${m.got.intent}/${m.got.province ?? (m.got.candidates.length ? m.got.candidates.join('|') : '-')}`;
      lines.push(
        `  line ${m.line}: expected ${m.expected.intent}/${m.expected.province ?? '-'}, got ${got} (${m.got.confidence}): ${JSON.stringify(m.text.slice(0, 200))}`,
      );
    }
  }
  return lines.join('\n');
}
