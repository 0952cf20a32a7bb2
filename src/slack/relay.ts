/**
 * The conversation through the bot while a case from a DM is open: what a colleague writes in the
 * hand-off post's thread goes to the asker's DM with their name, and what the asker writes in that
 * DM goes to the thread (not answered, not logged as a question). Each message is relayed once,
 * on any instance (a claim per message, on top of the dispatcher's de-duplication). Bots' messages
 * never reach here (on-message filters them first); nothing relayed is logged.
 */
import type { HandoffCase } from './cases.js';
import type { SlackMessageEvent } from './filters.js';
import { guarded, type HandlerDeps, type Outcome } from './reply.js';
import { relayText, safeUserId, t } from './strings.js';

/** How long a relayed message stays marked as relayed (Slack's retries come within minutes). */
const RELAYED_MARK_MS = 24 * 3600 * 1000;

/**
 * A message in the hand-off channel: relayed to the asker when it is in the thread of an open
 * case from a DM; anything else there is ignored (the channel is for colleagues, not questions).
 */
export async function relayFromColleague(deps: HandlerDeps, ev: SlackMessageEvent, text: string): Promise<Outcome> {
  if (!ev.thread_ts || ev.thread_ts === ev.ts) return 'ignored';
  const channel = ev.channel as string;
  const threadTs = ev.thread_ts;
  const c = await guarded(deps, 'case_by_thread', () => deps.cases.byThread(channel, threadTs));
  if (!c?.isDm || !text.trim()) return 'ignored';
  const body = relayText(text, { mentions: true });
  return relay(deps, ev, c, {
    channel: c.channel,
    text: t(c.lang, 'relayFromColleague', { user: safeUserId(ev.user) ?? 'someone', text: body }, c.traditional),
  });
}

/** A DM with an open case goes to its hand-off thread; null when the DM has none (answer it as usual). */
export async function relayFromAsker(deps: HandlerDeps, ev: SlackMessageEvent, text: string): Promise<Outcome | null> {
  const channel = ev.channel as string;
  const c = await guarded(deps, 'case_by_dm', () => deps.cases.byDm(channel));
  if (!c || c.asker !== ev.user) return null;
  // A file alone has no words to pass on; it is not a question for the bot either.
  if (!text.trim()) return 'ignored';
  // The asker's words reach colleagues as written, but ping nobody there.
  const body = relayText(text, { mentions: false });
  return relay(deps, ev, c, {
    channel: c.post.channel,
    thread_ts: c.post.ts,
    text: t('en', 'relayFromAsker', { user: safeUserId(ev.user) ?? 'someone', text: body }),
  });
}

/** Posts once per message: a message already relayed (by this or another instance) is not again. */
async function relay(
  deps: HandlerDeps,
  ev: SlackMessageEvent,
  c: HandoffCase,
  msg: { channel: string; thread_ts?: string; text: string },
): Promise<Outcome> {
  const mark = `relayed:${ev.channel ?? ''}:${ev.ts ?? ''}`;
  // A store that cannot answer does not lose the message (at worst it goes twice).
  const first = await guarded(deps, 'claim', () => deps.pending.claim(mark, RELAYED_MARK_MS));
  if (first === false) return 'ignored';
  const posted = await deps.out.postMessage({ ...msg, unfurl_links: false });
  if (!posted) {
    // Not relayed: the message is not marked as if it had been.
    if (first) await guarded(deps, 'unclaim', () => deps.pending.unclaim(mark));
    return 'failed';
  }
  deps.log.info({ event: 'relayed', to: msg.thread_ts ? 'colleagues' : 'asker', case_channel: c.post.channel });
  return 'relayed';
}
