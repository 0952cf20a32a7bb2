import { describe, expect, it } from 'vitest';
import {
  isAnswerable,
  isDirectMessage,
  isEditOrDelete,
  isFromBot,
  isFromSelf,
  mentionsBot,
  replyThreadTs,
  stripBotMention,
  type SlackMessageEvent,
} from '../../src/slack/filters.js';

const msg = (over: Partial<SlackMessageEvent> = {}): SlackMessageEvent => ({ type: 'message', channel: 'C1', user: 'U1', text: 'hi', ts: '1.1', ...over });

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
    expect(isFromSelf(msg({ user: 'UBOT' }), 'UBOT')).toBe(true);
    expect(isFromSelf(msg(), 'UBOT')).toBe(false);
    expect(isFromSelf(msg(), null)).toBe(false);
  });

  it('DMs are im channels; group DMs are not', () => {
    expect(isDirectMessage(msg({ channel: 'D1', channel_type: 'im' }))).toBe(true);
    expect(isDirectMessage(msg({ channel: 'G1', channel_type: 'mpim' }))).toBe(false);
    expect(isDirectMessage(msg({ channel: 'C1', channel_type: 'channel' }))).toBe(false);
  });

  it('finds and strips the bot mention, with or without a label', () => {
    expect(mentionsBot('hey <@UBOT> deregister', 'UBOT')).toBe(true);
    expect(mentionsBot('hey <@UOTHER> deregister', 'UBOT')).toBe(false);
    expect(stripBotMention('<@UBOT>: deregister   Zhejiang', 'UBOT')).toBe('deregister Zhejiang');
    expect(stripBotMention('<@UBOT|icpbot> hi <@U2>', 'UBOT')).toBe('hi <@U2>');
  });

  it('replies in the thread asked in, else under the message', () => {
    expect(replyThreadTs(msg({ ts: '2.2', thread_ts: '1.1' }))).toBe('1.1');
    expect(replyThreadTs(msg({ ts: '2.2' }))).toBe('2.2');
  });
});
