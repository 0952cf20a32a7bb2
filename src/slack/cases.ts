/**
 * Hand-off cases: a question passed to a person, from "Ask a person" until a colleague presses
 * Solved (or the case expires). A case knows where the asker is (their DM, or a channel thread)
 * and where its post is in the hand-off channel, so replies can be relayed both ways and Take it
 * said once. Behind one async interface: in memory (one process) or in Redis (cases-redis.ts).
 */
import { randomBytes } from 'node:crypto';
import type { KnownBlock } from '@slack/types';
import type { Lang } from '../types.js';

export interface HandoffCase {
  id: string;
  /** Who asked: the only person whose DM is relayed. */
  asker: string;
  /** The asker's conversation: their DM with the bot, or the channel. */
  channel: string;
  /** The thread the question was asked in (channels); null in a DM. */
  threadTs: string | null;
  isDm: boolean;
  lang: Lang;
  traditional: boolean;
  /** The hand-off post: its channel and ts (its thread is the colleagues' side of the conversation). */
  post: { channel: string; ts: string };
  /** The post's text and body without its buttons and status, so Take it and Solved can rebuild it. */
  postText: string;
  postBlocks: KnownBlock[];
  openedAt: number;
  /** The question's ref in the question log: the post offers labelling it (handoff-label.ts). */
  qref?: string | null;
}

export interface CaseStore {
  /** Keeps the case for `ttlMs`, findable by id, by its post's thread and (from a DM) by the asker's DM. */
  open(c: HandoffCase, ttlMs: number): Promise<void>;
  get(id: string): Promise<HandoffCase | undefined>;
  /** The open case whose hand-off post is `channel`/`ts`. */
  byThread(channel: string, ts: string): Promise<HandoffCase | undefined>;
  /** The open case of a DM (the latest handed off from it). */
  byDm(channel: string): Promise<HandoffCase | undefined>;
  /**
   * Takes the case for `user` unless someone has: `first` is true for exactly one caller, `by`
   * names who has it; null when the case is not open.
   */
  take(id: string, user: string, ttlMs: number): Promise<{ first: boolean; by: string } | null>;
  /** Closes the case: true for exactly one caller, while it was open; its relay ends with it. */
  close(c: HandoffCase): Promise<boolean>;
}

export const CASE_LIMITS = Object.freeze({
  /** A case nobody solved ends by itself after a week. */
  ttlMs: 7 * 24 * 3600 * 1000,
  /** Open cases kept in memory; beyond, the oldest go. */
  entries: 10_000,
});

export const newCaseId = (): string => randomBytes(12).toString('base64url');

/** The shape of a case id (16 characters of base64url), checked before it reaches a key. */
export const isCaseId = (id: unknown): id is string => typeof id === 'string' && /^[A-Za-z0-9_-]{16}$/.test(id);

export const threadKey = (channel: string, ts: string): string => `${channel}:${ts}`;

type Held = { c: HandoffCase; takenBy: string | null; expiresAt: number };

export class MemoryCaseStore implements CaseStore {
  private readonly cases = new Map<string, Held>();
  private readonly threads = new Map<string, string>();
  private readonly dms = new Map<string, string>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly limit: number = CASE_LIMITS.entries,
  ) {}

  async open(c: HandoffCase, ttlMs: number): Promise<void> {
    this.cases.set(c.id, { c, takenBy: null, expiresAt: this.now() + ttlMs });
    this.threads.set(threadKey(c.post.channel, c.post.ts), c.id);
    if (c.isDm) this.dms.set(c.channel, c.id);
    this.sweep();
  }

  async get(id: string): Promise<HandoffCase | undefined> {
    return this.held(id)?.c;
  }

  async byThread(channel: string, ts: string): Promise<HandoffCase | undefined> {
    const id = this.threads.get(threadKey(channel, ts));
    return id ? this.get(id) : undefined;
  }

  async byDm(channel: string): Promise<HandoffCase | undefined> {
    const id = this.dms.get(channel);
    return id ? this.get(id) : undefined;
  }

  /** The taker is kept with the case, so no TTL of its own is needed here. */
  async take(id: string, user: string, _ttlMs?: number): Promise<{ first: boolean; by: string } | null> {
    const h = this.held(id);
    if (!h) return null;
    if (h.takenBy) return { first: false, by: h.takenBy };
    h.takenBy = user;
    return { first: true, by: user };
  }

  async close(c: HandoffCase): Promise<boolean> {
    if (!this.held(c.id)) return false;
    this.drop(c.id);
    return true;
  }

  /** Open cases held (for tests). */
  get size(): number {
    return this.cases.size;
  }

  private held(id: string): Held | undefined {
    const h = this.cases.get(id);
    if (h && h.expiresAt <= this.now()) {
      this.drop(id);
      return undefined;
    }
    return h;
  }

  private drop(id: string): void {
    const h = this.cases.get(id);
    if (!h) return;
    this.cases.delete(id);
    this.threads.delete(threadKey(h.c.post.channel, h.c.post.ts));
    // The DM may have a newer case by now: only its own entry goes.
    if (this.dms.get(h.c.channel) === id) this.dms.delete(h.c.channel);
  }

  /** Expired cases from the front (insertion order), and the oldest beyond the limit. */
  private sweep(): void {
    const now = this.now();
    for (const [id, h] of this.cases) {
      if (this.cases.size <= this.limit && h.expiresAt > now) break;
      this.drop(id);
    }
  }
}
