/**
 * The Redis the tests use: REDIS_URL, else the local one on 127.0.0.1:6379 (which `.ci/run` starts
 * when none answers). With CI or REDIS_URL set, a Redis that does not answer fails the tests; only
 * on a developer's machine with neither may they be skipped, saying how to start one. Each test
 * works under its own key prefix and removes it after. Never a mock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { freePort } from '../slack/bot-process.js';

export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Whether something answers PING with PONG at `url` within `timeoutMs`. */
export function redisAnswers(url = REDIS_URL, timeoutMs = 1000): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(u.port || 6379), u.hostname);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/** True when the Redis tests can run; throws where they must run but cannot. */
export async function redisForTests(): Promise<boolean> {
  if (await redisAnswers()) return true;
  const how =
    "start one with `redis-server --daemonize yes --save '' --appendonly no` (Debian: apt-get install redis-server), or set REDIS_URL";
  if (process.env.CI || process.env.REDIS_URL)
    throw new Error(
      `Redis does not answer at ${REDIS_URL}, and CI or REDIS_URL is set: the Redis tests must run. ${how}.`,
    );
  process.stderr.write(`Skipping the Redis tests: nothing answers at ${REDIS_URL}; ${how}.\n`);
  return false;
}

export const testPrefix = (): string => `icp-test-${process.pid}-${randomBytes(4).toString('hex')}`;

/** Deletes every key under `prefix` (a test's own). */
export async function dropPrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

/** A private redis-server (Debian's binary) on a free port, for tests that stop and start it. */
export interface PrivateRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 5000;
    while (!(await redisAnswers(url, 200))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url, port, stop, start };
}
