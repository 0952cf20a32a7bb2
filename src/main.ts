/**
 * `npm start`: load settings (environment, then a .env file), start the Slack bot, stop cleanly on
 * SIGTERM/SIGINT. Missing settings end with a message naming each one and exit code 2; with no
 * Slack setting at all it starts the local playground instead (src/playground/local.ts).
 */
import { config as loadDotenv } from 'dotenv';
import { join } from 'node:path';
import { checkData } from './check.js';
import { ROOT } from './paths.js';
import { formatProblems, loadConfig, noSlackSettings } from './slack/config.js';
import { captureConsole, createLogger, type Logger } from './slack/log.js';

const ENV_FILE = join(ROOT, '.env');

function installProcessHandlers(log: Logger): void {
  // A stray rejection in a library must not take the bot down: log it and keep serving.
  process.on('unhandledRejection', (reason) => log.error({ event: 'unhandled_rejection', err: reason }));
  process.on('uncaughtException', (err) => log.error({ event: 'uncaught_exception', err }));
}

/** Which settings decided the mode, for the line that says why it started the way it did. */
function modeReason(env: NodeJS.ProcessEnv, fromFile: ReadonlySet<string>): string {
  const where = (name: string) => (fromFile.has(name) ? ENV_FILE : 'the environment');
  if (noSlackSettings(env)) return `no SLACK_BOT_TOKEN or SLACK_SIGNING_SECRET in the environment or in ${ENV_FILE}`;
  return `SLACK_BOT_TOKEN from ${where('SLACK_BOT_TOKEN')}, SLACK_SIGNING_SECRET from ${where('SLACK_SIGNING_SECRET')}`;
}

async function main(): Promise<void> {
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
  if (!result.ok) {
    process.stderr.write(`${formatProblems(result.problems)}\n`);
    // Exit now: loaded libraries may hold the event loop open.
    process.exit(2);
  }
  const config = result.config;
  const log = createLogger({ level: config.logLevel, secrets: [config.botToken, config.signingSecret] });
  installProcessHandlers(log);
  captureConsole(log);
  log.info({ event: 'mode', mode: 'slack', why: modeReason(process.env, fromFile) });

  const exit = (code: number): void => {
    log.flush();
    // Give the async destination a moment to drain before leaving.
    setTimeout(() => process.exit(code), 50);
  };

  // Loaded after the settings check, so a missing setting is reported without loading Botkit.
  const { startBot } = await import('./slack/bot.js');
  const bot = await startBot(config, log, { onFatal: () => exit(1) });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ event: 'stopping', signal });
    bot.stop().then(
      () => {
        log.info({ event: 'stopped' });
        exit(0);
      },
      (err: unknown) => {
        log.error({ event: 'stop_failed', err });
        exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`icp-bot failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
