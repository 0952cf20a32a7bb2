/**
 * The names the code reads by name from intents/: renaming one there must fail loudly at load
 * (and in `icp-bot check`), naming the file and the name, instead of quietly changing answers.
 */

/** Concepts of intents/lexicon.yaml the code looks up by name. */
export const CODE_CONCEPTS = Object.freeze([
  'abbr_after',
  'abbr_before',
  'bot_scope',
  'completed',
  'consequence',
  'correction',
  'cue_chosen_after',
  'cue_chosen_before',
  'cue_elsewhere_after',
  'cue_elsewhere_before',
  'cue_filed_after',
  'cue_filed_before',
  'cue_parallel_before',
  'dereg_generic',
  'dereg_strong',
  'dereg_weak',
  'difference',
  'either_question',
  'filing',
  'filing_password',
  'forget',
  'greeting',
  'help',
  'howto',
  'it_worked',
  'kept',
  'kind_access',
  'kind_entity',
  'kind_site',
  'lang_hant',
  'lang_zh',
  'meaning',
  'must_question',
  'negation',
  'negation_action',
  'not_received',
  'number',
  'other_site',
  'password',
  'password_elsewhere',
  'query',
  'record',
  'record_number',
  'request',
  'same_thing',
  'separately',
  'several_filings',
  'site',
  'submitted',
  'thanks',
  'together',
  'vanished',
  'what_is',
]);

/** Intents (intents/<id>.yaml) the code names: the core three, chatter, the readings it offers, the licence and moving provider. */
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
  'icp_licence',
  'switch_provider',
]);

/**
 * The words that name each core need itself, whatever is asked about it: any one of the groups,
 * each group all of its concepts, none of its `!`-marked ones (a record number is both
 * `record_number` and `number`: "ICP record" alone names the filing, "ID" alone any number; a
 * password near a console or an account is that password, unless the filing's is named). All in
 * CODE_CONCEPTS.
 */
export const NEED_WORDS: Readonly<Record<string, readonly (readonly string[])[]>> = Object.freeze({
  deregister: [['dereg_strong'], ['kind_entity'], ['kind_site'], ['kind_access']],
  forgot_password: [['filing_password'], ['password', '!password_elsewhere']],
  lost_record_number: [['record_number', 'number']],
  // Not a core need, but named as one when two passwords are told apart (needs.ts).
  console_password: [['password', 'password_elsewhere']],
});

/** Whether concepts found in a text name a core need in its own words. */
export const namesNeed = (intent: string, concepts: ReadonlyMap<string, unknown>): boolean =>
  (NEED_WORDS[intent] ?? []).some((group) =>
    group.every((c) => (c.startsWith('!') ? !concepts.has(c.slice(1)) : concepts.has(c))),
  );
