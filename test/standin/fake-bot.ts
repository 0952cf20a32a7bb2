/** A tiny HTTP server that records what the stand-in sends it, standing in for the bot in stand-in tests. */
import http from 'node:http';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type Standin, startStandin } from '../../src/standin/server.js';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
}

export interface FakeBot {
  url: string;
  received: Received[];
  /** Resolves with the next request (or one already received beyond `seen`). */
  next(seen?: number): Promise<Received>;
  /** What to answer; default 200 with an empty body. */
  respond: (r: Received) => { status: number; body: string; contentType?: string };
  close(): Promise<void>;
}

export async function startFakeBot(): Promise<FakeBot> {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const bot: FakeBot = {
    url: '',
    received,
    respond: () => ({ status: 200, body: '' }),
    next(seen = received.length) {
      return new Promise((resolve) => {
        const check = (): void => {
          const r = received[seen];
          if (r) resolve(r);
          else waiters.push(check);
        };
        check();
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks) };
      received.push(r);
      const answer = bot.respond(r);
      res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json' });
      res.end(answer.body);
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  bot.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  const close = bot.close;
  bot.close = () => {
    server.closeAllConnections();
    return close();
  };
  return bot;
}

/** Parses what the stand-in sent: JSON envelopes, `payload=` interaction forms, or slash command forms. */
export function bodyOf(r: Received): Record<string, unknown> {
  const text = r.raw.toString('utf8');
  if (String(r.headers['content-type']).includes('application/json'))
    return JSON.parse(text) as Record<string, unknown>;
  const form = new URLSearchParams(text);
  const payload = form.get('payload');
  if (payload !== null) return JSON.parse(payload) as Record<string, unknown>;
  return Object.fromEntries(form);
}

/** Calls the stand-in's Web API like a bot would. */
export async function api(
  apiUrl: string,
  method: string,
  args: Record<string, unknown>,
  opts: { token?: string | null; form?: boolean } = {},
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? TOKEN}`;
  let body: string;
  if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(args)) form.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    body = form.toString();
  } else {
    headers['content-type'] = 'application/json; charset=utf-8';
    body = JSON.stringify(args);
  }
  const res = await fetch(`${apiUrl}${method}`, { method: 'POST', headers, body });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

export const TOKEN = 'xoxb-standin-test-token';
export const SECRET = 'standin-test-signing-secret';

/**
 * The setup every stand-in contract test shares: a fake bot and a stand-in pointed at it for the
 * file, and before each test no recorded calls, no messages, nothing received, a plain 200 reply.
 * Read `bot` and `s` inside tests and hooks (they are set once the file's beforeAll ran).
 */
export function useStandinWithFakeBot(): { bot: FakeBot; s: Standin } {
  const env = {} as { bot: FakeBot; s: Standin };
  beforeAll(async () => {
    env.bot = await startFakeBot();
    env.s = await startStandin({
      signingSecret: SECRET,
      botToken: TOKEN,
      botUrl: env.bot.url,
      allowedOrigins: ['http://localhost:3000'],
    });
  });
  afterAll(async () => {
    await env.s.close();
    await env.bot.close();
  });
  beforeEach(() => {
    env.s.reset();
    env.s.clearMessages();
    env.bot.received.length = 0;
    env.bot.respond = () => ({ status: 200, body: '' });
  });
  return env;
}
