import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import {
  ANSWER_ACTIONS,
  VALUE_LIMIT,
  answerActions,
  notice,
  packQuestion,
  plainTextMessage,
  unpackQuestion,
} from '../../src/slack/actions.js';
import type { Answer, Understanding } from '../../src/types.js';

const u = (over: Partial<Understanding> = {}): Understanding => ({
  text: 'deregister in Zhejiang',
  intent: 'deregister',
  confidence: 0.9,
  confirm: false,
  province: 'zhejiang',
  candidates: [],
  recordNumber: null,
  kind: null,
  lang: 'en',
  traditional: false,
  ...over,
});

/** A hand-made answer, so the buttons are tested apart from the data. */
const a = (over: Partial<Answer> = {}): Answer => ({
  intent: 'deregister',
  lang: 'en',
  traditional: false,
  province: 'zhejiang',
  title: 'T',
  summary: [['s']],
  details: [{ type: 'paragraph', text: ['d'] }],
  source: null,
  ask: null,
  choices: [],
  confirm: null,
  ...over,
});

type Btn = { action_id: string; text: { type: string; text: string }; value: string; style?: string };
const buttons = (block: ReturnType<typeof answerActions>): Btn[] => (block?.elements ?? []) as unknown as Btn[];
const ids = (block: ReturnType<typeof answerActions>) => buttons(block).map((b) => b.action_id);
const texts = (block: ReturnType<typeof answerActions>) => buttons(block).map((b) => b.text.text);

describe('answerActions', () => {
  it('a complete answer: details, plain text, helpful, not helpful, in one block', () => {
    const block = answerActions(u(), a());
    expect(block?.type).toBe('actions');
    expect(block?.block_id).toBe(ANSWER_ACTIONS.blockId);
    expect(ids(block)).toEqual([
      ANSWER_ACTIONS.details,
      ANSWER_ACTIONS.plainText,
      ANSWER_ACTIONS.helpful,
      ANSWER_ACTIONS.notHelpful,
    ]);
    expect(texts(block)).toEqual(['Steps and details', 'Plain text for customer', 'Helpful', 'Not helpful']);
    for (const b of buttons(block)) {
      expect(b.text.type).toBe('plain_text');
      // Every button carries the question, so a click can regenerate the answer.
      expect(unpackQuestion(b.value)).toEqual(u());
      expect(b.style).toBeUndefined();
    }
  });

  it.each(['fallback', 'off_topic'])(
    'a %s reply offers "Ask a person" where hand-off is set up, and nothing else',
    (intent) => {
      const un = u({ intent });
      const reply = answer(un);
      expect(ids(answerActions(un, reply, { handoff: true }))).toEqual([ANSWER_ACTIONS.askPerson]);
      expect(answerActions(un, reply, {})).toBeUndefined();
    },
  );

  it('"Steps and details" only while there are hidden details', () => {
    expect(ids(answerActions(u(), a({ details: [] })))).toEqual([
      ANSWER_ACTIONS.plainText,
      ANSWER_ACTIONS.helpful,
      ANSWER_ACTIONS.notHelpful,
    ]);
    expect(ids(answerActions(u(), a(), { expanded: true }))).toEqual([
      ANSWER_ACTIONS.plainText,
      ANSWER_ACTIONS.helpful,
      ANSWER_ACTIONS.notHelpful,
    ]);
  });

  it('/icp: "Post to channel" first, as the primary button', () => {
    const block = answerActions(u(), a(), { postToChannel: true });
    expect(ids(block)).toEqual([
      ANSWER_ACTIONS.postToChannel,
      ANSWER_ACTIONS.details,
      ANSWER_ACTIONS.plainText,
      ANSWER_ACTIONS.helpful,
      ANSWER_ACTIONS.notHelpful,
    ]);
    expect(buttons(block)[0]).toMatchObject({ style: 'primary', text: { text: 'Post to channel' } });
    expect(ids(answerActions(u(), a(), { postToChannel: true, expanded: true }))).toEqual([
      ANSWER_ACTIONS.postToChannel,
      ANSWER_ACTIONS.plainText,
      ANSWER_ACTIONS.helpful,
      ANSWER_ACTIONS.notHelpful,
    ]);
  });

  it('labels follow the answer’s language and script', () => {
    expect(texts(answerActions(u(), a({ lang: 'zh' }), { postToChannel: true }))).toEqual([
      '发到频道',
      '步骤和详情',
      '给客户的纯文本',
      '有帮助',
      '没有帮助',
    ]);
    expect(texts(answerActions(u(), a({ lang: 'zh', traditional: true }), { postToChannel: true }))).toEqual([
      '發到頻道',
      '步驟和詳情',
      '給客戶的純文本',
      '有幫助',
      '沒有幫助',
    ]);
  });

  it('none for small talk and pointers: greeting, thanks, help, fallback', () => {
    for (const intent of ['greeting', 'thanks', 'help', 'fallback']) {
      expect(answerActions(u({ intent }), a({ intent, details: [] })), intent).toBeUndefined();
      expect(answerActions(u({ intent }), a({ intent }), { postToChannel: true }), intent).toBeUndefined();
    }
  });

  it('none for questions back: a province picker, near-pair buttons, a did-you-mean', () => {
    const picker = a({ ask: { kind: 'province', candidates: null, placeholder: 'p' }, details: [] });
    const pair = a({ ask: { kind: 'province', candidates: ['shanxi', 'shaanxi'], placeholder: 'p' }, details: [] });
    const didYouMean = a({
      intent: 'forgot_password',
      confirm: { options: [{ intent: 'forgot_password', label: 'x' }] },
    });
    for (const x of [picker, pair, didYouMean]) expect(answerActions(u(), x, { postToChannel: true })).toBeUndefined();
  });

  it('with the real core: the answers that are answers get buttons, the others none', () => {
    const cases: [Partial<Understanding>, boolean][] = [
      [{}, true],
      [{ province: null }, false],
      [{ province: null, candidates: ['shanxi', 'shaanxi'] }, false],
      [{ intent: 'forgot_password', province: null }, true],
      [{ intent: 'forgot_password', province: null, confirm: true }, false],
      [{ intent: 'lost_record_number', province: null }, true],
      [{ intent: 'greeting', province: null }, false],
      [{ intent: 'fallback', province: null }, false],
    ];
    for (const [over, has] of cases)
      expect(answerActions(u(over), answer(u(over))) !== undefined, JSON.stringify(over)).toBe(has);
  });

  it('a language switch with nothing to re-answer is the help text, yet gets plain-text and feedback buttons', () => {
    const lang = u({ intent: 'language', province: null, lang: 'zh' });
    expect(answerActions(lang, answer(lang))).toBeUndefined();
  });
});

describe('packQuestion / unpackQuestion', () => {
  it('round-trips the other needs, so a rebuilt answer still says "You also asked"; odd ones are dropped', () => {
    const two = u({ intent: 'forgot_password', also: [{ intent: 'deregister', province: 'anhui' }] });
    expect(unpackQuestion(packQuestion(two))?.also).toEqual([{ intent: 'deregister', province: 'anhui' }]);
    const forged = JSON.parse(packQuestion(two)) as Record<string, unknown>;
    forged['a'] = [['<!channel>', null], ['fees', 'x y'], 'deregister', ['fees', null]];
    expect(unpackQuestion(JSON.stringify(forged))?.also).toEqual([{ intent: 'fees', province: null }]);
  });

  it('round-trips intent, province, candidates, record number, language, script and kind', () => {
    const full = u({
      text: '浙ICP备12345678号 的主体怎么注销',
      intent: 'deregister',
      confidence: 0.875,
      province: null,
      candidates: ['shanxi', 'shaanxi'],
      recordNumber: '浙ICP备12345678号',
      kind: 'entity',
      lang: 'zh',
      traditional: true,
    });
    expect(unpackQuestion(packQuestion(full))).toEqual(full);
    for (const kind of ['entity', 'site', 'access'] as const)
      expect(unpackQuestion(packQuestion(u({ kind })))?.kind).toBe(kind);
    expect(unpackQuestion(packQuestion(u()))).toEqual(u());
    expect(unpackQuestion(packQuestion(u({ traditional: false, lang: 'zh' })))?.traditional).toBe(false);
  });

  it('writes version 2, leaves out what is not set, and never carries a did-you-mean', () => {
    const packed = JSON.parse(packQuestion(u())) as Record<string, unknown>;
    expect(packed.v).toBe(2);
    expect(packed).not.toHaveProperty('h');
    expect(packed).not.toHaveProperty('d');
    expect(JSON.parse(packQuestion(u({ traditional: true, kind: 'site' })))).toMatchObject({ h: 1, d: 'site' });
    // A button is under an answer, never under a question back: confirm comes back false.
    expect(unpackQuestion(packQuestion(u({ intent: 'forgot_password', confirm: true })))?.confirm).toBe(false);
  });

  it('rounds the confidence and keeps at most 10 candidates', () => {
    const ids = Array.from({ length: 15 }, (_, i) => `p${String.fromCharCode(97 + i)}`);
    const back = unpackQuestion(packQuestion(u({ confidence: 0.123456, candidates: ids })));
    expect(back?.confidence).toBe(0.123);
    expect(back?.candidates).toEqual(ids.slice(0, 10));
  });

  it('still accepts a v1 value (from buttons posted before kind and script were carried)', () => {
    const v1 = JSON.stringify({
      v: 1,
      t: 'deregister zhejiang',
      i: 'deregister',
      c: 0.9,
      p: 'zhejiang',
      k: [],
      r: null,
      l: 'en',
    });
    expect(unpackQuestion(v1)).toEqual(u({ text: 'deregister zhejiang' }));
    const v1zh = JSON.stringify({
      v: 1,
      t: '浙江注销',
      i: 'deregister',
      c: 0.9,
      p: null,
      k: ['shanxi', 'shaanxi'],
      r: '浙ICP备12345678号',
      l: 'zh',
    });
    expect(unpackQuestion(v1zh)).toMatchObject({
      province: null,
      candidates: ['shanxi', 'shaanxi'],
      recordNumber: '浙ICP备12345678号',
      lang: 'zh',
      traditional: false,
      kind: null,
    });
  });

  it('reads an unknown kind or script marker as none', () => {
    const base = JSON.parse(packQuestion(u())) as Record<string, unknown>;
    expect(unpackQuestion(JSON.stringify({ ...base, d: 'everything' }))?.kind).toBeNull();
    expect(unpackQuestion(JSON.stringify({ ...base, d: 3 }))?.kind).toBeNull();
    expect(unpackQuestion(JSON.stringify({ ...base, h: true }))?.traditional).toBe(false);
    expect(unpackQuestion(JSON.stringify({ ...base, h: 2 }))?.traditional).toBe(false);
  });

  it('returns null for anything we did not write', () => {
    const good = JSON.parse(packQuestion(u())) as Record<string, unknown>;
    const bad: unknown[] = [
      undefined,
      null,
      42,
      {},
      '',
      'x',
      '{',
      '{"v":2,',
      'null',
      '"string"',
      '[]',
      '{}',
      '2',
      JSON.stringify({ ...good, v: 3 }),
      JSON.stringify({ ...good, v: 0 }),
      JSON.stringify({ ...good, v: '2' }),
      JSON.stringify({ ...good, v: undefined }),
      JSON.stringify({ ...good, t: 1 }),
      JSON.stringify({ ...good, i: null }),
      JSON.stringify({ ...good, c: '0.9' }),
      JSON.stringify({ ...good, p: 1 }),
      JSON.stringify({ ...good, r: 1 }),
      JSON.stringify({ ...good, k: 'shanxi' }),
      JSON.stringify({ ...good, k: ['shanxi', 1] }),
      JSON.stringify({ ...good, l: 'fr' }),
      JSON.stringify({ ...good, l: undefined }),
    ];
    for (const v of bad) expect(unpackQuestion(v), String(v)).toBeNull();
  });

  it('refuses a value over 2,000 characters, even a well-formed one', () => {
    const good = packQuestion(u());
    const padded = good + ' '.repeat(VALUE_LIMIT - good.length);
    expect(padded.length).toBe(VALUE_LIMIT);
    expect(unpackQuestion(padded)).toEqual(u());
    expect(unpackQuestion(padded + ' ')).toBeNull();
  });

  it('always fits Slack’s 2,000-character limit and keeps the start of the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5000, unit: 'binary' }), fc.boolean(), (text, traditional) => {
        const packed = packQuestion(u({ text, traditional, lang: 'zh', kind: 'access' }));
        expect(packed.length).toBeLessThanOrEqual(VALUE_LIMIT);
        const back = unpackQuestion(packed);
        expect(back).toMatchObject({
          intent: 'deregister',
          province: 'zhejiang',
          lang: 'zh',
          traditional,
          kind: 'access',
        });
        expect(text.startsWith(back!.text)).toBe(true);
      }),
    );
  });

  it('keeps a short text whole and cuts a long one to at most 1,000 characters', () => {
    const short = 'how do I deregister my ICP filing in Zhejiang';
    expect(unpackQuestion(packQuestion(u({ text: short })))?.text).toBe(short);
    const long = '注'.repeat(1500);
    expect(Array.from(unpackQuestion(packQuestion(u({ text: long })))!.text).length).toBeLessThanOrEqual(1000);
    // Astral characters are not cut in half.
    const emoji = '😀'.repeat(1500);
    const back = unpackQuestion(packQuestion(u({ text: emoji })))!.text;
    expect(back.length % 2).toBe(0);
    expect(emoji.startsWith(back)).toBe(true);
  });
});

describe('plainTextMessage', () => {
  type Sec = { type: string; text: { type: string; text: string; emoji?: boolean } };
  const sections = (m: ReturnType<typeof plainTextMessage>) =>
    m.blocks.filter((b) => b.type === 'section') as unknown as Sec[];

  it('puts the text in plain_text sections of at most 2,900 characters, after an intro', () => {
    const text = `see https://beian.miit.gov.cn ${'x'.repeat(7000)}`;
    const msg = plainTextMessage(text, 'en');
    expect(msg.text).toBe(text);
    expect(msg.blocks[0]).toEqual({
      type: 'context',
      elements: [{ type: 'plain_text', text: 'Plain text, ready to paste to a customer:', emoji: true }],
    });
    const secs = sections(msg);
    expect(secs.length).toBe(3);
    for (const s of secs) {
      expect(s.text.type).toBe('plain_text');
      expect(s.text.emoji).toBe(false);
      expect(s.text.text.length).toBeLessThanOrEqual(2900);
    }
    expect(secs.map((s) => s.text.text).join('')).toBe(text);
    expect(msg.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('never splits a character, and an empty text is still a valid section', () => {
    const text = '😀'.repeat(3000);
    const secs = sections(plainTextMessage(text, 'en'));
    expect(secs.map((s) => s.text.text).join('')).toBe(text);
    for (const s of secs) expect(s.text.text.startsWith('\uDE00')).toBe(false);
    expect(sections(plainTextMessage('  \n', 'en')).map((s) => s.text.text)).toEqual(['-']);
  });

  it('stays under Slack’s 50 blocks for any length', () => {
    const msg = plainTextMessage('y'.repeat(200_000), 'en', false, packQuestion(u()));
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
  });

  it('with a value, ends with a "Full text" button carrying it', () => {
    const value = packQuestion(u());
    const msg = plainTextMessage('short', 'en', false, value);
    const lastBlock = msg.blocks[msg.blocks.length - 1] as unknown as {
      type: string;
      block_id: string;
      elements: Btn[];
    };
    expect(lastBlock.type).toBe('actions');
    expect(lastBlock.block_id).toBe(ANSWER_ACTIONS.blockId);
    expect(lastBlock.elements).toHaveLength(1);
    expect(lastBlock.elements[0]).toMatchObject({
      type: 'button',
      action_id: ANSWER_ACTIONS.fullText,
      value,
      text: { text: 'Full text' },
    });
  });

  it('speaks the customer’s language, in their script', () => {
    const zh = plainTextMessage('文本', 'zh', false, 'v');
    expect(JSON.stringify(zh.blocks[0])).toContain('纯文本，可直接粘贴给客户：');
    expect(JSON.stringify(zh.blocks)).toContain('"完整内容"');
    const hant = plainTextMessage('文本', 'zh', true, 'v');
    expect(JSON.stringify(hant.blocks[0])).toContain('純文本，可直接粘貼給客戶：');
    expect(JSON.stringify(hant.blocks)).toContain('"完整內容"');
  });
});

describe('notice', () => {
  it('is one mrkdwn section with the same fallback text', () => {
    expect(notice('Thanks — glad it helped.')).toEqual({
      text: 'Thanks — glad it helped.',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Thanks — glad it helped.' } }],
    });
  });
});
