/**
 * The core as the handlers see it: understand a text, answer an understanding, and a topic's
 * answer (the Home tab). The handlers get it in their deps (HandlerDeps.core), never as module
 * singletons, so a test can hand them a fake one; bot.ts wires the real one once (realCore).
 */
import { answer, topicAnswer } from '../answer/answer.js';
import { loadIntents } from '../answer/intents.js';
import { registry } from '../answer/registry.js';
import { CANNOT_HELP, FALLBACK_INTENT, type Answer, type Lang, type Understanding } from '../types.js';
import { defaultUnderstander, type UnderstandErrorReporter, type Understander } from '../understand/understand.js';

export interface Core {
  /** Never throws for a question: an internal error becomes the fallback, reported where the core was made. */
  understand(text: string): Understanding;
  answer(u: Understanding): Answer;
  /** A topic of data/topics.yaml as an answer (the Home tab's). */
  topicAnswer(name: string, lang: Lang): Answer;
  /** An intent the core answers (intents/*.yaml, or the fallback): what a button's value may name. */
  isIntent(id: string): boolean;
  /** A province id of data/provinces.yaml. */
  isProvince(id: string): boolean;
}

let intentIds: ReadonlySet<string> | undefined;

/** The ids the real core knows, loaded once on first use. */
export const knownIds: Pick<Core, 'isIntent' | 'isProvince'> = {
  isIntent: (id) =>
    (intentIds ??= new Set([FALLBACK_INTENT, ...CANNOT_HELP, ...loadIntents().intents.map((i) => i.intent)])).has(id),
  isProvince: (id) => registry().byId.has(id),
};

/**
 * The real core over data/ and intents/, built on first use (so start-up listens before it pays
 * for loading, and a broken data file shows up in the warm-up); internal errors of understanding
 * go to `onError`.
 */
export function realCore(opts: { onError: UnderstandErrorReporter }): Core {
  let understander: Understander | undefined;
  return {
    understand: (text) => (understander ??= defaultUnderstander({ onError: opts.onError }))(text),
    answer,
    topicAnswer,
    ...knownIds,
  };
}
