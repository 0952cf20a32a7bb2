/**
 * `npm start`: load settings (environment, then a .env file), start the Slack bot, stop cleanly on
 * SIGTERM/SIGINT. Missing settings end with a message naming each one and exit code 2; with no
 * Slack setting at all it starts the local playground instead (src/playground/local.ts).
 */
import { config as loadDotenv } from 'dotenv';
import { join } from 'node:path';
import { checkData } from './check.js';
import { botHeap } from './heap.js';
import { ROOT } from './paths.js';
import { openQuestionLog, questionLogSettings } from './questions/log.js';
import { formatProblems, loadConfig, noSlackSettings } from './slack/config.js';
import type { RunningBot } from './slack/bot.js';
import { captureConsole, createLogger } from './slack/log.js';

const ENV_FILE = join(ROOT, '.env');

/** How long a stop after an uncaught exception waits for replies in flight (state is suspect: briefly). */
const FATAL_STOP_WAIT_MS = 5_000;

/** Which settings decided the mode, for the line that says why it started the way it did. */
function modeReason(env: NodeJS.ProcessEnv, fromFile: ReadonlySet<string>): string {
  const where = (name: string) => (fromFile.has(name) ? ENV_FILE : 'the environment');
  if (noSlackSettings(env)) return `no SLACK_BOT_TOKEN or SLACK_SIGNING_SECRET in the environment or in ${ENV_FILE}`;
  return `SLACK_BOT_TOKEN from ${where('SLACK_BOT_TOKEN')}, SLACK_SIGNING_SECRET from ${where('SLACK_SIGNING_SECRET')}`;
}

async function main(): Promise<void> {
  // Before any data is read: per-turn objects are not to be allocated in the old generation (heap.ts).
  botHeap();
  // Next to package.json, whatever the working directory (a service unit may set none).
  const before = new Set(Object.keys(process.env));
  loadDotenv({ path: ENV_FILE, quiet: true });
  const fromFile = new Set(Object.keys(process.env).filter((k) => !before.has(k)));
  // A broken data/ or intents/ file stops start-up here, naming the file, the field and the reason.
  checkData();
  if (noSlackSettings(process.env)) {
    // No Slack settings at all: the local playground (loaded only then, so the real bot never carries it).
    process.stderr.write(`icp-bot: starting the local playground: ${modeReason(process.env, fromFile)}.\n`);
    const { runPlayground } = await import('./playground/local.js');
    return runPlayground(process.env);
  }
  const result = loadConfig(process.env);
  const logSettings = questionLogSettings(process.env);
  if (!result.ok || !logSettings.ok) {
    process.stderr.write(
      `${formatProblems([...(result.ok ? [] : result.problems), ...(logSettings.ok ? [] : logSettings.problems)])}\n`,
    );
    // Exit now: loaded libraries may hold the event loop open.
    process.exit(2);
  }
  const config = result.config;
  const { databaseUrl, sqlitePath, retentionDays, labelSample, enabled } = logSettings.settings;
  const log = createLogger({
    level: config.logLevel,
    secrets: [config.botToken, config.signingSecret, config.appToken ?? '', databaseUrl ?? ''],
  });
  captureConsole(log);
  log.info({ event: 'mode', mode: 'slack', why: modeReason(process.env, fromFile) });

  const exit = (code: number): void => {
    log.flush();
    // Give the async destination a moment to drain before leaving.
    setTimeout(() => process.exit(code), 50);
  };

  // Loaded after the settings check, so a missing setting is reported without loading Botkit.
  const { startBot } = await import('./slack/bot.js');
  // A database that is down does not stop the bot: the log says so and keeps trying.
  const questions = enabled
    ? await openQuestionLog({ databaseUrl, sqlitePath, retentionDays, labelSample, log })
    : null;
  log.info({ event: 'question_log', where: questions?.where ?? 'off' });
  let bot: RunningBot | undefined;
  let stopping = false;
  /** Stop taking requests (503), finish or count what was accepted, then exit with `code`. */
  const stop = (why: string, code: number, waitMs?: number): void => {
    if (stopping) {
      // A second fault while stopping: nothing more can be trusted.
      if (code !== 0) exit(code);
      return;
    }
    stopping = true;
    log.info({ event: 'stopping', why });
    if (!bot) return exit(code);
    bot.stop(waitMs).then(
      async ({ dropped }) => {
        // The question log writes what it still holds before the process goes.
        await questions?.close().catch(() => undefined);
        log.info({ event: 'stopped', dropped });
        exit(code);
      },
      (err: unknown) => {
        log.error({ event: 'stop_failed', err });
        exit(1);
      },
    );
  };
  // After an uncaught exception the process state cannot be trusted: stop and exit non-zero, so
  // the supervisor (systemd, a container restart policy) starts a clean one.
  process.on('uncaughtException', (err) => {
    log.fatal(
      { event: 'uncaught_exception', err },
      'unexpected error: stopping; run the bot under a supervisor that restarts it',
    );
    setTimeout(() => exit(1), FATAL_STOP_WAIT_MS + 2_000).unref();
    stop('uncaught_exception', 1, FATAL_STOP_WAIT_MS);
  });
  // A rejected promise nobody awaited is logged with its stack; the turn it belonged to has ended.
  process.on('unhandledRejection', (reason) => log.error({ event: 'unhandled_rejection', err: reason }));

  bot = await startBot(config, log, { onFatal: () => exit(1), questions });
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  process.on('SIGINT', () => stop('SIGINT', 0));
}

main().catch((err: unknown) => {
  process.stderr.write(`icp-bot failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
