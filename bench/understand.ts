/**
 * npm run bench: speed of understand() (+ answer and both renderers) over ≥ 10,000 questions,
 * a 40 KB Slack-sized message, and the whole `icp-bot classify --jsonl` command with start-up,
 * against plain fuse.js over the same lines (bench/fuse-baseline.ts). Prints questions/s, p50/p99
 * latency, peak RSS and each target met or not. The targets (the same in README.md and
 * docs/benchmarks.md): understand ≥ 15,000 q/s with p99 ≤ 1 ms; a 40 KB message ≤ 5 ms (p50);
 * adversarial 50,000 characters ≤ 20 ms (p50, worst kind); classify --jsonl of 10,000 lines ≤ 2 s
 * and ≥ 30× faster than plain fuse.js; peak RSS ≤ 150 MB.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { answer } from '../src/answer/answer.js';
import { parseLabelled } from '../src/eval.js';
import { ROOT } from '../src/paths.js';
import { keepHeapSmall } from '../src/heap.js';
import { loadIntents } from '../src/answer/intents.js';
import { registry } from '../src/answer/registry.js';
import { renderBlocks } from '../src/answer/render-blocks.js';
import { renderText } from '../src/answer/render-text.js';
import { understand } from '../src/understand/understand.js';
import { ADVERSARIAL, flood } from './adversarial.js';

// As classify --jsonl runs (src/heap.ts): the RSS measured is that of the command.
registry();
loadIntents();
keepHeapSmall();

const args = process.argv.slice(2);
const count = Number(args[args.indexOf('--count') + 1]) || 20_000;
const json = args.includes('--json');

function questions(n: number): string[] {
  const base = ['test/holdout.jsonl', 'test/dev.jsonl'].flatMap((f) =>
    parseLabelled(readFileSync(join(ROOT, f), 'utf8'), f).map((q) => q.text),
  );
  // Vary the texts so caches of exact strings do not flatter the figures.
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) out.push(i < base.length ? base[i]! : `${base[i % base.length]} #${i}`);
  return out;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The kernel's peak resident set size of this process, in MB. */
const peakRssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** Times fn over n inputs made by `input(i)` (made outside the timed part, not kept). */
function timeEach(n: number, input: (i: number) => string, fn: (t: string) => unknown) {
  const lat = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const text = input(i);
    const t0 = performance.now();
    fn(text);
    lat[i] = performance.now() - t0;
    total += lat[i]!;
  }
  lat.sort();
  return {
    n,
    perSecond: Math.round(n / (total / 1000)),
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    max: lat[n - 1]!,
  };
}

const texts = questions(count);
understand('warm up'); // loads data and builds indexes: start-up, not per-question cost
const rssLoadedMB = peakRssMB();
// Warm-up, so the figures are of optimised code, as in a bot that has been running a while.
for (const t of texts.slice(0, 2000)) answer(understand(t));

const understandOnly = timeEach(texts.length, (i) => texts[i]!, understand);
const endToEnd = timeEach(
  texts.length,
  (i) => texts[i]!,
  (t) => {
    const a = answer(understand(t));
    renderBlocks(a);
    renderText(a);
  },
);
const rssQuestionsMB = peakRssMB();

// A 40,000-character message, Slack's limit: Chinese and English mixed, question at the end.
const filler = '我们公司的网站已经不再使用了，客户说需要处理一下相关的事情。The customer wrote a long email about it. ';
const big = filler.repeat(Math.ceil(40_000 / filler.length)).slice(0, 39_950) + ' 浙江注销备案';
const bigInput = (i: number) => big.slice(i % 50) + i; // a different string each time
for (let i = 0; i < 50; i++) understand(bigInput(i));
const big40k = timeEach(300, bigInput, understand);
const rssBigMB = peakRssMB();

// Adversarial floods at 50,000 characters (beyond Slack's limit): the worst case over ADVERSARIAL.
const adversarial = Object.entries(ADVERSARIAL).map(([name, unit]) => {
  const input = (i: number) => flood(unit, 50_000 - (i % 7));
  for (let i = 0; i < 3; i++) understand(input(i));
  return { name, ...timeEach(20, input, understand) };
});
const worst = adversarial.reduce((a, b) => (b.p50 > a.p50 ? b : a));

// The whole command, start-up included, as a user would run it.
const lines =
  texts
    .slice(0, 10_000)
    .map((text) => JSON.stringify({ text }))
    .join('\n') + '\n';
const cli = join(ROOT, 'dist', 'src', 'cli.js');
const t0 = performance.now();
const run = spawnSync(process.execPath, [cli, 'classify', '--jsonl'], { input: lines, maxBuffer: 64 << 20 });
const classifyMs = performance.now() - t0;
const classifyOk = run.status === 0 && run.stdout.toString().trim().split('\n').length === 10_000;

// Plain fuse.js over the public labelled questions, the same lines, the whole process too.
const devSet = join(ROOT, '..', 'shared', 'eval', 'dev.jsonl');
const fuse = existsSync(devSet) ? timeFuse(devSet) : null;

function timeFuse(path: string): { ms: number; ok: boolean } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'bench', 'fuse-baseline.js'), path], {
    input: lines,
    maxBuffer: 64 << 20,
  });
  const ok = r.status === 0 && r.stdout.toString().trim().split('\n').length === 10_000;
  return { ms: Math.round(performance.now() - started), ok };
}
const fuseRatio = fuse?.ok && classifyOk ? Math.round((fuse.ms / classifyMs) * 10) / 10 : null;

const TARGETS = {
  perSecond: 15_000,
  p99Ms: 1,
  big40kMs: 5,
  adversarialMs: 20,
  classifyMs: 2000,
  overFuse: 30,
  rssMB: 150,
};

const result = {
  questions: count,
  understand: understandOnly,
  understandAnswerRender: endToEnd,
  message40k: big40k,
  adversarial50k: {
    worst: { name: worst.name, p50: worst.p50, max: worst.max },
    all: adversarial.map((a) => ({ name: a.name, p50: a.p50, max: a.max })),
  },
  classifyCommand10k: { ms: Math.round(classifyMs), ok: classifyOk },
  fuseBaseline10k: fuse,
  classifyOverFuse: fuseRatio,
  targets: TARGETS,
  rssAfterLoadMB: rssLoadedMB,
  peakRssQuestionsMB: rssQuestionsMB,
  peakRssWith40kMB: rssBigMB,
  node: process.version,
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? ''}`,
  loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
};
const peakMB = Math.max(rssQuestionsMB, rssBigMB);

if (json) console.log(JSON.stringify(result, null, 2));
else {
  const row = (name: string, r: typeof understandOnly) =>
    `${name.padEnd(28)} ${String(r.perSecond).padStart(9)} q/s   p50 ${r.p50.toFixed(3)} ms   p99 ${r.p99.toFixed(3)} ms   max ${r.max.toFixed(2)} ms`;
  console.log(`icp-bot bench — ${count} questions, ${process.version}`);
  console.log(row('understand', understandOnly));
  console.log(row('understand+answer+render', endToEnd));
  console.log(row('40 KB message (understand)', big40k));
  console.log(
    `adversarial 50,000 characters, worst case: ${worst.name}: p50 ${worst.p50.toFixed(2)} ms, max ${worst.max.toFixed(2)} ms (${adversarial.length} kinds)`,
  );
  console.log(
    `classify --jsonl, 10,000 lines, start-up included: ${Math.round(classifyMs)} ms${classifyOk ? '' : ' (FAILED)'}`,
  );
  console.log(
    `plain fuse.js over ../shared/eval/dev.jsonl, the same lines: ${fuse ? `${fuse.ms} ms${fuse.ok ? '' : ' (FAILED)'}` : 'skipped (no ../shared/eval/dev.jsonl)'}${fuseRatio ? `; classify is ${fuseRatio}× faster` : ''}`,
  );
  console.log(
    `RSS: ${result.rssAfterLoadMB} MB after loading the data; peak ${result.peakRssQuestionsMB} MB over the ${count} questions, ${result.peakRssWith40kMB} MB after the 40 KB messages too`,
  );
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(
    [
      `targets: understand ≥ ${TARGETS.perSecond} q/s ${met(understandOnly.perSecond >= TARGETS.perSecond)}`,
      `p99 ≤ ${TARGETS.p99Ms} ms ${met(understandOnly.p99 <= TARGETS.p99Ms)}`,
      `40 KB ≤ ${TARGETS.big40kMs} ms ${met(big40k.p50 <= TARGETS.big40kMs)}`,
      `adversarial ≤ ${TARGETS.adversarialMs} ms ${met(worst.p50 <= TARGETS.adversarialMs)}`,
      `classify ≤ ${TARGETS.classifyMs / 1000} s ${met(classifyOk && classifyMs <= TARGETS.classifyMs)}`,
      `≥ ${TARGETS.overFuse}× fuse.js ${met(fuseRatio !== null && fuseRatio >= TARGETS.overFuse)}`,
      `peak RSS ≤ ${TARGETS.rssMB} MB ${met(peakMB <= TARGETS.rssMB)}`,
    ].join('; '),
  );
  console.log(`${result.machine}, load average ${result.loadavg.join(' ')} at the end`);
}
