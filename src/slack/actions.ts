/**
 * The buttons the Slack layer adds under every answer (plain text for customers, feedback, and for
 * /icp "Post to channel"), and the compact question record in their `value`. The record makes the
 * buttons stateless: a click regenerates the answer from it, so they keep working after a restart.
 */
import type { Lang, SlackMessage, Understanding } from '../types.js';
import { t } from './strings.js';

export const ANSWER_ACTIONS = Object.freeze({
  blockId: 'icp_answer_actions',
  plainText: 'icp_plain_text',
  helpful: 'icp_feedback_helpful',
  notHelpful: 'icp_feedback_not_helpful',
  postToChannel: 'icp_post_to_channel',
});

/** Slack's limit for a button value. */
export const VALUE_LIMIT = 2000;

interface Packed {
  v: 1;
  t: string;
  i: string;
  c: number;
  p: string | null;
  k: string[];
  r: string | null;
  l: Lang;
}

/** The understanding in ≤ 2,000 characters: the question text is shortened until it fits. */
export function packQuestion(u: Understanding): string {
  let text = Array.from(u.text).slice(0, 1000).join('');
  for (;;) {
    const packed: Packed = {
      v: 1,
      t: text,
      i: u.intent,
      c: Math.round(u.confidence * 1000) / 1000,
      p: u.province,
      k: u.candidates.slice(0, 10),
      r: u.recordNumber,
      l: u.lang,
    };
    const json = JSON.stringify(packed);
    if (json.length <= VALUE_LIMIT || text.length === 0) return json;
    text = Array.from(text).slice(0, Math.floor(Array.from(text).length / 2)).join('');
  }
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isStrOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** Back to an Understanding, or null for anything that is not a value we wrote. */
export function unpackQuestion(value: unknown): Understanding | null {
  if (!isStr(value) || value.length > VALUE_LIMIT) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const p = raw as Record<string, unknown>;
  if (p.v !== 1 || !isStr(p.t) || !isStr(p.i) || typeof p.c !== 'number' || !isStrOrNull(p.p) || !isStrOrNull(p.r)) {
    return null;
  }
  if (!Array.isArray(p.k) || !p.k.every(isStr) || (p.l !== 'en' && p.l !== 'zh')) return null;
  return {
    text: p.t,
    intent: p.i,
    confidence: p.c,
    runnerUp: null,
    province: p.p,
    candidates: p.k,
    recordNumber: p.r,
    lang: p.l,
  };
}

function button(actionId: string, label: string, value: string, style?: 'primary'): Record<string, unknown> {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: label, emoji: true },
    value,
    ...(style ? { style } : {}),
  };
}

/** The answer with our actions block appended (and "Post to channel" first, for /icp). */
export function withAnswerActions(
  msg: SlackMessage,
  u: Understanding,
  lang: Lang,
  opts: { postToChannel?: boolean } = {},
): SlackMessage {
  const value = packQuestion(u);
  const elements = [
    ...(opts.postToChannel ? [button(ANSWER_ACTIONS.postToChannel, t(lang, 'postToChannel'), value, 'primary')] : []),
    button(ANSWER_ACTIONS.plainText, t(lang, 'plainText'), value),
    button(ANSWER_ACTIONS.helpful, t(lang, 'helpful'), value),
    button(ANSWER_ACTIONS.notHelpful, t(lang, 'notHelpful'), value),
  ];
  // Slack allows 50 blocks; keep room for ours.
  const blocks = msg.blocks.slice(0, 49);
  return { text: msg.text, blocks: [...blocks, { type: 'actions', block_id: ANSWER_ACTIONS.blockId, elements }] };
}

/** Plain text in plain_text sections (no mrkdwn), split under Slack's 3,000-character section limit. */
export function plainTextMessage(plain: string, lang: Lang): SlackMessage {
  const chunks: string[] = [];
  const chars = Array.from(plain.trim() || '-');
  for (let i = 0; i < chars.length && chunks.length < 45; i += 2900) chunks.push(chars.slice(i, i + 2900).join(''));
  return {
    text: plain,
    blocks: [
      { type: 'context', elements: [{ type: 'plain_text', text: t(lang, 'plainTextIntro'), emoji: true }] },
      ...chunks.map((text) => ({ type: 'section', text: { type: 'plain_text', text, emoji: false } })),
    ],
  };
}

/** A one-section notice (expired picker, thanks, errors), with its text fallback. */
export function notice(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
