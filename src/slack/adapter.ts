/**
 * botbuilder-adapter-slack, used for what it does well (a Bot Framework adapter Botkit can run
 * turns on) and not for what it does unsafely. Its constructor, given `botToken`, calls auth.test
 * on slack.com (exiting on failure): we take its multi-team path, which only stores options. Its
 * `processActivity` re-verifies, re-parses and answers HTTP after the bot logic: we never call it.
 * A receiver has verified and parsed the request; `run` turns that typed Inbound into the same
 * Activity the adapter would build, classifies it as Botkit names events (in linear time, where
 * the adapter's middleware runs a regular expression over the whole text), and runs the turn.
 */
import type { WebClient } from '@slack/web-api';
import { type Activity, ActivityTypes, TurnContext } from 'botbuilder';
import slackAdapterPkg from 'botbuilder-adapter-slack';
import type { Inbound } from './inbound.js';
import { newRef } from './pending.js';
import { rec, str } from './inbound.js';
import { eventKind, messageEvent } from './filters.js';
import type { TurnContext as TurnInfo } from './reply.js';

type AdapterClient = Awaited<ReturnType<InstanceType<typeof slackAdapterPkg.SlackAdapter>['getAPI']>>;

const { SlackAdapter } = slackAdapterPkg;

/** Values for the options the adapter insists on in multi-team mode but that we never use (no OAuth flow). */
const UNUSED = 'unused-single-workspace-app';

/** Where the receiver's context of a turn (event id, team, arrival time) rides: the turn's own state. */
export const TURN_STATE = 'icp.turn';

export class IcpSlackAdapter extends SlackAdapter {
  constructor(
    private readonly client: WebClient,
    private readonly botUserId: string,
  ) {
    super({
      clientSigningSecret: UNUSED,
      getTokenForTeam: async () => UNUSED,
      getBotUserByTeam: async () => botUserId,
      clientId: UNUSED,
      clientSecret: UNUSED,
      scopes: [],
      redirectUri: UNUSED,
    });
  }

  /**
   * The adapter bundles an older @slack/web-api; ours (v7) has the same chat.* methods, which is all
   * Botkit's worker could call (our handlers use their own client), so the types are bridged here.
   */
  override async getAPI(): Promise<AdapterClient> {
    return this.client as unknown as AdapterClient;
  }

  override async getBotUserByTeam(): Promise<string> {
    return this.botUserId;
  }

  /** Runs one request as a turn through the adapter's middleware into `logic` (Botkit's handleTurn). */
  async run(inbound: Inbound, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const context = new TurnContext(this, toActivity(inbound, this.botUserId));
    const info: TurnInfo = {
      eventId: inbound.kind === 'event' ? inbound.eventId : null,
      team: inbound.team,
      receivedAt: inbound.receivedAt,
      ref: newRef(),
    };
    context.turnState.set(TURN_STATE, info);
    await this.runMiddleware(context, logic);
  }
}

/** The Activity the adapter builds for each kind of request, with Botkit's event type in channelData. */
function toActivity(inbound: Inbound, botUserId: string): Partial<Activity> {
  const base = { timestamp: new Date(), channelId: 'slack', recipient: { id: botUserId, name: '' } };
  if (inbound.kind === 'command') {
    const f = inbound.fields;
    return {
      ...base,
      id: f.trigger_id,
      type: ActivityTypes.Event,
      conversation: { id: f.channel_id ?? '', isGroup: false, conversationType: 'slack', name: '' },
      from: { id: f.user_id ?? '', name: '' },
      text: f.text ?? '',
      channelData: { ...f, botkitEventType: 'slash_command' },
    };
  }
  if (inbound.kind === 'interaction') {
    const p = inbound.payload;
    const channel = str(rec(p.channel)?.id) ?? str(rec(p.team)?.id) ?? '';
    return {
      ...base,
      type: ActivityTypes.Event,
      conversation: { id: channel, isGroup: false, conversationType: 'slack', name: '' },
      from: { id: str(rec(p.user)?.id) ?? '', name: '' },
      text: '',
      channelData: { ...p, botkitEventType: str(p.type) ?? 'interaction' },
    };
  }
  const ev = inbound.event;
  const kind = eventKind(messageEvent(ev), botUserId);
  const isMessage = kind === 'direct_message' || kind === 'direct_mention' || kind === 'mention' || kind === 'message';
  return {
    ...base,
    id: str(ev.ts) ?? str(ev.event_ts) ?? undefined,
    type: isMessage ? ActivityTypes.Message : ActivityTypes.Event,
    conversation: {
      id: str(ev.channel) ?? str(inbound.body.team_id) ?? '',
      isGroup: false,
      conversationType: 'slack',
      name: '',
    },
    from: { id: str(ev.bot_id) ?? str(ev.user) ?? '', name: '' },
    text: isMessage ? (str(ev.text) ?? '') : '',
    channelData: { ...ev, team: str(inbound.body.team_id), botkitEventType: kind },
  };
}
