/**
 * **Take it** and **Solved** on a hand-off post. Anyone who can press them may: the post is in
 * the hand-off channel, so only its members see it, and a click from anywhere else is refused.
 * Take it tells the asker once who is on it (a second colleague hears privately who has it);
 * Solved closes the case once, tells the asker and ends the relay. The post shows either.
 */
import { notice } from './actions.js';
import { CASE_LIMITS, type HandoffCase } from './cases.js';
import { expired, tellClicker, type Click } from './click.js';
import { CASE_ACTIONS, caseIdOf, handoffMessage, type CaseStatus } from './handoff-post.js';
import { guarded, type HandlerDeps, type Outcome } from './reply.js';
import { safeUserId, t, type StringKey } from './strings.js';

export async function onCaseButton(deps: HandlerDeps, click: Click): Promise<Outcome> {
  const handoff = deps.handoff;
  const id = caseIdOf(click.value, deps.buttonKey);
  // Only on the hand-off post itself: the channel Slack says it was clicked in, not the value.
  if (!handoff || !id || click.channel !== handoff.channel) return expired(deps, click);
  const note = (key: StringKey, vars: Record<string, string> = {}) =>
    tellClicker(deps, click, notice(t('en', key, vars)));
  const c = await guarded(deps, 'get_case', () => deps.cases.get(id));
  if (c === null) return note('handoffFailed');
  if (!c || c.post.ts !== click.messageTs) return note('caseClosed');
  return click.actionId === CASE_ACTIONS.take ? take(deps, c, click, note) : solve(deps, c, click, note);
}

type Note = (key: StringKey, vars?: Record<string, string>) => Promise<Outcome>;

async function take(deps: HandlerDeps, c: HandoffCase, click: Click, note: Note): Promise<Outcome> {
  // The mark of who took it lives as long as the case may.
  const ttl = Math.max(1, c.openedAt + CASE_LIMITS.ttlMs - (deps.now ?? Date.now)());
  const got = await guarded(deps, 'take_case', () => deps.cases.take(c.id, click.user, ttl));
  if (got === null) return note('handoffFailed');
  if (!got) return note('caseClosed');
  if (!got.first)
    return got.by === click.user ? note('caseYours') : note('caseAlreadyTaken', { user: safeUserId(got.by) ?? '' });
  deps.log.info({ event: 'case_taken', channel: c.channel });
  await updatePost(deps, c, { taken: click.user, solved: null });
  return tellAsker(deps, c, 'caseTaken', click.user);
}

async function solve(deps: HandlerDeps, c: HandoffCase, click: Click, note: Note): Promise<Outcome> {
  const closed = await guarded(deps, 'close_case', () => deps.cases.close(c));
  if (closed === null) return note('handoffFailed');
  if (!closed) return note('caseClosed');
  deps.log.info({ event: 'case_solved', channel: c.channel });
  await updatePost(deps, c, { taken: null, solved: click.user });
  return tellAsker(deps, c, c.isDm ? 'caseSolvedDm' : 'caseSolved', click.user);
}

/** The hand-off post, rebuilt from the case (never from the payload), with who took or solved it. */
async function updatePost(deps: HandlerDeps, c: HandoffCase, status: CaseStatus): Promise<void> {
  await deps.out.update({ channel: c.post.channel, ts: c.post.ts, ...handoffMessage(c, status, deps.buttonKey) });
}

/** A note to the asker, in their thread or DM and their language, naming the colleague. */
async function tellAsker(deps: HandlerDeps, c: HandoffCase, key: StringKey, colleague: string): Promise<Outcome> {
  const posted = await deps.out.postMessage({
    channel: c.channel,
    ...(c.threadTs ? { thread_ts: c.threadTs } : {}),
    ...notice(t(c.lang, key, { user: safeUserId(colleague) ?? 'someone' }, c.traditional)),
  });
  return posted ? 'notified' : 'failed';
}
