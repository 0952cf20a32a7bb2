import { describe, expect, it } from 'vitest';
import {
  isAnswerable,
  isDirectMessage,
  isEditOrDelete,
  isFromBot,
  isFromSelf,
  eventKind,
  messageEvent,
  isDmChannel,
  stripBotMention,
  type SlackMessageEvent,
} from '../../src/slack/filters.js';

const msg = (over: Partial<SlackMessageEvent> = {}): SlackMessageEvent => ({
  type: 'message',
  channel: 'C1',
  user: 'U1',
  text: 'hi',
  ts: '1.1',
  ...over,
});

describe('filters', () => {
  it('answers new messages, with files too, but not edits, deletes, joins or hidden ones', () => {
    expect(isAnswerable(msg())).toBe(true);
    expect(isAnswerable(msg({ subtype: 'file_share' }))).toBe(true);
    expect(isAnswerable(msg({ type: 'app_mention' }))).toBe(true);
    expect(isAnswerable(msg({ subtype: 'message_changed' }))).toBe(false);
    expect(isAnswerable(msg({ subtype: 'message_deleted' }))).toBe(false);
    expect(isAnswerable(msg({ subtype: 'channel_join' }))).toBe(false);
    expect(isAnswerable(msg({ hidden: true }))).toBe(false);
    expect(isAnswerable(msg({ user: undefined }))).toBe(false);
    expect(isEditOrDelete(msg({ subtype: 'message_changed' }))).toBe(true);
  });

  it('recognises bots and itself', () => {
    expect(isFromBot(msg({ bot_id: 'B1' }))).toBe(true);
    expect(isFromBot(msg({ subtype: 'bot_message' }))).toBe(true);
    expect(isFromBot(msg())).toBe(false);
    // An app's post can come with app_id or bot_profile and no bot_id (read from the raw event).
    expect(isFromBot(messageEvent({ type: 'message', user: 'U1', text: 'x', app_id: 'A1' }))).toBe(true);
    expect(isFromBot(messageEvent({ type: 'message', user: 'U1', text: 'x', bot_profile: { id: 'B1' } }))).toBe(true);
    expect(isFromBot(messageEvent({ type: 'message', user: 'U1', text: 'x', bot_profile: 'B1' }))).toBe(false);
    expect(isFromSelf(msg({ user: 'UBOT' }), 'UBOT')).toBe(true);
    expect(isFromSelf(msg(), 'UBOT')).toBe(false);
    expect(isFromSelf(msg(), null)).toBe(false);
  });

  it('DMs are im channels; group DMs are not', () => {
    expect(isDirectMessage(msg({ channel: 'D1', channel_type: 'im' }))).toBe(true);
    expect(isDirectMessage(msg({ channel: 'G1', channel_type: 'mpim' }))).toBe(false);
    expect(isDirectMessage(msg({ channel: 'C1', channel_type: 'channel' }))).toBe(false);
    // Without channel_type (block actions, old payloads) the channel id tells.
    expect(isDirectMessage(msg({ channel: 'D1' }))).toBe(true);
    expect(isDmChannel('D0ABC')).toBe(true);
    expect(isDmChannel('C0ABC')).toBe(false);
  });

  it('strips the bot mention, with or without a label', () => {
    expect(stripBotMention('<@UBOT>: deregister   Zhejiang', 'UBOT')).toBe('deregister Zhejiang');
    expect(stripBotMention('<@UBOT|icpbot> hi <@U2>', 'UBOT')).toBe('hi <@U2>');
  });

  it('names messages as Botkit does: DM, a mention first, a mention inside, ambient; bots and other events apart', () => {
    const kind = (over: Record<string, unknown>) =>
      eventKind({ type: 'message', channel: 'C1', user: 'U1', text: 'hi', ...over }, 'UBOT');
    expect(kind({ channel_type: 'im' })).toBe('direct_message');
    expect(kind({ text: ' <@UBOT> deregister' })).toBe('direct_mention');
    expect(kind({ text: 'ask <@UBOT|icpbot> please' })).toBe('mention');
    expect(kind({ type: 'app_mention', text: 'no mention text' })).toBe('mention');
    expect(kind({ text: 'hello <@UOTHER>' })).toBe('message');
    expect(kind({ bot_id: 'B1' })).toBe('bot_message');
    expect(kind({ type: 'reaction_added' })).toBe('reaction_added');
  });
});
