/**
 * The question log's SQLite file on a thread of its own (a worker), for the bot's writer
 * (src/questions/store.ts): a batch's transaction, and the WAL checkpoint SQLite runs inside a
 * commit now and then (it writes the database file back and syncs it: several milliseconds),
 * never hold up the event loop that answers. The same Db as db.ts's in-process SQLite: the same
 * pragmas (WRITER_PRAGMAS), the same statements (prepared once per text), errors as DatabaseErrors with the same
 * reasons (SQLITE_BUSY for a locked file, the open's own error for a path that cannot be made).
 *
 * Each call is one message to the worker and its answer; statements run in the order they were
 * sent. Nothing is lost on the way: a call resolves only once the worker has run it, a transaction
 * only once its COMMIT has; when the worker fails or exits, every call waiting on it is rejected
 * (the writer keeps the batch and retries it, on a new worker: store.ts opens again after a failed
 * attempt). The worker keeps the process up only while a call waits on it.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { WRITER_PRAGMAS, type Db, type Param, type Queries, type Row } from './db.js';

/** The worker: plain CommonJS, so it runs the same from src/ (tests) and from dist/ (built). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db = null;
const statements = new Map();
const prepare = (sql) => {
  let s = statements.get(sql);
  if (!s) {
    if (statements.size >= 256) statements.clear();
    s = db.prepare(sql);
    statements.set(sql, s);
  }
  return s;
};
function open() {
  // Never waits for a lock: a busy database is a failed attempt, retried by the writer.
  const d = new Database(workerData.path, { timeout: 0 });
  try {
    for (const p of workerData.pragmas) d.pragma(p);
  } catch (err) {
    d.close();
    throw err;
  }
  db = d;
}
parentPort.on('message', (m) => {
  try {
    let value = null;
    if (m.op === 'open') open();
    else if (m.op === 'run') value = prepare(m.sql).run(...m.params).changes;
    else if (m.op === 'all') value = prepare(m.sql).all(...m.params);
    else if (m.op === 'exec') db.exec(m.sql);
    else if (m.op === 'rollback') { if (db && db.inTransaction) db.exec('ROLLBACK'); }
    else if (m.op === 'close') { if (db && db.open) db.close(); }
    parentPort.postMessage({ id: m.id, ok: true, value });
  } catch (err) {
    const code = err && typeof err.code === 'string' ? err.code : undefined;
    parentPort.postMessage({ id: m.id, ok: false, message: String((err && err.message) || err), code });
  }
});
`;

type Op = 'open' | 'run' | 'all' | 'exec' | 'rollback' | 'close';

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  message?: string;
  code?: string;
}

/** An error from the worker, with the driver's message and code (safeReason in db.ts reads both). */
class SqliteThreadError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'SqliteError';
  }
}

/**
 * Opens `path` (its folder and file already made owner-only by the caller) on a worker thread.
 * `failed` turns a driver error into the DatabaseError db.ts gives for the same failure.
 */
export async function openSqliteThread(path: string, failed: (err: unknown) => Error): Promise<Db> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, pragmas: WRITER_PRAGMAS } });
  worker.unref();
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  /** Why the worker can take no more calls (it failed or exited); null while it can. */
  let gone: Error | null = null;

  const fail = (err: Error): void => {
    gone ??= err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
    worker.unref();
  };
  worker.on('message', (m: Reply) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    // Only a call waiting keeps the process up (as a database on the main thread would not).
    if (waiting.size === 0) worker.unref();
    if (m.ok) w.resolve(m.value);
    else w.reject(failed(new SqliteThreadError(m.message ?? 'SQLite failed', m.code)));
  });
  worker.on('error', (err) => fail(failed(err)));
  worker.on('exit', (code) => fail(failed(new SqliteThreadError(`the SQLite thread stopped (exit code ${code})`))));

  const call = (op: Op, sql = '', params: readonly Param[] = []): Promise<unknown> => {
    if (gone) return Promise.reject(gone);
    return new Promise((resolve, reject) => {
      const id = ++nextId;
      if (waiting.size === 0) worker.ref();
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, op, sql, params });
    });
  };

  const queries: Queries = {
    dialect: 'sqlite',
    run: async (sql, params = []) => (await call('run', sql, params)) as number,
    all: async (sql, params = []) => (await call('all', sql, params)) as Row[],
  };
  const close = async (): Promise<void> => {
    if (!gone) await call('close').catch(() => undefined);
    gone ??= new SqliteThreadError('the SQLite thread was closed');
    await worker.terminate();
  };
  try {
    await call('open');
  } catch (err) {
    await close();
    throw err;
  }
  return {
    ...queries,
    where: path,
    async transaction(fn) {
      // IMMEDIATE: take the write lock now, so a busy database fails here and not halfway through.
      await call('exec', 'BEGIN IMMEDIATE');
      try {
        const out = await fn(queries);
        await call('exec', 'COMMIT');
        return out;
      } catch (err) {
        await call('rollback').catch(() => undefined);
        throw err;
      }
    },
    close,
  };
}
