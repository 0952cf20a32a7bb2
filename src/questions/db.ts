/**
 * The question log's database: SQLite in a file (better-sqlite3, the default) or PostgreSQL (pg,
 * when DATABASE_URL is set), behind one small interface so the log (src/questions/log.ts) and the
 * report (src/questions/report/) send the same SQL text to both. Queries are written with `?` parameters;
 * for PostgreSQL they become `$1, $2, …`. Values read back are plain JavaScript values except that
 * PostgreSQL returns BIGINT and SUM/COUNT as strings: read numbers through `num()`.
 *
 * Both drivers are loaded only when used. No connection URL, user name or password ever reaches a
 * message: a database is named by `where` (a path, or host:port/database) and error reasons go
 * through `safeReason`.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Pool, PoolClient } from 'pg';
import { DatabaseError, messages } from '../errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { ROOT } from '../paths.js';

type Dialect = 'sqlite' | 'postgres';
export type Param = string | number | null;
export type Row = Record<string, unknown>;

/** What a statement can run on: the database, or one transaction on it. */
export interface Queries {
  readonly dialect: Dialect;
  /** A statement that returns no rows; resolves to the number of rows it changed. */
  run(sql: string, params?: readonly Param[]): Promise<number>;
  /** A query; its rows. */
  all(sql: string, params?: readonly Param[]): Promise<Row[]>;
}

export interface Db extends Queries {
  /** The database for messages: the SQLite path, or host:port/database. */
  readonly where: string;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queries) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Where the question log lives, from the settings (QUESTION_DB, DATABASE_URL). */
export interface DbTarget {
  /** postgres:// or postgresql://; when set, SQLite is not used. */
  databaseUrl?: string | null;
  /** The SQLite file (created with its directory when missing, unless read-only). */
  sqlitePath?: string;
}

/** The default SQLite file, next to package.json (listed in .gitignore). */
export const DEFAULT_SQLITE_PATH = join(ROOT, 'data-local', 'questions.sqlite');

interface OpenOptions {
  /** The report reads: the SQLite file must exist and is opened read-only. */
  readonly?: boolean;
  /** How long a PostgreSQL connection attempt may take. */
  connectTimeoutMs?: number;
  /**
   * SQLite only, for writing: the file on a worker thread of its own (sqlite-thread.ts), so its
   * statements and commits never hold up the event loop (the bot's question log).
   */
  thread?: boolean;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(url.trim());
}

/** host:port/database of a PostgreSQL URL, never its user or password. */
function postgresWhere(url: string): string {
  try {
    const u = new URL(url);
    const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default database)';
    return `postgresql://${u.hostname || 'localhost'}:${u.port || '5432'}/${db}`;
  } catch {
    return 'postgresql://(unparsable URL)';
  }
}

/** The database's name for messages, without opening it. */
export function targetWhere(target: DbTarget): string {
  return target.databaseUrl ? postgresWhere(target.databaseUrl) : resolveSqlitePath(target.sqlitePath);
}

/** A relative QUESTION_DB is read from the project directory (where package.json is), like .env. */
export function resolveSqlitePath(path: string | undefined): string {
  if (!path) return DEFAULT_SQLITE_PATH;
  return isAbsolute(path) ? path : resolve(ROOT, path);
}

/**
 * An error's reason, fit for a log line: its message (and code), with the connection URL, its
 * password and anything shaped like `scheme://user:password@` cut out, and short.
 */
export function safeReason(err: unknown, databaseUrl?: string | null): string {
  if (err instanceof DatabaseError) return err.reason ?? err.message;
  const e = err as { message?: unknown; code?: unknown } | null;
  let text = typeof e?.message === 'string' && e.message ? e.message : String(err);
  const code = typeof e?.code === 'string' ? e.code : '';
  if (databaseUrl) {
    text = text.split(databaseUrl).join('[database url]');
    try {
      const password = decodeURIComponent(new URL(databaseUrl).password);
      if (password.length > 0) text = text.split(password).join('[redacted]');
    } catch {
      // An unparsable URL has no password we could find; the pattern below still applies.
    }
  }
  text = text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1[redacted]@')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length > 300) text = `${text.slice(0, 300)}…`;
  return code && !text.includes(code) ? `${code}: ${text}` : text;
}

/** A number from a row value (PostgreSQL returns BIGINT, COUNT and SUM as strings). */
export function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return 0;
}

/** `?` parameters as PostgreSQL's `$1, $2, …` (our queries hold no `?` in string literals). */
function toPostgresParams(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** A DatabaseError naming `where`, with the cleaned cause kept apart. */
function failed(where: string, err: unknown, databaseUrl?: string | null): DatabaseError {
  if (err instanceof DatabaseError) return err;
  const reason = safeReason(err, databaseUrl);
  return new DatabaseError(messages.questionDbFailed(where, reason), reason);
}

/** Opens the database named by `target`; rejects with a DatabaseError that never carries the URL. */
export async function openDb(target: DbTarget, opts: OpenOptions = {}): Promise<Db> {
  if (target.databaseUrl) return openPostgres(target.databaseUrl, opts);
  return openSqlite(resolveSqlitePath(target.sqlitePath), opts);
}

/**
 * The database's folder created 0700 and its files 0600 (the -wal and -shm SQLite makes take the
 * database file's mode): what askers typed is for the bot's own user only. The file is created here,
 * before SQLite would create it 0644. An existing folder keeps its mode.
 */
function ownerOnly(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if (existsSync(file)) chmodSync(file, 0o600);
    } catch {
      // Another user's file we may write to: its owner chose its mode; the log still works.
    }
  }
}

/**
 * How the writer opens the SQLite file, on the event loop or on its own thread: readers (the report)
 * never block the writer, and a commit costs no fsync of its own (WAL, NORMAL); a deleted row's
 * bytes are overwritten with zeros, not left in free space (retention's promise).
 */
export const WRITER_PRAGMAS: readonly string[] = Object.freeze([
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'secure_delete = ON',
]);

async function openSqlite(path: string, opts: OpenOptions): Promise<Db> {
  if (opts.thread && !opts.readonly) {
    try {
      ownerOnly(path);
    } catch (err) {
      throw failed(path, err);
    }
    const { openSqliteThread } = await import('./sqlite-thread.js');
    return openSqliteThread(path, (err) => failed(path, err));
  }
  const { default: Database } = await import('better-sqlite3');
  let db: BetterSqlite3.Database;
  try {
    if (!opts.readonly) ownerOnly(path);
    // The writer never waits for a lock (better-sqlite3 would block the event loop while it
    // waits): a busy database is a failed batch, retried later. The report may wait a little.
    db = new Database(path, {
      readonly: !!opts.readonly,
      fileMustExist: !!opts.readonly,
      timeout: opts.readonly ? 2000 : 0,
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (
      opts.readonly &&
      (code === 'SQLITE_CANTOPEN' || /does not exist|unable to open/i.test(String((err as Error).message)))
    ) {
      throw new DatabaseError(messages.noQuestionLog(path));
    }
    throw failed(path, err);
  }
  try {
    if (!opts.readonly) {
      for (const p of WRITER_PRAGMAS) db.pragma(p);
      ownerOnly(path);
    }
  } catch (err) {
    db.close();
    throw failed(path, err);
  }
  const statements = new Map<string, BetterSqlite3.Statement<unknown[], unknown>>();
  const prepare = (sql: string) => {
    let s = statements.get(sql);
    if (!s) {
      if (statements.size >= 256) statements.clear();
      s = db.prepare<unknown[], unknown>(sql);
      statements.set(sql, s);
    }
    return s;
  };
  const wrap = <T>(f: () => T): Promise<T> => {
    try {
      return Promise.resolve(f());
    } catch (err) {
      return Promise.reject(failed(path, err));
    }
  };
  const queries: Queries = {
    dialect: 'sqlite',
    run: (sql, params = []) => wrap(() => prepare(sql).run(...params).changes),
    all: (sql, params = []) => wrap(() => prepare(sql).all(...params) as Row[]),
  };
  return {
    ...queries,
    where: path,
    async transaction(fn) {
      // IMMEDIATE: take the write lock now, so a busy database fails here and not halfway through.
      await wrap(() => db.exec('BEGIN IMMEDIATE'));
      try {
        const out = await fn(queries);
        await wrap(() => db.exec('COMMIT'));
        return out;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

async function openPostgres(url: string, opts: OpenOptions): Promise<Db> {
  const where = postgresWhere(url);
  const { default: pg } = await import('pg');
  let pool: Pool;
  try {
    pool = new pg.Pool({
      connectionString: url,
      max: 2,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
      idleTimeoutMillis: 10_000,
      // A stuck server fails a batch instead of holding the writer forever.
      query_timeout: 15_000,
      keepAlive: true,
      application_name: 'icp-bot',
      // An idle pool never keeps the process (the CLI, a stopping bot) alive.
      allowExitOnIdle: true,
    });
  } catch (err) {
    throw failed(where, err, url);
  }
  // A pooled connection the server drops while idle: the next query reports it; nothing to do here.
  pool.on('error', () => {});
  const ignore = () => {};
  const queriesOn = (c: Pool | PoolClient): Queries => ({
    dialect: 'postgres',
    run: async (sql, params = []) => (await c.query(toPostgresParams(sql), [...params])).rowCount ?? 0,
    all: async (sql, params = []) => (await c.query(toPostgresParams(sql), [...params])).rows as Row[],
  });
  const wrap = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      throw failed(where, err, url);
    }
  };
  const onPool = queriesOn(pool);
  return {
    dialect: 'postgres',
    where,
    run: (sql, params) => wrap(() => onPool.run(sql, params)),
    all: (sql, params) => wrap(() => onPool.all(sql, params)),
    async transaction(fn) {
      const client = await wrap(() => pool.connect());
      // A connection lost between two statements is an 'error' event on the client: without a
      // listener it would crash the process; the statement that follows fails instead.
      client.on('error', ignore);
      let broken: unknown = undefined;
      try {
        await wrap(() => client.query('BEGIN'));
        const out = await fn(queriesOn(client));
        await wrap(() => client.query('COMMIT'));
        return out;
      } catch (err) {
        broken = err;
        await client.query('ROLLBACK').catch(() => undefined);
        throw failed(where, err, url);
      } finally {
        client.off('error', ignore);
        // After a failure the connection is dropped rather than reused.
        client.release(broken === undefined ? undefined : true);
      }
    },
    async close() {
      await pool.end().catch(() => undefined);
    },
  };
}

/** An arbitrary fixed key: migrations of several instances starting at once run one at a time. */
const MIGRATION_LOCK = 7_142_013;

/**
 * Brings the schema up to the newest step of `migrations`, each step once, in one transaction:
 * from an empty database, from any older version, or not at all when it is current. Rejects when
 * the database is newer than `migrations` knows.
 */
export async function migrate(
  db: Db,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<{ from: number; to: number }> {
  const known = migrations.at(-1)?.version ?? 0;
  return db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.all('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    await tx.run(
      'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)',
    );
    const from = num((await tx.all('SELECT MAX(version) AS v FROM schema_version'))[0]?.['v']);
    if (from > known) throw new DatabaseError(messages.schemaTooNew(db.where, from, known));
    for (const m of migrations) {
      if (m.version <= from) continue;
      for (const statement of m[tx.dialect]) await tx.run(statement);
      await m.backfill?.(tx);
      await tx.run('INSERT INTO schema_version (version, name, applied_at_ms) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        Date.now(),
      ]);
    }
    return { from, to: Math.max(from, known) };
  });
}

/** The schema version of an existing question log, for readers; rejects when there is none or it is too new. */
export async function readableSchema(db: Db, known = MIGRATIONS.at(-1)?.version ?? 0): Promise<number> {
  let version: number;
  try {
    version = num((await db.all('SELECT MAX(version) AS v FROM schema_version'))[0]?.['v']);
  } catch (err) {
    // No such table (SQLite) / relation does not exist (PostgreSQL, 42P01): a database, but not ours.
    if (
      /schema_version/.test(String((err as Error).message)) &&
      /no such table|does not exist|42P01/.test(String((err as Error).message))
    ) {
      throw new DatabaseError(messages.noQuestionLog(db.where));
    }
    throw err;
  }
  if (version < 1) throw new DatabaseError(messages.noQuestionLog(db.where));
  if (version > known) throw new DatabaseError(messages.schemaTooNew(db.where, version, known));
  return version;
}
