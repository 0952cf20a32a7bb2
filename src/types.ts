/**
 * The shapes that flow through the core: text → understand() → Understanding → answer() → Answer
 * → renderBlocks() / renderText(). Nothing here knows about Slack transports or Botkit.
 */

import type { KnownBlock } from '@slack/types';

export type Lang = 'en' | 'zh';

/** The three topics the bot exists for; every other intent scores as `other` in evaluations. */
export const CORE_INTENTS = ['deregister', 'forgot_password', 'lost_record_number'] as const;

/** Intent ids come from `intents/*.yaml`; `fallback` is what the bot says when nothing matched. */
type IntentId = string;
export const FALLBACK_INTENT = 'fallback';
/** Replies that say the bot cannot help with this (nothing understood, or an off-topic ask): they offer a person, and count as fallbacks. */
export const CANNOT_HELP: ReadonlySet<IntentId> = new Set([FALLBACK_INTENT, 'off_topic']);

export interface Understanding {
  /** The question as received (unnormalised), kept so a later turn can complete it. */
  text: string;
  intent: IntentId;
  /** 0..1: how sure the bot is of `intent`. */
  confidence: number;
  /** The bot asks before answering (e.g. "forgot password" alone: the filing password?). */
  confirm: boolean;
  /** Province id from `data/provinces.yaml`, or null when none was found or it is ambiguous. */
  province: string | null;
  /** Two or more province ids when the question could mean either (e.g. a typo between Shanxi and Shaanxi). */
  candidates: string[];
  /** The candidates are filings named one each (two record numbers, "one filed in X, the other in Y"), not readings of one name. */
  filings?: boolean;
  /** An ICP record number found in the text (e.g. 浙ICP备12345678号-1), normalised, or null. */
  recordNumber: string | null;
  /** For deregistration: the kind of cancellation asked for, if one was named. */
  kind: DeregisterKind | null;
  /** Language to answer in: zh when the asker's own words are Chinese. */
  lang: Lang;
  /** The asker wrote Traditional characters: a Chinese answer comes in Traditional too. */
  traditional: boolean;
  /** The other needs the message asks besides `intent`, each answered in short (absent: none). */
  also?: Need[];
  /** Readings too close to choose between: the bot asks which is meant, one button each (absent: none). */
  options?: IntentId[];
}

/** A need found beside a message's main ask: "…and we lost the record number too". */
export interface Need {
  intent: IntentId;
  /** For a deregistration, the province of that filing (the message's own when the need names none). */
  province: string | null;
}

/** What the bot does with a message: answer it, ask which reading was meant, ask for the province, or say what it can do. */
export type Action = 'answer' | 'clarify' | 'ask_province' | 'fallback';

export interface AnswerLink {
  label: string;
  url: string;
}

/** Text with links in it: rendered as links in Slack and as the bare URL in plain text. */
export type Rich = readonly (string | AnswerLink)[];

/** One piece of an answer's details; renderers decide how each looks. */
export type AnswerPart =
  | { type: 'heading'; text: Rich }
  | { type: 'paragraph'; text: Rich }
  | { type: 'steps'; items: Rich[] }
  | { type: 'bullets'; items: Rich[] }
  | { type: 'note'; text: Rich };

/** What the bot still needs from the asker before it can answer fully. */
type AnswerAsk =
  | { kind: 'province'; candidates: null; placeholder: string }
  | {
      kind: 'province';
      candidates: string[];
      placeholder: string;
      /** The question where nothing can be picked (plain text): what to reply instead of "Pick one". */
      typed?: string;
    };

export interface ProvinceChoice {
  id: string;
  /** Label in the answer's language, e.g. "Zhejiang" or "浙江"; both names for near pairs. */
  label: string;
}

/** A did-you-mean: the bot asks which of a few intents was meant, one button each. */
interface AnswerConfirm {
  options: { intent: IntentId; label: string }[];
}

/** The three kinds of cancellation a request can name (注销主体, 注销网站/App, 取消接入). */
export type DeregisterKind = 'entity' | 'site' | 'access';

export interface Answer {
  intent: IntentId;
  lang: Lang;
  /** Traditional characters in a Chinese answer (the asker wrote Traditional). */
  traditional: boolean;
  province: string | null;
  /** Header; also the notification and screen-reader text. */
  title: string;
  /** At most 4 lines with what works today: the first screen, and the customer's plain text. */
  summary: Rich[];
  /** Steps, kinds and notes: behind "Steps and details" in Slack, in the full text. */
  details: AnswerPart[];
  /** Agent-facing line (archived addresses, where the text comes from); never sent to customers. */
  source: Rich | null;
  /** Set when the bot asks for a province; `choices` lists what a picker should offer. */
  ask: AnswerAsk | null;
  choices: ProvinceChoice[];
  /** Set when the bot asks which of a few meanings was meant. */
  confirm: AnswerConfirm | null;
  /** The message's other needs, each in short under a heading ("You also asked:", "另外："); absent: none. */
  also?: { heading: string; items: AlsoAnswer[] };
  /** Questions to offer as buttons (the Home tab's examples); absent: none. */
  examples?: { heading: string; questions: string[] };
}

/** Another need's answer in short: its title and one or two lines with its link. */
export interface AlsoAnswer {
  intent: IntentId;
  title: string;
  text: Rich[];
}

/** A Slack message body: top-level `text` fallback plus Block Kit blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}
