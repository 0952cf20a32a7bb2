/**
 * Who may act for an asker. "Ask a person" and "Post in thread" act for the asker and, with
 * HANDOFF_USERGROUP set, for that group's members too (support agents helping a customer). The
 * same lists say who is in SUPPORT_USERGROUP (agents.ts).
 * Membership comes from usergroups.users.list (scope `usergroups:read`): one call per group per
 * 5 minutes, shared by the clicks that arrive meanwhile, for a bounded number of groups and
 * members. It fails closed: no scope, no such group or Slack away means "not a member" (for 30 s,
 * then it asks again), logged once per group and reason at warn.
 */
import type { Logger } from './log.js';
import type { UsergroupMembers } from './webapi.js';
import { LookupCache } from './lookup-cache.js';

export const MEMBER_LIMITS = Object.freeze({
  /** How long a group's member list is used before it is asked for again. */
  ttlMs: 5 * 60_000,
  /** After a failed look-up, how long the group counts as empty before the next try. */
  failedTtlMs: 30_000,
  /** Groups kept (the bot asks about two at most, HANDOFF_USERGROUP and SUPPORT_USERGROUP); the oldest goes first. */
  maxGroups: 16,
  /** Members kept per group; anyone past them counts as a non-member. */
  maxMembers: 10_000,
});

type Limits = { readonly [K in keyof typeof MEMBER_LIMITS]: number };

/** Looks a group's members up (usergroupMembers in webapi.ts, bound to the bot's client). */
export type MemberLookup = (usergroup: string) => Promise<UsergroupMembers>;

export class GroupMembers {
  private readonly groups: LookupCache<ReadonlySet<string>>;
  /** `group reason` pairs already logged, so a missing scope is said once, not per click. */
  private readonly warned = new Set<string>();
  private readonly limits: Limits;

  constructor(
    private readonly lookup: MemberLookup,
    private readonly log: Logger,
    now: () => number = Date.now,
    limits: Partial<Limits> = {},
  ) {
    this.limits = { ...MEMBER_LIMITS, ...limits };
    this.groups = new LookupCache({
      ttlMs: this.limits.ttlMs,
      failedTtlMs: this.limits.failedTtlMs,
      maxEntries: this.limits.maxGroups,
      now,
      load: (usergroup, failed) => this.fetch(usergroup, failed),
    });
  }

  /** Whether `user` is in `usergroup`; false whenever it cannot be known. */
  async isMember(usergroup: string, user: string): Promise<boolean> {
    return (await this.groups.get(usergroup)).has(user);
  }

  /** Whether `user` is in `usergroup` as far as is known now; undefined while the list is not (it asks nothing). */
  knownMember(usergroup: string, user: string): boolean | undefined {
    return this.groups.peek(usergroup)?.has(user);
  }

  private async fetch(usergroup: string, failed: () => void): Promise<ReadonlySet<string>> {
    let res: UsergroupMembers;
    try {
      res = await this.lookup(usergroup);
    } catch (err) {
      res = { ok: false, reason: err instanceof Error ? err.name : 'error' };
    }
    if (!res.ok) {
      failed();
      this.warnOnce(usergroup, res.reason);
      return new Set();
    }
    for (const key of this.warned) if (key.startsWith(`${usergroup} `)) this.warned.delete(key);
    if (res.users.length > this.limits.maxMembers)
      this.warnOnce(usergroup, 'too_many_members', `only the first ${this.limits.maxMembers} members are kept`);
    return new Set(res.users.slice(0, this.limits.maxMembers));
  }

  private warnOnce(
    usergroup: string,
    reason: string,
    msg = 'a user group cannot be looked up (scope usergroups:read?): its members count as non-members',
  ): void {
    const key = `${usergroup} ${reason}`;
    if (this.warned.has(key) || this.warned.size >= 100) return;
    this.warned.add(key);
    this.log.warn({ event: 'usergroup_lookup_failed', usergroup, reason }, msg);
  }
}

/**
 * Whether `user` may press an asker's "Ask a person" or "Post in thread": the asker, or a member
 * of the hand-off group when one is set and its members can be looked up.
 */
export async function actsForAsker(
  deps: { handoff?: { usergroup: string | null } | null; members?: GroupMembers | null },
  asker: string,
  user: string,
): Promise<boolean> {
  if (asker === user) return true;
  const group = deps.handoff?.usergroup;
  return group && deps.members ? deps.members.isMember(group, user) : false;
}
