/**
 * Property tests (fast-check): random and hostile strings — any Unicode, lone surrogates, Slack
 * markup, CJK, emoji, control characters, very long — never break understanding or rendering.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answer } from '../src/answer.js';
import { loadIntents } from '../src/intents.js';
import { normalize } from '../src/normalize.js';
import { registry } from '../src/registry.js';
import { escapeMrkdwn, renderBlocks } from '../src/render-blocks.js';
import { renderText } from '../src/render-text.js';
import type { Understanding } from '../src/types.js';
import { understand } from '../src/understand.js';

const reg = registry();
const IDS = reg.provinces.map((p) => p.id);
const ID_SET = new Set(IDS);
const INTENT_IDS = loadIntents().intents.map((i) => i.intent);

const char = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCharCode(c));
const loneSurrogate = char(0xd800, 0xdfff);
const control = fc.oneof(char(0, 0x1f), char(0x7f, 0x9f), fc.constantFrom('\u200b', '\u200d', '\u202e', '\u2028', '\ufeff', '\u2060'));
const slack = fc.constantFrom('<@U123>', '<@U1|bob>', '<#C1|general>', '<!here>', '<!channel>', '<http://a.cn|a.cn>', '<https://x.cn/?a=1&amp;b=2>', '&amp;', '&lt;', '&gt;', '<', '>', '|', '*', '_', '`', '<@', '<#C1|', '<http://');
const cjk = fc.constantFrom('浙江', '注销', '备案', '陕西', '山西', '河北，不是湖北', '粤ICP备17012345号-2', '蜀ICP备', '註銷備案', '廣東', '密码', '备案号', '公安备案', '马鞍山', '上海东');
const words = fc.constantFrom('deregister', 'deregestration', 'zhejang', 'hobei', 'not', 'password', 'forgot', 'record number', 'filing', 'cancel', 'Shǎnxī', 'Zhe Jiang', "Xi'an", 'icp', 'hello', 'thanks');
const emoji = fc.constantFrom('😀', '🇨🇳', '👍🏽', '👩‍💻', '🎉');
const separator = fc.constantFrom(' ', '', '\n', '，', '\t', '  ');

const fragment = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: loneSurrogate }),
  fc.string({ unit: control }),
  slack,
  cjk,
  words,
  emoji,
);
/** A message built from hostile fragments. */
const hostile = fc.array(fc.tuple(fragment, separator), { maxLength: 30 }).map((parts) => parts.map(([f, s]) => f + s).join(''));
/** A few very long messages, beyond Slack's 40,000 characters. */
const huge = fc.tuple(fragment, fc.integer({ min: 2_000, max: 60_000 })).map(([f, n]) => (f || 'x').repeat(Math.ceil(n / Math.max(f.length, 1))));

function checkShape(u: Understanding, input: string): void {
  expect(u.text).toBe(input);
  expect(typeof u.intent).toBe('string');
  expect(u.intent.length).toBeGreaterThan(0);
  expect(u.confidence).toBeGreaterThanOrEqual(0);
  expect(u.confidence).toBeLessThanOrEqual(1);
  expect(u.province === null || ID_SET.has(u.province)).toBe(true);
  for (const c of u.candidates) expect(ID_SET.has(c)).toBe(true);
  if (u.province !== null) expect(u.candidates).toEqual([]);
  expect(u.candidates.length === 0 || u.candidates.length >= 2).toBe(true);
  expect(['en', 'zh']).toContain(u.lang);
  expect(u.kind === null || ['entity', 'site', 'access'].includes(u.kind)).toBe(true);
  expect(typeof u.confirm).toBe('boolean');
  if (u.recordNumber !== null) expect(u.recordNumber).toMatch(/^\p{Script=Han}ICP备\d+号(-\d+)?$/u);
}

interface Block {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: { text?: unknown; action_id?: string; options?: unknown[] }[];
}

function checkRendered(u: Understanding): void {
  const a = answer(u);
  const text = renderText(a);
  expect(text.length).toBeGreaterThan(0);
  expect(text).not.toContain('<http');
  expect(text).not.toContain('|>');
  const msg = renderBlocks(a, { ref: 'C1:1.2' });
  expect(msg.text.length).toBeGreaterThan(0);
  const blocks = msg.blocks as unknown as Block[];
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.length).toBeLessThanOrEqual(50);
  // A header first, except on a question back, which is its one sentence.
  expect(blocks[0]!.type).toBe(a.ask || a.confirm ? 'section' : 'header');
  expect(blocks[0]!.text!.text.length).toBeLessThanOrEqual(a.ask || a.confirm ? 3000 : 150);
  for (const b of blocks) {
    if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(3000);
    if (b.type === 'actions') {
      expect(b.block_id).toBe('icp_province:C1:1.2');
      expect(b.elements!.length).toBeGreaterThan(0);
      expect(b.elements!.length).toBeLessThanOrEqual(25);
    }
  }
  // The question is never echoed into Slack markup: no mention or link can come from the asker.
  const json = JSON.stringify(msg);
  expect(json).not.toMatch(/<[@#!]/);
  expect(json).not.toContain('<http://a.cn');
}

describe('understand on hostile strings', () => {
  it('never throws and always returns a valid shape', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        checkShape(understand(s), s);
      }),
      { numRuns: 300 },
    );
  });

  it('copes with very long messages', () => {
    fc.assert(
      fc.property(huge, (s) => {
        checkShape(understand(s), s);
      }),
      { numRuns: 15 },
    );
  });

  it('is deterministic (the typo cache does not change answers)', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        expect(understand(s)).toEqual(understand(s));
      }),
      { numRuns: 100 },
    );
  });

  it('is not distracted by noise that carries no words', () => {
    const noise = fc
      .array(fc.oneof(emoji, fc.string({ unit: loneSurrogate }), fc.string({ unit: control }), fc.constantFrom('<@U123>', '<!here>', '!', '?', '...', '（', '）', '  ')), {
        maxLength: 20,
      })
      .map((xs) => xs.join(''));
    fc.assert(
      fc.property(noise, (n) => {
        const u = understand(`deregister Zhejiang ${n}`);
        expect([u.intent, u.province]).toEqual(['deregister', 'zhejiang']);
      }),
      { numRuns: 200 },
    );
  });
});

describe('answer and both renderers on hostile input', () => {
  it('never throw for what understand() makes of hostile strings', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        checkRendered(understand(s));
      }),
      { numRuns: 200 },
    );
  });

  it('never throw for any understanding, even a malformed one', () => {
    const understanding = fc.record({
      text: fc.string(),
      intent: fc.oneof(fc.constantFrom(...INTENT_IDS, 'fallback'), fc.string()),
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      confirm: fc.boolean(),
      province: fc.oneof(fc.constant(null), fc.constantFrom(...IDS), fc.string()),
      candidates: fc.oneof(fc.constant([] as string[]), fc.subarray(IDS, { minLength: 2, maxLength: 4 }), fc.array(fc.string(), { maxLength: 3 })),
      recordNumber: fc.constant(null),
      kind: fc.constantFrom(null, 'entity' as const, 'site' as const, 'access' as const),
      lang: fc.constantFrom('en' as const, 'zh' as const),
      traditional: fc.boolean(),
    });
    fc.assert(
      fc.property(understanding, (u) => {
        checkRendered(u);
      }),
      { numRuns: 300 },
    );
  });
});

describe('normalize and escapeMrkdwn on any string', () => {
  it('normalize gives trimmed, single-spaced, lower-case text without control characters', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const n = normalize(s, reg.traditional, 50_000);
        expect(n.text).toBe(n.text.trim());
        expect(n.text).not.toMatch(/\s{2}/);
        expect(n.text).not.toMatch(/[A-Z\u0000-\u001f\u007f\u200b\u202e\ufeff]/);
        for (const w of n.words) expect(w).toMatch(/^[a-z0-9]+$/);
      }),
      { numRuns: 300 },
    );
  });

  it('escapeMrkdwn leaves no < or > and can be undone exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const e = escapeMrkdwn(s);
        expect(e).not.toMatch(/[<>]/);
        expect(e.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')).toBe(s);
      }),
      { numRuns: 300 },
    );
  });
});
