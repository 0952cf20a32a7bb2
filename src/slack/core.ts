/**
 * The core as the handlers see it: understand a text, answer an understanding, and a topic's
 * answer (the Home tab). The handlers get it in their deps (HandlerDeps.core), never as module
 * singletons, so a test can hand them a fake one; bot.ts wires the real one once (realCore).
 */
import { answer, topicAnswer } from '../answer/answer.js';
import type { Answer, Lang, Understanding } from '../types.js';
import { defaultUnderstander, type UnderstandErrorReporter, type Understander } from '../understand/understand.js';

export interface Core {
  /** Never throws for a question: an internal error becomes the fallback, reported where the core was made. */
  understand(text: string): Understanding;
  answer(u: Understanding): Answer;
  /** A topic of data/topics.yaml as an answer (the Home tab's). */
  topicAnswer(name: string, lang: Lang): Answer;
}

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
  };
}
