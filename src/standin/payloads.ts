/**
 * Builders for the payloads Slack sends to an app, following Slack's documentation (Events API
 * `event_callback` envelope, `message` / `app_mention` events, `url_verification`, slash command
 * form bodies, `block_actions` interaction payloads). Pure functions: ids and ts come from the caller
 * or are generated here; nothing is sent.
 */
import { randomBytes } from 'node:crypto';
import { isRecord } from './http-util.js';

export interface AppIdentity {
  teamId: string;
  teamDomain: string;
  appId: string;
  botUserId: string;
  /** The deprecated verification token Slack still puts in payloads; not a secret the bot should use. */
  verificationToken: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
function randomId(prefix: string, len: number): string {
  const bytes = randomBytes(len);
  let s = prefix;
  for (const b of bytes) s += ALNUM[b % ALNUM.length];
  return s;
}

/** Event ids look like `Ev0123ABCDEF`. */
export const newEventId = (): string => randomId('Ev', 10);

/** Trigger ids look like `1234567890123.1234567890123.<32 hex>`. */
export function newTriggerId(): string {
  const n = (): string => String(1_000_000_000_000 + Math.floor(Math.random() * 8_999_999_999_999));
  return `${n()}.${n()}.${randomBytes(16).toString('hex')}`;
}

export type ChannelType = 'im' | 'channel' | 'group' | 'mpim';

export interface MessageEventInput {
  user?: string;
  channel: string;
  channel_type: ChannelType;
  text: string;
  ts: string;
  thread_ts?: string;
  parent_user_id?: string;
  files?: unknown[];
  subtype?: string;
  bot_id?: string;
  team: string;
}

/** What a user's message and its `app_mention` share: who, what, where and when, the thread, files and blocks. */
function userMessage(type: string, m: MessageEventInput): Record<string, unknown> {
  const e: Record<string, unknown> = { type, channel: m.channel, text: m.text, ts: m.ts, event_ts: m.ts, team: m.team };
  if (m.user) e.user = m.user;
  if (m.thread_ts) e.thread_ts = m.thread_ts;
  if (m.files) e.files = m.files;
  if (m.text) e.blocks = [richText(m.text)];
  return e;
}

/** A `message` event as delivered for message.im / message.channels / message.groups / message.mpim. */
export function messageEvent(m: MessageEventInput): Record<string, unknown> {
  const e = userMessage('message', m);
  e.channel_type = m.channel_type;
  if (m.subtype) e.subtype = m.subtype;
  if (m.bot_id) {
    e.bot_id = m.bot_id;
    e.bot_profile = { id: m.bot_id, name: m.bot_id.toLowerCase(), team_id: m.team, deleted: false };
  }
  if (m.thread_ts && m.parent_user_id) e.parent_user_id = m.parent_user_id;
  return e;
}

/** Slack attaches a rich_text rendering of what the user typed; a plain single section is enough here. */
function richText(text: string): Record<string, unknown> {
  return {
    type: 'rich_text',
    block_id: randomId('', 5).toLowerCase(),
    elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
  };
}

/** The message as it was, which an edit or a deletion carries along. */
const previousMessage = (m: MessageEventInput, text: string) => ({
  type: 'message',
  user: m.user,
  text,
  ts: m.ts,
  team: m.team,
});

/** `message_changed`: the edited message arrives nested, with `edited`, and the old one as `previous_message`. */
export function messageChangedEvent(
  m: MessageEventInput,
  previousText: string,
  editTs: string,
): Record<string, unknown> {
  const inner: Record<string, unknown> = {
    type: 'message',
    user: m.user,
    text: m.text,
    ts: m.ts,
    edited: { user: m.user, ts: editTs },
    team: m.team,
  };
  if (m.thread_ts) inner.thread_ts = m.thread_ts;
  return {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel: m.channel,
    channel_type: m.channel_type,
    ts: editTs,
    event_ts: editTs,
    message: inner,
    previous_message: previousMessage(m, previousText),
  };
}

/** `message_deleted`: the deleted message's ts is `deleted_ts`; the event has its own ts. */
export function messageDeletedEvent(m: MessageEventInput, deleteTs: string): Record<string, unknown> {
  return {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel: m.channel,
    channel_type: m.channel_type,
    ts: deleteTs,
    event_ts: deleteTs,
    deleted_ts: m.ts,
    previous_message: previousMessage(m, m.text),
  };
}

/** `app_mention`: sent besides the `message` event when a message mentions the app's bot user. */
export function appMentionEvent(m: MessageEventInput): Record<string, unknown> {
  const e = userMessage('app_mention', m);
  if (m.bot_id) e.bot_id = m.bot_id;
  return e;
}

export function eventEnvelope(
  app: AppIdentity,
  event: Record<string, unknown>,
  eventId = newEventId(),
): Record<string, unknown> {
  return {
    token: app.verificationToken,
    team_id: app.teamId,
    context_team_id: app.teamId,
    context_enterprise_id: null,
    api_app_id: app.appId,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: app.teamId, user_id: app.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(eventId).toString('base64url')}`,
  };
}

export function urlVerification(app: AppIdentity, challenge: string): Record<string, unknown> {
  return { token: app.verificationToken, challenge, type: 'url_verification' };
}

export interface SlashCommandInput {
  command: string;
  text: string;
  userId: string;
  userName: string;
  channelId: string;
  channelName: string;
  responseUrl: string;
  triggerId: string;
}

/** A slash command request: an `application/x-www-form-urlencoded` body. */
export function slashCommandForm(app: AppIdentity, c: SlashCommandInput): string {
  return new URLSearchParams({
    token: app.verificationToken,
    team_id: app.teamId,
    team_domain: app.teamDomain,
    channel_id: c.channelId,
    channel_name: c.channelName,
    user_id: c.userId,
    user_name: c.userName,
    command: c.command,
    text: c.text,
    api_app_id: app.appId,
    is_enterprise_install: 'false',
    response_url: c.responseUrl,
    trigger_id: c.triggerId,
  }).toString();
}

export interface ClickedElement {
  type: string;
  action_id: string;
  block_id: string;
  value?: string;
  text?: unknown;
  selected_option?: { text: unknown; value: string };
}

interface BlockActionsInput {
  userId: string;
  userName: string;
  channelId: string;
  channelName: string;
  messageTs: string;
  threadTs?: string;
  isEphemeral: boolean;
  /** The message as Slack shows it to the app (omitted for ephemeral messages, as Slack does). */
  message?: Record<string, unknown>;
  action: ClickedElement;
  responseUrl: string;
  triggerId: string;
}

/** A `block_actions` interaction payload (sent as form field `payload=<json>`). */
export function blockActionsPayload(app: AppIdentity, a: BlockActionsInput): Record<string, unknown> {
  const container: Record<string, unknown> = {
    type: 'message',
    message_ts: a.messageTs,
    channel_id: a.channelId,
    is_ephemeral: a.isEphemeral,
  };
  if (a.threadTs) container.thread_ts = a.threadTs;
  const actionTs = (Date.now() / 1000).toFixed(6);
  const p: Record<string, unknown> = {
    type: 'block_actions',
    user: { id: a.userId, username: a.userName, name: a.userName, team_id: app.teamId },
    api_app_id: app.appId,
    token: app.verificationToken,
    container,
    trigger_id: a.triggerId,
    team: { id: app.teamId, domain: app.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: a.channelId, name: a.channelName },
    state: { values: {} },
    response_url: a.responseUrl,
    actions: [{ ...a.action, action_ts: actionTs }],
  };
  if (a.message) p.message = a.message;
  return p;
}

/** `app_home_opened`, as Slack sends it when a user opens the app's Home tab. */
export function appHomeOpenedEvent(userId: string, channel: string): Record<string, unknown> {
  return { type: 'app_home_opened', user: userId, channel, tab: 'home', event_ts: (Date.now() / 1000).toFixed(6) };
}

interface MessageActionInput {
  userId: string;
  userName: string;
  channelId: string;
  channelName: string;
  callbackId: string;
  message: Record<string, unknown>;
  responseUrl: string;
  triggerId: string;
}

/** A message shortcut (`message_action`) on a message, as Slack sends it. */
export function messageActionPayload(app: AppIdentity, a: MessageActionInput): Record<string, unknown> {
  return {
    type: 'message_action',
    token: app.verificationToken,
    action_ts: (Date.now() / 1000).toFixed(6),
    team: { id: app.teamId, domain: app.teamDomain },
    user: { id: a.userId, username: a.userName, name: a.userName, team_id: app.teamId },
    channel: { id: a.channelId, name: a.channelName },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: a.callbackId,
    trigger_id: a.triggerId,
    response_url: a.responseUrl,
    message_ts: a.message.ts,
    message: a.message,
  };
}

export const interactionForm = (payload: Record<string, unknown>): string =>
  new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

/**
 * Finds the interactive element with `actionId` in a message's blocks (section accessories and
 * actions blocks), so a click carries the element's real type, block_id and option shape.
 */
export function findElement(
  blocks: unknown[] | undefined,
  actionId: string,
): { element: Record<string, unknown>; blockId: string } | undefined {
  for (const b of blocks ?? []) {
    if (!isRecord(b)) continue;
    const blockId = typeof b.block_id === 'string' ? b.block_id : '';
    const candidates: unknown[] = [];
    if (isRecord(b.accessory)) candidates.push(b.accessory);
    if (Array.isArray(b.elements)) candidates.push(...(b.elements as unknown[]));
    for (const e of candidates) if (isRecord(e) && e.action_id === actionId) return { element: e, blockId };
  }
  return undefined;
}

/** Finds an option by value in a static_select element (plain options or option groups). */
export function findOption(
  element: Record<string, unknown>,
  value: string,
): { text: unknown; value: string } | undefined {
  const pools: unknown[] = [];
  if (Array.isArray(element.options)) pools.push(...(element.options as unknown[]));
  if (Array.isArray(element.option_groups)) {
    for (const g of element.option_groups as unknown[])
      if (isRecord(g) && Array.isArray(g.options)) pools.push(...(g.options as unknown[]));
  }
  for (const o of pools) if (isRecord(o) && o.value === value) return { text: o.text, value };
  return undefined;
}
