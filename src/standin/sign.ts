/**
 * Slack request signing, as documented in "Verifying requests from Slack":
 * basestring `v0:{X-Slack-Request-Timestamp}:{raw body}`, HMAC-SHA256 with the signing secret,
 * sent as `X-Slack-Signature: v0=<hex>`.
 */
import { createHmac } from 'node:crypto';

function slackSignature(signingSecret: string, timestamp: number | string, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/** Seconds since the epoch, the unit Slack uses for X-Slack-Request-Timestamp. */
function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The headers Slack puts on every request it sends to an app. */
export function signedHeaders(
  signingSecret: string,
  rawBody: string | Buffer,
  contentType: string,
  timestamp: number = nowSeconds(),
): Record<string, string> {
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(signingSecret, timestamp, rawBody),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
}
