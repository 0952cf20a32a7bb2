/**
 * What users see: the bot's replies to messages, /icp and button clicks. Plain async functions over
 * raw Slack payloads, a SlackOut and a PendingStore — no Botkit here, so they can be tested alone.
 * One file per surface: on-message.ts, on-slash.ts, on-action.ts; what they share is reply.ts.
 */
import { createActionHandler } from './on-action.js';
import { createMessageHandler } from './on-message.js';
import { createSlashHandler } from './on-slash.js';
import { createReplier, type HandlerDeps } from './reply.js';

export type { HandlerDeps, Outcome, TurnContext } from './reply.js';
export { readClick } from './on-action.js';

export function createHandlers(deps: HandlerDeps) {
  const r = createReplier(deps);
  return {
    onMessage: createMessageHandler(deps, r),
    onSlashCommand: createSlashHandler(deps, r),
    onBlockActions: createActionHandler(deps, r),
  };
}

export type Handlers = ReturnType<typeof createHandlers>;
