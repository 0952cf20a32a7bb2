/**
 * Plays the Slack side of the conversation: builds documented payloads, signs them like Slack
 * (`v0:{ts}:{body}` HMAC-SHA256) and POSTs them to the bot, timing the acknowledgement.
 * Also keeps the workspace in step (the user's message is stored, so threads and the playground
 * see it) and issues a response_url for every slash command and click.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { isRecord } from './http-util.js';
import {
  type AppIdentity,
  type ChannelType,
  type ClickedElement,
  type MessageEventInput,
  appHomeOpenedEvent,
  appMentionEvent,
  blockActionsPayload,
  eventEnvelope,
  findElement,
  findOption,
  interactionForm,
  messageChangedEvent,
  messageDeletedEvent,
  messageActionPayload,
  messageEvent,
  newEventId,
  newTriggerId,
  slashCommandForm,
  urlVerification,
} from './payloads.js';
import type { ResponseUrls } from './responses.js';
import { signedHeaders } from './sign.js';
import type { EnvelopeType, SocketHub } from './socket.js';
import type { Channel, Message, Workspace } from './state.js';

export interface AckResult {
  /** HTTP status from the bot; 0 when the request failed (refused, reset, timed out). */
  status: number;
  body: string;
  ackMs: number;
  error?: string;
}

interface SendMessageInput {
  user?: string;
  /** Channel id or name; default: the user's DM with the bot. */
  channel?: string;
  text: string;
  thread_ts?: string;
  channel_type?: ChannelType;
  files?: unknown[];
  subtype?: string;
  /** Makes the message come from another bot (`bot_id` on the event). */
  bot_id?: string;
  /** Sends a `message_changed` event for the message `ts` (or a fresh one) with `text` as the new text. */
  edited?: boolean;
  /** The existing message to edit or delete (`edited` / subtype `message_deleted`). */
  ts?: string;
}

interface SendMessageResult extends AckResult {
  /** Event ids, in send order: the `message` event, then the `app_mention` event when there is one. */
  eventIds: string[];
  /** The user message's ts (what the bot replies in a thread to). */
  ts: string;
  channel: string;
  /** The envelopes sent (for `retry`). */
  envelopes: Record<string, unknown>[];
  /** One ack per envelope, same order. */
  acks: AckResult[];
}

export interface SlashCommandInput {
  user?: string;
  channel?: string;
  command?: string;
  text: string;
}

interface SlashCommandResult extends AckResult {
  responseUrl: string;
  triggerId: string;
}

interface ClickActionInput {
  user?: string;
  /** The message holding the element: a stored message, `call.message`, or `{ ts, channel }`. */
  message: { ts: string; channel?: string };
  actionId: string;
  value?: string;
  /** For static selects: the option's value (its text is looked up in the message's blocks). */
  selectedOption?: string | { value: string; text?: unknown };
  blockId?: string;
}

interface ClickActionResult extends AckResult {
  responseUrl: string;
  payload: Record<string, unknown>;
}

interface MessageShortcutInput {
  user?: string;
  /** The message the shortcut is used on (a stored one: its text and thread go in the payload). */
  message: { ts: string; channel: string };
  callbackId?: string;
}

interface SendRawInput {
  body: string | Buffer | Record<string, unknown>;
  headers?: Record<string, string>;
  /** Sign the body with the real secret (default true). */
  sign?: boolean;
  /** X-Slack-Request-Timestamp to sign with (seconds), e.g. 10 minutes ago for replay tests. */
  timestamp?: number;
  contentType?: string;
  /** Target path instead of the configured bot URL's, e.g. '/healthz'. */
  path?: string;
  method?: string;
}

interface DriverDeps {
  ws: Workspace;
  app: AppIdentity;
  signingSecret: string;
  botUrl: () => string | undefined;
  responses: ResponseUrls;
  /** Whether the app subscribes to channel/group/mpim messages (not only app_mention); DMs always arrive. */
  channelMessages: boolean;
  messageJson: (m: Message) => Record<string, unknown>;
  timeoutMs: number;
  /** How requests reach the bot: signed HTTP POSTs, or envelopes over its Socket Mode connections. */
  transport: () => 'http' | 'socket';
  socket: SocketHub;
}

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

export class Driver {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

  constructor(private readonly d: DriverDeps) {}

  close(): void {
    this.agent.destroy();
  }

  /** POSTs bytes to the bot and times the answer. Never rejects. */
  post(body: string | Buffer, headers: Record<string, string>, path?: string, method = 'POST'): Promise<AckResult> {
    const target = this.d.botUrl();
    if (!target) return Promise.resolve({ status: 0, body: '', ackMs: 0, error: 'no botUrl set' });
    const url = new URL(target);
    if (path) url.pathname = path;
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const started = performance.now();
    return new Promise((resolve) => {
      const req = http.request(
        url,
        {
          method,
          agent: this.agent,
          headers: { ...headers, 'content-length': String(bytes.length) },
          timeout: this.d.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              ackMs: performance.now() - started,
            }),
          );
          res.on('error', (e) =>
            resolve({ status: 0, body: '', ackMs: performance.now() - started, error: e.message }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.d.timeoutMs} ms`)));
      req.on('error', (e) => resolve({ status: 0, body: '', ackMs: performance.now() - started, error: e.message }));
      req.end(bytes);
    });
  }

  /** Over the socket when the bot uses Socket Mode; null when it takes HTTP. */
  private overSocket(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    retryNum?: number,
    retryReason = '',
  ): Promise<AckResult> | null {
    if (this.d.transport() !== 'socket') return null;
    return this.d.socket.deliver(type, payload, retryNum ?? 0, retryNum ? retryReason : '');
  }

  /** Signs and sends a JSON envelope (event_callback, url_verification), optionally as retry `retryNum`. */
  sendEnvelope(envelope: Record<string, unknown>, retryNum?: number, retryReason = 'http_timeout'): Promise<AckResult> {
    if (envelope.type === 'event_callback') {
      const viaSocket = this.overSocket('events_api', envelope, retryNum, retryReason);
      if (viaSocket) return viaSocket;
    }
    const body = JSON.stringify(envelope);
    const headers = signedHeaders(this.d.signingSecret, body, JSON_TYPE);
    if (retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(retryNum);
      headers['x-slack-retry-reason'] = retryReason;
    }
    return this.post(body, headers);
  }

  /** Re-sends the same envelope (same event_id) as Slack's retry number `n`. */
  retry(envelope: Record<string, unknown>, n = 1, reason = 'http_timeout'): Promise<AckResult> {
    return this.sendEnvelope(envelope, n, reason);
  }

  urlVerification(challenge = `challenge-${newEventId()}`): Promise<AckResult & { challenge: string }> {
    return this.sendEnvelope(urlVerification(this.d.app, challenge)).then((r) => ({ ...r, challenge }));
  }

  sendRaw(input: SendRawInput): Promise<AckResult> {
    const body =
      Buffer.isBuffer(input.body) || typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
    const contentType = input.contentType ?? JSON_TYPE;
    const base =
      input.sign === false
        ? { 'content-type': contentType }
        : signedHeaders(this.d.signingSecret, body, contentType, input.timestamp);
    return this.post(body, { ...base, ...input.headers }, input.path, input.method);
  }

  private channelFor(user: string, ref: string | undefined): Channel {
    if (!ref) return this.d.ws.dmWith(user);
    // Unknown ids are still sent (hostile tests), as a public channel.
    return this.d.ws.resolveChannel(ref) ?? { id: ref, name: ref, kind: 'channel', members: [] };
  }

  async sendMessage(input: SendMessageInput): Promise<SendMessageResult> {
    const ws = this.d.ws;
    const user = input.user ?? ws.localUserId;
    if (!input.bot_id) ws.ensureUser(user);
    const channel = this.channelFor(user, input.channel);
    const channelType = input.channel_type ?? channel.kind;
    const parent = input.thread_ts ? ws.find(channel.id, input.thread_ts) : undefined;
    const subtype = input.subtype ?? (input.files?.length ? 'file_share' : undefined);
    const ts = input.ts ?? ws.nextTs();
    const base: MessageEventInput = {
      user: input.bot_id ? input.user : user,
      channel: channel.id,
      channel_type: channelType,
      text: input.text,
      ts,
      thread_ts: input.thread_ts,
      parent_user_id: parent?.user,
      files: input.files,
      subtype,
      bot_id: input.bot_id,
      team: ws.teamId,
    };
    let event: Record<string, unknown>;
    let mentionable = false;
    if (subtype === 'message_deleted') {
      event = messageDeletedEvent(base, ws.nextTs());
      ws.delete(channel.id, ts);
    } else if (input.edited) {
      const previous = ws.find(channel.id, ts);
      const editTs = ws.nextTs();
      event = messageChangedEvent(base, previous?.text ?? input.text, editTs);
      if (previous) ws.update(channel.id, ts, { text: input.text, edited: { user, ts: editTs } });
      else
        ws.addMessage({
          channel: channel.id,
          ts,
          user,
          text: input.text,
          thread_ts: input.thread_ts,
          edited: { user, ts: editTs },
        });
    } else {
      event = messageEvent(base);
      mentionable = subtype === undefined || subtype === 'file_share' || subtype === 'bot_message';
      ws.addMessage({
        channel: channel.id,
        ts,
        thread_ts: input.thread_ts,
        user: base.user,
        bot_id: input.bot_id,
        text: input.text,
        files: input.files,
        subtype,
      });
    }
    const envelopes: Record<string, unknown>[] = [];
    if (channelType === 'im' || this.d.channelMessages) envelopes.push(eventEnvelope(this.d.app, event));
    if (mentionable && channelType !== 'im' && input.text.includes(`<@${ws.botUserId}>`)) {
      envelopes.push(eventEnvelope(this.d.app, appMentionEvent(base)));
    }
    // Slack delivers the two events independently, so they go out concurrently.
    const acks = await Promise.all(envelopes.map((e) => this.sendEnvelope(e)));
    const first = acks[0] ?? { status: 0, body: '', ackMs: 0, error: 'no event subscribed for this message' };
    return { ...first, eventIds: envelopes.map((e) => String(e.event_id)), ts, channel: channel.id, envelopes, acks };
  }

  /**
   * Slack also delivers the bot's own posts back to it as `message` events (with its bot_id) in
   * conversations it subscribes to; `echoBotMessages` turns this on. Fire-and-forget.
   */
  echoBotMessage(m: Message): void {
    const channel = this.d.ws.resolveChannel(m.channel);
    const channelType = channel?.kind ?? 'channel';
    if (channelType !== 'im' && !this.d.channelMessages) return;
    const event = messageEvent({
      user: m.user,
      bot_id: m.bot_id,
      channel: m.channel,
      channel_type: channelType,
      text: m.text,
      ts: m.ts,
      thread_ts: m.thread_ts,
      team: this.d.ws.teamId,
    });
    void this.sendEnvelope(eventEnvelope(this.d.app, event));
  }

  async sendSlashCommand(input: SlashCommandInput): Promise<SlashCommandResult> {
    const ws = this.d.ws;
    const user = ws.ensureUser(input.user ?? ws.localUserId);
    const channel = this.channelFor(user.id, input.channel);
    const responseUrl = this.d.responses.create({ channel: channel.id, user: user.id });
    const triggerId = newTriggerId();
    const body = slashCommandForm(this.d.app, {
      command: input.command ?? '/icp',
      text: input.text,
      userId: user.id,
      userName: user.name,
      channelId: channel.id,
      channelName: channel.kind === 'im' ? 'directmessage' : channel.name,
      responseUrl,
      triggerId,
    });
    const ack = await (this.overSocket('slash_commands', Object.fromEntries(new URLSearchParams(body))) ??
      this.post(body, signedHeaders(this.d.signingSecret, body, FORM_TYPE)));
    this.showImmediateResponse(responseUrl, ack);
    return { ...ack, responseUrl, triggerId };
  }

  /** Slack shows a non-empty 200 answer to a slash command as a message (ephemeral unless in_channel). */
  private showImmediateResponse(responseUrl: string, ack: AckResult): void {
    if (ack.status !== 200 || ack.body.trim() === '') return;
    let payload: unknown;
    try {
      payload = JSON.parse(ack.body);
    } catch {
      payload = { text: ack.body };
    }
    const id = responseUrl.split('/response/')[1];
    if (id && isRecord(payload) && (payload.text || payload.blocks)) this.d.responses.apply(id, payload);
  }

  async clickAction(input: ClickActionInput): Promise<ClickActionResult> {
    const ws = this.d.ws;
    const user = ws.ensureUser(input.user ?? ws.localUserId);
    const stored = input.message.channel
      ? ws.find(input.message.channel, input.message.ts)
      : ws.findAnywhere(input.message.ts);
    const channelId = stored?.channel ?? input.message.channel ?? ws.dmWith(user.id).id;
    const channel = this.channelFor(user.id, channelId);
    const found = findElement(stored?.blocks, input.actionId);
    const action = this.clickedElement(input, found);
    const isEphemeral = stored?.ephemeral_to !== undefined;
    const responseUrl = this.d.responses.create({
      channel: channel.id,
      user: user.id,
      sourceTs: input.message.ts,
      sourceEphemeral: isEphemeral,
      threadTs: stored?.thread_ts,
    });
    const payload = blockActionsPayload(this.d.app, {
      userId: user.id,
      userName: user.name,
      channelId: channel.id,
      channelName: channel.kind === 'im' ? 'directmessage' : channel.name,
      messageTs: input.message.ts,
      threadTs: stored?.thread_ts,
      isEphemeral,
      message: stored && !isEphemeral ? this.d.messageJson(stored) : undefined,
      action,
      responseUrl,
      triggerId: newTriggerId(),
    });
    const body = interactionForm(payload);
    const ack = await (this.overSocket('interactive', payload) ??
      this.post(body, signedHeaders(this.d.signingSecret, body, FORM_TYPE)));
    return { ...ack, responseUrl, payload };
  }

  /** The user opens the app's Home tab: an `app_home_opened` event. */
  openHome(input: { user?: string } = {}): Promise<AckResult> {
    const user = this.d.ws.ensureUser(input.user ?? this.d.ws.localUserId);
    return this.sendEnvelope(eventEnvelope(this.d.app, appHomeOpenedEvent(user.id, this.d.ws.dmWith(user.id).id)));
  }

  /**
   * The user presses a button on their Home tab (as last published): a `block_actions` from a
   * view, with no channel, message or response_url.
   */
  async clickHome(input: {
    user?: string;
    actionId: string;
  }): Promise<AckResult & { payload: Record<string, unknown> }> {
    const ws = this.d.ws;
    const user = ws.ensureUser(input.user ?? ws.localUserId);
    const blocks = ws.homeView(user.id);
    const found = findElement(blocks, input.actionId);
    const viewId = `V${user.id.slice(1)}HOME`;
    const payload: Record<string, unknown> = {
      type: 'block_actions',
      user: { id: user.id, username: user.name, name: user.name, team_id: ws.teamId },
      api_app_id: this.d.app.appId,
      container: { type: 'view', view_id: viewId },
      trigger_id: newTriggerId(),
      team: { id: this.d.app.teamId, domain: this.d.app.teamDomain },
      view: { id: viewId, type: 'home', blocks: blocks ?? [] },
      actions: [
        {
          ...this.clickedElement({ message: { ts: '' }, actionId: input.actionId }, found),
          action_ts: (Date.now() / 1000).toFixed(6),
        },
      ],
    };
    const body = interactionForm(payload);
    const ack = await (this.overSocket('interactive', payload) ??
      this.post(body, signedHeaders(this.d.signingSecret, body, FORM_TYPE)));
    return { ...ack, payload };
  }

  /** The user picks a message shortcut in a message's "…" menu: a `message_action` with a response_url. */
  async messageShortcut(input: MessageShortcutInput): Promise<ClickActionResult> {
    const ws = this.d.ws;
    const user = ws.ensureUser(input.user ?? ws.localUserId);
    const channel = this.channelFor(user.id, input.message.channel);
    const stored = ws.find(channel.id, input.message.ts);
    const message = stored ? this.d.messageJson(stored) : { type: 'message', ts: input.message.ts, text: '' };
    const responseUrl = this.d.responses.create({ channel: channel.id, user: user.id });
    const payload = messageActionPayload(this.d.app, {
      userId: user.id,
      userName: user.name,
      channelId: channel.id,
      channelName: channel.kind === 'im' ? 'directmessage' : channel.name,
      callbackId: input.callbackId ?? 'icp_answer_message',
      message,
      responseUrl,
      triggerId: newTriggerId(),
    });
    const body = interactionForm(payload);
    const ack = await (this.overSocket('interactive', payload) ??
      this.post(body, signedHeaders(this.d.signingSecret, body, FORM_TYPE)));
    return { ...ack, responseUrl, payload };
  }

  private clickedElement(input: ClickActionInput, found: ReturnType<typeof findElement>): ClickedElement {
    const el = found?.element;
    const type =
      typeof el?.type === 'string' ? el.type : input.selectedOption !== undefined ? 'static_select' : 'button';
    const blockId = input.blockId ?? found?.blockId ?? 'actions';
    if (input.selectedOption !== undefined) {
      const value = typeof input.selectedOption === 'string' ? input.selectedOption : input.selectedOption.value;
      const given = typeof input.selectedOption === 'string' ? undefined : input.selectedOption.text;
      const option = (el && findOption(el, value)) ?? {
        text: given ?? { type: 'plain_text', text: value, emoji: true },
        value,
      };
      return { type, action_id: input.actionId, block_id: blockId, selected_option: option };
    }
    const value = input.value ?? (typeof el?.value === 'string' ? el.value : undefined);
    const out: ClickedElement = {
      type,
      action_id: input.actionId,
      block_id: blockId,
      text: el?.text ?? { type: 'plain_text', text: input.actionId, emoji: true },
    };
    if (value !== undefined) out.value = value;
    return out;
  }
}
