import { describe, expect, it } from 'vitest';
import { DEFAULT_PENDING_TTL_MS, formatProblems, loadConfig, noSlackSettings } from '../../src/slack/config.js';

describe('loadConfig', () => {
  it('defaults PORT, SLACK_API_URL and the pending TTL', () => {
    const r = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    expect(r).toMatchObject({
      ok: true,
      config: {
        port: 3000,
        slackApiUrl: 'https://slack.com/api/',
        pendingTtlMs: DEFAULT_PENDING_TTL_MS,
        logLevel: 'info',
      },
    });
    expect(DEFAULT_PENDING_TTL_MS).toBe(30 * 60 * 1000);
  });

  it('reads the settings and adds the trailing slash to the API URL', () => {
    const r = loadConfig({
      SLACK_BOT_TOKEN: ' xoxb-1 ',
      SLACK_SIGNING_SECRET: 's',
      PORT: '0',
      SLACK_API_URL: 'http://127.0.0.1:9/api',
      PENDING_TTL_MS: '1500',
    });
    expect(r).toMatchObject({
      ok: true,
      config: { botToken: 'xoxb-1', port: 0, slackApiUrl: 'http://127.0.0.1:9/api/', pendingTtlMs: 1500 },
    });
  });

  it('names each missing setting and where to get it, without echoing the other', () => {
    const r = loadConfig({ SLACK_SIGNING_SECRET: 'secret-value' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = formatProblems(r.problems);
    expect(text).toContain('SLACK_BOT_TOKEN is not set');
    expect(text).toContain('OAuth & Permissions');
    expect(text).not.toContain('SLACK_SIGNING_SECRET is not set');
    expect(text).not.toContain('secret-value');
    const both = loadConfig({});
    expect(both.ok ? [] : both.problems).toHaveLength(2);
  });

  it('rejects a bad PORT, TTL, URL or log level', () => {
    for (const extra of [
      { PORT: '70000' },
      { PORT: 'x' },
      { PENDING_TTL_MS: '0' },
      { SLACK_API_URL: 'ftp://x' },
      { SLACK_API_URL: 'not a url' },
      { LOG_LEVEL: 'loud' },
    ]) {
      expect(loadConfig({ SLACK_BOT_TOKEN: 'x', SLACK_SIGNING_SECRET: 'y', ...extra }).ok).toBe(false);
    }
  });

  it('Socket Mode: SLACK_APP_TOKEN replaces the signing secret, and must be an app-level token', () => {
    const r = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: ' xapp-1-A1-2-abc ' });
    expect(r).toMatchObject({ ok: true, config: { appToken: 'xapp-1-A1-2-abc', signingSecret: '' } });
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })).toMatchObject({
      ok: true,
      config: { appToken: null },
    });
    const wrong = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-not-an-app-token' });
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(formatProblems(wrong.problems)).toContain('SLACK_APP_TOKEN must be an app-level token');
    expect(formatProblems(wrong.problems)).not.toContain('xoxb-not-an-app-token');
    // The bot token is still needed for the Web API.
    expect(loadConfig({ SLACK_APP_TOKEN: 'xapp-1' }).ok).toBe(false);
    // An app token alone is a Slack setting: no playground.
    expect(noSlackSettings({ SLACK_APP_TOKEN: 'xapp-1' })).toBe(false);
    expect(noSlackSettings({ PORT: '3000' })).toBe(true);
  });

  it('hand-off: HANDOFF_CHANNEL (a channel id) and optionally HANDOFF_USERGROUP (a group id)', () => {
    const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
    expect(loadConfig(base)).toMatchObject({ ok: true, config: { handoff: null } });
    expect(loadConfig({ ...base, HANDOFF_CHANNEL: 'C0SUPPORT' })).toMatchObject({
      ok: true,
      config: { handoff: { channel: 'C0SUPPORT', usergroup: null } },
    });
    expect(loadConfig({ ...base, HANDOFF_CHANNEL: 'G0SUP', HANDOFF_USERGROUP: 'S0TEAM' })).toMatchObject({
      ok: true,
      config: { handoff: { channel: 'G0SUP', usergroup: 'S0TEAM' } },
    });
    for (const bad of [
      { HANDOFF_CHANNEL: '#support' },
      { HANDOFF_CHANNEL: 'C0SUP', HANDOFF_USERGROUP: '@team' },
      { HANDOFF_USERGROUP: 'S0TEAM' },
    ]) {
      const r = loadConfig({ ...base, ...bad });
      expect(r.ok, JSON.stringify(bad)).toBe(false);
    }
  });
  it('SUPPORT_USERGROUP: a user group id, on its own; absent: null', () => {
    const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
    expect(loadConfig(base)).toMatchObject({ ok: true, config: { supportUsergroup: null } });
    expect(loadConfig({ ...base, SUPPORT_USERGROUP: ' S0AGENTS ' })).toMatchObject({
      ok: true,
      config: { supportUsergroup: 'S0AGENTS', handoff: null },
    });
    for (const bad of ['@agents', 'C0AGENTS', 's0agents']) {
      const r = loadConfig({ ...base, SUPPORT_USERGROUP: bad });
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(formatProblems(r.problems)).toContain('SUPPORT_USERGROUP');
    }
  });
});
