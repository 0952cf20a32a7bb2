/**
 * Every tunable of the understanding (thresholds, reaches, budgets) in one frozen object. Elsewhere
 * by design: the classifier's training options (TRAIN_DEFAULTS, src/understand/model.ts), the HTTP limits
 * (HTTP_LIMITS, src/slack/receiver-http.ts) and the dispatcher's (DISPATCH_LIMITS, src/slack/dispatcher.ts).
 */
export const DEFAULTS = Object.freeze({
  /** The classifier's label wins over the rules' when it is at least this sure. */
  modelOverride: 0.8,
  /** …and surer than the rule's own confidence by this much: a strong rule needs a very sure classifier. */
  overrideMargin: 0.05,
  /**
   * A plain "other" from the classifier (no rule of another topic matched either) overrules a rule
   * only when at least this sure: greetings, thanks and form words around a request pull towards "other".
   */
  bareOtherOverride: 0.9,
  /** With no rule matching, the classifier's core intent is taken when it is at least this sure. */
  modelAlone: 0.6,
  /** The fallback's confidence when a message has none of our words ("lunch?"), and when it has some. */
  fallbackNoWords: 0.6,
  fallbackSomeWords: 0.4,
  /**
   * When the two readers disagree and the chosen reading's calibrated confidence (the share of such
   * readings right in cross-validation) is below this, the bot asks which was meant instead of
   * answering one. Chosen from `icp-bot eval --cv` with a wrong answer weighed as four questions
   * back: asking pays below 1 − 1/4 (docs/evaluation.md).
   */
  clarifyBelow: 0.8,
  /** A rule the classifier doubts keeps at least this share of its confidence (more as the classifier agrees). */
  doubtFloor: 0.75,
  /** Words after an English negation it reaches ("not going to cancel"), within its clause. */
  negationReach: 4,
  /** Characters after a Chinese negation it reaches ("不是要找回备案密码"), within its clause. */
  zhNegationReach: 7,
  /** Answer in Traditional when at least this share of the asker's Han characters were Traditional forms. */
  traditionalShare: 0.1,
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
  /** Place names read per message: the first ones decide, and a flood of names costs no more. */
  maxPlaces: 64,
  /** Only this much of a message is read; Slack caps messages at 40,000 characters. */
  maxChars: 50_000,
});

/** The shape of DEFAULTS with plain number types, so callers (and tests) can pass their own. */
export type Defaults = { readonly [K in keyof typeof DEFAULTS]: number };
