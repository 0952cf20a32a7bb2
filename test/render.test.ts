/**
 * The two renderers: plain text for customers (no Slack markup, every URL in full) and Block Kit
 * for Slack (within Slack's limits, picker and buttons wired to ACTIONS, data text escaped).
 */
import { describe, expect, it } from 'vitest';
import { answer } from '../src/answer.js';
import { loadIntents } from '../src/intents.js';
import { registry } from '../src/registry.js';
import { ACTIONS, escapeMrkdwn, renderBlocks } from '../src/render-blocks.js';
import { renderText } from '../src/render-text.js';
import { FALLBACK_INTENT, type Answer, type AnswerPart, type Lang, type Understanding } from '../src/types.js';

const reg = registry();
const INTENT_IDS = loadIntents().intents.map((i) => i.intent);

function u(intent: string, extra: Partial<Understanding> = {}): Understanding {
  return { text: '', intent, confidence: 0.9, runnerUp: null, province: null, candidates: [], recordNumber: null, lang: 'en', ...extra };
}
function made(parts: AnswerPart[], extra: Partial<Answer> = {}): Answer {
  return { intent: 'help', lang: 'en', province: null, summary: 'Summary', parts, ask: null, choices: [], ...extra };
}

/** Every answer the bot can give: each intent in both languages, each province, an ask and an ambiguous ask. */
const ANSWERS: [string, Answer][] = (['en', 'zh'] as Lang[]).flatMap((lang) => [
  ...[...INTENT_IDS.filter((i) => i !== 'deregister'), FALLBACK_INTENT].map(
    (i): [string, Answer] => [`${i}/${lang}`, answer(u(i, { lang }))],
  ),
  ...reg.provinces.map((p): [string, Answer] => [`deregister/${p.id}/${lang}`, answer(u('deregister', { province: p.id, lang }))]),
  [`deregister/ask/${lang}`, answer(u('deregister', { lang }))],
  [`deregister/ambiguous/${lang}`, answer(u('deregister', { lang, candidates: ['henan', 'hunan', 'hainan'] }))],
]);

const linkUrls = (a: Answer) => a.parts.flatMap((p) => (p.type === 'link' ? [p.link.url] : []));

interface TextObj {
  type: string;
  text: string;
}
interface Block {
  type: string;
  block_id?: string;
  text?: TextObj;
  elements?: Element[];
}
/** Context elements carry mrkdwn text objects; buttons and selects carry plain_text objects. */
interface Element {
  type: string;
  text: TextObj | string;
  action_id?: string;
  value?: string;
  options?: { text: TextObj; value: string }[];
  placeholder?: TextObj;
}
/** The string inside a text object (or the string itself). */
const str = (t: TextObj | string | undefined): string => (typeof t === 'string' ? t : (t?.text ?? ''));
const blocksOf = (a: Answer, ref?: string) => renderBlocks(a, ref === undefined ? {} : { ref }).blocks as unknown as Block[];
const actionsOf = (a: Answer, ref?: string) => blocksOf(a, ref).filter((b) => b.type === 'actions');

describe('renderText', () => {
  it.each(ANSWERS)('%s: no Slack markup and every URL in full', (_name, a) => {
    const text = renderText(a);
    expect(text).not.toContain('<');
    expect(text).not.toContain('|>');
    expect(text).not.toMatch(/&(amp|lt|gt);/);
    expect(text).not.toMatch(/(^|\s)\*[^*\s][^*\n]*\*(\s|$)/);
    for (const url of linkUrls(a)) expect(text).toContain(url);
    expect(text.startsWith(a.summary)).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('writes each link as label, separator and URL, with its note below', () => {
    const a = made([{ type: 'link', link: { label: 'Form', url: 'http://x.cn/a?id=1&b=2', note: 'Note here' } }]);
    expect(renderText(a)).toBe('Summary\n\nForm: http://x.cn/a?id=1&b=2\nNote here\n');
    expect(renderText({ ...a, lang: 'zh' })).toContain('Form：http://x.cn/a?id=1&b=2');
  });

  it('numbers steps and dashes bullets', () => {
    const a = made([
      { type: 'steps', items: ['one', 'two'] },
      { type: 'bullets', items: ['x', 'y'] },
    ]);
    expect(renderText(a)).toBe('Summary\n\n1. one\n2. two\n\n- x\n- y\n');
  });

  it('keeps data characters as they are: plain text is not escaped', () => {
    expect(renderText(made([{ type: 'paragraph', text: 'A & B <c>' }]))).toContain('A & B <c>');
  });

  it('lists the candidates of an ambiguous ask, but not all 31 for a plain ask', () => {
    const amb = renderText(answer(u('deregister', { candidates: ['hebei', 'hubei'] })));
    expect(amb).toContain('- Hebei\n- Hubei');
    const ask = renderText(answer(u('deregister')));
    expect(ask).not.toContain('- Xinjiang');
  });

  it('gives the Zhejiang form URL exactly as the registry has it', () => {
    const text = renderText(answer(u('deregister', { province: 'zhejiang' })));
    expect(text).toContain(reg.byId.get('zhejiang')!.deregistration.url);
    expect(text).toContain('https://beian.miit.gov.cn/#/Integrated/notice_list');
  });
});

describe('renderBlocks', () => {
  it.each(ANSWERS)('%s: within Slack limits, with a text fallback', (_name, a) => {
    const msg = renderBlocks(a, { ref: 'C1:1700000000.000100' });
    expect(msg.text.length).toBeGreaterThan(0);
    expect(msg.text.startsWith(a.summary)).toBe(true);
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    const blocks = msg.blocks as unknown as Block[];
    expect(blocks[0]!.type).toBe('header');
    expect(blocks[0]!.text!.type).toBe('plain_text');
    expect(blocks[0]!.text!.text.length).toBeLessThanOrEqual(150);
    for (const b of blocks) {
      if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(3000);
      if (b.type === 'context') for (const e of b.elements!) expect(str(e.text).length).toBeLessThanOrEqual(3000);
    }
    // Every URL is linked in some section.
    const mrkdwn = blocks.map((b) => b.text?.text ?? '').join('\n');
    for (const url of linkUrls(a)) expect(mrkdwn).toContain(`<${url}|`);
  });

  it('puts the first link into the fallback text', () => {
    const a = answer(u('deregister', { province: 'zhejiang' }));
    expect(renderBlocks(a).text).toBe(`${a.summary}: ${reg.byId.get('zhejiang')!.deregistration.url}`);
    expect(renderBlocks(made([])).text).toBe('Summary');
  });

  it('offers a picker with all 31 provinces when the province is missing', () => {
    const a = answer(u('deregister'));
    const acts = actionsOf(a, 'ref-1');
    expect(acts).toHaveLength(1);
    expect(acts[0]!.block_id).toBe('icp_province:ref-1');
    const select = acts[0]!.elements![0]!;
    expect(select.type).toBe('static_select');
    expect(select.action_id).toBe(ACTIONS.pickProvince);
    expect(select.options).toHaveLength(31);
    expect(select.options!.map((o) => o.value)).toEqual(reg.provinces.map((p) => p.id));
    for (const o of select.options!) expect(o.text.text.length).toBeLessThanOrEqual(75);
    expect(select.placeholder!.text).toBe('Choose a province');
  });

  it('labels the picker in Chinese for a Chinese question', () => {
    const select = actionsOf(answer(u('deregister', { lang: 'zh' })))[0]!.elements![0]!;
    expect(select.placeholder!.text).toBe('选择省份');
    expect(select.options![0]!.text.text).toBe('北京');
  });

  it('offers one button per candidate, with the id in action_id and value', () => {
    const a = answer(u('deregister', { candidates: ['shanxi', 'shaanxi'] }));
    const acts = actionsOf(a, 'abc');
    expect(acts).toHaveLength(1);
    expect(acts[0]!.block_id).toBe('icp_province:abc');
    expect(acts[0]!.elements!.map((e) => [e.type, e.action_id, e.value, e.text])).toEqual([
      ['button', `${ACTIONS.chooseProvince}:shanxi`, 'shanxi', { type: 'plain_text', text: 'Shanxi', emoji: true }],
      ['button', `${ACTIONS.chooseProvince}:shaanxi`, 'shaanxi', { type: 'plain_text', text: 'Shaanxi', emoji: true }],
    ]);
  });

  it('has no interactive block when nothing is asked', () => {
    expect(actionsOf(answer(u('deregister', { province: 'zhejiang' })))).toHaveLength(0);
    expect(actionsOf(answer(u('forgot_password')))).toHaveLength(0);
  });

  it('uses an empty ref when none is given', () => {
    expect(actionsOf(answer(u('deregister')))[0]!.block_id).toBe('icp_province:');
  });

  it('clips a long header to 150 characters and a long section to 3000', () => {
    const a = made([{ type: 'paragraph', text: 'p'.repeat(5000) }], { summary: 's'.repeat(400) });
    const blocks = blocksOf(a);
    expect(blocks[0]!.text!.text).toHaveLength(150);
    expect(blocks[0]!.text!.text.endsWith('…')).toBe(true);
    expect(blocks[1]!.text!.text).toHaveLength(3000);
  });

  it('never sends more than 50 blocks', () => {
    const parts: AnswerPart[] = Array.from({ length: 80 }, (_, i) => ({ type: 'paragraph', text: `p${i}` }));
    expect(blocksOf(made(parts))).toHaveLength(50);
  });

  // Known bug: the blocks are cut at 50 after the picker is appended, so an answer with 49+ parts
  // loses its picker. Real answers have about a dozen parts today. Flip to `it` once fixed.
  it('keeps the picker when the parts overflow the block limit', () => {
    const parts: AnswerPart[] = Array.from({ length: 60 }, (_, i) => ({ type: 'paragraph', text: `p${i}` }));
    const a = made(parts, { intent: 'deregister', ask: { kind: 'province', candidates: null }, choices: [{ id: 'hebei', label: 'Hebei' }] });
    expect(actionsOf(a)).toHaveLength(1);
  });

  it('clips button labels to 75 characters', () => {
    const a = made([], { ask: { kind: 'province', candidates: ['hebei', 'hubei'] }, choices: [{ id: 'hebei', label: 'H'.repeat(100) }, { id: 'hubei', label: 'Hubei' }] });
    expect(str(actionsOf(a)[0]!.elements![0]!.text).length).toBeLessThanOrEqual(75);
  });
});

describe('mrkdwn escaping', () => {
  it('escapes &, < and > and nothing else', () => {
    expect(escapeMrkdwn('a & b < c > d * _ ~ `')).toBe('a &amp; b &lt; c &gt; d * _ ~ `');
    expect(escapeMrkdwn('&amp;')).toBe('&amp;amp;');
  });

  it('escapes data text in every kind of part, so it cannot mention or link', () => {
    const evil = '<!channel> & <http://evil.cn|click>';
    const safe = '&lt;!channel&gt; &amp; &lt;http://evil.cn|click&gt;';
    const a = made([
      { type: 'heading', text: evil },
      { type: 'paragraph', text: evil },
      { type: 'note', text: evil },
      { type: 'steps', items: [evil] },
      { type: 'bullets', items: [evil] },
      { type: 'link', link: { label: evil, url: 'http://ok.cn', note: evil } },
    ]);
    const texts = blocksOf(a)
      .slice(1)
      .map((b) => b.text?.text ?? str(b.elements![0]!.text));
    expect(texts[0]).toBe(`*${safe}*`);
    expect(texts[1]).toBe(safe);
    expect(texts[2]).toBe(safe);
    expect(texts[3]).toBe(`1. ${safe}`);
    expect(texts[4]).toBe(`• ${safe}`);
    for (const t of texts) expect(t).not.toMatch(/<!channel>|<http:\/\/evil/);
    // The link label may not close the link early either.
    expect(texts[5]!.startsWith('<http://ok.cn|&lt;!channel&gt; &amp; &lt;http://evil.cn/click&gt;>')).toBe(true);
  });

  it('encodes | and > inside a URL so the link stays one link', () => {
    const a = made([{ type: 'link', link: { label: 'x', url: 'http://a.cn/?q=a|b>c' } }]);
    expect(blocksOf(a)[1]!.text!.text).toBe('<http://a.cn/?q=a%7Cb%3Ec|x>');
  });

  // Known gap (low risk: summaries come from our own data): the top-level `text` is read as mrkdwn
  // by Slack but is not escaped, so a summary with <!channel> would notify. Flip to `it` once fixed.
  it('escapes the top-level fallback text too', () => {
    expect(renderBlocks(made([], { summary: 'a <!channel> & b' })).text).toBe('a &lt;!channel&gt; &amp; b');
  });

  it('leaves the plain_text header unescaped (Slack shows plain text as is)', () => {
    expect(blocksOf(made([], { summary: 'A & B' }))[0]!.text!.text).toBe('A & B');
  });
});
