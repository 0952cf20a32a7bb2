/**
 * Small named predicates over Slack message events, so the routing in handlers.ts reads as a list
 * of rules. They look at the raw event (Botkit's own classification misses file_share and edits).
 */

/** The fields of a Slack `message` / `app_mention` event that the bot reads. */
export interface SlackMessageEvent {
  type: string;
  subtype?: string;
  channel?: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  /** Present (as true) when the event carried a bot_profile: a bot wrote it. */
  bot_profile?: boolean;
  text?: string;
  ts?: string;
  thread_ts?: string;
  hidden?: boolean;
  team?: string;
}

const FIELDS = [
  'type',
  'subtype',
  'channel',
  'channel_type',
  'user',
  'bot_id',
  'app_id',
  'text',
  'ts',
  'thread_ts',
  'team',
] as const;

/** The message fields of an untyped event payload: strings only, nothing else carried. */
export function messageEvent(ev: Readonly<Record<string, unknown>>): SlackMessageEvent {
  const out: SlackMessageEvent = { type: typeof ev.type === 'string' ? ev.type : 'event' };
  for (const k of FIELDS) if (k !== 'type' && typeof ev[k] === 'string') out[k] = ev[k];
  if (ev.hidden === true) out.hidden = true;
  if (typeof ev.bot_profile === 'object' && ev.bot_profile !== null) out.bot_profile = true;
  return out;
}

/** Subtypes that are still a person writing a new message. Everything else (edits, deletes, joins…) is ignored. */
const ANSWERABLE_SUBTYPES = new Set(['file_share', 'thread_broadcast']);

const isMessageEvent = (e: SlackMessageEvent): boolean => e.type === 'message' || e.type === 'app_mention';

/** A bot wrote it: a bot id, an app id or a bot profile (some app posts carry no bot_id), or the bot_message subtype. */
export const isFromBot = (e: SlackMessageEvent): boolean =>
  Boolean(e.bot_id) || Boolean(e.app_id) || e.bot_profile === true || e.subtype === 'bot_message';

export const isFromSelf = (e: SlackMessageEvent, botUserId: string | null): boolean =>
  botUserId !== null && e.user === botUserId;

export const isEditOrDelete = (e: SlackMessageEvent): boolean =>
  e.subtype === 'message_changed' || e.subtype === 'message_deleted' || e.hidden === true;

/** A new message written by a person, with text we could answer. */
export const isAnswerable = (e: SlackMessageEvent): boolean =>
  isMessageEvent(e) &&
  !isEditOrDelete(e) &&
  (e.subtype === undefined || ANSWERABLE_SUBTYPES.has(e.subtype)) &&
  typeof e.user === 'string' &&
  typeof e.channel === 'string' &&
  typeof e.ts === 'string';

/** A DM's channel id (D…), for payloads that carry no channel_type. */
export const isDmChannel = (channel: string): boolean => channel.startsWith('D');

/** DMs with the bot; group DMs (mpim) need a mention like channels. */
export const isDirectMessage = (e: SlackMessageEvent): boolean =>
  e.channel_type === 'im' || (e.channel_type === undefined && e.type === 'message' && isDmChannel(e.channel ?? ''));

/**
 * The question without the bot's own mention(s): `<@BOT>` or `<@BOT|name>`, and a ":" or "," after.
 * One scan (a flood of `<@BOT|` without its `>` must not rescan the text from each one).
 */
export function stripBotMention(text: string, botUserId: string | null): string {
  if (botUserId === null) return text.trim();
  const open = `<@${botUserId}`;
  let out = '';
  let last = 0;
  let nextGt = -2;
  for (let i = text.indexOf(open); i >= 0; i = text.indexOf(open, i + 1)) {
    const after = i + open.length;
    if (text[after] !== '>' && text[after] !== '|') continue;
    if (nextGt !== -1 && nextGt < after) nextGt = text.indexOf('>', after);
    if (nextGt === -1) break;
    let end = nextGt + 1;
    if (text[end] === ':' || text[end] === ',') end++;
    out += text.slice(last, i) + ' ';
    last = end;
    i = end - 1;
  }
  return (out + text.slice(last)).replace(/\s+/g, ' ').trim();
}

/** Botkit's names for a message: in a DM, starting with our mention, mentioning us, or ambient. */
export type MessageKind = 'direct_message' | 'direct_mention' | 'mention' | 'message';

/**
 * Botkit's event name for a Slack event: a message kind, bot_message, or the event's own type.
 * Worked out here (linear in the text) instead of by the adapter's regex middleware.
 */
export function eventKind(ev: SlackMessageEvent, botUserId: string): MessageKind | string {
  const type = ev.type;
  if (type !== 'message' && type !== 'app_mention') return type;
  if (isFromBot(ev)) return 'bot_message';
  if (ev.channel_type === 'im') return 'direct_message';
  const text = ev.text ?? '';
  const mention = `<@${botUserId}`;
  if (text.trimStart().startsWith(mention)) return 'direct_mention';
  if (type === 'app_mention' || text.includes(mention)) return 'mention';
  return 'message';
}
