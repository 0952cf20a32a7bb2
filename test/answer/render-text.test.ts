/**
 * Plain text: renderText() is what an agent pastes to a customer (the summary with bare URLs, the
 * details only on request, never the agent-facing source line, no vendor name, no retired
 * address, short enough for a chat message); renderAgentText() is `icp-bot ask`: title, summary,
 * details and the source line with the archived addresses.
 */
import { describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { loadIntents } from '../../src/answer/intents.js';
import { registry } from '../../src/answer/registry.js';
import { renderAgentText, renderText, richText } from '../../src/answer/render-text.js';
import { FALLBACK_INTENT, type Lang, type Understanding } from '../../src/types.js';
import { madeAnswer, understanding } from '../support/made.js';
import { understand } from '../../src/understand/understand.js';

const reg = registry();
const INTENT_IDS = [...loadIntents().intents.map((i) => i.intent), FALLBACK_INTENT];

const u = understanding;
const made = madeAnswer;

/** The three ways a customer can be answered: English, Simplified and Traditional Chinese. */
const SCRIPTS: [string, Partial<Understanding>][] = [
  ['en', { lang: 'en' }],
  ['zh', { lang: 'zh' }],
  ['zh-Hant', { lang: 'zh', traditional: true }],
];
/** Limits of the customer's text (the summary): a chat message, not a manual. */
const MAX_EN_CHARS = 600;
const MAX_HAN = 300;
const VENDOR = /JD Cloud|jdcloud|jcloud|京东云|京東雲/i;
const RETIRED = /miitbeian\.gov\.cn/i;
const hanCount = (s: string) => (s.match(/\p{Script=Han}/gu) ?? []).length;

/** The customer's text must fit a chat message in the answer's language. */
function expectCustomerText(text: string, lang: Lang, name: string) {
  expect(text, name).not.toMatch(VENDOR);
  expect(text, name).not.toMatch(RETIRED);
  if (lang === 'en') expect(text.length, `${name}: ${text.length} characters`).toBeLessThanOrEqual(MAX_EN_CHARS);
  else expect(hanCount(text), `${name}: ${hanCount(text)} Han characters`).toBeLessThanOrEqual(MAX_HAN);
}

describe('the deregistration answer of every province (acceptance)', () => {
  describe.each(reg.provinces.map((p) => [p.id, p] as const))('%s', (id, p) => {
    it.each(['en', 'zh'] as Lang[])(
      '%s: the agent sees beian.miit.gov.cn in the first 300 characters and the archived link further down',
      (lang) => {
        const text = renderAgentText(answer(u('deregister', { province: id, lang })));
        const head = text.slice(0, 300);
        expect(head, `beian.miit.gov.cn found at ${text.indexOf('beian.miit.gov.cn')}`).toContain('beian.miit.gov.cn');
        expect(head).not.toContain('miitbeian.gov.cn');
        expect(text).toContain(p.deregistration.url);
      },
    );

    it.each(SCRIPTS)('%s: the customer text names no vendor and no retired address, and is short', (script, extra) => {
      const a = answer(u('deregister', { province: id, ...extra }));
      const text = renderText(a);
      expectCustomerText(text, a.lang, `${id}/${script}`);
      // What the customer needs is there: the current system and the notice list, with the search term.
      expect(text).toMatch(/https:\/\/beian\.miit\.gov\.cn(?![/#])/);
      expect(text).toContain('https://beian.miit.gov.cn/#/Integrated/notice_list');
      expect(text).toContain(`${p.name.zh} 注销`);
      expect(text).not.toContain(p.deregistration.url);
    });

    it.each(SCRIPTS)('%s, for each kind of cancellation: the same limits', (script, extra) => {
      for (const kind of ['entity', 'site', 'access'] as const) {
        const a = answer(u('deregister', { province: id, kind, ...extra }));
        expect.soft(a.summary.length).toBe(3);
        const text = renderText(a);
        const name = `${id}/${kind}/${script}`;
        expect.soft(text, name).not.toMatch(VENDOR);
        expect.soft(text, name).not.toMatch(RETIRED);
        if (a.lang === 'en')
          expect.soft(text.length, `${name}: ${text.length} characters`).toBeLessThanOrEqual(MAX_EN_CHARS);
        else expect.soft(hanCount(text), `${name}: ${hanCount(text)} Han characters`).toBeLessThanOrEqual(MAX_HAN);
      }
    });
  });
});

describe('every other answer a customer can get (acceptance)', () => {
  const cases = SCRIPTS.flatMap(([script, extra]) =>
    INTENT_IDS.flatMap((intent) =>
      [false, true].map(
        (confirm) =>
          [`${intent}/${script}${confirm ? '/confirm' : ''}`, answer(u(intent, { ...extra, confirm }))] as const,
      ),
    ),
  ).concat(
    SCRIPTS.flatMap(([script, extra]) => [
      [`deregister/ask/${script}`, answer(u('deregister', extra))] as const,
      [
        `deregister/ambiguous/${script}`,
        answer(u('deregister', { ...extra, candidates: ['henan', 'hunan', 'hainan'] })),
      ] as const,
    ]),
  );

  it.each(cases)('%s: no vendor, no retired address, within the length limit', (name, a) => {
    expectCustomerText(renderText(a), a.lang, name);
    // The full text (details on request) is for customers too.
    const full = renderText(a, { full: true });
    expect(full, name).not.toMatch(VENDOR);
    expect(full, name).not.toMatch(RETIRED);
  });
});

describe('renderText', () => {
  it('writes the summary lines with their URLs in full, and nothing else by default', () => {
    const a = answer(u('deregister', { province: 'zhejiang' }));
    expect(renderText(a)).toBe(
      [
        "In your hosting provider's console (ICP filing section), cancel the whole filing (注销主体), one site or app (注销网站/注销App), or only the hosting there (取消接入).",
        'The person responsible (负责人) then confirms a text from 12381 at https://beian.miit.gov.cn within 24 hours.',
        'If the provider can\'t do it, apply to the Zhejiang Communications Administration with the current form from MIIT\'s notice list (search "浙江 注销"): https://beian.miit.gov.cn/#/Integrated/notice_list',
        '',
      ].join('\n'),
    );
  });

  it('writes Chinese links where the text leaves room for them', () => {
    const text = renderText(answer(u('deregister', { province: 'zhejiang', lang: 'zh' })));
    expect(text).toContain('须在24小时内登录 https://beian.miit.gov.cn 完成核验。');
    expect(text).toContain('向浙江省通信管理局申请：https://beian.miit.gov.cn/#/Integrated/notice_list\n');
  });

  it('adds the details with `full`, never the source line', () => {
    const a = answer(u('deregister', { province: 'zhejiang' }));
    const full = renderText(a, { full: true });
    expect(full.startsWith(renderText(a).trimEnd() + '\n\n')).toBe(true);
    expect(full).toContain('\n\nWhich one to cancel\n\n- 注销主体 (the entity)');
    expect(full).toMatch(/\n1\. Download[^\n]*\n2\. Fill it in[^\n]*\n3\. Submit it/);
    for (const text of [renderText(a), full]) {
      expect(text).not.toContain(a.source ? richText(a.source) : '(no source)');
      expect(text).not.toContain('Archived');
    }
    expect(renderText(a)).not.toContain('Which one to cancel');
  });

  it('lists the near-pair candidates, but not 31 provinces for a plain ask; a did-you-mean is its one sentence', () => {
    expect(renderText(answer(u('deregister', { candidates: ['hebei', 'hubei'] })))).toBe(
      `${reg.topics['ask_province_ambiguous']!.en.labels['typed']}\n\n- 河北 Hebei\n- 湖北 Hubei\n`,
    );
    // Nothing can be clicked in a pasted text: the sentence names the options, the agent's text lists them.
    const didYouMean = answer(u('forgot_password', { confirm: true, lang: 'zh' }));
    expect(renderText(didYouMean)).toBe(`${reg.topics['confirm_password']!.zh.summary[0]}\n`);
    expect(renderAgentText(didYouMean)).toContain('- 工信部备案密码\n- 控制台登录密码');
    expect(renderText(answer(u('deregister')))).toBe(`${reg.topics['ask_province']!.en.summary[0]}\n`);
  });

  it('numbers steps and dashes bullets, and keeps data characters as they are', () => {
    const a = made({
      details: [
        { type: 'steps', items: [['one'], ['two']] },
        { type: 'bullets', items: [['x'], ['A & B <c>']] },
        { type: 'note', text: ['n'] },
      ],
    });
    expect(renderText(a, { full: true })).toBe('Summary\n\n1. one\n2. two\n\n- x\n- A & B <c>\n\nn\n');
  });

  it.each(
    INTENT_IDS.flatMap((i) =>
      (['en', 'zh'] as Lang[]).map(
        (lang) => [`${i}/${lang}`, answer(u(i, { lang, province: i === 'deregister' ? 'hunan' : null }))] as const,
      ),
    ),
  )('%s: no Slack markup, every link as its URL', (_name, a) => {
    for (const text of [renderText(a), renderText(a, { full: true })]) {
      expect(text).not.toMatch(/<https?:|\|>|&(amp|lt|gt);/);
      expect(text.endsWith('\n')).toBe(true);
      expect(text.endsWith('\n\n')).toBe(false);
    }
    const full = renderText(a, { full: true });
    const rich = [
      ...a.summary,
      ...a.details.flatMap((p) => (p.type === 'steps' || p.type === 'bullets' ? p.items : [p.text])),
    ];
    for (const l of rich.flat()) if (typeof l !== 'string') expect(full).toContain(l.url);
  });
});

describe('richText', () => {
  const link = { label: 'L', url: 'https://x.cn/a?b=1&c=2' };

  it('writes a link as its URL, spaced from words on both sides', () => {
    expect(richText(['see', link, 'now'])).toBe('see https://x.cn/a?b=1&c=2 now');
    expect(richText(['see ', link, ' now'])).toBe('see https://x.cn/a?b=1&c=2 now');
  });

  it('adds no space before punctuation after a link, nor after a colon or bracket before it', () => {
    expect(richText(['at ', link, '.'])).toBe('at https://x.cn/a?b=1&c=2.');
    expect(richText(['申请：', link, '。'])).toBe('申请：https://x.cn/a?b=1&c=2。');
    expect(richText(['(', link, ')'])).toBe('(https://x.cn/a?b=1&c=2)');
    expect(richText(['list: ', link])).toBe('list: https://x.cn/a?b=1&c=2');
  });

  it('writes links next to each other apart, and trims the ends', () => {
    expect(richText([link, link])).toBe('https://x.cn/a?b=1&c=2 https://x.cn/a?b=1&c=2');
    expect(richText([' a '])).toBe('a');
  });
});

describe('renderAgentText', () => {
  it('writes title, summary, details and the source line, in that order', () => {
    const a = answer(u('deregister', { province: 'zhejiang' }));
    const text = renderAgentText(a);
    const at = (s: string) => text.indexOf(s);
    expect(text.startsWith("Deregistering an ICP filing in Zhejiang\n\nIn your hosting provider's console")).toBe(true);
    expect(at('Which one to cancel')).toBeGreaterThan(at('notice_list'));
    expect(at('Archived (for agents')).toBeGreaterThan(at('5 working days'));
    expect(text.endsWith(`${richText(a.source!)}\n`)).toBe(true);
    expect(text).toContain(renderText(a, { full: true }).trimEnd());
  });

  it('names the archived password help page for agents only', () => {
    const a = answer(u('forgot_password'));
    const url = reg.archived['password_help']!.url;
    expect(renderAgentText(a)).toContain(url);
    expect(renderText(a, { full: true })).not.toContain(url);
  });

  it('lists the options of a question back, and has no source line when the answer has none', () => {
    const text = renderAgentText(answer(u('deregister', { candidates: ['shanxi', 'shaanxi'], lang: 'zh' })));
    // One sentence, as in Slack: the title would say it twice.
    expect(text).toBe(`${reg.topics['ask_province_ambiguous']!.zh.labels['typed']}\n\n- 山西 Shanxi\n- 陕西 Shaanxi\n`);
  });

  it('asks for a missing province in one sentence, not under a title that says the same', () => {
    const a = answer(u('deregister'));
    const text = renderAgentText(a);
    expect(text.startsWith(a.summary.map(richText).join('\n'))).toBe(true);
    expect(text.split(a.title).length - 1).toBeLessThanOrEqual(1);
  });
});

describe('a question back with choices, in plain text', () => {
  const ask = (text: string) => answer(understand(text));

  it('asks what to reply, never to pick: nothing can be picked in text (icp-bot ask --customer)', () => {
    for (const text of [
      'Our company in Suzhou, how do we cancel the beian?',
      'deregister shanxy',
      'sz 注销备案',
      '如何註銷備案 Suzhou',
    ]) {
      const customer = renderText(ask(text));
      const agent = renderAgentText(ask(text));
      for (const out of [customer, agent]) {
        expect(out, text).not.toMatch(/pick one|请选择|請選擇/i);
        expect(out, text).toMatch(/Reply with one of these|请回复下列省份之一|請回[復覆]下列省份之一/);
      }
    }
  });

  it('names the city when one spelling names a city in each province (Suzhou 苏州 / 宿州)', () => {
    expect(renderText(ask('Our company in Suzhou, how do we cancel the beian?'))).toContain(
      '- 江苏 Jiangsu (Suzhou 苏州)\n- 安徽 Anhui (Suzhou 宿州)',
    );
    expect(ask('deregister filing Fuzhou').choices.map((c) => c.label)).toEqual([
      '福建 Fujian (Fuzhou 福州)',
      '江西 Jiangxi (Fuzhou 抚州)',
    ]);
    expect(ask('cancel icp filing taizhou').choices.map((c) => c.label)).toEqual([
      '江苏 Jiangsu (Taizhou 泰州)',
      '浙江 Zhejiang (Taizhou 台州)',
    ]);
    // Candidates from anything else (a near pair, city initials) keep the provinces' names alone.
    expect(ask('sz 注销备案').choices.map((c) => c.label)).toEqual(['广东 Guangdong', '江苏 Jiangsu']);
  });
});

describe('a reply whose first line is its title says it once', () => {
  it.each([
    ['thanks!', "You're welcome!"],
    ['谢谢', '不客气！'],
  ])('%s', (text, title) => {
    const a = answer(understand(text));
    expect(a.title).toBe(title);
    // The customer gets the thanks too, not only the offer of help after it.
    expect(renderText(a).startsWith(title)).toBe(true);
    expect(renderAgentText(a).split(title).length - 1).toBe(1);
  });
});
