/**
 * The grouping key of a stored question's text, written with the row (column `text_key`) so the
 * report groups unanswered questions in SQL: lower case, runs of digits as #, whitespace collapsed.
 */
export function textKey(text: string | null): string | null {
  if (text === null) return null;
  const key = text
    .toLowerCase()
    .replace(/\p{Nd}+/gu, '#')
    .replace(/\s+/gu, ' ')
    .trim();
  return key === '' ? null : key;
}
