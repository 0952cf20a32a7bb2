import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EVENTS_PATH } from '../../src/slack/receiver-http.js';

const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as {
  features: { slash_commands: { command: string; url: string }[]; app_home: { messages_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string } };
};

describe('manifest.yml', () => {
  it('subscribes to what the bot answers, with the scopes those events need', () => {
    const events = manifest.settings.event_subscriptions.bot_events;
    const scopes = manifest.oauth_config.scopes.bot;
    expect(events).toEqual(expect.arrayContaining(['app_mention', 'message.im', 'message.channels', 'message.groups', 'message.mpim']));
    expect(scopes).toEqual(expect.arrayContaining(['app_mentions:read', 'chat:write', 'commands', 'im:history', 'channels:history', 'groups:history', 'mpim:history']));
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
  });

  it('sends events, interactivity and /icp to the one endpoint', () => {
    const urls = [manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url, ...manifest.features.slash_commands.map((c) => c.url)];
    for (const url of urls) expect(new URL(url).pathname).toBe(EVENTS_PATH);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/icp']);
  });
});
