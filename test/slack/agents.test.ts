/**
 * Who is an agent (src/slack/agents.ts): a full member of the bot's team — not a guest, not from
 * another organisation, not a bot or deactivated — and, with SUPPORT_USERGROUP, in that group too.
 * users.info is asked once per user for 10 minutes (shared by concurrent asks, bounded); every
 * failure means a customer, logged once per reason at warn with nothing secret. The last test asks
 * the stand-in through the bot's own Web API client.
 */
import { describe, expect, it } from 'vitest';
import { AGENT_LIMITS, AgentDetector, type UserLookup } from '../../src/slack/agents.js';
import { capturedLog } from '../support/logger.js';
import { GroupMembers } from '../../src/slack/members.js';
import type { UserFacts } from '../../src/slack/webapi.js';
import { createWebClient, userFacts } from '../../src/slack/webapi.js';
import { startStandin } from '../../src/standin/server.js';

const TOKEN = 'xoxb-agents-test-token-do-not-log';
const TEAM = 'T0OURS';

const logged = () => capturedLog([TOKEN]);

const member = (over: Partial<Extract<UserFacts, { ok: true }>> = {}): UserFacts => ({
  ok: true,
  team: TEAM,
  guest: false,
  bot: false,
  deleted: false,
  ...over,
});

/** A lookup that answers from `users` (else user_not_found, or `fail` for everyone) and counts its calls. */
function fakeLookup(users: Record<string, UserFacts>, fail?: string) {
  const calls: string[] = [];
  const lookup: UserLookup = async (user) => {
    calls.push(user);
    await Promise.resolve();
    if (fail) return { ok: false, reason: fail };
    return users[user] ?? { ok: false, reason: 'user_not_found' };
  };
  return { calls, lookup };
}

const USERS: Record<string, UserFacts> = {
  U0AGENT: member(),
  U0GUEST: member({ guest: true }),
  U0CONNECT: member({ team: 'T0THEIRS' }),
  U0NOTEAM: member({ team: null }),
  U0BOTUSER: member({ bot: true }),
  U0GONE: member({ deleted: true }),
};

describe('AgentDetector', () => {
  it('an agent is a full member of our team; a guest, a Slack Connect user, a bot, a deactivated or unknown user is not', async () => {
    const { log } = logged();
    const agents = new AgentDetector({ lookup: fakeLookup(USERS).lookup, team: () => TEAM, log });
    expect(await agents.isAgent('U0AGENT')).toBe(true);
    for (const u of ['U0GUEST', 'U0CONNECT', 'U0NOTEAM', 'U0BOTUSER', 'U0GONE', 'U0NOBODY'])
      expect(await agents.isAgent(u), u).toBe(false);
  });

  it('nobody is an agent before the bot knows its team, nor a malformed id (and neither is looked up)', async () => {
    const { log } = logged();
    const { calls, lookup } = fakeLookup(USERS);
    let team: string | null = null;
    const agents = new AgentDetector({ lookup, team: () => team, log });
    expect(await agents.isAgent('U0AGENT')).toBe(false);
    expect(await agents.isAgent('not-a-user')).toBe(false);
    expect(calls).toEqual([]);
    team = TEAM;
    expect(await agents.isAgent('U0AGENT')).toBe(true);
  });

  it('asks once per user for 10 minutes, shared by concurrent asks, then again', async () => {
    const { log } = logged();
    let now = 1_000;
    const { calls, lookup } = fakeLookup(USERS);
    const agents = new AgentDetector({ lookup, team: () => TEAM, log, now: () => now });
    expect(await Promise.all([agents.isAgent('U0AGENT'), agents.isAgent('U0AGENT')])).toEqual([true, true]);
    now += AGENT_LIMITS.ttlMs - 1;
    expect(await agents.isAgent('U0AGENT')).toBe(true);
    expect(calls).toEqual(['U0AGENT']);
    now += 2;
    await agents.isAgent('U0AGENT');
    expect(calls).toEqual(['U0AGENT', 'U0AGENT']);
  });

  it('keeps at most maxUsers, the oldest going first', async () => {
    const { log } = logged();
    const { calls, lookup } = fakeLookup(USERS);
    const agents = new AgentDetector({ lookup, team: () => TEAM, log, limits: { maxUsers: 2 } });
    for (const u of ['U0AGENT', 'U0GUEST', 'U0CONNECT']) await agents.isAgent(u);
    await agents.isAgent('U0CONNECT');
    await agents.isAgent('U0AGENT');
    expect(calls).toEqual(['U0AGENT', 'U0GUEST', 'U0CONNECT', 'U0AGENT']);
  });

  it('fails closed: missing_scope or a throwing lookup means a customer, for 30 s, logged once per reason without secrets', async () => {
    const { lines, log } = logged();
    let now = 1_000;
    const { calls, lookup } = fakeLookup(USERS, 'missing_scope');
    const agents = new AgentDetector({ lookup, team: () => TEAM, log, now: () => now });
    expect(await agents.isAgent('U0AGENT')).toBe(false);
    expect(await agents.isAgent('U0AGENT')).toBe(false);
    expect(await agents.isAgent('U0GUEST')).toBe(false);
    expect(calls).toEqual(['U0AGENT', 'U0GUEST']);
    now += AGENT_LIMITS.failedTtlMs + 1;
    await agents.isAgent('U0AGENT');
    expect(calls).toHaveLength(3);
    const throwing = new AgentDetector({
      lookup: () => Promise.reject(new TypeError(`fetch failed for ${TOKEN}`)),
      team: () => TEAM,
      log,
    });
    expect(await throwing.isAgent('U0AGENT')).toBe(false);
    const warns = lines.filter((l) => l.event === 'user_lookup_failed');
    expect(warns).toEqual([
      expect.objectContaining({ level: 'warn', reason: 'missing_scope' }),
      expect.objectContaining({ level: 'warn', reason: 'TypeError' }),
    ]);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it('known() answers from settled facts only and asks nothing: undefined until a look-up settles, then as isAgent, until it expires', async () => {
    const { log } = logged();
    let t = 0;
    const { calls, lookup } = fakeLookup(USERS);
    const agents = new AgentDetector({ lookup, team: () => TEAM, log, now: () => t });
    expect(agents.known('U0AGENT')).toBeUndefined();
    expect(agents.known('not-a-user')).toBe(false);
    expect(calls).toEqual([]);
    const pending = agents.isAgent('U0AGENT');
    expect(agents.known('U0AGENT')).toBeUndefined();
    await pending;
    await agents.isAgent('U0GUEST');
    expect(agents.known('U0AGENT')).toBe(true);
    expect(agents.known('U0GUEST')).toBe(false);
    t += AGENT_LIMITS.ttlMs + 1;
    expect(agents.known('U0AGENT')).toBeUndefined();
    expect(calls).toEqual(['U0AGENT', 'U0GUEST']);
    // With SUPPORT_USERGROUP: unknown until the group's list is known too.
    const members = new GroupMembers(async () => ({ ok: true, users: ['U0AGENT'] }), log);
    const grouped = new AgentDetector({ lookup, team: () => TEAM, log, group: { id: 'S0AGENTS', members } });
    await grouped.isAgent('U0AGENT');
    expect(grouped.known('U0AGENT')).toBe(true);
    const fresh = new GroupMembers(async () => ({ ok: true, users: ['U0AGENT'] }), log);
    const partly = new AgentDetector({ lookup, team: () => TEAM, log, group: { id: 'S0AGENTS', members: fresh } });
    await partly.isAgent('U0GUEST');
    expect(partly.known('U0GUEST')).toBe(false);
  });

  it('with SUPPORT_USERGROUP, only full members who are in the group; a group that cannot be read means nobody', async () => {
    const { log } = logged();
    const groups = { S0AGENTS: ['U0AGENT', 'U0GUEST'] };
    const members = new GroupMembers(
      async (g) => (g in groups ? { ok: true, users: groups.S0AGENTS } : { ok: false, reason: 'no_such_subteam' }),
      log,
    );
    const users = { ...USERS, U0OTHER: member() };
    const agents = new AgentDetector({
      lookup: fakeLookup(users).lookup,
      team: () => TEAM,
      log,
      group: { id: 'S0AGENTS', members },
    });
    expect(await agents.isAgent('U0AGENT')).toBe(true);
    expect(await agents.isAgent('U0OTHER')).toBe(false);
    // In the group, but a guest: still not an agent.
    expect(await agents.isAgent('U0GUEST')).toBe(false);
    const unreadable = new AgentDetector({
      lookup: fakeLookup(users).lookup,
      team: () => TEAM,
      log,
      group: { id: 'S0MISSING', members },
    });
    expect(await unreadable.isAgent('U0AGENT')).toBe(false);
  });

  it('reads users.info from the stand-in: guests (multi and single channel) and Slack Connect users are no agents', async () => {
    const standin = await startStandin({ signingSecret: 's', botToken: TOKEN });
    try {
      standin.workspace.setGuest('U0ALICE', 'multi');
      standin.workspace.setGuest('U0GUEST2', 'single');
      standin.workspace.setExternal('U0BOB', 'T0CUSTOMER');
      const { log } = logged();
      const client = createWebClient(TOKEN, standin.apiUrl, log, {
        retries: 0,
        factor: 1,
        minTimeout: 1,
        maxTimeout: 1,
        maxRetryTime: 100,
      });
      expect(await userFacts(client, 'U0LOCAL')).toEqual({
        ok: true,
        team: 'T0LOCAL',
        guest: false,
        bot: false,
        deleted: false,
      });
      const agents = new AgentDetector({ lookup: (u) => userFacts(client, u), team: () => 'T0LOCAL', log });
      expect(await agents.isAgent('U0LOCAL')).toBe(true);
      for (const u of ['U0ALICE', 'U0GUEST2', 'U0BOB', 'U0BOT']) expect(await agents.isAgent(u), u).toBe(false);
      standin.fail('users.info', { times: 1, okFalse: 'missing_scope' });
      expect(await userFacts(client, 'U0LOCAL')).toEqual({ ok: false, reason: 'missing_scope' });
    } finally {
      await standin.close();
    }
  });
});
