/** Understandings and answers made by hand, so each step after understand() is tested apart from the ones before. */
import type { PendingQuestion } from '../../src/slack/pending.js';
import type { Answer, Understanding } from '../../src/types.js';

export function understanding(intent: string, extra: Partial<Understanding> = {}): Understanding {
  return {
    text: '',
    intent,
    confidence: 0.9,
    confirm: false,
    province: null,
    candidates: [],
    recordNumber: null,
    kind: null,
    lang: 'en',
    traditional: false,
    ...extra,
  };
}

export function madeAnswer(extra: Partial<Answer> = {}): Answer {
  return {
    intent: 'help',
    lang: 'en',
    traditional: false,
    province: null,
    title: 'Title',
    summary: [['Summary']],
    details: [],
    source: null,
    ask: null,
    choices: [],
    confirm: null,
    ...extra,
  };
}

/** A waiting question (for the pending stores' tests), with its fields overridable. */
export function madeQuestion(ref: string, over: Partial<PendingQuestion> = {}): PendingQuestion {
  return {
    ref,
    understanding: understanding('deregister', { text: 'deregister' }),
    user: 'U1',
    team: 'T1',
    channel: 'C1',
    threadTs: '1.1',
    ephemeral: false,
    promptTs: '2.2',
    createdAt: 0,
    ...over,
  };
}
