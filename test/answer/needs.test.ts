/**
 * The answer to a message with more than one need, and to one the bot must ask about: the main
 * answer in full, each other need in short under its heading; a question back as one sentence
 * with one button per reading.
 */
import { describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { renderBlocks } from '../../src/answer/render-blocks.js';
import { renderAgentText, renderText } from '../../src/answer/render-text.js';
import { understand } from '../../src/understand/understand.js';

const blocksText = (text: string) => JSON.stringify(renderBlocks(answer(understand(text))).blocks);

describe('you also asked', () => {
  it('English: the record lookup in full, the Hebei deregistration in short with its route', () => {
    const a = answer(understand('I need to cancel our filing in Hebei and we lost the record number too'));
    expect(a.intent).toBe('lost_record_number');
    expect(a.also?.heading).toBe('You also asked:');
    expect(a.also?.items.map((n) => n.intent)).toEqual(['deregister']);
    const text = renderText(a);
    expect(text).toMatch(
      /You also asked:\n- Deregistering an ICP filing in Hebei — in your hosting provider's console/,
    );
    expect(text).toContain('Hebei Communications Administration');
    expect(text).toContain('https://beian.miit.gov.cn/#/Integrated/notice_list');
    expect(renderAgentText(a)).toContain('You also asked:');
  });

  it('Chinese: the password in full, the Anhui deregistration under 另外', () => {
    const text = renderText(answer(understand('要注销安徽的网站，但备案密码找不到了')));
    expect(text).toMatch(/另外：\n- 【安徽：注销ICP备案】请在网站接入商/);
    expect(text).not.toMatch(/: |：：/);
  });

  // A customer who follows only the short form must still confirm the 12381 text in time.
  it.each([
    ['I need to cancel our filing in Hebei and we lost the record number too', /within 24 hours/],
    ['要注销安徽的网站，但备案密码找不到了', /须在24小时内登录 https:\/\/beian\.miit\.gov\.cn 完成核验/],
  ])('the deregistration in short keeps the 12381 text and its 24 hours: %s', (q, within) => {
    const a = answer(understand(q));
    const item = a.also?.items.find((n) => n.intent === 'deregister');
    expect(item?.text).toHaveLength(3);
    const line = renderText(a)
      .split('\n')
      .find((l) => l.includes('12381'));
    expect(line).toMatch(/^- /);
    expect(line).toMatch(within);
    // …between the console and the province's route, as in the full answer.
    expect(line!.indexOf('12381')).toBeLessThan(line!.indexOf('notice_list'));
  });

  it('Traditional: the other need is converted too', () => {
    const text = renderText(answer(understand('請問如何註銷網站備案？我們是廣東的公司。另外想問需要收費嗎？')));
    expect(text).toContain('另外：');
    expect(text).toContain('【ICP備案和註銷不收費】');
  });

  it('in Slack: a section after the summary, links kept as links', () => {
    const json = blocksText('How do I cancel our Beijing filing? Is there a fee?');
    expect(json).toContain('*You also asked:*');
    expect(json).toContain('• ICP filing and deregistration are free — MIIT and the Communications Administrations');
  });

  it('the notification names every need in its first line, the whole answer after it', () => {
    const msg = renderBlocks(answer(understand('要注销安徽的网站，但备案密码找不到了')));
    expect(msg.text).toMatch(/^工信部备案密码 · 安徽：注销ICP备案\n/);
  });

  it('a question back asks first: no other needs under a province question', () => {
    const a = answer(understand('How do I cancel our ICP filing? Is there a fee?'));
    expect(a.ask).not.toBeNull();
    expect(a.also).toBeUndefined();
  });

  it('one need, no heading', () => {
    const a = answer(understand('How do I cancel our ICP filing in Zhejiang?'));
    expect(a.also).toBeUndefined();
    expect(renderText(a)).not.toContain('You also asked');
  });
});

describe('which do you need?', () => {
  it('refuses an intent that may be offered without its button label', async () => {
    const { createAnswerer } = await import('../../src/answer/answer.js');
    const { registry } = await import('../../src/answer/registry.js');
    const { loadIntents } = await import('../../src/answer/intents.js');
    const reg = registry();
    const labels = { ...reg.topics['clarify']!.zh.labels };
    delete labels['fees'];
    const broken = {
      ...reg,
      topics: { ...reg.topics, clarify: { ...reg.topics['clarify']!, zh: { ...reg.topics['clarify']!.zh, labels } } },
    };
    expect(() => createAnswerer(broken, loadIntents())).toThrow(/topics\.clarify\.zh\.labels\.fees: missing/);
  });

  it('English: one sentence naming the readings, one button each', () => {
    const a = answer(understand('Can you help with our beian?'));
    expect(a.confirm?.options.map((o) => o.intent)).toEqual(['deregister', 'forgot_password', 'lost_record_number']);
    expect(renderText(a)).toBe(
      'Do you want to cancel an ICP filing, get help with the filing password, or find a record number?\n',
    );
    const json = blocksText('Can you help with our beian?');
    for (const id of ['deregister', 'forgot_password', 'lost_record_number'])
      expect(json).toContain(`"action_id":"icp_choose_intent:${id}"`);
  });

  it('Chinese', () => {
    expect(renderText(answer(understand('备案的事能帮忙吗')))).toBe(
      '请问您是想注销备案、找回备案密码，还是查询备案号？\n',
    );
  });

  it('"cancel" alone: a filing, or something else', () => {
    const a = answer(understand('cancel'));
    expect(a.confirm?.options.map((o) => o.label)).toEqual([
      'Cancel an ICP filing',
      'Ask about something else, such as an order, a server or an invoice',
    ]);
  });
});

describe('answers to questions about a cancellation say what follows it', () => {
  it('the status of a cancellation: once approved, the record no longer shows', () => {
    const text = renderText(
      answer(understand('We submitted the deregistration last week — how can I check if it is done?')),
    );
    expect(text).toContain('a cancelled one no longer does');
    expect(text).not.toMatch(/^Once approved, the filing and its number appear/m);
  });

  it('the domain after a cancellation: it still resolves, providers stop serving the site', () => {
    const text = renderText(answer(understand('注销备案以后域名还能解析吗？')));
    expect(text).toContain('注销备案也不会删除域名，域名仍可解析');
  });
});
