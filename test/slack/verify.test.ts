import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SKEW_SECONDS, computeSignature, verifySlackRequest } from '../../src/slack/verify.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW_MS = 1_700_000_000_000;
const TS = String(NOW_MS / 1000);

function signed(body: string | Buffer, ts = TS) {
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return { timestamp: ts, signature: computeSignature(SECRET, ts, raw), rawBody: raw };
}

describe('verifySlackRequest', () => {
  it("matches Slack's documented example signature", () => {
    // From Slack's "Verifying requests from Slack" guide.
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const sig = computeSignature(SECRET, '1531420618', body);
    expect(sig).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
    expect(
      verifySlackRequest(
        SECRET,
        { timestamp: '1531420618', signature: sig, rawBody: Buffer.from(body) },
        1531420618_000,
      ),
    ).toEqual({ ok: true });
  });

  it('accepts a correct signature within the window, on either side', () => {
    expect(verifySlackRequest(SECRET, signed('{"a":1}'), NOW_MS).ok).toBe(true);
    expect(verifySlackRequest(SECRET, signed('{"a":1}'), NOW_MS + MAX_SKEW_SECONDS * 1000).ok).toBe(true);
    expect(verifySlackRequest(SECRET, signed('{"a":1}'), NOW_MS - MAX_SKEW_SECONDS * 1000).ok).toBe(true);
  });

  it('names why a request fails', () => {
    const good = signed('{"a":1}');
    const reason = (r: ReturnType<typeof verifySlackRequest>) => (r.ok ? 'ok' : r.reason);
    expect(reason(verifySlackRequest(SECRET, { ...good, timestamp: undefined }, NOW_MS))).toBe('missing_timestamp');
    expect(reason(verifySlackRequest(SECRET, { ...good, timestamp: '12ab' }, NOW_MS))).toBe('bad_timestamp');
    expect(reason(verifySlackRequest(SECRET, good, NOW_MS + (MAX_SKEW_SECONDS + 1) * 1000))).toBe('stale_timestamp');
    expect(reason(verifySlackRequest(SECRET, good, NOW_MS - (MAX_SKEW_SECONDS + 1) * 1000))).toBe('stale_timestamp');
    expect(reason(verifySlackRequest(SECRET, { ...good, signature: undefined }, NOW_MS))).toBe('missing_signature');
    expect(reason(verifySlackRequest(SECRET, { ...good, signature: 'v0=abc' }, NOW_MS))).toBe('malformed_signature');
    expect(reason(verifySlackRequest(SECRET, { ...good, signature: `v1=${'0'.repeat(64)}` }, NOW_MS))).toBe(
      'malformed_signature',
    );
    expect(reason(verifySlackRequest(SECRET, { ...good, rawBody: undefined }, NOW_MS))).toBe('missing_body');
    expect(reason(verifySlackRequest(SECRET, { ...good, rawBody: Buffer.alloc(0) }, NOW_MS))).toBe('missing_body');
    expect(reason(verifySlackRequest(SECRET, { ...good, rawBody: Buffer.from('{"a":2}') }, NOW_MS))).toBe('mismatch');
    expect(reason(verifySlackRequest('other-secret', good, NOW_MS))).toBe('mismatch');
  });

  it('signs bytes, not characters: a re-encoded body does not verify', () => {
    const raw = Buffer.from('{"text":"浙江"}', 'utf8');
    const req = signed(raw);
    expect(verifySlackRequest(SECRET, req, NOW_MS).ok).toBe(true);
    const latin1 = Buffer.from(raw.toString('latin1'), 'utf8');
    expect(verifySlackRequest(SECRET, { ...req, rawBody: latin1 }, NOW_MS).ok).toBe(false);
  });

  it('never throws and never accepts a forged signature, whatever the headers', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string()),
        fc.option(fc.string({ maxLength: 200 })),
        fc.uint8Array({ maxLength: 64 }),
        (ts, sig, body) => {
          const r = verifySlackRequest(
            SECRET,
            { timestamp: ts ?? undefined, signature: sig ?? undefined, rawBody: Buffer.from(body) },
            NOW_MS,
          );
          expect(r.ok).toBe(false);
        },
      ),
    );
  });

  it('rejects any single-character change to a valid signature', () => {
    const good = signed('{"event":"x"}');
    const hex = good.signature.slice(3);
    fc.assert(
      fc.property(fc.nat(hex.length - 1), fc.constantFrom(...'0123456789abcdef'), (i, c) => {
        fc.pre(hex[i] !== c);
        const forged = `v0=${hex.slice(0, i)}${c}${hex.slice(i + 1)}`;
        expect(verifySlackRequest(SECRET, { ...good, signature: forged }, NOW_MS).ok).toBe(false);
      }),
    );
  });
});
