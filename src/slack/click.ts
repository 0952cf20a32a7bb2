/**
 * A click on one of the bot's buttons or pickers, as the handlers read it, and what every click
 * handler shares: checking the button's value, telling only the clicker, and naming the answer
 * a click was on (for one hand-off per answer and one vote per person).
 */
import { createHash } from 'node:crypto';
import { hasHan } from '../understand/normalize.js';
import type { Lang, SlackMessage } from '../types.js';
import { notice, openValue, type ButtonValue } from './actions.js';
import { rec, str } from './inbound.js';
import type { HandlerDeps, Outcome } from './reply.js';
import { duration, t } from './strings.js';

export interface Click {
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

/**
 * Whether a message reads as Chinese: an English answer's text names Chinese terms (注销主体), so
 * a Han character alone does not say it; Han characters against a third of the Latin letters do.
 */
function mostlyChinese(text: string): boolean {
  if (!hasHan(text)) return false;
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  return han * 3 >= latin;
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
    lang: mostlyChinese(str(message?.text) ?? '') ? 'zh' : 'en',
  };
}

/**
 * A button's value, trusted only when the bot signed it and everything in it is known: the
 * intent and the other needs' intents are intents of the core, every province (and candidate) a
 * province id, the confidence a number in [0, 1] (checked when it is opened). Else null: expired.
 */
export function trustedValue(deps: HandlerDeps, value: string | undefined): ButtonValue | null {
  const v = openValue(value, deps.buttonKey);
  if (!v) return null;
  const { core } = deps;
  const u = v.understanding;
  const place = (p: string | null) => p === null || core.isProvince(p);
  const known =
    core.isIntent(u.intent) &&
    place(u.province) &&
    u.candidates.every((c) => core.isProvince(c)) &&
    (u.also ?? []).every((n) => core.isIntent(n.intent) && place(n.province));
  return known ? v : null;
}

/** Tells only the clicker: through response_url when the message is ephemeral, else chat.postEphemeral. */
export async function tellClicker(deps: HandlerDeps, click: Click, msg: SlackMessage): Promise<Outcome> {
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

/** The kind "I no longer have that question" note: for a gone question, and for any value we cannot trust. */
export const expired = (deps: HandlerDeps, click: Click): Promise<Outcome> =>
  tellClicker(deps, click, notice(t(click.lang, 'expired', { duration: duration(click.lang, deps.pendingTtlMs) })));

/**
 * Names the answer a click was on: its question's ref (signed in the value), else the clicked
 * message (channel and ts), else the value itself. Hashed, so a key never holds what Slack sent.
 */
export function answerId(click: Click, qref: string | null): string {
  const basis = qref
    ? `q:${qref}`
    : click.messageTs
      ? `m:${click.channel ?? ''}:${click.messageTs}`
      : `v:${click.value ?? ''}`;
  return createHash('sha256').update(basis).digest('base64url').slice(0, 22);
}
