/**
 * Traditional for its readers (src/answer/hant.ts, data/zh-hant.yaml): every Traditional answer and
 * string holds no Mainland-only wording, official names stay as the authorities write them (only
 * in Traditional characters), and the reviewed table is checked when it is loaded.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { checkKnown, hantTable, loadHant, mainlandWording, registryTexts } from '../../src/answer/hant.js';
import { loadIntents } from '../../src/answer/intents.js';
import { registry } from '../../src/answer/registry.js';
import { renderAgentText, renderText } from '../../src/answer/render-text.js';
import { DataError } from '../../src/errors.js';
import { DATA_DIR } from '../../src/paths.js';
import { STRINGS, t, type StringKey } from '../../src/slack/strings.js';
import { FALLBACK_INTENT, type Understanding } from '../../src/types.js';
import { understanding } from '../support/made.js';

/** Mainland wording a Taiwan or Hong Kong reader would not write, in Traditional characters. */
const MAINLAND_ONLY = [
  ...['請回復', '短信', '打印', '登錄', '服務器', '賬號'],
  // Found reading the bot as a Taiwan or Hong Kong customer and agent.
  ...['修改備案信息', '鏈接', '應用商店', '在線', '聯繫', '複印件', '搜索'],
  ...['支持團隊', '反饋', '轉人工', '純文本', '粘貼'],
];
/**
 * 信息 is Mainland wording (資料, 資訊) but in an official name or MIIT's system term: what a text
 * holds once those are taken out must not have it.
 */
const XINXI_ALLOWED = ['工業和信息化部', '備案信息', '互聯網信息服務'];
const xinxiOutside = (text: string) =>
  XINXI_ALLOWED.reduce((out, term) => out.split(term).join(''), text.split('修改備案信息').join('修改')).includes(
    '信息',
  );
/** Official names as the authorities write them, in Traditional characters, and what they must not become. */
const OFFICIAL: [simplified: string, traditional: string, never: string][] = [
  ['工业和信息化部', '工業和信息化部', '工業和資訊化部'],
  ['通信管理局', '通信管理局', '通訊管理局'],
  ['工信部备案系统', '工信部備案系統', '工信部備案系统'],
];

const reg = registry();
const KINDS = ['entity', 'site', 'access'] as const;

/** Every answer a Chinese asker can get, as [name, Simplified understanding]. */
function chineseQuestions(): [string, Understanding][] {
  const u = (intent: string, extra: Partial<Understanding> = {}) => understanding(intent, { lang: 'zh', ...extra });
  const out: [string, Understanding][] = [];
  for (const i of [...loadIntents().intents.map((x) => x.intent), FALLBACK_INTENT])
    for (const confirm of [false, true]) out.push([`${i}/${confirm}`, u(i, { confirm })]);
  for (const p of reg.provinces)
    for (const kind of [null, ...KINDS])
      out.push([`deregister/${p.id}/${kind}`, u('deregister', { province: p.id, kind })]);
  out.push(['ambiguous', u('deregister', { candidates: ['jiangsu', 'anhui'], text: '苏州' })]);
  out.push(['clarify', u('deregister', { options: ['deregister', 'off_topic', 'change_filing', 'sms_code'] })]);
  out.push(['also', u('deregister', { province: 'sichuan', also: [{ intent: 'sms_code', province: null }] })]);
  return out;
}

const textsOf = (un: Understanding) => {
  const a = answer(un);
  return renderAgentText(a) + renderText(a, { full: true }) + a.choices.map((c) => c.label).join('\n');
};

describe('every Traditional answer', () => {
  const all = chineseQuestions().map(
    ([name, un]) => [name, textsOf({ ...un, traditional: true }), textsOf(un)] as const,
  );

  it('holds no Mainland-only wording (請回復, 短信, 打印, 登錄, 服務器, 賬號, 鏈接, 在線, 聯繫, 複印件, 搜索, …)', () => {
    for (const [name, hantText] of all) {
      for (const w of MAINLAND_ONLY) expect(hantText, `${name}: ${w}`).not.toContain(w);
      expect(mainlandWording(hantText), name).toEqual([]);
    }
  });

  it('writes 信息 only in an official name or as MIIT’s system term (備案資料, 應用程式商店資訊 elsewhere)', () => {
    for (const [name, hantText] of all) expect(xinxiOutside(hantText), name).toBe(false);
    const joined = all.map(([, h]) => h).join('\n');
    for (const w of ['修改備案資料', '連結', '應用程式商店資訊', '線上', '聯絡', '影本', '搜尋'])
      expect(joined).toContain(w);
  });

  it('keeps the Simplified search term customers type into MIIT’s notice list, and searches (搜尋) for it', () => {
    const [, hantText] = all.find(([name]) => name === 'deregister/zhejiang/null')!;
    expect(hantText).toContain('搜尋「浙江 注销」');
  });

  it('keeps official names as the authorities write them, only in Traditional characters', () => {
    let seen = 0;
    for (const [name, hantText, simplified] of all) {
      for (const [zh, official, never] of OFFICIAL) {
        expect(hantText, name).not.toContain(never);
        const times = simplified.split(zh).length - 1;
        if (times === 0) continue;
        seen++;
        expect(hantText.split(official).length - 1, `${name}: ${official}`).toBeGreaterThanOrEqual(times);
      }
    }
    expect(seen).toBeGreaterThan(30);
  });

  it('writes the reviewed words: 回覆, 簡訊, 列印, 登入, 伺服器, 帳號', () => {
    const joined = all.map(([, h]) => h).join('\n');
    for (const w of ['回覆', '簡訊', '列印', '登入', '伺服器', '帳號']) expect(joined).toContain(w);
  });
});

describe('the Slack layer’s strings in Traditional', () => {
  it('hold no Mainland-only wording, and threads are 討論串', () => {
    for (const key of Object.keys(STRINGS.zh) as StringKey[]) {
      const s = t('zh', key, {}, true);
      for (const w of MAINLAND_ONLY) expect(s, key).not.toContain(w);
      expect(xinxiOutside(s), key).toBe(false);
      expect(mainlandWording(s), key).toEqual([]);
    }
    expect(t('zh', 'postInThread', {}, true)).toBe('在討論串中回覆');
  });

  it('hand a question to 客服團隊 and thank for 回饋; agents get 純文字 to 貼上', () => {
    expect(t('zh', 'askPerson', {}, true)).toBe('找客服人員');
    expect(t('zh', 'relayFromColleague', { user: 'U1', text: 'x' }, true)).toContain('（客服團隊）');
    expect(t('zh', 'caseTaken', { user: 'U1' }, true)).toContain('客服團隊的');
    expect(t('zh', 'thanksHelpful', {}, true)).toMatch(/^謝謝回饋/);
    expect(t('zh', 'thanksNotHelpful', {}, true)).toMatch(/^謝謝回饋/);
    expect(t('zh', 'plainText', {}, true)).toBe('給客戶的純文字');
    expect(t('zh', 'plainTextIntro', {}, true)).toContain('貼上');
    expect(t('zh', 'replied', { user: 'U1', choice: '廣東 Guangdong' }, true)).toBe(
      '<@U1> 回覆了廣東 Guangdong，回答見下方。',
    );
  });
});

describe('data/zh-hant.yaml', () => {
  const withTable = (edit: (yaml: string) => string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-hant-'));
    cpSync(DATA_DIR, dir, { recursive: true });
    const path = join(dir, 'zh-hant.yaml');
    writeFileSync(path, edit(readFileSync(path, 'utf8')));
    return dir;
  };

  it('every reviewed text is one of ours', () => {
    expect(() => checkKnown('texts', registryTexts(reg))).not.toThrow();
    expect(() => checkKnown('strings', new Set(Object.values(STRINGS.zh)))).not.toThrow();
    const stale = { ...hantTable(), texts: { ...hantTable().texts, 请回复省份: '請回覆省份' } };
    expect(() => checkKnown('texts', registryTexts(reg), stale)).toThrow(/not a text of ours/);
  });

  it('refuses a reviewed text with Mainland wording, or one that rewrites an official name', () => {
    const mainland = withTable((y) => y.replace('須在24小時內登入 {miit_home}', '須在24小時內登錄 {miit_home}'));
    expect(() => loadHant(mainland)).toThrow(DataError);
    expect(() => loadHant(mainland)).toThrow(/Mainland wording: 登錄/);
    const renamed = withTable((y) => y.replace('工信部備案系統通知公告中下載', '工信部備案系统通知公告中下載'));
    expect(() => loadHant(renamed)).toThrow(/official name 工信部備案系統/);
  });

  it('refuses 信息 outside an official name or an allowed term, and 修改備案信息 even though 備案信息 is allowed', () => {
    const info = withTable((y) => y.replace('應用程式商店資訊中展示', '應用程式商店信息中展示'));
    expect(() => loadHant(info)).toThrow(/Mainland wording: 信息/);
    const change = withTable((y) => y.replace('"修改備案資料（如', '"修改備案信息（如'));
    expect(() => loadHant(change)).toThrow(/Mainland wording: 修改備案信息/);
    const table = { mainlandOnly: ['信息', '修改備案信息'], allowed: ['備案信息'], official: { x: '工業和信息化部' } };
    expect(mainlandWording('工業和信息化部的備案信息查詢', table)).toEqual([]);
    expect(mainlandWording('請修改備案信息', table)).toEqual(['修改備案信息']);
    expect(mainlandWording('備案信息和網站信息', table)).toEqual(['信息']);
  });
});
