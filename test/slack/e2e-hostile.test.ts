/**
 * End to end, hostile traffic against the real bot process: unauthenticated floods that would make
 * it hold memory, replays of commands and clicks, a Web API that never answers at start-up, and a
 * flood of markup that would stall the event loop. Memory is asserted as a bound under a fixed
 * attack, latency as Slack's 3-second contract, never as a tight timing.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { startStandin } from '../../src/standin/server.js';
import { SECRET, TOKEN, freePort, sleep, spawnBot, useHarness, waitHealthy } from './bot-process.js';

const h = useHarness();

/** Resident memory of a process in MB, from /proc (Linux). */
const rssMB = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/**
 * Opens `n` connections that each declare a 1 MB body, send most of it, then hold the connection
 * open (a slow sender). `signed` gives each a well-formed, fresh but wrong signature.
 */
async function flood(port: number, n: number, signed: boolean): Promise<net.Socket[]> {
  const ts = String(Math.floor(Date.now() / 1000));
  const head = [
    'POST /slack/events HTTP/1.1',
    'Host: 127.0.0.1',
    'Content-Type: application/json',
    `Content-Length: ${1024 * 1024}`,
    ...(signed ? [`X-Slack-Request-Timestamp: ${ts}`, `X-Slack-Signature: v0=${'b'.repeat(64)}`] : []),
  ].join('\r\n');
  const chunk = Buffer.alloc(1024 * 1024 - 1, 0x61);
  const sockets: net.Socket[] = [];
  for (let i = 0; i < n; i++) {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    s.write(`${head}\r\n\r\n`);
    s.write(chunk);
    sockets.push(s);
  }
  await sleep(3000);
  return sockets;
}

describe('unauthenticated memory growth', () => {
  it.each([
    ['no signature headers', false],
    ['well-formed but wrong signatures', true],
  ])('800 slow 1 MB senders (%s) grow the process by at most 50 MB, and it still answers', async (_name, signed) => {
    const pid = h.bot.child.pid!;
    const before = rssMB(pid);
    const sockets = await flood(h.bot.port, 800, signed);
    const during = rssMB(pid);
    for (const s of sockets) s.destroy();
    expect(during - before, `RSS ${before.toFixed(0)} → ${during.toFixed(0)} MB`).toBeLessThanOrEqual(50);
    await sleep(500);
    const sent = await h.standin.sendMessage({ user: `U0FLOOD${signed ? 'S' : 'N'}`, text: 'deregister Zhejiang' });
    expect(sent.status).toBe(200);
  });
});

describe('replays', () => {
  it('runs a slash command and a click once however often they are replayed', async () => {
    const form =
      'command=%2Ficp&text=deregister+Hebei&team_id=T0LOCAL&channel_id=C0GENERAL&user_id=U0REPLAY&trigger_id=replayed-trigger-1';
    const t = performance.now();
    const first = await h.standin.sendSlashCommand({
      user: 'U0REPLAY',
      channel: 'C0GENERAL',
      text: 'deregister Hebei',
    });
    await h.standin.waitForCall((c) => c.method === 'response_url' && c.at > t);
    const t0 = performance.now();
    const cmd = `${form}&response_url=${encodeURIComponent(first.responseUrl)}`;
    for (let i = 0; i < 4; i++)
      expect(
        (await h.standin.driver.sendRaw({ body: cmd, contentType: 'application/x-www-form-urlencoded' })).status,
      ).toBe(200);
    await sleep(800);
    expect(h.standin.calls.filter((c) => c.method === 'response_url' && c.at > t0)).toHaveLength(1);
    const answer = h.standin.calls.find((c) => c.method === 'response_url' && c.at > t0);
    if (!answer?.message) throw new Error('answer not stored');
    const tc = performance.now();
    const click = await h.standin.clickAction({
      user: 'U0REPLAY',
      message: answer.message,
      actionId: 'icp_feedback_helpful',
    });
    await h.standin.waitForCall((c) => c.at > tc && (c.method === 'response_url' || c.method === 'chat.postEphemeral'));
    const t1 = performance.now();
    const replay = `payload=${encodeURIComponent(JSON.stringify(click.payload))}`;
    for (let i = 0; i < 3; i++)
      expect(
        (await h.standin.driver.sendRaw({ body: replay, contentType: 'application/x-www-form-urlencoded' })).status,
      ).toBe(200);
    await sleep(800);
    // The first click thanked the clicker; its replays did nothing.
    expect(
      h.standin.calls.filter((c) => c.at > t1 && (c.method === 'response_url' || c.method === 'chat.postEphemeral')),
    ).toHaveLength(0);
  });
});

describe('the event loop under a markup flood', () => {
  it("acknowledges an ordinary DM within Slack's 3 seconds while 40 KB floods of <@ and <@BOT| are being answered", async () => {
    for (const unit of ['<@', '<@U0BOT|', '<!|', '<http:']) {
      await h.standin.sendMessage({ user: 'U0FLOODER', text: unit.repeat(Math.floor(40_000 / unit.length)) });
    }
    const t = performance.now();
    const sent = await h.standin.sendMessage({ user: 'U0ORDINARY', text: 'how do I deregister in Zhejiang' });
    expect(sent.status).toBe(200);
    expect(performance.now() - t).toBeLessThan(3000);
  });
});

describe('readiness when Slack does not answer', () => {
  it('alive but not ready, events 503, then a clear exit after the bounded tries', async () => {
    const standin = await startStandin({ signingSecret: SECRET, botToken: TOKEN });
    standin.fail('auth.test', { status: 500, times: 100 });
    const port = await freePort();
    standin.botUrl = `http://127.0.0.1:${port}/slack/events`;
    const bot = spawnBot({
      port,
      env: {
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: standin.apiUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        STARTUP_ATTEMPTS: '3',
        STARTUP_RETRY_MS: '300',
      },
    });
    try {
      await waitHealthy(bot);
      expect((await fetch(`${bot.url}/readyz`)).status).toBe(503);
      const sent = await standin.sendMessage({ user: 'U0WAIT', text: 'deregister Zhejiang' });
      expect(sent.status).toBe(503);
      const exit = await bot.exited;
      expect(exit.code).not.toBe(0);
      expect(bot.output()).toMatch(/did not answer auth\.test after 3 tries/);
      expect(bot.output()).not.toContain(TOKEN);
    } finally {
      if (bot.child.exitCode === null) await bot.stop();
      await standin.close();
    }
  });
});
