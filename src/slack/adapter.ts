/**
 * botbuilder-adapter-slack, made safe to construct and feed:
 * - Its constructor, given `botToken`, builds a client without a base URL and calls auth.test on
 *   slack.com (exiting the process on failure). We take its multi-team path instead, which only
 *   stores options, and override `getAPI` / `getBotUserByTeam` to use our client and identity.
 * - `processActivity` answers url_verification unverified, JSON.parses payloads unguarded and
 *   writes the HTTP response after the bot logic. http.ts has already verified, parsed and
 *   acknowledged; `feed` hands the adapter a request without `rawBody` (so its crash-prone signature
 *   check is skipped — ours ran) and a response that goes nowhere.
 */
import type { WebClient } from '@slack/web-api';
import slackAdapterPkg from 'botbuilder-adapter-slack';
import type { Activity, TurnContext } from 'botbuilder';

type AdapterClient = Awaited<ReturnType<InstanceType<typeof slackAdapterPkg.SlackAdapter>['getAPI']>>;

const { SlackAdapter, SlackEventMiddleware, SlackMessageTypeMiddleware } = slackAdapterPkg;

/** Values for the options the adapter insists on in multi-team mode but that we never use (no OAuth flow). */
const UNUSED = 'unused-single-workspace-app';

export class IcpSlackAdapter extends SlackAdapter {
  private readonly client: WebClient;
  private readonly botUserId: string;

  constructor(opts: { client: WebClient; botUserId: string; signingSecret: string }) {
    const botUserId = opts.botUserId;
    super({
      clientSigningSecret: opts.signingSecret,
      getTokenForTeam: async () => UNUSED,
      getBotUserByTeam: async () => botUserId,
      clientId: UNUSED,
      clientSecret: UNUSED,
      scopes: [],
      redirectUri: UNUSED,
    });
    this.client = opts.client;
    this.botUserId = botUserId;
    this.use(new SlackEventMiddleware());
    this.use(new SlackMessageTypeMiddleware());
  }

  /**
   * The adapter bundles an older @slack/web-api; ours (v7) has the same chat.* methods, which is all
   * the adapter and Botkit's worker call, so the types are bridged here.
   */
  override async getAPI(_activity: Partial<Activity>): Promise<AdapterClient> {
    return this.client as unknown as AdapterClient;
  }

  override async getBotUserByTeam(_activity: Partial<Activity>): Promise<string> {
    return this.botUserId;
  }

  /** Runs a verified, parsed body through the adapter into `logic` (Botkit's handleTurn). */
  feed(body: Record<string, unknown>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const req = { body, headers: {}, header: (): undefined => undefined };
    const res = { status: () => res, header: () => res, send: () => res, end: () => res, json: () => res };
    return this.processActivity(req, res, logic);
  }
}
