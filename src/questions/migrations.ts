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

export interface Migration {
  /** 1, 2, 3…: applied in this order, each once. */
  readonly version: number;
  /** What the step does, stored next to its version. */
  readonly name: string;
  readonly sqlite: readonly string[];
  readonly postgres: readonly string[];
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
];

/** The newest schema this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
