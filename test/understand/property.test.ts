/**
 * Property tests (fast-check): random and hostile strings — any Unicode, lone surrogates, Slack
 * markup, CJK, emoji, control characters, very long — never break understanding or rendering.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { loadIntents } from '../../src/answer/intents.js';
import { normalize } from '../../src/understand/normalize.js';
import { registry } from '../../src/answer/registry.js';
import { escapeMrkdwn, renderBlocks } from '../../src/answer/render-blocks.js';
import { renderText, saysOwnTitle } from '../../src/answer/render-text.js';
import type { Understanding } from '../../src/types.js';
import { understand } from '../../src/understand/understand.js';
import { hostile, strict, understandingChecks } from '../support/hostile.js';

const reg = registry();
const IDS = reg.provinces.map((p) => p.id);
const INTENT_IDS = loadIntents().intents.map((i) => i.intent);

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
  // A question back, or a reply whose first line is its title, has no header.
  expect(blocks[0]!.type).toBe(a.ask || a.confirm || saysOwnTitle(a) ? 'section' : 'header');
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
  for (const [name, check] of Object.entries(understandingChecks(understand))) it(name, check);
});

describe('answer and both renderers on hostile input', () => {
  it('never throw for what understand() makes of hostile strings', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        checkRendered(strict(understand)(s));
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
      candidates: fc.oneof(
        fc.constant([] as string[]),
        fc.subarray(IDS, { minLength: 2, maxLength: 4 }),
        fc.array(fc.string(), { maxLength: 3 }),
      ),
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
