import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blockToHtml,
  decodeSlackEntities,
  elementToHtml,
  encodeComposerText,
  escapeHtml,
  messageBodyHtml,
  mrkdwnToHtml,
  safeUrl,
} from '../../src/playground/public/blockkit.js';
import { answer } from '../../src/answer/answer.js';
import { renderBlocks } from '../../src/answer/render-blocks.js';
import { understand } from '../../src/understand/understand.js';

const ctx = {
  userName: (id: string) => (id === 'U0BOT' ? 'icpbot' : id),
  channelName: (id: string) => (id === 'C0GENERAL' ? 'general' : id),
};

/** Tags in a rendered HTML string, e.g. ['b', '/b', 'a', '/a']. */
const tags = (html: string): string[] => [...html.matchAll(/<(\/?[a-z]+)/g)].map((m) => m[1] ?? '');

describe('mrkdwn', () => {
  it('formats bold, italic, strike, code and line breaks', () => {
    expect(mrkdwnToHtml('*bold* _it_ ~gone~ `x = 1`\nnext')).toBe(
      '<b>bold</b> <i>it</i> <s>gone</s> <code class="bk-code">x = 1</code><br>next',
    );
  });

  it('leaves markers inside words and code alone', () => {
    expect(mrkdwnToHtml('snake_case_name 2*3*4')).toBe('snake_case_name 2*3*4');
    expect(mrkdwnToHtml('`*not bold*`')).toBe('<code class="bk-code">*not bold*</code>');
    expect(mrkdwnToHtml('```\n*pre* <http://x.y|z>\n```')).toBe(
      '<pre class="bk-pre">*pre* &lt;http://x.y|z&gt;\n</pre>',
    );
  });

  it('bold around a link, as the answer headings use', () => {
    expect(mrkdwnToHtml('*<https://beian.miit.gov.cn|MIIT>*')).toBe(
      '<b><a class="bk-link" href="https://beian.miit.gov.cn/" target="_blank" rel="noopener noreferrer">MIIT</a></b>',
    );
  });

  it('links http(s) URLs with their label; underscores in URLs are not italics', () => {
    expect(mrkdwnToHtml('<http://a.example/x_y_z?a=1&amp;b=2|Form &amp; guide>')).toBe(
      '<a class="bk-link" href="http://a.example/x_y_z?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">Form &amp; guide</a>',
    );
    expect(mrkdwnToHtml('<https://x.example/>')).toContain('>https://x.example/</a>');
  });

  it('never links other schemes: the label is plain text', () => {
    for (const bad of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,&lt;b&gt;x',
      'vbscript:x',
      '//evil.example',
      'mailto:a@b.c',
    ]) {
      const html = mrkdwnToHtml(`<${bad}|click me>`);
      expect(html).not.toContain('<a');
      expect(html).toBe('click me');
    }
  });

  it('shows mentions by name and specials as text', () => {
    expect(mrkdwnToHtml('<@U0BOT> in <#C0GENERAL> <!here> <!channel>', ctx)).toBe(
      '<span class="bk-mention">@icpbot</span> in <span class="bk-mention">#general</span> <span class="bk-mention">@here</span> <span class="bk-mention">@channel</span>',
    );
  });

  it('decodes Slack entities once and re-escapes for HTML', () => {
    expect(mrkdwnToHtml('&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;',
    );
    expect(decodeSlackEntities('&amp;lt;')).toBe('&lt;');
  });

  it('user text cannot inject markup: any input renders to our tags only, and no attribute breaks out', () => {
    const allowed = new Set([
      'b',
      '/b',
      'i',
      '/i',
      's',
      '/s',
      'br',
      'code',
      '/code',
      'pre',
      '/pre',
      'a',
      '/a',
      'span',
      '/span',
    ]);
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            '<',
            '>',
            '&',
            '"',
            "'",
            '*',
            '_',
            '`',
            '|',
            '@',
            '!',
            '#',
            'a',
            ':',
            '/',
            ' ',
            '\n',
            '=',
            'h',
            't',
            'p',
            's',
            '\u0000',
            '1',
          ),
        }),
        (s) => {
          const html = mrkdwnToHtml(s, ctx);
          for (const t of tags(html)) expect(allowed.has(t)).toBe(true);
          for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^https?:\/\//);
          // Attributes never contain a raw quote or angle bracket.
          expect(html).not.toMatch(/href="[^"]*[<>]/);
        },
      ),
    );
  });
});

describe('escaping and URLs', () => {
  it('escapeHtml covers content and attributes', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe(
      '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;',
    );
  });
  it('safeUrl keeps http(s) only', () => {
    expect(safeUrl('https://beian.miit.gov.cn/#/Integrated/notice_list')).toBe(
      'https://beian.miit.gov.cn/#/Integrated/notice_list',
    );
    expect(safeUrl(' javascript:alert(1)')).toBeNull();
    expect(safeUrl('/relative')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
  });
});

describe('blocks', () => {
  it('header, divider, context and section with fields', () => {
    expect(blockToHtml({ type: 'header', text: { type: 'plain_text', text: '<Title> & *x*' } })).toBe(
      '<div class="bk-header">&lt;Title&gt; &amp; *x*</div>',
    );
    expect(blockToHtml({ type: 'divider' })).toBe('<hr class="bk-divider">');
    expect(
      blockToHtml({
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: '*a*' },
          { type: 'plain_text', text: '*b*' },
        ],
      }),
    ).toBe('<div class="bk-context"><span><b>a</b></span> <span>*b*</span></div>');
    const section = blockToHtml({ type: 'section', fields: [{ type: 'mrkdwn', text: '_f_' }] });
    expect(section).toContain('<div class="bk-field"><i>f</i></div>');
  });

  it('buttons carry action, block and value (escaped) for the click', () => {
    const html = blockToHtml({
      type: 'actions',
      block_id: 'b"1',
      elements: [
        {
          type: 'button',
          action_id: 'icp_plain_text',
          value: '{"t":"<x>"}',
          style: 'primary',
          text: { type: 'plain_text', text: 'Plain text for customer' },
        },
      ],
    });
    expect(html).toBe(
      '<div class="bk-actions"><button type="button" class="bk-button bk-primary" data-action-id="icp_plain_text" data-block-id="b&quot;1" data-value="{&quot;t&quot;:&quot;&lt;x&gt;&quot;}">Plain text for customer</button></div>',
    );
  });

  it('a URL button is a link only for http(s)', () => {
    expect(
      elementToHtml({
        type: 'button',
        action_id: 'a',
        url: 'https://x.example/',
        text: { type: 'plain_text', text: 'Open' },
      }),
    ).toContain('<a class="bk-button" href="https://x.example/"');
    expect(
      elementToHtml({
        type: 'button',
        action_id: 'a',
        url: 'javascript:alert(1)',
        text: { type: 'plain_text', text: 'Open' },
      }),
    ).toMatch(/^<button /);
  });

  it('static_select: placeholder first, options with values, initial option selected', () => {
    const el = {
      type: 'static_select',
      action_id: 'icp_pick_province',
      placeholder: { type: 'plain_text', text: 'Choose a province' },
      options: [
        { text: { type: 'plain_text', text: 'Beijing' }, value: 'beijing' },
        { text: { type: 'plain_text', text: 'Zhejiang' }, value: 'zhejiang' },
      ],
    };
    expect(elementToHtml(el, 'icp_province:1')).toBe(
      '<select class="bk-select" data-action-id="icp_pick_province" data-block-id="icp_province:1" aria-label="Choose a province"><option value="" disabled selected>Choose a province</option><option value="beijing">Beijing</option><option value="zhejiang">Zhejiang</option></select>',
    );
    const chosen = elementToHtml({ ...el, initial_option: { value: 'zhejiang' } });
    expect(chosen).not.toContain('disabled selected');
    expect(chosen).toContain('<option value="zhejiang" selected>');
  });

  it('unknown blocks and elements are named, not dropped or trusted', () => {
    expect(blockToHtml({ type: '<rich_text>' })).toBe('<div class="bk-unsupported">[&lt;rich_text&gt; block]</div>');
    expect(elementToHtml({ type: 'datepicker' })).toBe('<span class="bk-unsupported">[datepicker]</span>');
  });

  it('a message without blocks shows its text as mrkdwn', () => {
    expect(messageBodyHtml({ text: '*hi* <@U0BOT>' }, ctx)).toBe(
      '<div class="bk-text"><b>hi</b> <span class="bk-mention">@icpbot</span></div>',
    );
  });

  it("renders the bot's real Zhejiang answer: header, the form link, no raw markup left", () => {
    const msg = renderBlocks(answer(understand('How do I deregister in Zhejiang?')), { agent: true });
    const html = messageBodyHtml(msg, ctx);
    expect(html).toContain('<div class="bk-header">Deregistering an ICP filing in Zhejiang</div>');
    expect(html).toContain('href="https://beian.miit.gov.cn/#/Integrated/notice_list"');
    // In an agent's view, the archived seed address is in the source line at the end, after today's route.
    expect(html.indexOf('zcainfo.miitbeian.gov.cn')).toBeGreaterThan(
      html.indexOf('beian.miit.gov.cn/#/Integrated/notice_list'),
    );
    expect(html).not.toMatch(/&lt;https?:|\|[A-Z]/);
  });

  it("renders the bot's province picker", () => {
    const msg = renderBlocks(answer(understand('How do I deregister?')));
    const html = messageBodyHtml(msg, ctx);
    expect(html).toContain('data-action-id="icp_pick_province"');
    expect(html).toContain('<option value="zhejiang">浙江 Zhejiang</option>');
  });
});

describe('composer', () => {
  const users = [
    { id: 'U0BOT', name: 'icpbot' },
    { id: 'U0ALICE', name: 'alice' },
  ];
  it('encodes &, <, > and turns @name into a mention, as the Slack client does', () => {
    expect(encodeComposerText('@icpbot is <b> & @alice.', users)).toBe('<@U0BOT> is &lt;b&gt; &amp; <@U0ALICE>.');
  });
  it('leaves unknown names, e-mail addresses and <!channel> attempts as text', () => {
    expect(encodeComposerText('@nobody a@icpbot.cn <!channel>', users)).toBe('@nobody a@icpbot.cn &lt;!channel&gt;');
  });
});
