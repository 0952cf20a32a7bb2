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
 * Features of a normalised, place-masked text (lower case, Simplified, places replaced by
 * PLACE_MARK) plus the concepts found in it.
 */
export function textFeatures(masked: string, concepts: Iterable<string>): string[] {
  const text = masked.length > MODEL_MAX_CHARS ? masked.slice(0, MODEL_MAX_CHARS) : masked;
  const out = new Set<string>();
  for (const c of concepts) if (!WHERE.test(c)) out.add(`c:${c}`);
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
