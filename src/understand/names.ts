/**
 * The names the code reads by name from intents/: renaming one there must fail loudly at load
 * (and in `icp-bot check`), naming the file and the name, instead of quietly changing answers.
 */

/** Concepts of intents/lexicon.yaml the code looks up by name. */
export const CODE_CONCEPTS = Object.freeze([
  'forget',
  'not_received',
  'difference',
  'meaning',
  'what_is',
  'abbr_after',
  'abbr_before',
  'correction',
  'cue_elsewhere_after',
  'cue_elsewhere_before',
  'cue_filed_after',
  'cue_filed_before',
  'dereg_generic',
  'dereg_strong',
  'dereg_weak',
  'either_question',
  'filing',
  'greeting',
  'help',
  'howto',
  'kind_access',
  'kind_entity',
  'kind_site',
  'kept',
  'lang_hant',
  'lang_zh',
  'must_question',
  'negation',
  'negation_action',
  'number',
  'other_site',
  'password',
  'record',
  'record_number',
  'request',
  'separately',
  'site',
  'thanks',
  'together',
]);

/** Intents (intents/<id>.yaml) the code names: the core three, chatter, and the readings it offers. */
export const CODE_INTENTS = Object.freeze([
  'deregister',
  'forgot_password',
  'lost_record_number',
  'console_password',
  'language',
  'off_topic',
  'thanks',
  'greeting',
  'help',
]);

/**
 * The words that name each core need itself, whatever is asked about it: any one of the groups,
 * each group all of its concepts (a record number is both `record_number` and `number`: "ICP
 * record" alone names the filing, "ID" alone any number). All in CODE_CONCEPTS.
 */
export const NEED_WORDS: Readonly<Record<string, readonly (readonly string[])[]>> = Object.freeze({
  deregister: [['dereg_strong'], ['kind_entity'], ['kind_site'], ['kind_access']],
  forgot_password: [['password']],
  lost_record_number: [['record_number', 'number']],
});

/** Whether concepts found in a text name a core need in its own words. */
export const namesNeed = (intent: string, concepts: ReadonlyMap<string, unknown>): boolean =>
  (NEED_WORDS[intent] ?? []).some((group) => group.every((c) => concepts.has(c)));
