/**
 * The PostgreSQL the tests use: DATABASE_URL, else the local one at
 * postgres://postgres@127.0.0.1:5432/test (which `.ci/run` starts when none answers). With CI or
 * DATABASE_URL set, a PostgreSQL that does not answer fails the tests; only on a developer's
 * machine with neither may they be skipped, saying how to start one. Each test works in its own
 * schema and drops it after. Never a mock.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { freePort } from '../slack/bot-process.js';

export const PG_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** Whether PostgreSQL at `url` answers `SELECT 1` within `timeoutMs`. */
export async function postgresAnswers(url = PG_URL, timeoutMs = 2000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** True when the PostgreSQL tests can run; throws where they must run but cannot. */
export async function postgresForTests(): Promise<boolean> {
  if (await postgresAnswers()) return true;
  const how =
    'start one (Debian: apt-get install postgresql, then pg_ctlcluster <version> main start, with `host all all 127.0.0.1/32 trust` in pg_hba.conf and `createdb test` as the postgres user; or run `.ci/run`), or set DATABASE_URL';
  const where = PG_URL.replace(/\/\/[^@/]*@/, '//');
  if (process.env.CI || process.env.DATABASE_URL) {
    throw new Error(
      `PostgreSQL does not answer at ${where}, and CI or DATABASE_URL is set: the PostgreSQL tests must run. ${how}.`,
    );
  }
  process.stderr.write(`Skipping the PostgreSQL tests: nothing answers at ${where}; ${how}.\n`);
  return false;
}

/** `url` with its connections put in `schema` (search_path through the startup options). */
export function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** `url` pointing at another host and port (for a proxy in front of the same server). */
export function withHostPort(url: string, host: string, port: number): string {
  const u = new URL(url);
  u.hostname = host;
  u.port = String(port);
  return u.toString();
}

export interface TestSchema {
  name: string;
  /** DATABASE_URL for code under test: every table it makes lands in this schema. */
  url: string;
  drop(): Promise<void>;
}

/** A new, uniquely named, empty schema; drop() removes it with everything in it. */
export async function testSchema(url = PG_URL): Promise<TestSchema> {
  const name = `icp_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(url, `CREATE SCHEMA ${name}`);
  return { name, url: withSchema(url, name), drop: () => admin(url, `DROP SCHEMA IF EXISTS ${name} CASCADE`) };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A TCP proxy on its own port in front of a PostgreSQL: stop() closes it and every connection
 * through it (then nothing listens on the port, as when a database goes away); start() listens
 * again on the same port.
 */
export interface PgProxy {
  port: number;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function pgProxy(url = PG_URL): Promise<PgProxy> {
  const target = new URL(url);
  const targetHost = target.hostname || '127.0.0.1';
  const targetPort = Number(target.port || 5432);
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((inbound) => {
        const outbound = connect(targetPort, targetHost);
        for (const sock of [inbound, outbound]) {
          sockets.add(sock);
          sock.on('error', () => {});
          sock.on('close', () => {
            sockets.delete(sock);
            inbound.destroy();
            outbound.destroy();
          });
        }
        inbound.pipe(outbound).pipe(inbound);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        server = s;
        resolve();
      });
    });
  const stop = async () => {
    const s = server;
    server = null;
    for (const sock of sockets) sock.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await start();
  return { port, url: withHostPort(url, '127.0.0.1', port), stop, start };
}

/**
 * The two databases a question-log test runs on: a new SQLite file under `tmp` each call, and a
 * PostgreSQL schema of its own each call (dropped by `cleanups`), skipped where there is none.
 */
export function logBackends(tmp: string, hasPostgres: boolean, cleanups: (() => Promise<unknown>)[]) {
  let seq = 0;
  return [
    { name: 'SQLite file', skip: false, db: async () => join(tmp, `q-${++seq}`, 'questions.sqlite') },
    {
      name: 'PostgreSQL',
      skip: !hasPostgres,
      db: async () => {
        const schema = await testSchema();
        cleanups.push(() => schema.drop());
        return schema.url;
      },
    },
  ];
}
