import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Standin, startStandin } from '../../src/standin/server.js';
import { SECRET, TOKEN, api } from './fake-bot.js';

let s: Standin;
beforeAll(async () => {
  s = await startStandin({ signingSecret: SECRET, botToken: TOKEN });
});
afterAll(() => s.close());
beforeEach(() => s.reset());

const post = (): ReturnType<typeof api> => api(s.apiUrl, 'chat.postMessage', { channel: 'C0GENERAL', text: 'x' });

describe('failure injection', () => {
  it('answers HTTP 500 the given number of times, then works again', async () => {
    s.fail('chat.postMessage', { times: 2, status: 500 });
    expect((await post()).status).toBe(500);
    expect((await post()).status).toBe(500);
    const ok = await post();
    expect(ok.status).toBe(200);
    expect(ok.json.ok).toBe(true);
    expect(s.callsOf('chat.postMessage').map((c) => c.injected ?? 'real')).toEqual([
      'status 500',
      'status 500',
      'real',
    ]);
  });

  it('answers 429 ratelimited with Retry-After', async () => {
    s.fail('chat.postMessage', { times: 1, error: 'ratelimited', retryAfter: 1 });
    const r = await post();
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(r.json).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('answers ok:false with the given error', async () => {
    s.fail('chat.postMessage', { times: 1, okFalse: 'internal_error' });
    const r = await post();
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ok: false, error: 'internal_error' });
  });

  it('fails only the named method, or any method with *', async () => {
    s.fail('chat.update', { times: 1, status: 503 });
    expect((await post()).status).toBe(200);
    s.fail('*', { times: 1, status: 502 });
    expect((await api(s.apiUrl, 'auth.test', {})).status).toBe(502);
  });

  it('delays one method without holding up the others', async () => {
    s.delay('chat.postMessage', 300);
    const order: string[] = [];
    const slow = post().then(() => order.push('postMessage'));
    const fast = api(s.apiUrl, 'auth.test', {}).then(() => order.push('auth.test'));
    await Promise.all([slow, fast]);
    expect(order).toEqual(['auth.test', 'postMessage']);
    s.delay('chat.postMessage', 0);
  });
});
