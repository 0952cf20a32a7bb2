/**
 * The baseline for `npm run bench:slack`: the smallest stock Botkit 4 + botbuilder-adapter-slack
 * echo bot. It answers every DM with `bot.reply`. Stock except for what keeps it off slack.com:
 * the adapter runs in its multi-team mode (which makes no Web API call at construction) and its
 * `getAPI` returns a client whose base URL is SLACK_API_URL (the stand-in).
 *
 * Env: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL, PORT, BOT_USER_ID (default U0BOT).
 * Listens on 127.0.0.1:PORT at /slack/events.
 */
import http from 'node:http';
import { WebClient } from '@slack/web-api';
import express from 'express';
import { Botkit } from 'botkit';
import slackPkg from 'botbuilder-adapter-slack';
import type { Activity } from 'botbuilder';

const { SlackAdapter, SlackEventMiddleware, SlackMessageTypeMiddleware } = slackPkg;

function need(name: string): string {
  const v = process.env[name];
  if (!v) {
    process.stderr.write(`echo-bot: ${name} is required\n`);
    process.exit(2);
  }
  return v;
}

const token = need('SLACK_BOT_TOKEN');
const apiUrl = need('SLACK_API_URL');
if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(apiUrl)) {
  process.stderr.write('echo-bot: SLACK_API_URL must be a loopback stand-in URL\n');
  process.exit(2);
}
const botUserId = process.env.BOT_USER_ID ?? 'U0BOT';

type AdapterClient = Awaited<ReturnType<InstanceType<typeof SlackAdapter>['getAPI']>>;

class LocalSlackAdapter extends SlackAdapter {
  private readonly local = new WebClient(token, { slackApiUrl: apiUrl });
  override async getAPI(_activity: Partial<Activity>): Promise<AdapterClient> {
    // The adapter bundles an older @slack/web-api with the same chat.* surface.
    return this.local as unknown as AdapterClient;
  }
}

const adapter = new LocalSlackAdapter({
  clientSigningSecret: need('SLACK_SIGNING_SECRET'),
  getTokenForTeam: async () => token,
  getBotUserByTeam: async () => botUserId,
  clientId: 'unused',
  clientSecret: 'unused',
  scopes: ['chat:write'],
  redirectUri: 'http://127.0.0.1/unused',
});
adapter.use(new SlackEventMiddleware());
adapter.use(new SlackMessageTypeMiddleware());

// Botkit's default webserver, rebuilt as in botkit/lib/core.js, but bound to loopback only
// (Botkit's own listens on every interface).
const app = express();
app.use((req, _res, next) => {
  const withRaw = req as typeof req & { rawBody: string };
  withRaw.rawBody = '';
  req.on('data', (chunk: Buffer) => {
    withRaw.rawBody += chunk;
  });
  next();
});
app.use(express.json({ limit: '100kb' }));
app.use(express.urlencoded({ limit: '100kb', extended: true }));
http.createServer(app).listen(Number(process.env.PORT ?? 3000), '127.0.0.1');

const controller = new Botkit({ webhook_uri: '/slack/events', adapter, webserver: app, disable_console: true });

controller.on('direct_message', async (bot, message) => {
  await bot.reply(message, `You said: ${message.text ?? ''}`);
});

controller.ready(() => process.stdout.write('echo-bot ready\n'));
// A normal exit on SIGTERM (lets --cpu-prof write its profile).
process.on('SIGTERM', () => process.exit(0));
