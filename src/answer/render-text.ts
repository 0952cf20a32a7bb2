/**
 * Plain text: no Slack markup, every URL written out in full, so it survives email, WeChat and
 * ticket systems. The customer's text is the summary (and, on request, the details); the agent's
 * (`icp-bot ask`) adds the title and the source line with archived addresses.
 */
import type { Answer, AnswerPart, Rich } from '../types.js';
import { forCustomer } from './audience.js';

/** Links become their URL, set off by a space where the text would run into it. */
export function richText(r: Rich): string {
  let out = '';
  r.forEach((x, i) => {
    if (typeof x === 'string') {
      out += x;
      return;
    }
    const next = r[i + 1];
    const before = out === '' || /[\s(（：:]$/.test(out) ? '' : ' ';
    const after = typeof next === 'string' && next !== '' && !/^[\s.,;:!?。，；：！？)）]/.test(next) ? ' ' : '';
    out += before + x.url + after;
  });
  return out.trim();
}

function partText(part: AnswerPart): string {
  switch (part.type) {
    case 'heading':
    case 'paragraph':
    case 'note':
      return richText(part.text);
    case 'steps':
      return part.items.map((s, i) => `${i + 1}. ${richText(s)}`).join('\n');
    case 'bullets':
      return part.items.map((s) => `- ${richText(s)}`).join('\n');
  }
}

/** The summary; a question back with choices asks what to reply, since nothing can be picked in text. */
function summaryText(a: Answer): string {
  return a.ask?.candidates && a.ask.typed ? a.ask.typed : a.summary.map(richText).join('\n');
}

/** The question back (province or did-you-mean) with its options written out. */
function optionsText(a: Answer): string {
  if (a.ask?.candidates) return a.choices.map((c) => `- ${c.label}`).join('\n');
  if (a.confirm) return a.confirm.options.map((o) => `- ${o.label}`).join('\n');
  return '';
}

/** The other needs in short, under their heading: "- Title: line" (【Title】line in Chinese). */
function alsoText(a: Answer): string {
  if (!a.also) return '';
  const items = a.also.items.map((n) => `- ${alsoLine(n.title, n.text.map(richText), a.lang)}`);
  return [a.also.heading, ...items].join('\n');
}

/**
 * "Title — first line…" in English (the line's first letter lowered; a dash, since the line often
 * has a colon of its own), "【标题】第一行" in Chinese.
 */
export function alsoLine(title: string, lines: string[], lang: Answer['lang']): string {
  if (lang === 'zh') return `【${title}】${lines.join('')}`;
  return `${title} — ${lowerFirst(lines.join(' '))}`;
}

/** "In your console…" → "in your console…" after a colon; "MIIT" and "ICP" keep their capitals. */
export const lowerFirst = (s: string): string => (/^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);

/**
 * For customers: the summary lines; with `full`, the details after them. Never the source line,
 * and no list of options: a question back is one sentence there, since nothing can be clicked.
 */
export function renderText(answer: Answer, opts: { full?: boolean } = {}): string {
  const a = forCustomer(answer);
  const blocks = [summaryText(a), a.ask?.candidates ? optionsText(a) : '', alsoText(a)];
  if (opts.full) blocks.push(...a.details.map(partText));
  return blocks.filter((s) => s.length > 0).join('\n\n') + '\n';
}

/** A reply whose first line is its title ("You're welcome! Ask me any time…"): the title is not said twice. */
export function saysOwnTitle(a: Answer): boolean {
  return a.summary.length > 0 && richText(a.summary[0]!).startsWith(a.title);
}

/** For agents: title, summary, details, and the source line with archived addresses. */
export function renderAgentText(a: Answer): string {
  const source = a.source ? richText(a.source) : '';
  // A question back is one sentence, as in Slack: no title saying it twice.
  const questionBack = a.ask !== null || a.confirm !== null;
  const blocks = [
    questionBack || saysOwnTitle(a) ? '' : a.title,
    summaryText(a),
    optionsText(a),
    alsoText(a),
    ...a.details.map(partText),
    source,
  ];
  return blocks.filter((s) => s.length > 0).join('\n\n') + '\n';
}
