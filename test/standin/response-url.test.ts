import { beforeAll, describe, expect, it } from 'vitest';
import type { Standin } from '../../src/standin/server.js';
import { api, type FakeBot, useStandinWithFakeBot } from './fake-bot.js';

const env = useStandinWithFakeBot();
let bot: FakeBot;
let s: Standin;
beforeAll(() => {
  ({ bot, s } = env);
});

async function respond(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('response_url', () => {
  it('posts ephemeral by default: only the asker sees it', async () => {
    const cmd = await s.sendSlashCommand({ user: 'U0ALICE', channel: 'C0GENERAL', text: 'deregister' });
    expect(await respond(cmd.responseUrl, { text: 'Which province?' })).toEqual({ status: 200, json: { ok: true } });
    const [m] = s.messages('C0GENERAL');
    expect(m).toMatchObject({ text: 'Which province?', ephemeral_to: 'U0ALICE', bot_id: 'B0BOT' });
    expect(s.workspace.visibleTo('U0BOB')).toHaveLength(0);
    expect(s.callsOf('response_url')[0]).toMatchObject({
      args: { text: 'Which province?' },
      message: { channel: 'C0GENERAL', ts: m!.ts },
    });
  });

  it('posts in_channel for everyone, into a thread when thread_ts is given', async () => {
    const cmd = await s.sendSlashCommand({ user: 'U0ALICE', channel: 'C0GENERAL', text: 'x' });
    await respond(cmd.responseUrl, { text: 'for all', response_type: 'in_channel', thread_ts: '1700000000.000100' });
    expect(s.messages('C0GENERAL')[0]).toMatchObject({
      text: 'for all',
      ephemeral_to: undefined,
      thread_ts: '1700000000.000100',
    });
    expect(s.workspace.visibleTo('U0BOB')).toHaveLength(1);
  });

  it('replace_original replaces the clicked message, keeping it ephemeral; delete_original removes it', async () => {
    const eph = await api(s.apiUrl, 'chat.postEphemeral', {
      channel: 'C0GENERAL',
      user: 'U0ALICE',
      text: 'answer',
      blocks: [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'post', text: { type: 'plain_text', text: 'Post' } }],
        },
      ],
    });
    const ts = String(eph.json.message_ts);
    const click = await s.clickAction({ user: 'U0ALICE', message: { ts, channel: 'C0GENERAL' }, actionId: 'post' });
    await respond(click.responseUrl, { text: 'posted', replace_original: true });
    expect(s.messages('C0GENERAL')).toEqual([expect.objectContaining({ ts, text: 'posted', ephemeral_to: 'U0ALICE' })]);
    await respond(click.responseUrl, { delete_original: true });
    expect(s.messages('C0GENERAL')).toHaveLength(0);
  });

  it('puts a new response to a click in a thread beside the clicked message', async () => {
    const parent = await s.sendMessage({ channel: 'C0GENERAL', text: 'q' });
    const reply = await api(s.apiUrl, 'chat.postMessage', { channel: 'C0GENERAL', thread_ts: parent.ts, text: 'a' });
    const click = await s.clickAction({
      user: 'U0ALICE',
      message: { ts: String(reply.json.ts) },
      actionId: 'plain_text',
    });
    await respond(click.responseUrl, { text: 'plain' });
    expect(s.messages('C0GENERAL').at(-1)).toMatchObject({
      text: 'plain',
      thread_ts: parent.ts,
      ephemeral_to: 'U0ALICE',
    });
  });

  it('refuses empty content, unknown URLs, and a sixth use', async () => {
    const cmd = await s.sendSlashCommand({ channel: 'C0GENERAL', text: 'x' });
    expect(await respond(cmd.responseUrl, { response_type: 'in_channel' })).toMatchObject({
      status: 400,
      json: { error: 'no_text' },
    });
    expect((await respond(`${s.baseUrl}response/deadbeef`, { text: 'x' })).status).toBe(404);
    const fresh = await s.sendSlashCommand({ channel: 'C0GENERAL', text: 'x' });
    for (let i = 0; i < 5; i++) expect((await respond(fresh.responseUrl, { text: `n${i}` })).status).toBe(200);
    expect(await respond(fresh.responseUrl, { text: 'again' })).toMatchObject({
      status: 404,
      json: { error: 'used_url' },
    });
  });

  it('shows a non-empty slash command answer as an ephemeral message', async () => {
    bot.respond = () => ({ status: 200, body: JSON.stringify({ text: 'Here is what I can answer' }) });
    await s.sendSlashCommand({ user: 'U0ALICE', channel: 'C0GENERAL', text: 'help' });
    expect(s.messages('C0GENERAL')).toEqual([
      expect.objectContaining({ text: 'Here is what I can answer', ephemeral_to: 'U0ALICE' }),
    ]);
  });

  it('can be failed like a Web API method', async () => {
    const cmd = await s.sendSlashCommand({ channel: 'C0GENERAL', text: 'x' });
    s.fail('response_url', { times: 1, status: 500 });
    expect((await respond(cmd.responseUrl, { text: 'x' })).status).toBe(500);
    expect((await respond(cmd.responseUrl, { text: 'x' })).status).toBe(200);
  });
});
