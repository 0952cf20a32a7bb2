/**
 * The shapes that flow through the core: text → understand() → Understanding → answer() → Answer
 * → renderBlocks() / renderText(). Nothing here knows about Slack transports or Botkit.
 */

export type Lang = 'en' | 'zh';

/** The three topics the bot exists for; every other intent scores as `other` in evaluations. */
export const CORE_INTENTS = ['deregister', 'forgot_password', 'lost_record_number'] as const;
export type CoreIntent = (typeof CORE_INTENTS)[number];

/** Intent ids come from `intents/*.yaml`; `fallback` is what the bot says when nothing matched. */
export type IntentId = string;
export const FALLBACK_INTENT = 'fallback';

export interface Understanding {
  /** The question as received (unnormalised), kept so a later turn can complete it. */
  text: string;
  intent: IntentId;
  /** 0..1: how sure the bot is of `intent`. */
  confidence: number;
  /** The second-best intent when it came close, else null. */
  runnerUp: { intent: IntentId; confidence: number } | null;
  /** Province id from `data/provinces.yaml`, or null when none was found or it is ambiguous. */
  province: string | null;
  /** Two or more province ids when the question could mean either (e.g. a typo between Shanxi and Shaanxi). */
  candidates: string[];
  /** An ICP record number found in the text (e.g. 浙ICP备12345678号-1), normalised, or null. */
  recordNumber: string | null;
  /** Language to answer in: zh when the asker's own words are Chinese. */
  lang: Lang;
}

export interface AnswerLink {
  label: string;
  url: string;
  /** One short line under the link (where the address comes from, what to do there). */
  note?: string;
}

/** One piece of an answer; renderers decide how each looks (mrkdwn for Slack, plain text for customers). */
export type AnswerPart =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'steps'; items: string[] }
  | { type: 'bullets'; items: string[] }
  | { type: 'link'; link: AnswerLink }
  | { type: 'note'; text: string };

/** What the bot still needs from the asker before it can answer fully. */
export type AnswerAsk =
  | { kind: 'province'; candidates: null }
  | { kind: 'province'; candidates: string[] };

export interface ProvinceChoice {
  id: string;
  /** Label in the answer's language, e.g. "Zhejiang" or "浙江". */
  label: string;
}

export interface Answer {
  intent: IntentId;
  lang: Lang;
  province: string | null;
  /** One-line summary, also the notification / screen-reader fallback text. */
  summary: string;
  parts: AnswerPart[];
  /** Set when the bot asks for a province; `choices` lists what a picker should offer. */
  ask: AnswerAsk | null;
  choices: ProvinceChoice[];
}

/** A Slack message body: top-level `text` fallback plus Block Kit blocks. */
export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}
