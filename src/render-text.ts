// STUB — being written by the lead; signatures are final.
import type { Answer } from './types.js';

export function renderText(a: Answer): string {
  return a.summary;
}
