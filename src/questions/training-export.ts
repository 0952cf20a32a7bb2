/**
 * `icp-bot training export [--since 30d] [--db …] [--unlabelled]`: the question log as material
 * for training.
 *
 * - `--unlabelled`: one JSON line per question the bot could not answer well (the fallback, a
 *   confidence below DEFAULTS.lowConfidence, "Not helpful", handed off) that has a kept text and a
 *   ref and nobody has labelled, and the answered ones drawn into the sample (LABEL_SAMPLE):
 *   {ref, text, intent, province, confidence, why}, `why` listing the reasons. Label them with
 *   `icp-bot label`.
 * - without: the labelled questions as a training file (readTrainingFile in
 *   src/understand/classifier.ts): a {"format": 1, "source": …} line, then
 *   {"text", "intent", "province", "kind": "log"} with the intent as one of the four evaluation
 *   labels (toLabel) and, where the label is not a core intent, "topic": the labelled intent id.
 *
 * The text is as the log keeps it: masked (src/mask.ts), which leaves names, companies and domains.
 * Rows are read a page at a time, so memory stays bounded whatever the log holds.
 */
import { DEFAULTS } from '../defaults.js';
import { toLabel } from '../eval.js';
import { UsageError } from '../errors.js';
import { CORE_INTENTS } from '../types.js';
import { num, type Db, type Param, type Row } from './db.js';
import { commandTarget, openQuestionDb, parseArgs, type CommandIo } from './command.js';
import { parseSince } from './report/queries.js';

const USAGE = 'icp-bot training export [--since 30d] [--db PATH] [--unlabelled]';
/** The training file's format (TRAINING_FORMAT in src/understand/classifier.ts). */
const TRAINING_FORMAT = 1;
/** The schema with labels and the sample (migrations 3 and 4). */
const LABELS_SCHEMA = 4;
const PAGE = 500;

type Why = 'fallback' | 'low_confidence' | 'not_helpful' | 'handed_off' | 'sampled';

/** A question waiting for a label. */
export interface UnlabelledLine {
  ref: string;
  text: string;
  intent: string;
  province: string | null;
  confidence: number;
  why: Why[];
}

/** A line of a training file. */
export interface TrainingLine {
  text: string;
  intent: string;
  province: string | null;
  kind: 'log';
  topic?: string;
}

interface Range {
  since: number;
  until: number;
}

const COLUMNS =
  'id, ref, text, intent, province, confidence, outcome, feedback, handed_off, sampled, label_intent, label_province';
/** A question the bot could not answer well, or one drawn into the sample; the threshold is its one parameter. */
const OFFERED =
  "(outcome = 'fallback' OR intent = 'fallback' OR confidence < ? OR feedback = 'not_helpful' OR handed_off = 1 OR sampled = 1)";

const SQL = {
  /** After id, the range, the threshold. */
  unlabelled: `SELECT ${COLUMNS} FROM questions
     WHERE id > ? AND at_ms >= ? AND at_ms < ? AND text IS NOT NULL AND ref IS NOT NULL
       AND label_intent IS NULL AND ${OFFERED}
     ORDER BY id LIMIT ${PAGE}`,
  /** After id, the range. */
  labelled: `SELECT ${COLUMNS} FROM questions
     WHERE id > ? AND at_ms >= ? AND at_ms < ? AND text IS NOT NULL AND label_intent IS NOT NULL
     ORDER BY id LIMIT ${PAGE}`,
};

/** Every row of `sql`, a page at a time in id order (`params` after the id). */
async function* pages(db: Db, sql: string, params: Param[]): AsyncGenerator<Row> {
  for (let after = 0; ;) {
    const rows = await db.all(sql, [after, ...params]);
    yield* rows;
    if (rows.length < PAGE) return;
    after = num(rows.at(-1)?.['id']);
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function whyOf(row: Row, low: number): Why[] {
  const why: Why[] = [];
  if (row['outcome'] === 'fallback' || row['intent'] === 'fallback') why.push('fallback');
  if (num(row['confidence']) < low) why.push('low_confidence');
  if (row['feedback'] === 'not_helpful') why.push('not_helpful');
  if (num(row['handed_off']) === 1) why.push('handed_off');
  if (num(row['sampled']) === 1) why.push('sampled');
  return why;
}

export async function* unlabelledLines(
  db: Db,
  range: Range,
  low = DEFAULTS.lowConfidence,
): AsyncGenerator<UnlabelledLine> {
  for await (const row of pages(db, SQL.unlabelled, [range.since, range.until, low])) {
    yield {
      ref: String(row['ref']),
      text: String(row['text']),
      intent: String(row['intent']),
      province: str(row['province']),
      confidence: num(row['confidence']),
      why: whyOf(row, low),
    };
  }
}

export async function* trainingLines(db: Db, range: Range): AsyncGenerator<TrainingLine> {
  for await (const row of pages(db, SQL.labelled, [range.since, range.until])) {
    const intent = String(row['label_intent']);
    const core = (CORE_INTENTS as readonly string[]).includes(intent);
    yield {
      text: String(row['text']),
      intent: toLabel(intent),
      province: str(row['label_province']),
      kind: 'log',
      ...(core ? {} : { topic: intent }),
    };
  }
}

/** The training file's first line. */
export function trainingHeader(now: number): { format: number; source: string } {
  const day = new Date(now).toISOString().slice(0, 10);
  return {
    format: TRAINING_FORMAT,
    source: `real questions from the question log, labelled with icp-bot label (exported ${day}; masked: names, companies and domains are not)`,
  };
}

/** The command: lines on standard output, exit code 0; a UsageError or DatabaseError otherwise (exit 2). */
export async function trainingCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'export') throw new UsageError(`training takes export: ${USAGE}`);
  const parsed = parseArgs(rest, { usage: USAGE, values: ['--since', '--db'], flags: ['--unlabelled'] });
  if (parsed.positional.length) throw new UsageError(`training export takes only options: ${USAGE}`);
  const now = io.now ?? Date.now();
  const range = { since: parseSince(parsed.values.get('--since') ?? '30d', now), until: now };
  const target = commandTarget(parsed.values.get('--db'), io.env);
  const db = await openQuestionDb(target, { write: false, needs: LABELS_SCHEMA });
  try {
    const lines = parsed.flags.has('--unlabelled') ? unlabelledLines(db, range) : trainingLines(db, range);
    let out = parsed.flags.has('--unlabelled') ? '' : `${JSON.stringify(trainingHeader(now))}\n`;
    for await (const line of lines) {
      out += `${JSON.stringify(line)}\n`;
      if (out.length > 64_000) {
        io.out(out);
        out = '';
      }
    }
    io.out(out);
  } finally {
    await db.close();
  }
  return 0;
}
