/**
 * The playground's control API under `/_standin/` (documented in server.ts): the workspace state as
 * JSON, the local user typing or clicking, and Server-Sent Events whenever a message changes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Driver } from './driver.js';
import { BodyTooLarge, isRecord, readBody, sendJson, str } from './http-util.js';
import type { ChangeKind, Message, Workspace } from './state.js';

const MAX_SSE_CLIENTS = 64;
const MAX_CONTROL_BODY = 256 * 1024;

/** What the page needs to draw a message; ephemerals say so. */
function messageView(m: Message): Record<string, unknown> {
  return {
    channel: m.channel,
    ts: m.ts,
    thread_ts: m.thread_ts,
    user: m.user,
    bot_id: m.bot_id,
    text: m.text,
    blocks: m.blocks,
    ephemeral: m.ephemeral_to !== undefined,
    edited: m.edited !== undefined,
    files: m.files,
    reply_count: m.reply_count,
    reactions: m.reactions,
  };
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True when a Host header names this machine's loopback (any port). */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
  return LOOPBACK_NAMES.has(name.toLowerCase());
}

export class Control {
  private readonly clients = new Set<ServerResponse>();
  private readonly offChange: () => void;
  private readonly keepalive: NodeJS.Timeout;

  constructor(
    private readonly ws: Workspace,
    private readonly driver: Driver,
    private readonly bot: { userId: string; botId: string; name: string },
    private readonly allowedOrigins: ReadonlySet<string> = new Set(),
  ) {
    this.offChange = ws.onChange((kind, m) => this.broadcast(kind, m));
    // Comment lines keep proxies and browsers from closing an idle stream.
    this.keepalive = setInterval(() => {
      for (const c of this.clients) c.write(': keepalive\n\n');
    }, 15_000);
    this.keepalive.unref();
  }

  close(): void {
    this.offChange();
    clearInterval(this.keepalive);
    for (const c of this.clients) c.end();
    this.clients.clear();
  }

  /**
   * Handles a `/_standin/...` request; `sub` is the path after `/_standin`. A browser page may call
   * it only from an origin named in `allowedOrigins` (another local page cannot type as the user),
   * and POSTs must be JSON (no simple cross-site form posts).
   */
  async handle(req: IncomingMessage, res: ServerResponse, sub: string): Promise<void> {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!this.allowedOrigins.has(origin)) return sendJson(res, 403, { ok: false, error: 'origin_not_allowed' });
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '600',
      });
      return void res.end();
    }
    if (req.method === 'POST' && !(req.headers['content-type'] ?? '').includes('application/json')) {
      return sendJson(res, 415, { ok: false, error: 'expected_json' });
    }
    if (req.method === 'GET' && sub === '/state') return sendJson(res, 200, this.state());
    if (req.method === 'GET' && sub === '/events') return this.subscribe(req, res);
    if (req.method === 'GET' && sub === '/home')
      return sendJson(res, 200, { ok: true, blocks: this.ws.homeView(this.ws.localUserId) ?? null });
    if (req.method === 'POST' && sub === '/home') {
      const r = await this.driver.openHome();
      return sendJson(res, 200, { ok: r.status === 200, status: r.status, error: r.error });
    }
    if (
      req.method === 'POST' &&
      (sub === '/messages' || sub === '/actions' || sub === '/shortcuts' || sub === '/home/actions')
    ) {
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req, MAX_CONTROL_BODY)).toString('utf8'));
      } catch (e) {
        return sendJson(res, e instanceof BodyTooLarge ? 413 : 400, { ok: false, error: 'invalid_json' });
      }
      if (!isRecord(body)) return sendJson(res, 400, { ok: false, error: 'invalid_json' });
      if (sub === '/shortcuts') return this.postShortcut(res, body);
      if (sub === '/home/actions') return this.postHomeAction(res, body);
      return sub === '/messages' ? this.postMessage(res, body) : this.postAction(res, body);
    }
    sendJson(res, 404, { ok: false, error: 'not_found' });
  }

  state(): Record<string, unknown> {
    const ws = this.ws;
    const dm = ws.dmWith(ws.localUserId);
    return {
      team: { id: ws.teamId },
      bot: this.bot,
      localUser: ws.localUserId,
      users: ws.allUsers(),
      channels: ws.allChannels().filter((c) => c.kind !== 'im' || c.id === dm.id),
      dm: dm.id,
      messages: ws.visibleTo(ws.localUserId).map(messageView),
    };
  }

  private async postMessage(res: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const channel = str(body.channel) ?? this.ws.dmWith(this.ws.localUserId).id;
    const text = str(body.text) ?? '';
    if (text.trim() === '') return sendJson(res, 400, { ok: false, error: 'no_text' });
    const threadTs = str(body.thread_ts) || undefined;
    const command = /^(\/[a-z0-9_-]+)(?:\s+([\s\S]*))?$/i.exec(text.trim());
    if (command?.[1]) {
      const r = await this.driver.sendSlashCommand({ channel, command: command[1], text: command[2] ?? '' });
      return sendJson(res, 200, { ok: r.status === 200, status: r.status, error: r.error });
    }
    const r = await this.driver.sendMessage({ channel, text, thread_ts: threadTs });
    sendJson(res, 200, { ok: r.status === 200, status: r.status, ts: r.ts, eventIds: r.eventIds, error: r.error });
  }

  private async postAction(res: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const ts = str(body.message_ts);
    const actionId = str(body.action_id);
    if (!ts || !actionId) return sendJson(res, 400, { ok: false, error: 'invalid_arguments' });
    const selected = body.selected_option;
    const r = await this.driver.clickAction({
      message: { ts, channel: str(body.channel) },
      actionId,
      blockId: str(body.block_id),
      value: str(body.value),
      selectedOption: isRecord(selected) ? str(selected.value) : str(selected),
    });
    sendJson(res, 200, { ok: r.status === 200, status: r.status, error: r.error });
  }

  /** The local user presses a button on their Home tab. */
  private async postHomeAction(res: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const actionId = str(body.action_id);
    if (!actionId) return sendJson(res, 400, { ok: false, error: 'invalid_arguments' });
    const r = await this.driver.clickHome({ actionId });
    sendJson(res, 200, { ok: r.status === 200, status: r.status, error: r.error });
  }

  /** The local user picks "Answer with icp-bot" in a message's menu. */
  private async postShortcut(res: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const ts = str(body.message_ts);
    const channel = str(body.channel);
    if (!ts || !channel) return sendJson(res, 400, { ok: false, error: 'invalid_arguments' });
    const r = await this.driver.messageShortcut({ message: { ts, channel }, callbackId: str(body.callback_id) });
    sendJson(res, 200, { ok: r.status === 200, status: r.status, error: r.error });
  }

  private subscribe(req: IncomingMessage, res: ServerResponse): void {
    if (this.clients.size >= MAX_SSE_CLIENTS) return sendJson(res, 503, { ok: false, error: 'too_many_clients' });
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write('retry: 1000\n\n');
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  private broadcast(kind: ChangeKind, m: Message): void {
    if (this.clients.size === 0) return;
    if (m.ephemeral_to && m.ephemeral_to !== this.ws.localUserId) return;
    const data = JSON.stringify({ kind, message: messageView(m) });
    for (const c of this.clients) c.write(`event: message\ndata: ${data}\n\n`);
  }
}
