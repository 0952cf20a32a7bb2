/**
 * Block Kit for Slack: a header, mrkdwn sections with links, context lines for notes, and the
 * province picker or candidate buttons when the answer asks. Text from data is escaped for mrkdwn.
 */
import type { Answer, AnswerPart, SlackMessage } from './types.js';

export const ACTIONS = Object.freeze({
  /** action_id of the province static_select; option values are province ids. */
  pickProvince: 'icp_pick_province',
  /** Candidate buttons use `${chooseProvince}:${provinceId}` as action_id and the id as value. */
  chooseProvince: 'icp_choose_province',
});

export interface RenderBlocksOptions {
  /** Put into block_id of the interactive blocks (`icp_province:${ref}`) so a click can find its question. */
  ref?: string;
}

/** Slack's limits: 3,000 characters a section, 150 a header, 75 a button or option label. */
const LIMITS = Object.freeze({ section: 3000, header: 150, label: 75, blocks: 50 });

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const clip = (s: string, n: number) => (s.length <= n ? s : s.slice(0, n - 1) + '…');
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text: clip(text, LIMITS.section) });
const plain = (text: string, n: number) => ({ type: 'plain_text', text: clip(text, n), emoji: true });

export function renderBlocks(a: Answer, opts: RenderBlocksOptions = {}): SlackMessage {
  const ask = a.ask && a.choices.length > 0 ? askBlock(a, opts.ref) : null;
  // The picker must survive Slack's block limit: parts give way first.
  const room = LIMITS.blocks - 1 - (ask ? 1 : 0);
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: plain(a.summary, LIMITS.header) },
    ...a.parts.slice(0, room).map(partBlock),
  ];
  if (ask) blocks.push(ask);
  return { text: fallbackText(a), blocks };
}

function partBlock(part: AnswerPart): Record<string, unknown> {
  switch (part.type) {
    case 'heading':
      return { type: 'section', text: mrkdwn(`*${escapeMrkdwn(part.text)}*`) };
    case 'paragraph':
      return { type: 'section', text: mrkdwn(escapeMrkdwn(part.text)) };
    case 'note':
      return { type: 'context', elements: [mrkdwn(escapeMrkdwn(part.text))] };
    case 'steps':
      return { type: 'section', text: mrkdwn(part.items.map((s, i) => `${i + 1}. ${escapeMrkdwn(s)}`).join('\n')) };
    case 'bullets':
      return { type: 'section', text: mrkdwn(part.items.map((s) => `• ${escapeMrkdwn(s)}`).join('\n')) };
    case 'link': {
      const { label, url, note } = part.link;
      const line = `<${url.replace(/\|/g, '%7C').replace(/>/g, '%3E')}|${escapeMrkdwn(label).replace(/\|/g, '/')}>`;
      return { type: 'section', text: mrkdwn(note ? `${line}\n${escapeMrkdwn(note)}` : line) };
    }
  }
}

function askBlock(a: Answer, ref: string | undefined): Record<string, unknown> {
  const blockId = `icp_province:${ref ?? ''}`;
  if (a.ask?.candidates) {
    return {
      type: 'actions',
      block_id: blockId,
      elements: a.choices.slice(0, 25).map((c) => ({
        type: 'button',
        action_id: `${ACTIONS.chooseProvince}:${c.id}`,
        text: plain(c.label, LIMITS.label),
        value: c.id,
      })),
    };
  }
  return {
    type: 'actions',
    block_id: blockId,
    elements: [
      {
        type: 'static_select',
        action_id: ACTIONS.pickProvince,
        placeholder: plain(a.lang === 'zh' ? '选择省份' : 'Choose a province', LIMITS.label),
        options: a.choices.slice(0, 100).map((c) => ({ text: plain(c.label, LIMITS.label), value: c.id })),
      },
    ],
  };
}

/**
 * Notification and screen-reader text (Slack reads it as mrkdwn, so it is escaped): the summary,
 * and for a full answer its first link written out.
 */
function fallbackText(a: Answer): string {
  const link = a.ask ? undefined : a.parts.find((p): p is Extract<AnswerPart, { type: 'link' }> => p.type === 'link');
  return escapeMrkdwn(link ? `${a.summary}: ${link.link.url}` : a.summary);
}
