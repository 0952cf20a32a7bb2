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
  createSlackOut,
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
