import { describe, expect, it } from 'vitest';
import { MemoryPendingStore, conversationKey, newRef, type PendingQuestion } from '../../src/slack/pending.js';

const q = (ref: string): PendingQuestion => ({
  ref,
  understanding: { text: 'deregister', intent: 'deregister', confidence: 0.9, runnerUp: null, province: null, candidates: [], recordNumber: null, lang: 'en' },
  user: 'U1',
  team: 'T1',
  channel: 'C1',
  threadTs: '1.1',
  ephemeral: false,
  createdAt: 0,
});

describe('MemoryPendingStore', () => {
  it('gets what was set until the TTL passes, then nothing', async () => {
    let now = 0;
    const store = new MemoryPendingStore(() => now);
    await store.set('ref:a', q('a'), 1000);
    expect((await store.get('ref:a'))?.ref).toBe('a');
    now = 999;
    expect(await store.get('ref:a')).toBeDefined();
    now = 1000;
    expect(await store.get('ref:a')).toBeUndefined();
  });

  it('deletes, and caps its size', async () => {
    const store = new MemoryPendingStore(() => 0, 10);
    for (let i = 0; i < 50; i++) await store.set(`ref:${i}`, q(String(i)), 1000);
    expect(store.size).toBe(10);
    expect(await store.get('ref:49')).toBeDefined();
    await store.delete('ref:49');
    expect(await store.get('ref:49')).toBeUndefined();
  });
});

describe('keys', () => {
  it('a DM is one conversation per user; a channel is per thread and user', () => {
    expect(conversationKey('D1', undefined, 'U1', true)).toBe(conversationKey('D1', '9.9', 'U1', true));
    expect(conversationKey('C1', '1.1', 'U1', false)).not.toBe(conversationKey('C1', '1.1', 'U2', false));
    expect(conversationKey('C1', '1.1', 'U1', false)).not.toBe(conversationKey('C1', '2.2', 'U1', false));
  });

  it('refs are short, unique and safe in a block_id', () => {
    const refs = new Set(Array.from({ length: 1000 }, newRef));
    expect(refs.size).toBe(1000);
    for (const r of refs) expect(r).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });
});
