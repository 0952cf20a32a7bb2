/**
 * The pure rules of on-message.ts: when a typed reply completes a waiting question (completes), and
 * when a message is a follow-up to the conversation's last answer (followUp). Hand-made
 * understandings pin the rules; a few real ones (understand()) check the phrases users type.
 */
import { describe, expect, it } from 'vitest';
import { LOW_CONFIDENCE } from '../../src/slack/log.js';
import { completes, followUp, inAskedLanguage, provinceLabel, readsAsFollowUp } from '../../src/slack/on-message.js';
import type { PendingQuestion } from '../../src/slack/pending.js';
import type { Understanding } from '../../src/types.js';
import { understand } from '../../src/understand/understand.js';
import { understanding } from '../support/made.js';

const u = (over: Partial<Understanding> = {}): Understanding =>
  understanding('deregister', { text: 'how do I deregister my ICP filing', ...over });

const pendingFor = (understanding: Understanding): PendingQuestion => ({
  ref: 'r',
  understanding,
  user: 'U1',
  team: 'T1',
  channel: 'D1',
  threadTs: undefined,
  ephemeral: false,
  promptTs: '1.1',
  createdAt: 0,
});

/** A reply that only names a place (the core reads it as no topic). */
const place = (over: Partial<Understanding>): Understanding =>
  u({ text: 'what about it?', intent: 'fallback', confidence: 0.4, ...over });

describe('provinceLabel', () => {
  it('shows both names, Chinese first; an unknown id as itself', () => {
    expect(provinceLabel('zhejiang')).toBe('浙江 Zhejiang');
    expect(provinceLabel('shaanxi')).toBe('陕西 Shaanxi');
    expect(provinceLabel('atlantis')).toBe('atlantis');
  });
});

describe('completes a question back between readings', () => {
  const asked = pendingFor(understand('Can you help with our beian?'));

  it.each([
    ['2', 'forgot_password'],
    ['the second one', 'forgot_password'],
    ['第二个', 'forgot_password'],
    ['3.', 'lost_record_number'],
    ['first', 'deregister'],
  ])('"%s" picks %s, and the question is no longer a question back', (typed, intent) => {
    const chosen = completes(asked, understand(typed));
    expect(chosen?.intent).toBe(intent);
    expect(chosen?.options).toBeUndefined();
    expect(chosen?.text).toBe('Can you help with our beian?');
  });

  it('the words of a reading pick it; anything else is a new question', () => {
    expect(completes(asked, understand('the filing password'))?.intent).toBe('forgot_password');
    expect(completes(asked, understand('what is the weather tomorrow'))).toBeNull();
    expect(completes(asked, understand('4'))).toBeNull();
    expect(completes(asked, understand('2'.repeat(30)))).toBeNull();
  });
});

describe('completes', () => {
  const waiting = pendingFor(u({ text: '如何註銷備案', lang: 'zh', traditional: true, kind: 'site' }));

  it('a province completes the waiting question, which keeps its own text, language and kind', () => {
    expect(completes(waiting, place({ province: 'zhejiang' }))).toEqual({
      ...waiting.understanding,
      province: 'zhejiang',
      candidates: [],
    });
  });

  it('a near pair narrows it to the candidates, still without a province', () => {
    const w = pendingFor(u({ candidates: ['henan', 'hunan', 'hainan'] }));
    expect(completes(w, place({ candidates: ['shanxi', 'shaanxi'] }))).toEqual({
      ...w.understanding,
      province: null,
      candidates: ['shanxi', 'shaanxi'],
    });
  });

  it('the same topic asked again with a province completes it', () => {
    expect(
      completes(waiting, u({ text: 'deregister in Zhejiang', province: 'zhejiang', confidence: 0.95 }))?.province,
    ).toBe('zhejiang');
  });

  it('another core topic, confidently, is a new question; unsure, its province still counts', () => {
    const password = u({ intent: 'forgot_password', province: 'zhejiang', confidence: LOW_CONFIDENCE });
    expect(completes(waiting, password)).toBeNull();
    expect(completes(waiting, { ...password, confidence: LOW_CONFIDENCE - 0.01 })?.province).toBe('zhejiang');
    expect(completes(waiting, u({ intent: 'lost_record_number', confidence: 0.95 }))).toBeNull();
  });

  it('a reply without a place completes nothing', () => {
    expect(completes(waiting, place({}))).toBeNull();
    expect(completes(waiting, u({ intent: 'thanks', confidence: 0.97 }))).toBeNull();
    // One candidate is not a choice between near provinces.
    expect(completes(waiting, place({ candidates: ['shanxi'] }))).toBeNull();
  });

  it('with the real core: cities, record numbers and Chinese names complete; chatter and new questions do not', () => {
    const w = pendingFor(understand('how do I deregister my ICP filing'));
    expect(completes(w, understand('Hangzhou'))?.province).toBe('zhejiang');
    expect(completes(w, understand('浙ICP备12345678号'))?.province).toBe('zhejiang');
    expect(completes(w, understand('广东'))?.province).toBe('guangdong');
    expect(completes(w, understand('shanxy'))?.candidates).toEqual(['shanxi', 'shaanxi']);
    expect(completes(w, understand('lunch?'))).toBeNull();
    expect(completes(w, understand('I forgot my ICP filing password'))).toBeNull();
    // The waiting question's own words are what is answered.
    expect(completes(w, understand('Hangzhou'))?.text).toBe('how do I deregister my ICP filing');
  });

  it('a province does not "complete" a did-you-mean, which would stay a did-you-mean', () => {
    const didYouMean = pendingFor(u({ text: 'forgot password', intent: 'forgot_password', confirm: true }));
    const completed = completes(
      didYouMean,
      u({
        text: 'I forgot my ICP filing password for Zhejiang',
        intent: 'forgot_password',
        province: 'zhejiang',
        confidence: 0.97,
      }),
    );
    expect(completed === null || completed.confirm === false).toBe(true);
  });
});

describe('followUp', () => {
  const last = u({ text: 'deregister zhejiang', province: 'zhejiang', kind: 'entity' });

  describe('a language switch', () => {
    it('answers the last question again in the language asked for', () => {
      expect(followUp(last, u({ text: 'in Chinese please', intent: 'language', lang: 'zh' }))).toEqual({
        ...last,
        lang: 'zh',
        traditional: false,
      });
      expect(
        followUp({ ...last, lang: 'zh', traditional: true }, u({ text: '英文', intent: 'language', lang: 'en' })),
      ).toEqual({ ...last, lang: 'en', traditional: false });
      expect(followUp(last, u({ text: '請用繁體', intent: 'language', lang: 'zh', traditional: true }))).toEqual({
        ...last,
        lang: 'zh',
        traditional: true,
      });
    });

    it('works for any last answer, not only deregistration', () => {
      const pw = u({ text: 'filing password', intent: 'forgot_password' });
      expect(followUp(pw, understand('in Chinese please'))).toEqual({ ...pw, lang: 'zh', traditional: false });
    });

    it('reads the phrases users type', () => {
      expect(followUp(last, understand('in Chinese please'))).toMatchObject({
        intent: 'deregister',
        province: 'zhejiang',
        lang: 'zh',
        traditional: false,
      });
      expect(followUp({ ...last, lang: 'zh' }, understand('英文'))).toMatchObject({ province: 'zhejiang', lang: 'en' });
      expect(followUp(last, understand('請用繁體'))).toMatchObject({
        province: 'zhejiang',
        lang: 'zh',
        traditional: true,
      });
    });
  });

  describe('a place alone', () => {
    it('moves a deregistration there, keeping the question, its language and kind', () => {
      const zh = { ...last, lang: 'zh' as const, traditional: true };
      // Only a name ("廣西"): nothing says which language, so the conversation's stays.
      expect(followUp(zh, place({ text: '廣西', province: 'guangxi' }))).toEqual({
        ...zh,
        province: 'guangxi',
        candidates: [],
        recordNumber: null,
      });
    });

    it("takes the language of the follow-up's own words", () => {
      expect(followUp(last, place({ text: '那广东呢', lang: 'zh', province: 'guangdong' }))).toMatchObject({
        province: 'guangdong',
        lang: 'zh',
      });
      const zh = { ...last, lang: 'zh' as const };
      expect(followUp(zh, place({ text: 'what about Guangxi?', lang: 'en', province: 'guangxi' }))).toMatchObject({
        province: 'guangxi',
        lang: 'en',
      });
    });

    it('a near pair or a record number replaces the place too', () => {
      expect(followUp(last, place({ candidates: ['shanxi', 'shaanxi'] }))).toEqual({
        ...last,
        province: null,
        candidates: ['shanxi', 'shaanxi'],
        recordNumber: null,
      });
      expect(followUp(last, place({ province: 'guangdong', recordNumber: '粤ICP备17012345号-2' }))).toMatchObject({
        province: 'guangdong',
        recordNumber: '粤ICP备17012345号-2',
      });
    });

    it('is no follow-up to another topic', () => {
      for (const intent of ['forgot_password', 'lost_record_number', 'greeting', 'help']) {
        expect(followUp(u({ intent }), place({ province: 'guangxi' })), intent).toBeNull();
      }
    });

    it('with the real core, "what about Guangxi?", "那广东呢" and a record number are deregistrations there', () => {
      expect(followUp(last, understand('what about Guangxi?'))).toMatchObject({
        intent: 'deregister',
        province: 'guangxi',
        confirm: false,
      });
      expect(followUp(last, understand('那广东呢'))).toMatchObject({
        intent: 'deregister',
        province: 'guangdong',
        lang: 'zh',
      });
      expect(followUp(last, understand('浙ICP备12345678号'))).toMatchObject({
        intent: 'deregister',
        province: 'zhejiang',
        recordNumber: '浙ICP备12345678号',
      });
      expect(followUp(last, understand('what about shanxy?'))).toMatchObject({
        intent: 'deregister',
        province: null,
        candidates: ['shanxi', 'shaanxi'],
      });
    });
  });

  describe('another core topic', () => {
    it('is answered as asked, never as a did-you-mean', () => {
      const reply = u({ text: 'and the password?', intent: 'forgot_password', confirm: true, confidence: 0.88 });
      expect(followUp(last, reply)).toEqual({ ...reply, confirm: false });
      expect(followUp(last, understand('and the password?'))).toMatchObject({
        intent: 'forgot_password',
        confirm: false,
      });
      expect(followUp(last, understand('and the record number?'))).toMatchObject({ intent: 'lost_record_number' });
    });

    it('needs confidence', () => {
      const reply = u({ intent: 'forgot_password', confirm: true, confidence: LOW_CONFIDENCE - 0.01 });
      expect(followUp(last, reply)).toBeNull();
      expect(followUp(last, { ...reply, confidence: LOW_CONFIDENCE })).not.toBeNull();
    });

    it('a deregistration asked after another topic takes that topic’s place', () => {
      const pw = u({
        text: 'I forgot my ICP filing password for Zhejiang',
        intent: 'forgot_password',
        province: 'zhejiang',
      });
      expect(followUp(pw, u({ text: 'and how do I deregister?' }))).toMatchObject({
        intent: 'deregister',
        province: 'zhejiang',
        text: 'and how do I deregister?',
      });
      // Its own place, or near pair, wins.
      expect(followUp(pw, u({ province: 'hunan' }))?.province).toBe('hunan');
      expect(followUp(pw, u({ candidates: ['shanxi', 'shaanxi'] }))).toMatchObject({
        province: null,
        candidates: ['shanxi', 'shaanxi'],
      });
    });

    it('the same topic asked again is a new question: the old place does not carry over', () => {
      expect(followUp(last, u({ text: 'how do I deregister my ICP filing' }))).toMatchObject({
        intent: 'deregister',
        province: null,
      });
      const pw = u({ intent: 'forgot_password', province: 'zhejiang' });
      expect(followUp(pw, u({ intent: 'forgot_password', province: null }))?.province).toBeNull();
    });
  });

  it('anything else is no follow-up: thanks, greetings, chatter, help', () => {
    for (const text of ['ok thanks', 'lunch?', 'hi', 'ok', '好的谢谢', 'help'])
      expect(followUp(last, understand(text)), text).toBeNull();
    expect(followUp(last, u({ intent: 'fallback', confidence: 0.6 }))).toBeNull();
  });
});

describe('readsAsFollowUp: in a DM, a follow-up only when the message reads as one', () => {
  it('language requests, a place alone, "and …", "what about …" and "…呢" read as follow-ups', () => {
    for (const text of ['in Chinese please', 'Hebei', 'what about Hebei?', 'and the password?', '那广东呢', '密码呢？'])
      expect(readsAsFollowUp(understand(text)), text).toBe(true);
  });

  it('a question of its own does not, however soon it comes', () => {
    for (const text of [
      'I forgot the ICP filing password',
      'How do I deregister our filing in Zhejiang?',
      '备案号忘了怎么办',
    ])
      expect(readsAsFollowUp(understand(text)), text).toBe(false);
  });
});

describe('inAskedLanguage', () => {
  it('answers in the language asked for, except a new language request', () => {
    const asked = { lang: 'zh' as const, traditional: true };
    expect(inAskedLanguage(understand('and the password?'), asked)).toMatchObject({ lang: 'zh', traditional: true });
    expect(inAskedLanguage(understand('in English please'), asked)).toMatchObject({ lang: 'en' });
    expect(inAskedLanguage(understand('and the password?'), undefined)).toMatchObject({ lang: 'en' });
    expect(inAskedLanguage(understand('密码呢'), { lang: 'en', traditional: false })).toMatchObject({
      lang: 'en',
      traditional: false,
    });
  });
});
