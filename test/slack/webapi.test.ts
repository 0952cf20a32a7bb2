/**
 * Where the bot sends requests: a payload's response_url is posted to only when it is Slack's (or
 * the configured stand-in's), and a redirect is never followed. Real local servers stand in for
 * the places an attacker would point it at.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/slack/log.js';
import {
  createApiCaller,
  createSlackOut,
  failureReason,
  isAllowedResponseUrl,
  responseOrigins,
  SLACK_RESPONSE_ORIGIN,
} from '../../src/slack/webapi.js';

interface Target {
  port: number;
  hits: string[];
  close(): Promise<void>;
}

/** A server that records every request; `redirectTo` makes it answer 302 there. */
async function target(redirectTo?: () => string): Promise<Target> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    if (redirectTo) res.writeHead(302, { location: redirectTo() }).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let attacker: Target;
let standin: Target;
let redirector: Target;
let logs = '';
const log = createLogger({ destination: new Writable({ write: (c, _e, cb) => ((logs += String(c)), cb()) }) });

beforeAll(async () => {
  attacker = await target();
  standin = await target();
  redirector = await target(() => `http://127.0.0.1:${attacker.port}/stolen`);
});
afterAll(async () => {
  await Promise.all([attacker.close(), standin.close(), redirector.close()]);
});

describe('response_url allow-list', () => {
  it('allows Slack only, and the configured API origin when it is not slack.com', () => {
    expect(responseOrigins('https://slack.com/api/')).toEqual([SLACK_RESPONSE_ORIGIN]);
    expect(responseOrigins('http://127.0.0.1:4000/api/')).toEqual([SLACK_RESPONSE_ORIGIN, 'http://127.0.0.1:4000']);
    const origins = [SLACK_RESPONSE_ORIGIN];
    expect(isAllowedResponseUrl('https://hooks.slack.com/actions/T1/1/abc', origins)).toBe(true);
    for (const bad of [
      'http://hooks.slack.com/actions/T1/1/abc',
      'https://hooks.slack.com.evil.example/actions/x',
      'https://evil.example/?https://hooks.slack.com/',
      'https://user:pw@hooks.slack.com/actions/x',
      'https://hooks.slack.com/',
      'hooks.slack.com/actions/x',
      'http://169.254.169.254/latest/meta-data/',
      'http://2130706433/',
      'http://0x7f000001/',
      'not a url',
    ]) {
      expect(isAllowedResponseUrl(bad, origins), bad).toBe(false);
    }
  });

  it('posts nothing to loopback in decimal or hex, or to the metadata address', async () => {
    const out = createSlackOut(new WebClient('xoxb-test'), log, {
      responseOrigins: [SLACK_RESPONSE_ORIGIN, `http://127.0.0.1:${standin.port}`],
    });
    for (const url of [
      `http://127.0.0.1:${attacker.port}/x`,
      `http://2130706433:${attacker.port}/x`,
      `http://0x7f.0.0.1:${attacker.port}/x`,
      `http://localhost:${attacker.port}/x`,
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      expect(await out.respond(url, { text: 'hi' }), url).toBe(false);
    }
    expect(attacker.hits).toEqual([]);
    // The configured stand-in's own address works, whichever way the loopback is written.
    expect(await out.respond(`http://2130706433:${standin.port}/response/1`, { text: 'hi' })).toBe(true);
    expect(standin.hits).toEqual(['POST /response/1']);
    // The refusal is logged without the URL.
    expect(logs).toContain('response_url_refused');
    expect(logs).not.toContain(String(attacker.port));
  });

  it('does not follow a redirect', async () => {
    const out = createSlackOut(new WebClient('xoxb-test'), log, {
      responseOrigins: [`http://127.0.0.1:${redirector.port}`],
      transientDelayMs: 1,
    });
    expect(await out.respond(`http://127.0.0.1:${redirector.port}/response/2`, { text: 'hi' })).toBe(false);
    expect(redirector.hits.length).toBeGreaterThan(0);
    expect(attacker.hits).toEqual([]);
  });
});

describe('the bot’s Web API client (createApiCaller)', () => {
  const TOKEN = 'xoxb-api-caller-test-do-not-leak';
  const FAST = { retries: 3, factor: 2, minTimeout: 10, maxTimeout: 40, maxRetryTime: 2_000 };
  interface Seen {
    url: string;
    auth: string;
    type: string;
    body: string;
    at: number;
  }
  /** A Web API whose answers are `script` in turn (then ok), recording each request. */
  async function api(script: { status: number; body?: string; headers?: Record<string, string> }[]) {
    const seen: Seen[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += String(c)));
      req.on('end', () => {
        seen.push({
          url: req.url ?? '',
          auth: req.headers.authorization ?? '',
          type: req.headers['content-type'] ?? '',
          body,
          at: Date.now(),
        });
        const next = script.shift() ?? { status: 200, body: '{"ok":true,"ts":"1.2"}' };
        res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers }).end(next.body ?? '');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
    return { seen, url, close: () => new Promise<void>((r) => server.close(() => r())) };
  }

  it('sends write methods as JSON and the others as a form (blocks as JSON), with the token as a bearer only', async () => {
    const s = await api([]);
    try {
      const client = createApiCaller(TOKEN, s.url, FAST);
      const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'a & b' } }];
      expect(await client.apiCall('chat.postMessage', { channel: 'D1', text: 'hi', blocks })).toMatchObject({
        ok: true,
      });
      await client.apiCall('users.info', { user: 'U1', skipped: undefined, blocks });
      expect(s.seen.map((r) => r.url)).toEqual(['/api/chat.postMessage', '/api/users.info']);
      expect(s.seen.every((r) => r.auth === `Bearer ${TOKEN}` && !r.body.includes(TOKEN))).toBe(true);
      expect(s.seen[0]?.type).toMatch(/^application\/json/);
      expect(JSON.parse(s.seen[0]?.body ?? '')).toEqual({ channel: 'D1', text: 'hi', blocks });
      expect(s.seen[1]?.type).toBe('application/x-www-form-urlencoded');
      const form = new URLSearchParams(s.seen[1]?.body);
      expect(form.get('user')).toBe('U1');
      expect(form.has('skipped')).toBe(false);
      expect(JSON.parse(form.get('blocks') ?? '')).toEqual(blocks);
      // A method name only: never a URL the token would go to.
      await expect(client.apiCall('http://evil.example/x')).rejects.toThrow(TypeError);
      expect(s.seen).toHaveLength(2);
    } finally {
      await s.close();
    }
  });

  it('tries HTTP failures again (at most 3 times), waits a 429’s Retry-After, and does not try ok:false again', async () => {
    const s = await api([
      { status: 500 },
      { status: 502 },
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 200, body: '{"ok":false,"error":"channel_not_found"}' },
    ]);
    try {
      const client = createApiCaller(TOKEN, s.url, FAST);
      const t0 = Date.now();
      const err = (await client.apiCall('chat.postMessage', { channel: 'C1' }).catch((e: unknown) => e)) as Error & {
        data?: { error?: string };
      };
      expect(err.data?.error).toBe('channel_not_found');
      expect(failureReason(err)).toBe('channel_not_found');
      expect(s.seen).toHaveLength(4);
      expect((s.seen[3]?.at ?? 0) - (s.seen[2]?.at ?? 0)).toBeGreaterThanOrEqual(950);
      expect(Date.now() - t0).toBeLessThan(2_000);
      // Four HTTP failures in a row: it gives up after the third retry, with the status as the reason.
      s.seen.length = 0;
      const failing = await api([{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }]);
      try {
        const gaveUp = await createApiCaller(TOKEN, failing.url, FAST)
          .apiCall('chat.update', {})
          .catch((e: unknown) => e);
        expect(failureReason(gaveUp)).toBe('http_500');
        expect(failing.seen).toHaveLength(4);
      } finally {
        await failing.close();
      }
    } finally {
      await s.close();
    }
  });

  it('says why a request did not get through, without the token or the request', async () => {
    const s = await api([]);
    const url = s.url;
    await s.close();
    const err = await createApiCaller(TOKEN, url, { ...FAST, retries: 1 })
      .apiCall('users.info', { user: 'U1' })
      .catch((e: unknown) => e);
    expect(failureReason(err)).toMatch(/ECONNREFUSED/);
    expect(String(failureReason(err))).not.toContain(TOKEN);
  });
});
