/**
 * A look-up kept for a while: one call per key shared by everyone who asks meanwhile, kept `ttlMs`
 * (only `failedTtlMs` when the look-up said it failed), for at most `maxEntries` keys, the oldest
 * dropped first. Serves users.info (agents.ts) and usergroups.users.list (members.ts). `peek`
 * answers at once from what is already known, for a reply that must not wait for a look-up.
 */
export interface LookupCacheOptions<V> {
  ttlMs: number;
  failedTtlMs: number;
  maxEntries: number;
  now: () => number;
  /** Looks `key` up; calls `failed()` when the answer is only a stand-in for one it could not get. */
  load: (key: string, failed: () => void) => Promise<V>;
}

interface Entry<V> {
  value: Promise<V>;
  until: number;
  /** Set once `value` has settled. */
  settled?: { value: V };
}

export class LookupCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly opts: LookupCacheOptions<V>) {}

  get(key: string): Promise<V> {
    const { now, ttlMs, failedTtlMs, maxEntries, load } = this.opts;
    const hit = this.entries.get(key);
    if (hit && hit.until > now()) return hit.value;
    this.entries.delete(key);
    if (this.entries.size >= maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const entry: Entry<V> = { value: Promise.resolve(undefined as V), until: now() + ttlMs };
    entry.value = load(key, () => {
      entry.until = now() + failedTtlMs;
    });
    void entry.value.then(
      (value) => {
        entry.settled = { value };
      },
      () => undefined,
    );
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The value for `key` if a look-up has settled and is still fresh; undefined otherwise (it asks nothing). */
  peek(key: string): V | undefined {
    const hit = this.entries.get(key);
    return hit?.settled && hit.until > this.opts.now() ? hit.settled.value : undefined;
  }
}
