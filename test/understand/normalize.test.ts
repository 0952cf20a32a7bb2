/**
 * normalize(): Slack markup, entities, full-width forms, tone marks, Traditional characters and
 * invisible characters all fold into one comparable form.
 */
import { describe, expect, it } from 'vitest';
import { countHan, normalize, stripSlackMarkup, toSimplified } from '../../src/understand/normalize.js';
import { registry } from '../../src/answer/registry.js';

const traditional = registry().traditional;
const norm = (s: string) => normalize(s, traditional, 50_000);

describe('stripSlackMarkup', () => {
  it('drops a bare user mention', () => {
    expect(stripSlackMarkup('<@U123> deregister').trim()).toBe('deregister');
  });

  it('keeps the label of a labelled mention, channel and link', () => {
    expect(stripSlackMarkup('<@U1|bob> hi').trim().split(/\s+/)).toEqual(['bob', 'hi']);
    expect(stripSlackMarkup('in <#C1|general> now').trim().split(/\s+/)).toEqual(['in', 'general', 'now']);
    expect(stripSlackMarkup('see <http://a.cn|a.cn> please').trim().split(/\s+/)).toEqual(['see', 'a.cn', 'please']);
  });

  it('drops special mentions like <!here> and <!channel>', () => {
    expect(stripSlackMarkup('<!here> <!channel> help').trim()).toBe('help');
  });

  it('keeps the URL of an unlabelled link', () => {
    expect(stripSlackMarkup('<https://beian.miit.gov.cn>').trim()).toBe('https://beian.miit.gov.cn');
    expect(stripSlackMarkup('<mailto:a@b.cn|a@b.cn>').trim()).toBe('a@b.cn');
  });

  it('decodes the three Slack entities exactly once', () => {
    expect(stripSlackMarkup('a &amp; b &lt;c&gt;')).toBe('a & b <c>');
    // "&amp;lt;" is an escaped "&lt;", not "<".
    expect(stripSlackMarkup('&amp;lt;')).toBe('&lt;');
  });

  it('leaves ordinary text and unknown entities alone', () => {
    expect(stripSlackMarkup('a < b > c &quot;')).toBe('a < b > c &quot;');
  });
});

describe('normalize', () => {
  it('removes Slack markup before reading words', () => {
    const n = norm('<@U123> <@U1|bob> <#C1|general> <!here> deregister <http://a.cn|a.cn> &amp; Zhejiang');
    expect(n.text).toBe('bob general deregister a.cn & zhejiang');
    expect(n.words).toEqual(['bob', 'general', 'deregister', 'a', 'cn', 'zhejiang']);
  });

  it('folds full-width letters, digits and spaces (NFKC) and lower-cases', () => {
    expect(norm('ＤＥＲＥＧＩＳＴＥＲ　ＺＨＥＪＩＡＮＧ　１２３').text).toBe('deregister zhejiang 123');
    expect(norm('粤ＩＣＰ备１７０１２３４５号').text).toBe('粤icp备17012345号');
  });

  it('drops tone marks', () => {
    expect(norm('Zhèjiāng').text).toBe('zhejiang');
    expect(norm('GUǍNGDŌNG').words).toEqual(['guangdong']);
  });

  it('keeps the words as typed with their tone marks, aligned with the plain words', () => {
    const n = norm('Deregister Shǎn-xī, not Shān xi');
    expect(n.words).toEqual(['deregister', 'shan', 'xi', 'not', 'shan', 'xi']);
    expect(n.tonedWords).toEqual(['deregister', 'shǎn', 'xī', 'not', 'shān', 'xi']);
    expect(norm('plain text').tonedWords).toBeNull();
  });

  it('gives every word its span in the normalised text', () => {
    const n = norm("<@U1> Zhe Jiang  注销 xi'an");
    expect(n.wordSpans.map(([s, e]) => n.text.slice(s, e))).toEqual(['zhe', 'jiang', "xi'an"]);
  });

  it('counts Traditional characters read as Simplified', () => {
    expect(norm('註銷備案').traditional).toBe(3);
    expect(norm('注销备案').traditional).toBe(0);
  });

  it('reads Traditional characters as Simplified', () => {
    expect(norm('註銷備案 廣東').text).toBe('注销备案 广东');
    expect(norm('網站備案號').text).toBe('网站备案号');
  });

  it('does not corrupt Simplified characters that double as Traditional keys', () => {
    expect(norm('乾隆 著名 什么').text).toBe('乾隆 著名 什么');
  });

  it('turns control, zero-width and bidi characters into word breaks', () => {
    const n = norm('a\u0000b\u200bc\u202ed\ufeffe\u0007f');
    expect(n.text).toBe('a b c d e f');
    expect(n.words).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('collapses whitespace and trims', () => {
    expect(norm('  A   B\t\n C  ').text).toBe('a b c');
  });

  it("joins apostrophe words (Xi'an → xian) but keeps the text", () => {
    const n = norm("Xi'an");
    expect(n.text).toBe("xi'an");
    expect(n.words).toEqual(['xian']);
  });

  it('keeps Chinese without spaces and extracts no words from it', () => {
    const n = norm('浙江注销备案');
    expect(n.text).toBe('浙江注销备案');
    expect(n.words).toEqual([]);
  });

  it('reads only the first maxChars characters', () => {
    const n = normalize('abc def ghi', traditional, 5);
    expect(n.text).toBe('abc d');
  });

  it('handles the empty string', () => {
    expect(norm('')).toEqual({ text: '', words: [], wordSpans: [], han: 0, traditional: 0, tonedWords: null });
  });
});

describe('toSimplified and countHan', () => {
  it('maps character by character with the given table', () => {
    expect(toSimplified('廣東 abc', { 廣: '广', 東: '东' })).toBe('广东 abc');
    expect(toSimplified('廣東', {})).toBe('廣東');
  });

  it('counts Han characters only', () => {
    expect(countHan('浙江 ICP 备 123')).toBe(3);
    expect(countHan('hello 😀')).toBe(0);
  });
});

describe('normalize counts Han characters', () => {
  it('counts them after Traditional → Simplified, whatever else the text has', () => {
    expect(norm('註銷備案 in 廣東, please').han).toBe(6);
    expect(norm('deregister Zhejiang').han).toBe(0);
  });

  it('folds tabs, line breaks and runs of spaces into one space', () => {
    expect(norm('a\tb\n\nc   d\u3000e').text).toBe('a b c d e');
  });
});
