#!/usr/bin/env node
/**
 * icp-bot: ask a question, classify JSON lines, evaluate a labelled file, check the data, report on
 * the question log, label its questions and export them for training. Exit codes: 0 ok, 1 below an accuracy floor or bad input lines, 2 usage, data
 * or database errors.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { IcpBotError, messages, UsageError } from './errors.js';
import { actionOf, analyzer, understand, understanderFor } from './understand/understand.js';
import { keepHeapSmall } from './heap.js';
import { loadIntents } from './answer/intents.js';
import { registry } from './answer/registry.js';
import { ROOT } from './paths.js';
import type { CommandIo } from './questions/command.js';
import type { DbTarget } from './questions/db.js';
// The other commands' modules (the answers, evaluation, the question log and its databases, dotenv)
// are imported by their command: `classify` is timed with its start-up, and loads none of them.

const HELP = `icp-bot — answers ICP filing questions (deregistration, filing password, record number)

Usage:
  icp-bot ask "question" [--customer] [--full]
                                  what the agent sees: title, summary, details, source line;
                                  --customer: only the plain text for the customer (--full: with details)
  icp-bot classify --jsonl        read {"text": …} lines on stdin, write one classification per line
  icp-bot eval FILE.jsonl [--min-answer-accuracy X] [--by-kind] [--json]
                                  score a labelled file (text, intent, province, optional kind)
  icp-bot eval --log [--since 90d] [--db PATH] [--json]
                                  the accuracy on real traffic: the bot's reading of the sampled
                                  questions (LABEL_SAMPLE) people labelled, week by week
  icp-bot eval --cv               cross-validation on the training questions: how far the
                                  confidence can be trusted, and the risk–coverage table the
                                  question-back threshold is chosen from
  icp-bot check                   validate data/ and intents/ and print a summary
  icp-bot report [--since 7d] [--html FILE] [--db PATH] [--json]
                                  the question log: volume by day, intent, province and surface,
                                  fallback and "Not helpful" rates, top unanswered questions, the
                                  slowest answers; --since 24h, 2w or 2026-11-01 (default 7d);
                                  --html: also a page with charts; --db: a SQLite file or a
                                  postgres:// URL (default: DATABASE_URL, else QUESTION_DB);
                                  --json: the same data as JSON
  icp-bot label REF INTENT [PROVINCE] [--db PATH]
                                  say what a logged question was: one of the bot's intent ids and
                                  a province id, stored with the question (REF: from training export)
  icp-bot training export [--since 30d] [--db PATH] [--unlabelled]
                                  the labelled questions as a training file for intents/training/;
                                  --unlabelled: the questions the bot missed that nobody labelled
                                  yet, one JSON line each with its ref and why it is there
  icp-bot help                    this text`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  switch (cmd) {
    case 'ask':
      return ask(args);
    case 'classify':
      return classify(args);
    case 'eval':
      return args.includes('--log')
        ? (await import('./questions/eval-log.js')).evalLogCommand(args, await commandIo())
        : evalCommand(args);
    case 'check':
      return check();
    case 'report':
      return report(args);
    case 'label':
      return (await import('./questions/label.js')).labelCommand(args, await commandIo());
    case 'training':
      return (await import('./questions/training-export.js')).trainingCommand(args, await commandIo());
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

async function ask(args: string[]): Promise<number> {
  const { answer } = await import('./answer/answer.js');
  const { renderAgentText, renderText } = await import('./answer/render-text.js');
  const question = args
    .filter((a) => a !== '--customer' && a !== '--full')
    .join(' ')
    .trim();
  if (!question) throw new UsageError('ask needs a question: icp-bot ask "how do I deregister in Zhejiang?"');
  const a = answer(understand(question));
  process.stdout.write(
    args.includes('--customer') ? renderText(a, { full: args.includes('--full') }) : renderAgentText(a),
  );
  return 0;
}

async function classify(args: string[]): Promise<number> {
  if (!args.includes('--jsonl'))
    throw new UsageError('classify reads JSON lines: icp-bot classify --jsonl < questions.jsonl');
  // The data files first, then the heap's growth stopped (src/heap.ts says why then).
  registry();
  loadIntents();
  keepHeapSmall();
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
          also: (u.also ?? []).map((n) => n.intent),
          action: actionOf(u),
        }),
      );
    }
    if (out.length >= 1000) flush();
  }
  flush();
  return bad ? 1 : 0;
}

async function evalCommand(args: string[]): Promise<number> {
  const { evaluate, formatReport, parseLabelled } = await import('./eval.js');
  if (args.includes('--cv')) {
    const { crossValidationReport, formatCvReport } = await import('./eval-cv.js');
    process.stdout.write(formatCvReport(crossValidationReport(analyzer())) + '\n');
    return 0;
  }
  const file = args.find((a) => !a.startsWith('--') && !/^\d*\.?\d+$/.test(a));
  if (!file) throw new UsageError('eval needs a labelled file: icp-bot eval test/holdout.jsonl');
  const floorAt = args.indexOf('--min-answer-accuracy');
  const floor = floorAt >= 0 ? Number(args[floorAt + 1]) : undefined;
  if (floor !== undefined && !(floor >= 0 && floor <= 1))
    throw new UsageError('--min-answer-accuracy takes a number from 0 to 1');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const rows = parseLabelled(text, file);
  const report = evaluate(rows, understand, (u) => actionOf(u));
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

async function report(args: string[]): Promise<number> {
  const value = (name: string, example: string): string | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(messages.optionNeedsValue(name, example));
    return v;
  };
  const known = new Set(['--since', '--html', '--db']);
  const json = args.includes('--json');
  for (let i = 0; i < args.length; i += 2) {
    if (args[i] === '--json') i--;
    else if (!known.has(args[i]!))
      throw new UsageError(
        `report takes --since, --html, --db and --json, not ${JSON.stringify(args[i])}: icp-bot report --since 7d --html report.html`,
      );
  }
  const { isPostgresUrl, openDb, readableSchema } = await import('./questions/db.js');
  const { questionLogSettings } = await import('./questions/log.js');
  const { buildReport, parseSince } = await import('./questions/report/queries.js');
  const { formatQuestionReport } = await import('./questions/report/terminal.js');
  const now = Date.now();
  const sinceMs = parseSince(value('--since', 'icp-bot report --since 7d') ?? '7d', now);
  const html = value('--html', 'icp-bot report --html report.html');
  const dbArg = value('--db', 'icp-bot report --db data-local/questions.sqlite');
  // The same database as the bot: its settings, from the environment or the .env next to package.json.
  await loadEnv();
  let target: DbTarget;
  if (dbArg) {
    target = isPostgresUrl(dbArg) ? { databaseUrl: dbArg } : { sqlitePath: resolve(dbArg) };
  } else {
    const settings = questionLogSettings(process.env);
    if (!settings.ok) throw new UsageError(settings.problems.join('; '));
    target = settings.settings.databaseUrl
      ? { databaseUrl: settings.settings.databaseUrl }
      : { sqlitePath: settings.settings.sqlitePath };
  }
  const db = await openDb(target, { readonly: true });
  try {
    const schema = await readableSchema(db);
    const r = await buildReport(db, { sinceMs, untilMs: now, schema });
    process.stdout.write(json ? `${JSON.stringify(r, null, 2)}\n` : formatQuestionReport(r));
    if (html) {
      const { reportHtml } = await import('./questions/report/html.js');
      writeFileSync(html, reportHtml(r));
      if (!json) process.stdout.write(`\nwrote ${html}\n`);
    }
  } finally {
    await db.close();
  }
  return 0;
}

/** The bot's settings from the .env next to package.json, beside the environment's own. */
async function loadEnv(): Promise<void> {
  const { config } = await import('dotenv');
  config({ path: join(ROOT, '.env'), quiet: true });
}

/** The question-log commands' environment: the bot's settings, from the environment or the .env next to package.json. */
async function commandIo(): Promise<CommandIo> {
  await loadEnv();
  return { env: process.env, out: (text) => process.stdout.write(text) };
}

async function check(): Promise<number> {
  const { checkData, formatSummary } = await import('./check.js');
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
