/**
 * The Web API methods the stand-in implements, as plain functions of (workspace, arguments) →
 * the JSON Slack would answer. Validation follows Slack's documented errors for each method.
 */
import { bool, isRecord, str } from './http-util.js';
import type { Message, Workspace } from './state.js';
import { validateBlocks } from './blocks.js';

export type ApiResult = { ok: true; [k: string]: unknown } | { ok: false; error: string; [k: string]: unknown };

export interface ApiContext {
  ws: Workspace;
  appId: string;
  botName: string;
  baseUrl: string;
}

type Handler = (ctx: ApiContext, args: Record<string, unknown>) => ApiResult;

const fail = (error: string, detail?: string): ApiResult =>
  detail ? { ok: false, error, response_metadata: { messages: [detail] } } : { ok: false, error };

/** Slack truncates message text past 40,000 characters rather than refusing it. */
const MAX_TEXT = 40_000;

/** `blocks` arrive as an array (JSON bodies) or a JSON string (form bodies). */
function readBlocks(v: unknown): { blocks?: unknown[]; error?: string; detail?: string } {
  if (v === undefined || v === null || v === '') return {};
  let parsed: unknown = v;
  if (typeof v === 'string') {
    try {
      parsed = JSON.parse(v);
    } catch {
      return { error: 'invalid_blocks' };
    }
  }
  if (!Array.isArray(parsed)) return { error: 'invalid_blocks' };
  const problem = validateBlocks(parsed);
  return problem ? { error: 'invalid_blocks', detail: problem } : { blocks: parsed };
}

/** Shared by postMessage / postEphemeral / update: text and blocks, with Slack's no_text rule. */
export function readContent(
  args: Record<string, unknown>,
): { text: string; blocks?: unknown[] } | { error: string; detail?: string } {
  const b = readBlocks(args.blocks);
  if (b.error) return { error: b.error, detail: b.detail };
  const text = str(args.text) ?? '';
  if (text.length === 0 && !b.blocks?.length) return { error: 'no_text' };
  return { text: text.slice(0, MAX_TEXT), blocks: b.blocks };
}

/** The message object Slack echoes back for a message the bot posted. */
export function messageJson(m: Message, ctx: ApiContext): Record<string, unknown> {
  const out: Record<string, unknown> = { type: 'message', ts: m.ts, text: m.text, team: ctx.ws.teamId };
  if (m.user) out.user = m.user;
  if (m.bot_id) {
    out.bot_id = m.bot_id;
    out.app_id = m.app_id ?? ctx.appId;
    out.bot_profile = { id: m.bot_id, app_id: ctx.appId, name: ctx.botName, team_id: ctx.ws.teamId, deleted: false };
  }
  if (m.blocks) out.blocks = m.blocks;
  if (m.thread_ts) out.thread_ts = m.thread_ts;
  if (m.edited) out.edited = m.edited;
  if (m.subtype) out.subtype = m.subtype;
  if (m.files) out.files = m.files;
  if (m.reply_count) {
    out.reply_count = m.reply_count;
    out.reply_users = m.reply_users;
    out.latest_reply = m.latest_reply;
  }
  if (m.reactions) out.reactions = m.reactions;
  return out;
}

const authTest: Handler = (ctx) => ({
  ok: true,
  url: ctx.baseUrl,
  team: 'Local Stand-in',
  user: ctx.botName,
  team_id: ctx.ws.teamId,
  user_id: ctx.ws.botUserId,
  bot_id: ctx.ws.botId,
  is_enterprise_install: false,
});

const postMessage: Handler = (ctx, args) => {
  const ref = str(args.channel);
  if (!ref) return fail('channel_not_found');
  const channel = ctx.ws.resolveChannel(ref);
  if (!channel) return fail('channel_not_found');
  const content = readContent(args);
  if ('error' in content) return fail(content.error, content.detail);
  const threadTs = str(args.thread_ts) || undefined;
  const m = ctx.ws.addMessage({
    channel: channel.id,
    ts: ctx.ws.nextTs(),
    thread_ts: threadTs,
    user: ctx.ws.botUserId,
    bot_id: ctx.ws.botId,
    app_id: ctx.appId,
    text: content.text,
    blocks: content.blocks,
  });
  if (bool(args.reply_broadcast)) m.subtype = 'thread_broadcast';
  return { ok: true, channel: channel.id, ts: m.ts, message: messageJson(m, ctx) };
};

const postEphemeral: Handler = (ctx, args) => {
  const ref = str(args.channel);
  if (!ref) return fail('channel_not_found');
  const channel = ctx.ws.resolveChannel(ref);
  if (!channel) return fail('channel_not_found');
  const userId = str(args.user);
  if (!userId) return fail('invalid_arguments');
  if (!ctx.ws.user(userId)) return fail('user_not_found');
  if (!channel.members.includes(userId) && channel.kind !== 'im') return fail('user_not_in_channel');
  const content = readContent(args);
  if ('error' in content) return fail(content.error, content.detail);
  const m = ctx.ws.addMessage({
    channel: channel.id,
    ts: ctx.ws.nextTs(),
    thread_ts: str(args.thread_ts) || undefined,
    user: ctx.ws.botUserId,
    bot_id: ctx.ws.botId,
    app_id: ctx.appId,
    text: content.text,
    blocks: content.blocks,
    ephemeral_to: userId,
  });
  return { ok: true, message_ts: m.ts };
};

/** Finds the bot's own message for update/delete, with Slack's errors. */
function ownMessage(
  ctx: ApiContext,
  args: Record<string, unknown>,
): { channel: string; m: Message } | { error: string } {
  const ref = str(args.channel);
  if (!ref) return { error: 'channel_not_found' };
  const channel = ctx.ws.resolveChannel(ref);
  if (!channel) return { error: 'channel_not_found' };
  const ts = str(args.ts);
  if (!ts) return { error: 'message_not_found' };
  const m = ctx.ws.find(channel.id, ts);
  if (!m || m.ephemeral_to) return { error: 'message_not_found' };
  if (m.bot_id !== ctx.ws.botId) return { error: 'cant_update_message' };
  return { channel: channel.id, m };
}

const update: Handler = (ctx, args) => {
  const found = ownMessage(ctx, args);
  if ('error' in found) return fail(found.error);
  const content = readContent(args);
  if ('error' in content) return fail(content.error, content.detail);
  const m = ctx.ws.update(found.channel, found.m.ts, {
    text: content.text,
    blocks: content.blocks,
    edited: { user: ctx.ws.botUserId, ts: ctx.ws.nextTs() },
  });
  if (!m) return fail('message_not_found');
  return { ok: true, channel: found.channel, ts: m.ts, text: m.text, message: messageJson(m, ctx) };
};

const del: Handler = (ctx, args) => {
  const found = ownMessage(ctx, args);
  if ('error' in found) return fail(found.error === 'cant_update_message' ? 'cant_delete_message' : found.error);
  ctx.ws.delete(found.channel, found.m.ts);
  return { ok: true, channel: found.channel, ts: found.m.ts };
};

const conversationsInfo: Handler = (ctx, args) => {
  const ref = str(args.channel);
  if (!ref) return fail('channel_not_found');
  const c = ctx.ws.resolveChannel(ref);
  if (!c) return fail('channel_not_found');
  const channel: Record<string, unknown> = {
    id: c.id,
    name: c.name,
    is_channel: c.kind === 'channel',
    is_group: c.kind === 'group',
    is_im: c.kind === 'im',
    is_mpim: c.kind === 'mpim',
    is_private: c.kind !== 'channel',
    is_member: c.members.includes(ctx.ws.botUserId),
    is_archived: false,
    created: 1_700_000_000,
  };
  if (c.kind === 'im') channel.user = c.user;
  return { ok: true, channel };
};

const conversationsReplies: Handler = (ctx, args) => {
  const ref = str(args.channel);
  if (!ref) return fail('channel_not_found');
  const c = ctx.ws.resolveChannel(ref);
  if (!c) return fail('channel_not_found');
  const ts = str(args.ts);
  if (!ts) return fail('invalid_arguments');
  const messages = ctx.ws.thread(c.id, ts);
  if (messages.length === 0) return fail('thread_not_found');
  return { ok: true, messages: messages.map((m) => messageJson(m, ctx)), has_more: false };
};

const usersInfo: Handler = (ctx, args) => {
  const id = str(args.user);
  if (!id) return fail('user_not_found');
  const u = ctx.ws.user(id);
  if (!u) return fail('user_not_found');
  return {
    ok: true,
    user: {
      id: u.id,
      team_id: u.team_id ?? ctx.ws.teamId,
      name: u.name,
      real_name: u.real_name,
      is_bot: u.is_bot,
      is_restricted: u.guest !== undefined,
      is_ultra_restricted: u.guest === 'single',
      deleted: false,
      tz: 'Asia/Shanghai',
      profile: { real_name: u.real_name, display_name: u.name, ...(u.bot_id ? { bot_id: u.bot_id } : {}) },
    },
  };
};

/** A view argument: an object, or its JSON in a form field; null when it is neither. */
function readView(v: unknown): Record<string, unknown> | null {
  if (typeof v !== 'string') return isRecord(v) ? v : null;
  try {
    const parsed: unknown = JSON.parse(v);
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

const viewsOpen: Handler = (_ctx, args) => {
  if (!str(args.trigger_id)) return fail('invalid_arguments');
  const view = readView(args.view);
  if (!view) return fail('invalid_arguments');
  return { ok: true, view: { id: `V${Date.now().toString(36).toUpperCase()}`, ...view } };
};

/** chat.getPermalink: a link to a stored message (on the stand-in's own address). */
const getPermalink: Handler = (ctx, args) => {
  const c = ctx.ws.resolveChannel(str(args.channel) ?? '');
  if (!c) return fail('channel_not_found');
  const ts = str(args.message_ts);
  if (!ts || !ctx.ws.find(c.id, ts)) return fail('message_not_found');
  return { ok: true, channel: c.id, permalink: `${ctx.baseUrl}archives/${c.id}/p${ts.replace('.', '')}` };
};

/** views.publish: a user's Home tab (type "home", at most 100 blocks), kept for the playground. */
const viewsPublish: Handler = (ctx, args) => {
  const user = str(args.user_id);
  if (!user) return fail('invalid_arguments');
  if (!ctx.ws.user(user)) return fail('user_not_found');
  const view = readView(args.view);
  if (!view || view.type !== 'home' || !Array.isArray(view.blocks)) return fail('invalid_arguments');
  const problem = validateBlocks(view.blocks, 100);
  if (problem) return fail('invalid_blocks', problem);
  ctx.ws.setHomeView(user, view.blocks);
  return { ok: true, view: { id: `V${Date.now().toString(36).toUpperCase()}`, team_id: ctx.ws.teamId, ...view } };
};

const reactionsAdd: Handler = (ctx, args) => {
  const ref = str(args.channel);
  const c = ref ? ctx.ws.resolveChannel(ref) : undefined;
  if (!c) return fail('channel_not_found');
  const name = str(args.name);
  if (!name) return fail('invalid_name');
  const ts = str(args.timestamp);
  const m = ts ? ctx.ws.find(c.id, ts) : undefined;
  if (!m || m.ephemeral_to) return fail('message_not_found');
  const reactions = m.reactions ?? [];
  const r = reactions.find((x) => x.name === name);
  if (r?.users.includes(ctx.ws.botUserId)) return fail('already_reacted');
  if (r) {
    r.users.push(ctx.ws.botUserId);
    r.count += 1;
  } else reactions.push({ name, users: [ctx.ws.botUserId], count: 1 });
  ctx.ws.update(c.id, m.ts, { reactions });
  return { ok: true };
};

/** usergroups.users.list: a user group's member ids (an unknown group: no_such_subteam, as Slack). */
const usergroupsUsersList: Handler = (ctx, args) => {
  const id = str(args.usergroup);
  if (!id) return fail('invalid_arguments');
  const users = ctx.ws.usergroupUsers(id);
  return users ? { ok: true, users } : fail('no_such_subteam');
};

const METHODS: Readonly<Record<string, Handler>> = {
  'auth.test': authTest,
  'chat.postMessage': postMessage,
  'chat.postEphemeral': postEphemeral,
  'chat.update': update,
  'chat.delete': del,
  'conversations.info': conversationsInfo,
  'conversations.replies': conversationsReplies,
  'users.info': usersInfo,
  'views.open': viewsOpen,
  'views.publish': viewsPublish,
  'chat.getPermalink': getPermalink,
  'reactions.add': reactionsAdd,
  'usergroups.users.list': usergroupsUsersList,
};

export function callMethod(ctx: ApiContext, method: string, args: Record<string, unknown>): ApiResult {
  const handler = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
  return handler ? handler(ctx, args) : fail('unknown_method');
}
