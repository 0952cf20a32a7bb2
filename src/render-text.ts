/**
 * Plain text for pasting to customers: no Slack markup, every URL written out in full on its own
 * line, so it survives email, WeChat and ticket systems.
 */
import type { Answer, AnswerPart } from './types.js';

export function renderText(a: Answer): string {
  const out: string[] = [a.summary];
  for (const part of a.parts) out.push(partText(part, a));
  if (a.ask && a.choices.length > 0 && a.ask.candidates) {
    out.push(a.choices.map((c) => `- ${c.label}`).join('\n'));
  }
  return out.filter((s) => s.length > 0).join('\n\n').trim() + '\n';
}

function partText(part: AnswerPart, a: Answer): string {
  switch (part.type) {
    case 'heading':
      return part.text;
    case 'paragraph':
    case 'note':
      return part.text;
    case 'steps':
      return part.items.map((s, i) => `${i + 1}. ${s}`).join('\n');
    case 'bullets':
      return part.items.map((s) => `- ${s}`).join('\n');
    case 'link': {
      const sep = a.lang === 'zh' ? '：' : ': ';
      return `${part.link.label}${sep}${part.link.url}${part.link.note ? `\n${part.link.note}` : ''}`;
    }
  }
}
