/**
 * How the two readers' verdicts become one reading: a table of named rows, tried in order, the
 * first that applies decides (docs/architecture.md shows the same table). Each row also says
 * which other reading was in the running, so an unsure answer can become a question back.
 *
 * | row               | when                                                              | reading                     |
 * |-------------------|-------------------------------------------------------------------|-----------------------------|
 * | `rules_only`      | no classifier                                                     | the rule, else the fallback |
 * | `agree`           | the rule's label is the classifier's                              | the rule, the surer of both |
 * | `model_overrules` | a rule that is not firm, the classifier sure enough (see below)    | the classifier's            |
 * | `rule_doubted`    | a rule the classifier disagrees with, not sure enough to overrule | the rule, less sure         |
 * | `model_alone`     | no rule; the classifier fairly sure of a core intent; our words    | the classifier's            |
 * | `nothing`         | anything else                                                     | the fallback                |
 *
 * "Sure enough" is `modelOverride` (`bareOtherOverride` when the classifier says a plain "other"
 * and no rule found another topic), and above the rule's own confidence by `overrideMargin`.
 * A firm rule (an ICP证 number, 公安备案) is never overruled, only doubted.
 */
import type { Analysis } from './analyze.js';
import type { Defaults } from '../defaults.js';
import { FALLBACK_INTENT } from '../types.js';
import { labelOf, type RuleHit } from './rules.js';

export type DecisionRow = 'rules_only' | 'agree' | 'model_overrules' | 'rule_doubted' | 'model_alone' | 'nothing';

export interface Decision {
  hit: RuleHit;
  row: DecisionRow;
  /** The other reader's reading when the two disagreed (an intent id), else null. */
  alternative: string | null;
}

/** The classifier's probabilities per label (deregister, forgot_password, lost_record_number, other). */
export type Probabilities = ReadonlyMap<string, number>;

export function decide(
  hits: readonly RuleHit[],
  probs: Probabilities | null,
  a: Analysis,
  options: Defaults,
): Decision {
  const rule = hits[0];
  const fallback: RuleHit = {
    intent: FALLBACK_INTENT,
    confidence: a.concepts.size === 0 ? options.fallbackNoWords : options.fallbackSomeWords,
    confirm: false,
    firm: false,
  };
  if (!probs) return { hit: rule ?? fallback, row: 'rules_only', alternative: null };
  let top = 'other';
  let p = -1;
  for (const [label, q] of probs) if (q > p) [top, p] = [label, q];
  // "other" from the classifier: the first non-core intent the rules found, else the fallback.
  const other = hits.find((h) => labelOf(h.intent) === 'other');
  const model: RuleHit =
    top !== 'other'
      ? { intent: top, confidence: p, confirm: false, firm: false }
      : other
        ? { ...other, confidence: Math.max(other.confidence, p) }
        : { ...fallback, confidence: p };
  if (!rule) {
    // Alone, the classifier needs words of ours to go on: a place name by itself ("廣西") asks nothing.
    return top !== 'other' && p >= options.modelAlone && hasOwnWords(a)
      ? { hit: model, row: 'model_alone', alternative: null }
      : { hit: fallback, row: 'nothing', alternative: null };
  }
  if (labelOf(rule.intent) === top) {
    // A typo costs once: the rule's confidence already carries it, the classifier's gets it here.
    const confidence = Math.max(rule.confidence, p * (rule.typo ? options.fuzzyPenalty : 1));
    return { hit: { ...rule, confidence }, row: 'agree', alternative: null };
  }
  const alternative = model.intent === FALLBACK_INTENT ? null : model.intent;
  const bareOther = top === 'other' && !other;
  const needed = Math.max(
    bareOther ? options.bareOtherOverride : options.modelOverride,
    rule.confidence + options.overrideMargin,
  );
  if (!rule.firm && p >= needed) return { hit: model, row: 'model_overrules', alternative: rule.intent };
  // The classifier doubts the rule but is not sure enough to overrule it: a little less sure.
  const agreement = probs.get(labelOf(rule.intent)) ?? 0;
  const confidence = rule.confidence * (options.doubtFloor + (1 - options.doubtFloor) * agreement);
  return { hit: { ...rule, confidence }, row: 'rule_doubted', alternative };
}

/** Concepts that are the asker's words about a topic, not places, cues or negations. */
function hasOwnWords(a: Analysis): boolean {
  for (const c of a.concepts.keys())
    if (!c.startsWith('@') && !c.startsWith('cue_') && !c.startsWith('abbr_') && !c.startsWith('negation')) return true;
  return false;
}
