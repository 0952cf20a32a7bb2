/**
 * The HTTP front door: `POST /slack/events` for the Events API, interactivity and slash commands,
 * and `GET /healthz`. Every request is read as raw bytes (≤ 1 MB, else 413), verified (else 401),
 * parsed (else 400), de-duplicated and acknowledged with 200 BEFORE any bot logic or Web API call
 * runs; only then is it handed on. url_verification is answered only after verification.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { performance } from 'node:perf_hooks';
import type { SeenKeys } from './dedupe.js';
import type { Logger } from './log.js';
import { verifySlackRequest } from './verify.js';

export const MAX_BODY_BYTES = 1024 * 1024;
export const EVENTS_PATH = '/slack/events';

export type Inbound =
  | { kind: 'event'; body: Record<string, unknown>; eventId: string | null; team: string | null; receivedAt: number }
  | { kind: 'interaction'; payload: Record<string, unknown>; team: string | null; receivedAt: number }
  | { kind: 'command'; fields: Record<string, string>; team: string | null; receivedAt: number };

export interface HttpDeps {
  signingSecret: string;
  log: Logger;
  eventIds: SeenKeys;
  messageKeys: SeenKeys;
  /** Called after the 200 was sent. Must not throw. */
  dispatch: (inbound: Inbound) => void;
  isReady: () => boolean;
  isStopping: () => boolean;
  now?: () => number;
}

type Parsed = { ok: true; inbound: Inbound | null; reply?: Record<string, unknown> } | { ok: false; why: string };

const rec = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function parseJson(text: string): Record<string, unknown> | null {
  try {
    return rec(JSON.parse(text));
  } catch {
    return null;
  }
}

/** Turns a verified body into what the bot handles; `inbound: null` means acknowledge and ignore. */
export function parseBody(contentType: string, raw: Buffer, receivedAt: number): Parsed {
  const text = raw.toString('utf8');
  if (contentType.includes('application/json')) {
    const body = parseJson(text);
    if (!body) return { ok: false, why: 'malformed_json' };
    if (body.type === 'url_verification') {
      const challenge = str(body.challenge);
      return challenge === null ? { ok: false, why: 'missing_challenge' } : { ok: true, inbound: null, reply: { challenge } };
    }
    if (body.type === 'event_callback') {
      if (!rec(body.event)) return { ok: false, why: 'missing_event' };
      // The deprecated verification token is of no use after signature checks; drop it so nothing can log it.
      delete body.token;
      return { ok: true, inbound: { kind: 'event', body, eventId: str(body.event_id), team: str(body.team_id), receivedAt } };
    }
    return { ok: true, inbound: null };
  }
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(text);
    const payloadText = form.get('payload');
    if (payloadText !== null) {
      const payload = parseJson(payloadText);
      if (!payload) return { ok: false, why: 'malformed_payload' };
      delete payload.token;
      return { ok: true, inbound: { kind: 'interaction', payload, team: str(rec(payload.team)?.id), receivedAt } };
    }
    if (form.get('ssl_check') !== null) return { ok: true, inbound: null };
    if (form.get('command') !== null) {
      const fields: Record<string, string> = {};
      for (const [k, v] of form) if (k !== 'token') fields[k] = v;
      return { ok: true, inbound: { kind: 'command', fields, team: fields.team_id ?? null, receivedAt } };
    }
    return { ok: false, why: 'unknown_form' };
  }
  return { ok: false, why: 'unsupported_content_type' };
}

/** Subtypes that are a new message someone wrote (the ones a mention can arrive twice for). */
const NEW_MESSAGE = new Set([undefined, 'file_share', 'thread_broadcast']);

/** True when this event was already seen: a retry (same event_id) or the twin of a mention (same channel + ts). */
export function isDuplicate(inbound: Inbound, eventIds: SeenKeys, messageKeys: SeenKeys): boolean {
  if (inbound.kind !== 'event') return false;
  if (inbound.eventId && eventIds.checkAndAdd(inbound.eventId)) return true;
  const ev = rec(inbound.body.event);
  if (!ev || (ev.type !== 'message' && ev.type !== 'app_mention')) return false;
  const subtype = str(ev.subtype) ?? undefined;
  const channel = str(ev.channel);
  const ts = str(ev.ts);
  if (!NEW_MESSAGE.has(subtype) || !channel || !ts) return false;
  return messageKeys.checkAndAdd(`${channel}:${ts}`);
}

export function createApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get('/healthz', (_req, res) => {
    res.status(deps.isStopping() ? 503 : 200).json({ ok: !deps.isStopping(), ready: deps.isReady() });
  });

  app.post(
    EVENTS_PATH,
    (req: Request, res: Response, next: NextFunction) => {
      if (deps.isStopping()) {
        res.set('Connection', 'close').status(503).end();
        return;
      }
      res.locals.receivedAt = performance.now();
      next();
    },
    // Raw bytes, whatever the content type: the signature covers exactly these bytes.
    express.raw({ type: () => true, limit: MAX_BODY_BYTES, inflate: false }),
    (req: Request, res: Response) => {
      const raw: Buffer | undefined = Buffer.isBuffer(req.body) ? req.body : undefined;
      const verdict = verifySlackRequest(
        deps.signingSecret,
        { timestamp: req.get('x-slack-request-timestamp'), signature: req.get('x-slack-signature'), rawBody: raw },
        (deps.now ?? Date.now)(),
      );
      if (!verdict.ok) {
        deps.log.warn({ event: 'request_rejected', status: 401, reason: verdict.reason });
        res.status(401).type('text/plain').send('invalid request signature');
        return;
      }
      const parsed = parseBody(req.get('content-type') ?? '', raw as Buffer, res.locals.receivedAt as number);
      if (!parsed.ok) {
        deps.log.warn({ event: 'request_rejected', status: 400, reason: parsed.why });
        res.status(400).type('text/plain').send('malformed request');
        return;
      }
      if (parsed.reply) {
        res.status(200).json(parsed.reply);
        return;
      }
      const inbound = parsed.inbound;
      if (inbound && isDuplicate(inbound, deps.eventIds, deps.messageKeys)) {
        const retry = req.get('x-slack-retry-num');
        deps.log.debug({ event: 'duplicate', event_id: inbound.kind === 'event' ? inbound.eventId : null, retry: retry ?? null });
        res.status(200).end();
        return;
      }
      // Acknowledge first; the bot logic and its Web API calls run after Slack has its 200.
      res.status(200).end();
      if (inbound) setImmediate(() => deps.dispatch(inbound));
    },
  );

  // Body-reading errors: too large → 413, anything else about the body → 400. Never an HTML stack trace.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = rec(err);
    const status = e && typeof e.status === 'number' ? e.status : 500;
    const code = status === 413 ? 413 : status >= 400 && status < 500 ? 400 : 500;
    deps.log.warn({ event: 'request_rejected', status: code, reason: e && typeof e.type === 'string' ? e.type : 'error' });
    if (!res.headersSent) res.status(code).type('text/plain').send(code === 413 ? 'request body too large' : 'bad request');
  });

  return app;
}
