/**
 * What users see: the bot's replies to messages, /icp, button clicks, the message shortcut and the Home tab. Plain async functions over
 * raw Slack payloads, a SlackOut and a PendingStore — no Botkit here, so they can be tested alone.
 * One file per surface: on-message.ts, on-slash.ts, on-action.ts, on-shortcut.ts, on-home.ts; what they share is reply.ts.
 */
import { createActionHandler } from './on-action.js';
import { createHomeHandler } from './on-home.js';
import { createMessageHandler } from './on-message.js';
import { createShortcutHandler } from './on-shortcut.js';
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
    onMessageAction: createShortcutHandler(deps, r),
    onHomeOpened: createHomeHandler(deps),
  };
}

export type Handlers = ReturnType<typeof createHandlers>;
