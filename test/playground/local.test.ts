/**
 * Local mode without a browser: the page server (static files, loopback-only, refusing cross-site
 * writes), the real path through the stand-in to the bot and back, and `npm start`'s mode switch.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Playground, startPlayground } from '../../src/playground/local.js';
import { isAllowedWrite, isLoopbackHost } from '../../src/playground/web.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request, so the Host and Origin headers are exactly what the test says. */
function request(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: `localhost:${port}`, ...opts.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const json = { 'content-type': 'application/json' };

interface StateMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text: string;
  blocks?: unknown[];
  ephemeral: boolean;
}

async function waitForMessage(
  port: number,
  pred: (m: StateMessage) => boolean,
  timeoutMs = 10_000,
): Promise<StateMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = JSON.parse((await request(port, '/_standin/state')).body) as { messages: StateMessage[] };
    const found = state.messages.find(pred);
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`no such message; have:\n${JSON.stringify(state.messages, null, 1).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('host and origin checks', () => {
  it('serves loopback names only', () => {
    expect(isLoopbackHost('localhost:3000')).toBe(true);
    expect(isLoopbackHost('127.0.0.1:3000')).toBe(true);
    expect(isLoopbackHost('[::1]:3000')).toBe(true);
    expect(isLoopbackHost('evil.example:3000')).toBe(false);
    expect(isLoopbackHost('localhost.evil.example')).toBe(false);
    expect(isLoopbackHost(undefined)).toBe(false);
  });
  it('writes only as JSON from the same origin (or no Origin)', () => {
    expect(
      isAllowedWrite({ host: 'localhost:3000', origin: 'http://localhost:3000', 'content-type': 'application/json' }),
    ).toBe(true);
    expect(isAllowedWrite({ host: 'localhost:3000', 'content-type': 'application/json; charset=utf-8' })).toBe(true);
    expect(
      isAllowedWrite({ host: 'localhost:3000', origin: 'http://evil.example', 'content-type': 'application/json' }),
    ).toBe(false);
    expect(
      isAllowedWrite({ host: 'localhost:3000', origin: 'http://localhost:4000', 'content-type': 'application/json' }),
    ).toBe(false);
    expect(isAllowedWrite({ host: 'localhost:3000', origin: 'null', 'content-type': 'application/json' })).toBe(false);
    expect(isAllowedWrite({ host: 'localhost:3000', 'content-type': 'text/plain' })).toBe(false);
  });
});

describe('local playground in Socket Mode (PLAYGROUND_TRANSPORT=socket)', () => {
  it('the bot connects over the socket and answers a DM typed on the page', async () => {
    const started = await startPlayground({ PORT: '0', LOG_LEVEL: 'silent', PLAYGROUND_TRANSPORT: 'socket' });
    if (!started.ok) throw new Error(started.message);
    try {
      expect(started.playground.transport).toBe('socket');
      const port = started.playground.port;
      const sent = await request(port, '/_standin/messages', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ channel: 'D0LOCAL', text: '广东备案怎么注销' }),
      });
      expect(JSON.parse(sent.body)).toMatchObject({ ok: true, status: 200 });
      await waitForMessage(port, (m) => m.channel === 'D0LOCAL' && m.bot_id !== undefined && m.text.includes('广东'));
    } finally {
      await started.playground.stop();
    }
  });

  it('refuses an unknown transport, naming the setting', async () => {
    const started = await startPlayground({ PORT: '0', LOG_LEVEL: 'silent', PLAYGROUND_TRANSPORT: 'carrier-pigeon' });
    expect(started).toMatchObject({
      ok: false,
      message: expect.stringContaining('PLAYGROUND_TRANSPORT must be one of http, socket'),
    });
  });
});

describe('local playground (in process)', () => {
  let pg: Playground;
  let port: number;

  beforeAll(async () => {
    const started = await startPlayground({ PORT: '0', LOG_LEVEL: 'silent' });
    if (!started.ok) throw new Error(started.message);
    pg = started.playground;
    port = pg.port;
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it('serves the page and its scripts from the source folder, with a strict CSP', async () => {
    const page = await request(port, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<script type="module" src="app.js"></script>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const js = await request(port, '/blockkit.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toContain('export function mrkdwnToHtml');
  });

  it('serves nothing else: no type files, no paths out of the folder', async () => {
    for (const path of [
      '/blockkit.d.ts',
      '/../../package.json',
      '/%2e%2e/%2e%2e/package.json',
      '/.env',
      '/nope.html',
    ]) {
      expect((await request(port, path)).status, path).toBe(404);
    }
  });

  it('refuses other Host names and cross-site writes', async () => {
    expect((await request(port, '/', { headers: { host: 'evil.example' } })).status).toBe(421);
    const body = JSON.stringify({ text: 'hi' });
    expect(
      (
        await request(port, '/_standin/messages', {
          method: 'POST',
          headers: { ...json, origin: 'http://evil.example' },
          body,
        })
      ).status,
    ).toBe(403);
    expect(
      (await request(port, '/_standin/messages', { method: 'POST', headers: { 'content-type': 'text/plain' }, body }))
        .status,
    ).toBe(403);
  });

  it('a DM typed on the page reaches the bot and its answer comes back', async () => {
    const sent = await request(port, '/_standin/messages', {
      method: 'POST',
      headers: { ...json, origin: `http://localhost:${port}` },
      body: JSON.stringify({ channel: 'D0LOCAL', text: 'How do I deregister in Zhejiang?' }),
    });
    expect(JSON.parse(sent.body)).toMatchObject({ ok: true, status: 200 });
    const reply = await waitForMessage(
      port,
      (m) => m.channel === 'D0LOCAL' && m.bot_id !== undefined && m.text.includes('Zhejiang'),
    );
    expect(reply.ephemeral).toBe(false);
    const blocks = JSON.stringify(reply.blocks);
    expect(blocks).toContain('icp_plain_text');
    // Today's route up front; the archived seed address never in the answer. You are an agent, not
    // known yet when the answer went: the agent material follows, only to you.
    expect(blocks).toContain('https://beian.miit.gov.cn');
    expect(blocks).not.toContain('miitbeian.gov.cn');
    expect(blocks).not.toContain('icp_for_agents');
    const material = await waitForMessage(port, (m) => m.ephemeral && m.channel === 'D0LOCAL');
    expect(material.text).toMatch(/^For agents only/);
    expect(JSON.stringify(material.blocks)).toContain('miitbeian.gov.cn');
    // Known now: the next answer offers For agents itself.
    await request(port, '/_standin/messages', {
      method: 'POST',
      headers: { ...json, origin: `http://localhost:${port}` },
      body: JSON.stringify({ channel: 'D0LOCAL', text: 'How do I deregister in Guangdong?' }),
    });
    const next = await waitForMessage(
      port,
      (m) => m.channel === 'D0LOCAL' && m.bot_id !== undefined && m.text.includes('Guangdong'),
    );
    expect(JSON.stringify(next.blocks)).toContain('icp_for_agents');
  });

  it('a click on the page is a signed block_actions the bot answers (plain text, only to you)', async () => {
    const answer = await waitForMessage(
      port,
      (m) => m.channel === 'D0LOCAL' && m.bot_id !== undefined && m.text.includes('Zhejiang'),
    );
    const clicked = await request(port, '/_standin/actions', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ channel: 'D0LOCAL', message_ts: answer.ts, action_id: 'icp_plain_text' }),
    });
    expect(JSON.parse(clicked.body)).toMatchObject({ ok: true, status: 200 });
    const plain = await waitForMessage(
      port,
      (m) => m.ephemeral && m.channel === 'D0LOCAL' && !/^For agents only/.test(m.text),
    );
    const text = JSON.stringify(plain.blocks);
    expect(text).toContain('https://beian.miit.gov.cn/#/Integrated/notice_list');
    // The customer's text never carries the archived address or the source's vendor.
    expect(text).not.toContain('miitbeian');
    expect(text).not.toContain('JD Cloud');
  });

  it('opens the Home tab: the bot publishes it, the page reads it', async () => {
    const opened = await request(port, '/_standin/home', { method: 'POST', headers: json, body: '{}' });
    expect(JSON.parse(opened.body)).toMatchObject({ ok: true, status: 200 });
    let blocks: unknown = null;
    for (let i = 0; i < 50 && !blocks; i++) {
      blocks = (JSON.parse((await request(port, '/_standin/home')).body) as { blocks: unknown }).blocks;
      if (!blocks) await new Promise((r) => setTimeout(r, 50));
    }
    expect(JSON.stringify(blocks)).toContain('/icp');
    // An example pressed on the Home tab is answered in the DM, the question quoted above it.
    const pressed = await request(port, '/_standin/home/actions', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ action_id: 'icp_home_example:zh:0' }),
    });
    expect(JSON.parse(pressed.body)).toMatchObject({ ok: true, status: 200 });
    const quoted = await waitForMessage(port, (m) => m.channel === 'D0LOCAL' && /浙江的备案怎么注销/.test(m.text));
    expect(quoted.text).toContain('>浙江的备案怎么注销？');
    await waitForMessage(port, (m) => m.channel === 'D0LOCAL' && /浙江：注销ICP备案/.test(m.text));
  });

  it('the message shortcut answers a channel message privately, with "Post in thread"', async () => {
    const sent = await request(port, '/_standin/messages', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ channel: 'C0GENERAL', text: 'forgot our 备案密码' }),
    });
    const ts = (JSON.parse(sent.body) as { ts: string }).ts;
    const picked = await request(port, '/_standin/shortcuts', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ channel: 'C0GENERAL', message_ts: ts }),
    });
    expect(JSON.parse(picked.body)).toMatchObject({ ok: true, status: 200 });
    const reply = await waitForMessage(
      port,
      (m) => m.ephemeral && m.channel === 'C0GENERAL' && JSON.stringify(m.blocks).includes('icp_post_in_thread'),
    );
    expect(reply.text).toMatch(/password|密码/i);
  });

  it('passes the live event stream through', async () => {
    const events = await new Promise<string>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port, path: '/_standin/events', headers: { host: `localhost:${port}` } },
        (res) => {
          expect(res.headers['content-type']).toContain('text/event-stream');
          let seen = '';
          res.on('data', (d: Buffer) => {
            seen += d.toString('utf8');
            if (seen.includes('event: message')) {
              req.destroy();
              resolve(seen);
            }
          });
          void request(port, '/_standin/messages', {
            method: 'POST',
            headers: json,
            body: JSON.stringify({ channel: 'C0GENERAL', text: 'hello channel' }),
          });
        },
      );
      req.on('error', reject);
    });
    expect(events).toContain('hello channel');
  });

  it('listens on loopback only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!external) return; // A machine with loopback only has nothing else to listen on.
    const reached = await new Promise<boolean>((resolve) => {
      const s = connect(port, external.address);
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    expect(reached).toBe(false);
  });
});

describe('npm start: which mode', () => {
  function run(
    env: Record<string, string>,
    untilText?: string,
    cwd = ROOT,
  ): Promise<{ code: number | null; out: string }> {
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('SLACK_')) clean[k] = v;
    // Empty values keep a developer's .env from filling them in (dotenv never overrides).
    const child = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
      cwd,
      env: { ...clean, SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let signalled = false;
    const onData = (d: Buffer): void => {
      out += d.toString('utf8');
      // Once: a second SIGTERM can land while Node is exiting, after it restored the default handler.
      if (untilText && !signalled && out.includes(untilText)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
  }

  it('no Slack settings → the playground, printing its URL and how to switch; SIGTERM stops it with 0', async () => {
    const { code, out } = await run({}, 'Ctrl+C stops.');
    expect(out).toMatch(/Open http:\/\/localhost:\d+\//);
    expect(out).toContain('SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET');
    // It says which mode it started and why.
    expect(out).toContain(
      `starting the local playground: no SLACK_BOT_TOKEN or SLACK_SIGNING_SECRET in the environment or in ${join(ROOT, '.env')}`,
    );
    expect(code).toBe(0);
  });

  it('reads .env next to package.json, not from the working directory', async () => {
    // A .env in the working directory (a service unit's /, someone's home) is not the project's.
    const elsewhere = mkdtempSync(join(tmpdir(), 'icp-cwd-'));
    writeFileSync(join(elsewhere, '.env'), 'SLACK_BOT_TOKEN=xoxb-1-2-fromcwd\nSLACK_SIGNING_SECRET=fromcwd\n');
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('SLACK_')) clean[k] = v;
    const child = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
      cwd: elsewhere,
      env: { ...clean, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    await new Promise<void>((resolve) => {
      const onData = (d: Buffer) => {
        out += d.toString('utf8');
        if (out.includes('Ctrl+C stops.') || out.includes('"event":"mode"')) {
          child.kill('SIGTERM');
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', () => resolve());
    });
    rmSync(elsewhere, { recursive: true, force: true });
    if (existsSync(join(ROOT, '.env'))) return; // a developer's own .env decides here; nothing to compare
    expect(out).toContain('starting the local playground');
    expect(out).not.toContain('fromcwd');
  });

  it('some but not all → the message naming what is missing, exit 2', async () => {
    const onlyToken = await run({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' });
    expect(onlyToken.code).toBe(2);
    expect(onlyToken.out).toContain('SLACK_SIGNING_SECRET is not set');
    expect(onlyToken.out).not.toContain('SLACK_BOT_TOKEN is not set');
    expect(onlyToken.out).not.toContain('playground');
    const onlySecret = await run({ SLACK_SIGNING_SECRET: 'abc' });
    expect(onlySecret.code).toBe(2);
    expect(onlySecret.out).toContain('SLACK_BOT_TOKEN is not set');
  });
});
