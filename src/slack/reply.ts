/**
 * What every surface does to answer: render an answer with our buttons, post it where the
 * question was asked, remember a question that waits for a province or a did-you-mean, keep the
 * conversation's context for follow-ups, mark a question back as answered in place, log one line.
 */
import { performance } from 'node:perf_hooks';
import { renderBlocks, richMrkdwn } from '../answer/render-blocks.js';
import { richText } from '../answer/render-text.js';
import { CANNOT_HELP, type Answer, type SlackMessage, type Understanding } from '../types.js';
import { answerActions, CHATTER, type ThreadTarget } from './actions.js';
import type { CaseStore } from './cases.js';
import type { Core } from './core.js';
import type { AgentDetector } from './agents.js';
import { offersForAgentsNow, readingBlock, sendAgentMaterialLater } from './for-agents.js';
import type { GroupMembers } from './members.js';
import { questionLine, type Logger, type QuestionRecord } from './log.js';
import {
  contextKey,
  conversationKey,
  newRef,
  refKey,
  type AskedLanguage,
  type PendingQuestion,
  type PendingStore,
} from './pending.js';
import { escapeSlack, safeUserId, t } from './strings.js';
import type { SlackOut } from './webapi.js';
import type { Outcome as LoggedOutcome, QuestionLog } from '../questions/log.js';

export interface TurnContext {
  eventId: string | null;
  team: string | null;
  /** performance.now() when the request arrived, for the latency in the log line. */
  receivedAt: number;
  /** Names this turn's question in the question log; the answer's buttons carry it, so feedback finds it. */
  ref?: string;
}

export interface HandlerDeps {
  /** Understands and answers (bot.ts wires the real core; tests may give a fake one). */
  core: Core;
  out: SlackOut;
  pending: PendingStore;
  pendingTtlMs: number;
  log: Logger;
  botUserId: () => string | null;
  now?: () => number;
  /** "Ask a person": where it posts; absent or null, no such button. */
  handoff?: { channel: string; usergroup: string | null } | null;
  /** Members of the hand-off group, who may act for askers (members.ts); absent: askers only. */
  members?: GroupMembers | null;
  /** Who is an agent (agents.ts); absent: everyone is a customer, and nothing for agents is shown. */
  agents?: AgentDetector | null;
  /** The question log (src/questions/log.ts); absent: questions only reach the log lines. */
  questions?: QuestionLog | null;
  /** Signs and checks button values (deriveButtonKey(bot token) in actions.ts). */
  buttonKey: Buffer;
  /** Hand-off cases: Take it, Solved and the relay between a DM and the hand-off thread. */
  cases: CaseStore;
}

export type Outcome = 'answered' | 'asked' | 'completed' | 'ignored' | 'notified' | 'relayed' | 'failed';

/** A store call that may fail (Redis away): null then, logged. */
export async function guarded<T>(deps: HandlerDeps, op: string, call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (err) {
    deps.log.warn({ event: 'store_failed', op, reason: err instanceof Error ? err.message : String(err) });
    return null;
  }
}

/** Where an answer goes: a channel (and thread) or a DM. */
export interface Where {
  channel: string;
  threadTs: string | undefined;
  user: string;
  team: string | null;
  isDm: boolean;
  /** The turn's question ref, carried by the answer's buttons. */
  qref?: string;
  /** This turn asked for a language: it holds in the conversation from now on. */
  language?: AskedLanguage;
}

/** A remembered question keeps at most this much of its text (the rest is never needed again). */
const KEPT_TEXT = 2000;

/** The text cut to KEPT_TEXT code points; a text of no more UTF-16 units than that is kept as it is (no array a turn). */
const keptText = (text: string): string =>
  text.length <= KEPT_TEXT ? text : Array.from(text).slice(0, KEPT_TEXT).join('');

export function createReplier(deps: HandlerDeps) {
  const now = deps.now ?? Date.now;

  /** The log line of a handled question, and its row in the question log (written off the reply path). */
  function logQuestion(
    ctx: TurnContext,
    r: Omit<QuestionRecord, 'eventId' | 'team' | 'latencyMs'>,
    u?: Understanding,
  ): void {
    const latencyMs = performance.now() - ctx.receivedAt;
    deps.log.info(questionLine({ ...r, eventId: ctx.eventId, team: ctx.team, latencyMs }));
    deps.questions?.record({
      ref: ctx.ref ?? null,
      team: ctx.team,
      channel: r.channel,
      surface: r.surface,
      lang: u?.lang ?? null,
      intent: r.intent,
      province: r.province,
      confidence: r.confidence,
      outcome: outcomeOf(r.intent, r.province, u),
      latencyMs,
      text: r.text,
    });
  }

  const compose = (u: Understanding, a: Answer, opts: ComposeOptions) => composeAnswer(deps, u, a, opts);

  async function remember(q: PendingQuestion, isDm: boolean): Promise<void> {
    const kept = {
      ...q,
      understanding: { ...q.understanding, text: keptText(q.understanding.text) },
    };
    await deps.pending.set(refKey(q.ref), kept, deps.pendingTtlMs);
    if (!q.ephemeral)
      await deps.pending.set(conversationKey(q.channel, q.threadTs, q.user, isDm), kept, deps.pendingTtlMs);
  }

  async function forget(q: PendingQuestion): Promise<void> {
    await deps.pending.delete(refKey(q.ref));
    // Both key shapes: the store does not know whether it was a DM.
    await deps.pending.delete(conversationKey(q.channel, q.threadTs, q.user, true));
    await deps.pending.delete(conversationKey(q.channel, q.threadTs, q.user, false));
  }

  /**
   * The last complete answer of this thread or DM, for follow-ups (null: the last one stays); a
   * language asked for earlier stays too, unless this turn asked for another.
   */
  async function keepContext(
    where: Pick<Where, 'channel' | 'threadTs' | 'isDm' | 'language'>,
    u: Understanding | null,
  ): Promise<void> {
    const key = contextKey(where.channel, where.threadTs, where.isDm);
    const prev = await deps.pending.getContext(key);
    const understanding = u ? { ...u, text: keptText(u.text) } : prev?.understanding;
    const language = where.language ?? prev?.language;
    if (!understanding && !language) return;
    await deps.pending.setContext(
      key,
      { ...(understanding ? { understanding } : {}), answeredAt: now(), ...(language ? { language } : {}) },
      deps.pendingTtlMs,
    );
  }

  /**
   * Posts the answer in the channel/thread or DM, for everyone there (customer material only); a
   * question back is remembered, a complete answer kept as context.
   */
  async function post(u: Understanding, where: Where): Promise<Outcome> {
    const a = deps.core.answer(u);
    // The answer never waits for users.info: in a DM whose user is not known yet it goes without
    // "For agents", and an agent gets the material privately right after (for-agents.ts).
    const forAgents = offersForAgentsNow(deps, where.channel, where.user);
    const { msg, ref } = compose(u, a, { asker: where.user, qref: where.qref, forAgents: forAgents === true });
    const posting = deps.out.postMessage({
      channel: where.channel,
      ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
      ...msg,
    });
    // users.info goes out behind the answer, and the material follows it (for an agent only).
    if (forAgents === undefined) void sendAgentMaterialLater(deps, u, a, where, posting);
    const posted = await posting;
    if (!posted) return 'failed';
    if (ref) {
      const promptTs = typeof posted.ts === 'string' ? posted.ts : null;
      await remember(
        {
          ref,
          understanding: u,
          user: where.user,
          team: where.team,
          channel: where.channel,
          threadTs: where.threadTs,
          ephemeral: false,
          promptTs,
          createdAt: now(),
        },
        where.isDm,
      );
      return 'asked';
    }
    // Small talk ("thanks") answers nothing to follow up: the conversation keeps its last topic
    // (and the language asked for, even when nothing was answered yet).
    if (!CHATTER.has(a.intent)) await keepContext(where, u);
    else if (where.language) await keepContext(where, null);
    return 'answered';
  }

  return {
    now,
    logQuestion,
    compose,
    remember,
    forget,
    keepContext,
    post,
    answeredPrompt: (q: PendingQuestion, label: string) => answeredPrompt(deps, q, label, 'chosen'),
    markAnswered: (q: PendingQuestion, label: string, how: Answered = 'chosen') => markAnswered(deps, q, label, how),
  };
}

/** Marks a posted question back as answered, by its ts (a typed reply has no response_url). */
async function markAnswered(deps: HandlerDeps, q: PendingQuestion, label: string, how: Answered): Promise<void> {
  if (q.promptTs) await deps.out.update({ channel: q.channel, ts: q.promptTs, ...answeredPrompt(deps, q, label, how) });
}

/** How a question back was answered: a button or the picker (`chosen`), or a typed reply (`replied`). */
export type Answered = 'chosen' | 'replied';

/**
 * The question back, once answered: it still reads as the bot's question, its controls give way
 * to who chose (or replied) what, and the answer comes below as a new message (after a typed
 * reply, not above it). `label` is in the question's script (廣東 Guangdong for a Traditional one).
 */
function answeredPrompt(deps: HandlerDeps, q: PendingQuestion, label: string, how: Answered): SlackMessage {
  const { lang, traditional } = q.understanding;
  const question = deps.core.answer(q.understanding).summary;
  const who = safeUserId(q.user);
  const choice = escapeSlack(label);
  const chose = who ? t(lang, how, { user: who, choice }, traditional) : choice;
  return {
    text: `${escapeSlack(question.map(richText).join('\n'))}\n${chose}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: question.map(richMrkdwn).join('\n') } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: chose }] },
    ],
  };
}

/** One line in the conversation, no buttons ("I'm already answering in Chinese."). */
export async function say(deps: HandlerDeps, where: Where, text: string): Promise<Outcome> {
  const posted = await deps.out.postMessage({
    channel: where.channel,
    ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
    text,
  });
  return posted ? 'answered' : 'failed';
}

export type Replier = ReturnType<typeof createReplier>;

interface ComposeOptions {
  /** Who asked: the buttons' values name them (only they may hand off or post). */
  asker: string | null;
  postToChannel?: boolean;
  postInThread?: ThreadTarget;
  expanded?: boolean;
  qref?: string;
  /** The question went to a person already: no "Ask a person". */
  handedOff?: boolean;
  /** A private message to an agent: the agent material is shown (for-agents.ts). Else customer material only. */
  agent?: boolean;
  /** A public message: offer "For agents". */
  forAgents?: boolean;
}

/**
 * Renders an answer with our buttons, their values signed with the deps' key; a question back
 * gets a ref for its picker or buttons.
 */
function composeAnswer(
  deps: HandlerDeps,
  u: Understanding,
  a: Answer,
  opts: ComposeOptions,
): { msg: SlackMessage; ref: string | null } {
  const ref = a.ask || a.confirm ? newRef() : null;
  const { asker, handedOff, agent, ...rest } = opts;
  const seal = { key: deps.buttonKey, asker };
  // A private answer to an agent shows the material itself: no button for it.
  const forAgents = rest.forAgents === true && agent !== true;
  const actions = answerActions(u, a, seal, {
    ...rest,
    forAgents,
    handoff: Boolean(deps.handoff) && handedOff !== true,
  });
  const msg = renderBlocks(a, {
    ...(ref ? { ref } : {}),
    ...(actions ? { actions } : {}),
    expanded: opts.expanded === true,
    // For an agent: the source line, then how the question was read.
    ...(agent ? { agent: true, after: CHATTER.has(a.intent) ? [] : [readingBlock(u, a)] } : {}),
  });
  return { msg, ref };
}

/** What became of a question, for the question log. */
function outcomeOf(intent: string, province: string | null, u: Understanding | undefined): LoggedOutcome {
  if (CANNOT_HELP.has(intent)) return 'fallback';
  if (u?.confirm) return 'clarified';
  if (intent === 'deregister' && province === null) return 'asked_province';
  return 'answered';
}
