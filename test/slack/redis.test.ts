/**
 * The Redis dispatcher and store against a real Redis (test/support/redis.ts): repeats recognised
 * across instances, a mention's twin run once, a job whose turn threw tried again, a finished job
 * never run twice, 503 material when Redis is away; waiting questions shared, bounded and checked.
 */
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RedisDispatcher } from '../../src/slack/dispatcher-redis.js';
import { fromEventBody, type Inbound } from '../../src/slack/inbound.js';
import { createLogger } from '../../src/slack/log.js';
import type { ConversationContext } from '../../src/slack/pending.js';
import { RedisPendingStore } from '../../src/slack/pending-redis.js';
import { madeQuestion, understanding } from '../support/made.js';
import { dropPrefix, privateRedis, REDIS_URL, redisForTests, testPrefix } from '../support/redis.js';

const hasRedis = await redisForTests();
const log = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let seq = 0;
/** A DM event as the receiver hands it over; `twin` makes the app_mention of the same message. */
function event(opts: { eventId?: string; ts?: string; twin?: boolean } = {}): Inbound {
  const ts = opts.ts ?? `1700000000.${String(++seq).padStart(6, '0')}`;
  const body = {
    type: 'event_callback',
    team_id: 'T1',
    event_id: opts.eventId ?? `Ev${seq}-${Math.random().toString(36).slice(2)}`,
    event: { type: opts.twin ? 'app_mention' : 'message', channel: 'C1', user: 'U1', text: '<@UBOT> hi', ts },
  };
  const parsed = fromEventBody(body, performance.now());
  if (!parsed.ok || !parsed.inbound) throw new Error('bad test event');
  return parsed.inbound;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dispatcher(prefix: string, url = REDIS_URL, work = true): RedisDispatcher {
  const d = new RedisDispatcher({
    url,
    log,
    prefix,
    work,
    limits: { lockDurationMs: 2000, stalledIntervalMs: 1000, backoffMs: 50 },
  });
  cleanups.push(() => d.stop(2000));
  return d;
}

function waitFor(pred: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () =>
      pred() ? resolve() : Date.now() > deadline ? reject(new Error('timed out')) : setTimeout(tick, 20);
    tick();
  });
}

describe.skipIf(!hasRedis)('RedisDispatcher on a real Redis', () => {
  const prefixes: string[] = [];
  const fresh = () => {
    const p = testPrefix();
    prefixes.push(p);
    return p;
  };
  afterAll(async () => {
    for (const p of prefixes) await dropPrefix(p);
  });

  it('a retry that reaches another instance is a duplicate, and the event runs once', async () => {
    const prefix = fresh();
    const a = dispatcher(prefix);
    const b = dispatcher(prefix);
    const ran: string[] = [];
    const run = async (i: Inbound) => void ran.push(i.kind === 'event' ? String(i.eventId) : i.kind);
    a.start(run);
    b.start(run);
    const e = event();
    expect(await a.accept(e)).toBe('accepted');
    expect(await b.accept(e)).toBe('duplicate');
    expect(await a.accept(e)).toBe('duplicate');
    await waitFor(() => ran.length === 1);
    await sleep(300);
    expect(ran).toEqual([e.kind === 'event' ? e.eventId : '']);
  });

  it("a mention's twin (message and app_mention) is answered once, whichever instance runs which", async () => {
    const prefix = fresh();
    const a = dispatcher(prefix);
    const b = dispatcher(prefix);
    const ran: string[] = [];
    a.start(async (i) => void ran.push(`a:${i.kind === 'event' ? String(i.event.type) : ''}`));
    b.start(async (i) => void ran.push(`b:${i.kind === 'event' ? String(i.event.type) : ''}`));
    const ts = '1700000001.000001';
    expect(await a.accept(event({ ts }))).toBe('accepted');
    expect(await b.accept(event({ ts, twin: true }))).toBe('accepted');
    await sleep(800);
    expect(ran).toHaveLength(1);
  });

  it('only enqueues with work=false (ICP_ROLE=web); a worker elsewhere answers', async () => {
    const prefix = fresh();
    const web = dispatcher(prefix, REDIS_URL, false);
    const worker = dispatcher(prefix);
    const ran: string[] = [];
    web.start(async () => void ran.push('web'));
    worker.start(async () => void ran.push('worker'));
    expect(await web.accept(event())).toBe('accepted');
    await waitFor(() => ran.length === 1);
    expect(ran).toEqual(['worker']);
  });

  it('tries a turn that threw again, and never runs a finished one twice', async () => {
    const prefix = fresh();
    const d = dispatcher(prefix);
    let tries = 0;
    d.start(async () => {
      tries++;
      if (tries === 1) throw new Error('Web API down');
    });
    const e = event();
    expect(await d.accept(e)).toBe('accepted');
    await waitFor(() => tries === 2);
    await sleep(300);
    expect(tries).toBe(2);
    // Slack's retry after the turn finished: a duplicate, not a third run.
    expect(await d.accept(e)).toBe('duplicate');
    await sleep(300);
    expect(tries).toBe(2);
  });

  it('a dead worker’s job is taken over by another instance', async () => {
    const prefix = fresh();
    const dying = dispatcher(prefix);
    let started = 0;
    let answered = 0;
    // The first worker takes the job and never finishes it (as if the process froze or died).
    dying.start(() => {
      started++;
      return new Promise<void>(() => undefined);
    });
    expect(await dying.accept(event())).toBe('accepted');
    await waitFor(() => started === 1);
    // Its Redis connections go, so its lock is not renewed: the job stalls and is moved back.
    await (dying as unknown as { worker: { close(force: boolean): Promise<void> } }).worker.close(true);
    const taker = dispatcher(prefix);
    taker.start(async () => void answered++);
    await waitFor(() => answered === 1, 10_000);
  });

  it('answers "unavailable" within the enqueue timeout when Redis does not answer', async () => {
    const redis = await privateRedis();
    const d = dispatcher(fresh(), redis.url);
    expect(await d.accept(event())).toBe('accepted');
    await redis.stop();
    const t = performance.now();
    expect(await d.accept(event())).toBe('unavailable');
    expect(performance.now() - t).toBeLessThan(2500);
    expect(await d.ping()).toBe(false);
    await redis.start();
    // Back: it takes requests again once reconnected.
    expect(await untilAccepted(d)).toBe('accepted');
    cleanups.push(() => redis.stop());
  });

  it('recovers when its first request came as Redis went down (BullMQ keeps that first error otherwise)', async () => {
    const redis = await privateRedis();
    cleanups.push(() => redis.stop());
    const d = dispatcher(fresh(), redis.url);
    expect(await d.ping()).toBe(true);
    // Down before the first request: the queue is made while the connection is failing.
    const stopped = redis.stop();
    expect(await d.accept(event())).toBe('unavailable');
    await stopped;
    expect(await d.accept(event())).toBe('unavailable');
    await redis.start();
    expect(await untilAccepted(d)).toBe('accepted');
  });
});

/** Offers new events until one is accepted (Redis back and reconnected), for at most 8 s. */
async function untilAccepted(d: { accept: (i: ReturnType<typeof event>) => Promise<string> }): Promise<string> {
  const deadline = Date.now() + 8000;
  let got = await d.accept(event());
  while (got !== 'accepted' && Date.now() < deadline) {
    await sleep(200);
    got = await d.accept(event());
  }
  return got;
}

describe.skipIf(!hasRedis)('RedisPendingStore on a real Redis', () => {
  const prefix = testPrefix();
  afterAll(() => dropPrefix(prefix));
  const store = (limits = {}) => {
    const s = new RedisPendingStore(REDIS_URL, log, prefix, limits);
    cleanups.push(async () => s.close());
    return s;
  };
  const q = madeQuestion;

  it('one instance sets, another gets, until the TTL passes', async () => {
    const a = store();
    const b = store();
    const value = q('a1', { understanding: understanding('deregister', { candidates: ['shanxi', 'shaanxi'] }) });
    await a.set('ref:a1', value, 400);
    expect(await b.get('ref:a1')).toEqual(value);
    await sleep(500);
    expect(await b.get('ref:a1')).toBeUndefined();
  });

  it('contexts and questions never stand for each other; delete removes', async () => {
    const s = store();
    const ctx: ConversationContext = {
      understanding: understanding('deregister', { province: 'zhejiang' }),
      answeredAt: 1,
    };
    await s.setContext('ctx:dm:D1', ctx, 5000);
    await s.set('ref:x', q('x'), 5000);
    expect(await s.getContext('ctx:dm:D1')).toEqual(ctx);
    expect(await s.get('ctx:dm:D1')).toBeUndefined();
    expect(await s.getContext('ref:x')).toBeUndefined();
    await s.delete('ref:x');
    expect(await s.get('ref:x')).toBeUndefined();
  });

  it('keeps at most `entries`, dropping the oldest, and never an entry over the byte limit', async () => {
    const p2 = testPrefix();
    cleanups.push(() => dropPrefix(p2));
    const s = new RedisPendingStore(REDIS_URL, log, p2, { entries: 3, maxEntryBytes: 2000 });
    cleanups.push(async () => s.close());
    for (const r of ['r1', 'r2', 'r3', 'r4']) await s.set(`ref:${r}`, q(r), 5000);
    expect(await s.get('ref:r1')).toBeUndefined();
    expect(await s.get('ref:r4')).toBeDefined();
    expect(await s.size()).toBe(3);
    await s.set('ref:big', q('big', { understanding: understanding('deregister', { text: '浙'.repeat(3000) }) }), 5000);
    expect(await s.get('ref:big')).toBeUndefined();
  });

  it('ignores what is not a waiting question (another program’s key, broken JSON)', async () => {
    const s = store();
    const raw = new Redis(REDIS_URL);
    cleanups.push(async () => raw.disconnect());
    await raw.set(`${prefix}:pending:ref:junk`, '{"ref": 5}', 'PX', 5000);
    await raw.set(`${prefix}:pending:ref:broken`, '{not json', 'PX', 5000);
    expect(await s.get('ref:junk')).toBeUndefined();
    expect(await s.get('ref:broken')).toBeUndefined();
  });

  it('a claim is taken once across instances (SET NX), until its TTL passes or it is given back', async () => {
    const a = store();
    const b = store();
    const taken = await Promise.all([a, b, a, b, a, b].map((s) => s.claim('handoff:x', 400)));
    expect(taken.filter(Boolean)).toHaveLength(1);
    await b.unclaim('handoff:x');
    expect(await a.claim('handoff:x', 400)).toBe(true);
    expect(await b.claim('handoff:x', 400)).toBe(false);
    await sleep(500);
    expect(await b.claim('handoff:x', 400)).toBe(true);
    // Outside the index of waiting questions.
    expect(await a.get('handoff:x')).toBeUndefined();
  });

  it('a counter is shared and lives its window from the first hit', async () => {
    const a = store();
    const b = store();
    const counts = await Promise.all([a, b, a, b, a].map((s) => s.hit('handoffs:U1', 400)));
    expect(counts.sort()).toEqual([1, 2, 3, 4, 5]);
    await sleep(500);
    expect(await b.hit('handoffs:U1', 400)).toBe(1);
  });

  it('unhit takes one back on any instance, keeps the window and never goes below zero', async () => {
    const a = store();
    const b = store();
    expect(await a.hit('handoffs:U2', 400)).toBe(1);
    expect(await b.hit('handoffs:U2', 400)).toBe(2);
    await b.unhit('handoffs:U2');
    expect(await a.hit('handoffs:U2', 400)).toBe(2);
    await Promise.all([a, b, a, b].map((s) => s.unhit('handoffs:U2')));
    expect(await a.hit('handoffs:U2', 400)).toBe(1);
    await sleep(500);
    // Gone with its window: an unhit does not bring it back.
    await a.unhit('handoffs:U2');
    await a.unhit('handoffs:none');
    expect(await b.hit('handoffs:U2', 400)).toBe(1);
  });
});
