/**
 * Personal data in what askers type: mainland ID-card numbers, mobile numbers and e-mail addresses
 * are masked before any question text is written anywhere (a log line, the question log, the
 * hand-off post). Core code: no Slack, no I/O.
 *
 * Numbers are found as written, not only as 11 or 18 digits in a row: full-width digits (１３８…),
 * a +86 / 0086 / 86 / (+86) prefix, and groups split by spaces or dashes (138 1234 5678,
 * +86-138-1234-5678, 110101 19900307 123X). Every regular expression here is linear: each piece
 * of a pattern is separated from the next by characters it cannot contain, and the lookbehinds
 * stop a match from starting inside a run it could not start at (test/mask.test.ts measures it).
 */

/** Full-width ASCII (U+FF01–FF5E) and the ideographic space as ASCII: one UTF-16 unit for one, so indices stay put. */
function halfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

const EMAIL_RE = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/**
 * A run of digit groups: an optional `(+86)` / `+` in front, groups joined by one space or one dash
 * (spaces around the dash allowed), an X that may end an ID number (also as a group of its own).
 */
const DIGIT_RUN_RE =
  /(?<![0-9])(?:\((?:\+|00)?86\) ?|\+)?[0-9]+(?:(?: ?[-\u2010-\u2015] ?|[ \u00a0])[0-9]+)*(?:(?: ?[-\u2010-\u2015] ?|[ \u00a0])?[Xx])?/g;
const GROUP_RE = /[0-9]+|[Xx]/g;

const PHONE_DIGITS = /^(?:(?:00)?86)?1[3-9][0-9]{9}$/;
const ID_DIGITS = /^[0-9]{17}[0-9Xx]$/;
/** Year 18xx–20xx, month, day at positions 7–14: an ID number written in groups must have a birth date there. */
const BIRTH_DATE = /^(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$/;

interface Group {
  start: number;
  end: number;
  digits: string;
}

/** What a run of groups i..j is, if anything: at most 18 digits are ever joined, so each run costs O(groups). */
function maskGroups(groups: Group[], runStart: number): { start: number; end: number; label: string }[] {
  const found: { start: number; end: number; label: string }[] = [];
  let i = 0;
  while (i < groups.length) {
    let joined = '';
    let hit: { j: number; label: string } | null = null;
    for (let j = i; j < groups.length && joined.length < 18; j++) {
      joined += groups[j]!.digits;
      if (/[Xx]/.test(joined.slice(0, -1))) break;
      // In groups, an ID number needs its birth date, and a mobile number in the first groups wins.
      const grouped = j > i;
      if (
        joined.length === 18 &&
        ID_DIGITS.test(joined) &&
        (!grouped || (!hit && BIRTH_DATE.test(joined.slice(6, 14))))
      ) {
        hit = { j, label: '[id-card]' };
        break;
      }
      if (!hit && PHONE_DIGITS.test(joined)) hit = { j, label: '[phone]' };
    }
    if (!hit) {
      i++;
      continue;
    }
    // The run's own prefix ("+", "(+86) ") goes with its first group.
    found.push({ start: i === 0 ? runStart : groups[i]!.start, end: groups[hit.j]!.end, label: hit.label });
    i = hit.j + 1;
  }
  return found;
}

/** Puts each span's label in its place in `text` (spans found in its index-aligned half-width copy); the rest stays as written. */
function replaceSpans(text: string, spans: Iterable<{ start: number; end: number; label: string }>): string {
  let out = '';
  let last = 0;
  for (const s of spans) {
    out += text.slice(last, s.start) + s.label;
    last = s.end;
  }
  return out + text.slice(last);
}

function* emailSpans(normal: string) {
  for (const m of normal.matchAll(EMAIL_RE)) yield { start: m.index, end: m.index + m[0].length, label: '[email]' };
}

function* numberSpans(normal: string) {
  for (const m of normal.matchAll(DIGIT_RUN_RE)) {
    const groups = [...m[0].matchAll(GROUP_RE)].map((g) => ({
      start: m.index + g.index,
      end: m.index + g.index + g[0].length,
      digits: g[0],
    }));
    yield* maskGroups(groups, m.index);
  }
}

/** Masks e-mail addresses, mainland ID-card numbers (18 digits or 17 + X) and mobile numbers, as people write them. */
export function maskPersonalData(text: string): string {
  const withoutEmail = replaceSpans(text, emailSpans(halfWidth(text)));
  return replaceSpans(withoutEmail, numberSpans(halfWidth(withoutEmail)));
}

/** A question's text is kept to this many characters (code points), after masking. */
export const QUESTION_TEXT_LIMIT = 500;

/** The text as it may be kept: masked first, then cut, so a number split by the cut cannot slip through half-masked. */
export function maskedExcerpt(text: string, limit = QUESTION_TEXT_LIMIT): string {
  return Array.from(maskPersonalData(text)).slice(0, limit).join('');
}
