/**
 * What users see: the bot's replies to messages, /icp and button clicks. Plain async functions over
 * raw Slack payloads, a SlackOut and a PendingStore — no Botkit here, so they can be tested alone.
 */
import { performance } from 'node:perf_hooks';
import { answer } from '../answer.js';
import { ACTIONS, renderBlocks } from '../render-blocks.js';
import { renderText } from '../render-text.js';
import { CORE_INTENTS, type Answer, type Lang, type SlackMessage, type Understanding } from '../types.js';
import { understand, withProvince } from '../understand.js';
import { ANSWER_ACTIONS, notice, plainTextMessage, unpackQuestion, withAnswerActions } from './actions.js';
import {
  isAnswerable,
  isAppMention,
  isDirectMessage,
  isFromBot,
  isFromSelf,
  mentionsBot,
  stripBotMention,
  type SlackMessageEvent,
} from './filters.js';
import { LOW_CONFIDENCE, questionLine, type Logger, type QuestionRecord } from './log.js';
import { conversationKey, newRef, refKey, type PendingQuestion, type PendingStore } from './pending.js';
import { duration, escapeSlack, safeUserId, t } from './strings.js';
import type { Body, SlackOut } from './webapi.js';

export interface TurnContext {
  eventId: string | null;
  team: string | null;
  /** performance.now() when the HTTP request arrived, for the latency in the log line. */
  receivedAt: number;
}

export interface HandlerDeps {
  out: SlackOut;
  pending: PendingStore;
  pendingTtlMs: number;
  log: Logger;
  botUserId: () => string | null;
  now?: () => number;
}

export type Outcome = 'answered' | 'asked' | 'completed' | 'ignored' | 'notified' | 'failed';

const PROVINCE_BLOCK_PREFIX = 'icp_province:';
const PROVINCE_ID = /^[a-z]{2,20}$/;
const HELP_WORDS = /^(help|帮助|幫助|\?|？)$/i;

const hasHan = (s: string): boolean => /[\u3400-\u9fff]/.test(s);

export function createHandlers(deps: HandlerDeps) {
  const now = deps.now ?? Date.now;

  function logQuestion(ctx: TurnContext, r: Omit<QuestionRecord, 'eventId' | 'team' | 'latencyMs'>): void {
    deps.log.info(questionLine({ ...r, eventId: ctx.eventId, team: ctx.team, latencyMs: performance.now() - ctx.receivedAt }));
  }

  async function remember(q: PendingQuestion, isDm: boolean): Promise<void> {
    await deps.pending.set(refKey(q.ref), q, deps.pendingTtlMs);
    if (!q.ephemeral) await deps.pending.set(conversationKey(q.channel, q.threadTs, q.user, isDm), q, deps.pendingTtlMs);
  }

  async function forget(q: PendingQuestion): Promise<void> {
    await deps.pending.delete(refKey(q.ref));
    // Both key shapes: the store does not know whether it was a DM.
    await deps.pending.delete(conversationKey(q.channel, q.threadTs, q.user, true));
    await deps.pending.delete(conversationKey(q.channel, q.threadTs, q.user, false));
  }

  /** Renders an answer with our buttons; a question that needs a province gets a ref for its picker. */
  function compose(u: Understanding, a: Answer, opts: { postToChannel?: boolean } = {}): { msg: SlackMessage; ref: string | null } {
    const ref = a.ask ? newRef() : null;
    const rendered = renderBlocks(a, ref ? { ref } : {});
    // Posting a picker to a channel would ask everyone; offer that only for complete answers.
    return { msg: withAnswerActions(rendered, u, a.lang, { postToChannel: opts.postToChannel === true && !a.ask }), ref };
  }

  /** Posts the answer to `u` in channel/thread and, when it asks for a province, remembers the question. */
  async function answerInConversation(
    u: Understanding,
    where: { channel: string; threadTs: string | undefined; user: string; team: string | null; isDm: boolean },
  ): Promise<Outcome> {
    const a = answer(u);
    const { msg, ref } = compose(u, a);
    const posted = await deps.out.postMessage({ channel: where.channel, ...(where.threadTs ? { thread_ts: where.threadTs } : {}), ...msg });
    if (!posted) return 'failed';
    if (ref) {
      await remember({ ref, understanding: u, user: where.user, team: where.team, channel: where.channel, threadTs: where.threadTs, ephemeral: false, createdAt: now() }, where.isDm);
      return 'asked';
    }
    return 'answered';
  }

  /** A typed reply names a province (or narrows to candidates) for the pending question, unless it is a new question. */
  function replyFor(pending: PendingQuestion, reply: Understanding): Understanding | null {
    const newQuestion =
      (CORE_INTENTS as readonly string[]).includes(reply.intent) &&
      reply.intent !== pending.understanding.intent &&
      reply.confidence >= LOW_CONFIDENCE;
    if (newQuestion) return null;
    if (reply.province) return withProvince(pending.understanding, reply.province);
    if (reply.candidates.length > 1) return { ...pending.understanding, province: null, candidates: reply.candidates };
    return null;
  }

  async function onMessage(ev: SlackMessageEvent, ctx: TurnContext): Promise<Outcome> {
    const botId = deps.botUserId();
    if (!isAnswerable(ev) || isFromBot(ev) || isFromSelf(ev, botId)) return 'ignored';
    const channel = ev.channel as string;
    const user = ev.user as string;
    const team = ev.team ?? ctx.team;
    const raw = ev.text ?? '';
    const isDm = isDirectMessage(ev);
    const mentioned = isAppMention(ev) || mentionsBot(raw, botId);
    const text = stripBotMention(raw, botId);

    // A reply to a question waiting for this user's province: in the DM, or in the bot's thread.
    if (isDm || ev.thread_ts) {
      const pending = await deps.pending.get(conversationKey(channel, ev.thread_ts, user, isDm));
      if (pending) {
        const reply = understand(text);
        const completed = replyFor(pending, reply);
        if (completed) {
          await forget(pending);
          const outcome = await answerInConversation(completed, { channel, threadTs: pending.threadTs, user, team, isDm });
          logQuestion(ctx, { channel, surface: 'typed', intent: completed.intent, province: completed.province, confidence: completed.confidence, text: completed.text });
          return outcome === 'answered' ? 'completed' : outcome;
        }
      }
    }
    if (!isDm && !mentioned) return 'ignored';

    const u = understand(text);
    const threadTs = isDm ? ev.thread_ts : (ev.thread_ts ?? ev.ts);
    const outcome = await answerInConversation(u, { channel, threadTs, user, team, isDm });
    logQuestion(ctx, { channel, surface: isDm ? 'dm' : 'mention', intent: u.intent, province: u.province, confidence: u.confidence, text: u.text });
    return outcome;
  }

  async function onSlashCommand(fields: Record<string, string>, ctx: TurnContext): Promise<Outcome> {
    const responseUrl = fields.response_url;
    if (!responseUrl) return 'ignored';
    const text = (fields.text ?? '').trim();
    const channel = fields.channel_id ?? null;
    if (text === '' || HELP_WORDS.test(text)) {
      const lang: Lang = hasHan(text) ? 'zh' : 'en';
      const help = renderBlocks(answer(understand(lang === 'zh' ? '帮助' : 'help')));
      const usage = t(lang, 'slashUsage');
      const msg = { text: help.text, blocks: [...help.blocks.slice(0, 49), { type: 'context', elements: [{ type: 'mrkdwn', text: usage }] }] };
      return (await deps.out.respond(responseUrl, { response_type: 'ephemeral', ...msg })) ? 'answered' : 'failed';
    }
    const u = understand(text);
    const a = answer(u);
    const { msg, ref } = compose(u, a, { postToChannel: true });
    const ok = await deps.out.respond(responseUrl, { response_type: 'ephemeral', ...msg });
    logQuestion(ctx, { channel, surface: 'slash', intent: u.intent, province: u.province, confidence: u.confidence, text: u.text });
    if (!ok) return 'failed';
    if (ref && fields.user_id && channel) {
      await remember({ ref, understanding: u, user: fields.user_id, team: fields.team_id ?? ctx.team, channel, threadTs: undefined, ephemeral: true, createdAt: now() }, false);
      return 'asked';
    }
    return 'answered';
  }

  async function onBlockActions(payload: Record<string, unknown>, ctx: TurnContext): Promise<Outcome> {
    const click = readClick(payload);
    if (!click) return 'ignored';

    /** Tells only the clicker: through response_url when the message is ephemeral, else chat.postEphemeral. */
    const tell = async (msg: SlackMessage): Promise<Outcome> => {
      if (click.isEphemeral && click.responseUrl) {
        return (await deps.out.respond(click.responseUrl, { response_type: 'ephemeral', replace_original: false, ...msg })) ? 'notified' : 'failed';
      }
      if (!click.channel) return 'failed';
      const r = await deps.out.postEphemeral({ channel: click.channel, user: click.user, ...(click.threadTs ? { thread_ts: click.threadTs } : {}), ...msg });
      return r ? 'notified' : 'failed';
    };

    const { actionId } = click;
    if (actionId === ACTIONS.pickProvince || actionId.startsWith(`${ACTIONS.chooseProvince}:`)) {
      const province = actionId === ACTIONS.pickProvince ? click.selected : click.value;
      const ref = click.blockId.startsWith(PROVINCE_BLOCK_PREFIX) ? click.blockId.slice(PROVINCE_BLOCK_PREFIX.length) : '';
      const pending = ref ? await deps.pending.get(refKey(ref)) : undefined;
      if (!pending || !province || !PROVINCE_ID.test(province)) {
        return tell(notice(t(click.lang, 'expired', { duration: duration(click.lang, deps.pendingTtlMs) })));
      }
      if (pending.user !== click.user) {
        return tell(notice(t(pending.understanding.lang, 'notYours', { user: safeUserId(pending.user) ?? 'someone' })));
      }
      await forget(pending);
      const u = withProvince(pending.understanding, province);
      let outcome: Outcome;
      if (pending.ephemeral) {
        const a = answer(u);
        const { msg, ref: nextRef } = compose(u, a, { postToChannel: true });
        const ok = click.responseUrl ? await deps.out.respond(click.responseUrl, { response_type: 'ephemeral', replace_original: true, ...msg }) : false;
        if (ok && nextRef) await remember({ ...pending, ref: nextRef, understanding: u, createdAt: now() }, false);
        outcome = ok ? 'completed' : 'failed';
      } else {
        const isDm = pending.channel.startsWith('D');
        const r = await answerInConversation(u, { channel: pending.channel, threadTs: pending.threadTs, user: pending.user, team: pending.team, isDm });
        outcome = r === 'answered' ? 'completed' : r;
      }
      logQuestion(ctx, { channel: pending.channel, surface: 'pick', intent: u.intent, province: u.province, confidence: u.confidence, text: u.text });
      return outcome;
    }

    if (actionId === ANSWER_ACTIONS.plainText || actionId === ANSWER_ACTIONS.helpful || actionId === ANSWER_ACTIONS.notHelpful || actionId === ANSWER_ACTIONS.postToChannel) {
      const u = unpackQuestion(click.value);
      if (!u) return tell(notice(t(click.lang, 'expired', { duration: duration(click.lang, deps.pendingTtlMs) })));
      if (actionId === ANSWER_ACTIONS.plainText) {
        return tell(plainTextMessage(renderText(answer(u)), u.lang));
      }
      if (actionId === ANSWER_ACTIONS.postToChannel) return postToChannel(u, click, tell);
      const helpful = actionId === ANSWER_ACTIONS.helpful;
      deps.log.info({ event: 'feedback', helpful, intent: u.intent, confidence: u.confidence, province: u.province, team: ctx.team, channel: click.channel });
      return tell(notice(t(u.lang, helpful ? 'thanksHelpful' : 'thanksNotHelpful')));
    }
    return 'ignored';
  }

  /** /icp's "Post to channel": the answer, visible to all, via the command's response_url (works where the bot is not a member). */
  async function postToChannel(u: Understanding, click: Click, tell: (m: SlackMessage) => Promise<Outcome>): Promise<Outcome> {
    const a = answer(u);
    const { msg } = compose(u, a);
    const user = safeUserId(click.user);
    const question = escapeSlack(Array.from(u.text).slice(0, 300).join(''));
    const askedBy = user ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: t(a.lang, 'askedBy', { user, question }) }] }] : [];
    const visible: Body = { text: msg.text, blocks: [...askedBy, ...msg.blocks] };
    let ok = false;
    if (click.responseUrl) {
      ok = await deps.out.respond(click.responseUrl, { response_type: 'in_channel', replace_original: false, ...visible });
      if (ok) await deps.out.respond(click.responseUrl, { delete_original: true });
    } else if (click.channel) {
      ok = (await deps.out.postMessage({ channel: click.channel, ...visible })) !== null;
    }
    return ok ? 'answered' : tell(notice(t(a.lang, 'postFailed')));
  }

  return { onMessage, onSlashCommand, onBlockActions };
}

export type Handlers = ReturnType<typeof createHandlers>;

interface Click {
  actionId: string;
  blockId: string;
  value: string | undefined;
  selected: string | undefined;
  user: string;
  channel: string | undefined;
  threadTs: string | undefined;
  responseUrl: string | undefined;
  isEphemeral: boolean;
  /** Language of the clicked message, for notices when the question itself is gone. */
  lang: Lang;
}

const rec = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The first action of a block_actions payload. The thread is in `container`, not at the top level. */
export function readClick(payload: Record<string, unknown>): Click | null {
  if (payload.type !== 'block_actions' || !Array.isArray(payload.actions)) return null;
  const action = rec(payload.actions[0]);
  const user = str(rec(payload.user)?.id);
  const actionId = str(action?.action_id);
  if (!action || !user || !actionId) return null;
  const container = rec(payload.container);
  const message = rec(payload.message);
  const messageText = str(message?.text) ?? '';
  return {
    actionId,
    blockId: str(action.block_id) ?? '',
    value: str(action.value),
    selected: str(rec(action.selected_option)?.value),
    user,
    channel: str(rec(payload.channel)?.id) ?? str(container?.channel_id),
    threadTs: str(container?.thread_ts) ?? str(message?.thread_ts),
    responseUrl: str(payload.response_url),
    isEphemeral: container?.is_ephemeral === true,
    lang: hasHan(messageText) ? 'zh' : 'en',
  };
}
