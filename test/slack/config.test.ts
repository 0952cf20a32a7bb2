import { describe, expect, it } from 'vitest';
import { DEFAULT_PENDING_TTL_MS, formatProblems, loadConfig } from '../../src/slack/config.js';

describe('loadConfig', () => {
  it('defaults PORT, SLACK_API_URL and the pending TTL', () => {
    const r = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    expect(r).toMatchObject({ ok: true, config: { port: 3000, slackApiUrl: 'https://slack.com/api/', pendingTtlMs: DEFAULT_PENDING_TTL_MS, logLevel: 'info' } });
    expect(DEFAULT_PENDING_TTL_MS).toBe(30 * 60 * 1000);
  });

  it('reads the settings and adds the trailing slash to the API URL', () => {
    const r = loadConfig({ SLACK_BOT_TOKEN: ' xoxb-1 ', SLACK_SIGNING_SECRET: 's', PORT: '0', SLACK_API_URL: 'http://127.0.0.1:9/api', PENDING_TTL_MS: '1500' });
    expect(r).toMatchObject({ ok: true, config: { botToken: 'xoxb-1', port: 0, slackApiUrl: 'http://127.0.0.1:9/api/', pendingTtlMs: 1500 } });
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
    for (const extra of [{ PORT: '70000' }, { PORT: 'x' }, { PENDING_TTL_MS: '0' }, { SLACK_API_URL: 'ftp://x' }, { SLACK_API_URL: 'not a url' }, { LOG_LEVEL: 'loud' }]) {
      expect(loadConfig({ SLACK_BOT_TOKEN: 'x', SLACK_SIGNING_SECRET: 'y', ...extra }).ok).toBe(false);
    }
  });
});
