/**
 * What a receiver (HTTP now, a Socket Mode connection too) hands the dispatcher: one verified,
 * parsed Slack request, typed by kind, and the keys that recognise a repeat of it.
 */
import { createHash } from 'node:crypto';

/** A Slack Events API callback (event_callback). */
interface EventInbound {
  kind: 'event';
  /** The event_callback body without its verification token. */
  body: Record<string, unknown>;
  event: Record<string, unknown>;
  eventId: string | null;
  team: string | null;
  receivedAt: number;
}

/** An interactivity payload: block_actions, message_action (a message shortcut), view_submission… */
interface InteractionInbound {
  kind: 'interaction';
  payload: Record<string, unknown>;
  team: string | null;
  receivedAt: number;
}

/** A slash command's form fields. */
interface CommandInbound {
  kind: 'command';
  fields: Record<string, string>;
  team: string | null;
  receivedAt: number;
}

export type Inbound = EventInbound | InteractionInbound | CommandInbound;

export type Parsed =
  { ok: true; inbound: Inbound | null; reply?: Record<string, unknown> } | { ok: false; why: string };

/** A JSON object, else undefined: the one reader of untyped payload fields, with `str`. */
export const rec = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
/** A non-empty string, else undefined (Slack sends "" for absent ids). */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function parseJson(text: string): Record<string, unknown> | null {
  try {
    return rec(JSON.parse(text)) ?? null;
  } catch {
    return null;
  }
}

/** An Events API body (already JSON) as an Inbound; `inbound: null` means acknowledge and ignore. */
/** The event types the bot answers: messages, mentions and the Home tab. */
const HANDLED_EVENTS: ReadonlySet<string> = new Set(['message', 'app_mention', 'app_home_opened']);

export function fromEventBody(body: Record<string, unknown>, receivedAt: number): Parsed {
  if (body.type === 'url_verification') {
    const challenge = str(body.challenge);
    return challenge === undefined
      ? { ok: false, why: 'missing_challenge' }
      : { ok: true, inbound: null, reply: { challenge } };
  }
  if (body.type !== 'event_callback') return { ok: true, inbound: null };
  const event = rec(body.event);
  if (!event) return { ok: false, why: 'missing_event' };
  // An event with no conversation (an Enterprise Grid org event, say) or of a type we do not
  // answer is acknowledged and dropped here: no turn is started, so nothing can fail for it.
  if (!HANDLED_EVENTS.has(String(event.type)) || str(event.channel) === undefined) return { ok: true, inbound: null };
  // The deprecated verification token is of no use after signature checks; drop it so nothing can log it.
  delete body.token;
  return {
    ok: true,
    inbound: {
      kind: 'event',
      body,
      event,
      eventId: str(body.event_id) ?? null,
      team: str(body.team_id) ?? null,
      receivedAt,
    },
  };
}

/** An interactivity payload (already JSON) as an Inbound. */
export function fromInteraction(payload: Record<string, unknown>, receivedAt: number): Inbound {
  delete payload.token;
  return { kind: 'interaction', payload, team: str(rec(payload.team)?.id) ?? null, receivedAt };
}

/** A slash command's fields as an Inbound. */
export function fromCommand(fields: Record<string, string>, receivedAt: number): Inbound {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (k !== 'token') clean[k] = v;
  return { kind: 'command', fields: clean, team: clean.team_id ?? null, receivedAt };
}

/** A verified HTTP body as an Inbound (JSON events, form-encoded interactions and commands). */
export function parseBody(contentType: string, raw: Buffer, receivedAt: number): Parsed {
  const text = raw.toString('utf8');
  if (contentType.includes('application/json')) {
    const body = parseJson(text);
    return body ? fromEventBody(body, receivedAt) : { ok: false, why: 'malformed_json' };
  }
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(text);
    const payloadText = form.get('payload');
    if (payloadText !== null) {
      const payload = parseJson(payloadText);
      return payload
        ? { ok: true, inbound: fromInteraction(payload, receivedAt) }
        : { ok: false, why: 'malformed_payload' };
    }
    if (form.get('ssl_check') !== null) return { ok: true, inbound: null };
    if (form.get('command') !== null) return { ok: true, inbound: fromCommand(Object.fromEntries(form), receivedAt) };
    return { ok: false, why: 'unknown_form' };
  }
  return { ok: false, why: 'unsupported_content_type' };
}

/** Subtypes that are a new message someone wrote (the ones a mention can arrive twice for). */
const NEW_MESSAGE = new Set([undefined, 'file_share', 'thread_broadcast']);

/**
 * Keys that recognise a repeat of this request: an event's id (Slack's retries), a new message's
 * channel and ts (a mention arrives as `message` and as `app_mention`), a command's or a click's
 * trigger_id (a replayed request), else a digest of the payload.
 */
export function dedupeKeys(inbound: Inbound): string[] {
  if (inbound.kind === 'event') {
    const keys = inbound.eventId ? [`event:${inbound.eventId}`] : [];
    const ev = inbound.event;
    const subtype = str(ev.subtype);
    const channel = str(ev.channel);
    const ts = str(ev.ts);
    if ((ev.type === 'message' || ev.type === 'app_mention') && NEW_MESSAGE.has(subtype) && channel && ts)
      keys.push(`message:${channel}:${ts}`);
    return keys;
  }
  const trigger = inbound.kind === 'command' ? inbound.fields.trigger_id : str(inbound.payload.trigger_id);
  if (trigger) return [`trigger:${trigger}`];
  const content = inbound.kind === 'command' ? inbound.fields : inbound.payload;
  return [`digest:${createHash('sha256').update(JSON.stringify(content)).digest('base64url')}`];
}
