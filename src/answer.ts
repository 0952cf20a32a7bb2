// STUB — being written by the lead; signatures are final.
import type { Answer, Understanding } from './types.js';

export function answer(u: Understanding): Answer {
  return { intent: u.intent, lang: u.lang, province: u.province, summary: 'stub', parts: [{ type: 'paragraph', text: 'stub' }], ask: null, choices: [] };
}
