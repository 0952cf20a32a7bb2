/** Every tunable of the understanding in one frozen object, so nothing hides in the code. */
export const DEFAULTS = Object.freeze({
  /** An intent below this score is not trusted: the bot gives the help reply instead. */
  minIntentScore: 0.5,
  /** A runner-up within this distance of the winner is reported. */
  runnerUpMargin: 0.2,
  /**
   * Below this confidence the Slack layer logs the question text so the team can improve intents,
   * and a typed reply to a province question is not read as a new question.
   */
  lowConfidence: 0.6,
  /** Score multiplier when a keyword was only found through a typo correction. */
  fuzzyPenalty: 0.95,
  /** Words shorter than this are never typo-corrected ("log", "no"). */
  fuzzyMinLength: 4,
  /** A place is only read from a typo this long or longer: short words are too often names ("Luna"). */
  placeFuzzyMinLength: 5,
  /** Edit distance (with transpositions) allowed for a typo: 1 below this length, 2 from it. */
  fuzzyTwoEditsFrom: 9,
  /** fuse.js threshold for finding typo candidates; the edit distance above has the last word. */
  fuseThreshold: 0.4,
  /** At most this many distinct unknown words of one message go through typo correction. */
  fuzzyMaxWords: 40,
  /** Typo corrections remembered across messages (a bounded cache). */
  fuzzyCacheSize: 20_000,
  /** Only this much of a message is read; Slack caps messages at 40,000 characters. */
  maxChars: 50_000,
});

/** The shape of DEFAULTS with plain number types, so callers (and tests) can pass their own. */
export type Defaults = { readonly [K in keyof typeof DEFAULTS]: number };
