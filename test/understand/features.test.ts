/**
 * The classifier's features, made two ways: as strings (`textFeatures`, what the model is trained
 * on) and reported one by one to the model (`Model.predictScan`, what answering uses). Both must
 * give exactly what the strings gave before the scan existed, to the last bit of every probability.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadClassifier } from '../../src/understand/classifier.js';
import { PLACE_MARK, textFeatures } from '../../src/understand/features.js';
import { train } from '../../src/understand/model.js';
import { analyzer } from '../../src/understand/understand.js';
import { ROOT } from '../../src/paths.js';

/** textFeatures as it was written before the scan (features.ts at c8c376c), for comparison. */
function referenceFeatures(masked: string, concepts: Iterable<string>): string[] {
  const isHan = (c: number) => (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf);
  const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 39;
  const stem = (w: string): string => {
    if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
    if (w.length > 4 && w.endsWith('ed')) return w.slice(0, w.endsWith('led') && w.length > 6 ? -3 : -2);
    if (w.length > 4 && w.endsWith('es') && !w.endsWith('ses')) return w.slice(0, -2);
    if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
    return w;
  };
  const text = masked.length > 4000 ? masked.slice(0, 4000) : masked;
  const out = new Set<string>();
  for (const c of concepts) if (!/^(@|abbr_|cue_)/.test(c)) out.add(`c:${c}`);
  let prevWord = '^';
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isWordChar(c)) {
      let j = i;
      while (j < text.length && isWordChar(text.charCodeAt(j))) j++;
      const raw = text.slice(i, j).replace(/'/g, '');
      const w = /\d/.test(raw) ? '#' : stem(raw);
      out.add(`w:${w}`);
      out.add(`b:${prevWord}_${w}`);
      if (w.length >= 5 && w !== '#') {
        const padded = `<${w.slice(0, 20)}>`;
        for (let k = 0; k + 3 <= padded.length; k++) out.add(`t:${padded.slice(k, k + 3)}`);
      }
      prevWord = w;
      i = j;
    } else if (isHan(c)) {
      let j = i;
      while (j < text.length && isHan(text.charCodeAt(j))) j++;
      const run = text.slice(i, j);
      for (let k = 0; k < run.length; k++) {
        out.add(`h:${run[k]}`);
        if (k + 2 <= run.length) out.add(`h:${run.slice(k, k + 2)}`);
        if (k + 3 <= run.length) out.add(`h:${run.slice(k, k + 3)}`);
      }
      prevWord = 'H';
      i = j;
    } else {
      i++;
    }
  }
  return [...out];
}

const analyze = analyzer();
const model = loadClassifier(analyze);
const bits = (p: Float64Array) => Array.from(p, (x) => x.toString(16));

/** Every question of the labelled sets and the training files. */
const questions = [
  'test/dev.jsonl',
  'test/holdout.jsonl',
  ...readdirSync(join(ROOT, 'test', 'blind')).map((f) => `test/blind/${f}`),
  ...readdirSync(join(ROOT, 'intents', 'training')).map((f) => `intents/training/${f}`),
].flatMap((file) =>
  readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        const text = (JSON.parse(line) as { text?: unknown }).text;
        return typeof text === 'string' ? [text] : [];
      } catch {
        return [];
      }
    }),
);

/** Text with what features are made of: letters, digits, apostrophes, Chinese (both ranges), place marks, punctuation. */
const featureText = fc
  .array(
    fc.oneof(
      fc.constantFrom('cancel', 'deregistered', "don't", "''", 'filings', 'beian', 'abcdefghijklmnopqrstuvwxyz', 'x'),
      fc.constantFrom('123', '4g', 'icp2024', "o'clock"),
      fc.constantFrom('注销', '备案', '号', '㐀', '䶵', '鿿', '一'),
      fc.constantFrom(' ', '  ', ',', '.', '?', PLACE_MARK, '\n', '!', 'É', '_'),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));
const concepts = fc.array(fc.constantFrom('filing', 'dereg_strong', '@province', 'abbr_before', 'cue_filed', 'x'), {
  maxLength: 4,
});

describe('the classifier features', () => {
  it('are the strings they were before the scan, in the same order', () => {
    fc.assert(
      fc.property(featureText, concepts, (text, cs) => {
        expect(textFeatures(text, new Set(cs))).toEqual(referenceFeatures(text, new Set(cs)));
      }),
      { numRuns: 2000 },
    );
    const long = 'deregister 注销备案 '.repeat(400);
    expect(textFeatures(long, [])).toEqual(referenceFeatures(long, []));
  });

  it('give the same probabilities, bit for bit, reported one by one as made into strings', () => {
    expect(questions.length).toBeGreaterThan(5000);
    for (const q of questions) {
      const a = analyze(q);
      expect(bits(model.predictScan((sink) => analyze.scan(a, sink)))).toEqual(
        bits(model.predict(analyze.features(a))),
      );
    }
    fc.assert(
      fc.property(featureText, (text) => {
        const a = analyze(text);
        expect(bits(model.predictScan((sink) => analyze.scan(a, sink)))).toEqual(
          bits(model.predict(analyze.features(a))),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('give the same probabilities with a model that has features no scan reports', () => {
    const odd = train(
      [
        { features: ['w:cancel', 'x:odd', 'h:注销'], label: 'deregister' },
        { features: ['w:lunch', 't:<lu'], label: 'other' },
      ],
      'test',
    );
    for (const text of ['cancel lunch', '注销 lunch', 'nothing known']) {
      const a = analyze(text);
      expect(bits(odd.predictScan((sink) => analyze.scan(a, sink)))).toEqual(bits(odd.predict(analyze.features(a))));
    }
  });
});
