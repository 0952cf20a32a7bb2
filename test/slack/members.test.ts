/**
 * Who may act for an asker (src/slack/members.ts): the asker, and members of the hand-off group
 * as usergroups.users.list says, cached for 5 minutes, bounded, and closed on any failure. The last
 * test asks the stand-in through the bot's own Web API client.
 */
import { describe, expect, it } from 'vitest';
import { capturedLog } from '../support/logger.js';
import { GroupMembers, MEMBER_LIMITS, actsForAsker, type MemberLookup } from '../../src/slack/members.js';
import { createWebClient, usergroupMembers } from '../../src/slack/webapi.js';
import { startStandin } from '../../src/standin/server.js';

const TOKEN = 'xoxb-members-test-token-do-not-log';

const logged = () => capturedLog([TOKEN]);

/** A lookup that answers from `groups` (or with `fail`) and counts its calls. */
function fakeLookup(groups: Record<string, string[]>, fail?: string) {
  const calls: string[] = [];
  const lookup: MemberLookup = async (g) => {
    calls.push(g);
    await Promise.resolve();
    if (fail) return { ok: false, reason: fail };
    return g in groups ? { ok: true, users: groups[g]! } : { ok: false, reason: 'no_such_subteam' };
  };
  return { calls, lookup };
}

describe('GroupMembers', () => {
  it('answers from one look-up per group for 5 minutes, shared by concurrent questions', async () => {
    let now = 1_000;
    const { calls, lookup } = fakeLookup({ S1: ['UAGENT1', 'UAGENT2'] });
    const m = new GroupMembers(lookup, logged().log, () => now);
    const answers = await Promise.all([
      m.isMember('S1', 'UAGENT1'),
      m.isMember('S1', 'UAGENT2'),
      m.isMember('S1', 'UCUSTOMER'),
    ]);
    expect(answers).toEqual([true, true, false]);
    expect(calls).toEqual(['S1']);
    now += MEMBER_LIMITS.ttlMs - 1;
    expect(await m.isMember('S1', 'UAGENT1')).toBe(true);
    expect(calls).toHaveLength(1);
    now += 2;
    expect(await m.isMember('S1', 'UAGENT1')).toBe(true);
    expect(calls).toHaveLength(2);
  });

  it('fails closed: a missing scope means not a member, logged once at warn without the token; tried again after 30 s', async () => {
    let now = 0;
    const { lines, log } = logged();
    const { calls, lookup } = fakeLookup({}, 'missing_scope');
    const m = new GroupMembers(lookup, log, () => now);
    expect(await m.isMember('S1', 'UAGENT1')).toBe(false);
    expect(await m.isMember('S1', 'UAGENT1')).toBe(false);
    expect(calls).toHaveLength(1);
    now += MEMBER_LIMITS.failedTtlMs + 1;
    expect(await m.isMember('S1', 'UAGENT1')).toBe(false);
    expect(calls).toHaveLength(2);
    const warns = lines.filter((l) => l.event === 'usergroup_lookup_failed');
    expect(warns).toEqual([expect.objectContaining({ level: 'warn', usergroup: 'S1', reason: 'missing_scope' })]);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it('a look-up that throws is a non-member too', async () => {
    const m = new GroupMembers(() => Promise.reject(new Error(`boom ${TOKEN}`)), logged().log);
    expect(await m.isMember('S1', 'UAGENT1')).toBe(false);
  });

  it('is bounded: members past the limit and the oldest group beyond the limit are dropped', async () => {
    const { calls, lookup } = fakeLookup({ S1: ['U1', 'U2', 'U3'], S2: ['U1'], S3: ['U1'] });
    const m = new GroupMembers(lookup, logged().log, Date.now, { maxMembers: 2, maxGroups: 2 });
    expect(await m.isMember('S1', 'U2')).toBe(true);
    expect(await m.isMember('S1', 'U3')).toBe(false);
    await m.isMember('S2', 'U1');
    await m.isMember('S3', 'U1'); // S1 goes
    await m.isMember('S1', 'U1');
    expect(calls).toEqual(['S1', 'S2', 'S3', 'S1']);
  });
});

describe('actsForAsker', () => {
  const handoff = { usergroup: 'S1' };
  it('the asker always, without a look-up; another user only as a member of the hand-off group', async () => {
    const { calls, lookup } = fakeLookup({ S1: ['UAGENT1'] });
    const members = new GroupMembers(lookup, logged().log);
    expect(await actsForAsker({ handoff, members }, 'UASKER', 'UASKER')).toBe(true);
    expect(calls).toEqual([]);
    expect(await actsForAsker({ handoff, members }, 'UASKER', 'UAGENT1')).toBe(true);
    expect(await actsForAsker({ handoff, members }, 'UASKER', 'UOTHER')).toBe(false);
    expect(await actsForAsker({ handoff: { usergroup: null }, members }, 'UASKER', 'UAGENT1')).toBe(false);
    expect(await actsForAsker({ handoff, members: null }, 'UASKER', 'UAGENT1')).toBe(false);
  });
});

describe('usergroupMembers against the stand-in', () => {
  it('lists a group, names an unknown one, and passes a missing scope on as its reason', async () => {
    const standin = await startStandin({ signingSecret: 's', botToken: TOKEN });
    try {
      standin.workspace.setUsergroup('S0SUPPORT', ['U0ALICE']);
      const client = createWebClient(TOKEN, standin.apiUrl, logged().log, {
        retries: 0,
        factor: 1,
        minTimeout: 1,
        maxTimeout: 1,
        maxRetryTime: 100,
      });
      expect(await usergroupMembers(client, 'S0SUPPORT')).toEqual({ ok: true, users: ['U0ALICE'] });
      expect(await usergroupMembers(client, 'S0NOPE')).toEqual({ ok: false, reason: 'no_such_subteam' });
      standin.fail('usergroups.users.list', { times: 1, okFalse: 'missing_scope' });
      expect(await usergroupMembers(client, 'S0SUPPORT')).toEqual({ ok: false, reason: 'missing_scope' });
      expect(standin.callsOf('usergroups.users.list').every((c) => c.tokenOk)).toBe(true);
    } finally {
      await standin.close();
    }
  });
});
