/**
 * Button clicks and picker choices: a province or a meaning chosen for a waiting question, the
 * details of an answer shown in place, the plain text (and full text) for the customer, /icp's
 * "Post to channel" and the shortcut's "Post in thread" (the asker's only). Feedback and "Ask a
 * person" are in on-handoff.ts, Take it and Solved in on-case.ts; reading a click and checking its
 * value in click.ts.
 */
import type { ContextBlock, KnownBlock } from '@slack/types';
import { ACTIONS, ASK_BLOCK } from '../answer/render-blocks.js';
import { renderText } from '../answer/render-text.js';
import type { SlackMessage, Understanding } from '../types.js';
import { withProvince } from '../understand/understand.js';
import { ANSWER_ACTIONS, notice, packQuestion, plainTextMessage, type ButtonValue } from './actions.js';
import { expired, readClick, tellClicker, trustedValue, type Click } from './click.js';
import { isDmChannel } from './filters.js';
import { isAgent, offersForAgents, onForAgents } from './for-agents.js';
import { actsForAsker } from './members.js';
import { CASE_ACTIONS } from './handoff-post.js';
import { LABEL_ACTIONS, onLabelPick } from './handoff-label.js';
import { onCaseButton } from './on-case.js';
import { onHomeExample } from './on-home.js';
import { askPerson, vote } from './on-handoff.js';
import { provinceLabel } from './on-message.js';
import { refKey, type PendingQuestion } from './pending.js';
import type { HandlerDeps, Outcome, Replier, TurnContext } from './reply.js';
import { escapeSlack, safeUserId, t } from './strings.js';

export { readClick } from './click.js';

const PROVINCE_ID = /^[a-z]{2,20}$/;
const INTENT_ID = /^[a-z_]{2,40}$/;

export function createActionHandler(deps: HandlerDeps, r: Replier) {
  return async function onBlockActions(payload: Record<string, unknown>, ctx: TurnContext): Promise<Outcome> {
    const click = readClick(payload);
    if (!click) return 'ignored';
    const { actionId } = click;
    if (
      actionId === ACTIONS.pickProvince ||
      actionId.startsWith(`${ACTIONS.chooseProvince}:`) ||
      actionId.startsWith(`${ACTIONS.chooseIntent}:`)
    ) {
      return onChoice(deps, r, click, ctx);
    }
    if (ANSWER_BUTTONS.has(actionId)) return onAnswerButton(deps, r, click, ctx);
    if (actionId.startsWith(`${ACTIONS.homeExample}:`)) return onHomeExample(deps, r, click, ctx);
    if (actionId === CASE_ACTIONS.take || actionId === CASE_ACTIONS.solve) return onCaseButton(deps, click);
    if (actionId === LABEL_ACTIONS.intent || actionId === LABEL_ACTIONS.province) return onLabelPick(deps, click);
    return 'ignored';
  };
}

const ANSWER_BUTTONS: ReadonlySet<string> = new Set([
  ANSWER_ACTIONS.plainText,
  ANSWER_ACTIONS.fullText,
  ANSWER_ACTIONS.details,
  ANSWER_ACTIONS.helpful,
  ANSWER_ACTIONS.notHelpful,
  ANSWER_ACTIONS.postToChannel,
  ANSWER_ACTIONS.postInThread,
  ANSWER_ACTIONS.askPerson,
  ANSWER_ACTIONS.forAgents,
]);

/** A province picked or a did-you-mean chosen: the waiting question (its asker only) is answered. */
async function onChoice(deps: HandlerDeps, r: Replier, click: Click, ctx: TurnContext): Promise<Outcome> {
  const { actionId } = click;
  const ref = click.blockId.startsWith(ASK_BLOCK) ? click.blockId.slice(ASK_BLOCK.length) : '';
  const pending = ref ? await deps.pending.get(refKey(ref)) : undefined;
  const chosen = actionId === ACTIONS.pickProvince ? click.selected : click.value;
  const byIntent = actionId.startsWith(`${ACTIONS.chooseIntent}:`);
  if (!pending || !chosen || !(byIntent ? INTENT_ID : PROVINCE_ID).test(chosen)) return expired(deps, click);
  if (pending.user !== click.user) {
    const { lang, traditional } = pending.understanding;
    return tellClicker(
      deps,
      click,
      notice(t(lang, 'notYours', { user: safeUserId(pending.user) ?? 'someone' }, traditional)),
    );
  }
  const prev = pending.understanding;
  // Only a reading the question offered can be chosen: a forged value picks nothing.
  const offered = byIntent ? deps.core.answer(prev).confirm?.options.find((o) => o.intent === chosen) : undefined;
  if (byIntent && !offered) return expired(deps, click);
  const u: Understanding = byIntent ? chosenReading(prev, chosen) : withProvince(prev, chosen);
  const label = offered ? offered.label : provinceLabel(chosen, prev.lang === 'zh' && prev.traditional);
  const outcome = await complete(deps, r, pending, u, label, click, ctx.ref);
  r.logQuestion(
    ctx,
    {
      channel: pending.channel,
      surface: 'pick',
      intent: u.intent,
      province: u.province,
      confidence: u.confidence,
      text: u.text,
    },
    u,
  );
  return outcome;
}

/**
 * The buttons under an answer; the question rides in the button's signed value, and anything
 * not signed by the bot or naming what the core does not know is treated as expired. "Ask a
 * person", "Post to channel" and "Post in thread" act for the asker only (and "Ask a person" and
 * "Post in thread" for members of the hand-off group, members.ts).
 */
async function onAnswerButton(deps: HandlerDeps, r: Replier, click: Click, ctx: TurnContext): Promise<Outcome> {
  const v = trustedValue(deps, click.value);
  if (!v) return expired(deps, click);
  const { understanding: u, asker, qref, target } = v;
  const a = deps.core.answer(u);
  const tell = (msg: SlackMessage) => tellClicker(deps, click, msg);
  const same = { asker, ...(qref ? { qref } : {}) };
  switch (click.actionId) {
    case ANSWER_ACTIONS.plainText: {
      const full = a.details.length > 0 ? packQuestion(u, deps.buttonKey, same) : undefined;
      return tell(plainTextMessage(renderText(a), a.lang, a.traditional, full));
    }
    case ANSWER_ACTIONS.fullText:
      return tell(plainTextMessage(renderText(a, { full: true }), a.lang, a.traditional));
    case ANSWER_ACTIONS.details: {
      // The same message, now with its details: replaced in place, so the thread stays short. A
      // private one shows the agent material to an agent; a public one keeps to the customer's.
      const audience = click.isEphemeral
        ? { agent: await isAgent(deps, click.user) }
        : { forAgents: await offersForAgents(deps, click.channel, click.user) };
      const { msg } = r.compose(u, a, {
        ...same,
        ...audience,
        expanded: true,
        ...(target ? { postInThread: target } : { postToChannel: click.isEphemeral }),
      });
      if (!click.responseUrl) return 'failed';
      return (await deps.out.respond(click.responseUrl, { replace_original: true, ...msg })) ? 'answered' : 'failed';
    }
    case ANSWER_ACTIONS.postToChannel:
    case ANSWER_ACTIONS.postInThread:
      if (!asker) return expired(deps, click);
      if (!(await actsForAsker(deps, asker, click.user))) return notYours(deps, click, u, asker);
      return click.actionId === ANSWER_ACTIONS.postToChannel
        ? postToChannel(deps, r, v, click)
        : postInThread(deps, r, v, click);
    case ANSWER_ACTIONS.askPerson:
      return askPerson(deps, r, v, click);
    case ANSWER_ACTIONS.forAgents:
      return onForAgents(deps, v, click);
    default:
      return vote(deps, v, click, ctx);
  }
}

/** Someone else's question: a short private note, and nothing posted. */
const notYours = (deps: HandlerDeps, click: Click, u: Understanding, asker: string): Promise<Outcome> =>
  tellClicker(
    deps,
    click,
    notice(t(u.lang, 'notYoursButton', { user: safeUserId(asker) ?? 'someone' }, u.traditional)),
  );

/**
 * A waiting question, now complete. /icp's private question is replaced by its answer; in a
 * conversation, the question back says who chose what and the answer follows it as a new message.
 */
async function complete(
  deps: HandlerDeps,
  r: Replier,
  pending: PendingQuestion,
  u: Understanding,
  label: string,
  click: Click,
  qref?: string,
): Promise<Outcome> {
  await r.forget(pending);
  if (pending.ephemeral) {
    // /icp's question keeps "Post to channel"; the shortcut's (it has a thread) "Post in thread".
    const where = pending.threadTs
      ? { postInThread: { channel: pending.channel, ts: pending.threadTs } }
      : { postToChannel: true };
    const { msg, ref } = r.compose(u, deps.core.answer(u), {
      ...where,
      asker: pending.user,
      qref,
      agent: await isAgent(deps, pending.user),
    });
    const ok = click.responseUrl
      ? await deps.out.respond(click.responseUrl, { response_type: 'ephemeral', replace_original: true, ...msg })
      : false;
    if (ok && ref) await r.remember({ ...pending, ref, understanding: u, createdAt: r.now() }, false);
    return ok ? 'completed' : 'failed';
  }
  if (click.responseUrl)
    await deps.out.respond(click.responseUrl, { replace_original: true, ...r.answeredPrompt(pending, label) });
  else await r.markAnswered(pending, label);
  const isDm = isDmChannel(pending.channel);
  const outcome = await r.post(u, {
    channel: pending.channel,
    threadTs: pending.threadTs,
    user: pending.user,
    team: pending.team,
    isDm,
    qref,
  });
  return outcome === 'answered' ? 'completed' : outcome;
}

/** /icp's "Post to channel": the answer, visible to all, through the command's response_url. */
async function postToChannel(deps: HandlerDeps, r: Replier, v: ButtonValue, click: Click): Promise<Outcome> {
  const u = v.understanding;
  const a = deps.core.answer(u);
  const forAgents = await offersForAgents(deps, click.channel, click.user);
  const { msg } = r.compose(u, a, { asker: v.asker, forAgents, ...(v.qref ? { qref: v.qref } : {}) });
  const user = safeUserId(click.user);
  const question = escapeSlack(Array.from(u.text).slice(0, 300).join(''));
  const askedBy: ContextBlock[] = user
    ? [
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: t(a.lang, 'askedBy', { user, question }, a.traditional) }],
        },
      ]
    : [];
  const blocks: KnownBlock[] = [...askedBy, ...msg.blocks];
  const failed = () => tellClicker(deps, click, notice(t(a.lang, 'postFailed', {}, a.traditional)));
  // Only where the interaction happened: its response_url, never a channel named in the payload.
  if (!click.responseUrl) return failed();
  const ok = await deps.out.respond(click.responseUrl, {
    response_type: 'in_channel',
    replace_original: false,
    text: msg.text,
    blocks,
  });
  if (ok) await deps.out.respond(click.responseUrl, { delete_original: true });
  return ok ? 'answered' : failed();
}

/** The shortcut's "Post in thread": the answer under the customer's message, then the private copy goes. */
async function postInThread(deps: HandlerDeps, r: Replier, v: ButtonValue, click: Click): Promise<Outcome> {
  const { understanding: u, target } = v;
  const a = deps.core.answer(u);
  const failed = () => tellClicker(deps, click, notice(t(a.lang, 'postFailed', {}, a.traditional)));
  // Only in the channel where the click happened: a value naming another channel is not ours to follow.
  if (!target || target.channel !== click.channel) return failed();
  const forAgents = await offersForAgents(deps, target.channel, click.user);
  const { msg } = r.compose(u, a, { asker: v.asker, forAgents, ...(v.qref ? { qref: v.qref } : {}) });
  const posted = await deps.out.postMessage({ channel: target.channel, thread_ts: target.ts, ...msg });
  if (!posted) return failed();
  if (click.responseUrl) await deps.out.respond(click.responseUrl, { delete_original: true });
  await r.keepContext({ channel: target.channel, threadTs: target.ts, isDm: isDmChannel(target.channel) }, u);
  return 'answered';
}

/** The question as it reads once one of the offered readings is chosen. */
function chosenReading(prev: Understanding, intent: string): Understanding {
  const { options: _offered, ...rest } = prev;
  return { ...rest, intent, confirm: false };
}
