import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MEMORY_LIMITS,
  MemoryPendingStore,
  contextKey,
  conversationKey,
  newRef,
  refKey,
  type ConversationContext,
} from '../../src/slack/pending.js';
import type { Understanding } from '../../src/types.js';
import { madeQuestion, understanding } from '../support/made.js';

const u = (over: Partial<Understanding> = {}): Understanding =>
  understanding('deregister', { text: 'deregister', ...over });

const q = madeQuestion;

const c = (province: string, answeredAt = 0): ConversationContext => ({ understanding: u({ province }), answeredAt });

/** What one entry costs against the byte limit, measured on a store of its own. */
async function costOf(set: (s: MemoryPendingStore) => Promise<void>): Promise<number> {
  const s = new MemoryPendingStore(() => 0);
  await set(s);
  return s.bytes;
}

describe('MemoryPendingStore: pending questions', () => {
  it('gets what was set, as set, until the TTL passes, then nothing', async () => {
    let now = 0;
    const store = new MemoryPendingStore(() => now);
    const value = q('a', { understanding: u({ candidates: ['shanxi', 'shaanxi'] }) });
    await store.set('ref:a', value, 1000);
    expect(await store.get('ref:a')).toEqual(value);
    now = 999;
    expect(await store.get('ref:a')).toBeDefined();
    now = 1000;
    expect(await store.get('ref:a')).toBeUndefined();
    // An expired entry is gone for good, and no longer counted.
    expect(store.size).toBe(0);
    expect(store.bytes).toBe(0);
    now = 0;
    expect(await store.get('ref:a')).toBeUndefined();
  });

  it('a set replaces the value and its TTL; delete removes it (and deleting nothing is fine)', async () => {
    let now = 0;
    const store = new MemoryPendingStore(() => now);
    await store.set('k', q('a'), 1000);
    now = 900;
    await store.set('k', q('b'), 1000);
    now = 1500;
    expect((await store.get('k'))?.ref).toBe('b');
    expect(store.size).toBe(1);
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
    await store.delete('k');
    await store.delete('never');
    expect(store.size).toBe(0);
    expect(store.bytes).toBe(0);
  });
});

describe('MemoryPendingStore: conversation contexts', () => {
  it('gets what was set until the TTL passes, then nothing', async () => {
    let now = 0;
    const store = new MemoryPendingStore(() => now);
    await store.setContext('ctx:dm:D1', c('zhejiang', 5), 500);
    expect(await store.getContext('ctx:dm:D1')).toEqual(c('zhejiang', 5));
    now = 499;
    expect((await store.getContext('ctx:dm:D1'))?.understanding?.province).toBe('zhejiang');
    now = 500;
    expect(await store.getContext('ctx:dm:D1')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('getContext never returns a pending question, and get never a context', async () => {
    const store = new MemoryPendingStore(() => 0);
    await store.set('k1', q('a'), 1000);
    await store.setContext('k2', c('zhejiang'), 1000);
    expect(await store.getContext('k1')).toBeUndefined();
    expect(await store.get('k2')).toBeUndefined();
    expect((await store.get('k1'))?.ref).toBe('a');
    expect((await store.getContext('k2'))?.understanding?.province).toBe('zhejiang');
    // One key holds one thing: a context written over a question replaces it.
    await store.setContext('k1', c('guangxi'), 1000);
    expect(await store.get('k1')).toBeUndefined();
    expect((await store.getContext('k1'))?.understanding?.province).toBe('guangxi');
    expect(store.size).toBe(2);
  });
});

describe('MemoryPendingStore: limits', () => {
  it('keeps at most `entries` entries, dropping the oldest of both kinds', async () => {
    const store = new MemoryPendingStore(() => 0, { entries: 10, bytes: MEMORY_LIMITS.bytes });
    for (let i = 0; i < 50; i++) {
      if (i % 2 === 0) await store.set(`ref:${i}`, q(String(i)), 1000);
      else await store.setContext(`ctx:${i}`, c('zhejiang'), 1000);
      expect(store.size).toBeLessThanOrEqual(10);
    }
    expect(store.size).toBe(10);
    expect(await store.get('ref:38')).toBeUndefined();
    expect(await store.getContext('ctx:39')).toBeUndefined();
    expect(await store.get('ref:40')).toBeDefined();
    expect(await store.getContext('ctx:49')).toBeDefined();
  });

  it('writing a key again makes it the newest, so it outlives older ones', async () => {
    const store = new MemoryPendingStore(() => 0, { entries: 3, bytes: MEMORY_LIMITS.bytes });
    await store.set('a', q('a'), 1000);
    await store.set('b', q('b'), 1000);
    await store.set('c', q('c'), 1000);
    await store.set('a', q('a2'), 1000);
    await store.set('d', q('d'), 1000);
    expect(await store.get('b')).toBeUndefined();
    expect((await store.get('a'))?.ref).toBe('a2');
    expect(await store.get('c')).toBeDefined();
    expect(await store.get('d')).toBeDefined();
  });

  it('counts bytes: each entry by its size, a rewrite not twice, a delete given back', async () => {
    const small = await costOf((s) => s.set('k', q('a'), 1000));
    const big = await costOf((s) => s.set('k', q('a', { understanding: u({ text: 'x'.repeat(1000) }) }), 1000));
    expect(small).toBeGreaterThan(0);
    // Two bytes per UTF-16 unit of the stored value.
    expect(big - small).toBe(2 * (1000 - 'deregister'.length));

    const store = new MemoryPendingStore(() => 0);
    await store.set('k', q('a'), 1000);
    await store.set('k', q('a'), 1000);
    expect(store.bytes).toBe(small);
    await store.set('k2', q('a'), 1000);
    expect(store.bytes).toBe(2 * small);
    await store.delete('k');
    expect(store.bytes).toBe(small);
  });

  it('a small byte limit drops the oldest entries, and `bytes` stays under it', async () => {
    const one = await costOf((s) => s.set('ref:00', q('00'), 1000));
    const limit = Math.floor(one * 3.5);
    const store = new MemoryPendingStore(() => 0, { entries: 1000, bytes: limit });
    for (let i = 10; i < 30; i++) {
      await store.set(`ref:${i}`, q(String(i)), 1000);
      expect(store.bytes).toBeLessThanOrEqual(limit);
    }
    expect(store.size).toBe(3);
    expect(store.bytes).toBe(3 * one);
    expect(await store.get('ref:26')).toBeUndefined();
    for (const i of [27, 28, 29]) expect((await store.get(`ref:${i}`))?.ref).toBe(String(i));
    // A long question takes the room of several short ones.
    await store.set('ref:long', q('long', { understanding: u({ text: 'x'.repeat(Math.ceil(one / 2)) }) }), 1000);
    expect(store.bytes).toBeLessThanOrEqual(limit);
    expect(await store.get('ref:long')).toBeDefined();
    expect(await store.get('ref:29')).toBeDefined();
    expect(await store.get('ref:27')).toBeUndefined();
  });

  it('an entry larger than the whole byte limit is not kept', async () => {
    const store = new MemoryPendingStore(() => 0, { entries: 10, bytes: 1000 });
    await store.setContext('ctx', c('zhejiang'), 1000);
    await store.set('ref:huge', q('huge', { understanding: u({ text: 'x'.repeat(2000) }) }), 1000);
    expect(await store.get('ref:huge')).toBeUndefined();
    expect(store.bytes).toBeLessThanOrEqual(1000);
  });

  it('drops expired entries at the front on every write', async () => {
    let now = 0;
    const store = new MemoryPendingStore(() => now);
    await store.set('a', q('a'), 10);
    await store.setContext('b', c('zhejiang'), 10);
    now = 10;
    await store.set('c', q('c'), 10);
    expect(store.size).toBe(1);
    expect(store.bytes).toBe(await costOf((s) => s.set('c', q('c'), 10)));
  });

  it('whatever is written, size and bytes stay within the limits and match what is kept', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            key: fc.integer({ min: 0, max: 20 }),
            len: fc.nat(600),
            context: fc.boolean(),
            del: fc.boolean(),
          }),
          { maxLength: 60 },
        ),
        async (ops) => {
          const limits = { entries: 8, bytes: 4000 };
          const store = new MemoryPendingStore(() => 0, limits);
          for (const op of ops) {
            const key = `k${op.key}`;
            if (op.del) await store.delete(key);
            else if (op.context)
              await store.setContext(key, { understanding: u({ text: 'y'.repeat(op.len) }), answeredAt: 0 }, 1000);
            else await store.set(key, q(key, { understanding: u({ text: 'y'.repeat(op.len) }) }), 1000);
            expect(store.size).toBeLessThanOrEqual(limits.entries);
            expect(store.bytes).toBeLessThanOrEqual(limits.bytes);
            expect(store.bytes).toBeGreaterThanOrEqual(0);
          }
          let kept = 0;
          for (let k = 0; k <= 20; k++) {
            const v = (await store.get(`k${k}`)) ?? (await store.getContext(`k${k}`));
            if (v) kept += JSON.stringify(v).length * 2;
          }
          expect(store.bytes).toBe(kept);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('MemoryPendingStore: claims and counters', () => {
  it('one claim per key until its TTL passes; unclaim gives it back', async () => {
    let now = 0;
    const store = new MemoryPendingStore(() => now);
    const claims = await Promise.all([1, 2, 3, 4].map(() => store.claim('handoff:a', 1000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.claim('handoff:b', 1000)).toBe(true);
    await store.unclaim('handoff:a');
    expect(await store.claim('handoff:a', 1000)).toBe(true);
    now = 999;
    expect(await store.claim('handoff:a', 1000)).toBe(false);
    now = 1000;
    expect(await store.claim('handoff:a', 1000)).toBe(true);
    // Claims are not waiting questions or contexts.
    expect(await store.get('handoff:a')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('a counter counts within its window from the first hit, then starts again', async () => {
    let now = 0;
    const store = new MemoryPendingStore(() => now);
    expect(await store.hit('n:U1', 3600)).toBe(1);
    now = 3000;
    expect(await store.hit('n:U1', 3600)).toBe(2);
    expect(await store.hit('n:U2', 3600)).toBe(1);
    now = 3600;
    expect(await store.hit('n:U1', 3600)).toBe(1);
  });

  it('unhit takes one back within the window (a hand-off not posted is not spent), never below zero', async () => {
    let now = 0;
    const store = new MemoryPendingStore(() => now);
    expect(await store.hit('n:U1', 3600)).toBe(1);
    expect(await store.hit('n:U1', 3600)).toBe(2);
    await store.unhit('n:U1');
    expect(await store.hit('n:U1', 3600)).toBe(2);
    await store.unhit('n:U1');
    await store.unhit('n:U1');
    await store.unhit('n:U1');
    expect(await store.hit('n:U1', 3600)).toBe(1);
    // The window still runs from the first hit; a counter that is gone stays gone.
    now = 3600;
    await store.unhit('n:U1');
    await store.unhit('n:none');
    expect(await store.hit('n:U1', 3600)).toBe(1);
  });

  it('holds at most `entries` claims and counters, the oldest going first', async () => {
    const store = new MemoryPendingStore(() => 0, { entries: 3, bytes: MEMORY_LIMITS.bytes });
    for (const k of ['a', 'b', 'c', 'd']) expect(await store.claim(k, 1000)).toBe(true);
    expect(store.markCount).toBe(3);
    expect(await store.claim('d', 1000)).toBe(false);
    expect(await store.claim('a', 1000)).toBe(true);
  });
});

describe('keys', () => {
  it('a DM is one conversation per user; a channel is per thread and user', () => {
    expect(conversationKey('D1', undefined, 'U1', true)).toBe(conversationKey('D1', '9.9', 'U1', true));
    expect(conversationKey('D1', undefined, 'U1', true)).not.toBe(conversationKey('D2', undefined, 'U1', true));
    expect(conversationKey('C1', '1.1', 'U1', false)).not.toBe(conversationKey('C1', '1.1', 'U2', false));
    expect(conversationKey('C1', '1.1', 'U1', false)).not.toBe(conversationKey('C1', '2.2', 'U1', false));
    expect(conversationKey('C1', '1.1', 'U1', false)).not.toBe(conversationKey('C2', '1.1', 'U1', false));
    // The shapes cannot collide: the store forgets both when it does not know which it was.
    expect(conversationKey('X', undefined, 'U1', true)).not.toBe(conversationKey('X', undefined, 'U1', false));
  });

  it('a context belongs to the whole thread (anyone may follow up) or DM', () => {
    expect(contextKey('C1', '1.1', false)).toBe('ctx:thread:C1:1.1');
    expect(contextKey('C1', '1.1', false)).not.toBe(contextKey('C1', '2.2', false));
    expect(contextKey('C1', '1.1', false)).not.toBe(contextKey('C2', '1.1', false));
    expect(contextKey('D1', undefined, true)).toBe(contextKey('D1', '9.9', true));
    expect(contextKey('D1', undefined, true)).not.toBe(contextKey('D2', undefined, true));
  });

  it('contexts, conversations and refs never share a key', () => {
    const keys = [
      contextKey('C1', '1.1', false),
      contextKey('C1', undefined, true),
      conversationKey('C1', '1.1', 'U1', false),
      conversationKey('C1', '1.1', 'U1', true),
      refKey('C1'),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(refKey('abc')).toBe('ref:abc');
  });

  it('refs are short, unique and safe in a block_id', () => {
    const refs = new Set(Array.from({ length: 1000 }, newRef));
    expect(refs.size).toBe(1000);
    for (const r of refs) expect(r).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });
});
