/**
 * response_url endpoints: one URL per slash command or block action, bound to where it came from.
 * Semantics as documented: `response_type` 'ephemeral' (default: only the asker sees it) or
 * 'in_channel'; `replace_original` / `delete_original` act on the message that was clicked;
 * `thread_ts` posts into a thread. A URL works 5 times within 30 minutes.
 */
import { randomBytes } from 'node:crypto';
import { bool, isRecord, str } from './http-util.js';
import type { Workspace } from './state.js';
import { readContent } from './webapi.js';

interface ResponseTarget {
  channel: string;
  user: string;
  /** The message a click came from (absent for slash commands). */
  sourceTs?: string;
  sourceEphemeral?: boolean;
  /** The thread the click came from, so new responses land beside it. */
  threadTs?: string;
}

interface Entry extends ResponseTarget {
  uses: number;
  expiresAt: number;
}

interface ResponseOutcome {
  status: number;
  json: Record<string, unknown>;
  message?: { channel: string; ts: string };
}

const MAX_USES = 5;
const TTL_MS = 30 * 60_000;
const MAX_ENTRIES = 20_000;

export class ResponseUrls {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ws: Workspace,
    private readonly baseUrl: () => string,
    private readonly appId: string,
  ) {}

  create(target: ResponseTarget): string {
    const id = randomBytes(12).toString('hex');
    this.entries.set(id, { ...target, uses: 0, expiresAt: Date.now() + TTL_MS });
    // Bounded: the oldest URLs go first (Map keeps insertion order).
    while (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return `${this.baseUrl()}response/${id}`;
  }

  /** The target behind a URL this instance issued, for tests. */
  target(url: string): ResponseTarget | undefined {
    const id = url.split('/response/')[1];
    return id ? this.entries.get(id) : undefined;
  }

  apply(id: string, body: unknown): ResponseOutcome {
    const e = this.entries.get(id);
    if (!e || e.expiresAt < Date.now()) return { status: 404, json: { ok: false, error: 'expired_url' } };
    if (e.uses >= MAX_USES) return { status: 404, json: { ok: false, error: 'used_url' } };
    if (!isRecord(body)) return { status: 400, json: { ok: false, error: 'invalid_payload' } };
    e.uses += 1;
    if (bool(body.delete_original)) return this.deleteOriginal(e);
    const content = readContent(body);
    if ('error' in content) return { status: 400, json: { ok: false, error: content.error } };
    if (bool(body.replace_original) && e.sourceTs) {
      const m = this.ws.update(e.channel, e.sourceTs, { text: content.text, blocks: content.blocks });
      if (!m) return { status: 404, json: { ok: false, error: 'message_not_found' } };
      return { status: 200, json: { ok: true }, message: { channel: e.channel, ts: m.ts } };
    }
    const inChannel = body.response_type === 'in_channel';
    const m = this.ws.addMessage({
      channel: e.channel,
      ts: this.ws.nextTs(),
      thread_ts: str(body.thread_ts) || e.threadTs,
      user: this.ws.botUserId,
      bot_id: this.ws.botId,
      app_id: this.appId,
      text: content.text,
      blocks: content.blocks,
      ephemeral_to: inChannel ? undefined : e.user,
    });
    return { status: 200, json: { ok: true }, message: { channel: m.channel, ts: m.ts } };
  }

  private deleteOriginal(e: Entry): ResponseOutcome {
    if (!e.sourceTs) return { status: 404, json: { ok: false, error: 'message_not_found' } };
    const m = this.ws.delete(e.channel, e.sourceTs);
    if (!m) return { status: 404, json: { ok: false, error: 'message_not_found' } };
    return { status: 200, json: { ok: true }, message: { channel: e.channel, ts: m.ts } };
  }
}
