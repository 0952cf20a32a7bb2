/**
 * renderBlocks(): Block Kit for Slack. The title as header, the summary in one mrkdwn section, the
 * question back (picker, near-pair buttons, did-you-mean) right under it, the details only when
 * expanded, the caller's buttons, and the agent-facing source line last — in a message for an
 * agent only: by default nothing on the agent-only list (audience.ts). Within Slack's limits, and
 * data text escaped so it cannot mention, link or break out of a link.
 * (Plain text: test/render-text.test.ts.)
 */
import type { ActionsBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { understand } from '../../src/understand/understand.js';
import { loadIntents } from '../../src/answer/intents.js';
import { registry } from '../../src/answer/registry.js';
import {
  ACTIONS,
  ASK_BLOCK,
  escapeMrkdwn,
  messageText,
  renderBlocks,
  richMrkdwn,
  type RenderBlocksOptions,
} from '../../src/answer/render-blocks.js';
import {
  FALLBACK_INTENT,
  type Answer,
  type AnswerPart,
  type DeregisterKind,
  type Lang,
  type Rich,
} from '../../src/types.js';
import { madeAnswer, understanding } from '../support/made.js';
import { findAgentOnly } from '../../src/answer/audience.js';
import { renderText } from '../../src/answer/render-text.js';

const reg = registry();
const LANGS: Lang[] = ['en', 'zh'];
const INTENT_IDS = loadIntents().intents.map((i) => i.intent);

const u = understanding;
const made = madeAnswer;

/** Every answer the bot can give: each intent (with and without confirm), each province and kind, each kind of question back. */
const ANSWERS: [string, Answer][] = [
  ...LANGS.flatMap((lang) => [
    ...[...INTENT_IDS.filter((i) => i !== 'deregister'), FALLBACK_INTENT].flatMap((i): [string, Answer][] => [
      [`${i}/${lang}`, answer(u(i, { lang }))],
      [`${i}/${lang}/confirm`, answer(u(i, { lang, confirm: true }))],
    ]),
    ...reg.provinces.map((p): [string, Answer] => [
      `deregister/${p.id}/${lang}`,
      answer(u('deregister', { province: p.id, lang })),
    ]),
    ...(['entity', 'site', 'access'] as DeregisterKind[]).map((kind): [string, Answer] => [
      `deregister/zhejiang/${kind}/${lang}`,
      answer(u('deregister', { province: 'zhejiang', lang, kind })),
    ]),
    [`deregister/ask/${lang}`, answer(u('deregister', { lang }))] as [string, Answer],
    [`deregister/ambiguous/${lang}`, answer(u('deregister', { lang, candidates: ['henan', 'hunan', 'hainan'] }))] as [
      string,
      Answer,
    ],
  ]),
  ['deregister/zhejiang/zh-Hant', answer(u('deregister', { province: 'zhejiang', lang: 'zh', traditional: true }))],
];

interface TextObj {
  type: string;
  text: string;
  emoji?: boolean;
}
interface Element {
  type: string;
  text?: TextObj | string;
  action_id?: string;
  value?: string;
  options?: { text: TextObj; value: string }[];
  placeholder?: TextObj;
}
interface Block {
  type: string;
  block_id?: string;
  text?: TextObj;
  elements?: Element[];
}
/** The string inside a text object (or the string itself). */
const str = (t: TextObj | string | undefined): string => (typeof t === 'string' ? t : (t?.text ?? ''));
/** The agent's view (source line included), which most tests here read. */
const blocksOf = (a: Answer, opts: RenderBlocksOptions = {}) =>
  renderBlocks(a, { agent: true, ...opts }).blocks as unknown as Block[];
/** The visible mrkdwn of a block: a section's text or a context's first element. */
const mrkdwnOf = (b: Block): string => b.text?.text ?? str(b.elements?.[0]?.text);
const askIndex = (blocks: Block[]) =>
  blocks.findIndex((b) => b.type === 'actions' && b.block_id?.startsWith(ASK_BLOCK));

/** Buttons the caller adds under an answer (plain text, feedback…). */
const CALLER: ActionsBlock = {
  type: 'actions',
  block_id: 'icp_answer',
  elements: [
    { type: 'button', action_id: 'icp_plain_text', text: { type: 'plain_text', text: 'Plain text' }, value: 'x' },
  ],
};

describe('renderBlocks on every answer', () => {
  it.each(ANSWERS)(
    "%s: header (not on a question back), summary, question back, caller's buttons, source last; within Slack limits",
    (_name, a) => {
      const msg = renderBlocks(a, { ref: 'C1:1700000000.000100', actions: CALLER, agent: true });
      const blocks = msg.blocks as unknown as Block[];
      // The fallback text is the whole plain customer answer (under its title, unless it starts with it).
      const questionBack = a.ask !== null || a.confirm !== null;
      const plain = renderText(a).trim();
      expect(msg.text).toBe(
        questionBack || plain.startsWith(a.title)
          ? escapeMrkdwn(plain)
          : escapeMrkdwn(`${[a.title, ...(a.also?.items.map((n) => n.title) ?? [])].join(' · ')}\n${plain}`),
      );
      expect(msg.text.length).toBeLessThanOrEqual(4000);
      expect(findAgentOnly(msg.text)).toEqual([]);
      expect(blocks.length).toBeLessThanOrEqual(50);
      // A question back is its summary alone, and a summary that starts with the title ("You're
      // welcome! …") says it: a header would repeat it.
      const headless = questionBack || plain.startsWith(a.title);
      if (headless) expect(blocks.some((b) => b.type === 'header')).toBe(false);
      else expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: a.title, emoji: true } });
      expect(a.title.length).toBeLessThanOrEqual(150);
      const at = headless ? 0 : 1;
      expect(blocks[at]).toEqual({
        type: 'section',
        text: { type: 'mrkdwn', text: a.summary.map(richMrkdwn).join('\n') },
      });
      // Every link of the summary is a Slack link on the first screen.
      for (const l of a.summary.flat())
        if (typeof l !== 'string') expect(blocks[at]!.text!.text).toContain(`<${l.url}|`);

      const asks = a.confirm !== null || (a.ask !== null && a.choices.length > 0);
      expect(askIndex(blocks)).toBe(asks ? at + 1 : -1);
      // Not expanded: nothing between the question back and the caller's buttons.
      const callerAt = blocks.findIndex((b) => b.block_id === 'icp_answer');
      expect(callerAt).toBe(asks ? at + 2 : at + 1);
      if (a.source) {
        expect(blocks).toHaveLength(callerAt + 2);
        expect(blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: richMrkdwn(a.source) }] });
      } else {
        expect(blocks).toHaveLength(callerAt + 1);
      }
      for (const b of blocks) {
        if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(3000);
        if (b.type === 'context') for (const e of b.elements!) expect(str(e.text).length).toBeLessThanOrEqual(3000);
        for (const e of b.elements ?? []) if (e.type === 'button') expect(str(e.text).length).toBeLessThanOrEqual(75);
      }
    },
  );

  it.each(ANSWERS.filter(([, a]) => a.details.length > 0))(
    '%s: expanded, the details come after the summary and before the buttons and the source',
    (_name, a) => {
      const blocks = blocksOf(a, { expanded: true, actions: CALLER });
      const start = askIndex(blocks) === -1 ? 2 : 3;
      const callerAt = blocks.findIndex((b) => b.block_id === 'icp_answer');
      expect(callerAt - start).toBe(a.details.length);
      expect(blocks.slice(start, callerAt).map((b) => b.type)).toEqual(
        a.details.map((p) => (p.type === 'note' ? 'context' : 'section')),
      );
      if (a.source)
        expect(blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: richMrkdwn(a.source) }] });
    },
  );
});

describe('renderBlocks: the deregistration answer', () => {
  const a = answer(u('deregister', { province: 'zhejiang' }));
  const p = reg.byId.get('zhejiang')!;

  it('shows the three summary lines with their links, and the archived address only in the last block', () => {
    const blocks = blocksOf(a);
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
    const summary = blocks[1]!.text!.text;
    expect(summary.split('\n')).toHaveLength(3);
    expect(summary).toContain('12381 at <https://beian.miit.gov.cn|beian.miit.gov.cn> within 24 hours.');
    expect(summary).toContain(
      '(search "浙江 注销"): <https://beian.miit.gov.cn/#/Integrated/notice_list|MIIT notice list>',
    );
    expect(summary).not.toContain('miitbeian');
    const last = mrkdwnOf(blocks.at(-1)!);
    expect(last).toContain(p.deregistration.url);
    expect(
      blocks
        .slice(0, -1)
        .map((b) => JSON.stringify(b))
        .join(''),
    ).not.toContain('miitbeian');
  });

  it('keeps the details out until expanded, then shows them in order', () => {
    expect(JSON.stringify(blocksOf(a))).not.toContain('Which one to cancel');
    const blocks = blocksOf(a, { expanded: true });
    const texts = blocks.map(mrkdwnOf);
    expect(texts[2]).toBe('*Which one to cancel*');
    expect(texts[3]).toMatch(/^• 注销主体 \(the entity\)/);
    expect(blocks[4]!.type).toBe('context');
    expect(texts[4]).toBe('Deleting a domain name does not deregister its ICP filing.');
    expect(texts[5]).toBe('*Applying at the Communications Administration (offline)*');
    expect(texts[6]).toMatch(
      /^1\. Download[\s\S]*\n2\. Fill it in[\s\S]*\n3\. Submit it to the Zhejiang Communications Administration/,
    );
    expect(blocks.at(-1)!.type).toBe('context');
    expect(texts.at(-1)).toContain(p.deregistration.url);
  });

  it('renders a Traditional answer in Traditional, the search term and URLs as they are', () => {
    const t = answer(u('deregister', { province: 'zhejiang', lang: 'zh', traditional: true }));
    const blocks = blocksOf(t);
    expect(str(blocks[0]!.text)).toBe('浙江：註銷ICP備案');
    expect(blocks[1]!.text!.text).toContain('搜尋「浙江 注销」');
    expect(blocks[1]!.text!.text).toContain(
      '申請：<https://beian.miit.gov.cn/#/Integrated/notice_list|工信部備案系統通知公告>',
    );
  });
});

describe('renderBlocks: the question back', () => {
  it('offers a static_select with all 31 provinces right under the question, labelled in both languages', () => {
    const blocks = blocksOf(answer(u('deregister')), { ref: 'ref-1', actions: CALLER });
    expect(blocks.map((b) => b.type)).toEqual(['section', 'actions', 'actions']);
    const ask = blocks[1]!;
    expect(ask.block_id).toBe(`${ASK_BLOCK}ref-1`);
    expect(ask.block_id).toBe('icp_province:ref-1');
    expect(ask.elements).toHaveLength(1);
    const select = ask.elements![0]!;
    expect(select.type).toBe('static_select');
    expect(select.action_id).toBe(ACTIONS.pickProvince);
    expect(select.placeholder).toEqual({ type: 'plain_text', text: 'Choose a province', emoji: true });
    expect(select.options!.map((o) => o.value)).toEqual(reg.provinces.map((p) => p.id));
    expect(select.options!.find((o) => o.value === 'zhejiang')!.text).toEqual({
      type: 'plain_text',
      text: '浙江 Zhejiang',
      emoji: true,
    });
    for (const o of select.options!) expect(o.text.text.length).toBeLessThanOrEqual(75);
    expect(blocks[2]!.block_id).toBe('icp_answer');
  });

  it("labels the picker in the asker's script", () => {
    expect(blocksOf(answer(u('deregister', { lang: 'zh' })))[1]!.elements![0]!.placeholder!.text).toBe('选择省份');
    const t = blocksOf(answer(u('deregister', { lang: 'zh', traditional: true })))[1]!.elements![0]!;
    expect(t.placeholder!.text).toBe('選擇省份');
    expect(t.options!.find((o) => o.value === 'guangdong')!.text.text).toBe('廣東 Guangdong');
  });

  it('offers one button per near-pair candidate, the id in action_id and value', () => {
    const blocks = blocksOf(answer(u('deregister', { candidates: ['shanxi', 'shaanxi'] })), { ref: 'abc' });
    expect(askIndex(blocks)).toBe(1);
    expect(blocks[1]!.block_id).toBe('icp_province:abc');
    expect(blocks[1]!.elements).toEqual([
      {
        type: 'button',
        action_id: `${ACTIONS.chooseProvince}:shanxi`,
        value: 'shanxi',
        text: { type: 'plain_text', text: '山西 Shanxi', emoji: true },
      },
      {
        type: 'button',
        action_id: `${ACTIONS.chooseProvince}:shaanxi`,
        value: 'shaanxi',
        text: { type: 'plain_text', text: '陕西 Shaanxi', emoji: true },
      },
    ]);
  });

  it('asks which password was meant with one button per intent: icp_choose_intent:<intent>', () => {
    for (const lang of LANGS) {
      const a = answer(u('forgot_password', { lang, confirm: true }));
      const blocks = blocksOf(a, { ref: 'q1', actions: CALLER });
      expect(blocks.map((b) => b.type)).toEqual(['section', 'actions', 'actions']);
      expect(blocks[1]!.block_id).toBe('icp_province:q1');
      const labels = reg.topics['confirm_password']![lang].labels;
      expect(blocks[1]!.elements).toEqual([
        {
          type: 'button',
          action_id: 'icp_choose_intent:forgot_password',
          value: 'forgot_password',
          text: { type: 'plain_text', text: labels['forgot_password'], emoji: true },
        },
        {
          type: 'button',
          action_id: 'icp_choose_intent:console_password',
          value: 'console_password',
          text: { type: 'plain_text', text: labels['console_password'], emoji: true },
        },
      ]);
    }
    expect(ACTIONS.chooseIntent).toBe('icp_choose_intent');
  });

  it('puts the did-you-mean first when an answer has both a confirm and an ask', () => {
    const a = made({
      confirm: { options: [{ intent: 'help', label: 'Help' }] },
      ask: { kind: 'province', candidates: null, placeholder: 'Pick' },
      choices: [{ id: 'hebei', label: '河北 Hebei' }],
    });
    const asks = blocksOf(a).filter((b) => b.type === 'actions');
    expect(asks).toHaveLength(1);
    expect(asks[0]!.elements![0]!.action_id).toBe('icp_choose_intent:help');
  });

  it('has no question back when nothing is asked, and none for an ask without choices', () => {
    expect(askIndex(blocksOf(answer(u('deregister', { province: 'zhejiang' }))))).toBe(-1);
    expect(askIndex(blocksOf(answer(u('forgot_password'))))).toBe(-1);
    expect(askIndex(blocksOf(made({ ask: { kind: 'province', candidates: null, placeholder: 'Pick' } })))).toBe(-1);
  });

  it('uses an empty ref when none is given', () => {
    expect(blocksOf(answer(u('deregister')))[1]!.block_id).toBe('icp_province:');
  });

  it("keeps within Slack's element limits: 100 options, 25 buttons", () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ id: `p${i}`, label: `P${i}` }));
    const picker = blocksOf(
      made({ ask: { kind: 'province', candidates: null, placeholder: 'Pick' }, choices: many }),
    )[1]!;
    expect(picker.elements![0]!.options).toHaveLength(100);
    const buttons = blocksOf(
      made({ ask: { kind: 'province', candidates: many.map((c) => c.id), placeholder: 'Pick' }, choices: many }),
    )[1]!;
    expect(buttons.elements).toHaveLength(25);
  });
});

describe('renderBlocks: parts, limits and order', () => {
  const parts: AnswerPart[] = [
    { type: 'heading', text: ['Heading'] },
    { type: 'paragraph', text: ['Para ', { label: 'link', url: 'https://x.cn/a' }] },
    { type: 'note', text: ['Note'] },
    { type: 'steps', items: [['one'], ['two']] },
    { type: 'bullets', items: [['x'], ['y']] },
  ];

  it('renders each kind of part: bold heading, paragraph, note as context, numbered steps, bulleted list', () => {
    const blocks = blocksOf(made({ details: parts, source: ['Src'] }), { expanded: true, actions: CALLER });
    expect(blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'section',
      'context',
      'section',
      'section',
      'actions',
      'context',
    ]);
    expect(blocks.slice(2, 7).map(mrkdwnOf)).toEqual([
      '*Heading*',
      'Para <https://x.cn/a|link>',
      'Note',
      '1. one\n2. two',
      '• x\n• y',
    ]);
    expect(mrkdwnOf(blocks[8]!)).toBe('Src');
  });

  it('shows nothing of the details without expanded, even with a source and buttons', () => {
    const blocks = blocksOf(made({ details: parts, source: ['Src'] }), { actions: CALLER });
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'actions', 'context']);
    expect(blocksOf(made({ details: parts }), { expanded: false })).toHaveLength(2);
  });

  it('writes summary lines one per line', () => {
    expect(blocksOf(made({ summary: [['a'], ['b'], ['c']] }))[1]!.text!.text).toBe('a\nb\nc');
  });

  it('clips a long header to 150 characters and a long section to 3000', () => {
    const blocks = blocksOf(made({ title: 't'.repeat(400), summary: [['s'.repeat(5000)]] }));
    expect(str(blocks[0]!.text)).toHaveLength(150);
    expect(str(blocks[0]!.text).endsWith('…')).toBe(true);
    expect(blocks[1]!.text!.text).toHaveLength(3000);
    expect(blocks[1]!.text!.text.endsWith('…')).toBe(true);
  });

  it('clips button labels and picker options to 75 characters', () => {
    const long = 'H'.repeat(100);
    const buttons = blocksOf(
      made({
        ask: { kind: 'province', candidates: ['a', 'b'], placeholder: 'p' },
        choices: [
          { id: 'a', label: long },
          { id: 'b', label: 'B' },
        ],
      }),
    )[1]!;
    expect(str(buttons.elements![0]!.text)).toHaveLength(75);
    const select = blocksOf(
      made({ ask: { kind: 'province', candidates: null, placeholder: long }, choices: [{ id: 'a', label: long }] }),
    )[1]!;
    expect(select.elements![0]!.options![0]!.text.text).toHaveLength(75);
    expect(select.elements![0]!.placeholder!.text).toHaveLength(75);
  });

  it('cuts the details first at 50 blocks: the question back, the buttons and the source stay', () => {
    const many: AnswerPart[] = Array.from({ length: 80 }, (_, i) => ({ type: 'paragraph', text: [`p${i}`] }));
    const a = made({
      details: many,
      source: ['Src'],
      ask: { kind: 'province', candidates: null, placeholder: 'Pick' },
      choices: [{ id: 'hebei', label: '河北 Hebei' }],
    });
    const blocks = blocksOf(a, { expanded: true, actions: CALLER });
    expect(blocks).toHaveLength(50);
    expect(askIndex(blocks)).toBe(1);
    expect(blocks.at(-2)!.block_id).toBe('icp_answer');
    expect(mrkdwnOf(blocks.at(-1)!)).toBe('Src');
    // The details kept are the first ones, in order.
    expect(blocks.slice(2, 5).map(mrkdwnOf)).toEqual(['p0', 'p1', 'p2']);
  });
});

describe('mrkdwn escaping', () => {
  it('escapes &, < and > and nothing else', () => {
    expect(escapeMrkdwn('a & b < c > d * _ ~ `')).toBe('a &amp; b &lt; c &gt; d * _ ~ `');
    expect(escapeMrkdwn('&amp;')).toBe('&amp;amp;');
  });

  it('writes a link as <url|label>, encoding | and > in the URL so it cannot break out', () => {
    expect(richMrkdwn(['see ', { label: 'x', url: 'https://a.cn/?q=a|b>c' }])).toBe(
      'see <https://a.cn/?q=a%7Cb%3Ec|x>',
    );
    const evil: Rich = [{ label: 'ok', url: 'https://a.cn/|<!channel>' }];
    const out = richMrkdwn(evil);
    expect(out).toBe('<https://a.cn/%7C<!channel%3E|ok>');
    // One link: the only | separates URL and label, the only > closes it.
    expect(out.match(/\|/g)).toHaveLength(1);
    expect(out.indexOf('>')).toBe(out.length - 1);
  });

  it('escapes a link label and keeps it from closing the link early', () => {
    expect(richMrkdwn([{ label: 'a|b <!here> & c', url: 'https://ok.cn' }])).toBe(
      '<https://ok.cn|a/b &lt;!here&gt; &amp; c>',
    );
  });

  it('escapes data text in the summary, every kind of part and the source, so it cannot mention or link', () => {
    const evil = '<!channel> & <http://evil.cn|click>';
    const safe = '&lt;!channel&gt; &amp; &lt;http://evil.cn|click&gt;';
    const a = made({
      summary: [[evil]],
      details: [
        { type: 'heading', text: [evil] },
        { type: 'paragraph', text: [evil] },
        { type: 'note', text: [evil] },
        { type: 'steps', items: [[evil]] },
        { type: 'bullets', items: [[evil]] },
      ],
      source: [evil],
      confirm: { options: [{ intent: 'help', label: evil }] },
    });
    const blocks = blocksOf(a, { expanded: true });
    expect(blocks[0]!.text!.text).toBe(safe);
    expect(blocks.slice(2).map(mrkdwnOf)).toEqual([`*${safe}*`, safe, safe, `1. ${safe}`, `• ${safe}`, safe]);
    for (const b of blocks.filter((x) => x.type !== 'header' && x.type !== 'actions'))
      expect(mrkdwnOf(b)).not.toMatch(/<!channel>|<http:\/\/evil/);
    // Buttons are plain_text: Slack shows them as they are.
    expect(str(blocks[1]!.elements![0]!.text)).toBe(evil);
  });

  it('escapes the top-level fallback text, and leaves the plain_text header as it is', () => {
    const msg = renderBlocks(made({ title: 'A <!channel> & B' }));
    expect(msg.text).toMatch(/^A &lt;!channel&gt; &amp; B\n/);
    expect(msg.text).not.toContain('<!channel>');
    expect(str((msg.blocks as unknown as Block[])[0]!.text)).toBe('A <!channel> & B');
  });
});

describe('messageText: the notification', () => {
  it('names the answer once: a reply that is its own title is not said twice', () => {
    for (const lang of ['en', 'zh'] as const) {
      const a = answer(understanding('thanks', { lang }));
      const text = messageText(a);
      expect(text.split(a.title).length - 1).toBe(1);
    }
  });

  it('a full answer starts with its title, then the plain answer', () => {
    const a = answer(understanding('deregister', { province: 'zhejiang' }));
    expect(messageText(a).startsWith(`${a.title}\n`)).toBe(true);
  });
});

describe('a reply whose first line is its title has no header saying it again', () => {
  it('thanks: no header, the summary says "You\'re welcome!"', () => {
    const blocks = renderBlocks(answer(understand('thanks!'))).blocks as unknown as Block[];
    expect(blocks.some((b) => b.type === 'header')).toBe(false);
    expect(JSON.stringify(blocks)).toContain("You're welcome!");
  });
  it('an answer keeps its header', () => {
    const blocks = renderBlocks(answer(understand('how do I cancel our Zhejiang filing'))).blocks as unknown as Block[];
    expect(blocks[0]?.type).toBe('header');
  });
});
