import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANSWER_ACTIONS, VALUE_LIMIT, packQuestion, plainTextMessage, unpackQuestion, withAnswerActions } from '../../src/slack/actions.js';
import type { Understanding } from '../../src/types.js';

const u = (over: Partial<Understanding> = {}): Understanding => ({
  text: 'deregister in Zhejiang',
  intent: 'deregister',
  confidence: 0.9,
  runnerUp: null,
  province: 'zhejiang',
  candidates: [],
  recordNumber: null,
  lang: 'en',
  ...over,
});

describe('button values', () => {
  it('round-trip the question', () => {
    expect(unpackQuestion(packQuestion(u()))).toEqual(u());
    expect(unpackQuestion(packQuestion(u({ province: null, candidates: ['shanxi', 'shaanxi'], lang: 'zh', recordNumber: '浙ICP备12345678号' })))).toMatchObject({
      candidates: ['shanxi', 'shaanxi'],
      lang: 'zh',
      recordNumber: '浙ICP备12345678号',
    });
  });

  it('always fit Slack’s 2,000-character limit, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5000, unit: 'binary' }), (text) => {
        const packed = packQuestion(u({ text }));
        expect(packed.length).toBeLessThanOrEqual(VALUE_LIMIT);
        expect(unpackQuestion(packed)?.intent).toBe('deregister');
      }),
    );
  });

  it('reject anything we did not write', () => {
    for (const v of [undefined, '', 'x', '{}', '[]', JSON.stringify({ v: 1, t: 'x' }), JSON.stringify({ ...JSON.parse(packQuestion(u())), l: 'fr' })]) {
      expect(unpackQuestion(v)).toBeNull();
    }
  });
});

describe('answer actions', () => {
  it('append plain-text and feedback buttons (and Post to channel on request) after the answer', () => {
    const msg = withAnswerActions({ text: 'fallback', blocks: [{ type: 'section' }] }, u(), 'zh', { postToChannel: true });
    expect(msg.text).toBe('fallback');
    const last = msg.blocks[msg.blocks.length - 1] as { block_id: string; elements: { action_id: string; text: { text: string } }[] };
    expect(last.block_id).toBe(ANSWER_ACTIONS.blockId);
    expect(last.elements.map((e) => e.action_id)).toEqual([ANSWER_ACTIONS.postToChannel, ANSWER_ACTIONS.plainText, ANSWER_ACTIONS.helpful, ANSWER_ACTIONS.notHelpful]);
    expect(last.elements[1]?.text.text).toBe('给客户的纯文本');
  });

  it('never exceed 50 blocks', () => {
    const many = Array.from({ length: 60 }, () => ({ type: 'divider' }));
    expect(withAnswerActions({ text: 't', blocks: many }, u(), 'en').blocks).toHaveLength(50);
  });

  it('plain text goes in plain_text sections under 3,000 characters', () => {
    const text = `see https://beian.miit.gov.cn ${'x'.repeat(7000)}`;
    const msg = plainTextMessage(text, 'en');
    expect(msg.text).toBe(text);
    const sections = msg.blocks.filter((b) => b.type === 'section') as { text: { type: string; text: string } }[];
    expect(sections.length).toBe(3);
    for (const s of sections) {
      expect(s.text.type).toBe('plain_text');
      expect(s.text.text.length).toBeLessThanOrEqual(3000);
    }
    expect(sections.map((s) => s.text.text).join('')).toBe(text);
  });
});
