/**
 * The features the classifier sees in a question: English words (lightly stemmed) and word pairs,
 * letter trigrams of longer words (so typos share most of their features), Chinese character
 * 1-, 2- and 3-grams, and the lexicon's concepts. Place names are masked ("P"), so the model
 * learns how people ask, not which provinces appeared in its training questions.
 */

/** Only this much of a message feeds the model: the ask is near the start of even long emails. */
const MODEL_MAX_CHARS = 4000;
/** Stands for a place name or record number in the masked text. */
export const PLACE_MARK = '\u{e000}';

const isHan = (c: number) => (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf);
/** Han characters as digits 1…27,648 of a number in base 2^15: up to three are exact in a double, one key per string. */
const HAN_FIRST = 0x3400;
const HAN_BASE = 0x8000;
const hanDigit = (c: number) => c - HAN_FIRST + 1;
/** A trigram's letters are a–z, "<" and ">": a byte each. */
const packTrigram = (a: number, b: number, c: number) => (a << 16) | (b << 8) | c;
const OPEN = 0x3c;
const QUOTE = 0x27;
const CLOSE = 0x3e;
/** Concepts that say where, not what is asked: most training questions that name a province are deregistrations. */
const WHERE = /^(@|abbr_|cue_)/;
const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 39;

/** "cancelled" → "cancel", "records" → "record": regular endings only, enough for features. */
function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, w.endsWith('led') && w.length > 6 ? -3 : -2);
  if (w.length > 4 && w.endsWith('es') && !w.endsWith('ses')) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/**
 * What a scan of a text's features reports, in the order `textFeatures` lists them (a feature may
 * be reported more than once). The model looks each up as it comes (model.ts, `predictScan`)
 * instead of making a string of each: on the hot path that was a fifth of the understanding's time.
 */
export interface FeatureSink {
  /** A lexicon concept: "c:<name>". */
  concept(name: string): void;
  /** A word, and the one before it ("^" first, "H" after Chinese): "w:<word>", then "b:<before>_<word>". */
  word(word: string, before: string): void;
  /** Three letters of "<word>": "t:<abc>", their char codes packed (`packTrigram`). */
  trigram(key: number): void;
  /** One to three Chinese characters: "h:<chars>", packed (`packHan`). */
  han(key: number): void;
}

/**
 * Reports the features of a normalised, place-masked text (lower case, Simplified, places replaced
 * by PLACE_MARK) plus the concepts found in it.
 */
export function scanFeatures(masked: string, concepts: Iterable<string>, sink: FeatureSink): void {
  const text = masked.length > MODEL_MAX_CHARS ? masked.slice(0, MODEL_MAX_CHARS) : masked;
  for (const c of concepts) if (!WHERE.test(c)) sink.concept(c);
  let prevWord = '^';
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isWordChar(c)) {
      let j = i;
      let quote = false;
      let digit = false;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (!isWordChar(d)) break;
        if (d === QUOTE) quote = true;
        else if (d <= 57) digit = true; // 0–9 (a–z are above)
      }
      const raw = quote ? text.slice(i, j).replace(/'/g, '') : text.slice(i, j);
      const w = digit ? '#' : stem(raw);
      sink.word(w, prevWord);
      if (w.length >= 5 && w !== '#') {
        // The trigrams of "<" + its first 20 letters + ">".
        const n = Math.min(w.length, 20);
        let a = OPEN;
        let b = w.charCodeAt(0);
        for (let k = 1; k <= n; k++) {
          const next = k < n ? w.charCodeAt(k) : CLOSE;
          sink.trigram(packTrigram(a, b, next));
          a = b;
          b = next;
        }
      }
      prevWord = w;
      i = j;
    } else if (isHan(c)) {
      let j = i;
      while (j < text.length && isHan(text.charCodeAt(j))) j++;
      // At each character: it, then the two and the three characters from it.
      for (let k = i; k < j; k++) {
        let key = 0;
        for (let n = 0; n < 3 && k + n < j; n++) sink.han((key = key * HAN_BASE + hanDigit(text.charCodeAt(k + n))));
      }
      prevWord = 'H';
      i = j;
    } else {
      i++;
    }
  }
}

/** The features as strings, each once, in the order first reported: what the model is trained on. */
class FeatureStrings implements FeatureSink {
  readonly out = new Set<string>();
  concept(name: string): void {
    this.out.add(`c:${name}`);
  }
  word(word: string, before: string): void {
    this.out.add(`w:${word}`);
    this.out.add(`b:${before}_${word}`);
  }
  trigram(key: number): void {
    this.out.add(`t:${String.fromCharCode(key >> 16, (key >> 8) & 0xff, key & 0xff)}`);
  }
  han(key: number): void {
    let chars = '';
    for (; key > 0; key = Math.floor(key / HAN_BASE))
      chars = String.fromCharCode((key % HAN_BASE) + HAN_FIRST - 1) + chars;
    this.out.add(`h:${chars}`);
  }
}

/**
 * Features of a normalised, place-masked text (lower case, Simplified, places replaced by
 * PLACE_MARK) plus the concepts found in it.
 */
export function textFeatures(masked: string, concepts: Iterable<string>): string[] {
  return featureStrings((sink) => scanFeatures(masked, concepts, sink));
}

/** The features `scan` reports, as strings, each once, in the order first reported. */
export function featureStrings(scan: (sink: FeatureSink) => void): string[] {
  const strings = new FeatureStrings();
  scan(strings);
  return [...strings.out];
}

/** What a feature string is, as a scan reports it, and the model's row for it (model.ts indexes its features so). */
export interface FeatureRows {
  concept(name: string, row: number): void;
  word(word: string, row: number): void;
  bigram(before: string, word: string, row: number): void;
  trigram(key: number, row: number): void;
  han(key: number, row: number): void;
}

/** Tells `rows` what the feature string `f` is; false for a string no scan reports. */
export function readFeature(f: string, row: number, rows: FeatureRows): boolean {
  if (f.charCodeAt(1) !== COLON) return false;
  switch (f.charCodeAt(0)) {
    case 0x63: // c:
      rows.concept(f.slice(2), row);
      return true;
    case 0x77: // w:
      rows.word(f.slice(2), row);
      return true;
    case 0x62: {
      // b: — a word never holds "_"; the word before may be "^" or "H".
      const at = f.indexOf('_', 2);
      if (at < 0) return false;
      rows.bigram(f.slice(2, at), f.slice(at + 1), row);
      return true;
    }
    case 0x74: {
      // t:
      if (f.length !== 5) return false;
      const a = f.charCodeAt(2);
      const b = f.charCodeAt(3);
      const c = f.charCodeAt(4);
      if (a > 0xff || b > 0xff || c > 0xff) return false;
      rows.trigram(packTrigram(a, b, c), row);
      return true;
    }
    case 0x68: {
      // h:
      if (f.length < 3 || f.length > 5) return false;
      let key = 0;
      for (let k = 2; k < f.length; k++) {
        const ch = f.charCodeAt(k);
        if (!isHan(ch)) return false;
        key = key * HAN_BASE + hanDigit(ch);
      }
      rows.han(key, row);
      return true;
    }
    default:
      return false;
  }
}

const COLON = 0x3a;
