/**
 * Who is an agent, and may read what is for agents only (src/answer/audience.ts): a member of the
 * bot's own workspace who is neither a guest (`is_restricted` / `is_ultra_restricted`) nor from
 * another organisation (a Slack Connect user's team differs from the bot's), nor a bot; with
 * SUPPORT_USERGROUP set, only such members who are also in that group. Facts come from users.info
 * (scope `users:read`), kept 10 minutes per user for a bounded number of users, one call shared
 * by concurrent asks. It fails closed: no scope, an unknown user or Slack away means a customer
 * (for 30 s, then it asks again), logged once per reason at warn.
 */
import type { Logger } from './log.js';
import type { GroupMembers } from './members.js';
import type { UserFacts } from './webapi.js';
import { LookupCache } from './lookup-cache.js';

export const AGENT_LIMITS = Object.freeze({
  /** How long a user's facts are used before they are asked for again. */
  ttlMs: 10 * 60_000,
  /** After a failed look-up, how long the user counts as a customer before the next try. */
  failedTtlMs: 30_000,
  /** Users kept; the oldest goes first. */
  maxUsers: 10_000,
});

type Limits = { readonly [K in keyof typeof AGENT_LIMITS]: number };

/** Looks a user up (userFacts in webapi.ts, bound to the bot's client). */
export type UserLookup = (user: string) => Promise<UserFacts>;

const USER_ID = /^[UW][A-Z0-9]{2,}$/;

export interface AgentOptions {
  lookup: UserLookup;
  /** The bot's team (auth.test); null until known, and then nobody is an agent. */
  team: () => string | null;
  log: Logger;
  /** SUPPORT_USERGROUP and its members (members.ts); null: every full member of the workspace. */
  group?: { id: string; members: GroupMembers } | null;
  now?: () => number;
  limits?: Partial<Limits>;
}

export class AgentDetector {
  private readonly users: LookupCache<boolean>;
  private readonly warned = new Set<string>();

  constructor(private readonly opts: AgentOptions) {
    const limits = { ...AGENT_LIMITS, ...opts.limits };
    this.users = new LookupCache({
      ttlMs: limits.ttlMs,
      failedTtlMs: limits.failedTtlMs,
      maxEntries: limits.maxUsers,
      now: opts.now ?? Date.now,
      load: (user, failed) => this.fetch(user, failed),
    });
  }

  /** Whether `user` is an agent; false whenever it cannot be known. */
  async isAgent(user: string): Promise<boolean> {
    if (!USER_ID.test(user) || this.opts.team() === null) return false;
    const member = await this.users.get(user);
    const group = this.opts.group;
    return member && (!group || (await group.members.isMember(group.id, user)));
  }

  /**
   * Whether `user` is an agent as far as is known now, without asking Slack: true or false from
   * fresh facts, undefined while they are not known (isAgent finds out).
   */
  known(user: string): boolean | undefined {
    if (!USER_ID.test(user) || this.opts.team() === null) return false;
    const member = this.users.peek(user);
    if (member !== true) return member;
    const group = this.opts.group;
    return !group || group.members.knownMember(group.id, user);
  }

  private async fetch(user: string, failed: () => void): Promise<boolean> {
    let facts: UserFacts;
    try {
      facts = await this.opts.lookup(user);
    } catch (err) {
      facts = { ok: false, reason: err instanceof Error ? err.name : 'error' };
    }
    if (!facts.ok) {
      failed();
      this.warnOnce(facts.reason);
      return false;
    }
    return !facts.guest && !facts.bot && !facts.deleted && facts.team !== null && facts.team === this.opts.team();
  }

  private warnOnce(reason: string): void {
    if (this.warned.has(reason) || this.warned.size >= 100) return;
    this.warned.add(reason);
    this.opts.log.warn(
      { event: 'user_lookup_failed', reason },
      'users cannot be looked up (scope users:read?): everyone counts as a customer, and nothing for agents is shown',
    );
  }
}
