/**
 * The question log's database side (src/questions/log.ts), what the writer (src/questions/writer.ts)
 * writes to: the database is opened and migrated up (src/questions/migrations.ts) on the first
 * attempt, and again after a failed one; each attempt runs the retention purge when it is due
 * (src/questions/retention.ts) and writes its batch in one transaction. With SQLite the writes run
 * on a thread of their own (src/questions/sqlite-thread.ts), off the event loop that answers, and
 * never wait for a lock: a busy database is a failed attempt.
 */
import { migrate, openDb, type Db, type DbTarget, type Param, type Queries } from './db.js';
import { recordLabel, type LabelChange, type LabelResult } from './label-store.js';
import type { Feedback } from './log.js';
import type { RetentionPurge } from './retention.js';
import { readingOf } from './reading.js';
import { textKey } from './text-key.js';
import type { BatchSink } from './writer.js';

/** One queued entry: a question's row, or feedback, a hand-off or a label for the question recorded with `ref`. */
export type Entry =
  | { kind: 'question'; values: Param[] }
  | { kind: 'feedback'; ref: string; value: Feedback; text: string | null }
  | { kind: 'handoff'; ref: string; text: string | null }
  | { kind: 'label'; change: LabelChange; settled: LabelSlot };

/** Where a label's outcome is left once its batch is committed: the result, or null for no such ref. */
export interface LabelSlot {
  result?: LabelResult | null;
}

/** The columns of a question's row: Entry.values are in this order. */
const QUESTION_COLUMNS =
  'at_ms, day, ref, team, channel, surface, lang, intent, province, confidence, outcome, feedback, handed_off, latency_ms, text, text_key, sampled, read_concepts, read_topic, read_key';
const QUESTION_PLACEHOLDERS = `(${QUESTION_COLUMNS.split(',')
  .map(() => '?')
  .join(', ')})`;
/** A text kept later (Not helpful, a hand-off) comes with its key and reading, unless the row has them. */
const KEEP_TEXT =
  'text = COALESCE(text, ?), text_key = COALESCE(text_key, ?), read_concepts = COALESCE(read_concepts, ?), read_topic = COALESCE(read_topic, ?), read_key = COALESCE(read_key, ?)';
const FEEDBACK_SQL = `UPDATE questions SET feedback = ?, ${KEEP_TEXT} WHERE id = (SELECT MAX(id) FROM questions WHERE ref = ?)`;
const HANDOFF_SQL = `UPDATE questions SET handed_off = 1, ${KEEP_TEXT} WHERE id = (SELECT MAX(id) FROM questions WHERE ref = ?)`;
/** Rows per INSERT statement: one round trip for a whole batch. */
const INSERT_CHUNK = 100;

export class QuestionStore implements BatchSink<Entry> {
  /** Feedback or hand-offs that found no question with their ref. */
  unmatched = 0;
  private db: Db | null = null;

  constructor(
    private readonly target: DbTarget,
    private readonly retention: RetentionPurge,
  ) {}

  hasWork(): boolean {
    return this.retention.due;
  }

  /** One attempt: open if needed, purge when due, write the batch. */
  async write(batch: readonly Entry[] | null): Promise<void> {
    const d = await this.ready();
    await this.retention.purgeIfDue(d);
    if (!batch) return;
    const labels: [LabelSlot, LabelResult | null][] = [];
    this.unmatched += await d.transaction((tx) => writeEntries(tx, batch, labels));
    // Only once committed: a label said to be stored is stored.
    for (const [slot, result] of labels) slot.result = result;
  }

  /** Start afresh next time: a SQLite file that moved or a broken pool is opened again. */
  async reset(): Promise<void> {
    const d = this.db;
    this.db = null;
    await d?.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    const d = this.db;
    this.db = null;
    await d?.close();
  }

  private async ready(): Promise<Db> {
    if (this.db) return this.db;
    // SQLite on a thread of its own: a batch's commit never holds up the answers.
    const opened = await openDb(this.target, { thread: true });
    try {
      await migrate(opened);
    } catch (err) {
      await opened.close();
      throw err;
    }
    this.db = opened;
    return opened;
  }
}

/** Writes `entries` in order; resolves to how many feedback or hand-offs found no question. */
async function writeEntries(
  tx: Queries,
  entries: readonly Entry[],
  labels: [LabelSlot, LabelResult | null][],
): Promise<number> {
  let misses = 0;
  let rows: Param[][] = [];
  const insert = async () => {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      await tx.run(
        `INSERT INTO questions (${QUESTION_COLUMNS}) VALUES ${chunk.map(() => QUESTION_PLACEHOLDERS).join(', ')}`,
        chunk.flat(),
      );
    }
    rows = [];
  };
  // In order: a feedback queued after its question finds it, even in the same batch.
  for (const e of entries) {
    if (e.kind === 'question') {
      rows.push(e.values);
      continue;
    }
    await insert();
    if (e.kind === 'label') {
      labels.push([e.settled, await recordLabel(tx, e.change)]);
      continue;
    }
    const kept = keptValues(e.text);
    const changed =
      e.kind === 'feedback'
        ? await tx.run(FEEDBACK_SQL, [e.value, ...kept, e.ref])
        : await tx.run(HANDOFF_SQL, [...kept, e.ref]);
    if (changed === 0) misses++;
  }
  await insert();
  return misses;
}

/** A kept text with its key and the bot's reading, as the row stores them (all null for no text). */
export function keptValues(text: string | null): [Param, Param, Param, Param, Param] {
  if (text === null) return [null, null, null, null, null];
  const key = textKey(text);
  const r = readingOf(text, key);
  return [text, key, r.concepts, r.topic, r.key];
}
