/**
 * `icp-bot report`: what the question log (src/questions/log.ts) says about a period: volume by day,
 * by intent, by province and by surface; the fallback rate and the "Not helpful" rate; the top
 * unanswered questions (the fallback, a confidence below DEFAULTS.lowConfidence, or "Not helpful"),
 * grouped by their normalised text; the slowest answers.
 *
 * The report is built by ./queries.ts (buildReport) and shown as a terminal table by ./terminal.ts
 * (formatQuestionReport) or as a self-contained HTML page with charts by ./html.ts (reportHtml, on
 * the template in ./page.ts). This module is the report's shape, which they share.
 */
import type { LiveAccuracy } from '../live-accuracy.js';

export interface ReportOptions {
  /** From here (epoch ms, inclusive)… */
  sinceMs: number;
  /** …to here (exclusive); now by default. */
  untilMs?: number;
  /** How many unanswered groups and slowest answers to list. */
  top?: number;
  slowest?: number;
  /** The log's schema version (readableSchema): what an older log lacks is left out. The newest by default. */
  schema?: number;
}

export interface Count {
  key: string;
  count: number;
}

export interface DayCount {
  day: string;
  count: number;
  fallback: number;
  notHelpful: number;
}

export interface IntentCount extends Count {
  fallback: number;
  lowConfidence: number;
  notHelpful: number;
  /** Answers rated Helpful or Not helpful: the Not-helpful rate is notHelpful / rated. */
  rated: number;
}

/** A province's volume beside how it fails: the fallback rate is fallback / count. */
export interface ProvinceCount extends Count {
  fallback: number;
  notHelpful: number;
  rated: number;
}

/** What to add next: the biggest unanswered groups and the provinces that fail most. */
export interface NextSteps {
  groups: UnansweredGroup[];
  /** Provinces with enough questions (minVolume), by (fallback + Not helpful) / questions, worst first. */
  provinces: (ProvinceCount & { failureRate: number })[];
  minVolume: number;
}

export interface UnansweredGroup {
  /**
   * What groups them: what the bot read in them (`read: …`, its concepts, the same in both
   * languages), or for questions without a reading their text in lower case, whitespace
   * collapsed, digits masked (#).
   */
  text: string;
  /** The concepts the bot read, or null for a group by text. */
  concepts: string | null;
  /** The intent to teach them as: the labels given, else the one the reading points to. */
  suggested: string | null;
  /** How many were asked in English and in Chinese. */
  en: number;
  zh: number;
  /** The newest of each language (masked). */
  examples: string[];
  count: number;
  /** How many of them were the fallback, below the confidence threshold, rated "Not helpful", handed off. */
  fallback: number;
  lowConfidence: number;
  notHelpful: number;
  handedOff: number;
  /** One of them as stored (masked), the newest. */
  example: string;
  lastAt: string;
}

export interface SlowAnswer {
  at: string;
  latencyMs: number;
  surface: string;
  intent: string;
  province: string | null;
  outcome: string;
  ref: string | null;
}

export interface QuestionReport {
  where: string;
  /** The period: from the first question when the log starts after --since. */
  since: string;
  until: string;
  total: number;
  outcomes: Count[];
  fallback: number;
  /** fallback / total (0 when there are no questions). */
  fallbackRate: number;
  rated: number;
  helpful: number;
  notHelpful: number;
  /** notHelpful / rated (0 when nothing was rated). */
  notHelpfulRate: number;
  handedOff: number;
  lowConfidence: number;
  lowConfidenceThreshold: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  byDay: DayCount[];
  byIntent: IntentCount[];
  byProvince: ProvinceCount[];
  bySurface: Count[];
  byLang: Count[];
  unanswered: { total: number; withoutText: number; groups: UnansweredGroup[] };
  slowest: SlowAnswer[];
  /** The bot's reading of the sampled questions people labelled (null: a log without labels, schema < 4). */
  liveAccuracy: LiveAccuracy | null;
  next: NextSteps;
}
