/**
 * What is for agents, and only for them (src/answer/audience.ts lists it): the answer's source
 * line and how the bot read the question (intent, province, confidence). A message others can
 * read never holds it; an agent gets it privately — in /icp's and the shortcut's private answers,
 * and with "For agents" under a public answer (an ephemeral message); in a DM whose user was not
 * known yet when the answer went, as an ephemeral message right after it, once users.info says
 * they are an agent. Anyone else pressing it gets a short note and nothing for agents. Who is an
 * agent: agents.ts.
 */
import type { ContextBlock, KnownBlock } from '@slack/types';
import { sourceBlock } from '../answer/render-blocks.js';
import type { Answer, SlackMessage, Understanding } from '../types.js';
import { hasAnswerButtons, notice, type ButtonValue } from './actions.js';
import { tellClicker, type Click } from './click.js';
import { isDmChannel } from './filters.js';
import type { HandlerDeps, Outcome } from './reply.js';
import { escapeSlack, t } from './strings.js';

/** Whether `user` is an agent; without a detector (no users:read wiring), nobody is. */
export function isAgent(deps: Pick<HandlerDeps, 'agents'>, user: string | null | undefined): Promise<boolean> {
  return user && deps.agents ? deps.agents.isAgent(user) : Promise.resolve(false);
}

/**
 * Whether a public answer offers "For agents": always in a channel (agents may read it there); in
 * a DM only when its user is an agent, since nobody else is in it.
 */
export async function offersForAgents(
  deps: Pick<HandlerDeps, 'agents'>,
  channel: string | undefined,
  user: string,
): Promise<boolean> {
  if (!deps.agents || !channel) return false;
  return !isDmChannel(channel) || isAgent(deps, user);
}

/**
 * The same choice for a public answer that must not wait for users.info: true or false when it is
 * known now (always true in a channel; in a DM, from the user's facts already looked up), undefined
 * in a DM whose user is not known yet — the answer then goes without "For agents", and
 * sendAgentMaterialLater gives an agent the material privately once the look-up says so.
 */
export function offersForAgentsNow(
  deps: Pick<HandlerDeps, 'agents'>,
  channel: string | undefined,
  user: string,
): boolean | undefined {
  if (!deps.agents || !channel) return false;
  return !isDmChannel(channel) || deps.agents.known(user);
}

/**
 * While a DM's answer goes without "For agents" (its user not known yet): finds out (users.info,
 * asked for at once, so it runs alongside the answer's post) and, once the answer is posted, sends
 * an agent the agent material as an ephemeral message under it — what "For agents" would have
 * shown, so only under an answer that would have offered it. After a question back or small talk
 * the user is only looked up, so the answer to come finds them known. A customer gets nothing
 * more, nor anyone when the answer failed. Never throws (the look-up fails closed, a failed post
 * is logged).
 */
export async function sendAgentMaterialLater(
  deps: Pick<HandlerDeps, 'agents' | 'out' | 'handoff'>,
  u: Understanding,
  a: Answer,
  where: { channel: string; user: string; threadTs: string | undefined },
  answered: Promise<unknown>,
): Promise<boolean> {
  const [agent, answer] = await Promise.all([isAgent(deps, where.user), answered]);
  if (!agent || !answer || !hasAnswerButtons(a, Boolean(deps.handoff))) return false;
  const posted = await deps.out.postEphemeral({
    channel: where.channel,
    user: where.user,
    ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
    ...agentMessage(u, a),
  });
  return posted !== null;
}

/** "Understood as: deregister / zhejiang, confidence 0.93." as a context block. */
export function readingBlock(u: Understanding, a: Answer): ContextBlock {
  const text = t(
    a.lang,
    'understoodAs',
    {
      intent: escapeSlack(u.intent),
      province: u.province ? ` / ${escapeSlack(u.province)}` : '',
      confidence: u.confidence.toFixed(2),
    },
    a.traditional,
  );
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

/** The agent material of an answer: its source line (when it has one) and the reading. */
export function agentBlocks(u: Understanding, a: Answer): KnownBlock[] {
  const source = sourceBlock(a);
  return [...(source ? [source] : []), readingBlock(u, a)];
}

/** The ephemeral "For agents" message: a line saying what it is, then the agent material. */
function agentMessage(u: Understanding, a: Answer): SlackMessage {
  const intro = t(a.lang, 'forAgentsIntro', {}, a.traditional);
  return {
    text: intro,
    blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: `*${intro}*` }] }, ...agentBlocks(u, a)],
  };
}

/** "For agents": the material privately to an agent; to anyone else a note and nothing more. */
export async function onForAgents(deps: HandlerDeps, v: ButtonValue, click: Click): Promise<Outcome> {
  const u = v.understanding;
  if (!(await isAgent(deps, click.user))) {
    deps.log.info({ event: 'for_agents_refused', channel: click.channel ?? null });
    return tellClicker(deps, click, notice(t(u.lang, 'agentsOnly', {}, u.traditional)));
  }
  return tellClicker(deps, click, agentMessage(u, deps.core.answer(u)));
}
