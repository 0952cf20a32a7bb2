/**
 * The place finder on its own: the index built from data/provinces.yaml, and findPlaces() on
 * normalised text — record numbers, Chinese and English names, cities, typos, negation, near pairs.
 */
import { describe, expect, it } from 'vitest';
import { analyzer } from '../../src/understand/understand.js';
import { englishKey, type PlaceFinding } from '../../src/understand/places.js';
import { registry } from '../../src/answer/registry.js';

const reg = registry();

/** The place finder as understand() runs it (the real index, cues and typo corrector). */
function find(q: string): PlaceFinding {
  return analyzer()(q).places;
}

describe('englishKey', () => {
  it('drops case, spaces, hyphens and apostrophes', () => {
    expect(englishKey("Zhe-Jiang Xi'an Inner Mongolia")).toBe('zhejiangxianinnermongolia');
    expect(englishKey('Xi’an')).toBe('xian');
  });
});

describe('the place index', () => {
  it('finds every province by id, English name, pinyin and Chinese name', () => {
    for (const p of reg.provinces) {
      for (const n of [p.id, p.name.en, p.pinyin]) expect(find(`${n}`).province, n).toBe(p.id);
      expect(find(p.name.zh), p.name.zh).toMatchObject({ province: p.id, candidates: [], placeHan: p.name.zh.length });
    }
  });

  it('maps every record-number character to its province, including 蜀 黔 滇 陇', () => {
    for (const p of reg.provinces)
      for (const c of p.icpPrefix) expect(find(`${c}ICP备12345678号`).province, c).toBe(p.id);
    expect(find('蜀ICP备12345678号').province).toBe('sichuan');
    expect(find('滇ICP备12345678号').province).toBe('yunnan');
  });

  it('reads Chinese names longest first so 马鞍山 beats 鞍山', () => {
    expect(find('马鞍山').province).toBe('anhui');
    expect(find('鞍山').province).toBe('liaoning');
  });

  it('a province name beats a city of another province', () => {
    expect(find('深圳 江苏').province).toBe('jiangsu');
    expect(find('深圳').province).toBe('guangdong');
  });

  it('knows every prefecture and county-level city of data/places.tsv, in Chinese and in pinyin', () => {
    expect(find('义乌市的备案').province).toBe('zhejiang');
    expect(find('昆山').province).toBe('jiangsu');
    expect(find('连云港').province).toBe('jiangsu');
    expect(find('Lianyungang').province).toBe('jiangsu');
    expect(find('湖南省宁乡县').province).toBe('hunan');
    expect(find('四川省阿坝藏族羌族自治州').province).toBe('sichuan');
  });

  it('does not read everyday words, lexicon words or brand names as places', () => {
    for (const q of ['阿里云控制台', '我们的合作伙伴', '新增接入', '云服务器', '京东云', 'beian zhuxiao', '东方明珠']) {
      expect(find(q).found, q).toBe(false);
    }
  });
});

describe('one place picked among several ("the Ningxia one", "只想注销河北那个", "only Hunan")', () => {
  it.each([
    ['One site filed in Ningxia, another in Qinghai. How do we cancel the Ningxia one?', 'ningxia'],
    ['两个站，一个备案在河南，一个在河北，只想注销河北那个', 'hebei'],
    ['Two filings: 粤ICP备18090021号 and 湘ICP备19004410号, please cancel the Hunan one only', 'hunan'],
  ])('%s', (text, province) => {
    expect(find(text).province).toBe(province);
  });

  it.each([
    'deregister two filings: one in Shandong one in Henan',
    'One filing in Guangdong, another in Guangxi, please cancel them both',
  ])('not where none is picked: %s', (text) => {
    expect(find(text).province).toBeNull();
  });
});

describe('one-character names and initials', () => {
  it('reads a one-character name standing alone or beside a filing word', () => {
    expect(find('浙 注销').province).toBe('zhejiang');
    expect(find('粤备案注销').province).toBe('guangdong');
    expect(find('注销鄂备案').province).toBe('hubei');
    expect(find('川/渝 两地的备案').candidates.sort()).toEqual(['chongqing', 'sichuan']);
  });

  it('reads a one-character name after 把 / 给 / 将 ("把京那边的备案销了", "把渝的备案干掉")', () => {
    expect(find('把京那边的备案给销了').province).toBe('beijing');
    expect(find('老板说把渝的备案干掉').province).toBe('chongqing');
    expect(find('给苏的那个备案办注销').province).toBe('jiangsu');
    for (const q of ['把新的备案提交了', '把云服务器的备案转过来', '把黑名单里的网站备案注销'])
      expect(find(q).found, q).toBe(false);
  });

  it('not inside another word', () => {
    for (const q of ['贵公司的备案', '我在京东买的', '湘菜馆网站', '隐藏备案号']) expect(find(q).found, q).toBe(false);
  });

  it('reads initials only beside a filing word, and asks for those several provinces share', () => {
    expect(find('zj dereg pls').province).toBe('zhejiang');
    expect(find('gd 备案注销').province).toBe('guangdong');
    expect(find('js error in the console').found).toBe(false);
    expect(find('hb beian cancel').candidates.sort()).toEqual(['hebei', 'hubei']);
    expect(find('sx beian cancel').candidates.sort()).toEqual(['shaanxi', 'shanxi']);
    expect(find('gz 注销备案').candidates.sort()).toEqual(['guangdong', 'guizhou']);
  });
});

describe('a misspelt province nearly as close to its near twin', () => {
  it.each([
    ['Heibei beian cancellation please', ['hebei', 'hubei']],
    ['Hunnan filing cancel pls', ['hainan', 'henan', 'hunan']],
    ['deregister ICP filing Hebai', ['hebei', 'hubei']],
    ['how 2 deregister jiangxsu beian', ['jiangsu', 'jiangxi']],
  ])('%s asks which', (q, ids) => {
    const f = find(q);
    expect(f.province).toBeNull();
    expect([...f.candidates].sort()).toEqual(ids);
  });

  it.each([
    ["dereg for 'Heibei' cust, Shijiazhuang address", 'hebei'],
    ['Hubie filing, want to cancel it', 'hubei'],
    ['Yunan deregistration pls', 'yunnan'],
    ['deregister our Guangdnog filing', 'guangdong'],
  ])('but a city beside it, two letters swapped or no twin as near settle it: %s → %s', (q, id) => {
    expect(find(q).province).toBe(id);
  });
});

describe('two places, one filing', () => {
  it.each([
    ['the filing was done in Nanjing, the company now sits in Shanghai', 'jiangsu'],
    ['our data centre is in Guizhou but the filing belongs to the Chongqing administration', 'chongqing'],
    ['support is in Chengdu but the record is 渝ICP备12345678号', 'chongqing'],
    ['we moved to Shenzhen last year; filed in Hangzhou originally', 'zhejiang'],
    ['公司现在搬到上海了，备案在江苏', 'jiangsu'],
    ['服务器在贵州，在重庆备案的', 'chongqing'],
    // Where the company is registered is not where it filed.
    ['公司注册在海南，备案是湖南的，想取消接入', 'hunan'],
    ['备案在河南备的 现在公司在海南 要注销', 'henan'],
    ['备案主体在西藏，实际运营在四川，主体要注销', 'xizang'],
    ['Our company is registered in Pudong now, but the filing was done in Hangzhou. Cancel it.', 'zhejiang'],
    ['cust filed in Sichuan, now moving servers to Chongqing', 'sichuan'],
    // A misspelt place is read when the only exact one is said to be elsewhere.
    ['tianjing company (registerd there), office now in beijing, wants beian canceled', 'tianjin'],
  ])('%s → %s', (q, id) => {
    expect(find(q).province).toBe(id);
  });

  it("asks when nothing says which place is the filing's", () => {
    expect(find('offices in Beijing and Shanghai').candidates.sort()).toEqual(['beijing', 'shanghai']);
  });

  it.each([
    ['one company is registered in Jiangsu, the other one in Fujian', ['fujian', 'jiangsu']],
    ['one filed in Guangdong, the other in Guangxi', ['guangdong', 'guangxi']],
    ['一个备案在浙江，另一个在江苏', ['jiangsu', 'zhejiang']],
  ])('two filings, one "filed in" and "the other in": %s asks which', (q, ids) => {
    const f = find(q);
    expect(f.province).toBeNull();
    expect([...f.candidates].sort()).toEqual(ids);
  });

  it.each([
    ['我们在上海和广州各有一个主体备案，都要注销', ['guangdong', 'shanghai']],
    ['we have 两个备案, one filed in Beijing and one in Shanghai, 都要注销', ['beijing', 'shanghai']],
    ['We have two filings, one registered in Hebei and one in Hubei; both need to be cancelled', ['hebei', 'hubei']],
    ['Two filings: 粤ICP备18090021号, and our other one is in Hunan', ['guangdong', 'hunan']],
  ])('several filings said to be held, whatever the levels of their places: %s asks which', (q, ids) => {
    const f = find(q);
    expect(f.province).toBeNull();
    expect(f.filings).toBe(true);
    expect([...f.candidates].sort()).toEqual(ids);
  });

  it.each([
    // One named as the filing's, the other elsewhere: no several filings.
    ['两个网站都要注销，备案在浙江，公司现在在上海', 'zhejiang'],
    // One picked among the several.
    ['Two filings: 粤ICP备18090021号 and 湘ICP备19004410号, please cancel the Hunan one only', 'hunan'],
  ])('but not a place said to be elsewhere or one picked: %s', (q, id) => {
    expect(find(q).province).toBe(id);
  });

  it('"the other in" after a place said to be elsewhere stays elsewhere', () => {
    expect(find('filed in Hebei; our office is in Beijing and the other one in Tianjin').province).toBe('hebei');
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
    expect(find('hunna').province).toBe('hunan');
  });

  it('finds nothing in text without places', () => {
    expect(find('how do I deregister')).toEqual({
      province: null,
      candidates: [],
      recordNumber: null,
      placeHan: 0,
      placeWords: 0,
      found: false,
      filings: false,
      spans: [],
    });
  });

  it('gives the span of every place, for masking', () => {
    const text = 'deregister zhe jiang 粤ICP备17012345号 杭州';
    const n = analyzer()(text);
    expect(n.places.spans.map(([s, e]) => n.norm.text.slice(s, e))).toEqual(['zhe jiang', '粤icp备17012345号', '杭州']);
  });
});

describe("an English place's cues are read within its clause", () => {
  it.each([
    ['We moved from Henan to Hubei; the filing was registered with the Henan administration.', 'henan'],
    ['Company moved from Hubei to Hunan; the filing was registered with the Hubei administration.', 'hubei'],
    ['We moved to Hubei; the filing was registered with the Henan administration.', 'henan'],
  ])('%s → %s', (q, id) => {
    expect(find(q).province).toBe(id);
  });
});
