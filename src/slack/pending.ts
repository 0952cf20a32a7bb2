/**
 * What the bot remembers between messages: questions waiting for a province (or a did-you-mean
 * choice), and the last answer of each thread or DM for follow-ups ("what about Guangxi?"). Both
 * live behind one small async interface, so a shared store (Redis) can replace the memory one.
 */
import { randomBytes } from 'node:crypto';
import type { Lang, Understanding } from '../types.js';

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
  /** ts of the message that asks, so it can be marked answered in place; null when ephemeral. */
  promptTs: string | null;
  createdAt: number;
}

/** The language someone asked for ("in Chinese please"): it holds for the thread or DM until asked otherwise. */
export interface AskedLanguage {
  lang: Lang;
  traditional: boolean;
}

/** The last answer in a thread or DM: a follow-up is read in its light. */
export interface ConversationContext {
  /** Absent when only a language was asked for, with no answer to follow up yet. */
  understanding?: Understanding;
  answeredAt: number;
  /** Absent until someone asks for a language. */
  language?: AskedLanguage;
}

export interface PendingStore {
  get(key: string): Promise<PendingQuestion | undefined>;
  /** Stores `value` under `key` for `ttlMs`. */
  set(key: string, value: PendingQuestion, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  getContext(key: string): Promise<ConversationContext | undefined>;
  setContext(key: string, value: ConversationContext, ttlMs: number): Promise<void>;
  /**
   * Marks `key` for `ttlMs` unless it is marked: true for the one caller that marked it (one
   * hand-off per answer, one vote per person), across instances when the store is shared.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Removes a mark, so the next claim succeeds (a hand-off that could not be posted). */
  unclaim(key: string): Promise<void>;
  /** Adds one to the counter `key`, which lives `windowMs` from its first hit; resolves to the new count. */
  hit(key: string, windowMs: number): Promise<number>;
  /** Takes one back from the counter `key` (a hand-off that could not be posted is not spent); its window stays. */
  unhit(key: string): Promise<void>;
}

export const refKey = (ref: string): string => `ref:${ref}`;

/** Where a typed reply can come from: per DM (1:1 anyway), per channel thread and user elsewhere. */
export function conversationKey(channel: string, threadTs: string | undefined, user: string, isDm: boolean): string {
  return isDm ? `dm:${channel}:${user}` : `thread:${channel}:${threadTs ?? ''}:${user}`;
}

/** The context of a whole thread (anyone in it may follow up) or DM. */
export function contextKey(channel: string, threadTs: string | undefined, isDm: boolean): string {
  return isDm ? `ctx:dm:${channel}` : `ctx:thread:${channel}:${threadTs ?? ''}`;
}

export const newRef = (): string => randomBytes(9).toString('base64url');

/** Limits of the memory store: entries, and bytes (a waiting question keeps its whole text). */
export const MEMORY_LIMITS = Object.freeze({ entries: 50_000, bytes: 64 * 1024 * 1024 });

type Entry = { value: PendingQuestion | ConversationContext; expiresAt: number; bytes: number };
/** A claim (count 1) or a counter, with when it goes. */
type Mark = { count: number; expiresAt: number };

/** UTF-16 code units of the stored JSON, ×2: about what the entry costs on the heap. */
const sizeOf = (value: unknown): number => JSON.stringify(value).length * 2;

export class MemoryPendingStore implements PendingStore {
  private readonly entries = new Map<string, Entry>();
  /** Claims and counters: bounded by `limits.entries` too, the oldest going first. */
  private readonly marks = new Map<string, Mark>();
  private used = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly limits: { entries: number; bytes: number } = MEMORY_LIMITS,
  ) {}

  async get(key: string): Promise<PendingQuestion | undefined> {
    const v = this.read(key);
    return v && 'ref' in v ? v : undefined;
  }

  async set(key: string, value: PendingQuestion, ttlMs: number): Promise<void> {
    this.write(key, value, ttlMs);
  }

  async getContext(key: string): Promise<ConversationContext | undefined> {
    const v = this.read(key);
    return v && !('ref' in v) ? v : undefined;
  }

  async setContext(key: string, value: ConversationContext, ttlMs: number): Promise<void> {
    this.write(key, value, ttlMs);
  }

  async delete(key: string): Promise<void> {
    const e = this.entries.get(key);
    if (!e) return;
    this.used -= e.bytes;
    this.entries.delete(key);
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    if (this.mark(key)) return false;
    this.marks.set(key, { count: 1, expiresAt: this.now() + ttlMs });
    this.sweepMarks();
    return true;
  }

  async unclaim(key: string): Promise<void> {
    this.marks.delete(key);
  }

  async hit(key: string, windowMs: number): Promise<number> {
    const m = this.mark(key);
    if (m) return ++m.count;
    this.marks.set(key, { count: 1, expiresAt: this.now() + windowMs });
    this.sweepMarks();
    return 1;
  }

  async unhit(key: string): Promise<void> {
    const m = this.mark(key);
    if (m && m.count > 0) m.count--;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Claims and counters held (for tests). */
  get markCount(): number {
    return this.marks.size;
  }

  private mark(key: string): Mark | undefined {
    const m = this.marks.get(key);
    if (m && m.expiresAt <= this.now()) {
      this.marks.delete(key);
      return undefined;
    }
    return m;
  }

  /** Expired marks from the front, and the oldest beyond the entry limit. */
  private sweepMarks(): void {
    const now = this.now();
    for (const [key, m] of this.marks) {
      if (this.marks.size <= this.limits.entries && m.expiresAt > now) break;
      this.marks.delete(key);
    }
  }

  /** Bytes the stored entries take, as counted against the limit. */
  get bytes(): number {
    return this.used;
  }

  private read(key: string): PendingQuestion | ConversationContext | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      void this.delete(key);
      return undefined;
    }
    return e.value;
  }

  private write(key: string, value: PendingQuestion | ConversationContext, ttlMs: number): void {
    void this.delete(key);
    const bytes = sizeOf(value);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs, bytes });
    this.used += bytes;
    this.sweep();
  }

  /** Drops expired entries from the front (insertion order), and the oldest beyond the limits. */
  private sweep(): void {
    const now = this.now();
    for (const [key, e] of this.entries) {
      if (this.entries.size <= this.limits.entries && this.used <= this.limits.bytes && e.expiresAt > now) break;
      this.used -= e.bytes;
      this.entries.delete(key);
    }
  }
}
