/**
 * End-to-end helpers: the real bot (`npm start --ignore-scripts`, dist/ built by the global setup)
 * as a child process, pointed at an in-process Slack stand-in on loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { startStandin, type RecordedCall, type Standin } from '../../src/standin/server.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TOKEN = 'xoxb-e2e-0000000000-test-token-do-not-log';
export const SECRET = 'e2e-signing-secret-do-not-log-8f3a1c';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface BotProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Parsed JSON log lines from stdout. */
  logLines(): Record<string, unknown>[];
  waitForLog(pred: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnBot(opts: {
  env: Record<string, string | undefined>;
  port: number;
  command?: 'npm' | 'node';
  cwd?: string;
}): BotProcess {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('SLACK_')) env[k] = v;
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
  // Each bot process its own question log, out of the repository.
  env.QUESTION_DB ??= join(mkdtempSync(join(tmpdir(), 'icp-e2e-log-')), 'questions.sqlite');
  const child =
    opts.command === 'node'
      ? spawn(process.execPath, [`${ROOT}dist/src/main.js`], {
          cwd: opts.cwd ?? ROOT,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : // Own process group: npm runs the script through `sh -c`, which does not pass SIGTERM on to node.
        spawn('npm', ['start', '--ignore-scripts', '--silent'], {
          cwd: ROOT,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        });
  const group = opts.command !== 'node';
  let out = '';
  let stdout = '';
  const waiters = new Set<() => void>();
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    stdout += d.toString('utf8');
    for (const w of [...waiters]) w();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  // 'close' waits for the output pipes too, i.e. for node under npm to have exited as well.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const logLines = (): Record<string, unknown>[] =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  return {
    child,
    port: opts.port,
    url: `http://127.0.0.1:${opts.port}`,
    output: () => out,
    logLines,
    exited,
    waitForLog(pred, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const hit = logLines().find(pred);
          if (hit) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(hit);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching log line within ${timeoutMs} ms; output:\n${out.slice(-2000)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
      }
      return exited;
    },
  };
}

export async function waitHealthy(bot: BotProcess, opts: { ready?: boolean; timeoutMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    if (bot.child.exitCode !== null) throw new Error(`bot exited early:\n${bot.output()}`);
    try {
      // /healthz says it is alive; /readyz that it answers.
      const res = await fetch(`${bot.url}${opts.ready ? '/readyz' : '/healthz'}`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`bot not healthy in time:\n${bot.output()}`);
}

export interface Harness {
  standin: Standin;
  bot: BotProcess;
}

/** Stand-in + bot, ready to answer. `beforeStart` runs once the stand-in exists (e.g. to delay auth.test). */
export async function startHarness(
  opts: { env?: Record<string, string>; beforeStart?: (s: Standin) => void; waitReady?: boolean } = {},
): Promise<Harness> {
  const standin = await startStandin({ signingSecret: SECRET, botToken: TOKEN });
  opts.beforeStart?.(standin);
  const port = await freePort();
  standin.botUrl = `http://127.0.0.1:${port}/slack/events`;
  const bot = spawnBot({ port, env: botEnv(standin, port, opts.env) });
  await waitHealthy(bot, { ready: opts.waitReady !== false });
  return { standin, bot };
}

type HarnessOptions = NonNullable<Parameters<typeof startHarness>[0]>;

/**
 * A stand-in and a bot started before the tests of the enclosing file or describe and stopped
 * after them: read `standin` and `bot` inside tests (before the start they throw).
 */
export function useHarness(opts: HarnessOptions = {}): Harness {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness(opts);
  });
  afterAll(async () => {
    await h?.bot.stop();
    await h?.standin.close();
  });
  const started = (): Harness => {
    if (!h) throw new Error('the harness starts before the tests: use it inside a test');
    return h;
  };
  return {
    get standin() {
      return started().standin;
    },
    get bot() {
      return started().bot;
    },
  };
}

/** `n` bots on one stand-in, started and stopped around the tests like useHarness; `to(i)` sends to bot i (mod n). */
export interface Bots {
  readonly standin: Standin;
  readonly bots: BotProcess[];
  to(i: number): void;
}

export function useBots(n: number, env: Record<string, string>, after?: () => Promise<void>): Bots {
  let standin: Standin | undefined;
  const bots: BotProcess[] = [];
  beforeAll(async () => {
    standin = await startStandin({ signingSecret: SECRET, botToken: TOKEN });
    bots.push(...(await startBots(standin, n, env)));
    standin.botUrl = `${bots[0]!.url}/slack/events`;
  });
  afterAll(async () => {
    await Promise.all(bots.map((b) => b.stop()));
    await standin?.close();
    await after?.();
  });
  const started = (): Standin => {
    if (!standin) throw new Error('the bots start before the tests: use them inside a test');
    return standin;
  };
  return {
    get standin() {
      return started();
    },
    bots,
    to(i) {
      started().botUrl = `${bots[i % bots.length]!.url}/slack/events`;
    },
  };
}

/** The settings of a bot that talks to `standin` and listens on `port`, plus `env`. */
export function botEnv(standin: Standin, port: number, env: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: standin.apiUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...env,
  };
}

/** `n` bots on one stand-in (and, with REDIS_URL in `env`, one Redis), each ready to answer. */
export async function startBots(standin: Standin, n: number, env: Record<string, string>): Promise<BotProcess[]> {
  const bots: BotProcess[] = [];
  for (let i = 0; i < n; i++) {
    const port = await freePort();
    bots.push(spawnBot({ command: 'node', port, env: botEnv(standin, port, env) }));
  }
  await Promise.all(bots.map((b) => waitHealthy(b, { ready: true })));
  return bots;
}

/** Blocks of a recorded call (the Web API client sends them JSON-encoded in a form field). */
export function blocksOf(call: RecordedCall): Record<string, unknown>[] {
  const b = call.args.blocks;
  if (Array.isArray(b)) return b as Record<string, unknown>[];
  if (typeof b === 'string') return JSON.parse(b) as Record<string, unknown>[];
  return [];
}

/** All interactive elements of a call's blocks, with their block ids. */
export function elementsOf(call: RecordedCall): { blockId: string; element: Record<string, unknown> }[] {
  const out: { blockId: string; element: Record<string, unknown> }[] = [];
  for (const b of blocksOf(call)) {
    const blockId = typeof b.block_id === 'string' ? b.block_id : '';
    if (b.accessory && typeof b.accessory === 'object')
      out.push({ blockId, element: b.accessory as Record<string, unknown> });
    if (Array.isArray(b.elements))
      for (const e of b.elements)
        if (e && typeof e === 'object') out.push({ blockId, element: e as Record<string, unknown> });
  }
  return out;
}

export function findAction(
  call: RecordedCall,
  pred: (actionId: string) => boolean,
): { blockId: string; element: Record<string, unknown> } | undefined {
  return elementsOf(call).find((e) => typeof e.element.action_id === 'string' && pred(e.element.action_id));
}

/** Every string a user can see or follow in the blocks (not ids or button values), joined. */
export function textOf(call: RecordedCall): string {
  const strings: string[] = [];
  const hidden = new Set(['value', 'action_id', 'block_id', 'type']);
  const walk = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (!hidden.has(k)) walk(x);
  };
  walk(blocksOf(call));
  if (typeof call.args.text === 'string') strings.push(call.args.text);
  return strings.join('\n');
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `pred` holds (true), or `timeoutMs` passed (false), looking every 50 ms. */
export async function until(pred: () => boolean, timeoutMs = 8000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}
