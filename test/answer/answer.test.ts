/**
 * answer(): one structured answer built only from the registry. For a deregistration with a
 * province: the hosting provider's console first (or the requested kind's lead line), the 12381 SMS
 * at beian.miit.gov.cn second, the province's Communications Administration with MIIT's notice list
 * third; the seed's archived address only in the agent-facing source line. Without a province:
 * the question back with a picker's choices. "forgot password" alone: a did-you-mean. Every other
 * intent: its reply topic; unknown ones the fallback. Traditional askers get Traditional text,
 * except URLs and the notice-list search term.
 */
import { describe, expect, it } from 'vitest';
import { answer, createAnswerer } from '../../src/answer/answer.js';
import { DataError } from '../../src/errors.js';
import { loadIntents } from '../../src/answer/intents.js';
import { registry, type Province, type TopicText } from '../../src/answer/registry.js';
import { toTraditional } from '../../src/understand/traditional.js';
import { hant } from '../../src/answer/hant.js';
import {
  FALLBACK_INTENT,
  type Answer,
  type AnswerLink,
  type AnswerPart,
  type DeregisterKind,
  type Lang,
  type Rich,
} from '../../src/types.js';
import { understand } from '../../src/understand/understand.js';
import { understanding } from '../support/made.js';
import { STRINGS } from '../../src/slack/strings.js';

const reg = registry();
const LANGS: Lang[] = ['en', 'zh'];
const KINDS: DeregisterKind[] = ['entity', 'site', 'access'];
const ONLINE = ['shanghai', 'sichuan', 'hunan'];
const MIIT_HOME = 'https://beian.miit.gov.cn';
const NOTICE_LIST = 'https://beian.miit.gov.cn/#/Integrated/notice_list';
const INTENTS = loadIntents().intents;

const u = understanding;
const topic = (name: string, lang: Lang): TopicText => reg.topics[name]![lang];
const byId = (id: string): Province => reg.byId.get(id)!;

const links = (r: Rich): AnswerLink[] => r.filter((x): x is AnswerLink => typeof x !== 'string');
const partRich = (p: AnswerPart): Rich[] => (p.type === 'steps' || p.type === 'bullets' ? p.items : [p.text]);
/** Every Rich of an answer a reader sees: summary and details (not the title or the source). */
const body = (a: Answer): Rich[] => [...a.summary, ...a.details.flatMap(partRich)];
/** A Rich as one string, links as "label url". */
const flat = (r: Rich): string => r.map((x) => (typeof x === 'string' ? x : `${x.label} ${x.url}`)).join('');
/** All text of an answer except the source line. */
const visible = (a: Answer): string => [a.title, ...body(a).map(flat)].join('\n');
/** All text of an answer, the source line, the choices and the button labels included. */
const everything = (a: Answer): string =>
  [
    visible(a),
    a.source ? flat(a.source) : '',
    a.ask?.placeholder ?? '',
    ...a.choices.map((c) => c.label),
    ...(a.confirm?.options.map((o) => o.label) ?? []),
  ].join('\n');

/**
 * A Rich written back as its topics.yaml template: each link becomes {key}, so an answer can be
 * compared with the data it came from. The link's label must be the one of the answer's language.
 */
function template(r: Rich, lang: Lang): string {
  return r
    .map((x) => {
      if (typeof x === 'string') return x;
      const key = Object.entries(reg.links).find(([, l]) => l.url === x.url && l.label[lang] === x.label)?.[0];
      return key ? `{${key}}` : `{?${x.label}|${x.url}}`;
    })
    .join('');
}
/** A topic text with the placeholders answer() fills in replaced (links stay {key}). */
const filled = (text: string, vars: Record<string, string>): string =>
  text.replace(/\{([a-z_]+)\}/g, (m, k: string) => vars[k] ?? m);
/** The details of topic texts as answer() must build them, with links kept as {key}. */
function expectedParts(texts: TopicText[], vars: Record<string, string>): unknown[] {
  return texts.flatMap((t) =>
    t.details.map((p) => {
      if ('steps' in p) return { type: 'steps', items: p.steps.map((s) => filled(s, vars)) };
      if ('bullets' in p) return { type: 'bullets', items: p.bullets.map((s) => filled(s, vars)) };
      const [type, text] = Object.entries(p)[0]!;
      return { type, text: filled(text as string, vars) };
    }),
  );
}
const partsAsTemplates = (a: Answer): unknown[] =>
  a.details.map((p) =>
    p.type === 'steps' || p.type === 'bullets'
      ? { type: p.type, items: p.items.map((r) => template(r, a.lang)) }
      : { type: p.type, text: template(p.text, a.lang) },
  );

/** What answer() fills into the deregistration texts, worked out here from the registry alone. */
function varsOf(p: Province, lang: Lang): Record<string, string> {
  const r = p.deregistration;
  const src = reg.sources[r.source.ref]!;
  return {
    province: p.name.en,
    province_zh: p.name.zh,
    province_full_zh: p.fullZh,
    search: `${p.name.zh} 注销`,
    note: r.kind === 'online' ? r.note[lang] : '',
    route: topic(adminTopic(p), lang).labels['route'] ?? '',
    archived_url: r.url,
    archived_title: src.title,
    publisher: src.publisher,
    taken: r.source.taken,
  };
}
const adminTopic = (p: Province) =>
  p.deregistration.kind === 'online' ? 'deregister_admin_online' : 'deregister_admin_form';

describe('deregister with a province', () => {
  describe.each(reg.provinces.map((p) => [p.id, p] as const))('%s', (id, p) => {
    it.each(LANGS)(
      '%s: console, then the 12381 SMS, then the Communications Administration; the archive only in the source',
      (lang) => {
        const a = answer(u('deregister', { province: id, lang }));
        const vars = varsOf(p, lang);
        const main = topic('deregister', lang);
        const admin = topic(adminTopic(p), lang);
        expect(a).toMatchObject({
          intent: 'deregister',
          lang,
          traditional: false,
          province: id,
          ask: null,
          choices: [],
          confirm: null,
        });
        expect(a.title).toBe(filled(main.title, vars));
        expect(a.title).toContain(lang === 'zh' ? p.name.zh : p.name.en);

        // Exactly the three lines of the data, in this order, with the province's values filled in.
        expect(a.summary.map((r) => template(r, lang))).toEqual([
          filled(main.summary[0]!, vars),
          filled(main.summary[1]!, vars),
          filled(admin.summary[0]!, vars),
        ]);
        // And what those lines must say, whatever the wording.
        const [console_, sms, office] = a.summary.map(flat);
        expect(console_).toMatch(lang === 'en' ? /hosting provider's console/ : /控制台/);
        expect(sms).toMatch(lang === 'en' ? /12381[\s\S]*24 hours/ : /12381[\s\S]*24小时/);
        expect(links(a.summary[1]!).map((l) => l.url)).toEqual([MIIT_HOME]);
        expect(office).toContain(
          lang === 'en' ? `${p.name.en} Communications Administration` : `${p.fullZh}通信管理局`,
        );
        expect(office).toContain(lang === 'en' ? `"${p.name.zh} 注销"` : `“${p.name.zh} 注销”`);
        expect(links(a.summary[2]!).map((l) => l.url)).toEqual([NOTICE_LIST]);

        expect(partsAsTemplates(a)).toEqual(expectedParts([main, admin], vars));

        // The seed's archived address is for agents: in the source line, nowhere else.
        expect(a.source).not.toBeNull();
        const source = flat(a.source!);
        // A retired miitbeian.gov.cn address is said to be one; any other "may no longer work".
        const retired = /miitbeian\.gov\.cn/.test(new URL(p.deregistration.url).hostname);
        expect(source).toBe(
          filled(topic(retired ? 'deregister_admin_form' : 'deregister_admin_online', lang).source!, vars),
        );
        expect(source).toMatch(retired ? /not a working address|已非现行地址/ : /may no longer work|可能已失效/);
        expect(source).toContain(p.deregistration.url);
        expect(source).toContain(reg.sources['seed']!.publisher);
        expect(source).toContain(reg.sources['seed']!.title);
        expect(source).toContain(p.deregistration.source.taken);
        expect(visible(a)).not.toContain(p.deregistration.url);
        expect(visible(a)).not.toMatch(/miitbeian\.gov\.cn/);
      },
    );
  });

  it('gives Zhejiang the form from the notice list, in words a customer can follow', () => {
    const en = answer(u('deregister', { province: 'zhejiang' }));
    expect(en.title).toBe('Deregistering an ICP filing in Zhejiang');
    expect(flat(en.summary[2]!)).toBe(
      `If the provider can't do it, apply to the Zhejiang Communications Administration with the current form from MIIT's notice list (search "浙江 注销"): MIIT notice list ${NOTICE_LIST}`,
    );
    const zh = answer(u('deregister', { province: 'zhejiang', lang: 'zh' }));
    expect(zh.title).toBe('浙江：注销ICP备案');
    expect(flat(zh.summary[2]!)).toContain('搜索“浙江 注销”，下载最新申请表，向浙江省通信管理局申请');
    // The offline steps: print, stamp or sign, submit.
    const steps = zh.details.find((p) => p.type === 'steps');
    expect(steps?.type === 'steps' && steps.items.map(flat)).toEqual([
      expect.stringContaining('打印'),
      expect.stringMatching(/公章[\s\S]*营业执照[\s\S]*签字[\s\S]*身份证/),
      expect.stringContaining('浙江省通信管理局'),
    ]);
  });

  it.each(ONLINE)('gives %s the online wording with its note, and no offline steps', (id) => {
    const route = byId(id).deregistration;
    expect(route.kind).toBe('online');
    if (route.kind !== 'online') return;
    for (const lang of LANGS) {
      const a = answer(u('deregister', { province: id, lang }));
      const office = flat(a.summary[2]!);
      expect(office).toMatch(lang === 'en' ? /online/ : /在线/);
      expect(office).toContain(route.note[lang]);
      expect(office).not.toMatch(lang === 'en' ? /form/ : /申请表/);
      expect(a.details.some((p) => p.type === 'steps')).toBe(false);
    }
  });

  it('gives a form to the 28 other provinces, with the offline steps in the details', () => {
    const forms = reg.provinces.filter((p) => !ONLINE.includes(p.id));
    expect(forms).toHaveLength(28);
    for (const p of forms) {
      const a = answer(u('deregister', { province: p.id }));
      expect(flat(a.summary[2]!), p.id).toMatch(/current form/);
      expect(
        a.details.filter((x) => x.type === 'steps'),
        p.id,
      ).toHaveLength(1);
    }
  });

  it('explains the three kinds of cancellation in the details, and that deleting a domain is not one', () => {
    for (const lang of LANGS) {
      const details = answer(u('deregister', { province: 'zhejiang', lang }))
        .details.flatMap(partRich)
        .map(flat)
        .join('\n');
      for (const t of ['注销主体', '注销网站', '取消接入', '新增接入']) expect(details).toContain(t);
      expect(details).toMatch(lang === 'en' ? /Deleting a domain name does not deregister/ : /注销域名不等于注销备案/);
    }
  });

  it('answers a province found end to end in the province asked about', () => {
    const a = answer(understand('Our company in 深圳 wants to deregister the ICP filing'));
    expect([a.lang, a.province, a.title]).toEqual(['en', 'guangdong', 'Deregistering an ICP filing in Guangdong']);
    const b = answer(understand('粤ICP备17012345号-2 注销'));
    expect([b.lang, b.province]).toEqual(['zh', 'guangdong']);
    expect(flat(b.summary[2]!)).toContain('“广东 注销”');
  });

  it('ignores a province id it does not know and asks instead', () => {
    const a = answer(u('deregister', { province: 'atlantis' }));
    expect(a.province).toBeNull();
    expect(a.ask).toMatchObject({ kind: 'province', candidates: null });
    expect(a.choices).toHaveLength(31);
  });
});

describe('deregister for one kind of cancellation', () => {
  const sample = ['zhejiang', 'shanghai', 'sichuan', 'neimenggu'];

  describe.each(KINDS)('%s', (kind) => {
    it.each(LANGS)('%s: the kind leads the summary; the SMS, the office, the details and the source stay', (lang) => {
      for (const id of sample) {
        const p = byId(id);
        const plain = answer(u('deregister', { province: id, lang }));
        const a = answer(u('deregister', { province: id, lang, kind }));
        const lead = topic(`deregister_${kind}`, lang);
        // 取消接入 brings its own last line (only that provider can remove its access); the others keep the office's.
        const last = lead.summary[1]
          ? [filled(lead.summary[1], varsOf(p, lang))]
          : plain.summary.slice(2).map((r) => template(r, lang));
        expect(
          a.summary.map((r) => template(r, lang)),
          id,
        ).toEqual([lead.summary[0], template(plain.summary[1]!, lang), ...last]);
        expect(a.title, id).toBe(filled(lead.title, varsOf(p, lang)));
        expect(a.title, id).toContain(lang === 'zh' ? p.name.zh : p.name.en);
        expect(a.details, id).toEqual(plain.details);
        expect(a.source, id).toEqual(plain.source);
        expect(a.province, id).toBe(id);
      }
    });
  });

  it.each(LANGS)('%s: access leads with 取消接入, not with the whole menu', (lang) => {
    const a = answer(u('deregister', { province: 'zhejiang', lang, kind: 'access' }));
    const first = flat(a.summary[0]!);
    expect(first).toBe(topic('deregister_access', lang).summary[0]);
    expect(first).toContain('取消接入');
    expect(first).not.toContain('注销主体');
    expect(first).toMatch(lang === 'en' ? /number stays/ : /备案号保留/);
  });

  it('reads the kind end to end', () => {
    const zh = answer(understand('浙江 取消接入'));
    expect(flat(zh.summary[0]!)).toBe(topic('deregister_access', 'zh').summary[0]);
    const en = answer(understand('cancel the whole entity in Guangdong'));
    expect(flat(en.summary[0]!)).toBe(topic('deregister_entity', 'en').summary[0]);
    expect(en.title).toBe('Deregistering the entity (注销主体): Guangdong');
  });

  it('still asks for the province first when a kind comes without one', () => {
    const a = answer(u('deregister', { kind: 'site' }));
    expect(a.ask?.kind).toBe('province');
    expect(a.summary.map(flat)).toEqual(topic('ask_province', 'en').summary);
  });
});

describe('deregister without a province', () => {
  it.each(LANGS)('%s: asks for it, with a picker of all 31 provinces named in both languages', (lang) => {
    const a = answer(u('deregister', { lang }));
    const t = topic('ask_province', lang);
    expect(a).toMatchObject({ intent: 'deregister', lang, province: null, confirm: null, details: [], source: null });
    expect(a.title).toBe(t.title);
    expect(a.summary.map(flat)).toEqual(t.summary);
    expect(a.ask).toEqual({ kind: 'province', candidates: null, placeholder: t.labels['picker'] });
    expect(a.ask?.placeholder).toBe(lang === 'en' ? 'Choose a province' : '选择省份');
    expect(a.choices.map((c) => c.id)).toEqual(reg.provinces.map((p) => p.id));
    for (const c of a.choices) {
      const p = byId(c.id);
      expect(c.label).toBe(`${p.name.zh} ${p.name.en}`);
    }
    expect(a.choices.find((c) => c.id === 'zhejiang')?.label).toBe('浙江 Zhejiang');
    // How to answer: a city or a record number.
    expect(flat(a.summary[0]!)).toContain('浙ICP备12345678号');
    // No route is given yet: no notice list, no archived address.
    expect(everything(a)).not.toContain(NOTICE_LIST);
    expect(everything(a)).not.toMatch(/miitbeian/);
  });
});

describe('deregister with an ambiguous province', () => {
  it.each(LANGS)('%s: asks between the candidates only, both names on each', (lang) => {
    const a = answer(u('deregister', { lang, candidates: ['shanxi', 'shaanxi'] }));
    expect(a.title).toBe(topic('ask_province_ambiguous', lang).title);
    expect(a.summary.map(flat)).toEqual(topic('ask_province_ambiguous', lang).summary);
    expect(a.ask).toEqual({
      kind: 'province',
      candidates: ['shanxi', 'shaanxi'],
      placeholder: topic('ask_province', lang).labels['picker'],
      typed: topic('ask_province_ambiguous', lang).labels['typed'],
    });
    expect(a.choices).toEqual([
      { id: 'shanxi', label: '山西 Shanxi' },
      { id: 'shaanxi', label: '陕西 Shaanxi' },
    ]);
    expect(a.province).toBeNull();
  });

  it('treats a single candidate as no province at all: the full picker', () => {
    const a = answer(u('deregister', { candidates: ['hebei'] }));
    expect(a.ask?.candidates).toBeNull();
    expect(a.choices).toHaveLength(31);
  });

  it('works end to end from a typo between near provinces', () => {
    const a = answer(understand('deregister Jiangsi'));
    expect(a.ask?.candidates?.slice().sort()).toEqual(['jiangsu', 'jiangxi']);
    expect(a.choices.map((c) => c.label).sort()).toEqual(['江苏 Jiangsu', '江西 Jiangxi']);
  });
});

describe('deregister two filings of two provinces (two record numbers)', () => {
  const TWO = '粤ICP备17012345号 和 湘ICP备18012345号 都要注销';

  it.each([
    [
      'en',
      'Please cancel both 粤ICP备17012345号 and 湘ICP备18012345号',
      'Deregistering two ICP filings: Guangdong and Hunan',
    ],
    ['zh', TWO, '广东、湖南：注销两个ICP备案'],
  ] as const)('%s: asks no province; each filing’s route, in the order written', (lang, q, title) => {
    const a = answer(understand(q));
    expect([a.lang, a.ask, a.choices, a.province]).toEqual([lang, null, [], null]);
    expect(a.title).toBe(title);
    // The console and the 12381 text once, then Guangdong's form and Hunan's online route.
    expect(a.summary).toHaveLength(4);
    const text = a.summary.map(flat);
    expect(template(a.summary[1]!, lang)).toBe(topic('deregister', lang).summary[1]);
    expect(text[2]).toContain(lang === 'en' ? 'Guangdong Communications Administration' : '广东省通信管理局');
    expect(text[2]).toContain('广东 注销');
    expect(text[3]).toContain(lang === 'en' ? 'Hunan Communications Administration' : '湖南省通信管理局');
    expect(text[3]).toContain('湖南 注销');
    // Each province's archived address, for agents only.
    expect(flat(a.source!)).toContain(byId('guangdong').deregistration.url);
    expect(flat(a.source!)).toContain(byId('hunan').deregistration.url);
  });

  it('in Traditional, both search terms stay Simplified', () => {
    const a = answer(understand('粵ICP備17012345號 和 湘ICP備18012345號 都要註銷'));
    expect(a.ask).toBeNull();
    expect(a.title).toBe('廣東、湖南：註銷兩個ICP備案');
    expect(flat(a.summary[2]!)).toContain('「广东 注销」');
    expect(flat(a.summary[3]!)).toContain('「湖南 注销」');
  });

  it('a named kind leads, with each province’s own second line', () => {
    const a = answer(understand('cancel access only for 粤ICP备17012345号 and 湘ICP备18012345号'));
    expect(a.ask).toBeNull();
    expect(a.summary.map(flat).filter((l) => l.includes('Only that provider can remove its access'))).toHaveLength(2);
  });

  it.each([
    ['One filing in Guangdong, another in Guangxi — please cancel them both', 'Guangdong and Guangxi'],
    ['一个备案在浙江，另一个在江苏，都要注销', '浙江、江苏'],
  ])('named one each in words, too: %s', (q, names) => {
    const a = answer(understand(q));
    expect(a.ask).toBeNull();
    expect(a.title).toContain(names);
  });

  it('still asks where two places are named but not as two filings ("offices in Beijing and Shanghai")', () => {
    expect(
      answer(understand('cancel our filing, offices in Beijing and Shanghai')).ask?.candidates?.slice().sort(),
    ).toEqual(['beijing', 'shanghai']);
  });

  it('still asks when the two provinces come from something else than two record numbers', () => {
    for (const extra of [
      { candidates: ['shanxi', 'shaanxi'] },
      { candidates: ['guangdong', 'hunan'], text: 'cancel our filing, 粤ICP备17012345号, hn' },
      { candidates: ['guangdong', 'hunan', 'zhejiang'], text: '粤ICP备1号 湘ICP备2号 浙ICP备3号 注销' },
    ])
      expect(answer(u('deregister', extra)).ask?.candidates).toEqual(extra.candidates);
  });
});

describe('a cancellation to undo ("cancelled by mistake, can it be restored?")', () => {
  it.each([
    ['Cancelled by mistake, can it be restored?', 'en', 'A cancelled filing cannot be restored or undone'],
    ['注销错了能恢复吗', 'zh', '已注销的备案无法恢复或撤回'],
    ['備案註銷錯了可以恢復嗎', 'zh', '已註銷的備案無法恢復或撤回'],
  ] as const)('%s: cannot be restored, file again (the new-filing route)', (q, lang, line) => {
    const a = answer(understand(q));
    expect([a.intent, a.lang, a.ask, a.confirm]).toEqual(['new_filing', lang, null, null]);
    expect(a.summary.map(flat).join('\n')).toContain(line);
    expect(flat(a.summary[0]!)).toContain(lang === 'en' ? "hosting provider's ICP filing system" : '接入商');
  });

  it('a cancellation nobody asked for is still a vanished record', () => {
    expect(answer(understand('备案被管局注销了，说是空壳网站，能恢复吗')).intent).toBe('record_vanished');
  });
});

describe('forgot_password', () => {
  it.each(LANGS)('%s with confirm: asks whether the filing password or the console password was meant', (lang) => {
    const a = answer(u('forgot_password', { lang, confirm: true }));
    const t = topic('confirm_password', lang);
    expect(a).toMatchObject({
      intent: 'forgot_password',
      lang,
      province: null,
      ask: null,
      choices: [],
      details: [],
      source: null,
    });
    expect(a.title).toBe(t.title);
    expect(a.summary.map(flat)).toEqual(t.summary);
    expect(a.confirm).toEqual({
      options: [
        { intent: 'forgot_password', label: t.labels['forgot_password'] },
        { intent: 'console_password', label: t.labels['console_password'] },
      ],
    });
    // Each option is an intent the bot can answer, with its own topic.
    for (const o of a.confirm!.options) expect(INTENTS.map((i) => i.intent)).toContain(o.intent);
  });

  it.each(LANGS)(
    '%s without confirm: SMS verification since 17 August 2020; the archived help page only in the source',
    (lang) => {
      const a = answer(u('forgot_password', { lang }));
      const t = topic('forgot_password', lang);
      expect(a).toMatchObject({ intent: 'forgot_password', confirm: null, ask: null });
      expect(a.title).toBe(t.title);
      expect(a.summary.map((r) => template(r, lang))).toEqual(t.summary);
      expect(visible(a)).toMatch(lang === 'en' ? /17 August 2020[\s\S]*SMS/ : /2020年8月17日[\s\S]*短信核验/);
      // A changed phone number is a change of the filing (变更备案), in both languages.
      expect(visible(a)).toContain('变更备案');
      expect(links(a.summary[1]!).map((l) => l.url)).toEqual([MIIT_HOME]);
      const archived = reg.archived['password_help']!;
      const source = flat(a.source!);
      expect(source).toContain(archived.url);
      expect(source).toContain(archived.title);
      expect(source).toContain(reg.sources[archived.source]!.publisher);
      expect(visible(a)).not.toContain(archived.url);
      expect(visible(a)).not.toMatch(/jcloud|JD Cloud/i);
    },
  );

  it('asks end to end for a bare "forgot password", and answers a question that names the filing password', () => {
    expect(answer(understand('forgot password')).confirm?.options.map((o) => o.intent)).toEqual([
      'forgot_password',
      'console_password',
    ]);
    const a = answer(understand('I forgot the ICP filing password'));
    expect(a.confirm).toBeNull();
    expect(a.title).toBe(topic('forgot_password', 'en').title);
  });

  it('answers the console password when that option is chosen', () => {
    const a = answer(u('console_password', { lang: 'zh' }));
    expect(a.summary.map(flat)).toEqual(topic('console_password', 'zh').summary);
    expect(a.confirm).toBeNull();
  });
});

describe('lost_record_number', () => {
  it.each(LANGS)('%s: the MIIT public inquiry page and how record numbers read', (lang) => {
    const a = answer(u('lost_record_number', { lang }));
    const t = topic('lost_record_number', lang);
    expect(a.title).toBe(t.title);
    expect(a.summary.map((r) => template(r, lang))).toEqual(t.summary);
    expect(links(a.summary[0]!).map((l) => l.url)).toEqual(['https://beian.miit.gov.cn/#/Integrated/recordQuery']);
    expect(visible(a)).toMatch(/蜀[\s\S]*黔[\s\S]*滇[\s\S]*陇/);
    expect(a.source).toBeNull();
  });
});

describe('other intents and the fallback', () => {
  const withReply = INTENTS.filter((i) => i.reply);

  it('every intent outside the three core ones has a reply topic', () => {
    const core = ['deregister', 'forgot_password', 'lost_record_number'];
    expect(
      INTENTS.filter((i) => !i.reply)
        .map((i) => i.intent)
        .sort(),
    ).toEqual(core.sort());
  });

  it.each(withReply.map((i) => [i.intent, i.reply!] as const))(
    '%s answers its reply topic %s, as written',
    (intent, reply) => {
      for (const lang of LANGS) {
        const a = answer(u(intent, { lang }));
        const t = topic(reply, lang);
        expect(a).toMatchObject({ intent, lang, province: null, ask: null, choices: [], confirm: null });
        expect(a.title).toBe(t.title);
        expect(a.summary.map((r) => template(r, lang))).toEqual(t.summary);
        expect(partsAsTemplates(a)).toEqual(expectedParts([t], {}));
        if (t.source === undefined) expect(a.source).toBeNull();
        else expect(template(a.source!, lang)).toBe(t.source);
        // Nothing left unfilled: every {name} was a link.
        expect(everything(a)).not.toMatch(/\{[a-z_]+\}/);
      }
    },
  );

  it('links the public-security portal for public-security filings, and the licensing system for ICP licences', () => {
    expect(links(answer(u('public_security_filing')).summary[0]!).map((l) => l.url)).toEqual([
      'https://beian.mps.gov.cn',
    ]);
    expect(links(answer(u('icp_licence')).summary[1]!).map((l) => l.url)).toEqual(['https://dxzhgl.miit.gov.cn']);
  });

  it.each([FALLBACK_INTENT, 'no_such_intent'])("%s gets the fallback, in the asker's language", (intent) => {
    for (const lang of LANGS) {
      const a = answer(u(intent, { lang }));
      expect(a.intent).toBe(FALLBACK_INTENT);
      expect(a.title).toBe(topic('fallback', lang).title);
      expect(a.summary.map(flat)).toEqual(topic('fallback', lang).summary);
    }
  });

  // Known bug: answer() answers any topic name as an intent (Object.hasOwn(reg.topics, u.intent)),
  // so an intent id that is an internal topic gets that topic with its {placeholders} unfilled
  // ("apply to the {province} Communications Administration…") or a did-you-mean without buttons.
  // Intent ids reach answer() from Slack button values too. Flip to `it` once fixed.
  it('answers an internal topic name used as an intent with the fallback', () => {
    for (const intent of ['deregister_admin_form', 'confirm_password', 'ask_province']) {
      expect(answer(u(intent)).intent, intent).toBe(FALLBACK_INTENT);
    }
  });

  it('answers an unrelated question with the fallback, end to end', () => {
    expect(answer(understand('what is the weather in Paris')).intent).toBe(FALLBACK_INTENT);
  });
});

/** Every answer the bot gives: each intent (with and without confirm) and each province and kind, in both languages. */
function allAnswers(): [string, Answer][] {
  const out: [string, Answer][] = [];
  for (const lang of LANGS) {
    for (const intent of [...INTENTS.map((i) => i.intent), FALLBACK_INTENT]) {
      for (const confirm of [false, true])
        out.push([`${intent}/${lang}/${confirm}`, answer(u(intent, { lang, confirm }))]);
    }
    for (const p of reg.provinces) {
      for (const kind of [null, ...KINDS])
        out.push([`deregister/${p.id}/${kind}/${lang}`, answer(u('deregister', { province: p.id, lang, kind }))]);
    }
    out.push([
      `deregister/ambiguous/${lang}`,
      answer(u('deregister', { lang, candidates: ['henan', 'hunan', 'hainan'] })),
    ]);
  }
  return out;
}

describe('every answer', () => {
  const all = allAnswers();

  it("has a title, one to four summary lines with text in them, and the asker's language", () => {
    for (const [name, a] of all) {
      expect(a.title.trim(), name).not.toBe('');
      expect(a.summary.length, name).toBeGreaterThanOrEqual(1);
      expect(a.summary.length, name).toBeLessThanOrEqual(4);
      for (const line of a.summary) expect(flat(line).trim(), name).not.toBe('');
      if (a.lang === 'zh') expect(a.summary.map(flat).join(''), name).toMatch(/\p{Script=Han}{4}/u);
      else expect(a.title, name).toMatch(/\b[A-Za-z]{3,}\b/);
    }
  });

  it('links only with labels in its language and https URLs, merges adjacent text, and fills every placeholder', () => {
    for (const [name, a] of all) {
      const rich = [...body(a), ...(a.source ? [a.source] : [])];
      for (const r of rich) {
        for (let i = 1; i < r.length; i++)
          expect(typeof r[i] === 'string' && typeof r[i - 1] === 'string', name).toBe(false);
        for (const l of links(r)) {
          expect(l.url, name).toMatch(/^https:\/\//);
          const known = Object.values(reg.links).find((x) => x.url === l.url);
          expect(known?.label[a.lang], name).toBe(l.label);
        }
      }
      expect(everything(a), name).not.toMatch(/\{[a-z_]+\}/);
    }
  });

  it("never shows a retired miitbeian.gov.cn address or the seed's vendor outside the source line", () => {
    for (const [name, a] of all)
      expect(visible(a), name).not.toMatch(/miitbeian\.gov\.cn|JD Cloud|jdcloud|jcloud|京东云/i);
  });
});

describe('Traditional Chinese', () => {
  /** The answer's text without the notice-list search term, which stays Simplified. */
  const withoutSearch = (a: Answer): string => {
    const p = a.province ? byId(a.province) : undefined;
    return p ? everything(a).split(`${p.name.zh} 注销`).join('') : everything(a);
  };

  it('answers a Traditional question in Traditional, keeping the search term "浙江 注销" Simplified', () => {
    const a = answer(understand('浙江的備案怎麼註銷？'));
    expect([a.lang, a.traditional, a.province]).toEqual(['zh', true, 'zhejiang']);
    expect(a.title).toBe('浙江：註銷ICP備案');
    const text = everything(a);
    expect(text).toContain('註銷');
    expect(text).toContain('備案');
    expect(flat(a.summary[2]!)).toContain('搜尋「浙江 注销」');
    const rest = withoutSearch(a);
    expect(rest).not.toMatch(/注销|备案|销|备/);
  });

  describe.each(reg.provinces.map((p) => [p.id, p] as const))('%s', (id, p) => {
    it('converts every text but the URLs and the search term', () => {
      for (const kind of [null, 'access'] as const) {
        const simplified = answer(u('deregister', { province: id, lang: 'zh', kind }));
        const a = answer(u('deregister', { province: id, lang: 'zh', traditional: true, kind }));
        expect(a.traditional).toBe(true);
        // …and says it is to be typed in Simplified, or a Traditional reader takes it for a typo.
        expect(flat(a.summary[2]!)).toContain(`「${p.name.zh} 注销」（請以簡體字輸入）`);
        expect(everything(simplified)).not.toMatch(/簡體|简体/);
        // Nothing Simplified is left: converting again changes nothing.
        const rest = withoutSearch(a);
        expect(toTraditional(rest)).toBe(rest);
        expect(rest).toContain('註銷');
        // The same answer otherwise: the same shape and the very same URLs.
        const urls = (x: Answer) => [...body(x), ...(x.source ? [x.source] : [])].flatMap(links).map((l) => l.url);
        expect(urls(a)).toEqual(urls(simplified));
        expect(a.summary.map((r) => r.length)).toEqual(simplified.summary.map((r) => r.length));
        expect(a.details.map((x) => x.type)).toEqual(simplified.details.map((x) => x.type));
        expect(flat(a.source!)).toContain(p.deregistration.url);
      }
    });
  });

  it.each([...INTENTS.map((i) => i.intent), FALLBACK_INTENT])(
    '%s: Traditional everywhere, titles, labels and choices included',
    (intent) => {
      for (const confirm of [false, true]) {
        const a = answer(u(intent, { lang: 'zh', traditional: true, confirm }));
        const simplified = answer(u(intent, { lang: 'zh', confirm }));
        expect(a.traditional).toBe(true);
        const rest = withoutSearch(a);
        expect(toTraditional(rest)).toBe(rest);
        // Reviewed where data/zh-hant.yaml says (控制台或帳號密碼), else converted by characters.
        expect(a.title).toBe(hant(simplified.title));
        expect(a.confirm?.options.map((o) => o.intent)).toEqual(simplified.confirm?.options.map((o) => o.intent));
      }
    },
  );

  it('converts the picker and the choices of a question back', () => {
    const a = answer(u('deregister', { lang: 'zh', traditional: true }));
    expect(a.ask?.placeholder).toBe('選擇省份');
    expect(a.choices.find((c) => c.id === 'guangdong')?.label).toBe('廣東 Guangdong');
    expect(a.choices.map((c) => c.id)).toEqual(reg.provinces.map((p) => p.id));
    const confirm = answer(u('forgot_password', { lang: 'zh', traditional: true, confirm: true }));
    expect(confirm.confirm?.options.map((o) => o.label)).toEqual(['工信部備案密碼', '控制台登入密碼']);
  });

  it('leaves an English answer alone, whatever the script flag says', () => {
    const a = answer(u('deregister', { province: 'zhejiang', lang: 'en', traditional: true }));
    expect(a.traditional).toBe(false);
    expect(a).toEqual(answer(u('deregister', { province: 'zhejiang', lang: 'en' })));
  });
});

describe('createAnswerer', () => {
  it('refuses an intent whose reply topic does not exist', () => {
    const set = loadIntents();
    const broken = {
      ...set,
      intents: set.intents.map((i) => (i.intent === 'thanks' ? { ...i, reply: 'no_such_topic' } : i)),
    };
    expect(() => createAnswerer(reg, broken)).toThrow(DataError);
    expect(() => createAnswerer(reg, broken)).toThrow(/intents\/thanks\.yaml: reply: .*no_such_topic/);
  });

  it('answers from the registry it is given, a {link} becoming a link between texts', () => {
    const topics = structuredClone(reg.topics);
    topics['thanks']!.en.summary = ['Any time at {miit_home}, or {record_query}.'];
    const a = createAnswerer({ ...reg, topics }, loadIntents())(u('thanks'));
    expect(a.summary).toEqual([
      [
        'Any time at ',
        { label: 'beian.miit.gov.cn', url: MIIT_HOME },
        ', or ',
        { label: 'MIIT public inquiry', url: 'https://beian.miit.gov.cn/#/Integrated/recordQuery' },
        '.',
      ],
    ]);
  });

  it('does not change the understanding it is given, and gives a fresh answer each time', () => {
    const input = u('deregister', { candidates: ['hebei', 'hubei'] });
    const copy = structuredClone(input);
    const a = answer(input);
    a.ask?.candidates?.push('henan');
    a.choices.pop();
    expect(input).toEqual(copy);
    expect(answer(input).choices).toHaveLength(2);
    const b = answer(u('deregister', { province: 'zhejiang' }));
    (b.summary[0] as (string | AnswerLink)[]).push('tampered');
    expect(flat(answer(u('deregister', { province: 'zhejiang' })).summary[0]!)).not.toContain('tampered');
  });
});

describe('one English name for 负责人', () => {
  it('every English text of ours calls 负责人 "the person responsible", never "contact person" or "responsible person"', () => {
    const texts: string[] = [];
    for (const t of Object.values(registry().topics)) {
      const en = t.en;
      texts.push(en.title, ...en.summary, ...Object.values(en.labels));
      for (const p of en.details) texts.push(...Object.values(p).flat());
    }
    texts.push(...Object.values(STRINGS.en));
    const all = texts.join('\n');
    expect(all).not.toMatch(/contact person|responsible person|person in charge/i);
    expect(all).toMatch(/person responsible \(负责人\)/);
  });
});
