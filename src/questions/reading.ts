/**
 * What the bot read in a question whose text the log keeps, stored with its row (migration 5) so
 * the report groups the unanswered questions across languages: the concepts found (the lexicon's,
 * the same in English and Chinese: 注销备案能加急吗 and "can the deregistration be expedited?" both
 * read dereg_strong and duration), the intent they point to (`topic`, the report's suggestion)
 * and the grouping key. Only for kept texts: the answered questions need no grouping, and the
 * analysis is not paid twice for them.
 */
import { loadIntents } from '../answer/intents.js';
import { analyzer } from '../understand/understand.js';

export interface Reading {
  /** Content concepts found, sorted, space-separated ('' for none). */
  concepts: string;
  /** The intent the concepts point to, or null. */
  topic: string | null;
  /** The grouping key: `c:` and the concepts, or `t:` and the text key when no concept was found. */
  key: string | null;
}

/** Concepts that say how something is asked, not what: cues, abbreviations, negation, places, "how", "filing". */
const STRUCTURAL = /^(?:cue_|abbr_|negation|@)/;
const GENERIC = new Set(['filing', 'howto', 'record', 'lookup', 'need_it', 'what_is']);
/** Two strengths of one concept count as one. */
const SAME: Readonly<Record<string, string>> = { dereg_weak: 'dereg_strong' };
/** Intents that are not a subject to suggest. */
const NOT_A_SUBJECT = new Set(['greeting', 'thanks', 'help', 'language']);

/** The content concepts of a text, sorted. */
export function contentConcepts(text: string): string[] {
  const found = new Set<string>();
  for (const c of analyzer()(text).concepts.keys()) {
    if (STRUCTURAL.test(c) || GENERIC.has(c)) continue;
    found.add(SAME[c] ?? c);
  }
  return [...found].sort();
}

let ruleConcepts: { intent: string; concepts: Set<string> }[] | undefined;

/**
 * The intent whose rules name most of `concepts` (ties: intents/precedence.yaml's order), or
 * null when none names any.
 */
export function suggestIntent(concepts: readonly string[]): string | null {
  ruleConcepts ??= loadIntents()
    .intents.filter((i) => !NOT_A_SUBJECT.has(i.intent))
    .map((i) => ({
      intent: i.intent,
      concepts: new Set(i.rules.flatMap((r) => [...r.all, ...r.any]).map((c) => SAME[c] ?? c)),
    }));
  let best: string | null = null;
  let most = 0;
  for (const { intent, concepts: named } of ruleConcepts) {
    const n = concepts.filter((c) => named.has(c)).length;
    if (n > most) [best, most] = [intent, n];
  }
  return best;
}

/** The reading of a kept (masked) text; its `textKey` for the key when no concept is found. */
export function readingOf(text: string, textKey: string | null): Reading {
  const concepts = contentConcepts(text);
  return {
    concepts: concepts.join(' '),
    topic: suggestIntent(concepts),
    key: concepts.length ? `c:${concepts.join(' ')}` : textKey === null ? null : `t:${textKey}`,
  };
}
