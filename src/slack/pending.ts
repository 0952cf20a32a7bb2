/**
 * Questions waiting for a province. They live behind a small async interface so a shared store
 * (Redis, a database) can replace the memory one without touching the handlers.
 */
import { randomBytes } from 'node:crypto';
import type { Understanding } from '../types.js';

export interface PendingQuestion {
  /** Goes into the picker's block_id, so a click finds this entry. */
  ref: string;
  understanding: Understanding;
  /** Only the asker may complete it. */
  user: string;
  team: string | null;
  channel: string;
  /** Thread of the bot's reply (channels); undefined for a DM at top level. */
  threadTs: string | undefined;
  /** Slash-command questions are answered privately again (via the click's response_url). */
  ephemeral: boolean;
  createdAt: number;
}

export interface PendingStore {
  get(key: string): Promise<PendingQuestion | undefined>;
  /** Stores `value` under `key` for `ttlMs`. */
  set(key: string, value: PendingQuestion, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export const refKey = (ref: string): string => `ref:${ref}`;

/** Where a typed reply can come from: per DM (1:1 anyway), per channel thread and user elsewhere. */
export function conversationKey(channel: string, threadTs: string | undefined, user: string, isDm: boolean): string {
  return isDm ? `dm:${channel}:${user}` : `thread:${channel}:${threadTs ?? ''}:${user}`;
}

export const newRef = (): string => randomBytes(9).toString('base64url');

export class MemoryPendingStore implements PendingStore {
  private readonly entries = new Map<string, { value: PendingQuestion; expiresAt: number }>();
  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 50_000,
  ) {}

  async get(key: string): Promise<PendingQuestion | undefined> {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  async set(key: string, value: PendingQuestion, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    this.sweep();
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drops expired entries from the front (insertion order), and the oldest beyond the cap. */
  private sweep(): void {
    const now = this.now();
    for (const [key, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && e.expiresAt > now) break;
      this.entries.delete(key);
    }
  }
}
