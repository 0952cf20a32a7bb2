/**
 * Turns what people type into Slack into comparable text: Slack markup removed, full-width forms
 * and tone marks folded, Traditional characters read as Simplified, lower case, one space.
 */

export interface Normalized {
  /** Lower-case, Simplified, NFKC text with single spaces (Chinese kept as is). */
  text: string;
  /** Latin/number words of the text, in order ("xi'an" → "xian"). */
  words: string[];
  /** How many Han characters the text has. */
  han: number;
}

const SLACK_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** `<@U123>`, `<#C1|general>`, `<!here>`, `<http://a.cn|a.cn>` → their readable part (or nothing). */
export function stripSlackMarkup(text: string): string {
  return text
    .replace(/<([@#!])[^>|]*(?:\|([^>]*))?>/g, (_m, _sigil: string, label?: string) => ` ${label ?? ''} `)
    .replace(/<((?:https?|mailto|tel):[^>|]*)(?:\|([^>]*))?>/gi, (_m, url: string, label?: string) => ` ${label ?? url} `)
    .replace(/&(amp|lt|gt);/g, (m) => SLACK_ENTITIES[m] ?? m);
}

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const LATIN_MARKED = /[\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]/;
// Control and format characters (zero-width, bidi) become spaces so words do not glue together.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;
const WORD = /[a-z0-9]+(?:'[a-z0-9]+)*/g;

/**
 * `spellings` are replaced before tone marks are dropped: the few toned spellings that carry
 * meaning (Shǎnxī is 陕西, Shānxī is 山西), written lower-case and NFC.
 */
export function normalize(
  raw: string,
  traditional: Readonly<Record<string, string>>,
  maxChars: number,
  spellings: readonly (readonly [string, string])[] = [],
): Normalized {
  let text = raw.length > maxChars ? raw.slice(0, maxChars) : raw;
  text = stripSlackMarkup(text).normalize('NFKC').toLowerCase();
  for (const [from, to] of spellings) if (text.includes(from)) text = text.split(from).join(` ${to} `);
  // Tone marks and accents: only Latin letters carry them, so most Chinese text skips this.
  if (LATIN_MARKED.test(text)) text = text.normalize('NFD').replace(COMBINING_MARKS, '').normalize('NFC');
  const simplified = simplify(text.replace(CONTROL, ' '), codeTable(traditional));
  text = simplified.text;
  if (needsSpaceFolding(text)) text = text.replace(/\s+/g, ' ');
  text = text.trim();
  const matched = text.match(WORD) ?? [];
  const words = text.includes("'") ? matched.map((w) => w.replace(/'/g, '')) : matched;
  return { text, words, han: simplified.han };
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
function simplify(text: string, table: Uint16Array): { text: string; han: number } {
  let out: string[] | null = null;
  let last = 0;
  let han = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isHan(c)) han++;
    const to = table[c]!;
    if (to === 0) continue;
    (out ??= []).push(text.slice(last, i), String.fromCharCode(to));
    last = i + 1;
  }
  return { text: out ? out.join('') + text.slice(last) : text, han };
}

const isHan = (c: number) => (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);

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

/** How many Han characters (CJK ideographs of the Basic Multilingual Plane) the text has. */
export function countHan(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (isHan(text.charCodeAt(i))) n++;
  return n;
}
