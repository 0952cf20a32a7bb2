/**
 * Messages: DMs and mentions are answered; in a thread or DM the bot is already in, a typed
 * province completes a waiting question, and a follow-up within the context's lifetime ("what
 * about Guangxi?", "in Chinese please", "and the password?") is answered without a mention.
 * While a hand-off case is open, its DM and its thread in the hand-off channel are relayed instead.
 */
import { registry } from '../answer/registry.js';
import { CORE_INTENTS, type Understanding } from '../types.js';
import { toTraditional } from '../understand/traditional.js';
import { withProvince } from '../understand/understand.js';
import {
  eventKind,
  isAnswerable,
  isDirectMessage,
  isFromBot,
  isFromSelf,
  stripBotMention,
  type MessageKind,
  type SlackMessageEvent,
} from './filters.js';
import { LOW_CONFIDENCE } from './log.js';
import {
  contextKey,
  conversationKey,
  type AskedLanguage,
  type ConversationContext,
  type PendingQuestion,
} from './pending.js';
import { relayFromAsker, relayFromColleague } from './relay.js';
import { say, type HandlerDeps, type Outcome, type Replier, type TurnContext, type Where } from './reply.js';
import { t } from './strings.js';

const isCore = (intent: string) => (CORE_INTENTS as readonly string[]).includes(intent);

/**
 * "浙江 Zhejiang": how a chosen province is shown once a question back is answered; "廣東 Guangdong"
 * under a Traditional question, as its picker shows it.
 */
export function provinceLabel(id: string, traditional = false): string {
  const p = registry().byId.get(id);
  if (!p) return id;
  return `${traditional ? toTraditional(p.name.zh) : p.name.zh} ${p.name.en}`;
}

/** A typed reply names a province (or narrows to candidates) for the pending question, unless it is a new question. */
export function completes(pending: PendingQuestion, reply: Understanding): Understanding | null {
  // A did-you-mean is answered by its buttons; typing goes on as a new message.
  if (pending.understanding.confirm) return null;
  // Which reading? A typed reply that reads as one of them ("the password one", "2") chooses it.
  const offered = pending.understanding.options ?? [];
  if (offered.length > 1) {
    const n = ordinal(reply.text);
    const chosen = n ? offered[n - 1] : offered.find((o) => o === reply.intent);
    if (!chosen) return null;
    const { options: _offered, ...rest } = pending.understanding;
    return { ...rest, intent: chosen, confirm: false, ...(reply.province ? { province: reply.province } : {}) };
  }
  const newQuestion =
    isCore(reply.intent) && reply.intent !== pending.understanding.intent && reply.confidence >= LOW_CONFIDENCE;
  if (newQuestion) return null;
  // The whole question asked again with its place ("浙江注销备案" after an English question): as asked, in its language.
  if (reply.province && reply.intent === pending.understanding.intent && reply.confidence >= LOW_CONFIDENCE)
    return settled(reply);
  if (reply.province) return withProvince(pending.understanding, reply.province);
  if (reply.candidates.length > 1) return { ...pending.understanding, province: null, candidates: reply.candidates };
  return null;
}

/**
 * A message read in the light of the conversation's last answer, or null when it is not a
 * follow-up: a language switch answers the last question again in that language; a place alone
 * moves a deregistration there; another core topic is answered (the place carried over).
 */
export function followUp(last: Understanding, reply: Understanding): Understanding | null {
  if (reply.intent === 'language') return { ...last, lang: reply.lang, traditional: reply.traditional };
  const placeOnly = !isCore(reply.intent) && (reply.province !== null || reply.candidates.length > 1);
  if (placeOnly) {
    if (last.intent !== 'deregister') return null;
    // "那广东呢" switches to Chinese, "what about Guangxi?" to English; "廣西" alone keeps the language.
    const lang =
      reply.lang === 'zh'
        ? { lang: reply.lang, traditional: reply.traditional }
        : /[a-z]/i.test(reply.text)
          ? { lang: reply.lang, traditional: false }
          : {};
    return {
      ...last,
      ...lang,
      province: reply.province,
      candidates: reply.candidates,
      recordNumber: reply.recordNumber,
    };
  }
  if (isCore(reply.intent) && reply.confidence >= LOW_CONFIDENCE) {
    // In a filing conversation, "and the password?" means the filing password; the place of the
    // last question carries over to another topic ("and how do I deregister?"), not to the same one.
    const carry =
      reply.intent === 'deregister' && reply.intent !== last.intent && !reply.province && reply.candidates.length === 0;
    const next = reply.intent === last.intent ? settled(reply) : reply;
    return { ...next, confirm: false, ...(carry ? { province: last.province } : {}) };
  }
  return null;
}

/** A reading the conversation bears out (the same need as the question before it): no question back. */
function settled(reply: Understanding): Understanding {
  const { options: _unsure, ...rest } = reply;
  return rest;
}

/** A language asked for earlier in the conversation, over the one a message is written in ("in Chinese please" holds). */
export function inAskedLanguage(reply: Understanding, asked: AskedLanguage | undefined): Understanding {
  if (!asked || reply.intent === 'language') return reply;
  return { ...reply, lang: asked.lang, traditional: asked.lang === 'zh' && asked.traditional };
}

const FOLLOW_UP_START =
  /^\s*(?:and|also|plus|then|so|what about|how about|same for|and for|那|还有|還有|另外|那么|那麼|再问|再問)/i;

/**
 * A DM message reads as a follow-up when it is a language request, a place alone ("Hebei",
 * "what about Hebei?"), or begins like one ("and the password?", "那广东呢"); anything else is a
 * new question, however soon it comes.
 */
export function readsAsFollowUp(reply: Understanding): boolean {
  if (reply.intent === 'language') return true;
  const placeOnly = !isCore(reply.intent) && (reply.province !== null || reply.candidates.length > 1);
  if (placeOnly) return true;
  const text = reply.text.trim();
  // "密码呢？", "广东的呢": short, and asking by 呢 about what came before.
  return FOLLOW_UP_START.test(text) || (text.length <= 16 && /呢\s*[?？]?\s*$/.test(text));
}

const sameLanguage = (a: AskedLanguage, b: AskedLanguage) =>
  a.lang === b.lang && (a.lang === 'en' || a.traditional === b.traditional);

const languageName = (l: AskedLanguage) =>
  l.lang === 'en' ? 'languageEn' : l.traditional ? 'languageHant' : 'languageZh';

/** The log line and row of a follow-up. */
function logFollowUp(r: Replier, ctx: TurnContext, where: Where, next: Understanding, text: string): void {
  r.logQuestion(
    ctx,
    {
      channel: where.channel,
      surface: 'followup',
      intent: next.intent,
      province: next.province,
      confidence: next.confidence,
      text,
    },
    next,
  );
}

export function createMessageHandler(deps: HandlerDeps, r: Replier) {
  /** A follow-up in a thread or DM, or null when the message is not one (or the conversation has no context). */
  async function conversation(
    reply: Understanding,
    context: ConversationContext | undefined,
    where: Where,
    ctx: TurnContext,
  ) {
    if (!context?.understanding) return null;
    if (where.isDm && !readsAsFollowUp(reply)) return null;
    const last = context.understanding;
    const asked = { lang: reply.lang, traditional: reply.traditional };
    // The language already used: said in one line instead of the same answer again.
    if (reply.intent === 'language' && sameLanguage(asked, last)) {
      const language = t(asked.lang, languageName(asked), {}, asked.traditional);
      const outcome = await say(deps, where, t(asked.lang, 'alreadyInLanguage', { language }, asked.traditional));
      await r.keepContext({ ...where, language: asked }, null);
      logFollowUp(r, ctx, where, { ...last, ...asked }, reply.text);
      return outcome;
    }
    const next = followUp(last, reply);
    if (!next) return null;
    const outcome = await r.post(next, { ...where, ...(reply.intent === 'language' ? { language: asked } : {}) });
    logFollowUp(r, ctx, where, next, reply.text);
    return outcome;
  }

  /** A reply to a question waiting for this user's province (in the DM, or in the bot's thread), or null. */
  async function typed(reply: Understanding, where: Where, ctx: TurnContext): Promise<Outcome | null> {
    const { channel, user, isDm } = where;
    const pending = await deps.pending.get(conversationKey(channel, where.threadTs, user, isDm));
    const completed = pending ? completes(pending, reply) : null;
    if (!pending || !completed) return null;
    await r.forget(pending);
    // The question says who replied what (in its own script); the answer comes below the reply, as a new message.
    const { lang, traditional } = pending.understanding;
    if (completed.province)
      await r.markAnswered(pending, provinceLabel(completed.province, lang === 'zh' && traditional), 'replied');
    const outcome = await r.post(completed, { ...where, threadTs: pending.threadTs });
    r.logQuestion(
      ctx,
      {
        channel,
        surface: 'typed',
        intent: completed.intent,
        province: completed.province,
        confidence: completed.confidence,
        text: completed.text,
      },
      completed,
    );
    return outcome === 'answered' ? 'completed' : outcome;
  }

  /** `kind` is Botkit's name for the message; tests may leave it out and it is worked out the same way. */
  return async function onMessage(ev: SlackMessageEvent, ctx: TurnContext, kind?: MessageKind): Promise<Outcome> {
    const botId = deps.botUserId();
    if (!isAnswerable(ev) || isFromBot(ev) || isFromSelf(ev, botId)) return 'ignored';
    const channel = ev.channel as string;
    const user = ev.user as string;
    const team = ev.team ?? ctx.team;
    const raw = ev.text ?? '';
    const as = kind ?? (botId ? eventKind(ev, botId) : 'message');
    const isDm = as === 'direct_message' || isDirectMessage(ev);
    const mentioned = as === 'direct_mention' || as === 'mention';
    const text = stripBotMention(raw, botId);
    // The hand-off channel is for colleagues: only an open case's thread is read there.
    if (deps.handoff && channel === deps.handoff.channel) return relayFromColleague(deps, ev, text);
    // While a case from this DM is open, the asker is talking to a colleague, not asking the bot.
    const relayed = isDm ? await relayFromAsker(deps, ev, text) : null;
    if (relayed) return relayed;
    const inConversation = isDm || ev.thread_ts !== undefined;
    if (!inConversation && !mentioned) return 'ignored';

    let reply = deps.core.understand(text);
    const where: Where = { channel, threadTs: ev.thread_ts, user, team, isDm, qref: ctx.ref };
    if (inConversation) {
      const context = await deps.pending.getContext(contextKey(channel, ev.thread_ts, isDm));
      reply = inAskedLanguage(reply, context?.language);
      const done = (await typed(reply, where, ctx)) ?? (await conversation(reply, context, where, ctx));
      if (done) return done;
    }
    if (!isDm && !mentioned) return 'ignored';

    const threadTs = isDm ? ev.thread_ts : (ev.thread_ts ?? ev.ts);
    const asked = reply.intent === 'language' ? { language: { lang: reply.lang, traditional: reply.traditional } } : {};
    const outcome = await r.post(reply, { ...where, threadTs, ...asked });
    r.logQuestion(
      ctx,
      {
        channel,
        surface: isDm ? 'dm' : 'mention',
        intent: reply.intent,
        province: reply.province,
        confidence: reply.confidence,
        text: reply.text,
      },
      reply,
    );
    return outcome;
  };
}

/** "2", "the second one", "第二个", "②": which of the offered readings a typed reply picks (1-based), or null. */
function ordinal(text: string): number | null {
  // Only a short reply can be a pick; a long one is a new question (and stays cheap to read).
  if (text.length > 24) return null;
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[.)。!！?？]+$/, '');
  const m =
    /^(?:the\s+)?(1|2|3|first|second|third|1st|2nd|3rd)(?:\s+one)?$|^第?([一二三123])(?:个|項|项|種|种)?$|^([①②③])$/u.exec(
      t,
    );
  if (!m) return null;
  const word = m[1] ?? m[2] ?? m[3] ?? '';
  const index = ['1', 'first', '1st', '一', '①'].includes(word)
    ? 1
    : ['2', 'second', '2nd', '二', '②'].includes(word)
      ? 2
      : 3;
  return index;
}
