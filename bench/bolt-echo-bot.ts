/**
 * The other baseline for `npm run bench:slack`: the smallest stock Bolt echo bot, its default HTTP
 * receiver, answering every DM with `say` in the same channel. Stock except for what keeps it off
 * slack.com: its Web API client's base URL is SLACK_API_URL (the stand-in), and it listens on
 * loopback only.
 *
 * Env: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL, PORT. Listens on 127.0.0.1:PORT at /slack/events.
 */
import bolt from '@slack/bolt';

const { App, LogLevel } = bolt;

function need(name: string): string {
  const v = process.env[name];
  if (!v) {
    process.stderr.write(`bolt-echo-bot: ${name} is required\n`);
    process.exit(2);
  }
  return v;
}

const apiUrl = need('SLACK_API_URL');
if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(apiUrl)) {
  process.stderr.write('bolt-echo-bot: SLACK_API_URL must be a loopback stand-in URL\n');
  process.exit(2);
}

const app = new App({
  token: need('SLACK_BOT_TOKEN'),
  signingSecret: need('SLACK_SIGNING_SECRET'),
  clientOptions: { slackApiUrl: apiUrl },
  logLevel: LogLevel.WARN,
});

app.message(async ({ message, say }) => {
  await say(`You said: ${'text' in message ? (message.text ?? '') : ''}`);
});

await app.start({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
process.stdout.write('bolt-echo-bot ready\n');
// A normal exit on SIGTERM (lets --cpu-prof write its profile).
process.on('SIGTERM', () => process.exit(0));
