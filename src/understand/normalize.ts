/**
 * Turns what people type into Slack into comparable text: Slack markup removed, full-width forms
 * and tone marks folded, Traditional characters read as Simplified, lower case, one space.
 */

export interface Normalized {
  /** Lower-case, Simplified, NFKC text with single spaces (Chinese kept as is). */
  text: string;
  /** Latin/number words of the text, in order ("xi'an" → "xian"). */
  words: string[];
  /** Where each word starts in `text`, and where it ends (exclusive). */
  wordSpans: [number, number][];
  /** How many Han characters the text has. */
  han: number;
  /** How many of them were Traditional (or variant) forms read as Simplified. */
  traditional: number;
  /**
   * The words as typed with their tone marks ("shǎn", "xi"), aligned with `words`; null when the
   * text had no marked Latin letter (the usual case).
   */
  tonedWords: string[] | null;
}

const SLACK_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

const LINK_SCHEME = /^(?:https?|mailto|tel):/i;

/**
 * `<@U123>`, `<#C1|general>`, `<!here>`, `<http://a.cn|a.cn>` → their readable part (or nothing).
 * One left-to-right scan: the next `>` and `|` are found once and reused by every `<` before
 * them, so a flood of `<@` without a closing `>` costs linear time, not a rescan per `<`.
 */
export function stripSlackMarkup(text: string): string {
  if (!text.includes('<')) return decodeEntities(text);
  let out = '';
  let last = 0;
  let nextGt = -2;
  let nextBar = -2;
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    if (nextGt !== -1 && nextGt <= i) nextGt = text.indexOf('>', i + 1);
    if (nextGt === -1) break;
    if (nextBar !== -1 && nextBar <= i) nextBar = text.indexOf('|', i + 1);
    const bar = nextBar !== -1 && nextBar < nextGt ? nextBar : -1;
    const head = text.slice(i + 1, Math.min(i + 8, nextGt));
    let readable: string;
    if (head[0] === '@' || head[0] === '#' || head[0] === '!') readable = bar < 0 ? '' : text.slice(bar + 1, nextGt);
    else if (LINK_SCHEME.test(head)) readable = bar < 0 ? text.slice(i + 1, nextGt) : text.slice(bar + 1, nextGt);
    else continue;
    out += decodeEntities(text.slice(last, i)) + ` ${decodeEntities(readable)} `;
    last = nextGt + 1;
    i = nextGt;
  }
  return out + decodeEntities(text.slice(last));
}

const decodeEntities = (s: string) =>
  s.includes('&') ? s.replace(/&(amp|lt|gt);/g, (m) => SLACK_ENTITIES[m] ?? m) : s;

const COMBINING_MARKS = /[\u0300-\u036f]/g;
// eslint-disable-next-line no-misleading-character-class -- combining marks alone, on purpose: a decomposed é is still marked Latin
const LATIN_MARKED = /[\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]/;
// Control and format characters (zero-width, bidi) become spaces so words do not glue together.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;
const WORD = /[a-z0-9]+(?:'[a-z0-9]+)*/g;
const NUMBER_SIGN = /#(?![\p{L}\p{N}])/gu;

/**
 * `spellings` are replaced before tone marks are dropped: the few toned spellings that carry
 * meaning (Shǎnxī is 陕西, Shānxī is 山西), written lower-case and NFC.
 */
export function normalize(raw: string, traditional: Readonly<Record<string, string>>, maxChars: number): Normalized {
  let text = raw.length > maxChars ? raw.slice(0, maxChars) : raw;
  text = stripSlackMarkup(text).normalize('NFKC').toLowerCase();
  // "beian #", "record #": a number sign that numbers nothing stands for the word.
  if (text.includes('#')) text = text.replace(NUMBER_SIGN, ' no ');
  const simplified = simplify(text.replace(CONTROL, ' '), codeTable(traditional));
  text = simplified.text;
  if (needsSpaceFolding(text)) text = text.replace(/\s+/g, ' ');
  text = text.trim();
  // Tone marks and accents last, one character for one, so words keep their place in both texts.
  let toned: string | null = null;
  if (LATIN_MARKED.test(text)) {
    toned = text;
    text = foldMarks(text);
  }
  const words: string[] = [];
  const wordSpans: [number, number][] = [];
  const tonedWords: string[] | null = toned === null ? null : [];
  for (const m of text.matchAll(WORD)) {
    words.push(m[0].includes("'") ? m[0].replace(/'/g, '') : m[0]);
    wordSpans.push([m.index, m.index + m[0].length]);
    tonedWords?.push(toned!.slice(m.index, m.index + m[0].length).replace(/'/g, ''));
  }
  return { text, words, wordSpans, han: simplified.han, traditional: simplified.converted, tonedWords };
}

const foldCache = new Map<string, string>();
/** Each marked Latin letter → its plain letter (ǎ → a); a letter that would not stay one character is kept. */
function foldMarks(text: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xc0 || (code > 0x36f && code < 0x1e00) || code > 0x1eff) continue;
    const c = text[i]!;
    let plain = foldCache.get(c);
    if (plain === undefined) {
      const f = c.normalize('NFD').replace(COMBINING_MARKS, '');
      plain = f.length === 1 ? f : c;
      foldCache.set(c, plain);
    }
    out += text.slice(last, i) + plain;
    last = i + 1;
  }
  return out + text.slice(last);
}

const tables = new WeakMap<object, Uint16Array>();

/** The table as code unit → code unit (0 = unchanged), built once per table. */
function codeTable(traditional: Readonly<Record<string, string>>): Uint16Array {
  let table = tables.get(traditional);
  if (!table) {
    table = new Uint16Array(0x10000);
    for (const [from, to] of Object.entries(traditional)) {
      // Characters outside the Basic Multilingual Plane are rare Traditional forms: not needed here.
      if (from.length === 1 && to.length === 1) table[from.charCodeAt(0)] = to.charCodeAt(0);
    }
    tables.set(traditional, table);
  }
  return table;
}

/** Character-by-character Traditional → Simplified; the table lives in data/hanzi-variants.yaml. */
export function toSimplified(text: string, traditional: Readonly<Record<string, string>>): string {
  return simplify(text, codeTable(traditional)).text;
}

/** One pass that converts and counts Han characters, since long messages pay for every pass. */
function simplify(text: string, table: Uint16Array): { text: string; han: number; converted: number } {
  let out: string[] | null = null;
  let last = 0;
  let han = 0;
  let converted = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isHan(c)) han++;
    const to = table[c]!;
    if (to === 0) continue;
    converted++;
    (out ??= []).push(text.slice(last, i), String.fromCharCode(to));
    last = i + 1;
  }
  return { text: out ? out.join('') + text.slice(last) : text, han, converted };
}

const isHan = (c: number) =>
  (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);

/** Whether the text has two spaces in a row or any white space other than a plain space. */
function needsSpaceFolding(text: string): boolean {
  let prevSpace = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (prevSpace) return true;
      prevSpace = true;
      continue;
    }
    prevSpace = false;
    // Tabs and line breaks, and the Unicode spaces \s knows (most are folded to U+0020 by NFKC).
    if ((c >= 9 && c <= 13) || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)) return true;
    if (c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff) return true;
  }
  return false;
}

/**
 * The key an English or pinyin place name is matched and checked for clashes by: lower case, no
 * spaces, hyphens or apostrophes ("Zhe-Jiang", "Xi'an" → "zhejiang", "xian").
 */
export const englishKey = (s: string) => s.toLowerCase().replace(/[\s'’-]/g, '');

/** Whether the text has a Han character (the Slack layer's guess of a message's language). */
export function hasHan(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isHan(text.charCodeAt(i))) return true;
  return false;
}

/** How many Han characters (CJK ideographs of the Basic Multilingual Plane) the text has. */
export function countHan(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (isHan(text.charCodeAt(i))) n++;
  return n;
}

/** The character codes of `chars`, for charBetween. */
export const charCodes = (chars: string): ReadonlySet<number> => new Set([...chars].map((c) => c.charCodeAt(0)));

/** Whether one of `codes` stands in text[from, to): a look at the characters, no string made. */
export function charBetween(text: string, from: number, to: number, codes: ReadonlySet<number>): boolean {
  for (let k = from; k < to; k++) if (codes.has(text.charCodeAt(k))) return true;
  return false;
}
