/**
 * Hand-off cases, in memory and in a real Redis: the same behaviour from both (found by id, by
 * its post's thread and by the asker's DM; taken once; closed once, ending what finds it), plus
 * each one's own limits (memory: entries and expiry; Redis: several instances, foreign keys).
 */
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { isCaseId, MemoryCaseStore, newCaseId, type CaseStore, type HandoffCase } from '../../src/slack/cases.js';
import { RedisCaseStore } from '../../src/slack/cases-redis.js';
import { createLogger } from '../../src/slack/log.js';
import { dropPrefix, REDIS_URL, redisForTests, testPrefix } from '../support/redis.js';

const hasRedis = await redisForTests();
const log = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DAY = 24 * 3600 * 1000;

let seq = 0;
function aCase(over: Partial<HandoffCase> = {}): HandoffCase {
  const n = ++seq;
  return {
    id: newCaseId(),
    asker: `UASKER${n}`,
    channel: `DASKER${n}`,
    threadTs: null,
    isDm: true,
    lang: 'zh',
    traditional: true,
    post: { channel: 'G0SUPPORT', ts: `1700000000.${String(n).padStart(6, '0')}` },
    postText: 'Question from <@UASKER>',
    postBlocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Question' } }],
    openedAt: 1,
    ...over,
  };
}

/** What both stores do alike. `make` gives a store; with Redis, each call another instance on one Redis. */
function behavesAsACaseStore(name: string, make: () => CaseStore, skip = false): void {
  describe.skipIf(skip)(`${name}: the case store`, () => {
    it('finds an open case by id, by its post’s thread and by the asker’s DM, as kept', async () => {
      const [a, b] = [make(), make()];
      const c = aCase();
      await a.open(c, DAY);
      expect(await b.get(c.id)).toEqual(c);
      expect(await b.byThread(c.post.channel, c.post.ts)).toEqual(c);
      expect(await b.byDm(c.channel)).toEqual(c);
      expect(await b.byThread(c.post.channel, '1.000001')).toBeUndefined();
      expect(await b.byDm('DNOBODY')).toBeUndefined();
      expect(await b.get(newCaseId())).toBeUndefined();
    });

    it('a case from a channel has no DM to be found by', async () => {
      const s = make();
      const c = aCase({ isDm: false, channel: 'C0GENERAL', threadTs: '1700000000.000001' });
      await s.open(c, DAY);
      expect(await s.byDm('C0GENERAL')).toBeUndefined();
      expect(await s.byThread(c.post.channel, c.post.ts)).toEqual(c);
    });

    it('is taken once, whoever asks and however often; everyone learns who has it', async () => {
      const stores = [make(), make()];
      const c = aCase();
      await stores[0]!.open(c, DAY);
      const tries = await Promise.all(
        ['UONE', 'UTWO', 'UONE', 'UTHREE'].map((u, i) => stores[i % 2]!.take(c.id, u, DAY)),
      );
      const first = tries.filter((r) => r?.first);
      expect(first).toHaveLength(1);
      const by = first[0]!.by;
      for (const r of tries) expect(r?.by).toBe(by);
      expect(await stores[1]!.take(c.id, 'UFOUR', DAY)).toEqual({ first: false, by });
    });

    it('is closed once; then nothing finds it, nobody can take it, and the relay ends', async () => {
      const [a, b] = [make(), make()];
      const c = aCase();
      await a.open(c, DAY);
      await a.take(c.id, 'UONE', DAY);
      const closed = await Promise.all([a.close(c), b.close(c), a.close(c)]);
      expect(closed.filter(Boolean)).toHaveLength(1);
      expect(await b.get(c.id)).toBeUndefined();
      expect(await b.byThread(c.post.channel, c.post.ts)).toBeUndefined();
      expect(await b.byDm(c.channel)).toBeUndefined();
      expect(await b.take(c.id, 'UTWO', DAY)).toBeNull();
    });

    it('a DM with a newer case keeps it when the older one is closed', async () => {
      const s = make();
      const older = aCase();
      const newer = aCase({ asker: older.asker, channel: older.channel });
      await s.open(older, DAY);
      await s.open(newer, DAY);
      expect((await s.byDm(older.channel))?.id).toBe(newer.id);
      expect(await s.close(older)).toBe(true);
      expect((await s.byDm(older.channel))?.id).toBe(newer.id);
      // The older case's thread no longer relays.
      expect(await s.byThread(older.post.channel, older.post.ts)).toBeUndefined();
    });
  });
}

describe('case ids', () => {
  it('are 16 characters of base64url, and nothing else passes for one', () => {
    const ids = new Set(Array.from({ length: 200 }, newCaseId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(isCaseId(id)).toBe(true);
    for (const bad of ['', 'short', 'a'.repeat(17), 'aaaaaaaaaaaaaaa:', '<!channel>aaaaaa', 5, null])
      expect(isCaseId(bad)).toBe(false);
  });
});

const memory = new MemoryCaseStore();
behavesAsACaseStore('in memory', () => memory);

describe('MemoryCaseStore: expiry and limits', () => {
  it('a case ends with its TTL (seven days in the bot), its thread and DM with it', async () => {
    let now = 0;
    const s = new MemoryCaseStore(() => now);
    const c = aCase();
    await s.open(c, 7 * DAY);
    now = 7 * DAY - 1;
    expect(await s.byDm(c.channel)).toEqual(c);
    now = 7 * DAY;
    expect(await s.byDm(c.channel)).toBeUndefined();
    expect(await s.byThread(c.post.channel, c.post.ts)).toBeUndefined();
    expect(await s.take(c.id, 'UONE', DAY)).toBeNull();
    expect(await s.close(c)).toBe(false);
  });

  it('holds at most `limit` cases, the oldest going first with its pointers', async () => {
    const s = new MemoryCaseStore(() => 0, 3);
    const cs = [aCase(), aCase(), aCase(), aCase()];
    for (const c of cs) await s.open(c, DAY);
    expect(s.size).toBe(3);
    expect(await s.get(cs[0]!.id)).toBeUndefined();
    expect(await s.byDm(cs[0]!.channel)).toBeUndefined();
    expect(await s.byThread(cs[0]!.post.channel, cs[0]!.post.ts)).toBeUndefined();
    expect(await s.get(cs[3]!.id)).toEqual(cs[3]);
  });
});

const prefix = testPrefix();
const opened: RedisCaseStore[] = [];
afterAll(async () => {
  for (const s of opened) s.disconnect();
  if (hasRedis) await dropPrefix(prefix);
});
behavesAsACaseStore(
  'in Redis (two instances)',
  () => {
    const s = new RedisCaseStore(REDIS_URL, log, prefix);
    opened.push(s);
    return s;
  },
  !hasRedis,
);

describe.skipIf(!hasRedis)('RedisCaseStore: expiry and what it trusts', () => {
  it('a case ends with its TTL, its pointers and its taker with it', async () => {
    const s = new RedisCaseStore(REDIS_URL, log, prefix);
    opened.push(s);
    const c = aCase();
    await s.open(c, 300);
    await s.take(c.id, 'UONE', 300);
    await sleep(400);
    expect(await s.get(c.id)).toBeUndefined();
    expect(await s.byDm(c.channel)).toBeUndefined();
    expect(await s.byThread(c.post.channel, c.post.ts)).toBeUndefined();
    expect(await s.take(c.id, 'UTWO', 300)).toBeNull();
  });

  it('ignores what is not a case (another program’s key, broken JSON, a pointer to junk)', async () => {
    const s = new RedisCaseStore(REDIS_URL, log, prefix);
    opened.push(s);
    const raw = new Redis(REDIS_URL);
    try {
      const junk = newCaseId();
      const broken = newCaseId();
      await raw.set(`${prefix}:case:id:${junk}`, JSON.stringify({ id: junk, asker: 5 }), 'PX', 5000);
      await raw.set(`${prefix}:case:id:${broken}`, '{not json', 'PX', 5000);
      await raw.set(`${prefix}:case:dm:DJUNK`, '../../etc', 'PX', 5000);
      expect(await s.get(junk)).toBeUndefined();
      expect(await s.get(broken)).toBeUndefined();
      expect(await s.byDm('DJUNK')).toBeUndefined();
      expect(await s.get('not-an-id')).toBeUndefined();
    } finally {
      raw.disconnect();
    }
  });

  it('refuses a case too large to keep', async () => {
    const s = new RedisCaseStore(REDIS_URL, log, prefix);
    opened.push(s);
    const huge = aCase({ postText: 'x'.repeat(70 * 1024) });
    await expect(s.open(huge, DAY)).rejects.toThrow(/too large/);
    expect(await s.get(huge.id)).toBeUndefined();
  });
});
