/**
 * A question back instead of a guess: which readings to offer (two or three intent ids), or none.
 * Kept rare, since a question back costs the asker a click: only a vague message, or two readers
 * that disagree and leave the chosen reading unsure.
 */
import type { Analysis } from './analyze.js';
import type { Decision } from './decide.js';
import type { Defaults } from '../defaults.js';
import { isCore } from './rules.js';
import { namesNeed } from './names.js';
import type { Understanding } from '../types.js';

/** Concepts that say nothing about what is asked: the filing itself, politeness, places, cues. */
const GENERIC = new Set(['filing', 'record', 'site', 'howto', 'help', 'greeting', 'thanks', 'either_question']);
const isGeneric = (c: string) =>
  GENERIC.has(c) || c.startsWith('@') || c.startsWith('cue_') || c.startsWith('abbr_') || c.startsWith('lang_');

/** The three things the bot is for: what "help with our beian" may mean. */
const CORE_READINGS: readonly string[] = Object.freeze(['deregister', 'forgot_password', 'lost_record_number']);

/**
 * Look-alikes of a blocker, whose firm rule may still be asked back against that blocker when the
 * classifier reads it (never against a cancellation): a console's password or the filing's, a
 * number to show or to find, a record gone or a number lost.
 */
const LOOKALIKE_OF: Readonly<Record<string, string>> = Object.freeze({
  console_password: 'forgot_password',
  display_number: 'lost_record_number',
  record_vanished: 'lost_record_number',
});

export interface Offer {
  /** Intent ids to offer, one button each; fewer than two: answer as read. */
  readings: string[];
  /** Not a choice but a second need: the other core reading, which the message names in its own words. */
  secondNeed?: string;
  /** The message names the filing and nothing about it: the core readings are offered. */
  aboutNothing: boolean;
}

export const NO_OFFER: Offer = Object.freeze({ readings: [], aboutNothing: false }) as Offer;

export function readingsToOffer(
  decision: Decision,
  u: Pick<Understanding, 'intent' | 'confidence' | 'also'>,
  a: Analysis,
  options: Defaults,
  offerable: (intent: string) => boolean,
): Offer {
  const words = [...a.concepts.keys()].filter((c) => !isGeneric(c));
  const named = a.concepts.has('@province') || a.concepts.has('@record_number');
  // "Can you help with our beian?": the filing and nothing about it; whatever a reader guessed is a guess.
  if (words.length === 0 && a.concepts.has('filing') && !named)
    return { readings: [...CORE_READINGS], aboutNothing: true };
  const offer = (readings: string[]): Offer => ({ readings, aboutNothing: false });
  // "cancel" alone: a filing, or an order, a server, an account?
  if (words.length === 1 && words[0] === 'dereg_weak' && !a.concepts.has('filing') && !named)
    return offer(['deregister', 'off_topic'].filter(offerable));
  const main = u.intent;
  // Unsure: the readers disagreed, or the classifier read a core need where no rule found one.
  const unsure =
    decision.row === 'rule_doubted' || decision.row === 'model_overrules' || decision.row === 'model_alone';
  if (!unsure) return NO_OFFER;
  // The classifier read none of ours ("the deregistration is done, thanks"): ours, or something else?
  const alt = decision.alternative ?? (isCore(main) ? 'off_topic' : null);
  if (!alt || alt === main) return NO_OFFER;
  // A firm rule (moving provider, fees, an ICP证 number) is asked back no more than it is overruled:
  // offering the reading it guards against (a cancellation) is the harm it exists to prevent. A
  // look-alike of a blocker may ask, against that blocker ("the number, for the footer": show it, or find it?).
  // …not where the message says the blocker is fine or not meant ("备案密码没问题", "不是备案那个").
  const blockerFine = a.concepts.has('kept') || a.concepts.has('@negated');
  if (decision.hit.firm && (LOOKALIKE_OF[main] !== alt || blockerFine)) return NO_OFFER;
  // A look-alike the message asks besides ("注销…，另外控制台密码也忘了"): both are answered. (Between
  // two core needs the question is which leads, and stays.)
  if (!isCore(alt) && u.also?.some((n) => n.intent === alt)) return NO_OFFER;
  // Two core readings, each with its own words ("Deregister our Qinghai site - and our record number,
  // what was it?"): the message asks both, so both are answered, however sure the reading.
  // Not where one is denied ("密码没问题，就是备案号找不到了") or a written number says it is not lost.
  const denied = a.concepts.has('negation_action') || a.concepts.has('@negated');
  const numberGiven = a.concepts.has('@record_number') && [main, alt].includes('lost_record_number');
  if (isCore(main) && isCore(alt) && namesItself(alt, a) && !denied && !numberGiven)
    return { ...NO_OFFER, secondNeed: alt };
  // Below clarifyBelow the calibrated confidence says such readings were wrong too often to answer.
  if (u.confidence >= options.clarifyBelow) return NO_OFFER;
  // A core need and its own look-alike, or two core needs: both can be named.
  const pair = [main, alt].filter(offerable);
  return offer(pair.length === 2 && (isCore(main) || isCore(alt)) ? pair : []);
}

const namesItself = (intent: string, a: Analysis) => namesNeed(intent, a.concepts);
