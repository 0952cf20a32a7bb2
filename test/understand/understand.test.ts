/**
 * understand(): intent, province, confidence, candidates, kind and answer language for what
 * people really type into Slack — the cases the issue lists, one group each.
 */
import { describe, expect, it } from 'vitest';
import { loadClassifier } from '../../src/understand/classifier.js';
import { DEFAULTS } from '../../src/defaults.js';
import { loadIntents } from '../../src/answer/intents.js';
import { Model } from '../../src/understand/model.js';
import { PLACE_MARK } from '../../src/understand/features.js';
import { registry } from '../../src/answer/registry.js';
import { FALLBACK_INTENT } from '../../src/types.js';
import { analyzer, createUnderstander, understand, withProvince } from '../../src/understand/understand.js';
import { checkHostileInput, HOSTILE_INPUTS } from '../support/hostile.js';

const reg = registry();

/** English city names two provinces share. */
const SHARED_NAMES: Record<string, string[]> = { Suzhou: ['anhui', 'jiangsu'], Fuzhou: ['fujian', 'jiangxi'] };

/** Intent and province in one value, so a failure shows both. */
const ip = (q: string) => {
  const u = understand(q);
  return { intent: u.intent, province: u.province, candidates: [...u.candidates].sort() };
};
const dereg = (province: string | null, candidates: string[] = []) => ({
  intent: 'deregister',
  province,
  candidates: [...candidates].sort(),
});

describe('Slack markup and typing noise', () => {
  it.each([
    '<@U123> how do I deregister in Zhejiang?',
    '<@U1|bob> deregister <#C1|general> Zhejiang <!here>',
    'deregister &amp; <http://example.cn|example.cn> Zhejiang',
    'ＤＥＲＥＧＩＳＴＥＲ　ＺＨＥＪＩＡＮＧ',
    '   DeReGiStEr!!!   zhejiang???  ',
    'deregister Zhèjiāng',
    'de\u200bregister zhe\u200bjiang',
    'deregister\u0000Zhejiang\u0007',
  ])('%j → deregister/zhejiang', (q) => {
    expect(ip(q)).toEqual(dereg('zhejiang'));
  });

  it('keeps the raw text', () => {
    expect(understand('<@U1> Deregister ZHEJIANG').text).toBe('<@U1> Deregister ZHEJIANG');
  });

  it('reads Traditional Chinese', () => {
    expect(ip('註銷備案 廣東')).toEqual(dereg('guangdong'));
    expect(ip('怎麼註銷網站備案')).toEqual(dereg(null));
    expect(ip('註銷備案 陝西')).toEqual(dereg('shaanxi'));
  });

  it('reads Chinese with no spaces and mixed English and Chinese', () => {
    expect(ip('浙江网站备案怎么注销')).toEqual(dereg('zhejiang'));
    expect(ip('我想注销 zhejiang 的备案')).toEqual(dereg('zhejiang'));
    expect(ip('please help me 注销备案 for Shenzhen')).toEqual(dereg('guangdong'));
  });
});

describe('province', () => {
  const MUNICIPALITIES = new Set(['beijing', 'tianjin', 'shanghai', 'chongqing']);
  const FULL_NAMES: Record<string, string> = {
    neimenggu: '内蒙古自治区',
    guangxi: '广西壮族自治区',
    xizang: '西藏自治区',
    ningxia: '宁夏回族自治区',
    xinjiang: '新疆维吾尔自治区',
  };

  describe.each(reg.provinces.map((p) => [p.id, p] as const))('%s', (id, p) => {
    it('from the English name', () => {
      expect(ip(`How do I deregister my ICP filing in ${p.name.en}?`)).toEqual(dereg(id));
    });
    it('from the pinyin', () => {
      expect(ip(`deregister ${p.pinyin.toLowerCase()}`)).toEqual(dereg(id));
    });
    it('from the Chinese name, with and without 省/市/自治区', () => {
      const full = FULL_NAMES[id] ?? p.name.zh + (MUNICIPALITIES.has(id) ? '市' : '省');
      expect(ip(`${p.name.zh}的备案怎么注销`)).toEqual(dereg(id));
      expect(ip(`${full}的备案怎么注销`)).toEqual(dereg(id));
    });
    it('from the record-number prefix', () => {
      for (const c of p.icpPrefix) expect(ip(`${c}ICP备12345678号-1 怎么注销`)).toEqual(dereg(id));
    });
    it('from every city, in Chinese and English', () => {
      for (const c of p.cities) {
        expect(ip(`注销备案 ${c.zh}`), c.zh).toEqual(dereg(id));
        // Suzhou (苏州, 宿州) and Fuzhou (福州, 抚州) name cities of two provinces: asked, never guessed.
        const shared = SHARED_NAMES[c.en ?? ''];
        if (c.en) expect(ip(`deregister filing ${c.en}`), c.en).toEqual(shared ? dereg(null, shared) : dereg(id));
      }
    });
  });

  it.each([
    ['Zhe Jiang', 'zhejiang'],
    ['zhe-jiang', 'zhejiang'],
    ['Hei Long Jiang', 'heilongjiang'],
    ['hei-long-jiang', 'heilongjiang'],
    ['Nei Meng Gu', 'neimenggu'],
    ['Chong-qing', 'chongqing'],
    ['Zhèjiāng', 'zhejiang'],
    ['Guǎngdōng', 'guangdong'],
    ['Sìchuān', 'sichuan'],
    ['Shǎnxī', 'shaanxi'],
    ['Shānxī', 'shanxi'],
    ['SHǍNXĪ', 'shaanxi'],
    ['Sha\u030cnxi\u0304', 'shaanxi'], // decomposed tone marks
    ['Shǎn-xī', 'shaanxi'],
    ['Shaan Xi', 'shaanxi'],
  ])('from pinyin with spaces, hyphens or tone marks: %s', (name, id) => {
    expect(ip(`deregister ${name}`)).toEqual(dereg(id));
  });

  it.each([
    ['Inner Mongolia', 'neimenggu'],
    ['Nei Mongol', 'neimenggu'],
    ['Tibet', 'xizang'],
    ['Jinlin', 'jilin'],
    ['Canton', 'guangdong'],
    ['Szechuan', 'sichuan'],
    ['Peking', 'beijing'],
  ])('from an alternative name: %s', (name, id) => {
    expect(ip(`deregister ${name}`)).toEqual(dereg(id));
  });

  it.each([
    ['Shenzhen', 'guangdong'],
    ['Hangzhou', 'zhejiang'],
    ["Xi'an", 'shaanxi'],
    ['Taiyuan', 'shanxi'],
    ['Wuhan', 'hubei'],
    ['Shijiazhuang', 'hebei'],
    ['Changsha', 'hunan'],
    ['Zhengzhou', 'henan'],
    ['Haikou', 'hainan'],
    ['Nanning', 'guangxi'],
    ['Nanjing', 'jiangsu'],
    ['Nanchang', 'jiangxi'],
  ])('from a city: %s', (city, id) => {
    expect(ip(`deregister the filing of our ${city} company`)).toEqual(dereg(id));
  });

  it('from a record number, with the number kept', () => {
    const u = understand('粤ICP备17012345号-2 注销');
    expect(u).toMatchObject({ intent: 'deregister', province: 'guangdong', recordNumber: '粤ICP备17012345号-2' });
  });

  it.each([
    ['蜀', 'sichuan'],
    ['黔', 'guizhou'],
    ['滇', 'yunnan'],
    ['陇', 'gansu'],
    ['川', 'sichuan'],
    ['贵', 'guizhou'],
    ['云', 'yunnan'],
    ['甘', 'gansu'],
  ])('from the record-number character %s', (c, id) => {
    expect(ip(`${c}ICP备12345678号 注销`)).toEqual(dereg(id));
  });
});

describe('phrases with inflected words', () => {
  // The text's "removed" is read as its keyword "remove"; a lexicon phrase must be read alike.
  it.each([
    ['beian got removed', 'vanished'],
    ['it has been revoked', 'vanished'],
    ['why was our filing removed from the MIIT list', 'vanished'],
  ])('%s has %s', (text, concept) => {
    expect(analyzer()(text).concepts.has(concept)).toBe(true);
  });
});

describe('typos', () => {
  it.each([
    ['deregestration zhejang', 'zhejiang'],
    ['deregister sichaun', 'sichuan'],
    ['deregestration of the ICP filing in Guangdong', 'guangdong'],
    ['Beijng filing cancellation form pls', 'beijing'],
    ['deregister ICP filing Hubie', 'hubei'],
  ])('%s', (q, id) => {
    expect(ip(q)).toEqual(dereg(id));
  });

  it('marks a typo-corrected keyword with a lower confidence than the exact word', () => {
    expect(understand('deregestration zhejiang').confidence).toBeLessThan(
      understand('deregistration zhejiang').confidence,
    );
  });
});

describe('typo correction does not invent a province', () => {
  it.each([
    'please deregister the ICP filing, regards',
    'deregister filing in Hong Kong',
    'deregister filing Macau',
    'deregister filing in Singapore',
  ])('%s → no province', (q) => {
    expect(ip(q)).toEqual(dereg(null));
  });

  // Known bug: a name that is one edit from a short city name is read as that city, so the bot
  // gives a confident, wrong province instead of asking (Sasha → Sanya/Hainan, Huber → Hubei,
  // Luna → Lu'an/Anhui, Taiwan → Tai'an/Shandong). Found by running every capitalised word of
  // /usr/share/dict through "please deregister the ICP filing <word>". Flip to `it` once fixed.
  it.each([
    'Hi, how do I deregister our ICP filing? Thanks, Sasha',
    'How do I deregister the ICP filing? Regards, Max Huber',
    'deregister our filing please - Luna',
    'How do I cancel our ICP filing in Taiwan?',
  ])('%s → no province (sign-off names and places outside the 31)', (q) => {
    expect(ip(q)).toEqual(dereg(null));
  });
});

describe('near pairs', () => {
  const PAIRS = [
    ['shanxi', 'shaanxi'],
    ['hebei', 'hubei'],
    ['henan', 'hunan'],
    ['henan', 'hainan'],
    ['hunan', 'hainan'],
    ['guangdong', 'guangxi'],
    ['jiangsu', 'jiangxi'],
  ] as const;
  const both = PAIRS.flatMap(
    ([a, b]) =>
      [
        [a, b],
        [b, a],
      ] as const,
  );
  const p = (id: string) => reg.byId.get(id)!;

  it.each(both)('%s is never read as %s', (a, b) => {
    expect(ip(`deregister ${p(a).name.en}`)).toEqual(dereg(a));
    expect(ip(`deregister ${p(a).pinyin}`)).toEqual(dereg(a));
    expect(ip(`${p(a).name.zh}注销备案`)).toEqual(dereg(a));
    expect(ip(`deregister ICP filing in ${p(a).name.en}, not ${p(b).name.en}`)).toEqual(dereg(a));
    expect(ip(`注销备案 ${p(a).name.zh}，不是${p(b).name.zh}`)).toEqual(dereg(a));
  });

  it.each([
    ['Shaonxi', ['shanxi', 'shaanxi']],
    ['Hobei', ['hebei', 'hubei']],
    ['Heinan', ['henan', 'hainan']],
    ['Huinan', ['hunan', 'hainan']],
    ['Hanan', ['henan', 'hunan', 'hainan']],
    ['Jiangsi', ['jiangsu', 'jiangxi']],
  ])('a typo between them (%s) is ambiguous: no province, every candidate', (typo, ids) => {
    expect(ip(`deregister ${typo}`)).toEqual(dereg(null, [...ids]));
  });
  // Guangdong and Guangxi are too far apart for one typo to sit between them.

  it('names two provinces as candidates', () => {
    expect(ip('deregistration of ICP filing for Guangdong and Guangxi')).toEqual(dereg(null, ['guangdong', 'guangxi']));
  });
});

describe('negation', () => {
  it.each([
    ['deregister Hebei, not Hubei', 'hebei'],
    ['Hebei (not Hubei) deregister', 'hebei'],
    ['deregister Hubei not Hebei', 'hubei'],
    ['deregister Guangxi rather than Guangdong', 'guangxi'],
    ['deregister ICP filing in Henan instead of Hunan', 'henan'],
    ['注销备案 河北，不是湖北', 'hebei'],
  ])('%s', (q, id) => {
    expect(ip(q)).toEqual(dereg(id));
  });
});

describe('yes-or-no questions are not negations', () => {
  const rulesOnly = createUnderstander(analyzer(), loadIntents(), null, { mode: 'rules' });
  it.each(['能不能帮我把备案注销掉，谢谢', '可不可以帮忙注销一下备案', '备案是不是要注销'])('%s → deregister', (q) => {
    expect(rulesOnly(q).intent).toBe('deregister');
  });
  it.each(['我不想注销备案，只是找不到备案号', '不是要注销备案，是忘了备案密码'])('%s is still negated', (q) => {
    expect(rulesOnly(q).intent).not.toBe('deregister');
  });
});

describe('wording found in blind sets 7 and 8', () => {
  const rulesOnly = createUnderstander(analyzer(), loadIntents(), null, { mode: 'rules' });
  it.each(['把备案给我注了，谢谢', '请问怎么申请退备？', '备案注了吧'])('%s → deregister', (q) => {
    expect(rulesOnly(q).intent).toBe('deregister');
  });
  it.each([
    '以前的网管弄的备案账号，他离职了，现在登不进备案系统',
    'how do we get back into the filing account? the designer who set it up left',
  ])('%s → forgot_password', (q) => {
    expect(rulesOnly(q).intent).toBe('forgot_password');
  });
  it.each([
    'How do I reset my ICP filing account password?',
    '備案帳號密碼遺失要怎麼處理',
    'Is there a way to regain access to our ICP filing account?',
  ])('%s → forgot_password: the filing account is no console', (q) => {
    expect(rulesOnly(q).intent).toBe('forgot_password');
  });
  it('"…的流程是什么" asks how, not what a kind is', () => {
    expect(rulesOnly('注销App备案的流程是什么？').intent).toBe('deregister');
    expect(rulesOnly('取消接入是什么？').intent).toBe('cancel_kinds');
  });
  it.each([
    "We don't want to change the filing, we want it cancelled completely.",
    '不是变更，是注销，公司已经关了，山西太原',
  ])('%s: "not X, but Y" is Y', (q) => {
    expect(rulesOnly(q).intent).toBe('deregister');
  });
  it.each([
    ["Please deregister website, filing province Shanxi (Xi'an).", 'shaanxi'],
    ["cancel our ICP filing, company is registered in Xi'an, Shanxi province", 'shaanxi'],
    ['deregister Hubei filing, office in Shijiazhuang', 'hubei'],
    ["Filed in Guangxi, but all the staff now sit in Guangzhou. We'd like to cancel the filing", 'guangxi'],
    ['Shanxi Taiyuan filing deregister', 'shanxi'],
  ])('a misspelt near twin right beside a city of the other: %s → %s', (q, id) => {
    expect(understand(q).province).toBe(id);
  });
  it.each([
    ['客户是粤备的 要注销网站', 'guangdong'],
    ['浙备 注销主体怎么弄', 'zhejiang'],
    ['闽备注销', 'fujian'],
  ])('X备 is X ICP备: %s → %s', (q, id) => {
    expect(understand(q).province).toBe(id);
  });
  it.each(['我们用云备份，备案怎么注销', '新备注：客户要注销备案'])('but 云备份 and 新备注 are words: %s', (q) => {
    expect(understand(q).province).toBeNull();
  });
  it('a sound typo never takes a character of a word: 那取消 is not 那曲 (Nagqu)', () => {
    expect(understand('好的，那取消接入的表格在哪下载？').province).toBeNull();
    expect(understand('那曲的备案怎么注销').province).toBe('xizang');
    expect(understand('广洲的备案怎么注销').province).toBe('guangdong');
  });
});

describe('the classifier', () => {
  it('does not see where a question is from: no place concept, no place mark in its features', () => {
    const a = analyzer();
    const features = a.features(a('青海的备案初审要几天，粤ICP备12345678号'));
    expect(features.some((f) => f.startsWith('c:') && f.includes('province'))).toBe(false);
    expect(features.some((f) => f.includes(PLACE_MARK))).toBe(false);
    expect(features).toContain('h:初审');
  });

  /** A classifier that says the same for every question: P(other) = p, the rest shared. */
  const saying = (p: number) => {
    const labels = ['deregister', 'forgot_password', 'lost_record_number', 'other'];
    const rest = Math.log((1 - p) / 3);
    return new Model(labels, [''], Float32Array.from([rest, rest, rest, Math.log(p)]), 'test');
  };
  const withModel = (p: number) => createUnderstander(analyzer(), loadIntents(), saying(p), { mode: 'both' });
  const q = 'hey can u cancel my icp? thx';

  it('overrules a rule with a plain "other" only when very sure', () => {
    expect(withModel(DEFAULTS.bareOtherOverride - 0.03)(q).intent).toBe('deregister');
    expect(withModel(DEFAULTS.bareOtherOverride + 0.03)(q).intent).toBe(FALLBACK_INTENT);
  });
});

describe('traps that are not our intents', () => {
  it.each([
    'how do I log out of my account',
    'I forgot my console login password',
    'I just registered a new domain',
    'how do I apply for a new ICP filing',
  ])('%s', (q) => {
    const u = understand(q);
    expect(['deregister', 'forgot_password', 'lost_record_number']).not.toContain(u.intent);
  });

  it.each([
    'how do I cancel my ECS instance in Hangzhou region',
    'I forgot my email password',
    'cancel my order',
    '域名怎么注销',
  ])('%s', (q) => {
    expect(['deregister', 'forgot_password', 'lost_record_number']).not.toContain(understand(q).intent);
  });

  // Known bug: "delete" (dereg_weak) plus "record" (filing) reads a DNS record as an ICP record.
  it('delete the DNS record for example.cn is not a deregistration', () => {
    expect(understand('delete the DNS record for example.cn').intent).not.toBe('deregister');
  });

  it('recognises a new filing and the public-security filing as their own intents', () => {
    expect(understand('how do I apply for a new ICP filing').intent).toBe('new_filing');
    expect(understand('公安备案怎么注销').intent).toBe('public_security_filing');
  });
});

describe('two needs in one question: the blocking one wins', () => {
  it('deregister but forgot the filing password → forgot_password', () => {
    expect(understand('I want to deregister but forgot the filing password').intent).toBe('forgot_password');
  });

  // Precedence is explicit (intents/precedence.yaml): a typo in the blocking need does not reorder it.
  it('keeps the blocking need when it is misspelt ("pasword")', () => {
    for (const q of [
      'I want to deregister but forgot the filing pasword',
      'deregister the ICP filing, forgot the pasword of the filing',
    ]) {
      const u = understand(q);
      expect(u.intent, q).toBe('forgot_password');
      expect(u.confidence, q).toBeLessThan(understand(q.replace('pasword', 'password')).confidence + 1e-9);
    }
  });

  it('deregister but lost the record number → lost_record_number', () => {
    expect(understand('I want to deregister but I lost the record number').intent).toBe('lost_record_number');
  });

  it('keeps the province of a blocked deregistration', () => {
    expect(understand('I forgot my filing password, 浙ICP备12345678号').province).toBe('zhejiang');
  });
});

describe('other intents', () => {
  it.each([
    ['I forgot the filing password', 'forgot_password'],
    ['备案密码忘记了', 'forgot_password'],
    ['where is my record number', 'lost_record_number'],
    ['我的备案号是多少', 'lost_record_number'],
    ['hello', 'greeting'],
    ['你好', 'greeting'],
    ['thanks', 'thanks'],
    ['谢谢', 'thanks'],
    ['help', 'help'],
    ["what's the weather", FALLBACK_INTENT],
    ['', FALLBACK_INTENT],
  ])('%j → %s', (q, intent) => {
    expect(understand(q).intent).toBe(intent);
  });
});

describe('language', () => {
  it.each([
    ['浙江的备案怎么注销', 'zh'],
    ['注销备案 Zhejiang', 'zh'],
    ['备案密码忘记了', 'zh'],
    ['註銷備案 廣東', 'zh'],
    ['how to deregister 浙江', 'en'],
    ['Our company in 深圳 wants to deregister the ICP filing', 'en'],
    ['粤ICP备17012345号-2 how to deregister', 'en'],
    ['I forgot my filing password, 浙ICP备12345678号', 'en'],
    ['deregister Zhejiang', 'en'],
    ['', 'en'],
  ])('%j → %s', (q, lang) => {
    expect(understand(q).lang).toBe(lang);
  });
});

describe('language of a bare record number', () => {
  // Known bug: the place finder counts 粤 and 备 of a record number as place text but not 号, so a
  // message that is only a record number has one "own" Han character and is answered in Chinese.
  // The issue: Chinese only when the asker's own words are Chinese, English otherwise.
  it.each(['粤ICP备17012345号-2', '浙ICP备12345678号'])('%s → en', (q) => {
    expect(understand(q).lang).toBe('en');
  });
});

describe('confidence', () => {
  it('is high for a clear question', () => {
    expect(understand('How do I deregister my ICP filing in Zhejiang?').confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('is below lowConfidence for a fallback that shares some of our words', () => {
    const u = understand('how do I log out of my account');
    expect(u.intent).toBe(FALLBACK_INTENT);
    expect(u.confidence).toBeLessThan(DEFAULTS.lowConfidence);
  });

  it('is lower, with a confirmation, for a bare "forgot password"', () => {
    for (const q of ['forgot password', 'forgot my password', 'password?', '密码忘了']) {
      const u = understand(q);
      expect(u, q).toMatchObject({ intent: 'forgot_password', confirm: true });
    }
    expect(understand('I forgot the ICP filing password').confirm).toBe(false);
  });
});

describe('look-alikes are not deregistrations', () => {
  it.each([
    'my ICP filing is gone from the MIIT system',
    'we closed the ticket about the ICP filing',
    'if I delete my domain is the filing cancelled?',
    "what's the difference between 注销网站 and 取消接入?",
    'we are moving to another cloud provider, what happens to our ICP filing',
  ])('%s', (q) => {
    expect(understand(q).intent).not.toBe('deregister');
  });

  it('a request to carry out one kind stays a deregistration, led by that kind', () => {
    expect(understand('please do the 取消接入 for 皖ICP备12345678号')).toMatchObject({
      intent: 'deregister',
      province: 'anhui',
      kind: 'access',
    });
    expect(understand('cancel access only, site in Hangzhou')).toMatchObject({
      intent: 'deregister',
      province: 'zhejiang',
      kind: 'access',
    });
  });
});

describe('a blocker said not to be lost blocks nothing', () => {
  it('"No, I haven\'t lost the number, it\'s 晋ICP备…. I just need to cancel it."', () => {
    const u = understand("No, I haven't lost the number, it's 晋ICP备2020003344号. I just need to cancel it.");
    expect(u).toMatchObject({ intent: 'deregister', province: 'shanxi' });
    expect(u.also ?? []).toEqual([]);
  });
});

describe('a filing cancelled by mistake cannot be restored: the new filing answers', () => {
  it.each(['我们不小心把备案注销了，还能恢复吗', 'We cancelled our filing by mistake. Can we get it back?'])(
    '%s',
    (q) => {
      expect(understand(q).intent).toBe('new_filing');
    },
  );

  it('a cancellation requested after a mistake is still one', () => {
    expect(
      understand('we accidentally cancelled the wrong filing, please cancel the right one 粤ICP备12345678号'),
    ).toMatchObject({ intent: 'deregister', province: 'guangdong' });
  });
});

describe('a record gone from the public inquiry is no lost number', () => {
  it.each([
    'our beian number vanished from the MIIT search, site got blocked, we never deregistered!!',
    '工信部的那个查询页面输我们的域名，什么都出不来了，之前明明有的',
  ])('%s', (q) => {
    expect(understand(q).intent).toBe('record_vanished');
  });
});

describe('Shānxī and Shǎnxī', () => {
  it('tone marks decide between 山西 and 陕西; without them, spaced pinyin is asked', () => {
    expect(understand('Shǎn xi deregistration')).toMatchObject({ intent: 'deregister', province: 'shaanxi' });
    expect(understand('Shān xī deregistration')).toMatchObject({ intent: 'deregister', province: 'shanxi' });
    const plain = understand('Shan xi deregistration');
    expect(plain.province).toBeNull();
    expect([...plain.candidates].sort()).toEqual(['shaanxi', 'shanxi']);
    // The English names are not pinyin: Shanxi is 山西, Shaanxi is 陕西.
    expect(understand('Shanxi deregistration').province).toBe('shanxi');
    expect(understand('Shaanxi deregistration').province).toBe('shaanxi');
  });
});

describe('never throws', () => {
  it.each(HOSTILE_INPUTS)('%s', (_name, input) => checkHostileInput(understand, input));

  it('still understands a 100 KB message (only the first 50,000 characters are read)', () => {
    expect(ip('deregister Zhejiang '.repeat(5_200))).toEqual(dereg('zhejiang'));
  });

  it('reads past lone surrogates and control characters rather than giving up', () => {
    expect(ip('\ud800 deregister \udfff zhejiang \ud83d')).toEqual(dereg('zhejiang'));
    expect(ip('\u0000deregister\u001bzhejiang\u007f')).toEqual(dereg('zhejiang'));
  });

  it('gives the fallback for non-string input', () => {
    expect(understand(42 as unknown as string)).toMatchObject({ intent: FALLBACK_INTENT, province: null, text: '' });
  });
});

describe('createUnderstander and withProvince', () => {
  it('reads with the rules alone, the classifier alone, or both', () => {
    const q = 'How do I deregister my ICP filing in Zhejiang?';
    for (const mode of ['rules', 'model', 'both'] as const) {
      expect(
        createUnderstander(analyzer(), loadIntents(), loadClassifier(analyzer()), { mode })(q),
        mode,
      ).toMatchObject({ intent: 'deregister', province: 'zhejiang' });
    }
    // Without a classifier and with the rules off, nothing is recognised; the province still is.
    const none = createUnderstander(analyzer(), loadIntents(), null, { mode: 'model' })(q);
    expect(none).toMatchObject({ intent: FALLBACK_INTENT, province: 'zhejiang' });
  });

  it('completes an understanding with the chosen province', () => {
    const u = understand('deregister Hobei');
    const done = withProvince(u, 'hubei');
    expect(done).toMatchObject({ intent: 'deregister', province: 'hubei', candidates: [], text: u.text });
  });
});

describe('a phrase never reads across the end of a clause', () => {
  it('"…where we did the filing. Password reset?" names no filing password', () => {
    expect(
      analyzer()("Can't log into the cloud account where we did the filing. Password reset?").concepts.has(
        'filing_password',
      ),
    ).toBe(false);
  });
  it('while one within a clause still reads: "we forgot the filing password"', () => {
    expect(analyzer()('we forgot the filing password').concepts.has('filing_password')).toBe(true);
  });
});
