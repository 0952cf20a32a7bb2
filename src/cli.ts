#!/usr/bin/env node
/**
 * icp-bot: ask a question, classify JSON lines, evaluate a labelled file, check the data.
 * Exit codes: 0 ok, 1 below an accuracy floor or bad input lines, 2 usage or data errors.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { answer } from './answer.js';
import { IcpBotError, messages, UsageError } from './errors.js';
import { evaluate, formatReport, parseLabelled } from './eval.js';
import { checkData, formatSummary } from './check.js';
import { renderAgentText, renderText } from './render-text.js';
import { understand, understanderFor } from './understand.js';

const HELP = `icp-bot — answers ICP filing questions (deregistration, filing password, record number)

Usage:
  icp-bot ask "question" [--customer] [--full]
                                  what the agent sees: title, summary, details, source line;
                                  --customer: only the plain text for the customer (--full: with details)
  icp-bot classify --jsonl        read {"text": …} lines on stdin, write one classification per line
  icp-bot eval FILE.jsonl [--min-answer-accuracy X] [--by-kind] [--json]
                                  score a labelled file (text, intent, province, optional kind)
  icp-bot check                   validate data/ and intents/ and print a summary
  icp-bot help                    this text`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  switch (cmd) {
    case 'ask':
      return ask(args);
    case 'classify':
      return classify(args);
    case 'eval':
      return evalCommand(args);
    case 'check':
      return check();
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP + '\n');
      return 0;
    default:
      throw new UsageError(messages.unknownCommand(cmd));
  }
}

function ask(args: string[]): number {
  const question = args.filter((a) => a !== '--customer' && a !== '--full').join(' ').trim();
  if (!question) throw new UsageError('ask needs a question: icp-bot ask "how do I deregister in Zhejiang?"');
  const a = answer(understand(question));
  process.stdout.write(args.includes('--customer') ? renderText(a, { full: args.includes('--full') }) : renderAgentText(a));
  return 0;
}

async function classify(args: string[]): Promise<number> {
  if (!args.includes('--jsonl')) throw new UsageError('classify reads JSON lines: icp-bot classify --jsonl < questions.jsonl');
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const out: string[] = [];
  let bad = 0;
  let n = 0;
  const flush = () => {
    if (out.length) process.stdout.write(out.join('\n') + '\n');
    out.length = 0;
  };
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let text: unknown;
    try {
      text = (JSON.parse(line) as { text?: unknown } | null)?.text;
    } catch {
      text = undefined;
    }
    if (typeof text !== 'string') {
      // Keep the output aligned with the input: a bad line gets an error line, never silence.
      bad++;
      out.push(JSON.stringify({ error: messages.badJsonLine(n, 'expected a JSON object with a string "text"') }));
    } else {
      const u = understand(text);
      out.push(
        JSON.stringify({
          intent: u.intent,
          province: u.province,
          confidence: u.confidence,
          ...(u.candidates.length ? { candidates: u.candidates } : {}),
          ...(u.confirm ? { confirm: true } : {}),
        }),
      );
    }
    if (out.length >= 1000) flush();
  }
  flush();
  return bad ? 1 : 0;
}

function evalCommand(args: string[]): number {
  const file = args.find((a) => !a.startsWith('--') && !/^\d*\.?\d+$/.test(a));
  if (!file) throw new UsageError('eval needs a labelled file: icp-bot eval test/holdout.jsonl');
  const floorAt = args.indexOf('--min-answer-accuracy');
  const floor = floorAt >= 0 ? Number(args[floorAt + 1]) : undefined;
  if (floor !== undefined && !(floor >= 0 && floor <= 1)) throw new UsageError('--min-answer-accuracy takes a number from 0 to 1');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const rows = parseLabelled(text, file);
  const report = evaluate(rows, understand);
  // What each reader alone would score, so the classifier's contribution shows.
  const readers = Object.fromEntries(
    (['rules', 'model'] as const).map((mode) => {
      const r = evaluate(rows, understanderFor(mode));
      return [mode, { answerAccuracy: r.answerAccuracy, macroF1: r.macroF1, provinceAccuracy: r.provinceAccuracy }];
    }),
  );
  const out = args.includes('--json')
    ? JSON.stringify({ ...report, readers }, null, 2)
    : formatReport(report, file, { byKind: args.includes('--by-kind'), readers });
  process.stdout.write(out + '\n');
  if (floor !== undefined && report.answerAccuracy < floor) {
    process.stderr.write(`answer accuracy ${report.answerAccuracy.toFixed(3)} is below the floor ${floor}\n`);
    return 1;
  }
  return 0;
}

function check(): number {
  process.stdout.write(formatSummary(checkData()) + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof IcpBotError) {
      process.stderr.write(`icp-bot: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`icp-bot: unexpected error: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 70;
    }
  },
);
