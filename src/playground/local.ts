/**
 * Local mode (`npm start` with no Slack settings): the local Slack stand-in plays the workspace, the
 * real bot runs against it with a throwaway token and signing secret, and a page at
 * http://localhost:<PORT>/ shows the workspace. Every message takes the production path: page →
 * stand-in → signed event to /slack/events → bot → Web API calls → stand-in → page. All on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openDb } from '../questions/db.js';
import { openQuestionLog, type QuestionLog } from '../questions/log.js';
import { reportHtml } from '../questions/report/html.js';
import { buildReport } from '../questions/report/queries.js';
import { join } from 'node:path';
import { ROOT } from '../paths.js';
import { startBot, type RunningBot } from '../slack/bot.js';
import { messages } from '../errors.js';
import { type BotConfig, formatProblems, loadConfig } from '../slack/config.js';
import { EVENTS_PATH } from '../slack/receiver-http.js';
import { captureConsole, createLogger, type Logger } from '../slack/log.js';
import { type Standin, startStandin } from '../standin/server.js';
import { type PlaygroundWeb, startPlaygroundWeb } from './web.js';

const PUBLIC_DIR = join(ROOT, 'src', 'playground', 'public');
/** The stand-in's private channel doubles as the support team's hand-off channel. */
const PLAYGROUND_HANDOFF = 'G0PRIVATE';

export interface Playground {
  url: string;
  port: number;
  /** Knows the generated secrets, so it scrubs them. */
  log: Logger;
  transport: PlaygroundTransport;
  stop(): Promise<void>;
}

type PlaygroundStart = { ok: true; playground: Playground } | { ok: false; message: string };

/** Fresh per run: nothing to configure, and nothing worth stealing. */
function throwaway(): { token: string; secret: string; appToken: string } {
  return {
    token: `xoxb-local-${randomBytes(12).toString('hex')}`,
    secret: randomBytes(32).toString('hex'),
    appToken: `xapp-local-${randomBytes(12).toString('hex')}`,
  };
}

/** How the playground's Slack reaches the bot: signed HTTP requests (default) or Socket Mode. */
type PlaygroundTransport = 'http' | 'socket';

/**
 * Starts stand-in, bot and page. `env` supplies PORT (page, default 3000), LOG_LEVEL (default 'warn'
 * so the terminal stays readable), PENDING_TTL_MS and PLAYGROUND_TRANSPORT (`http`, the default, or
 * `socket`: the bot connects over Socket Mode); the Slack settings are generated.
 */
export async function startPlayground(env: Record<string, string | undefined>, log?: Logger): Promise<PlaygroundStart> {
  const { token, secret, appToken } = throwaway();
  const transport = (env.PLAYGROUND_TRANSPORT ?? '').trim() || 'http';
  if (transport !== 'http' && transport !== 'socket')
    return {
      ok: false,
      message: formatProblems([messages.settingNotOneOf('PLAYGROUND_TRANSPORT', ['http', 'socket'])]),
    };
  const checked = loadConfig({
    ...env,
    LOG_LEVEL: (env.LOG_LEVEL ?? '').trim() || 'warn',
    SLACK_BOT_TOKEN: token,
    SLACK_SIGNING_SECRET: secret,
    SLACK_APP_TOKEN: transport === 'socket' ? appToken : '',
    SLACK_API_URL: 'http://127.0.0.1/',
  });
  if (!checked.ok) return { ok: false, message: formatProblems(checked.problems) };
  const logger = log ?? createLogger({ level: checked.config.logLevel, secrets: [token, secret, appToken] });

  let standin: Standin | undefined;
  let bot: RunningBot | undefined;
  let web: PlaygroundWeb | undefined;
  let questions: QuestionLog | undefined;
  const stop = async (): Promise<void> => {
    await web?.close();
    await bot?.stop();
    await questions?.close();
    await standin?.close();
  };
  try {
    standin = await startStandin({ signingSecret: secret, botToken: token, appToken, transport });
    // This run's questions, for the report page; "Ask a person" posts to #support-private.
    const dbPath = join(mkdtempSync(join(tmpdir(), 'icp-playground-')), 'questions.sqlite');
    const log = await openQuestionLog({ sqlitePath: dbPath, log: logger });
    questions = log;
    const config: BotConfig = {
      ...checked.config,
      port: 0,
      host: '127.0.0.1',
      slackApiUrl: standin.apiUrl,
      handoff: { channel: PLAYGROUND_HANDOFF, usergroup: null },
    };
    bot = await startBot(config, logger, {
      onFatal: (reason) => logger.error({ event: 'playground_bot_failed', reason }),
      questions: log,
    });
    standin.botUrl = `http://127.0.0.1:${bot.port}${EVENTS_PATH}`;
    const report = async (): Promise<string> => {
      await log.flush();
      const db = await openDb({ sqlitePath: dbPath }, { readonly: true });
      try {
        return reportHtml(await buildReport(db, { sinceMs: Date.now() - 7 * 24 * 3600 * 1000 }));
      } finally {
        await db.close();
      }
    };
    web = await startPlaygroundWeb({
      port: checked.config.port,
      publicDir: PUBLIC_DIR,
      standinUrl: standin.url,
      report,
    });
  } catch (err) {
    await stop().catch(() => undefined);
    const code = (err as { code?: unknown }).code;
    if (code === 'EADDRINUSE') {
      return {
        ok: false,
        message: `icp-bot playground: port ${checked.config.port} is in use. Start it on another one, e.g. PORT=3001 npm start`,
      };
    }
    return {
      ok: false,
      message: `icp-bot playground failed to start: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  return {
    ok: true,
    playground: { url: `http://localhost:${web.port}/`, port: web.port, log: logger, stop, transport },
  };
}

/** What a newcomer reads in the terminal. */
function banner(url: string, transport: PlaygroundTransport = 'http'): string {
  return [
    '',
    '  ICP bot — local Slack playground (no Slack workspace needed)',
    '',
    `  Open ${url}`,
    '',
    `  The bot runs for real against a local Slack stand-in, on 127.0.0.1 only; nothing reaches slack.com.`,
    transport === 'socket'
      ? '  Transport: Socket Mode (the bot opened a WebSocket to the stand-in; PLAYGROUND_TRANSPORT=http for HTTP).'
      : '  Transport: HTTP events (PLAYGROUND_TRANSPORT=socket runs the bot in Socket Mode).',
    '  To run it in your Slack workspace instead: create the app from manifest.yml, then set',
    '  SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (environment or .env) and run npm start again',
    '  (README, "Install in Slack"). LOG_LEVEL=info shows the bot\'s log lines here too. Ctrl+C stops.',
    '',
  ].join('\n');
}

/** `npm start` in local mode: start, print the URL, stop cleanly on SIGTERM/SIGINT. */
export async function runPlayground(env: Record<string, string | undefined>): Promise<void> {
  const started = await startPlayground(env);
  if (!started.ok) {
    process.stderr.write(`${started.message}\n`);
    process.exitCode = started.message.startsWith('icp-bot cannot start') ? 2 : 1;
    return;
  }
  const log = started.playground.log;
  captureConsole(log);

  let stopping = false;
  const stop = (code = 0): void => {
    if (stopping) return;
    stopping = true;
    started.playground.stop().then(
      () => setTimeout(() => process.exit(code), 50),
      () => setTimeout(() => process.exit(1), 50),
    );
  };
  // As in Slack mode: after an uncaught exception nothing is trusted; stop and exit non-zero.
  process.on('unhandledRejection', (reason) => log.error({ event: 'unhandled_rejection', err: reason }));
  process.on('uncaughtException', (err) => {
    log.fatal({ event: 'uncaught_exception', err }, 'unexpected error: the playground stops');
    process.stderr.write(`icp-bot: unexpected error, stopping: ${err.message}\n`);
    stop(1);
  });
  // Before the banner: whoever reads it may signal at once, and an unhandled SIGTERM kills.
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  process.stdout.write(`${banner(started.playground.url, started.playground.transport)}\n`);
}
