/**
 * The message shortcut "Answer with icp-bot" (`message_action`): an agent picks it on a customer's
 * message; the bot answers that message's text privately to the agent, with "Post in thread" (into
 * the message's thread) and "Plain text for customer". A question back (which province?) is asked
 * privately too, and its answer keeps "Post in thread".
 */
import { notice } from './actions.js';
import { stripBotMention } from './filters.js';
import { rec, str } from './inbound.js';
import { isAgent } from './for-agents.js';
import type { HandlerDeps, Outcome, Replier, TurnContext } from './reply.js';
import { t } from './strings.js';

/** The shortcut's callback_id (manifest.yml). */
export const SHORTCUT_CALLBACK = 'icp_answer_message';

export function createShortcutHandler(deps: HandlerDeps, r: Replier) {
  return async function onMessageAction(payload: Record<string, unknown>, ctx: TurnContext): Promise<Outcome> {
    if (payload.type !== 'message_action' || payload.callback_id !== SHORTCUT_CALLBACK) return 'ignored';
    const responseUrl = str(payload.response_url);
    const user = str(rec(payload.user)?.id);
    const channel = str(rec(payload.channel)?.id);
    const message = rec(payload.message);
    const ts = str(message?.ts) ?? str(payload.message_ts);
    if (!responseUrl || !user || !channel || !ts) return 'ignored';
    const text = stripBotMention(str(message?.text) ?? '', deps.botUserId()).trim();
    if (text === '') {
      const ok = await deps.out.respond(responseUrl, {
        response_type: 'ephemeral',
        ...notice(t('en', 'shortcutNoText')),
      });
      return ok ? 'notified' : 'failed';
    }
    const u = deps.core.understand(text);
    // Replies go under the customer's message: its thread, or a new one on it.
    const target = { channel, ts: str(message?.thread_ts) ?? ts };
    // The agent who used the shortcut is the asker: only they may post it in the thread.
    const { msg, ref } = r.compose(u, deps.core.answer(u), {
      asker: user,
      postInThread: target,
      qref: ctx.ref,
      agent: await isAgent(deps, user),
    });
    const ok = await deps.out.respond(responseUrl, { response_type: 'ephemeral', ...msg });
    r.logQuestion(
      ctx,
      { channel, surface: 'shortcut', intent: u.intent, province: u.province, confidence: u.confidence, text: u.text },
      u,
    );
    if (!ok) return 'failed';
    if (ref) {
      await r.remember(
        {
          ref,
          understanding: u,
          user,
          team: str(rec(payload.team)?.id) ?? ctx.team,
          channel,
          threadTs: target.ts,
          ephemeral: true,
          promptTs: null,
          createdAt: r.now(),
        },
        false,
      );
      return 'asked';
    }
    return 'answered';
  };
}
