import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SHORTCUT_CALLBACK } from '../../src/slack/on-shortcut.js';
import { EVENTS_PATH } from '../../src/slack/receiver-http.js';

interface Manifest {
  features: {
    slash_commands: { command: string; url?: string }[];
    app_home: { messages_tab_enabled: boolean; home_tab_enabled: boolean };
    shortcuts: { type: string; callback_id: string; name: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
}

const read = (name: string) => parse(readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8')) as Manifest;
const http = read('manifest.yml');
const socket = read('manifest-socket.yml');

describe('manifest.yml (HTTP)', () => {
  it('subscribes to what the bot answers, with the scopes those events need', () => {
    const events = http.settings.event_subscriptions.bot_events;
    const scopes = http.oauth_config.scopes.bot;
    expect(events).toEqual(
      expect.arrayContaining([
        'app_home_opened',
        'app_mention',
        'message.im',
        'message.channels',
        'message.groups',
        'message.mpim',
      ]),
    );
    expect(scopes).toEqual(
      expect.arrayContaining([
        'app_mentions:read',
        'chat:write',
        'commands',
        'im:history',
        'channels:history',
        'groups:history',
        'mpim:history',
        // HANDOFF_USERGROUP's members act for askers (src/slack/members.ts).
        'usergroups:read',
        // Agents are told from customers (src/slack/agents.ts): users.info.
        'users:read',
      ]),
    );
    expect(http.features.app_home).toMatchObject({ messages_tab_enabled: true, home_tab_enabled: true });
  });

  it('declares the message shortcut the bot handles', () => {
    expect(http.features.shortcuts).toEqual([
      expect.objectContaining({ type: 'message', callback_id: SHORTCUT_CALLBACK, name: 'Answer with icp-bot' }),
    ]);
  });

  it('sends events, interactivity and /icp to the one endpoint', () => {
    const urls = [
      http.settings.event_subscriptions.request_url,
      http.settings.interactivity.request_url,
      ...http.features.slash_commands.map((c) => c.url),
    ];
    for (const url of urls) expect(new URL(String(url)).pathname).toBe(EVENTS_PATH);
    expect(http.settings.interactivity.is_enabled).toBe(true);
    expect(http.features.slash_commands.map((c) => c.command)).toEqual(['/icp']);
    expect(http.settings.socket_mode_enabled).toBe(false);
  });
});

describe('manifest-socket.yml (Socket Mode)', () => {
  it('is the same app with Socket Mode on and no request URLs', () => {
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(socket)).not.toMatch(/url/i);
    // Everything else equal to the HTTP manifest once its URLs are taken out.
    const strip = (m: Manifest): unknown =>
      JSON.parse(JSON.stringify({ ...m, settings: { ...m.settings, socket_mode_enabled: null } }), (k, v: unknown) =>
        k === 'url' || k === 'request_url' ? undefined : v,
      );
    expect(strip(socket)).toEqual(strip(http));
  });
});
