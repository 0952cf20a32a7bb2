/**
 * Two audiences (src/answer/audience.ts): one list of what is for agents only — the archived
 * source addresses, the vendor's name, provenance, confidence — which the renderers keep out of
 * every customer view (Slack blocks and their text, the plain text, the Home tab) while the
 * agent's view keeps it; the data's own summaries and details hold none of it, so a customer's
 * "Steps and details" loses no step.
 */
import { describe, expect, it } from 'vitest';
import { answer, topicAnswer } from '../../src/answer/answer.js';
import { AGENT_ONLY, agentOnlyTerms, findAgentOnly, forCustomer } from '../../src/answer/audience.js';
import { loadIntents } from '../../src/answer/intents.js';
import { registry } from '../../src/answer/registry.js';
import { renderBlocks, renderHome } from '../../src/answer/render-blocks.js';
import { renderAgentText, renderText } from '../../src/answer/render-text.js';
import { FALLBACK_INTENT, type Answer, type Lang } from '../../src/types.js';
import { madeAnswer, understanding as u } from '../support/made.js';

const reg = registry();
const LANGS: Lang[] = ['en', 'zh'];
const INTENTS = [...loadIntents().intents.map((i) => i.intent), FALLBACK_INTENT];

/** Every answer: each intent in each language (Traditional too), each province, with another need beside. */
const ANSWERS: [string, Answer][] = [
  ...LANGS.flatMap((lang) =>
    [false, true].flatMap((traditional) =>
      lang === 'en' && traditional
        ? []
        : [
            ...INTENTS.map((i): [string, Answer] => [`${i}/${lang}`, answer(u(i, { lang, traditional }))]),
            ...reg.provinces.map((p): [string, Answer] => [
              `deregister/${p.id}/${lang}${traditional ? '-Hant' : ''}`,
              answer(
                u('deregister', {
                  province: p.id,
                  lang,
                  traditional,
                  also: [{ intent: 'forgot_password', province: null }],
                }),
              ),
            ]),
          ],
    ),
  ),
];

describe('the agent-only list', () => {
  it('names the archive hosts, the vendor, provenance and confidence, and the data’s own sources', () => {
    const terms = agentOnlyTerms();
    for (const t of ['miitbeian.gov.cn', 'jcloud.com', 'jd cloud', '京东云', 'archived', '仅供客服参考', 'confidence'])
      expect(terms).toContain(t);
    for (const s of Object.values(reg.sources)) expect(terms).toContain(s.publisher.toLowerCase());
    for (const p of reg.provinces) expect(terms).toContain(p.deregistration.url.toLowerCase());
    expect(Object.keys(AGENT_ONLY)).toEqual(['hosts', 'vendors', 'provenance', 'confidence']);
  });

  it('finds them case-insensitively, and nothing in a customer sentence', () => {
    expect(findAgentOnly('as published in jd cloud')).toEqual(['jd cloud']);
    expect(findAgentOnly('http://zcainfo.MIITBEIAN.gov.cn/x')).toContain('miitbeian.gov.cn');
    expect(findAgentOnly('Confirm the 12381 text at https://beian.miit.gov.cn')).toEqual([]);
  });
});

describe.each(ANSWERS)('%s', (_name, a) => {
  it('the customer’s views (blocks, their text, expanded, plain text) hold nothing on the list', () => {
    for (const expanded of [false, true]) {
      const msg = renderBlocks(a, { expanded });
      expect(findAgentOnly(JSON.stringify(msg.blocks))).toEqual([]);
      expect(findAgentOnly(msg.text)).toEqual([]);
    }
    expect(findAgentOnly(renderText(a, { full: true }))).toEqual([]);
  });

  it('the customer loses no step: only the source line is left out', () => {
    expect(forCustomer(a)).toEqual({ ...a, source: null });
    if (a.source) {
      expect(findAgentOnly(JSON.stringify(renderBlocks(a, { agent: true }).blocks)).length).toBeGreaterThan(0);
      expect(findAgentOnly(renderAgentText(a)).length).toBeGreaterThan(0);
    }
  });
});

describe('forCustomer and the renderers', () => {
  it('drop a detail, a summary line or another need that names anything on the list', () => {
    const a = madeAnswer({
      summary: [['Today: the console.'], ['As published in JD Cloud.']],
      details: [
        { type: 'paragraph', text: ['A customer step.'] },
        { type: 'steps', items: [['One'], ['See ', { label: 'the form', url: 'http://zcainfo.miitbeian.gov.cn/f' }]] },
        { type: 'note', text: ['置信度 0.9'] },
      ],
      source: ['Archived: somewhere'],
      also: { heading: 'You also asked:', items: [{ intent: 'x', title: 'X', text: [['存档地址']] }] },
    });
    const c = forCustomer(a);
    expect(c.summary).toEqual([['Today: the console.']]);
    expect(c.details).toEqual([{ type: 'paragraph', text: ['A customer step.'] }]);
    expect(c.source).toBeNull();
    expect(c.also?.items).toEqual([]);
    const blocks = JSON.stringify(renderBlocks(a, { expanded: true }).blocks);
    expect(blocks).toContain('A customer step.');
    expect(findAgentOnly(blocks)).toEqual([]);
    expect(findAgentOnly(renderText(a, { full: true }))).toEqual([]);
  });

  it('the Home tab holds nothing on the list', () => {
    const home = renderHome([topicAnswer('home', 'en'), topicAnswer('home', 'zh')]);
    expect(findAgentOnly(JSON.stringify(home.blocks))).toEqual([]);
  });
});
