/**
 * `/icp <question>`: the answer only the asker sees (with the agent material when they are an
 * agent), with "Post to channel"; `/icp` or `/icp help` says what the bot answers and how to use
 * the command.
 */
import type { ContextBlock } from '@slack/types';
import { hasHan } from '../understand/normalize.js';
import { renderBlocks } from '../answer/render-blocks.js';
import { isAgent } from './for-agents.js';
import type { HandlerDeps, Outcome, Replier, TurnContext } from './reply.js';
import { t } from './strings.js';

const HELP_WORDS = /^(help|帮助|幫助|\?|？)$/i;

export function createSlashHandler(deps: HandlerDeps, r: Replier) {
  return async function onSlashCommand(fields: Record<string, string>, ctx: TurnContext): Promise<Outcome> {
    const responseUrl = fields.response_url;
    if (!responseUrl) return 'ignored';
    const text = (fields.text ?? '').trim();
    const channel = fields.channel_id ?? null;
    if (text === '' || HELP_WORDS.test(text)) {
      const u = deps.core.understand(hasHan(text) ? '帮助' : 'help');
      const help = renderBlocks(deps.core.answer(u));
      const usage: ContextBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: t(u.lang, 'slashUsage') }] };
      const ok = await deps.out.respond(responseUrl, {
        response_type: 'ephemeral',
        text: help.text,
        blocks: [...help.blocks.slice(0, 49), usage],
      });
      return ok ? 'answered' : 'failed';
    }
    const u = deps.core.understand(text);
    // Only the asker sees it: an agent gets the agent material with it.
    const { msg, ref } = r.compose(u, deps.core.answer(u), {
      asker: fields.user_id ?? null,
      postToChannel: true,
      qref: ctx.ref,
      agent: await isAgent(deps, fields.user_id),
    });
    const ok = await deps.out.respond(responseUrl, { response_type: 'ephemeral', ...msg });
    r.logQuestion(
      ctx,
      { channel, surface: 'slash', intent: u.intent, province: u.province, confidence: u.confidence, text: u.text },
      u,
    );
    if (!ok) return 'failed';
    if (ref && fields.user_id && channel) {
      const q = {
        ref,
        understanding: u,
        user: fields.user_id,
        team: fields.team_id ?? ctx.team,
        channel,
        threadTs: undefined,
        ephemeral: true,
        promptTs: null,
        createdAt: r.now(),
      };
      await r.remember(q, false);
      return 'asked';
    }
    return 'answered';
  };
}
