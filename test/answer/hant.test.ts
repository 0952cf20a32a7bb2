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
import { checkKnown, hantTable, loadHant, registryTexts } from '../../src/answer/hant.js';
import { loadIntents } from '../../src/answer/intents.js';
import { registry } from '../../src/answer/registry.js';
import { renderAgentText, renderText } from '../../src/answer/render-text.js';
import { DataError } from '../../src/errors.js';
import { DATA_DIR } from '../../src/paths.js';
import { STRINGS, t, type StringKey } from '../../src/slack/strings.js';
import { FALLBACK_INTENT, type Understanding } from '../../src/types.js';
import { understanding } from '../support/made.js';

/** Mainland wording a Taiwan or Hong Kong reader would not write, in Traditional characters. */
const MAINLAND_ONLY = ['請回復', '短信', '打印', '登錄', '服務器', '賬號'];
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

  it('holds no Mainland-only wording (請回復, 短信, 打印, 登錄, 服務器, 賬號)', () => {
    for (const [name, hantText] of all)
      for (const w of [...MAINLAND_ONLY, ...hantTable().mainlandOnly])
        expect(hantText, `${name}: ${w}`).not.toContain(w);
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
    }
    expect(t('zh', 'postInThread', {}, true)).toBe('在討論串中回覆');
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
});
