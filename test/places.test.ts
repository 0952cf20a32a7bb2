/**
 * The place finder on its own: the index built from data/provinces.yaml, and findPlaces() on
 * normalised text — record numbers, Chinese and English names, cities, typos, negation, near pairs.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../src/defaults.js';
import { TypoCorrector } from '../src/fuzzy.js';
import { loadIntents } from '../src/intents.js';
import { normalize } from '../src/normalize.js';
import { buildPlaceIndex, englishKey, findPlaces, type PlaceFinding } from '../src/places.js';
import { registry } from '../src/registry.js';

const reg = registry();
const index = buildPlaceIndex(reg.provinces);
const corrector = new TypoCorrector(index.vocabulary);
// The negation words as understand() builds them from intents/lexicon.yaml.
const negation = loadIntents().lexicon.concepts['negation']!;
const negations = { en: new Set(negation.en.map((t) => t.toLowerCase().replace(/\s+/g, ''))), zh: negation.zh };
const COMMON = new Set(['deregister', 'filing', 'the', 'in', 'my', 'human', 'please', 'form', 'a', 'i']);

function find(q: string, known: ReadonlySet<string> = COMMON): PlaceFinding {
  const n = normalize(q, reg.traditional, 50_000, index.tonedSpellings);
  return findPlaces(n.text, n.words, index, corrector, (w) => known.has(w), { maxWords: 40, minLength: DEFAULTS.placeFuzzyMinLength }, negations);
}

describe('englishKey', () => {
  it('drops case, spaces, hyphens and apostrophes', () => {
    expect(englishKey("Zhe-Jiang Xi'an Inner Mongolia")).toBe('zhejiangxianinnermongolia');
    expect(englishKey('Xi’an')).toBe('xian');
  });
});

describe('buildPlaceIndex', () => {
  it('finds every province by id, English name, pinyin and Chinese name', () => {
    for (const p of reg.provinces) {
      for (const n of [p.id, p.name.en, p.pinyin]) expect(index.en.get(englishKey(n))?.ids, n).toEqual([p.id]);
      expect(index.en.get(p.id)?.level).toBe('province');
      expect(find(p.name.zh), p.name.zh).toMatchObject({ province: p.id, candidates: [], placeHan: p.name.zh.length });
    }
  });

  it('maps every record-number character to its province, including 蜀 黔 滇 陇', () => {
    for (const p of reg.provinces) for (const c of p.icpPrefix) expect(index.icpPrefix.get(c)).toBe(p.id);
    expect(index.icpPrefix.get('蜀')).toBe('sichuan');
    expect(index.icpPrefix.get('黔')).toBe('guizhou');
    expect(index.icpPrefix.get('滇')).toBe('yunnan');
    expect(index.icpPrefix.get('陇')).toBe('gansu');
    expect(index.icpPrefix.get('粤')).toBe('guangdong');
  });

  it('keeps tone-marked spellings aside, longest first', () => {
    const spellings = index.tonedSpellings.map(([from]) => from);
    expect(index.tonedSpellings).toContainEqual(['shǎnxī', 'shaanxi']);
    for (let i = 1; i < spellings.length; i++) expect(spellings[i - 1]!.length).toBeGreaterThanOrEqual(spellings[i]!.length);
    // Non-ASCII spellings never go into the English map.
    for (const k of index.en.keys()) expect(k).toMatch(/^[\x00-\x7f]+$/);
  });

  it('sorts Chinese names longest first so 马鞍山 beats 鞍山', () => {
    expect(find('马鞍山').province).toBe('anhui');
    expect(find('鞍山').province).toBe('liaoning');
  });

  it('cities index at city level and name their province', () => {
    expect(index.en.get('shenzhen')).toEqual({ ids: ['guangdong'], level: 'city' });
    // A province name beats a city of another province, so 深圳 is a city and 江苏 a province.
    expect(find('深圳 江苏').province).toBe('jiangsu');
    expect(find('深圳').province).toBe('guangdong');
  });
});

describe('findPlaces', () => {
  it('finds a record number, normalises it and counts its characters as place text', () => {
    const f = find('粤 ICP 备 17012345 号 - 2 please');
    expect(f.province).toBe('guangdong');
    expect(f.recordNumber).toBe('粤ICP备17012345号-2');
    expect(f.placeHan).toBeGreaterThanOrEqual(2);
    expect(f.found).toBe(true);
  });

  it('reads a record number without the -n suffix and with a year', () => {
    expect(find('京ICP备2021123456号').recordNumber).toBe('京ICP备2021123456号');
    expect(find('京ICP备2021123456号').province).toBe('beijing');
  });

  it('lets a record number beat a province name', () => {
    expect(find('粤ICP备17012345号-2 Zhejiang')).toMatchObject({ province: 'guangdong', candidates: [] });
  });

  it('keeps the record number but no province for an unknown prefix character', () => {
    const f = find('好ICP备12345678号');
    expect(f.recordNumber).toBe('好ICP备12345678号');
    expect(f.province).toBeNull();
  });

  it('lets a province name beat a city of another province', () => {
    expect(find('Hangzhou company, filing in Jiangsu')).toMatchObject({ province: 'jiangsu', candidates: [] });
  });

  it('reports two named provinces as candidates', () => {
    const f = find('Zhejiang or Jiangsu');
    expect(f.province).toBeNull();
    expect(f.candidates.sort()).toEqual(['jiangsu', 'zhejiang']);
  });

  it('joins up to three English words into one name', () => {
    expect(find('zhe jiang').province).toBe('zhejiang');
    expect(find('inner mongolia').province).toBe('neimenggu');
    expect(find('xi an').province).toBe('shaanxi');
    expect(find('zhe jiang').placeWords).toBe(2);
  });

  it('drops a negated place ("Hebei, not Hubei"; "河北，不是湖北")', () => {
    expect(find('Hebei, not Hubei').province).toBe('hebei');
    expect(find('not Hubei but Hebei').province).toBe('hebei');
    expect(find('河北，不是湖北').province).toBe('hebei');
  });

  // places.ts says negated places drop out "unless nothing else was named", but the code drops
  // them anyway; dropping is the safer reading ("deregister, not Hubei" must not answer Hubei).
  it('drops a negated place even when nothing else was named', () => {
    const f = find('not Hubei');
    expect(f.found).toBe(false);
    expect(f.province).toBeNull();
  });

  it('corrects a typo only when nothing was named exactly', () => {
    expect(find('zhejang').province).toBe('zhejiang');
    expect(find('sichaun').province).toBe('sichuan');
    // An exact name elsewhere in the text wins; the typo is not read at all.
    expect(find('Hunan, hubie').province).toBe('hunan');
  });

  it('reports a typo between two near provinces as ambiguous', () => {
    expect(find('hobei')).toMatchObject({ province: null });
    expect(find('hobei').candidates.sort()).toEqual(['hebei', 'hubei']);
    expect(find('hinan').candidates.sort()).toEqual(['hainan', 'henan', 'hunan']);
  });

  it('never corrects a known word into a place ("human" is not Hunan)', () => {
    expect(find('human').found).toBe(false);
    expect(find('human', new Set()).province).toBe('hunan');
  });

  it('finds nothing in text without places', () => {
    expect(find('how do I deregister')).toEqual({
      province: null,
      candidates: [],
      recordNumber: null,
      placeHan: 0,
      placeWords: 0,
      found: false,
    });
  });
});
