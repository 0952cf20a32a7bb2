/**
 * Personal data in what askers type: mainland ID-card and mobile numbers are masked before any
 * question text is written anywhere (a log line, the question log). Core code: no Slack, no I/O.
 */

const ID_CARD_RE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const PHONE_RE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

/** Masks mainland ID-card numbers (18 digits or 17 + X) and mobile numbers. */
export function maskPersonalData(text: string): string {
  return text.replace(ID_CARD_RE, '[id-card]').replace(PHONE_RE, '[phone]');
}

/** A question's text is kept to this many characters (code points), after masking. */
export const QUESTION_TEXT_LIMIT = 500;

/** The text as it may be kept: masked first, then cut, so a number split by the cut cannot slip through half-masked. */
export function maskedExcerpt(text: string, limit = QUESTION_TEXT_LIMIT): string {
  return Array.from(maskPersonalData(text)).slice(0, limit).join('');
}
