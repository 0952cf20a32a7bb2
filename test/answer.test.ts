/**
 * answer(): the structured answer built from the registry — the province's route first, the
 * notice-list link and the source always, the question back when the province is missing or
 * ambiguous, and the reply topics for every other intent.
 */
import { describe, expect, it } from 'vitest';
import { createAnswerer, answer } from '../src/answer.js';
import { DataError } from '../src/errors.js';
import { loadIntents } from '../src/intents.js';
import { registry } from '../src/registry.js';
import { FALLBACK_INTENT, type Answer, type AnswerLink, type Lang, type Understanding } from '../src/types.js';
import { understand } from '../src/understand.js';

const reg = registry();
const HAN = /\p{Script=Han}/u;

/** An understanding made by hand, so answer() is tested apart from understand(). */
function u(intent: string, extra: Partial<Understanding> = {}): Understanding {
  return { text: '', intent, confidence: 0.9, runnerUp: null, province: null, candidates: [], recordNumber: null, lang: 'en', ...extra };
}
const links = (a: Answer): AnswerLink[] => a.parts.flatMap((p) => (p.type === 'link' ? [p.link] : []));
const allText = (a: Answer): string =>
  [
    a.summary,
    ...a.parts.map((p) => {
      switch (p.type) {
        case 'link':
          return `${p.link.label} ${p.link.url} ${p.link.note ?? ''}`;
        case 'steps':
        case 'bullets':
          return p.items.join(' ');
        default:
          return p.text;
      }
    }),
  ].join('\n');

describe('deregister with a province', () => {
  const notice = reg.links['notice_list']!.url;

  describe.each(reg.provinces.map((p) => [p.id, p] as const))('%s', (id, p) => {
    it.each(['en', 'zh'] as Lang[])('%s: the province route comes first, then the notice list, with the source', (lang) => {
      const a = answer(u('deregister', { province: id, lang }));
      expect(a).toMatchObject({ intent: 'deregister', lang, province: id, ask: null, choices: [] });
      const ls = links(a);
      expect(ls[0]!.url).toBe(p.deregistration.url);
      expect(ls.map((l) => l.url)).toContain(notice);
      const text = allText(a);
      const src = reg.sources[p.deregistration.source.ref]!;
      expect(text).toContain(src.publisher);
      expect(text).toContain(src.title);
      expect(text).toContain(p.deregistration.source.taken);
      expect(text).toContain('miitbeian.gov.cn');
      expect(text).toContain(lang === 'zh' ? p.name.zh : p.name.en);
    });
  });

  it('gives Zhejiang the form download', () => {
    const first = links(answer(u('deregister', { province: 'zhejiang' })))[0]!;
    expect(reg.byId.get('zhejiang')!.deregistration.kind).toBe('form');
    expect(first.label).toMatch(/form/i);
    expect(first.note).toBeUndefined();
  });

  it.each(['shanghai', 'sichuan', 'hunan'])('gives %s the online route with its note, in both languages', (id) => {
    const route = reg.byId.get(id)!.deregistration;
    expect(route.kind).toBe('online');
    if (route.kind !== 'online') return;
    for (const lang of ['en', 'zh'] as const) {
      const first = links(answer(u('deregister', { province: id, lang })))[0]!;
      expect(first.url).toBe(route.url);
      expect(first.label).toMatch(lang === 'en' ? /online/i : /在线/);
      expect(first.note).toBe(route.note[lang]);
    }
  });

  it('exactly three provinces go online, the other 28 get a form', () => {
    const online = reg.provinces.filter((p) => p.deregistration.kind === 'online').map((p) => p.id).sort();
    expect(online).toEqual(['hunan', 'shanghai', 'sichuan']);
  });

  it('includes the procedure: online first, the three kinds of cancellation, then the offline steps', () => {
    const a = answer(u('deregister', { province: 'zhejiang' }));
    const text = allText(a);
    for (const t of ['注销主体', '注销网站', '取消接入']) expect(text).toContain(t);
    expect(a.parts.some((p) => p.type === 'steps')).toBe(true);
  });

  it('ignores a province id it does not know and asks instead', () => {
    const a = answer(u('deregister', { province: 'atlantis' }));
    expect(a.province).toBeNull();
    expect(a.ask).toEqual({ kind: 'province', candidates: null });
  });
});

describe('deregister without a province', () => {
  it.each(['en', 'zh'] as Lang[])('%s: asks for it, with all 31 choices and how to say it', (lang) => {
    const a = answer(u('deregister', { lang }));
    expect(a.province).toBeNull();
    expect(a.ask).toEqual({ kind: 'province', candidates: null });
    expect(a.choices).toHaveLength(31);
    expect(a.choices.map((c) => c.id)).toEqual(reg.provinces.map((p) => p.id));
    for (const c of a.choices) {
      const p = reg.byId.get(c.id)!;
      expect(c.label).toBe(lang === 'zh' ? p.name.zh : p.name.en);
    }
    // How to say it: a name, a city and a record number.
    expect(allText(a)).toContain('浙ICP备12345678号');
    expect(allText(a)).toMatch(/Hangzhou|杭州/);
    // The province's route is not given: no route link to any province.
    const urls = links(a).map((l) => l.url);
    for (const p of reg.provinces) expect(urls).not.toContain(p.deregistration.url);
  });
});

describe('deregister with an ambiguous province', () => {
  it('asks between the candidates only', () => {
    const a = answer(u('deregister', { candidates: ['hebei', 'hubei'] }));
    expect(a.ask).toEqual({ kind: 'province', candidates: ['hebei', 'hubei'] });
    expect(a.choices).toEqual([
      { id: 'hebei', label: 'Hebei' },
      { id: 'hubei', label: 'Hubei' },
    ]);
  });

  it('labels the candidates in Chinese for a Chinese question', () => {
    const a = answer(u('deregister', { candidates: ['shanxi', 'shaanxi'], lang: 'zh' }));
    expect(a.choices.map((c) => c.label)).toEqual(['山西', '陕西']);
    expect(a.summary).toMatch(HAN);
  });

  it('works end to end from a typo', () => {
    const a = answer(understand('deregister Jiangsi'));
    expect(a.ask?.candidates?.slice().sort()).toEqual(['jiangsu', 'jiangxi']);
  });
});

describe('forgot_password', () => {
  it.each(['en', 'zh'] as Lang[])('%s: SMS verification since 2020, and the seed pointer link', (lang) => {
    const a = answer(u('forgot_password', { lang }));
    const text = allText(a);
    expect(text).toContain('2020');
    expect(text).toMatch(lang === 'en' ? /SMS/ : /短信/);
    expect(links(a).map((l) => l.url)).toContain(reg.links['password_help']!.url);
    expect(a.ask).toBeNull();
  });
});

describe('lost_record_number', () => {
  it.each(['en', 'zh'] as Lang[])('%s: the MIIT public inquiry page', (lang) => {
    const a = answer(u('lost_record_number', { lang }));
    expect(links(a).map((l) => l.url)).toContain('https://beian.miit.gov.cn/#/Integrated/recordQuery');
    expect(allText(a)).toContain('蜀');
  });
});

describe('language', () => {
  const intents = [...loadIntents().intents.map((i) => i.intent), FALLBACK_INTENT];

  it.each(intents)('%s in Chinese is written in Chinese', (intent) => {
    const a = answer(u(intent, { lang: 'zh', province: intent === 'deregister' ? 'zhejiang' : null }));
    expect(a.lang).toBe('zh');
    expect(a.summary).toMatch(HAN);
    for (const l of links(a)) expect(l.label).toMatch(HAN);
    for (const p of a.parts) if (p.type === 'paragraph') expect(p.text).toMatch(HAN);
  });

  it.each(intents)('%s in English starts in English', (intent) => {
    const a = answer(u(intent, { lang: 'en', province: intent === 'deregister' ? 'zhejiang' : null }));
    expect(a.summary).toMatch(/^[A-Za-z]/);
    for (const l of links(a)) expect(l.label).toMatch(/[A-Za-z]{3}/);
  });

  it('answers an English question naming a Chinese place in English', () => {
    const a = answer(understand('Our company in 深圳 wants to deregister the ICP filing'));
    expect(a.lang).toBe('en');
    expect(a.summary).toBe('Deregistering an ICP filing in Guangdong');
  });
});

describe('other intents and the fallback', () => {
  const withReply = loadIntents().intents.filter((i) => i.reply);
  it('every non-core intent has a reply topic', () => {
    expect(withReply.map((i) => i.intent)).toEqual(expect.arrayContaining(['greeting', 'thanks', 'help', 'public_security_filing', 'new_filing']));
  });

  it.each(withReply.map((i) => [i.intent, i] as const))('%s gets its reply topic', (intent, spec) => {
    for (const lang of ['en', 'zh'] as const) {
      const a = answer(u(intent, { lang }));
      expect(a.intent).toBe(intent);
      expect(a.summary).toBe(reg.topics[spec.reply!]![lang].summary);
      expect(a.ask).toBeNull();
    }
  });

  it('public-security filing says where it is done', () => {
    const a = answer(u('public_security_filing'));
    expect(links(a).map((l) => l.url)).toContain(reg.links['public_security_portal']!.url);
  });

  it.each([FALLBACK_INTENT, 'no_such_intent'])('%s gets the help reply with example questions', (intent) => {
    const a = answer(u(intent));
    expect(a.intent).toBe(FALLBACK_INTENT);
    expect(a.summary).toBe(reg.topics['fallback']!.en.summary);
    expect(a.parts.some((p) => p.type === 'bullets' && p.items.length >= 3)).toBe(true);
  });

  it('answers an unrelated question with the fallback, end to end', () => {
    expect(answer(understand('what is the weather in Paris')).intent).toBe(FALLBACK_INTENT);
  });
});

describe('createAnswerer', () => {
  it('refuses an intent whose reply topic does not exist', () => {
    const set = loadIntents();
    const broken = { ...set, intents: set.intents.map((i) => (i.intent === 'thanks' ? { ...i, reply: 'no_such_topic' } : i)) };
    expect(() => createAnswerer(reg, broken)).toThrow(DataError);
    expect(() => createAnswerer(reg, broken)).toThrow(/intents\/thanks\.yaml: reply: .*no_such_topic/);
  });

  it('does not change the understanding it is given', () => {
    const input = u('deregister', { candidates: ['hebei', 'hubei'] });
    const copy = structuredClone(input);
    const a = answer(input);
    a.ask?.candidates?.push('henan');
    expect(input).toEqual(copy);
  });
});
