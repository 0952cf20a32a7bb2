/**
 * The buttons that reach people. "Ask a person": only the asker may press it; each answer is
 * handed off once, whoever clicks and however often, on any instance (a claim in the shared
 * store); a person hands off at most 5 questions an hour; afterwards the button goes where Slack
 * lets us change the message. Feedback: anyone may vote, once per answer; the question's text
 * reaches the question log only with the asker's own "Not helpful".
 */
import { CANNOT_HELP } from '../types.js';
import { ANSWER_ACTIONS, askPersonBlock, notice, type ButtonValue } from './actions.js';
import { CASE_LIMITS, newCaseId } from './cases.js';
import { answerId, expired, tellClicker, type Click } from './click.js';
import { isDmChannel } from './filters.js';
import { actsForAsker } from './members.js';
import { handoffBody, handoffMessage } from './handoff-post.js';
import { str } from './inbound.js';
import { guarded, type HandlerDeps, type Outcome, type Replier, type TurnContext } from './reply.js';
import { safeUserId, t, type StringKey } from './strings.js';

export const BUTTON_LIMITS = Object.freeze({
  /** Hand-offs one person may ask for in an hour. */
  handoffsPerHour: 5,
  /** How long an answer counts as handed off, and a vote as given (Slack's buttons never expire). */
  markTtlMs: 30 * 24 * 3600 * 1000,
});
const HOUR_MS = 3600 * 1000;

/** A user id as part of a key (Slack's are short; anything else is cut). */
const userPart = (user: string): string => user.slice(0, 40);

/**
 * "Ask a person": the hand-off post goes to the hand-off channel (mentioning its group) and a
 * case is opened; the asker hears what was shared and what happens next. A post that fails
 * gives back the claim and the hour's count, so the asker can try again.
 */
export async function askPerson(deps: HandlerDeps, r: Replier, v: ButtonValue, click: Click): Promise<Outcome> {
  const handoff = deps.handoff;
  if (!handoff || !click.channel) return 'ignored';
  const u = v.understanding;
  const say = (key: StringKey, vars: Record<string, string | number> = {}) =>
    tellClicker(deps, click, notice(t(u.lang, key, vars, u.traditional)));
  if (!v.asker) return expired(deps, click);
  if (!(await actsForAsker(deps, v.asker, click.user)))
    return say('notYoursButton', { user: safeUserId(v.asker) ?? 'someone' });
  const once = `handoff:${answerId(click, v.qref)}`;
  const first = await guarded(deps, 'claim', () => deps.pending.claim(once, BUTTON_LIMITS.markTtlMs));
  if (first === null) return say('handoffFailed');
  if (!first) {
    deps.log.info({ event: 'handoff_repeated', channel: click.channel });
    return say('handoffAlready');
  }
  const release = () => guarded(deps, 'unclaim', () => deps.pending.unclaim(once));
  const rate = `handoffs:${userPart(click.user)}`;
  const count = await guarded(deps, 'hit', () => deps.pending.hit(rate, HOUR_MS));
  if (count === null || count > BUTTON_LIMITS.handoffsPerHour) {
    await release();
    if (count === null) return say('handoffFailed');
    deps.log.warn({ event: 'handoff_limited', channel: click.channel, count });
    return say('handoffLimit', { limit: BUTTON_LIMITS.handoffsPerHour });
  }
  const where = click.threadTs ?? click.messageTs;
  const isDm = isDmChannel(click.channel);
  if (!(await openCase(deps, handoff, v, { channel: click.channel, user: v.asker, where, isDm }))) {
    await release();
    await guarded(deps, 'unhit', () => deps.pending.unhit(rate));
    return say('handoffFailed');
  }
  deps.log.info({ event: 'handed_off', intent: u.intent, confidence: u.confidence, channel: click.channel });
  if (v.qref) deps.questions?.handedOff(v.qref, u.text);
  await dropAskPerson(deps, r, v, click);
  const ok = await deps.out.postMessage({
    channel: click.channel,
    ...(where && !isDm ? { thread_ts: where } : {}),
    ...notice(t(u.lang, isDm ? 'handedOffDm' : 'handedOff', {}, u.traditional)),
  });
  return ok ? 'notified' : 'failed';
}

/**
 * Posts the hand-off and keeps its case (for Take it, Solved and the relay). False when the post
 * failed. A case that cannot be kept (the store away) leaves the post standing, logged.
 */
async function openCase(
  deps: HandlerDeps,
  handoff: { channel: string; usergroup: string | null },
  v: ButtonValue,
  asked: { channel: string; user: string; where: string | undefined; isDm: boolean },
): Promise<boolean> {
  const { channel, user, where, isDm } = asked;
  // A DM's permalink opens for nobody but the asker: none is asked for.
  const link = where && !isDm ? str((await deps.out.permalink({ channel, message_ts: where }))?.permalink) : undefined;
  const body = handoffBody(deps, v, { channel, isDm, asker: user, link }, handoff.usergroup);
  const id = newCaseId();
  // Labelling is offered when there is a row to label.
  const qref = deps.questions && v.qref ? v.qref : null;
  const msg = handoffMessage({ id, postText: body.text, postBlocks: body.blocks, qref }, NOBODY, deps.buttonKey);
  const posted = await deps.out.postMessage({ channel: handoff.channel, ...msg, unfurl_links: false });
  if (!posted) return false;
  const ts = str(posted.ts);
  if (!ts) return true;
  const u = v.understanding;
  const kept = await guarded(deps, 'open_case', () =>
    deps.cases.open(
      {
        id,
        asker: user,
        channel,
        threadTs: isDm ? null : (where ?? null),
        isDm,
        lang: u.lang,
        traditional: u.traditional,
        post: { channel: handoff.channel, ts },
        postText: body.text,
        postBlocks: body.blocks,
        openedAt: (deps.now ?? Date.now)(),
        qref,
      },
      CASE_LIMITS.ttlMs,
    ),
  );
  if (kept === null) deps.log.warn({ event: 'case_not_kept', channel: handoff.channel });
  return true;
}

const NOBODY = { taken: null, solved: null };

/**
 * Once handed off, the clicked message loses its "Ask a person": an ephemeral one through its
 * response_url, a posted answer with chat.update. The message is rebuilt from the signed value
 * (a fallback answer without the button, or the "Not helpful" thanks alone), never from the payload.
 */
async function dropAskPerson(deps: HandlerDeps, r: Replier, v: ButtonValue, click: Click): Promise<void> {
  const u = v.understanding;
  const isAnswer = CANNOT_HELP.has(u.intent);
  const msg = isAnswer
    ? r.compose(u, deps.core.answer(u), { asker: v.asker, qref: v.qref ?? undefined, handedOff: true }).msg
    : notice(t(u.lang, 'thanksNotHelpful', {}, u.traditional));
  if (click.isEphemeral) {
    if (click.responseUrl) await deps.out.respond(click.responseUrl, { replace_original: true, ...msg });
  } else if (isAnswer && click.channel && click.messageTs) {
    await deps.out.update({ channel: click.channel, ts: click.messageTs, ...msg });
  }
}

/**
 * Helpful / Not helpful: counted once per person and answer (a repeat is thanked, not counted);
 * the text goes to the question log only with the asker's own "Not helpful", which also offers
 * "Ask a person" when there is a hand-off channel.
 */
export async function vote(deps: HandlerDeps, v: ButtonValue, click: Click, ctx: TurnContext): Promise<Outcome> {
  const helpful = click.actionId === ANSWER_ACTIONS.helpful;
  const u = v.understanding;
  const byAsker = v.asker !== null && v.asker === click.user;
  const key = `vote:${answerId(click, v.qref)}:${userPart(click.user)}`;
  // A store that cannot answer does not lose the vote (at worst it counts twice).
  const first = await guarded(deps, 'claim', () => deps.pending.claim(key, BUTTON_LIMITS.markTtlMs));
  if (first === false) return tellClicker(deps, click, notice(t(u.lang, 'alreadyVoted', {}, u.traditional)));
  if (v.qref)
    deps.questions?.feedback(v.qref, helpful ? 'helpful' : 'not_helpful', !helpful && byAsker ? u.text : undefined);
  deps.log.info({
    event: 'feedback',
    helpful,
    intent: u.intent,
    confidence: u.confidence,
    province: u.province,
    team: ctx.team,
    channel: click.channel,
    by_asker: byAsker,
  });
  const thanks = notice(t(u.lang, helpful ? 'thanksHelpful' : 'thanksNotHelpful', {}, u.traditional));
  // The asker's "Not helpful": a way to a person, when there is one.
  if (!helpful && byAsker && deps.handoff) {
    const seal = { key: deps.buttonKey, asker: v.asker };
    thanks.blocks = [...thanks.blocks, askPersonBlock(u, seal, u.lang, u.traditional, v.qref ?? undefined, true)];
  }
  return tellClicker(deps, click, thanks);
}
