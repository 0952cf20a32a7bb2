/**
 * Turns what people type into Slack into comparable text: Slack markup removed, full-width forms
 * and tone marks folded, Traditional characters read as Simplified, lower case, one space.
 */

export interface Normalized {
  /** Lower-case, Simplified, NFKC text with single spaces (Chinese kept as is). */
  text: string;
  /** Latin/number words of the text, in order ("xi'an" → "xian"). */
  words: string[];
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
  text = text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .normalize('NFC')
    .replace(CONTROL, ' ')
    .toLowerCase();
  text = toSimplified(text, traditional).replace(/\s+/g, ' ').trim();
  const words = (text.match(WORD) ?? []).map((w) => w.replace(/'/g, ''));
  return { text, words };
}

const tablePatterns = new WeakMap<object, RegExp>();

/** Character-by-character Traditional → Simplified; the table lives in data/hanzi-variants.yaml. */
export function toSimplified(text: string, traditional: Readonly<Record<string, string>>): string {
  let pattern = tablePatterns.get(traditional);
  if (!pattern) {
    const chars = Object.keys(traditional).map((c) => c.replace(/[\\\]^-]/g, '\\$&'));
    pattern = chars.length ? new RegExp(`[${chars.join('')}]`, 'gu') : /$^/gu;
    tablePatterns.set(traditional, pattern);
  }
  return text.replace(pattern, (c) => traditional[c] ?? c);
}

const HAN = /\p{Script=Han}/gu;
/** How many Han characters the text has. */
export function countHan(text: string): number {
  return text.match(HAN)?.length ?? 0;
}
