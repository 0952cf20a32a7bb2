/**
 * The plain fuse.js baseline of `npm run bench`: fuse.js (default options) over the public labelled
 * questions (../shared/eval/dev.jsonl, key `text`), each stdin line {"text": …} taking the intent of
 * its best hit, one {"intent"} line out. Timed as a whole process against `icp-bot classify --jsonl`
 * over the same lines.
 *
 *   node dist/bench/fuse-baseline.js PATH-TO-dev.jsonl < questions.jsonl
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import Fuse from 'fuse.js';

interface Labelled {
  text: string;
  intent: string;
}

const path = process.argv[2];
if (!path) {
  process.stderr.write('usage: fuse-baseline PATH-TO-dev.jsonl < questions.jsonl\n');
  process.exit(2);
}
const items = readFileSync(path, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Labelled);
const fuse = new Fuse(items, { keys: ['text'] });

const out: string[] = [];
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line.trim()) continue;
  const text = (JSON.parse(line) as { text: string }).text;
  out.push(JSON.stringify({ intent: fuse.search(text, { limit: 1 })[0]?.item.intent ?? 'fallback' }));
  if (out.length >= 1000) process.stdout.write(out.splice(0).join('\n') + '\n');
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
