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
  text?: string;
  ts?: string;
  thread_ts?: string;
  hidden?: boolean;
  team?: string;
}

/** Subtypes that are still a person writing a new message. Everything else (edits, deletes, joins…) is ignored. */
const ANSWERABLE_SUBTYPES = new Set(['file_share', 'thread_broadcast']);

export const isMessageEvent = (e: SlackMessageEvent): boolean => e.type === 'message' || e.type === 'app_mention';

export const isFromBot = (e: SlackMessageEvent): boolean => Boolean(e.bot_id) || e.subtype === 'bot_message';

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

/** DMs with the bot; group DMs (mpim) need a mention like channels. */
export const isDirectMessage = (e: SlackMessageEvent): boolean =>
  e.channel_type === 'im' || (e.channel_type === undefined && e.type === 'message' && (e.channel ?? '').startsWith('D'));

export function mentionsBot(text: string, botUserId: string | null): boolean {
  return botUserId !== null && text.includes(`<@${botUserId}`);
}

export const isAppMention = (e: SlackMessageEvent): boolean => e.type === 'app_mention';

/** The question without the bot's own mention(s). */
export function stripBotMention(text: string, botUserId: string | null): string {
  if (botUserId === null) return text.trim();
  const re = new RegExp(`<@${botUserId.replace(/[^A-Za-z0-9]/g, '')}(?:\\|[^>]*)?>[:,]?`, 'g');
  return text.replace(re, ' ').replace(/\s+/g, ' ').trim();
}

/** Thread a channel reply goes into: the thread the question was asked in, else a new one under it. */
export const replyThreadTs = (e: SlackMessageEvent): string | undefined => e.thread_ts ?? e.ts;
