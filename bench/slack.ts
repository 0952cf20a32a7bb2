/**
 * `npm run bench:slack`: drives a real bot process through the local Slack stand-in with signed DM
 * events on a fixed, open-loop schedule and reports, per rate: ack latency p50/p99, reply latency
 * (event sent → chat.postMessage received by the stand-in) p50/p99, throughput, lost and duplicated
 * replies, CPU ms per event. The same load runs, rounds interleaved, against a stock Bolt echo bot
 * (bench/bolt-echo-bot.ts) and a stock Botkit echo bot (bench/echo-bot.ts) for comparison.
 *
 *   node dist/bench/slack.js [--rates=200,500] [--duration=10] [--bots=icp,bolt-echo,botkit-echo]
 *                            [--warmup=100] [--drain=10] [--rounds=3] [--redis] [--instances=2]
 *                            [--transport=http,socket] [--question-log] [--cpu-prof=DIR] [--json]
 *
 * --redis adds "icp-redis": `--instances` bot processes (default 2) on one Redis (REDIS_URL, else
 * 127.0.0.1:6379, under a fresh key prefix removed afterwards), the generator sending each event to
 * the next instance in turn; it runs in the same rounds as the in-memory bot, so the two compare.
 * CPU per event is summed over all of a configuration's processes (Redis's own CPU is not counted).
 * --transport=http,socket adds "icp-socket": the bot in Socket Mode (SLACK_APP_TOKEN), the stand-in
 * sending envelopes over its WebSocket; ack = the envelope's acknowledgement on the socket.
 * --question-log adds "icp-nolog" (QUESTION_LOG=off) beside "icp" (its question log in a fresh SQLite
 * file): what writing every question costs the replies. Every icp process logs to its own temp file.
 * --cpu-prof=DIR runs the icp bot processes (not the echo bots) with `node --cpu-prof`, one
 * .cpuprofile each in DIR on exit; `node dist/bench/profile.js DIR/*.cpuprofile` sums them up.
 *   BENCH_CHILD_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles every bot process.
 *
 * Bounded: every child is killed at the end (and on any exit); a global deadline stops the run;
 * all traffic stays on 127.0.0.1 (the bots get SLACK_API_URL = the stand-in).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import os, { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { type Standin, startStandin } from '../src/standin/server.js';

type BotKind = 'icp' | 'icp-redis' | 'icp-socket' | 'icp-nolog' | 'bolt-echo' | 'botkit-echo';

interface Flags {
  rates: number[];
  durationS: number;
  bots: BotKind[];
  warmup: number;
  drainS: number;
  rounds: number;
  instances: number;
  redisUrl: string | null;
  /** --cpu-prof=DIR: where the icp bots write their CPU profiles; null: not profiled. */
  cpuProfDir: string | null;
  json: boolean;
}

export interface RateResult {
  bot: BotKind;
  round: number;
  rate: number;
  durationS: number;
  sent: number;
  ackP50: number;
  ackP99: number;
  replyP50: number;
  replyP99: number;
  replyMax: number;
  throughput: number;
  lost: number;
  duplicated: number;
  non200: number;
  /** How late the generator fired (actual − scheduled), p99: large values mean the load generator, not the bot, fell behind. */
  sendLagP99: number;
  /** CPU time the bot process used per event (Linux /proc; NaN elsewhere): robust to a busy machine, unlike latency. */
  botCpuMsPerEvent: number;
}

const PROVINCES = [
  'Beijing',
  'Tianjin',
  'Hebei',
  'Shanxi',
  'Inner Mongolia',
  'Liaoning',
  'Jilin',
  'Heilongjiang',
  'Shanghai',
  'Jiangsu',
  'Zhejiang',
  'Anhui',
  'Fujian',
  'Jiangxi',
  'Shandong',
  'Henan',
  'Hubei',
  'Hunan',
  'Guangdong',
  'Guangxi',
  'Hainan',
  'Chongqing',
  'Sichuan',
  'Guizhou',
  'Yunnan',
  'Tibet',
  'Shaanxi',
  'Gansu',
  'Qinghai',
  'Ningxia',
  'Xinjiang',
];
const question = (i: number): string => `How do I deregister my filing in ${PROVINCES[i % PROVINCES.length]}?`;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPTS: Record<BotKind, string> = {
  icp: fileURLToPath(new URL('../src/main.js', import.meta.url)),
  'icp-redis': fileURLToPath(new URL('../src/main.js', import.meta.url)),
  'icp-socket': fileURLToPath(new URL('../src/main.js', import.meta.url)),
  'icp-nolog': fileURLToPath(new URL('../src/main.js', import.meta.url)),
  'bolt-echo': fileURLToPath(new URL('./bolt-echo-bot.js', import.meta.url)),
  'botkit-echo': fileURLToPath(new URL('./echo-bot.js', import.meta.url)),
};

function parseFlags(argv: string[]): Flags {
  const get = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const num = (name: string, dflt: number): number => {
    const v = Number(get(name) ?? dflt);
    if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
    return v;
  };
  const rates = (get('rates') ?? '200,500').split(',').map(Number);
  if (rates.some((r) => !Number.isFinite(r) || r <= 0 || r > 5000))
    throw new Error('--rates: comma-separated events/s, 1..5000');
  const redis = argv.includes('--redis');
  const transports = (get('transport') ?? 'http').split(',');
  if (transports.some((t) => t !== 'http' && t !== 'socket')) throw new Error('--transport: http and/or socket');
  const socket = transports.includes('socket');
  const qlog = argv.includes('--question-log');
  const bots = (
    get('bots') ??
    (redis ? 'icp,icp-redis' : socket ? 'icp,icp-socket' : qlog ? 'icp,icp-nolog' : 'icp,bolt-echo,botkit-echo')
  )
    .split(',')
    .map((b) => (b === 'echo' ? 'botkit-echo' : b)) as BotKind[];
  if (bots.some((b) => !(b in SCRIPTS)))
    throw new Error('--bots: icp, icp-redis, icp-socket, icp-nolog, bolt-echo and/or botkit-echo');
  if (qlog && !bots.includes('icp-nolog')) bots.push('icp-nolog');
  if (socket && !bots.includes('icp-socket')) bots.push('icp-socket');
  if (bots.includes('icp-redis') && !redis) throw new Error('--bots=icp-redis needs --redis');
  if (redis && !bots.includes('icp-redis')) bots.push('icp-redis');
  const instances = Math.round(num('instances', 2));
  if (instances > 8) throw new Error('--instances: 1..8');
  const redisUrl = redis ? (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') : null;
  return {
    rates,
    durationS: Math.min(num('duration', 10), 120),
    bots,
    warmup: num('warmup', 100),
    drainS: num('drain', 10),
    rounds: Math.min(Math.round(num('rounds', 3)), 10),
    instances,
    redisUrl,
    cpuProfDir: get('cpu-prof') ?? null,
    json: argv.includes('--json'),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

function startBot(
  kind: BotKind,
  port: number,
  standin: Standin,
  token: string,
  secret: string,
  extra: Record<string, string> = {},
  cpuProfDir: string | null = null,
): { child: ChildProcess; stderr: () => string } {
  // Only what the bot needs: no inherited SLACK_* settings can point it anywhere but the stand-in.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    SLACK_BOT_TOKEN: token,
    SLACK_SIGNING_SECRET: secret,
    SLACK_API_URL: standin.apiUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    BOT_USER_ID: 'U0BOT',
    // Its own question log, out of the repository (or none, for the comparison).
    ...(kind === 'icp-nolog'
      ? { QUESTION_LOG: 'off' }
      : { QUESTION_DB: join(mkdtempSync(join(tmpdir(), 'icp-bench-log-')), 'questions.sqlite') }),
    ...extra,
  };
  // For profiling the bots, e.g. BENCH_CHILD_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean);
  if (cpuProfDir && kind.startsWith('icp')) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`);
  const child = spawn(process.execPath, [...nodeArgs, SCRIPTS[kind]], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err = (err + c.toString('utf8')).slice(-4000);
  });
  return { child, stderr: () => err };
}

async function stopBot(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitReady(standin: Standin, child: ChildProcess, stderr: () => string, url: string): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`bot exited with ${child.exitCode}: ${stderr()}`);
    standin.botUrl = url;
    const r = await standin.urlVerification('ready-check');
    if (r.status === 200 && r.body.includes('ready-check')) return;
    await sleep(100);
  }
  throw new Error(`bot not ready within 30 s: ${stderr()}`);
}

/** Socket Mode: no HTTP events to verify with; /readyz says the socket is up. */
async function waitReadyz(child: ChildProcess, stderr: () => string, eventsUrl: string): Promise<void> {
  const url = eventsUrl.replace(/\/slack\/events$/, '/readyz');
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`bot exited with ${child.exitCode}: ${stderr()}`);
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`bot not ready within 30 s: ${stderr()}`);
}

let userSeq = 0;
/** Each event comes from a fresh user in a fresh DM, so every reply maps to exactly one event. */
function nextUser(): { user: string; channel: string } {
  userSeq += 1;
  const id = `0B${String(userSeq).padStart(7, '0')}`;
  return { user: `U${id}`, channel: `D${id}` };
}

interface Pending {
  scheduled: number;
  sentAt: number;
  ackMs?: number;
  status?: number;
  replies: number;
  replyAt?: number;
}

/** user+system CPU ms of a process from /proc/<pid>/stat (clock ticks of 10 ms), NaN where unavailable. */
function cpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Fires `n` DMs at `rate`/s on a fixed schedule (not waiting for answers) and collects what came back. */
async function drive(
  standin: Standin,
  urls: readonly string[],
  rate: number,
  n: number,
  drainS: number,
): Promise<Map<string, Pending>> {
  const byChannel = new Map<string, Pending>();
  const off = standin.onCall((c) => {
    if (c.method !== 'chat.postMessage' || c.response.ok !== true || !c.message) return;
    const p = byChannel.get(c.message.channel);
    if (!p) return;
    p.replies += 1;
    if (p.replies === 1) p.replyAt = c.at;
  });
  const fire = (i: number, scheduled: number): void => {
    const { user, channel } = nextUser();
    const p: Pending = { scheduled, sentAt: performance.now(), replies: 0 };
    byChannel.set(channel, p);
    // Round robin over the instances, as a load balancer would (the stand-in reads botUrl as it sends).
    standin.botUrl = urls[i % urls.length];
    void standin.sendMessage({ user, text: question(i) }).then((r) => {
      p.ackMs = r.ackMs;
      p.status = r.status;
    });
  };
  const t0 = performance.now() + 20;
  await new Promise<void>((resolve) => {
    let i = 0;
    const tick = (): void => {
      const now = performance.now();
      for (let due = t0 + (i * 1000) / rate; i < n && due <= now; due = t0 + (i * 1000) / rate) fire(i++, due);
      if (i >= n) return resolve();
      setTimeout(tick, Math.max(0, t0 + (i * 1000) / rate - performance.now()));
    };
    tick();
  });
  const deadline = performance.now() + drainS * 1000;
  const done = (): boolean => [...byChannel.values()].every((p) => p.replies > 0 && p.status !== undefined);
  while (!done() && performance.now() < deadline) await sleep(50);
  await sleep(300); // late duplicates
  off();
  return byChannel;
}

function summarize(
  bot: BotKind,
  round: number,
  rate: number,
  durationS: number,
  results: Map<string, Pending>,
  cpu: number,
): RateResult {
  const all = [...results.values()];
  const acks = all.flatMap((p) => (p.ackMs === undefined ? [] : [p.ackMs]));
  const replies = all.flatMap((p) => (p.replyAt === undefined ? [] : [p.replyAt - p.sentAt]));
  const firstSend = Math.min(...all.map((p) => p.sentAt));
  const lastReply = Math.max(...all.flatMap((p) => (p.replyAt === undefined ? [] : [p.replyAt])));
  const r2 = (x: number): number => Math.round(x * 100) / 100;
  return {
    bot,
    round,
    rate,
    durationS,
    sent: all.length,
    ackP50: r2(pct(acks, 50)),
    ackP99: r2(pct(acks, 99)),
    replyP50: r2(pct(replies, 50)),
    replyP99: r2(pct(replies, 99)),
    replyMax: r2(Math.max(...replies)),
    throughput: r2(replies.length / ((lastReply - firstSend) / 1000)),
    lost: all.filter((p) => p.replies === 0).length,
    duplicated: all.reduce((s, p) => s + Math.max(0, p.replies - 1), 0),
    non200: all.filter((p) => p.status !== 200).length,
    sendLagP99: r2(
      pct(
        all.map((p) => p.sentAt - p.scheduled),
        99,
      ),
    ),
    botCpuMsPerEvent: r2(cpu / all.length),
  };
}

interface BotUnderTest {
  kind: BotKind;
  standin: Standin;
  /** One process, or `--instances` of them on one Redis. */
  procs: { child: ChildProcess; stderr: () => string; url: string }[];
  redisPrefix: string | null;
}

const stderrOf = (bot: BotUnderTest): string => bot.procs.map((p) => p.stderr()).join('\n');
const urlsOf = (bot: BotUnderTest): string[] => bot.procs.map((p) => p.url);
const cpuOf = (bot: BotUnderTest): number => bot.procs.reduce((sum, p) => sum + cpuMs(p.child.pid), 0);

async function setUpBot(kind: BotKind, flags: Flags, log: (s: string) => void): Promise<BotUnderTest> {
  const token = `xoxb-bench-${randomBytes(8).toString('hex')}`;
  const secret = randomBytes(16).toString('hex');
  const appToken = `xapp-bench-${randomBytes(8).toString('hex')}`;
  const socket = kind === 'icp-socket';
  const standin = await startStandin({
    signingSecret: secret,
    botToken: token,
    maxCalls: 1_000,
    appToken,
    transport: socket ? 'socket' : 'http',
  });
  const redisPrefix = kind === 'icp-redis' ? `bench-${randomBytes(4).toString('hex')}` : null;
  const extra: Record<string, string> =
    redisPrefix && flags.redisUrl
      ? { REDIS_URL: flags.redisUrl, REDIS_PREFIX: redisPrefix }
      : socket
        ? { SLACK_APP_TOKEN: appToken }
        : {};
  const bot: BotUnderTest = { kind, standin, procs: [], redisPrefix };
  try {
    for (let k = 0; k < (redisPrefix ? flags.instances : 1); k++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/slack/events`;
      bot.procs.push({ ...startBot(kind, port, standin, token, secret, extra, flags.cpuProfDir), url });
    }
    for (const p of bot.procs)
      await (socket ? waitReadyz(p.child, p.stderr, p.url) : waitReady(standin, p.child, p.stderr, p.url));
    log(`${kind}: ${bot.procs.length} process(es) ready; warming up with ${flags.warmup} DMs`);
    const warm = await drive(standin, urlsOf(bot), 100, flags.warmup, flags.drainS);
    const warmLost = [...warm.values()].filter((p) => p.replies === 0).length;
    if (warmLost === warm.size) throw new Error(`${kind}: no replies during warm-up: ${stderrOf(bot)}`);
    return bot;
  } catch (err) {
    await tearDown(bot);
    throw err;
  }
}

async function tearDown(bot: BotUnderTest): Promise<void> {
  for (const p of bot.procs) await stopBot(p.child);
  await bot.standin.close();
  if (bot.redisPrefix) await dropRedisPrefix(bot.redisPrefix, process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
}

/** Removes the run's keys (queue, dedupe, pending) from the shared Redis. */
async function dropRedisPrefix(prefix: string, url: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const r = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await r.connect();
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await r.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Best effort: the keys expire on their own.
  } finally {
    r.disconnect();
  }
}

async function runRate(
  bot: BotUnderTest,
  round: number,
  rate: number,
  flags: Flags,
  log: (s: string) => void,
): Promise<RateResult> {
  bot.standin.reset();
  log(`round ${round}, ${bot.kind}: ${rate} events/s for ${flags.durationS} s (load average ${loadavg()})`);
  const cpuBefore = cpuOf(bot);
  const results = await drive(bot.standin, urlsOf(bot), rate, Math.round(rate * flags.durationS), flags.drainS);
  const out = summarize(bot.kind, round, rate, flags.durationS, results, cpuOf(bot) - cpuBefore);
  if (bot.procs.some((p) => p.child.exitCode !== null))
    throw new Error(`${bot.kind} exited during the run: ${stderrOf(bot)}`);
  await sleep(1_000);
  return out;
}

/**
 * Both bots stay up (idle while the other runs) and take turns at each rate, round after round, so
 * a busy machine's background load hits both alike.
 */
async function benchAll(flags: Flags, log: (s: string) => void): Promise<RateResult[]> {
  const bots: BotUnderTest[] = [];
  try {
    for (const kind of flags.bots) bots.push(await setUpBot(kind, flags, log));
    const results: RateResult[] = [];
    for (let round = 0; round < flags.rounds; round++) {
      for (const rate of flags.rates)
        for (const bot of bots) results.push(await runRate(bot, round + 1, rate, flags, log));
    }
    return results;
  } finally {
    for (const bot of bots) await tearDown(bot);
  }
}

function table(results: RateResult[]): string {
  const head = [
    'bot',
    'round',
    'rate/s',
    'sent',
    'ack p50',
    'ack p99',
    'reply p50',
    'reply p99',
    'reply max',
    'thr/s',
    'lost',
    'dup',
    'non-200',
    'gen lag p99',
    'bot cpu/event',
  ];
  const ms = (x: number): string => `${x.toFixed(2)} ms`;
  const rows = results.map((r) => [
    r.bot,
    String(r.round),
    String(r.rate),
    String(r.sent),
    ms(r.ackP50),
    ms(r.ackP99),
    ms(r.replyP50),
    ms(r.replyP99),
    ms(r.replyMax),
    r.throughput.toFixed(0),
    String(r.lost),
    String(r.duplicated),
    String(r.non200),
    ms(r.sendLagP99),
    ms(r.botCpuMsPerEvent),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

/** The issue's targets: icp's median reply p99 at most this many times the Bolt echo bot's. */
const TARGET_RATIO: Record<number, number> = { 200: 1.5, 500: 2 };

export interface Comparison {
  rate: number;
  /** Per bot: the median over rounds of reply p99 and of CPU ms per event. */
  bots: { bot: BotKind; replyP99: number; cpuMsPerEvent: number; lost: number; duplicated: number }[];
  /** icp's median reply p99 ÷ the Bolt echo bot's, and the target where the issue sets one. */
  icpOverBolt: number | null;
  target: number | null;
}

/** Per rate, medians over the rounds, and icp against the Bolt echo bot. */
function comparisons(results: RateResult[]): Comparison[] {
  const rates = [...new Set(results.map((r) => r.rate))].sort((a, b) => a - b);
  return rates.map((rate) => {
    const kinds = [...new Set(results.map((r) => r.bot))];
    const bots = kinds.map((bot) => {
      const rs = results.filter((r) => r.bot === bot && r.rate === rate);
      const sum = (f: (r: RateResult) => number) => rs.reduce((a, r) => a + f(r), 0);
      return {
        bot,
        replyP99: median(rs.map((r) => r.replyP99)),
        cpuMsPerEvent: Math.round(median(rs.map((r) => r.botCpuMsPerEvent)) * 100) / 100,
        lost: sum((r) => r.lost),
        duplicated: sum((r) => r.duplicated),
      };
    });
    const icp = bots.find((b) => b.bot === 'icp');
    const bolt = bots.find((b) => b.bot === 'bolt-echo');
    const icpOverBolt = icp && bolt ? Math.round((icp.replyP99 / bolt.replyP99) * 100) / 100 : null;
    return { rate, bots, icpOverBolt, target: TARGET_RATIO[rate] ?? null };
  });
}

const loadavg = (): string =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

function printComparisons(cmps: Comparison[]): void {
  for (const c of cmps) {
    const per = c.bots
      .map((b) => `${b.bot} ${b.replyP99.toFixed(1)} ms, ${b.cpuMsPerEvent} ms CPU, ${b.lost}/${b.duplicated} lost/dup`)
      .join('; ');
    process.stdout.write(`\nat ${c.rate}/s, medians over rounds (reply p99): ${per}\n`);
    if (c.icpOverBolt !== null)
      process.stdout.write(
        `  icp reply p99 = ${c.icpOverBolt}× the Bolt echo bot's${c.target ? ` (target ≤ ${c.target}×: ${c.icpOverBolt <= c.target ? 'met' : 'NOT met'})` : ''}\n`,
      );
  }
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const log = (s: string): void => {
    if (!flags.json) process.stderr.write(`${s}\n`);
  };
  const budgetMs =
    flags.bots.length *
    (flags.rounds * flags.rates.length * (flags.durationS + flags.drainS + 2) + flags.drainS + 60) *
    1000;
  setTimeout(() => {
    process.stderr.write(`bench:slack: over its ${Math.round(budgetMs / 1000)} s budget, stopping\n`);
    process.exit(1);
  }, budgetMs).unref();

  const loadBefore = loadavg();
  const results = await benchAll(flags, log);
  const cmp = comparisons(results);
  // Load average at the end: the figures only mean something on an otherwise idle machine.
  const info = {
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '',
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
    date: new Date().toISOString(),
  };
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ ...info, loadavgBefore: loadBefore, results, comparisons: cmp }, null, 2)}\n`,
    );
    return;
  }
  process.stdout.write(
    `\n${info.cpus} CPU (${info.cpuModel}), Node ${info.node}, load average ${loadBefore} before, ${info.loadavg.join(' ')} after; ${flags.durationS} s per rate and round, open-loop DMs${flags.redisUrl ? `, icp-redis = ${flags.instances} instances on one Redis` : ''}\n\n`,
  );
  // Every round, in the order they ran.
  process.stdout.write(`${table(results)}\n`);
  printComparisons(cmp);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:slack failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
