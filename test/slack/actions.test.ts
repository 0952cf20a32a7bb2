import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import {
  ANSWER_ACTIONS,
  VALUE_LIMIT,
  answerActions,
  deriveButtonKey,
  notice,
  openValue,
  packQuestion,
  plainTextMessage,
  signValue,
  unpackQuestion,
  verifiedJson,
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

/** The key bot.ts derives from the bot token; the buttons of these tests are signed with it. */
const KEY = deriveButtonKey('xoxb-test-token');
const SEAL = { key: KEY, asker: 'U0ASKER' };
/** The JSON a signed value carries, parsed. */
const jsonOf = (value: string): Record<string, unknown> =>
  JSON.parse(value.slice(value.indexOf('.') + 1)) as Record<string, unknown>;
/** Signed with the real key, as if it had leaked: what the shape checks alone must refuse. */
const signed = (o: unknown): string => signValue(JSON.stringify(o), KEY);

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
    const block = answerActions(u(), a(), SEAL);
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
      expect(unpackQuestion(b.value, KEY)).toEqual(u());
      // …signed, naming its asker.
      expect(openValue(b.value, KEY)?.asker).toBe('U0ASKER');
      expect(b.style).toBeUndefined();
    }
  });

  it.each(['fallback', 'off_topic'])(
    'a %s reply offers "Ask a person" where hand-off is set up, and nothing else',
    (intent) => {
      const un = u({ intent });
      const reply = answer(un);
      expect(ids(answerActions(un, reply, SEAL, { handoff: true }))).toEqual([ANSWER_ACTIONS.askPerson]);
      expect(answerActions(un, reply, SEAL, {})).toBeUndefined();
    },
  );

  it('"Steps and details" only while there are hidden details', () => {
    expect(ids(answerActions(u(), a({ details: [] }), SEAL))).toEqual([
      ANSWER_ACTIONS.plainText,
      ANSWER_ACTIONS.helpful,
      ANSWER_ACTIONS.notHelpful,
    ]);
    expect(ids(answerActions(u(), a(), SEAL, { expanded: true }))).toEqual([
      ANSWER_ACTIONS.plainText,
      ANSWER_ACTIONS.helpful,
      ANSWER_ACTIONS.notHelpful,
    ]);
  });

  it('/icp: "Post to channel" first, as the primary button', () => {
    const block = answerActions(u(), a(), SEAL, { postToChannel: true });
    expect(ids(block)).toEqual([
      ANSWER_ACTIONS.postToChannel,
      ANSWER_ACTIONS.details,
      ANSWER_ACTIONS.plainText,
      ANSWER_ACTIONS.helpful,
      ANSWER_ACTIONS.notHelpful,
    ]);
    expect(buttons(block)[0]).toMatchObject({ style: 'primary', text: { text: 'Post to channel' } });
    expect(ids(answerActions(u(), a(), SEAL, { postToChannel: true, expanded: true }))).toEqual([
      ANSWER_ACTIONS.postToChannel,
      ANSWER_ACTIONS.plainText,
      ANSWER_ACTIONS.helpful,
      ANSWER_ACTIONS.notHelpful,
    ]);
  });

  it('labels follow the answer’s language and script', () => {
    expect(texts(answerActions(u(), a({ lang: 'zh' }), SEAL, { postToChannel: true }))).toEqual([
      '发到频道',
      '步骤和详情',
      '给客户的纯文本',
      '有帮助',
      '没有帮助',
    ]);
    expect(texts(answerActions(u(), a({ lang: 'zh', traditional: true }), SEAL, { postToChannel: true }))).toEqual([
      '發到頻道',
      '步驟和詳情',
      '給客戶的純文字',
      '有幫助',
      '沒有幫助',
    ]);
  });

  it('none for small talk and pointers: greeting, thanks, help, fallback', () => {
    for (const intent of ['greeting', 'thanks', 'help', 'fallback']) {
      expect(answerActions(u({ intent }), a({ intent, details: [] }), SEAL), intent).toBeUndefined();
      expect(answerActions(u({ intent }), a({ intent }), SEAL, { postToChannel: true }), intent).toBeUndefined();
    }
  });

  it('none for questions back: a province picker, near-pair buttons, a did-you-mean', () => {
    const picker = a({ ask: { kind: 'province', candidates: null, placeholder: 'p' }, details: [] });
    const pair = a({ ask: { kind: 'province', candidates: ['shanxi', 'shaanxi'], placeholder: 'p' }, details: [] });
    const didYouMean = a({
      intent: 'forgot_password',
      confirm: { options: [{ intent: 'forgot_password', label: 'x' }] },
    });
    for (const x of [picker, pair, didYouMean])
      expect(answerActions(u(), x, SEAL, { postToChannel: true })).toBeUndefined();
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
      expect(answerActions(u(over), answer(u(over)), SEAL) !== undefined, JSON.stringify(over)).toBe(has);
  });

  it('a language switch with nothing to re-answer is the help text, yet gets plain-text and feedback buttons', () => {
    const lang = u({ intent: 'language', province: null, lang: 'zh' });
    expect(answerActions(lang, answer(lang), SEAL)).toBeUndefined();
  });
});

describe('packQuestion / unpackQuestion', () => {
  it('round-trips the other needs, so a rebuilt answer still says "You also asked"; odd ones are dropped', () => {
    const two = u({ intent: 'forgot_password', also: [{ intent: 'deregister', province: 'anhui' }] });
    expect(unpackQuestion(packQuestion(two, KEY), KEY)?.also).toEqual([{ intent: 'deregister', province: 'anhui' }]);
    const forged = jsonOf(packQuestion(two, KEY));
    forged['a'] = [['<!channel>', null], ['fees', 'x y'], 'deregister', ['fees', null]];
    // Signed with the real key (say it leaked): the shape is still checked.
    expect(unpackQuestion(signed(forged), KEY)?.also).toEqual([{ intent: 'fees', province: null }]);
  });

  it('round-trips two filings named one each, so a pressed button answers both rather than asking which', () => {
    const two = u({ intent: 'deregister', province: null, candidates: ['guangdong', 'guangxi'], filings: true });
    expect(unpackQuestion(packQuestion(two, KEY), KEY)).toMatchObject({
      candidates: ['guangdong', 'guangxi'],
      filings: true,
    });
    // Candidates that are readings of one name stay a question.
    const ambiguous = u({ intent: 'deregister', province: null, candidates: ['shanxi', 'shaanxi'] });
    expect(unpackQuestion(packQuestion(ambiguous, KEY), KEY)?.filings).toBeUndefined();
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
    expect(unpackQuestion(packQuestion(full, KEY), KEY)).toEqual(full);
    for (const kind of ['entity', 'site', 'access'] as const)
      expect(unpackQuestion(packQuestion(u({ kind }), KEY), KEY)?.kind).toBe(kind);
    expect(unpackQuestion(packQuestion(u(), KEY), KEY)).toEqual(u());
    expect(unpackQuestion(packQuestion(u({ traditional: false, lang: 'zh' }), KEY), KEY)?.traditional).toBe(false);
  });

  it('round-trips the asker, the question ref, the thread target and "after Not helpful"; absent ones come back null (false)', () => {
    const value = packQuestion(u(), KEY, {
      asker: 'U0ALICE',
      qref: 'Ev123',
      target: { channel: 'C1', ts: '1.2' },
      notHelpful: true,
    });
    expect(openValue(value, KEY)).toEqual({
      understanding: u(),
      asker: 'U0ALICE',
      qref: 'Ev123',
      target: { channel: 'C1', ts: '1.2' },
      notHelpful: true,
    });
    expect(jsonOf(value).n).toBe(1);
    expect(openValue(packQuestion(u(), KEY), KEY)).toEqual({
      understanding: u(),
      asker: null,
      qref: null,
      target: null,
      notHelpful: false,
    });
    expect(jsonOf(packQuestion(u(), KEY))).not.toHaveProperty('n');
    expect(openValue(signed({ ...jsonOf(value), u: 42 }), KEY)).toBeNull();
  });

  it('writes version 3, leaves out what is not set, and never carries a did-you-mean', () => {
    const packed = jsonOf(packQuestion(u(), KEY));
    expect(packed.v).toBe(3);
    expect(packed).not.toHaveProperty('h');
    expect(packed).not.toHaveProperty('d');
    expect(packed).not.toHaveProperty('u');
    expect(jsonOf(packQuestion(u({ traditional: true, kind: 'site' }), KEY, { asker: 'U1' }))).toMatchObject({
      h: 1,
      d: 'site',
      u: 'U1',
    });
    // A button is under an answer, never under a question back: confirm comes back false.
    expect(unpackQuestion(packQuestion(u({ intent: 'forgot_password', confirm: true }), KEY), KEY)?.confirm).toBe(
      false,
    );
  });

  it('rounds the confidence and keeps at most 10 candidates', () => {
    const ids = Array.from({ length: 15 }, (_, i) => `p${String.fromCharCode(97 + i)}`);
    const back = unpackQuestion(packQuestion(u({ confidence: 0.123456, candidates: ids }), KEY), KEY);
    expect(back?.confidence).toBe(0.123);
    expect(back?.candidates).toEqual(ids.slice(0, 10));
  });

  // Was: "still accepts a v1 value". Unsigned values are no longer trusted (the bug: anyone could
  // write one), so the v1 and v2 values posted before signing are refused like any forged one.
  it('refuses the unsigned values of before (v1, v2), signed or not', () => {
    const v1 = {
      v: 1,
      t: 'deregister zhejiang',
      i: 'deregister',
      c: 0.9,
      p: 'zhejiang',
      k: [],
      r: null,
      l: 'en',
    };
    const v2 = { ...jsonOf(packQuestion(u(), KEY)), v: 2 };
    for (const old of [v1, v2]) {
      expect(unpackQuestion(JSON.stringify(old), KEY)).toBeNull();
      expect(unpackQuestion(signed(old), KEY)).toBeNull();
    }
  });

  it('reads an unknown kind or script marker as none', () => {
    const base = jsonOf(packQuestion(u(), KEY));
    expect(unpackQuestion(signed({ ...base, d: 'everything' }), KEY)?.kind).toBeNull();
    expect(unpackQuestion(signed({ ...base, d: 3 }), KEY)?.kind).toBeNull();
    expect(unpackQuestion(signed({ ...base, h: true }), KEY)?.traditional).toBe(false);
    expect(unpackQuestion(signed({ ...base, h: 2 }), KEY)?.traditional).toBe(false);
  });

  it('returns null for anything we did not write, signed or not', () => {
    const good = jsonOf(packQuestion(u(), KEY));
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
      JSON.stringify({ ...good, v: 2 }),
      JSON.stringify({ ...good, v: 0 }),
      JSON.stringify({ ...good, v: '3' }),
      JSON.stringify({ ...good, v: undefined }),
      JSON.stringify({ ...good, t: 1 }),
      JSON.stringify({ ...good, i: null }),
      JSON.stringify({ ...good, c: '0.9' }),
      JSON.stringify({ ...good, c: 1.5 }),
      JSON.stringify({ ...good, c: -0.1 }),
      JSON.stringify({ ...good, p: 1 }),
      JSON.stringify({ ...good, r: 1 }),
      JSON.stringify({ ...good, k: 'shanxi' }),
      JSON.stringify({ ...good, k: ['shanxi', 1] }),
      JSON.stringify({ ...good, l: 'fr' }),
      JSON.stringify({ ...good, l: undefined }),
      JSON.stringify([good]),
    ];
    for (const v of bad) {
      expect(unpackQuestion(v, KEY), String(v)).toBeNull();
      if (typeof v === 'string') expect(unpackQuestion(signValue(v, KEY), KEY), `signed ${v}`).toBeNull();
    }
  });

  it('refuses a value over 2,000 characters, even a well-formed, well-signed one', () => {
    const json = JSON.stringify(jsonOf(packQuestion(u(), KEY)));
    const sigLength = signValue(json, KEY).length - json.length;
    const padded = signValue(json + ' '.repeat(VALUE_LIMIT - sigLength - json.length), KEY);
    expect(padded.length).toBe(VALUE_LIMIT);
    expect(unpackQuestion(padded, KEY)).toEqual(u());
    const over = signValue(json + ' '.repeat(VALUE_LIMIT - sigLength - json.length + 1), KEY);
    expect(over.length).toBe(VALUE_LIMIT + 1);
    expect(unpackQuestion(over, KEY)).toBeNull();
  });

  it('always fits Slack’s 2,000-character limit and keeps the start of the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5000, unit: 'binary' }), fc.boolean(), (text, traditional) => {
        const packed = packQuestion(u({ text, traditional, lang: 'zh', kind: 'access' }), KEY, { asker: 'U0ALICE' });
        expect(packed.length).toBeLessThanOrEqual(VALUE_LIMIT);
        const back = unpackQuestion(packed, KEY);
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
    expect(unpackQuestion(packQuestion(u({ text: short }), KEY), KEY)?.text).toBe(short);
    const long = '注'.repeat(1500);
    expect(Array.from(unpackQuestion(packQuestion(u({ text: long }), KEY), KEY)!.text).length).toBeLessThanOrEqual(
      1000,
    );
    // Astral characters are not cut in half.
    const emoji = '😀'.repeat(1500);
    const back = unpackQuestion(packQuestion(u({ text: emoji }), KEY), KEY)!.text;
    expect(back.length % 2).toBe(0);
    expect(emoji.startsWith(back)).toBe(true);
  });
});

describe('signed values', () => {
  const value = packQuestion(u(), KEY, { asker: 'U0ALICE', qref: 'Ev1' });
  const dot = value.indexOf('.');
  const sig = value.slice(0, dot);
  const json = value.slice(dot + 1);

  it('the key is HMAC-SHA256 of a fixed label keyed with the bot token: the same token, the same key', () => {
    expect(KEY).toEqual(createHmac('sha256', 'xoxb-test-token').update('icp-bot button values v1').digest());
    expect(deriveButtonKey('xoxb-test-token')).toEqual(KEY);
    expect(deriveButtonKey('xoxb-other-token')).not.toEqual(KEY);
    expect(sig).toBe(createHmac('sha256', KEY).update(json).digest('base64url'));
    expect(sig).toHaveLength(43);
  });

  it('round-trips: what is signed with a key verifies with it', () => {
    expect(verifiedJson(value, KEY)).toBe(json);
    expect(openValue(value, KEY)?.asker).toBe('U0ALICE');
  });

  it('a tampered value is refused: any change to the JSON, the signature, or another key', () => {
    const other = deriveButtonKey('xoxb-other-token');
    expect(openValue(value, other)).toBeNull();
    expect(openValue(`${sig}.${json.replace('U0ALICE', 'U0MALLORY')}`, KEY)).toBeNull();
    expect(openValue(`${sig}.${json.replace('"c":0.9', '"c":0.8')}`, KEY)).toBeNull();
    expect(openValue(`${sig}.${json} `, KEY)).toBeNull();
    const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    expect(openValue(`${flipped}.${json}`, KEY)).toBeNull();
    // The JSON alone, or with the signature of other JSON.
    expect(openValue(json, KEY)).toBeNull();
    expect(openValue(`${signValue('{}', KEY).split('.')[0]}.${json}`, KEY)).toBeNull();
  });

  it('a signature of the wrong length is refused without throwing', () => {
    for (const s of [
      '',
      'x',
      sig.slice(0, 42),
      `${sig}A`,
      `${sig}==`,
      sig.repeat(2),
      '😀'.repeat(22),
      '\uD800'.repeat(43),
    ])
      expect(() => openValue(`${s}.${json}`, KEY), JSON.stringify(s)).not.toThrow();
    for (const s of ['x', sig.slice(0, 42), `${sig}A`, `${sig}==`, sig.repeat(2), '😀'.repeat(22)])
      expect(openValue(`${s}.${json}`, KEY)).toBeNull();
    expect(openValue(`.${json}`, KEY)).toBeNull();
  });

  it('any string whatsoever is refused or opened, never thrown on', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2100, unit: 'binary' }), (s) => {
        expect(openValue(s, KEY)).toBeNull();
        expect(openValue(`${sig}.${s}`, KEY) === null || s === json).toBe(true);
      }),
    );
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
    const msg = plainTextMessage('y'.repeat(200_000), 'en', false, packQuestion(u(), KEY));
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
  });

  it('with a value, ends with a "Full text" button carrying it', () => {
    const value = packQuestion(u(), KEY);
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
    expect(JSON.stringify(hant.blocks[0])).toContain('純文字，可直接複製貼上給客戶：');
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
