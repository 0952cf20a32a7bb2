/**
 * End to end, Slack's contract: signatures, bodies, retries of a failing Web API, start-up order,
 * SIGTERM, missing settings and secret-free logs — the real bot process against the stand-in.
 */
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../src/standin/sign.js';
import type { RecordedCall } from '../../src/standin/server.js';
import { ROOT, SECRET, TOKEN, freePort, sleep, spawnBot, useHarness, waitHealthy } from './bot-process.js';

// auth.test answers late, so the first test can send events before start-up has finished.
const h = useHarness({ beforeStart: (s) => s.delay('auth.test', 1500), waitReady: false });
let users = 0;

/** A fresh user per test, so its DM holds only this test's replies. */
const freshUser = (): string => `U0H${++users}X`;
const dmOf = (user: string): string => `D${user.slice(1)}`;
const posts = (channel: string): RecordedCall[] =>
  h.standin.callsOf('chat.postMessage').filter((c) => c.args.channel === channel && c.status === 200 && !c.injected);

function waitReply(channel: string, timeoutMs = 5000): Promise<RecordedCall> {
  return h.standin.waitForCall(
    (c) => c.method === 'chat.postMessage' && c.args.channel === channel && c.status === 200 && !c.injected,
    { timeoutMs },
  );
}

/** A well-formed DM event envelope, as Slack would send it. */
function dmEnvelope(user: string, text: string): Record<string, unknown> {
  const ts = `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 999_999)).padStart(6, '0')}`;
  return {
    token: 'local-verification-token',
    team_id: 'T0LOCAL',
    api_app_id: 'A0LOCAL',
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: 'message', channel: dmOf(user), channel_type: 'im', user, text, ts, event_ts: ts, team: 'T0LOCAL' },
  };
}

async function stillAnswers(): Promise<void> {
  const user = freshUser();
  const sent = await h.standin.sendMessage({ user, text: 'how do I deregister in Zhejiang' });
  expect(sent.status).toBe(200);
  await waitReply(sent.channel);
}

describe('start-up', () => {
  it('answers events before start-up finished with 503 (Slack sends them again), and the retry once ready', async () => {
    expect((await fetch(`${h.bot.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.bot.url}/readyz`)).status).toBe(503);
    const sent = await h.standin.sendMessage({ user: freshUser(), text: 'forgot my ICP filing password' });
    // Not acknowledged: an acknowledged event that a stop then dropped would be lost for good.
    expect(sent.status).toBe(503);
    await waitHealthy(h.bot, { ready: true });
    const retried = await h.standin.driver.retry(sent.envelopes[0]!, 1, 'http_error');
    expect(retried.status).toBe(200);
    const reply = await waitReply(sent.channel);
    const auth = h.standin.callsOf('auth.test')[0];
    expect(auth?.tokenOk).toBe(true);
    expect(reply.at).toBeGreaterThan(auth?.at ?? 0);
  });
});

describe('signatures', () => {
  it('rejects bad, missing, stale and wrong-length signatures with 401 and keeps serving', async () => {
    const user = freshUser();
    const body = JSON.stringify(dmEnvelope(user, 'deregister Zhejiang'));
    const now = Math.floor(Date.now() / 1000);
    const d = h.standin.driver;
    const cases = [
      d.sendRaw({
        body,
        sign: false,
        headers: { 'x-slack-request-timestamp': String(now), 'x-slack-signature': `v0=${'0'.repeat(64)}` },
      }),
      d.sendRaw({ body, sign: false }),
      d.sendRaw({ body, sign: false, headers: { 'x-slack-request-timestamp': String(now) } }),
      d.sendRaw({ body, timestamp: now - 10 * 60 }),
      d.sendRaw({ body, timestamp: now + 10 * 60 }),
      d.sendRaw({ body, headers: { 'x-slack-signature': 'v0=abc' } }),
      d.sendRaw({ body, headers: { 'x-slack-signature': `v0=${'a'.repeat(200)}` } }),
      d.sendRaw({ body, headers: { 'x-slack-signature': 'v0=ä'.repeat(22) } }),
      d.sendRaw({ body, headers: { 'x-slack-request-timestamp': 'yesterday' } }),
      d.sendRaw({ body: '' }),
    ];
    const results = await Promise.all(cases);
    expect(results.map((r) => r.status)).toEqual(results.map(() => 401));
    // A body signed for one timestamp replayed with another is a mismatch too.
    const replay = signedHeaders(SECRET, body, 'application/json', now);
    const moved = await d.sendRaw({
      body,
      sign: false,
      headers: { ...replay, 'x-slack-request-timestamp': String(now - 1) },
    });
    expect(moved.status).toBe(401);
    await stillAnswers();
    expect(posts(dmOf(user))).toHaveLength(0);
  });

  it('answers url_verification only when signed', async () => {
    const ok = await h.standin.driver.urlVerification('chal-123');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ challenge: 'chal-123' });
    const bad = await h.standin.driver.sendRaw({
      body: { type: 'url_verification', challenge: 'x', token: 't' },
      sign: false,
    });
    expect(bad.status).toBe(401);
    expect(bad.body).not.toContain('x');
  });
});

describe('bodies', () => {
  it('answers 400 to malformed JSON and form bodies', async () => {
    const d = h.standin.driver;
    const form = 'application/x-www-form-urlencoded';
    const results = await Promise.all([
      d.sendRaw({ body: '{"type":"event_callback",' }),
      d.sendRaw({ body: '[1,2,3]' }),
      d.sendRaw({ body: { type: 'event_callback', event_id: 'Ev1' } }),
      d.sendRaw({ body: 'payload=%7B%22type%22%3A', contentType: form }),
      d.sendRaw({ body: 'payload=%5B%5D', contentType: form }),
      d.sendRaw({ body: 'hello=world', contentType: form }),
      d.sendRaw({ body: 'just text', contentType: 'text/plain' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(results.map(() => 400));
    await stillAnswers();
  });

  it('answers 413 to a body over 1 MB, and a 40,000-character Chinese message with its blocks still passes', async () => {
    const big = await h.standin.driver.sendRaw({
      body: JSON.stringify({ type: 'event_callback', pad: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(big.status).toBe(413);
    const text = `浙江备案怎么注销${'备'.repeat(40_000 - 8)}`;
    const sent = await h.standin.sendMessage({ user: freshUser(), text });
    expect(sent.status).toBe(200);
    await waitReply(sent.channel);
  });

  it('keeps the raw bytes: a character split across TCP chunks does not break the signature', async () => {
    const user = freshUser();
    const body = Buffer.from(JSON.stringify(dmEnvelope(user, '浙江的网站备案怎么注销？')), 'utf8');
    const headers = signedHeaders(SECRET, body, 'application/json');
    const cut = body.indexOf(Buffer.from('浙', 'utf8')) + 1; // inside the 3-byte character
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${h.bot.url}/slack/events`,
        { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(body.subarray(0, cut));
      setTimeout(() => req.end(body.subarray(cut)), 50);
    });
    expect(status).toBe(200);
    await waitReply(dmOf(user));
  });
});

describe('events the bot does not answer', () => {
  // Run alone (-t), start-up may not have finished: auth.test answers late in this file.
  beforeAll(() => waitHealthy(h.bot, { ready: true }));

  const envelope = (event: Record<string, unknown>): Record<string, unknown> => ({
    ...dmEnvelope(freshUser(), 'unused'),
    event,
  });

  it('an event with no conversation (an org event such as team_access_granted) is acknowledged and logs no error', async () => {
    const before = h.bot.logLines().length;
    const org = envelope({ type: 'team_access_granted', team_ids: ['T0OTHER'], event_ts: '1700000000.000100' });
    expect((await h.standin.sendRaw({ body: org })).status).toBe(200);
    const mention = envelope({ type: 'app_mention', user: 'U0ALICE', text: '<@U0BOT> hi', ts: '1700000000.000200' });
    expect((await h.standin.sendRaw({ body: mention })).status).toBe(200);
    await stillAnswers();
    // Log lines reach stdout in blocks, at most 100 ms after they are written (src/slack/log.ts).
    await new Promise((r) => setTimeout(r, 300));
    const after = h.bot.logLines().slice(before);
    expect(after.filter((l) => l.level === 'error' || l.event === 'turn_failed')).toEqual([]);
  });

  it("a bot's message with app_id or bot_profile but no bot_id is not answered", async () => {
    const user = freshUser();
    const ts = `${Math.floor(Date.now() / 1000)}.000300`;
    for (const marks of [{ app_id: 'A0OTHERBOT' }, { bot_profile: { id: 'B0OTHER', name: 'other bot' } }]) {
      const body = envelope({
        type: 'message',
        channel: dmOf(user),
        channel_type: 'im',
        user,
        text: 'how do I deregister in Zhejiang',
        ts,
        ...marks,
      });
      expect((await h.standin.sendRaw({ body })).status).toBe(200);
    }
    await stillAnswers();
    expect(posts(dmOf(user))).toEqual([]);
  });
});

describe('failing Web API', () => {
  it('retries HTTP 500, ok:false and 429 Retry-After, and replies once', async () => {
    for (const spec of [
      { times: 2, status: 500 },
      { times: 1, okFalse: 'internal_error' },
      { times: 1, error: 'ratelimited' as const, retryAfter: 1 },
    ]) {
      h.standin.fail('chat.postMessage', spec);
      const t0 = performance.now();
      const sent = await h.standin.sendMessage({ user: freshUser(), text: 'lost my ICP record number' });
      expect(sent.status).toBe(200);
      const reply = await waitReply(sent.channel, 10_000);
      const attempts = h.standin.callsOf('chat.postMessage').filter((c) => c.args.channel === sent.channel);
      expect(attempts.filter((c) => c.injected).length).toBe(spec.times);
      expect(posts(sent.channel)).toHaveLength(1);
      if ('retryAfter' in spec) expect(reply.at - t0).toBeGreaterThanOrEqual(1000);
    }
  }, 30_000);

  it('gives up within about 10 s, logs the reason, and keeps serving', async () => {
    h.standin.fail('chat.postMessage', { times: 1000, status: 500 });
    const t0 = Date.now();
    const sent = await h.standin.sendMessage({ user: freshUser(), text: 'forgot filing password' });
    const line = await h.bot.waitForLog((l) => l.event === 'slack_api_failed' && l.channel === sent.channel, 15_000);
    expect(Date.now() - t0).toBeLessThan(12_000);
    expect(line.reason).toBe('http_500');
    h.standin.reset();
    await stillAnswers();
  }, 30_000);

  it('acknowledges at once even when the Web API is slow', async () => {
    h.standin.delay('chat.postMessage', 2000);
    try {
      const sent = await h.standin.sendMessage({ user: freshUser(), text: 'deregister my filing in Sichuan' });
      expect(sent.status).toBe(200);
      expect(sent.ackMs).toBeLessThan(1000);
      await waitReply(sent.channel, 6000);
    } finally {
      h.standin.delay('chat.postMessage', 0);
    }
  });

  it('keeps acknowledging while replies queue behind a slow Web API, and answers every one once', async () => {
    // More questions than the bot runs through Botkit at once: the rest wait, acknowledged.
    h.standin.delay('chat.postMessage', 300);
    try {
      const sent = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          h.standin.sendMessage({ user: freshUser(), text: `deregister my filing in Zhejiang (${i})` }),
        ),
      );
      for (const r of sent) {
        expect(r.status).toBe(200);
        // Slack's contract: acknowledged within 3 seconds, whatever the replies are waiting for.
        expect(r.ackMs).toBeLessThan(3000);
      }
      for (const r of sent) await waitReply(r.channel, 15_000);
      for (const r of sent) expect(posts(r.channel)).toHaveLength(1);
    } finally {
      h.standin.delay('chat.postMessage', 0);
    }
  }, 30_000);
});

describe('process', () => {
  it('answers GET /healthz', async () => {
    const res = await fetch(`${h.bot.url}/healthz`);
    expect(res.status).toBe(200);
  });

  it('on SIGTERM finishes the reply in flight, stops accepting and exits 0', async () => {
    const port = await freePort();
    const bot = spawnBot({
      command: 'node',
      port,
      env: {
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: h.standin.apiUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
    });
    const mainUrl = h.standin.botUrl;
    try {
      await waitHealthy(bot, { ready: true });
      h.standin.botUrl = `${bot.url}/slack/events`;
      h.standin.delay('chat.postMessage', 800);
      const sent = await h.standin.sendMessage({ user: freshUser(), text: 'deregister Zhejiang filing' });
      expect(sent.status).toBe(200);
      bot.child.kill('SIGTERM');
      const exit = await bot.exited;
      expect(exit.code).toBe(0);
      expect(posts(sent.channel)).toHaveLength(1);
      const after = await h.standin.sendMessage({ user: freshUser(), text: 'hello' });
      expect(after.status).toBe(0);
    } finally {
      h.standin.delay('chat.postMessage', 0);
      h.standin.botUrl = mainUrl;
      await bot.stop();
    }
  });

  it('on an uncaught exception logs it with its stack, refuses new events, finishes the reply in flight and exits 1', async () => {
    const port = await freePort();
    const fault = join(ROOT, 'test/slack/fixtures/fault-on-signal.mjs');
    const bot = spawnBot({
      command: 'node',
      port,
      env: {
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: h.standin.apiUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        NODE_OPTIONS: `--import=${pathToFileURL(fault).href}`,
      },
    });
    const mainUrl = h.standin.botUrl;
    try {
      await waitHealthy(bot, { ready: true });
      h.standin.botUrl = `${bot.url}/slack/events`;
      h.standin.delay('chat.postMessage', 1200);
      const sent = await h.standin.sendMessage({ user: freshUser(), text: 'deregister Zhejiang filing' });
      expect(sent.status).toBe(200);
      bot.child.kill('SIGUSR2');
      const line = await bot.waitForLog((l) => l.event === 'uncaught_exception');
      expect(JSON.stringify(line.err)).toMatch(/injected fault[\s\S]*fault-on-signal\.mjs/);
      // Stopping: events are refused with 503 (Slack sends them again, to a healthy process).
      const refused = await h.standin.sendMessage({ user: freshUser(), text: 'hello' });
      expect([503, 0]).toContain(refused.status);
      const exit = await bot.exited;
      expect(exit.code).toBe(1);
      expect(posts(sent.channel)).toHaveLength(1);
      expect(bot.logLines().find((l) => l.event === 'stopped')).toMatchObject({ dropped: 0 });
    } finally {
      h.standin.delay('chat.postMessage', 0);
      h.standin.botUrl = mainUrl;
      await bot.stop();
    }
  });

  it('exits 2 naming the missing setting and where to get it', async () => {
    // (No Slack setting at all starts the local playground instead — another issue's behaviour.)
    const cwd = mkdtempSync(join(tmpdir(), 'icp-bot-noenv-'));
    const noSecret = spawnBot({ command: 'node', cwd, port: 0, env: { SLACK_BOT_TOKEN: TOKEN } });
    expect((await noSecret.exited).code).toBe(2);
    expect(noSecret.output()).toContain('SLACK_SIGNING_SECRET is not set');
    expect(noSecret.output()).toContain('api.slack.com/apps');
    expect(noSecret.output()).not.toContain('SLACK_BOT_TOKEN is not set');
    expect(noSecret.output()).not.toContain(TOKEN);
    const noToken = spawnBot({ command: 'node', cwd, port: 0, env: { SLACK_SIGNING_SECRET: SECRET } });
    expect((await noToken.exited).code).toBe(2);
    expect(noToken.output()).toContain('SLACK_BOT_TOKEN is not set');
    expect(noToken.output()).toContain('xoxb-');
    expect(noToken.output()).not.toContain(SECRET);
    const badPort = spawnBot({
      command: 'node',
      cwd,
      port: 0,
      env: { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, PORT: 'eighty' },
    });
    expect((await badPort.exited).code).toBe(2);
    expect(badPort.output()).toContain('PORT');
  });

  it('exits 1 with a clear log line when Slack rejects the token, without printing it', async () => {
    const port = await freePort();
    const wrong = 'xoxb-wrong-token-never-printed';
    const bot = spawnBot({
      command: 'node',
      port,
      env: {
        SLACK_BOT_TOKEN: wrong,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: h.standin.apiUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
    });
    expect((await bot.exited).code).toBe(1);
    expect(bot.logLines().some((l) => l.event === 'auth_test_failed' && l.reason === 'invalid_auth')).toBe(true);
    expect(bot.output()).not.toContain(wrong);
  });

  it('never logs the token, the signing secret, signatures or response URLs', async () => {
    // Ready first (run alone, this test would otherwise meet the start-up's 503).
    await waitHealthy(h.bot, { ready: true });
    // Exercise the paths that carry them: a slash command (response_url) and a click.
    const res = await h.standin.sendSlashCommand({
      user: 'U0ALICE',
      channel: 'C0GENERAL',
      text: 'deregister Zhejiang',
    });
    expect(res.status).toBe(200);
    await h.standin.waitForCall((c) => c.method === 'response_url' && c.args.response_type === 'ephemeral', {
      timeoutMs: 15_000,
    });
    await sleep(200);
    const out = h.bot.output();
    expect(out.length).toBeGreaterThan(0);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(SECRET);
    expect(out).not.toMatch(/xox[a-z]-/);
    expect(out).not.toMatch(/v0=[0-9a-f]{64}/);
    expect(out).not.toContain(res.responseUrl);
    expect(out).not.toContain('local-verification-token');
    // Nothing but JSON lines: Botkit's and the adapter's console output goes through the logger too.
    const lines = out.split('\n').filter((l) => l.trim() !== '');
    expect(lines.filter((l) => !l.startsWith('{'))).toEqual([]);
    expect(h.bot.logLines()).toHaveLength(lines.length);
  });
});
