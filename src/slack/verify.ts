/**
 * Slack request signatures (v0): HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret.
 * Unlike the adapter's check this never throws (timingSafeEqual only on equal lengths), has a
 * 5-minute window against replays, and treats a missing body as a failure, not a pass.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_SKEW_SECONDS = 5 * 60;

type VerifyFailure =
  | 'missing_timestamp'
  | 'bad_timestamp'
  | 'stale_timestamp'
  | 'missing_signature'
  | 'malformed_signature'
  | 'missing_body'
  | 'mismatch';

interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer | undefined;
}

export function computeSignature(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

const SIGNATURE_SHAPE = /^v0=[0-9a-f]{64}$/;

/**
 * What can be checked before the body is read: a timestamp inside the window and a signature of
 * the right shape. A request failing here is refused without reading its body.
 */
export function checkHeaders(
  timestamp: string | string[] | undefined,
  signature: string | string[] | undefined,
  nowMs: number = Date.now(),
): { ok: true; timestamp: string; signature: string } | { ok: false; reason: VerifyFailure } {
  const ts = typeof timestamp === 'string' ? timestamp.trim() : '';
  if (!ts) return { ok: false, reason: 'missing_timestamp' };
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'bad_timestamp' };
  if (Math.abs(nowMs / 1000 - Number(ts)) > MAX_SKEW_SECONDS) return { ok: false, reason: 'stale_timestamp' };
  const sig = typeof signature === 'string' ? signature.trim() : '';
  if (!sig) return { ok: false, reason: 'missing_signature' };
  if (!SIGNATURE_SHAPE.test(sig)) return { ok: false, reason: 'malformed_signature' };
  return { ok: true, timestamp: ts, signature: sig };
}

export function verifySlackRequest(
  signingSecret: string,
  req: SignedRequest,
  nowMs: number = Date.now(),
): { ok: true } | { ok: false; reason: VerifyFailure } {
  const headers = checkHeaders(req.timestamp, req.signature, nowMs);
  if (!headers.ok) return headers;
  const { timestamp: ts, signature: sig } = headers;
  if (!req.rawBody || req.rawBody.length === 0) return { ok: false, reason: 'missing_body' };
  // The shape check makes lengths equal already; sameSignature keeps the guard anyway.
  if (!sameSignature(computeSignature(signingSecret, ts, req.rawBody), sig)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}

/** Two signatures compared in constant time; never throws (timingSafeEqual only on equal lengths). */
export function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
