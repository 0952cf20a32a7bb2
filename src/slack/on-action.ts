/**
 * Button clicks and picker choices: a province or a meaning chosen for a waiting question, the
 * details of an answer shown in place, the plain text (and full text) for the customer, feedback,
 * and /icp's "Post to channel".
 */
import type { ContextBlock, KnownBlock } from '@slack/types';
import { hasHan } from '../understand/normalize.js';
import { ACTIONS, ASK_BLOCK } from '../answer/render-blocks.js';
import { renderText } from '../answer/render-text.js';
import type { Lang, SlackMessage, Understanding } from '../types.js';
import { withProvince } from '../understand/understand.js';
import {
  ANSWER_ACTIONS,
  askPersonBlock,
  notice,
  packQuestion,
  plainTextMessage,
  unpackQuestion,
  unpackRef,
  unpackTarget,
} from './actions.js';
import { isDmChannel } from './filters.js';
import { rec, str } from './inbound.js';
import { provinceLabel } from './on-message.js';
import { refKey, type PendingQuestion } from './pending.js';
import type { HandlerDeps, Outcome, Replier, TurnContext } from './reply.js';
import { duration, escapeSlack, safeUserId, t } from './strings.js';

const PROVINCE_ID = /^[a-z]{2,20}$/;
const INTENT_ID = /^[a-z_]{2,40}$/;

interface Click {
  actionId: string;
  blockId: string;
  value: string | undefined;
  selected: string | undefined;
  user: string;
  channel: string | undefined;
  threadTs: string | undefined;
  /** The clicked message's ts. */
  messageTs: string | undefined;
  responseUrl: string | undefined;
  isEphemeral: boolean;
  /** Language of the clicked message, for notices when the question itself is gone. */
  lang: Lang;
}

/** The first action of a block_actions payload. The thread is in `container`, not at the top level. */
export function readClick(payload: Record<string, unknown>): Click | null {
  if (payload.type !== 'block_actions' || !Array.isArray(payload.actions)) return null;
  const action = rec(payload.actions[0]);
  const user = str(rec(payload.user)?.id);
  const actionId = str(action?.action_id);
  if (!action || !user || !actionId) return null;
  const container = rec(payload.container);
  const message = rec(payload.message);
  return {
    actionId,
    blockId: str(action.block_id) ?? '',
    value: str(action.value),
    selected: str(rec(action.selected_option)?.value),
    user,
    channel: str(rec(payload.channel)?.id) ?? str(container?.channel_id),
    threadTs: str(container?.thread_ts) ?? str(message?.thread_ts),
    messageTs: str(container?.message_ts) ?? str(message?.ts),
    responseUrl: str(payload.response_url),
    isEphemeral: container?.is_ephemeral === true,
    lang: hasHan(str(message?.text) ?? '') ? 'zh' : 'en',
  };
}

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
]);

const expired = (deps: HandlerDeps, click: Click) =>
  tellClicker(deps, click, notice(t(click.lang, 'expired', { duration: duration(click.lang, deps.pendingTtlMs) })));

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
  const label = offered ? offered.label : provinceLabel(chosen);
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

/** The buttons under an answer; the question rides in the button's value. */
async function onAnswerButton(deps: HandlerDeps, r: Replier, click: Click, ctx: TurnContext): Promise<Outcome> {
  const u = unpackQuestion(click.value);
  if (!u) return expired(deps, click);
  const a = deps.core.answer(u);
  const tell = (msg: SlackMessage) => tellClicker(deps, click, msg);
  switch (click.actionId) {
    case ANSWER_ACTIONS.plainText:
      return tell(
        plainTextMessage(renderText(a), a.lang, a.traditional, a.details.length > 0 ? packQuestion(u) : undefined),
      );
    case ANSWER_ACTIONS.fullText:
      return tell(plainTextMessage(renderText(a, { full: true }), a.lang, a.traditional));
    case ANSWER_ACTIONS.details: {
      // The same message, now with its details: replaced in place, so the thread stays short.
      const target = unpackTarget(click.value);
      const { msg } = r.compose(
        u,
        a,
        target ? { postInThread: target, expanded: true } : { postToChannel: click.isEphemeral, expanded: true },
      );
      if (!click.responseUrl) return 'failed';
      return (await deps.out.respond(click.responseUrl, { replace_original: true, ...msg })) ? 'answered' : 'failed';
    }
    case ANSWER_ACTIONS.postToChannel:
      return postToChannel(deps, r, u, click);
    case ANSWER_ACTIONS.postInThread:
      return postInThread(deps, r, u, click);
    case ANSWER_ACTIONS.askPerson:
      return askPerson(deps, u, click);
    default: {
      const helpful = click.actionId === ANSWER_ACTIONS.helpful;
      const qref = unpackRef(click.value);
      if (qref) deps.questions?.feedback(qref, helpful ? 'helpful' : 'not_helpful', helpful ? undefined : u.text);
      deps.log.info({
        event: 'feedback',
        helpful,
        intent: u.intent,
        confidence: u.confidence,
        province: u.province,
        team: ctx.team,
        channel: click.channel,
      });
      const thanks = notice(t(u.lang, helpful ? 'thanksHelpful' : 'thanksNotHelpful', {}, u.traditional));
      // "Not helpful": a way to a person, when there is one.
      if (!helpful && deps.handoff)
        thanks.blocks = [...thanks.blocks, askPersonBlock(u, u.lang, u.traditional, qref ?? undefined)];
      return tell(thanks);
    }
  }
}

/**
 * A waiting question, now complete. /icp's private question is replaced by its answer; in a
 * conversation, the question back becomes "✓ 浙江 Zhejiang" and the answer follows it.
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
    const { msg, ref } = r.compose(u, deps.core.answer(u), { ...where, qref });
    const ok = click.responseUrl
      ? await deps.out.respond(click.responseUrl, { response_type: 'ephemeral', replace_original: true, ...msg })
      : false;
    if (ok && ref) await r.remember({ ...pending, ref, understanding: u, createdAt: r.now() }, false);
    return ok ? 'completed' : 'failed';
  }
  if (click.responseUrl)
    await deps.out.respond(click.responseUrl, { replace_original: true, ...r.answeredPrompt(label) });
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
async function postToChannel(deps: HandlerDeps, r: Replier, u: Understanding, click: Click): Promise<Outcome> {
  const a = deps.core.answer(u);
  const { msg } = r.compose(u, a);
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
async function postInThread(deps: HandlerDeps, r: Replier, u: Understanding, click: Click): Promise<Outcome> {
  const a = deps.core.answer(u);
  const target = unpackTarget(click.value);
  const failed = () => tellClicker(deps, click, notice(t(a.lang, 'postFailed', {}, a.traditional)));
  // Only in the channel where the click happened: a value naming another channel is not ours to follow.
  if (!target || target.channel !== click.channel) return failed();
  const { msg } = r.compose(u, a);
  const posted = await deps.out.postMessage({ channel: target.channel, thread_ts: target.ts, ...msg });
  if (!posted) return failed();
  if (click.responseUrl) await deps.out.respond(click.responseUrl, { delete_original: true });
  await r.keepContext({ channel: target.channel, threadTs: target.ts, isDm: isDmChannel(target.channel) }, u);
  return 'answered';
}

/**
 * "Ask a person": the question, how it was understood and a link to the conversation go to the
 * hand-off channel (mentioning its group); the asker hears in the thread that a colleague was asked.
 */
async function askPerson(deps: HandlerDeps, u: Understanding, click: Click): Promise<Outcome> {
  const handoff = deps.handoff;
  const lang = u.lang;
  if (!handoff || !click.channel) return 'ignored';
  const where = click.threadTs ?? click.messageTs;
  const link = where
    ? str((await deps.out.permalink({ channel: click.channel, message_ts: where }))?.permalink)
    : undefined;
  const text = t('en', 'handoffPost', {
    group: handoff.usergroup ? `<!subteam^${handoff.usergroup}> ` : '',
    user: safeUserId(click.user) ?? 'someone',
    channel: click.channel,
    question: `“${escapeSlack(Array.from(u.text).slice(0, 500).join(''))}”`,
    intent: u.intent,
    province: u.province ? ` / ${u.province}` : '',
    confidence: u.confidence.toFixed(2),
  });
  const withLink = link && /^https?:\/\//.test(link) ? `${text} <${link}|${t('en', 'openConversation')}>` : text;
  const posted = await deps.out.postMessage({ channel: handoff.channel, text: withLink, unfurl_links: false });
  if (!posted) return tellClicker(deps, click, notice(t(lang, 'handoffFailed', {}, u.traditional)));
  deps.log.info({ event: 'handed_off', intent: u.intent, confidence: u.confidence, channel: click.channel });
  const qref = unpackRef(click.value);
  if (qref) deps.questions?.handedOff(qref, u.text);
  const told = notice(t(lang, 'handedOff', {}, u.traditional));
  const ok = await deps.out.postMessage({
    channel: click.channel,
    ...(where && !isDmChannel(click.channel) ? { thread_ts: where } : {}),
    ...told,
  });
  return ok ? 'notified' : 'failed';
}

/** Tells only the clicker: through response_url when the message is ephemeral, else chat.postEphemeral. */
async function tellClicker(deps: HandlerDeps, click: Click, msg: SlackMessage): Promise<Outcome> {
  if (click.isEphemeral && click.responseUrl) {
    return (await deps.out.respond(click.responseUrl, { response_type: 'ephemeral', replace_original: false, ...msg }))
      ? 'notified'
      : 'failed';
  }
  if (!click.channel) return 'failed';
  const posted = await deps.out.postEphemeral({
    channel: click.channel,
    user: click.user,
    ...(click.threadTs ? { thread_ts: click.threadTs } : {}),
    ...msg,
  });
  return posted ? 'notified' : 'failed';
}

/** The question as it reads once one of the offered readings is chosen. */
function chosenReading(prev: Understanding, intent: string): Understanding {
  const { options: _offered, ...rest } = prev;
  return { ...rest, intent, confirm: false };
}
