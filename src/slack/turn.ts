/**
 * Botkit runs each turn: the adapter turns a request into an activity, Botkit emits it under its
 * event name, and the handler for that name answers. Botkit stays confined to this file and
 * adapter.ts; the handlers are plain functions over Slack payloads.
 */
import type { WebClient } from '@slack/web-api';
import { TurnContext } from 'botbuilder';
import botkitPkg, { type BotkitMessage } from 'botkit';
import { IcpSlackAdapter, TURN_STATE } from './adapter.js';
import type { TurnRunner } from './dispatcher.js';
import { messageEvent, type MessageKind } from './filters.js';
import type { Handlers } from './handlers.js';
import type { TurnContext as TurnInfo } from './reply.js';

const { Botkit } = botkitPkg;

const MESSAGE_KINDS: MessageKind[] = ['direct_message', 'direct_mention', 'mention', 'message'];

export function createTurnRunner(client: WebClient, botUserId: string, handlers: Handlers): TurnRunner {
  const adapter = new IcpSlackAdapter(client, botUserId);
  // Our receivers are the web server; Botkit gets none, so it mounts no unverified route of its own.
  const controller = new Botkit({ adapter, disable_webserver: true, disable_console: true });
  // Not controller.handleTurn: around the same routing it loads and saves dialog state, a JSON copy
  // per conversation kept in memory for good; we run no Botkit dialogs, so a turn is a worker and
  // the handlers of the event's name (Botkit's own spawn and trigger).
  const logic = async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    const type = (activity.channelData as { botkitEventType?: string } | undefined)?.botkitEventType ?? activity.type;
    const reference = TurnContext.getConversationReference(activity);
    const message = {
      type,
      user: activity.from.id,
      text: activity.text,
      channel: activity.conversation.id,
      reference,
      context,
      incoming_message: activity,
    } as BotkitMessage;
    const bot = await controller.spawn({ context, activity, reference });
    await controller.trigger(type, bot, message);
  };

  const info = (m: BotkitMessage): TurnInfo => m.context.turnState.get(TURN_STATE) as TurnInfo;
  const payload = (m: BotkitMessage) => m.incoming_message.channelData as Record<string, unknown>;

  controller.on(MESSAGE_KINDS, async (_bot, m) => {
    await handlers.onMessage(messageEvent(payload(m)), info(m), m.type as MessageKind);
  });
  controller.on('slash_command', async (_bot, m) => {
    await handlers.onSlashCommand(payload(m) as Record<string, string>, info(m));
  });
  controller.on('block_actions', async (_bot, m) => {
    await handlers.onBlockActions(payload(m), info(m));
  });
  controller.on('message_action', async (_bot, m) => {
    await handlers.onMessageAction(payload(m), info(m));
  });
  controller.on('app_home_opened', async (_bot, m) => {
    await handlers.onHomeOpened(payload(m));
  });

  return (inbound) => adapter.run(inbound, logic);
}
