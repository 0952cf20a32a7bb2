/**
 * Waiting questions and conversation contexts in Redis, so a province typed in a thread, a click
 * on a picker or a follow-up can reach any instance. Each entry is a JSON value with its TTL;
 * entries over `maxEntryBytes` are not kept, and an index of keys by age keeps at most
 * `entries` of them (the oldest go first), as the memory store does. Claims (one hand-off per
 * answer, one vote per person) and counters are plain keys with their TTL, outside the index.
 */
import { Redis } from 'ioredis';
import { whenReady } from './dispatcher-redis.js';
import type { Logger } from './log.js';
import type { ConversationContext, PendingQuestion, PendingStore } from './pending.js';

const REDIS_PENDING_LIMITS = Object.freeze({
  entries: 200_000,
  /** A waiting question keeps at most 2,000 characters of its text: 64 KB is plenty. */
  maxEntryBytes: 64 * 1024,
  /** Beyond this a Redis call counts as failed: a reply must not hang on the store. */
  timeoutMs: 2_000,
});

/** Sets the value with its TTL, indexes it by time, and trims the index to ARGV[4] entries (deleting those). */
const WRITE = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], KEYS[1])
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if over > 0 then
  local old = redis.call('ZRANGE', KEYS[2], 0, over - 1)
  for i, k in ipairs(old) do redis.call('DEL', k) end
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, over - 1)
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(ARGV[3]) - tonumber(ARGV[5]))
return 1`;

/** Adds one to KEYS[1]; the first hit starts its window of ARGV[1] ms. */
const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/** Takes one back from KEYS[1], keeping its TTL; a counter already gone stays gone. */
const UNHIT = `
if redis.call('EXISTS', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[1])) > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0`;

type PendingLimits = { readonly [K in keyof typeof REDIS_PENDING_LIMITS]: number };

export class RedisPendingStore implements PendingStore {
  private readonly redis: Redis;
  private readonly limits: PendingLimits;
  private readonly index: string;
  /** The longest TTL written, so index entries older than it can go. */
  private longestTtl = 24 * 3600 * 1000;

  constructor(
    url: string,
    log: Logger,
    private readonly prefix = 'icp',
    limits: Partial<PendingLimits> = {},
  ) {
    this.limits = { ...REDIS_PENDING_LIMITS, ...limits };
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: this.limits.timeoutMs,
    });
    this.redis.on('error', (err: Error) => log.warn({ event: 'redis_error', role: 'pending', reason: err.message }));
    this.index = `${prefix}:pending:index`;
  }

  async get(key: string): Promise<PendingQuestion | undefined> {
    const v = await this.read(key);
    return isPending(v) ? v : undefined;
  }

  async set(key: string, value: PendingQuestion, ttlMs: number): Promise<void> {
    await this.write(key, value, ttlMs);
  }

  async getContext(key: string): Promise<ConversationContext | undefined> {
    const v = await this.read(key);
    return isContext(v) ? v : undefined;
  }

  async setContext(key: string, value: ConversationContext, ttlMs: number): Promise<void> {
    await this.write(key, value, ttlMs);
  }

  async delete(key: string): Promise<void> {
    await whenReady(this.redis, this.limits.timeoutMs);
    const k = this.key(key);
    await this.redis.multi().del(k).zrem(this.index, k).exec();
  }

  /** SET NX with its TTL: exactly one caller, on any instance, marks a key. */
  async claim(key: string, ttlMs: number): Promise<boolean> {
    await whenReady(this.redis, this.limits.timeoutMs);
    return (await this.redis.set(this.key(key), '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async unclaim(key: string): Promise<void> {
    await whenReady(this.redis, this.limits.timeoutMs);
    await this.redis.del(this.key(key));
  }

  async hit(key: string, windowMs: number): Promise<number> {
    await whenReady(this.redis, this.limits.timeoutMs);
    return Number(await this.redis.eval(HIT, 1, this.key(key), String(windowMs)));
  }

  async unhit(key: string): Promise<void> {
    await whenReady(this.redis, this.limits.timeoutMs);
    await this.redis.eval(UNHIT, 1, this.key(key));
  }

  /** Entries in the index (for tests and the report). */
  async size(): Promise<number> {
    await whenReady(this.redis, this.limits.timeoutMs);
    return this.redis.zcard(this.index);
  }

  close(): void {
    this.redis.disconnect();
  }

  private key(key: string): string {
    return `${this.prefix}:pending:${key}`;
  }

  private async read(key: string): Promise<unknown> {
    await whenReady(this.redis, this.limits.timeoutMs);
    const raw = await this.redis.get(this.key(key));
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw);
    } catch {
      return undefined;
    }
  }

  private async write(key: string, value: PendingQuestion | ConversationContext, ttlMs: number): Promise<void> {
    const json = JSON.stringify(value);
    // A value too large to keep is not kept (the memory store does the same past its byte limit).
    if (Buffer.byteLength(json) > this.limits.maxEntryBytes) return this.delete(key);
    this.longestTtl = Math.max(this.longestTtl, ttlMs);
    await whenReady(this.redis, this.limits.timeoutMs);
    await this.redis.eval(
      WRITE,
      2,
      this.key(key),
      this.index,
      json,
      String(ttlMs),
      String(Date.now()),
      String(this.limits.entries),
      String(this.longestTtl),
    );
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** What another instance wrote is checked before it is trusted as a waiting question. */
function isPending(v: unknown): v is PendingQuestion {
  return (
    isObject(v) &&
    typeof v.ref === 'string' &&
    typeof v.user === 'string' &&
    typeof v.channel === 'string' &&
    isObject(v.understanding)
  );
}

function isContext(v: unknown): v is ConversationContext {
  return (
    isObject(v) &&
    !('ref' in v) &&
    typeof v.answeredAt === 'number' &&
    (v.understanding === undefined || isObject(v.understanding))
  );
}
