/**
 * "Have we seen this key recently?" — for Slack's retries (same event_id) and for a mention that
 * arrives both as `message` and `app_mention` (same channel + ts). Keys live at least `ttlMs`
 * (Slack retries for about 5 minutes) unless more than `maxKeys` arrive within that time, in which
 * case the oldest go first so memory stays bounded.
 */

export const DEDUPE_TTL_MS = 7 * 60 * 1000;
const DEDUPE_MAX_KEYS = 200_000;

export class SeenKeys {
  private readonly seen = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(opts: { ttlMs?: number; maxKeys?: number; now?: () => number } = {}) {
    this.ttlMs = opts.ttlMs ?? DEDUPE_TTL_MS;
    this.maxKeys = opts.maxKeys ?? DEDUPE_MAX_KEYS;
    this.now = opts.now ?? Date.now;
  }

  /** True when `key` was already recorded and is still fresh; records it otherwise. */
  checkAndAdd(key: string): boolean {
    const now = this.now();
    this.evict(now);
    const at = this.seen.get(key);
    if (at !== undefined && now - at < this.ttlMs) return true;
    this.seen.delete(key); // re-insert at the end so insertion order stays age order
    this.seen.set(key, now);
    if (this.seen.size > this.maxKeys) {
      const oldest = this.seen.keys().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    return false;
  }

  get size(): number {
    return this.seen.size;
  }

  /** Map iteration is insertion order = age order, so expired keys are all at the front. */
  private evict(now: number): void {
    for (const [key, at] of this.seen) {
      if (now - at < this.ttlMs) break;
      this.seen.delete(key);
    }
  }
}
