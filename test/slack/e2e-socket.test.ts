/**
 * Socket Mode end to end: the real bot process with SLACK_APP_TOKEN, connected to the stand-in's
 * WebSocket; every request arrives as an envelope, through the same dispatcher and handlers as HTTP.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/answer/render-blocks.js';
import { startStandin, type RecordedCall, type Standin } from '../../src/standin/server.js';
import { findAction, freePort, sleep, spawnBot, TOKEN, until, waitHealthy, type BotProcess } from './bot-process.js';

const APP_TOKEN = 'xapp-1-A0LOCAL-e2e-app-token-do-not-log';
let standin: Standin;
let bot: BotProcess;

beforeAll(async () => {
  // No signing secret given to the bot: Socket Mode does not need one.
  standin = await startStandin({
    signingSecret: 'unused-in-socket-mode',
    botToken: TOKEN,
    appToken: APP_TOKEN,
    transport: 'socket',
    socketAckTimeoutMs: 1_500,
  });
  const port = await freePort();
  bot = spawnBot({
    port,
    command: 'node',
    env: {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: standin.apiUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
  });
  await waitHealthy(bot, { ready: true });
});

afterAll(async () => {
  await bot?.stop();
  await standin?.close();
  // Secrets stay out of the output, the app token included.
  expect(bot.output()).not.toContain(APP_TOKEN);
  expect(bot.output()).not.toContain(TOKEN);
});

let testStart = 0;
beforeEach(() => {
  testStart = performance.now();
});

const waitPost = (pred: (c: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> =>
  standin.waitForCall((c) => c.method === 'chat.postMessage' && c.at > testStart && pred(c), { timeoutMs });

describe('Socket Mode', () => {
  it('connects with the app token, and takes no HTTP events', async () => {
    expect(standin.socket.connections).toBe(1);
    const opened = standin.callsOf('apps.connections.open');
    expect(opened.length).toBeGreaterThanOrEqual(1);
    expect(opened.every((c) => c.tokenOk)).toBe(true);
    const res = await fetch(`${bot.url}/slack/events`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
  });

  it('answers a DM, acknowledged on the socket', async () => {
    const sent = await standin.sendMessage({ user: 'U0ALICE', text: 'How do I deregister my ICP filing in Zhejiang?' });
    expect(sent.status).toBe(200);
    const reply = await waitPost((c) => c.args.channel === sent.channel);
    expect(String(reply.args.text)).toMatch(/Zhejiang/);
  });

  it('answers a mention in a thread under it', async () => {
    const sent = await standin.sendMessage({ user: 'U0BOB', channel: 'C0GENERAL', text: '<@U0BOT> 浙江备案怎么注销' });
    const reply = await waitPost((c) => c.args.channel === 'C0GENERAL' && c.args.thread_ts === sent.ts);
    expect(String(reply.args.text)).toMatch(/浙江/);
    await sleep(300);
    // Delivered twice (message and app_mention), answered once.
    expect(standin.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === sent.ts)).toHaveLength(1);
  });

  it('answers /icp privately through its response_url', async () => {
    const res = await standin.sendSlashCommand({
      user: 'U0ERIN',
      channel: 'C0GENERAL',
      text: 'forgot the beian password',
    });
    expect(res.status).toBe(200);
    const call = await standin.waitForCall((c) => c.method === 'response_url' && c.at > testStart, { timeoutMs: 5000 });
    expect(JSON.stringify(call.args)).toMatch(/password/i);
  });

  it('asks for the province; a pick completes the question, and so does a typed one', async () => {
    const sent = await standin.sendMessage({ user: 'U0DAVE', text: 'How do I deregister my ICP filing?' });
    const ask = await waitPost(
      (c) => c.args.channel === sent.channel && findAction(c, (id) => id === ACTIONS.pickProvince) !== undefined,
    );
    if (!ask.message) throw new Error('ask not stored');
    const click = await standin.clickAction({
      user: 'U0DAVE',
      message: ask.message,
      actionId: ACTIONS.pickProvince,
      selectedOption: 'jiangsu',
    });
    expect(click.status).toBe(200);
    const done = await waitPost((c) => c.args.channel === sent.channel && c.at > ask.at);
    expect(String(done.args.text)).toMatch(/Jiangsu/);

    const again = await standin.sendMessage({ user: 'U0FRANK', text: 'deregister our filing please' });
    const ask2 = await waitPost((c) => c.args.channel === again.channel);
    await standin.sendMessage({ user: 'U0FRANK', text: '广东' });
    const done2 = await waitPost((c) => c.args.channel === again.channel && c.at > ask2.at);
    expect(String(done2.args.text)).toMatch(/广东|Guangdong/);
  });

  it('publishes the Home tab and answers the message shortcut over the socket', async () => {
    await standin.openHome({ user: 'U0BOB' });
    await standin.waitForCall((c) => c.method === 'views.publish' && c.at > testStart, { timeoutMs: 5000 });
    expect(JSON.stringify(standin.workspace.homeView('U0BOB'))).toContain('/icp');
    const customer = await standin.sendMessage({
      user: 'U0BOB',
      channel: 'C0GENERAL',
      text: 'lost our ICP record number, where to look it up?',
    });
    const res = await standin.messageShortcut({ user: 'U0ALICE', message: { channel: 'C0GENERAL', ts: customer.ts } });
    expect(res.status).toBe(200);
    const reply = await standin.waitForCall((c) => c.method === 'response_url' && c.at > testStart, {
      timeoutMs: 5000,
    });
    expect(JSON.stringify(reply.args)).toContain('recordQuery');
  });

  it('a connection dropped in the middle of a burst of 100: every event answered exactly once', async () => {
    const before = standin.socket.counts.connections;
    const sends: Promise<{ channel: string; status: number }>[] = [];
    for (let i = 0; i < 100; i++) {
      sends.push(
        standin.sendMessage({
          user: `U0BURST${String(i).padStart(3, '0')}`,
          text: `deregister filing in ${i % 2 ? 'Hebei' : 'Hunan'}`,
        }),
      );
      if (i === 30) standin.socket.drop(); // a network failure, no warning
      if (i === 70) {
        // Slack's own warning, once the bot is back on.
        while (standin.socket.connections === 0) await sleep(20);
        standin.socket.disconnect('refresh_requested');
      }
      await sleep(5);
    }
    const sent = await Promise.all(sends);
    expect(sent.filter((s) => s.status !== 200)).toEqual([]);
    const channels = new Set(sent.map((s) => s.channel));
    const deadline = Date.now() + 20_000;
    const replies = () =>
      standin.callsOf('chat.postMessage').filter((c) => channels.has(String(c.args.channel)) && c.at > testStart);
    while (Date.now() < deadline && new Set(replies().map((c) => c.args.channel)).size < channels.size)
      await sleep(100);
    await sleep(1_000); // late duplicates
    const perChannel = new Map<string, number>();
    for (const c of replies())
      perChannel.set(String(c.args.channel), (perChannel.get(String(c.args.channel)) ?? 0) + 1);
    expect([...channels].filter((ch) => perChannel.get(ch) !== 1)).toEqual([]);
    // It did reconnect (twice), and some envelopes had to be sent again.
    expect(standin.socket.counts.connections).toBeGreaterThanOrEqual(before + 2);
    console.log(
      `socket burst: 100 events, ${standin.socket.counts.retried} envelopes sent again after the drop, ${standin.socket.counts.connections - before} reconnections, each event answered once`,
    );
    expect(bot.logLines().some((l) => l.event === 'socket_connected')).toBe(true);
  });
});

/** The bot process's resident memory: now, and its peak so far (Linux). */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

describe('Socket Mode: envelopes Slack should never send', () => {
  it('an events_api envelope without its event (or with no object payload) is acknowledged and logged at warn', async () => {
    const bad: Record<string, unknown>[] = [
      {},
      { payload: 'text' },
      { payload: null },
      { payload: { type: 'event_callback', event_id: 'EvNOEVENT', team_id: 'T0LOCAL' } },
      { payload: { type: 'event_callback', event_id: 'EvNULLEVENT', event: null } },
    ];
    for (const [i, fields] of bad.entries()) {
      const id = `bad-envelope-${i}`;
      const frame = JSON.stringify({ envelope_id: id, type: 'events_api', accepts_response_payload: false, ...fields });
      const ack = await standin.socket.sendRaw(frame, id, 2_000);
      expect(ack.status, `envelope ${i} acknowledged`).toBe(200);
    }
    // The acknowledgement can reach the stand-in before the bot's log line reaches its stdout.
    const warned = () =>
      bot
        .logLines()
        .filter((l) => l.level === 'warn' && l.event === 'request_rejected' && l.reason === 'malformed_envelope');
    await until(() => warned().length >= bad.length, 5_000);
    expect(warned().length).toBeGreaterThanOrEqual(bad.length);
    expect(bot.logLines().some((l) => l.event === 'unhandled_rejection')).toBe(false);
    // And the connection still answers.
    const sent = await standin.sendMessage({ user: 'U0ALICE', text: 'forgot our beian password' });
    expect(sent.status).toBe(200);
    await waitPost((c) => c.args.channel === sent.channel);
  });

  it('a 30 MB envelope is refused unread: no crash, memory stays bounded, the bot reconnects and answers', async () => {
    const pid = bot.child.pid!;
    const before = memoryOf(pid);
    const connectionsBefore = standin.socket.counts.connections;
    const id = 'oversized-envelope';
    const text = 'x'.repeat(30 * 1024 * 1024);
    const frame = JSON.stringify({
      envelope_id: id,
      type: 'events_api',
      accepts_response_payload: false,
      payload: {
        type: 'event_callback',
        event_id: 'EvHUGE',
        team_id: 'T0LOCAL',
        event: { type: 'message', channel: 'D0ALICE', user: 'U0ALICE', ts: '1700000000.000001', text },
      },
    });
    const ack = await standin.socket.sendRaw(frame, id, 3_000);
    const after = memoryOf(pid);
    console.log(
      `30 MB envelope: RSS ${before.rssMb.toFixed(0)} → ${after.rssMb.toFixed(0)} MB, peak ${before.peakMb.toFixed(0)} → ${after.peakMb.toFixed(0)} MB`,
    );
    expect(after.peakMb - before.peakMb).toBeLessThan(20);
    expect(bot.child.exitCode).toBeNull();
    expect(ack.status).toBe(0); // never read, so never acknowledged
    await bot.waitForLog((l) => l.event === 'request_rejected' && l.reason === 'envelope_too_large', 5_000);
    // The client reconnects by itself (after its 5 s back-off) and answers again.
    const deadline = Date.now() + 15_000;
    while (
      Date.now() < deadline &&
      !(standin.socket.counts.connections > connectionsBefore && standin.socket.connections > 0)
    )
      await sleep(100);
    expect(standin.socket.counts.connections).toBeGreaterThan(connectionsBefore);
    const sent = await standin.sendMessage({ user: 'U0BOB', text: 'How do I deregister my ICP filing in Zhejiang?' });
    expect(sent.status).toBe(200);
    await waitPost((c) => c.args.channel === sent.channel, 10_000);
  }, 40_000);
});
