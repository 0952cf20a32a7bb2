/**
 * Inputs made to find super-linear work in understand(): floods of Slack markup openers without
 * their closers, province names, record-number prefixes, one Han character, invisible and
 * right-to-left marks, lone surrogates. Shared by `npm run bench` (worst case at 50,000
 * characters) and the linearity property test (n against 2n).
 */
export const ADVERSARIAL: Readonly<Record<string, string>> = Object.freeze({
  'user mentions <@': '<@',
  'specials <!|': '<!|',
  'links <http:': '<http:',
  'mention bars <@U|': '<@U|',
  'entities &amp;': '&amp;',
  'province names': 'Zhejiang ',
  'pinyin with tones': 'Shǎn xī ',
  'record prefixes ICP备': 'ICP备',
  'spaces before icp': '          icp',
  'one Han character': '浙',
  'city names': '杭州 南京 ',
  'filing words': '注销备案',
  'zero-width and RTL marks': 'a\u200b\u202e\u200f',
  'lone surrogates': '\ud800x\udfff',
  'initials and filing words': 'zj dereg ',
  'English negations before Chinese': 'not 注销 ',
  'English negations a few words before Chinese': 'not asking about the 公安 ',
  'negation words without Chinese': 'not asking about the ',
  'Chinese commas before 后': '，注销后',
  'difference btw, repeated': 'diffrence btw ',
  'two blockers in one sentence': '备案号和密码都忘了',
});

/** `unit` repeated to exactly `length` characters (code units). */
export function flood(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}
