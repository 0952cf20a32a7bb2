// STUB — being written by the lead; signatures are final.
import type { Understanding } from './types.js';

export function understand(text: string): Understanding {
  return { text, intent: 'fallback', confidence: 0, runnerUp: null, province: null, candidates: [], recordNumber: null, lang: 'en' };
}

/** The same question, now with the province the asker chose or typed. */
export function withProvince(u: Understanding, province: string): Understanding {
  return { ...u, province, candidates: [] };
}
