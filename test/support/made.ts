/** Understandings and answers made by hand, so each step after understand() is tested apart from the ones before. */
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
