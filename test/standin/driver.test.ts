import { createHmac, timingSafeEqual } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Standin, startStandin } from '../../src/standin/server.js';
import { SECRET, TOKEN, api, bodyOf, type FakeBot, type Received, useStandinWithFakeBot } from './fake-bot.js';

/** Slack's documented check, written independently of the stand-in's signer. */
function verifies(r: Received, secret = SECRET): boolean {
  const ts = String(r.headers['x-slack-request-timestamp']);
  const sig = String(r.headers['x-slack-signature']);
  const expected =
    'v0=' +
    createHmac('sha256', secret)
      .update(Buffer.concat([Buffer.from(`v0:${ts}:`), r.raw]))
      .digest('hex');
  return sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
}

const env = useStandinWithFakeBot();
let bot: FakeBot;
let s: Standin;
beforeAll(() => {
  ({ bot, s } = env);
});

describe('events', () => {
  it('sends a signed event_callback envelope for a DM, with channel_type im', async () => {
    const r = await s.sendMessage({ user: 'U0ALICE', text: 'How do I deregister my filing in Zhejiang?' });
    expect(r.status).toBe(200);
    expect(bot.received).toHaveLength(1);
    const got = bot.received[0]!;
    expect(got.path).toBe('/slack/events');
    expect(verifies(got)).toBe(true);
    expect(verifies(got, 'another-secret')).toBe(false);
    const ts = Number(got.headers['x-slack-request-timestamp']);
    expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(60);
    const env = bodyOf(got);
    expect(env).toMatchObject({ type: 'event_callback', team_id: 'T0LOCAL', event_id: r.eventIds[0] });
    expect(env.event).toMatchObject({
      type: 'message',
      user: 'U0ALICE',
      channel: 'D0ALICE',
      channel_type: 'im',
      ts: r.ts,
      text: 'How do I deregister my filing in Zhejiang?',
    });
    expect(r.channel).toBe('D0ALICE');
  });

  it('signs the bytes of multi-byte text exactly', async () => {
    await s.sendMessage({ text: '我想注销浙江的备案 🙏'.repeat(2000) });
    expect(verifies(bot.received[0]!)).toBe(true);
  });

  it('sends message and app_mention, with different event ids, for a channel mention', async () => {
    const r = await s.sendMessage({ user: 'U0BOB', channel: 'C0GENERAL', text: '<@U0BOT> how do I deregister?' });
    expect(r.eventIds).toHaveLength(2);
    expect(new Set(r.eventIds).size).toBe(2);
    const events = bot.received.map((x) => bodyOf(x).event as Record<string, unknown>);
    expect(events.map((e) => e.type).sort()).toEqual(['app_mention', 'message']);
    for (const e of events) expect(e).toMatchObject({ channel: 'C0GENERAL', ts: r.ts, user: 'U0BOB' });
    expect(events.find((e) => e.type === 'message')?.channel_type).toBe('channel');
  });

  it('sends no app_mention in a DM, and none for channel chatter without a mention', async () => {
    await s.sendMessage({ text: '<@U0BOT> hi' });
    await s.sendMessage({ channel: 'C0GENERAL', text: 'lunch?' });
    const types = bot.received.map((x) => (bodyOf(x).event as Record<string, unknown>).type);
    expect(types).toEqual(['message', 'message']);
  });

  it('marks thread replies, group and mpim channel types', async () => {
    const parent = await s.sendMessage({ user: 'U0ALICE', channel: 'G0PRIVATE', text: 'question' });
    await s.sendMessage({ user: 'U0BOB', channel: 'G0PRIVATE', text: 'Zhejiang', thread_ts: parent.ts });
    await s.sendMessage({ channel: 'G0MPIM', text: 'hi' });
    const events = bot.received.map((x) => bodyOf(x).event as Record<string, unknown>);
    expect(events[0]?.channel_type).toBe('group');
    expect(events[1]).toMatchObject({ thread_ts: parent.ts, parent_user_id: 'U0ALICE' });
    expect(events[2]?.channel_type).toBe('mpim');
  });

  it('describes edits, deletions, files and other bots the way Slack does', async () => {
    const orig = await s.sendMessage({ text: 'first' });
    await s.sendMessage({ text: 'second', edited: true, ts: orig.ts });
    await s.sendMessage({ text: '', subtype: 'message_deleted', ts: orig.ts });
    await s.sendMessage({ text: 'see file', files: [{ id: 'F1', name: 'a.png' }] });
    await s.sendMessage({ text: 'beep', bot_id: 'B0OTHER', user: 'U0OTHERBOT' });
    const events = bot.received.map((x) => bodyOf(x).event as Record<string, unknown>);
    expect(events[1]).toMatchObject({
      subtype: 'message_changed',
      message: { text: 'second', ts: orig.ts },
      previous_message: { text: 'first' },
    });
    expect((events[1]?.message as Record<string, unknown>).edited).toBeDefined();
    expect(events[2]).toMatchObject({ subtype: 'message_deleted', deleted_ts: orig.ts });
    expect(events[3]).toMatchObject({ subtype: 'file_share', text: 'see file', files: [{ id: 'F1' }] });
    expect(events[4]).toMatchObject({ bot_id: 'B0OTHER' });
  });

  it('retries with the same event id and X-Slack-Retry-Num', async () => {
    const r = await s.sendMessage({ text: 'hello' });
    const again = await s.retry(r.envelopes[0]!, 2, 'http_timeout');
    expect(again.status).toBe(200);
    const second = bot.received[1]!;
    expect(second.headers['x-slack-retry-num']).toBe('2');
    expect(second.headers['x-slack-retry-reason']).toBe('http_timeout');
    expect(bodyOf(second).event_id).toBe(r.eventIds[0]);
    expect(verifies(second)).toBe(true);
  });

  it('sends url_verification signed, and reports the bot answer', async () => {
    bot.respond = (r) => ({ status: 200, body: JSON.stringify({ challenge: bodyOf(r).challenge }) });
    const r = await s.urlVerification('abc123');
    expect(bodyOf(bot.received[0]!)).toMatchObject({ type: 'url_verification', challenge: 'abc123' });
    expect(verifies(bot.received[0]!)).toBe(true);
    expect(JSON.parse(r.body)).toEqual({ challenge: 'abc123' });
  });
});

describe('raw requests for hostile tests', () => {
  it('can omit the signature, sign an old timestamp, or override headers', async () => {
    await s.sendRaw({ body: { type: 'event_callback' }, sign: false });
    const old = Math.floor(Date.now() / 1000) - 600;
    await s.sendRaw({ body: '{"a":1}', timestamp: old });
    await s.sendRaw({ body: '{"a":1}', headers: { 'x-slack-signature': 'v0=short' } });
    expect(bot.received[0]!.headers['x-slack-signature']).toBeUndefined();
    expect(bot.received[1]!.headers['x-slack-request-timestamp']).toBe(String(old));
    expect(verifies(bot.received[1]!)).toBe(true);
    expect(bot.received[2]!.headers['x-slack-signature']).toBe('v0=short');
  });

  it('reports a refused connection as status 0 instead of throwing', async () => {
    const saved = s.botUrl;
    s.botUrl = 'http://127.0.0.1:1/slack/events';
    const r = await s.sendMessage({ text: 'x' });
    s.botUrl = saved;
    expect(r.status).toBe(0);
    expect(r.error).toBeTruthy();
  });
});

describe('slash commands and clicks', () => {
  it('sends a slash command as a signed form with response_url and trigger_id', async () => {
    const r = await s.sendSlashCommand({
      user: 'U0ALICE',
      channel: 'C0GENERAL',
      command: '/icp',
      text: 'deregister Zhejiang',
    });
    const got = bot.received[0]!;
    expect(got.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(verifies(got)).toBe(true);
    const form = bodyOf(got);
    expect(form).toMatchObject({
      command: '/icp',
      text: 'deregister Zhejiang',
      user_id: 'U0ALICE',
      channel_id: 'C0GENERAL',
      team_id: 'T0LOCAL',
      response_url: r.responseUrl,
      trigger_id: r.triggerId,
    });
    expect(r.responseUrl.startsWith(s.baseUrl)).toBe(true);
  });

  it('clicks a button in a bot message: block_actions with container, actions and message', async () => {
    const posted = await api(s.apiUrl, 'chat.postMessage', {
      channel: 'C0GENERAL',
      thread_ts: '1700000000.000100',
      text: 'answer',
      blocks: [
        {
          type: 'actions',
          block_id: 'fb',
          elements: [
            { type: 'button', action_id: 'feedback_up', value: 'q1', text: { type: 'plain_text', text: 'Helpful' } },
          ],
        },
      ],
    });
    const call = s.callsOf('chat.postMessage')[0]!;
    const r = await s.clickAction({ user: 'U0BOB', message: call.message!, actionId: 'feedback_up' });
    const got = bot.received[0]!;
    expect(verifies(got)).toBe(true);
    expect(got.raw.toString().startsWith('payload=')).toBe(true);
    const p = bodyOf(got);
    expect(p).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0BOB' },
      team: { id: 'T0LOCAL' },
      channel: { id: 'C0GENERAL' },
      container: {
        type: 'message',
        message_ts: posted.json.ts,
        channel_id: 'C0GENERAL',
        is_ephemeral: false,
        thread_ts: '1700000000.000100',
      },
      actions: [{ type: 'button', action_id: 'feedback_up', block_id: 'fb', value: 'q1' }],
      response_url: r.responseUrl,
      message: { ts: posted.json.ts, text: 'answer', bot_id: 'B0BOT' },
    });
    expect(typeof p.trigger_id).toBe('string');
  });

  it('picks from a static select in an ephemeral message: selected_option, is_ephemeral, no message', async () => {
    await api(s.apiUrl, 'chat.postEphemeral', {
      channel: 'D0ALICE',
      user: 'U0ALICE',
      text: 'Which province?',
      blocks: [
        {
          type: 'section',
          block_id: 'pick',
          text: { type: 'mrkdwn', text: 'Which province?' },
          accessory: {
            type: 'static_select',
            action_id: 'province',
            options: [
              { text: { type: 'plain_text', text: 'Zhejiang 浙江' }, value: 'zhejiang' },
              { text: { type: 'plain_text', text: 'Beijing 北京' }, value: 'beijing' },
            ],
          },
        },
      ],
    });
    const call = s.callsOf('chat.postEphemeral')[0]!;
    await s.clickAction({ user: 'U0ALICE', message: call.message!, actionId: 'province', selectedOption: 'zhejiang' });
    const p = bodyOf(bot.received[0]!);
    expect(p.container).toMatchObject({ is_ephemeral: true, channel_id: 'D0ALICE', message_ts: call.message!.ts });
    expect(p.message).toBeUndefined();
    expect(p.actions).toMatchObject([
      {
        type: 'static_select',
        action_id: 'province',
        block_id: 'pick',
        selected_option: { value: 'zhejiang', text: { text: 'Zhejiang 浙江' } },
      },
    ]);
  });
});

describe('echoBotMessages', () => {
  it('sends the bot its own post back as a message event with its bot_id', async () => {
    const echo = await startStandin({ signingSecret: SECRET, botToken: TOKEN, botUrl: bot.url, echoBotMessages: true });
    try {
      await api(echo.apiUrl, 'chat.postMessage', { channel: 'D0ALICE', text: 'the answer' });
      const got = await bot.next(0);
      expect(verifies(got)).toBe(true);
      expect(bodyOf(got).event).toMatchObject({
        type: 'message',
        channel: 'D0ALICE',
        channel_type: 'im',
        user: 'U0BOT',
        bot_id: 'B0BOT',
        text: 'the answer',
      });
    } finally {
      await echo.close();
    }
  });
});
