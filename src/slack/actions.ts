/**
 * The buttons the Slack layer adds under every answer (plain text for customers, feedback, and for
 * /icp "Post to channel"), and the compact question record in their `value`. The record makes the
 * buttons stateless: a click regenerates the answer from it, so they keep working after a restart.
 * Every value is signed (HMAC-SHA256 with a key derived from the bot token) and names its asker:
 * a value the bot did not sign is never read (docs/security.md, "Buttons: who may press what").
 */
import { createHmac } from 'node:crypto';
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import {
  CANNOT_HELP,
  type Answer,
  type DeregisterKind,
  type Lang,
  type SlackMessage,
  type Understanding,
} from '../types.js';
import { t } from './strings.js';
import { sameSignature } from './verify.js';

export const ANSWER_ACTIONS = Object.freeze({
  blockId: 'icp_answer_actions',
  details: 'icp_details',
  fullText: 'icp_full_text',
  plainText: 'icp_plain_text',
  helpful: 'icp_feedback_helpful',
  notHelpful: 'icp_feedback_not_helpful',
  postToChannel: 'icp_post_to_channel',
  postInThread: 'icp_post_in_thread',
  askPerson: 'icp_ask_person',
  forAgents: 'icp_for_agents',
});

/** Where "Post in thread" posts: the thread of the message the shortcut was used on. */
export interface ThreadTarget {
  channel: string;
  ts: string;
}

/** Slack's limit for a button value. */
export const VALUE_LIMIT = 2000;

interface Packed {
  v: 3;
  t: string;
  i: string;
  c: number;
  p: string | null;
  k: string[];
  r: string | null;
  l: Lang;
  /** Traditional answer wanted. */
  h?: 1;
  /** Kind of cancellation asked for. */
  d?: DeregisterKind;
  /** The candidates are filings named one each (both answered, none asked). */
  f?: 1;
  /** "Post in thread": channel and thread ts. */
  w?: [string, string];
  /** The question's ref in the question log. */
  q?: string;
  /** The message's other needs: [intent, province] each, so a rebuilt answer keeps them. */
  a?: [string, string | null][];
  /** The asker's user id: only they may hand the question off or post it. */
  u?: string;
  /** Offered after the asker's "Not helpful" (the hand-off post says why it came). */
  n?: 1;
}

const KINDS: readonly string[] = ['entity', 'site', 'access'];

/**
 * The key that signs button values: HMAC-SHA256 keyed with the bot token over a fixed label, so
 * every instance of one app derives the same key and nothing else (a leaked value, a log line)
 * reveals the token. A new token makes every older button expired.
 */
export function deriveButtonKey(botToken: string): Buffer {
  return createHmac('sha256', botToken).update('icp-bot button values v1').digest();
}

/** The value's signature: HMAC-SHA256 of the JSON with the button key, base64url (43 characters). */
const macOf = (json: string, key: Buffer): string => createHmac('sha256', key).update(json).digest('base64url');

/** `<signature>.<json>`: what a button carries. */
export function signValue(json: string, key: Buffer): string {
  return `${macOf(json, key)}.${json}`;
}

/**
 * The JSON of a value we signed, or null: anything unsigned, badly signed, over 2,000 characters
 * or not a string. The signatures are compared in constant time, and only at equal lengths (a
 * signature of another length is refused, never thrown on).
 */
export function verifiedJson(value: unknown, key: Buffer): string | null {
  if (!isStr(value) || value.length > VALUE_LIMIT) return null;
  const dot = value.indexOf('.');
  if (dot <= 0) return null;
  const json = value.slice(dot + 1);
  return sameSignature(macOf(json, key), value.slice(0, dot)) ? json : null;
}

/** What a button carries besides the question: who asked, where to post, its question-log ref. */
export interface ValueExtras {
  asker?: string | null;
  target?: ThreadTarget;
  qref?: string;
  /** "Ask a person" offered after the asker's "Not helpful". */
  notHelpful?: boolean;
}

/** A button's value once its signature is checked. */
export interface ButtonValue {
  understanding: Understanding;
  /** Who asked (null when the value names nobody): only they may hand off or post. */
  asker: string | null;
  qref: string | null;
  target: ThreadTarget | null;
  /** The button came with the asker's "Not helpful". */
  notHelpful: boolean;
}

/** The understanding, signed, in ≤ 2,000 characters: the question text is shortened until it fits. */
export function packQuestion(u: Understanding, key: Buffer, extras: ValueExtras = {}): string {
  const { asker, target, qref, notHelpful } = extras;
  let text = Array.from(u.text).slice(0, 1000).join('');
  for (;;) {
    const packed: Packed = {
      v: 3,
      t: text,
      i: u.intent,
      c: Math.round(u.confidence * 1000) / 1000,
      p: u.province,
      k: u.candidates.slice(0, 10),
      r: u.recordNumber,
      l: u.lang,
      ...(u.traditional ? { h: 1 as const } : {}),
      ...(u.kind ? { d: u.kind } : {}),
      ...(u.filings ? { f: 1 as const } : {}),
      ...(target ? { w: [target.channel, target.ts] as [string, string] } : {}),
      ...(qref ? { q: qref } : {}),
      ...(u.also?.length ? { a: u.also.slice(0, 5).map((n): [string, string | null] => [n.intent, n.province]) } : {}),
      ...(asker ? { u: asker } : {}),
      ...(notHelpful ? { n: 1 as const } : {}),
    };
    const signed = signValue(JSON.stringify(packed), key);
    if (signed.length <= VALUE_LIMIT || text.length === 0) return signed;
    text = Array.from(text)
      .slice(0, Math.floor(Array.from(text).length / 2))
      .join('');
  }
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isStrOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
/** A confidence as understand() gives it: a number from 0 to 1. */
const isConfidence = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;

/**
 * A button's value back, or null for anything that is not a value we signed and wrote: the
 * signature first, then the shape. (Whether its intent and provinces exist is the handler's
 * check, with the core.) Values from before signing (v1, v2) are refused like any unsigned one.
 */
export function openValue(value: unknown, key: Buffer): ButtonValue | null {
  const json = verifiedJson(value, key);
  if (json === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const p = raw as Record<string, unknown>;
  if (p.v !== 3 || !isStr(p.t) || !isStr(p.i) || !isConfidence(p.c) || !isStrOrNull(p.p) || !isStrOrNull(p.r))
    return null;
  if (!Array.isArray(p.k) || !p.k.every(isStr) || (p.l !== 'en' && p.l !== 'zh')) return null;
  if (p.u !== undefined && !isStr(p.u)) return null;
  const understanding: Understanding = {
    text: p.t,
    intent: p.i,
    confidence: p.c,
    confirm: false,
    province: p.p,
    candidates: p.k,
    ...(p.f === 1 ? { filings: true } : {}),
    recordNumber: p.r,
    kind: typeof p.d === 'string' && KINDS.includes(p.d) ? (p.d as DeregisterKind) : null,
    lang: p.l,
    traditional: p.h === 1,
    ...alsoOf(p.a),
  };
  return { understanding, asker: p.u ?? null, qref: refOf(p.q), target: targetOf(p.w), notHelpful: p.n === 1 };
}

/** The understanding a signed value carries, or null (see openValue). */
export function unpackQuestion(value: unknown, key: Buffer): Understanding | null {
  return openValue(value, key)?.understanding ?? null;
}

const ID = /^[a-z_]{2,40}$/;

/** The other needs a value carries, when they are shaped as we write them (ids only; the handler checks them). */
function alsoOf(raw: unknown): Pick<Understanding, 'also'> {
  if (!Array.isArray(raw)) return {};
  const also = raw
    .slice(0, 5)
    .filter(
      (n): n is [string, string | null] =>
        Array.isArray(n) && isStr(n[0]) && ID.test(n[0]) && (n[1] === null || (isStr(n[1]) && ID.test(n[1]))),
    )
    .map(([intent, province]) => ({ intent, province }));
  return also.length ? { also } : {};
}

/** The question-log ref of a value, or null. */
function refOf(q: unknown): string | null {
  return isStr(q) && q.length > 0 && q.length <= 40 ? q : null;
}

/** The thread a "Post in thread" value names, or null. */
function targetOf(w: unknown): ThreadTarget | null {
  return Array.isArray(w) && w.length === 2 && isStr(w[0]) && isStr(w[1]) ? { channel: w[0], ts: w[1] } : null;
}

function button(actionId: string, label: string, value: string, style?: 'primary'): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: label, emoji: true },
    value,
    ...(style ? { style } : {}),
  };
}

/** Intents whose answers are small talk or a pointer: no plain text, details or feedback buttons. */
export const CHATTER: ReadonlySet<string> = new Set([
  'greeting',
  'thanks',
  'help',
  'fallback',
  'off_topic',
  'language',
]);

/** How a message's buttons are signed: the key, and the asker their values name. */
export interface Seal {
  key: Buffer;
  asker: string | null;
}

/**
 * Whether an answer gets the answer buttons (and with them, where it is offered, "For agents"): a
 * complete answer, not small talk, a question back or a did-you-mean; what the bot cannot answer
 * gets only "Ask a person" when there is a hand-off channel.
 */
export function hasAnswerButtons(a: Answer, handoff: boolean): boolean {
  return !(CANNOT_HELP.has(a.intent) && handoff) && !CHATTER.has(a.intent) && !a.ask && !a.confirm;
}

/**
 * Our buttons under a complete answer: "Post to channel" first for /icp, "Steps and details"
 * while they are hidden, plain text for the customer, feedback, and on a public answer "For
 * agents". Null for small talk and for questions back (a picker or a did-you-mean is answered
 * by choosing).
 */
export function answerActions(
  u: Understanding,
  a: Answer,
  seal: Seal,
  opts: {
    postToChannel?: boolean;
    postInThread?: ThreadTarget;
    expanded?: boolean;
    handoff?: boolean;
    qref?: string;
    /** A public answer: "For agents" (for-agents.ts) shows agents what the message leaves out. */
    forAgents?: boolean;
  } = {},
): ActionsBlock | undefined {
  // What the bot cannot answer gets "Ask a person" when a hand-off channel is set.
  if (CANNOT_HELP.has(a.intent) && opts.handoff) return askPersonBlock(u, seal, a.lang, a.traditional, opts.qref);
  if (!hasAnswerButtons(a, opts.handoff === true)) return undefined;
  // With a thread target every button carries it, so "Steps and details" keeps "Post in thread".
  const value = packQuestion(u, seal.key, { asker: seal.asker, target: opts.postInThread, qref: opts.qref });
  const lang = a.lang;
  const tr = (key: Parameters<typeof t>[1]) => t(lang, key, {}, a.traditional);
  const elements = [
    ...(opts.postToChannel ? [button(ANSWER_ACTIONS.postToChannel, tr('postToChannel'), value, 'primary')] : []),
    ...(opts.postInThread ? [button(ANSWER_ACTIONS.postInThread, tr('postInThread'), value, 'primary')] : []),
    ...(a.details.length > 0 && !opts.expanded ? [button(ANSWER_ACTIONS.details, tr('details'), value)] : []),
    button(ANSWER_ACTIONS.plainText, tr('plainText'), value),
    button(ANSWER_ACTIONS.helpful, tr('helpful'), value),
    button(ANSWER_ACTIONS.notHelpful, tr('notHelpful'), value),
    ...(opts.forAgents ? [button(ANSWER_ACTIONS.forAgents, tr('forAgents'), value)] : []),
  ];
  return { type: 'actions', block_id: ANSWER_ACTIONS.blockId, elements };
}

/** The "Ask a person" button alone (under a fallback, and after the asker's "Not helpful"). */
export function askPersonBlock(
  u: Understanding,
  seal: Seal,
  lang: Lang,
  traditional = false,
  qref?: string,
  notHelpful = false,
): ActionsBlock {
  const value = packQuestion(u, seal.key, { asker: seal.asker, qref, notHelpful });
  return {
    type: 'actions',
    block_id: ANSWER_ACTIONS.blockId,
    elements: [button(ANSWER_ACTIONS.askPerson, t(lang, 'askPerson', {}, traditional), value)],
  };
}

/**
 * Plain text in plain_text sections (no mrkdwn), split under Slack's 3,000-character section
 * limit; with `fullTextValue`, a "Full text" button for the answer with its details.
 */
export function plainTextMessage(plain: string, lang: Lang, traditional = false, fullTextValue?: string): SlackMessage {
  const chunks: string[] = [];
  const chars = Array.from(plain.trim() || '-');
  for (let i = 0; i < chars.length && chunks.length < 45; i += 2900) chunks.push(chars.slice(i, i + 2900).join(''));
  return {
    text: plain,
    blocks: [
      {
        type: 'context',
        elements: [{ type: 'plain_text', text: t(lang, 'plainTextIntro', {}, traditional), emoji: true }],
      },
      ...chunks.map((text): KnownBlock => ({ type: 'section', text: { type: 'plain_text', text, emoji: false } })),
      ...(fullTextValue
        ? [
            {
              type: 'actions',
              block_id: ANSWER_ACTIONS.blockId,
              elements: [button(ANSWER_ACTIONS.fullText, t(lang, 'fullText', {}, traditional), fullTextValue)],
            } satisfies ActionsBlock,
          ]
        : []),
    ],
  };
}

/** A one-section notice (expired picker, thanks, errors), with its text fallback. */
export function notice(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
