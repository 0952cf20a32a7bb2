/**
 * The question log's schema, as a list of versioned steps applied in order from an empty database
 * (src/questions/db.ts `migrate`). Each step is written for both databases; the queries that read and
 * write the log are the same text for both, so the two versions of a step must create the same
 * columns with types both read back alike:
 *
 * - times are whole milliseconds since the epoch (BIGINT), plus the UTC day as 'YYYY-MM-DD' text, so
 *   grouping by day needs no date function (SQLite and PostgreSQL have different ones);
 * - booleans are SMALLINT 0/1 (SQLite has no boolean type), so SUM() counts them in both;
 * - only the row id differs: SQLite's INTEGER PRIMARY KEY, PostgreSQL's identity column.
 *
 * Never edit a step that has shipped: add the next one. The `schema_version` table (one row per
 * applied step) is created by `migrate` itself.
 */
import type { Queries } from './db.js';
import { textKey } from './text-key.js';

export interface Migration {
  /** 1, 2, 3…: applied in this order, each once. */
  readonly version: number;
  /** What the step does, stored next to its version. */
  readonly name: string;
  readonly sqlite: readonly string[];
  readonly postgres: readonly string[];
  /** Values only code can compute for the rows already there, after the statements, in the same transaction. */
  readonly backfill?: (tx: Queries) => Promise<void>;
}

/** The columns of `questions` after step 1, the same for both databases but the id. */
const QUESTION_COLUMNS = `
  at_ms BIGINT NOT NULL,
  day TEXT NOT NULL,
  ref TEXT,
  team TEXT,
  channel TEXT,
  surface TEXT NOT NULL,
  lang TEXT,
  intent TEXT NOT NULL,
  province TEXT,
  confidence DOUBLE PRECISION NOT NULL,
  outcome TEXT NOT NULL,
  feedback TEXT,
  handed_off SMALLINT NOT NULL DEFAULT 0,
  latency_ms DOUBLE PRECISION NOT NULL,
  text TEXT`;

const QUESTION_INDEXES = [
  // Retention and every report filter on time.
  'CREATE INDEX questions_at ON questions (at_ms)',
  // Feedback and hand-offs find their question by its ref.
  'CREATE INDEX questions_ref ON questions (ref)',
];

/** A label: the intent id, the province id (or none), who gave it and when. */
const LABEL_COLUMNS = ['label_intent TEXT', 'label_province TEXT', 'label_by TEXT', 'label_at_ms BIGINT'];

/** What the bot read in a kept text (src/questions/reading.ts). */
const READING_COLUMNS = ['read_concepts TEXT', 'read_topic TEXT', 'read_key TEXT'];

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'questions: one row per question answered, with its feedback and hand-off',
    sqlite: [`CREATE TABLE questions (\n  id INTEGER PRIMARY KEY,${QUESTION_COLUMNS}\n)`, ...QUESTION_INDEXES],
    postgres: [
      `CREATE TABLE questions (\n  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,${QUESTION_COLUMNS}\n)`,
      ...QUESTION_INDEXES,
    ],
  },
  {
    version: 2,
    name: 'questions.text_key: the grouping key of the stored text, so the report groups in SQL',
    sqlite: ['ALTER TABLE questions ADD COLUMN text_key TEXT'],
    postgres: ['ALTER TABLE questions ADD COLUMN text_key TEXT'],
    backfill: backfillTextKeys,
  },
  {
    version: 3,
    name: 'questions.label_*: what a person said the question was (icp-bot label), who and when',
    sqlite: LABEL_COLUMNS.map((c) => `ALTER TABLE questions ADD COLUMN ${c}`),
    postgres: LABEL_COLUMNS.map((c) => `ALTER TABLE questions ADD COLUMN ${c}`),
  },
  {
    version: 4,
    name: 'questions.sampled: an answered question whose text was kept for labelling (LABEL_SAMPLE)',
    sqlite: ['ALTER TABLE questions ADD COLUMN sampled SMALLINT NOT NULL DEFAULT 0'],
    postgres: ['ALTER TABLE questions ADD COLUMN sampled SMALLINT NOT NULL DEFAULT 0'],
  },
  {
    version: 5,
    name: "questions.read_*: what the bot read in a kept text (concepts, the intent they point to, the report's grouping key)",
    sqlite: READING_COLUMNS.map((c) => `ALTER TABLE questions ADD COLUMN ${c}`),
    postgres: READING_COLUMNS.map((c) => `ALTER TABLE questions ADD COLUMN ${c}`),
    // Older rows have no reading: they are grouped by their text.
    backfill: async (tx) => {
      await tx.run("UPDATE questions SET read_key = 't:' || text_key WHERE text_key IS NOT NULL");
    },
  },
];

/** Rows read per step of a backfill: memory stays bounded whatever the log holds. */
const BACKFILL_PAGE = 500;

/** text_key for the rows written before step 2, a page at a time in id order. */
async function backfillTextKeys(tx: Queries): Promise<void> {
  for (let after = 0; ;) {
    const rows = await tx.all(
      `SELECT id, text FROM questions WHERE id > ? AND text IS NOT NULL ORDER BY id LIMIT ${BACKFILL_PAGE}`,
      [after],
    );
    for (const row of rows)
      await tx.run('UPDATE questions SET text_key = ? WHERE id = ?', [textKey(String(row['text'])), Number(row['id'])]);
    if (rows.length < BACKFILL_PAGE) return;
    after = Number(rows.at(-1)?.['id']);
  }
}

/** The newest schema this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
