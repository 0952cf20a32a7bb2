/**
 * Hand-off cases in Redis, so Take it, Solved and the relay work whichever instance receives
 * them. A case is a JSON value under its id with the case's TTL; its thread and its DM point to
 * the id; who took it is its own key, set once (SET NX). Closing deletes the case key first: the
 * caller whose DEL removed it is the one that closed it.
 */
import { Redis } from 'ioredis';
import { isCaseId, threadKey, type CaseStore, type HandoffCase } from './cases.js';
import { whenReady } from './dispatcher-redis.js';
import type { Logger } from './log.js';

/** Beyond this a Redis call counts as failed: a reply must not hang on the store. */
const TIMEOUT_MS = 2_000;
/** A case holds its post's blocks (question ≤ 500 characters, answer ≤ 1,500): 64 KB is plenty. */
const MAX_CASE_BYTES = 64 * 1024;

/** The case, its thread's pointer and (from a DM) the DM's pointer, all with one TTL. */
const OPEN = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
if KEYS[3] then redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3]) end
return 1`;

/** The first taker's name is kept; everyone learns who it is. Only while the case is open. */
const TAKE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, ARGV[1]} end
return {0, redis.call('GET', KEYS[2])}`;

/** Closes once: the case key's DEL decides; the DM pointer goes only if it still names this case. */
const CLOSE = `
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
redis.call('DEL', KEYS[2], KEYS[3])
if KEYS[4] and redis.call('GET', KEYS[4]) == ARGV[1] then redis.call('DEL', KEYS[4]) end
return 1`;

export class RedisCaseStore implements CaseStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    log: Logger,
    private readonly prefix = 'icp',
  ) {
    this.redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: TIMEOUT_MS });
    this.redis.on('error', (err: Error) => log.warn({ event: 'redis_error', role: 'cases', reason: err.message }));
  }

  async open(c: HandoffCase, ttlMs: number): Promise<void> {
    const json = JSON.stringify(c);
    if (Buffer.byteLength(json) > MAX_CASE_BYTES) throw new Error('case too large to keep');
    const keys = [this.key('id', c.id), this.key('thread', threadKey(c.post.channel, c.post.ts))];
    if (c.isDm) keys.push(this.key('dm', c.channel));
    await this.ready();
    await this.redis.eval(OPEN, keys.length, ...keys, json, c.id, String(ttlMs));
  }

  async get(id: string): Promise<HandoffCase | undefined> {
    if (!isCaseId(id)) return undefined;
    await this.ready();
    return parseCase(await this.redis.get(this.key('id', id)));
  }

  async byThread(channel: string, ts: string): Promise<HandoffCase | undefined> {
    return this.pointed(this.key('thread', threadKey(channel, ts)));
  }

  async byDm(channel: string): Promise<HandoffCase | undefined> {
    return this.pointed(this.key('dm', channel));
  }

  async take(id: string, user: string, ttlMs: number): Promise<{ first: boolean; by: string } | null> {
    await this.ready();
    const res = (await this.redis.eval(TAKE, 2, this.key('id', id), this.key('taken', id), user, String(ttlMs))) as
      [number, string | null] | null;
    if (!Array.isArray(res)) return null;
    return { first: Number(res[0]) === 1, by: typeof res[1] === 'string' ? res[1] : '' };
  }

  async close(c: HandoffCase): Promise<boolean> {
    const keys = [
      this.key('id', c.id),
      this.key('thread', threadKey(c.post.channel, c.post.ts)),
      this.key('taken', c.id),
    ];
    if (c.isDm) keys.push(this.key('dm', c.channel));
    await this.ready();
    return Number(await this.redis.eval(CLOSE, keys.length, ...keys, c.id)) === 1;
  }

  /** Ends the connection (the bot stopping). */
  disconnect(): void {
    this.redis.disconnect();
  }

  private async pointed(pointer: string): Promise<HandoffCase | undefined> {
    await this.ready();
    const id = await this.redis.get(pointer);
    return id && isCaseId(id) ? this.get(id) : undefined;
  }

  private ready(): Promise<void> {
    return whenReady(this.redis, TIMEOUT_MS);
  }

  private key(kind: 'id' | 'thread' | 'dm' | 'taken', rest: string): string {
    return `${this.prefix}:case:${kind}:${rest}`;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** What another instance wrote is checked before it is trusted as a case. */
function parseCase(raw: string | null): HandoffCase | undefined {
  if (raw === null) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(v) || !isCaseId(v.id) || !isObject(v.post) || !Array.isArray(v.postBlocks)) return undefined;
  const ok =
    typeof v.asker === 'string' &&
    typeof v.postText === 'string' &&
    typeof v.channel === 'string' &&
    (v.threadTs === null || typeof v.threadTs === 'string') &&
    typeof v.isDm === 'boolean' &&
    (v.lang === 'en' || v.lang === 'zh') &&
    typeof v.post.channel === 'string' &&
    typeof v.post.ts === 'string' &&
    (v.qref === undefined || v.qref === null || typeof v.qref === 'string');
  return ok ? (v as unknown as HandoffCase) : undefined;
}
