/**
 * Local Slack stand-in: a small HTTP server on 127.0.0.1 that plays Slack for tests, benchmarks and
 * the playground, built from Slack's documented payloads. Nothing here ever talks to slack.com.
 *
 *   const standin = await startStandin({ signingSecret, botToken, botUrl: 'http://127.0.0.1:3000/slack/events' });
 *   // start the bot with SLACK_API_URL=standin.apiUrl, SLACK_BOT_TOKEN=botToken, SLACK_SIGNING_SECRET=signingSecret
 *   const sent = await standin.sendMessage({ user: 'U0ALICE', text: 'How do I deregister in Zhejiang?' }); // DM
 *   const reply = await standin.waitForCall((c) => c.method === 'chat.postMessage' && c.args.channel === sent.channel);
 *   await standin.close();
 *
 * Options (`startStandin(opts)`): port (0 = free port, default), botUrl (settable later via
 * `standin.botUrl = …`), signingSecret, botToken, botUserId ('U0BOT'), botId ('B0BOT'), botName
 * ('icpbot'), teamId ('T0LOCAL'), appId ('A0LOCAL'), localUserId ('U0LOCAL'), users, channels
 * (defaults: users U0LOCAL/U0ALICE/U0BOB; channels C0GENERAL (channel), G0PRIVATE (group),
 * G0MPIM (mpim); each user's DM with the bot is `D` + user id without its first letter, e.g.
 * D0ALICE), channelMessages (true: the app subscribes to message.channels/groups/mpim besides
 * app_mention, so a channel mention arrives twice), echoBotMessages (false: when true, each
 * chat.postMessage by the bot comes back to it as a `message` event with its bot_id, as Slack
 * does), maxCalls (10,000), timeoutMs (10,000).
 *
 * Web API — `standin.apiUrl` = `http://127.0.0.1:<port>/api/`; `POST|GET /api/<method>`, JSON or
 * form bodies, token as `Authorization: Bearer …` or a `token` field (missing → not_authed,
 * wrong → invalid_auth). Methods: auth.test, chat.postMessage ({ok, channel, ts, message}),
 * chat.postEphemeral ({ok, message_ts}), chat.update, chat.delete, conversations.info,
 * conversations.replies, users.info (guests and Slack Connect users from `workspace.setGuest(id,
 * 'multi' | 'single')` and `workspace.setExternal(id, teamId)`), chat.getPermalink, views.open (recorded only), views.publish (a user's Home tab,
 * kept: `workspace.homeView(user)`), reactions.add, usergroups.users.list (groups from
 * `workspace.setUsergroup(id, users)`; an unknown one → no_such_subteam), apps.connections.open (the app-level token
 * `appToken` only; a bot token gets not_allowed_token_type); anything else → unknown_method. Validation as Slack: channel missing/unknown → channel_not_found; neither text
 * nor blocks → no_text; blocks not an array or breaking Block Kit limits → invalid_blocks (with
 * response_metadata.messages). `ts` values look like "1700000000.000100" and strictly increase.
 *
 * response_url — `POST /response/<id>`, issued per slash command and click: {text, blocks,
 * response_type: 'ephemeral' (default) | 'in_channel', replace_original, delete_original,
 * thread_ts}. Recorded as method 'response_url'. A non-empty 200 answer to a slash command is
 * shown like a response_url post (as Slack does).
 *
 * Recording — `standin.calls` (RecordedCall: method, args without token, tokenOk, time, at,
 * status, response, injected?, message?: {channel, ts}), `callsOf(method)`,
 * `waitForCall(predicate, {timeoutMs})` (also matches calls already recorded), `onCall(listener)`,
 * `reset()` (calls, failures and delays; `clearMessages()` empties the workspace).
 * Failure injection — `fail(method, {times, status: 500} | {times, error: 'ratelimited',
 * retryAfter: 1} (HTTP 429 + Retry-After) | {times, okFalse: 'internal_error'})`, `delay(method, ms)`;
 * method '*' means any, 'response_url' the response URLs.
 *
 * Socket Mode — with `transport: 'socket'` (settable later: `standin.transport = …`) every request
 * goes as an envelope over the bot's WebSocket connections (`standin.socket`: apps.connections.open
 * URLs, hello, acks, retries of unacknowledged envelopes after `socketAckTimeoutMs`,
 * `socket.disconnect(reason)` warnings, `socket.drop()` cuts; see socket.ts) instead of HTTP; `ackMs`
 * then times the envelope's acknowledgement.
 *
 * Driver (signed like Slack; each returns {status, body, ackMs, error?}, never rejects):
 * `sendMessage({user, channel, text, thread_ts, channel_type, files, subtype, bot_id, edited, ts})`
 * → also {eventIds, ts, channel, envelopes, acks}; `sendSlashCommand({user, channel, command:
 * '/icp', text})` → also {responseUrl, triggerId}; `clickAction({user, message: {ts, channel},
 * actionId, value | selectedOption, blockId})` → also {responseUrl, payload}; `messageShortcut({user,
 * message: {ts, channel}, callbackId})` → also {responseUrl, payload}; `openHome({user})`; `sendRaw({body,
 * headers, sign, timestamp, contentType, path, method})`; `retry(envelope, n, reason)`;
 * `urlVerification(challenge?)`. `standin.messages(channel?)` lists stored messages;
 * `standin.workspace` is the model itself.
 *
 * Playground control API (JSON, same server):
 *   GET  /_standin/state    → {team, bot, localUser, users, channels, dm, messages: [{channel, ts,
 *                              thread_ts, user, bot_id, text, blocks, ephemeral, edited, files,
 *                              reply_count, reactions}]} (ephemerals: only the local user's)
 *   POST /_standin/messages {channel, text, thread_ts?} → the local user types (a signed event to
 *                              the bot; "/icp …" becomes a slash command) → {ok, status, ts?}
 *   POST /_standin/actions  {message_ts, channel, action_id, block_id?, value?, selected_option?}
 *                              → a signed block_actions click → {ok, status}
 *   POST /_standin/shortcuts {message_ts, channel, callback_id?} → the message shortcut → {ok, status}
 *   POST /_standin/home {}   → the local user opens the Home tab (app_home_opened) → {ok, status}
 *   GET  /_standin/home      → {blocks} the Home tab last published for the local user (or null)
 *   POST /_standin/home/actions {action_id} → the local user presses a Home tab button → {ok, status}
 *   GET  /_standin/events   → Server-Sent Events: `event: message`, data {kind: 'created' |
 *                              'updated' | 'deleted', message} for every change the local user can see.
 *   POSTs must be `content-type: application/json` (else 415). Requests with an Origin header are
 *   refused (403) unless that origin is in `allowedOrigins`; every request needs a loopback Host
 *   (127.0.0.1, localhost, [::1]), else 421.
 *   `standin.handleRequest(req, res)` serves all of the above from another http server.
 *
 * Never logs: the stand-in writes nothing to stdout/stderr; tokens and secrets stay in memory.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Control, isLoopbackHost } from './control.js';
import { Driver } from './driver.js';
import { BodyTooLarge, isRecord, parseArgs, readBody, sendJson, str } from './http-util.js';
import type { AppIdentity } from './payloads.js';
import { type FailureSpec, type Fault, type RecordedCall, Recorder, type WaitOptions } from './recorder.js';
import { ResponseUrls } from './responses.js';
import { SocketHub } from './socket.js';
import type { Duplex } from 'node:stream';
import { type ChannelSpec, type Message, type UserSpec, Workspace } from './state.js';
import { type ApiContext, type ApiResult, callMethod, messageJson } from './webapi.js';

export type { RecordedCall, FailureSpec } from './recorder.js';
export type { Message } from './state.js';
export type * from './driver.js';

interface StandinOptions {
  port?: number;
  botUrl?: string;
  signingSecret: string;
  botToken: string;
  /** The app-level token (xapp-…) that apps.connections.open takes, for Socket Mode. */
  appToken?: string;
  /** How the bot receives requests: HTTP POSTs to botUrl (default) or its Socket Mode connections. */
  transport?: 'http' | 'socket';
  /** Socket Mode: how long an envelope waits for its acknowledgement before it is sent again (3 s, as Slack). */
  socketAckTimeoutMs?: number;
  /** Socket Mode: how many times an unacknowledged envelope is sent again (3, as Slack). */
  socketMaxRetries?: number;
  botUserId?: string;
  botId?: string;
  botName?: string;
  teamId?: string;
  appId?: string;
  localUserId?: string;
  users?: UserSpec[];
  channels?: ChannelSpec[];
  channelMessages?: boolean;
  echoBotMessages?: boolean;
  maxCalls?: number;
  timeoutMs?: number;
  /**
   * Browser origins allowed to call the control routes directly (CORS). None by default: the
   * playground page reaches them through its own server, which sends no Origin.
   */
  allowedOrigins?: string[];
}

const MAX_API_BODY = 5 * 1024 * 1024;

export class Standin {
  readonly workspace: Workspace;
  readonly recorder: Recorder;
  readonly driver: Driver;
  readonly socket: SocketHub;
  botUrl: string | undefined;
  transport: 'http' | 'socket';
  private readonly responses: ResponseUrls;
  private readonly control: Control;
  private readonly api: ApiContext;
  private readonly server: http.Server;
  private port = 0;

  constructor(private readonly opts: StandinOptions) {
    const botUserId = opts.botUserId ?? 'U0BOT';
    const botName = opts.botName ?? 'icpbot';
    const appId = opts.appId ?? 'A0LOCAL';
    this.botUrl = opts.botUrl;
    this.transport = opts.transport ?? 'http';
    this.socket = new SocketHub({ appId, ackTimeoutMs: opts.socketAckTimeoutMs, maxRetries: opts.socketMaxRetries });
    this.workspace = new Workspace({
      teamId: opts.teamId ?? 'T0LOCAL',
      botUserId,
      botId: opts.botId ?? 'B0BOT',
      botName,
      localUserId: opts.localUserId ?? 'U0LOCAL',
      users: opts.users,
      channels: opts.channels,
    });
    this.recorder = new Recorder(opts.maxCalls ?? 10_000);
    this.api = { ws: this.workspace, appId, botName, baseUrl: '' };
    this.responses = new ResponseUrls(this.workspace, () => this.baseUrl, appId);
    const app: AppIdentity = {
      teamId: this.workspace.teamId,
      teamDomain: 'local',
      appId,
      botUserId,
      verificationToken: 'local-verification-token',
    };
    this.driver = new Driver({
      ws: this.workspace,
      app,
      signingSecret: opts.signingSecret,
      botUrl: () => this.botUrl,
      responses: this.responses,
      channelMessages: opts.channelMessages ?? true,
      messageJson: (m) => messageJson(m, this.api),
      timeoutMs: opts.timeoutMs ?? 10_000,
      transport: () => this.transport,
      socket: this.socket,
    });
    this.control = new Control(
      this.workspace,
      this.driver,
      { userId: botUserId, botId: this.workspace.botId, name: botName },
      new Set(opts.allowedOrigins ?? []),
    );
    this.server = http.createServer((req, res) => this.handleRequest(req, res));
    this.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) =>
      this.handleUpgrade(req, socket, head),
    );
    this.server.keepAliveTimeout = 30_000;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.api.baseUrl = this.baseUrl;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }
  get apiUrl(): string {
    return `${this.baseUrl}api/`;
  }
  get url(): string {
    return this.baseUrl;
  }

  // Recording and failure injection.
  get calls(): RecordedCall[] {
    return this.recorder.calls;
  }
  callsOf(method: string): RecordedCall[] {
    return this.recorder.callsOf(method);
  }
  waitForCall(predicate: (c: RecordedCall) => boolean, opts?: WaitOptions): Promise<RecordedCall> {
    return this.recorder.waitForCall(predicate, opts);
  }
  onCall(listener: (c: RecordedCall) => void): () => void {
    return this.recorder.onCall(listener);
  }
  reset(): void {
    this.recorder.reset();
  }
  clearMessages(): void {
    this.workspace.clearMessages();
  }
  fail(method: string, spec: FailureSpec): void {
    this.recorder.fail(method, spec);
  }
  delay(method: string, ms: number): void {
    this.recorder.delay(method, ms);
  }

  /** Stored messages (ephemerals included), oldest first. */
  messages(channel?: string): Message[] {
    const all = [...this.workspace.allChannels()].flatMap((c) =>
      channel && c.id !== channel ? [] : this.workspace.messagesIn(c.id),
    );
    return all.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  }

  // Driver.
  sendMessage: Driver['sendMessage'] = (i) => this.driver.sendMessage(i);
  sendSlashCommand: Driver['sendSlashCommand'] = (i) => this.driver.sendSlashCommand(i);
  clickAction: Driver['clickAction'] = (i) => this.driver.clickAction(i);
  openHome: Driver['openHome'] = (i) => this.driver.openHome(i);
  clickHome: Driver['clickHome'] = (i) => this.driver.clickHome(i);
  messageShortcut: Driver['messageShortcut'] = (i) => this.driver.messageShortcut(i);
  sendRaw: Driver['sendRaw'] = (i) => this.driver.sendRaw(i);
  retry: Driver['retry'] = (e, n, r) => this.driver.retry(e, n, r);
  urlVerification: Driver['urlVerification'] = (c) => this.driver.urlVerification(c);

  /** Socket Mode connections (the WebSocket upgrade), also when mounted behind another server. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!isLoopbackHost(req.headers.host) || !this.socket.handleUpgrade(req, socket, head)) socket.destroy();
  }

  async close(): Promise<void> {
    this.socket.close();
    this.control.close();
    this.driver.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** The whole server as a request listener, for mounting the stand-in behind another server. */
  handleRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.route(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error' });
      else res.end();
    });
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // Only this machine's names: a page on another name (DNS rebinding) cannot read or drive it.
    if (!isLoopbackHost(req.headers.host)) return sendJson(res, 421, { ok: false, error: 'misdirected_request' });
    const url = new URL(req.url ?? '/', this.baseUrl);
    const path = url.pathname;
    if (path.startsWith('/api/')) return this.webApi(req, res, path.slice(5), url.searchParams);
    if (path.startsWith('/response/') && req.method === 'POST') return this.responseUrl(req, res, path.slice(10));
    if (path.startsWith('/_standin/')) return this.control.handle(req, res, path.slice(9));
    sendJson(res, 404, { ok: false, error: 'not_found' });
  }

  /** Reads and parses a Web API or response_url body; null after answering 413/400 itself. */
  private async readArgs(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    query: URLSearchParams,
  ): Promise<{ parsed: ReturnType<typeof parseArgs> } | null> {
    try {
      const raw = await readBody(req, MAX_API_BODY);
      return { parsed: parseArgs(req.headers['content-type'], raw, query) };
    } catch (e) {
      sendJson(res, e instanceof BodyTooLarge ? 413 : 400, { ok: false, error: 'request_too_large' });
      return null;
    }
  }

  private async webApi(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    method: string,
    query: URLSearchParams,
  ): Promise<void> {
    const time = Date.now();
    const at = Recorder.now();
    const read = await this.readArgs(req, res, query);
    if (!read) return;
    const { parsed } = read;
    const args = parsed ?? {};
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? str(args.token);
    delete args.token;
    // apps.connections.open takes the app-level token, every other method the bot token.
    const appLevel = method === 'apps.connections.open';
    const tokenOk = token === (appLevel ? this.opts.appToken : this.opts.botToken);
    const record = (status: number, response: Record<string, unknown>, extra: Partial<RecordedCall> = {}): void =>
      this.recorder.record({ method, args, tokenOk, time, at, status, response, ...extra });

    const fault = this.recorder.takeFault(method);
    const wait = this.recorder.delayFor(method);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (fault) return this.answerFault(res, fault, record);

    let result: ApiResult;
    if (parsed === null) result = { ok: false, error: 'invalid_json' };
    else if (!token) result = { ok: false, error: 'not_authed' };
    else if (!tokenOk)
      result = {
        ok: false,
        error: appLevel && token === this.opts.botToken ? 'not_allowed_token_type' : 'invalid_auth',
      };
    else if (appLevel) result = { ok: true, url: this.socket.openUrl(this.baseUrl) };
    else result = callMethod(this.api, method, args);
    const message = result.ok ? this.createdMessage(method, args, result) : undefined;
    record(200, result, message ? { message } : {});
    sendJson(res, 200, result);
    if (this.opts.echoBotMessages && method === 'chat.postMessage' && message) {
      const posted = this.workspace.find(message.channel, message.ts);
      if (posted) this.driver.echoBotMessage(posted);
    }
  }

  private answerFault(
    res: http.ServerResponse,
    fault: Fault,
    record: (status: number, response: Record<string, unknown>, extra?: Partial<RecordedCall>) => void,
  ): void {
    if (fault.kind === 'status') {
      const body = { ok: false, error: 'internal_error' };
      record(fault.status, body, { injected: `status ${fault.status}` });
      return sendJson(res, fault.status, body);
    }
    if (fault.kind === 'ratelimited') {
      const body = { ok: false, error: 'ratelimited' };
      record(429, body, { injected: 'ratelimited' });
      return sendJson(res, 429, body, { 'retry-after': String(fault.retryAfter) });
    }
    const body = { ok: false, error: fault.error };
    record(200, body, { injected: `ok:false ${fault.error}` });
    sendJson(res, 200, body);
  }

  private async responseUrl(req: http.IncomingMessage, res: http.ServerResponse, id: string): Promise<void> {
    const time = Date.now();
    const at = Recorder.now();
    const read = await this.readArgs(req, res, new URLSearchParams());
    if (!read) return;
    const { parsed } = read;
    // Form posts may carry the JSON in a `payload` field, as incoming webhooks accept.
    let body: unknown = parsed;
    if (isRecord(parsed) && typeof parsed.payload === 'string') {
      try {
        body = JSON.parse(parsed.payload);
      } catch {
        body = null;
      }
    }
    const args = isRecord(body) ? body : {};
    const record = (status: number, response: Record<string, unknown>, extra: Partial<RecordedCall> = {}): void =>
      this.recorder.record({ method: 'response_url', args, tokenOk: true, time, at, status, response, ...extra });
    const fault = this.recorder.takeFault('response_url');
    const wait = this.recorder.delayFor('response_url');
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (fault) return this.answerFault(res, fault, record);
    const outcome = this.responses.apply(id, body);
    record(outcome.status, outcome.json, outcome.message ? { message: outcome.message } : {});
    sendJson(res, outcome.status, outcome.json);
  }

  /** The message a successful call created or changed, so tests can click on it. */
  private createdMessage(
    method: string,
    args: Record<string, unknown>,
    result: ApiResult,
  ): { channel: string; ts: string } | undefined {
    const channel = str(result.channel);
    switch (method) {
      case 'chat.postMessage':
      case 'chat.update':
      case 'chat.delete':
        return channel && str(result.ts) ? { channel, ts: String(result.ts) } : undefined;
      case 'chat.postEphemeral': {
        const ts = str(result.message_ts);
        const ch = this.workspace.resolveChannel(str(args.channel) ?? '')?.id;
        return ts && ch ? { channel: ch, ts } : undefined;
      }
      default:
        return undefined;
    }
  }
}

export async function startStandin(opts: StandinOptions): Promise<Standin> {
  const s = new Standin(opts);
  await s.listen();
  return s;
}
