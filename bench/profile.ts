/**
 * Sums up CPU profiles of the bot (`npm run bench:slack -- --cpu-prof=DIR`): where its CPU went,
 * per event, by what each sample was working for, and the functions with the most self time.
 *
 *   node dist/bench/profile.js [--events=N] [--top=25] DIR/*.cpuprofile
 *
 * Each sample is charged to the first frame, from the leaf towards the root, that belongs to one of
 * the groups below (so JSON.stringify under pino is logging, a socket write under axios is the Web
 * API client); a sample with none is "Node's own". Samples before the first request the receiver
 * handled are start-up. `--events` (the events the process answered, warm-up included) turns
 * milliseconds into milliseconds per event.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Groups, first match wins within a frame; order matters (the question log's SQLite before the rest of src/). */
const GROUPS: [string, (f: CallFrame) => boolean][] = [
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  [
    'users.info (agent look-up)',
    (f) => /\/src\/slack\/(agents|lookup-cache)\.js$/.test(f.url) || f.functionName === 'userFacts',
  ],
  [
    'Web API client (@slack/web-api, axios)',
    (f) =>
      /node_modules\/(@slack\/web-api|axios|form-data|follow-redirects|p-queue|p-retry|combined-stream|mime-types|asynckit|proxy-from-env)\//.test(
        f.url,
      ) || /\/src\/slack\/webapi\.js$/.test(f.url),
  ],
  [
    'logging (pino)',
    (f) =>
      /node_modules\/(pino|pino-std-serializers|sonic-boom|fast-redact|quick-format-unescaped|safe-stable-stringify|on-exit-leak-free|thread-stream)\//.test(
        f.url,
      ) || /\/src\/slack\/log\.js$/.test(f.url),
  ],
  ['question log (SQLite)', (f) => /\/src\/questions\//.test(f.url) || /node_modules\/better-sqlite3\//.test(f.url)],
  [
    'Botkit turn',
    (f) =>
      /node_modules\/(botkit|botbuilder[^/]*|botframework[^/]*|@azure|adaptive-expressions)\//.test(f.url) ||
      /\/src\/slack\/(turn|adapter)\.js$/.test(f.url),
  ],
  [
    'understanding',
    (f) => /\/src\/understand\//.test(f.url) || /node_modules\/(fuse\.js|pinyin-pro|opencc-js)\//.test(f.url),
  ],
  [
    'answer, Block Kit, buttons',
    (f) => /\/src\/answer\//.test(f.url) || /\/src\/slack\/(actions|for-agents|strings)\.js$/.test(f.url),
  ],
  [
    'receiving (HTTP, signature, parsing, de-duplication, queue)',
    (f) => /\/src\/slack\/(receiver-http|verify|inbound|dedupe|dispatcher|filters)\.js$/.test(f.url),
  ],
  ['handlers, conversation context', (f) => /\/src\/slack\//.test(f.url) || /\/src\//.test(f.url)],
];

const IDLE = new Set(['(idle)']);

function flag(argv: string[], name: string): string | undefined {
  return argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

function main(): void {
  const argv = process.argv.slice(2);
  const events = Number(flag(argv, 'events') ?? NaN);
  const top = Number(flag(argv, 'top') ?? 25);
  const files = argv.filter((a) => !a.startsWith('--'));
  if (files.length === 0) throw new Error('usage: profile.js [--events=N] [--top=25] FILE.cpuprofile…');
  const byGroup = new Map<string, number>();
  const bySelf = new Map<string, number>();
  let total = 0;
  let startup = 0;
  for (const file of files) {
    const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    const parent = new Map<number, number>();
    const nodes = new Map<number, ProfileNode>();
    for (const n of prof.nodes) {
      nodes.set(n.id, n);
      for (const c of n.children ?? []) parent.set(c, n.id);
    }
    const groupOf = new Map<number, string>();
    const group = (id: number): string => {
      const known = groupOf.get(id);
      if (known) return known;
      let g = "Node's own (sockets, timers, microtasks, V8)";
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const f = nodes.get(at)?.callFrame;
        const hit = f && GROUPS.find(([, test]) => test(f));
        if (hit) {
          g = hit[0];
          break;
        }
      }
      groupOf.set(id, g);
      return g;
    };
    const receives = new Map<number, boolean>();
    const isRequest = (id: number): boolean => {
      const known = receives.get(id);
      if (known !== undefined) return known;
      let yes = false;
      for (let at: number | undefined = id; at !== undefined && !yes; at = parent.get(at))
        yes = /\/src\/slack\/receiver-http\.js$/.test(nodes.get(at)?.callFrame.url ?? '');
      receives.set(id, yes);
      return yes;
    };
    let started = false;
    prof.samples.forEach((id, i) => {
      const ms = (prof.timeDeltas[i] ?? 0) / 1000;
      const f = nodes.get(id)?.callFrame;
      if (!f || IDLE.has(f.functionName)) return;
      total += ms;
      started ||= isRequest(id);
      if (!started) {
        startup += ms;
        return;
      }
      const g = group(id);
      byGroup.set(g, (byGroup.get(g) ?? 0) + ms);
      const where = f.url ? `${f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${f.lineNumber + 1}` : '';
      const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
      bySelf.set(key, (bySelf.get(key) ?? 0) + ms);
    });
  }
  const per = (ms: number): string =>
    Number.isFinite(events) ? `${((ms / events) * 1000).toFixed(0).padStart(5)} µs/event` : '';
  const line = (name: string, ms: number): string =>
    `${ms.toFixed(0).padStart(7)} ms ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${per(ms)}  ${name}`;
  process.stdout.write(
    `CPU, not idle: ${total.toFixed(0)} ms${Number.isFinite(events) ? ` over ${events} events` : ''}\n\n`,
  );
  process.stdout.write('By what it was working for:\n');
  const groups = [...byGroup.entries(), ['start-up (before the first request)', startup] as [string, number]];
  for (const [g, ms] of groups.sort((a, b) => b[1] - a[1])) process.stdout.write(`${line(g, ms)}\n`);
  process.stdout.write(`\nTop ${top} functions by self time (after start-up):\n`);
  for (const [k, ms] of [...bySelf.entries()].sort((a, b) => b[1] - a[1]).slice(0, top))
    process.stdout.write(`${line(k, ms)}\n`);
}

main();
