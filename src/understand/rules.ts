/**
 * The rules over the lexicon's concepts: every intent with a matching rule, in precedence order
 * (intents/precedence.yaml), each with its best rule.
 */
import type { Concepts } from './concepts.js';
import type { Defaults } from '../defaults.js';
import type { IntentSpec } from '../answer/intents.js';
import { CORE_INTENTS } from '../types.js';

export interface RuleHit {
  intent: string;
  confidence: number;
  confirm: boolean;
  firm: boolean;
  /** Found only through a typo correction: the bot is a little less sure, whoever agrees. */
  typo?: boolean;
}

/** The eval label of an intent: itself when core, else "other". */
export const labelOf = (intent: string): string =>
  (CORE_INTENTS as readonly string[]).includes(intent) ? intent : 'other';

export const isCore = (intent: string): boolean => (CORE_INTENTS as readonly string[]).includes(intent);

/** Every intent with a matching rule, in precedence order, each with its best rule. */
export function matchRules(intents: readonly IntentSpec[], concepts: Concepts, options: Defaults): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const spec of intents) {
    let best: RuleHit | null = null;
    for (const r of spec.rules) {
      if (!r.all.every((c) => concepts.has(c)) || r.none.some((c) => concepts.has(c))) continue;
      if (r.any.length > 0 && !r.any.some((c) => concepts.has(c))) continue;
      const typo = [...r.all, ...r.any].some((c) => concepts.get(c) === true);
      const confidence = r.confidence * (typo ? options.fuzzyPenalty : 1);
      // Of two rules as sure, the firm one: it says the classifier is not to overrule this reading.
      if (!best || confidence > best.confidence || (confidence === best.confidence && r.firm && !best.firm))
        best = { intent: spec.intent, confidence, confirm: r.confirm, firm: r.firm, typo };
    }
    if (best) hits.push(best);
  }
  return hits;
}
