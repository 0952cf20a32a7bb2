/**
 * The hostile-input and property checks are only worth their names if they fail when the
 * understanding breaks: run them on an understander whose analyzer throws (understand() then
 * answers the fallback and counts the error) and expect every one of them to fail.
 */
import { describe, expect, it } from 'vitest';
import type { Analysis, Analyzer } from '../../src/understand/analyze.js';
import { loadClassifier } from '../../src/understand/classifier.js';
import { loadIntents } from '../../src/answer/intents.js';
import { analyzer, createUnderstander, understandErrors } from '../../src/understand/understand.js';
import { checkHostileInput, HOSTILE_INPUTS, understandingChecks } from '../support/hostile.js';

const real = analyzer();
const throwing: Analyzer = Object.assign(
  (_text: string): Analysis => {
    throw new Error('matcher broke');
  },
  { features: real.features, scan: real.scan },
);
const reported: string[] = [];
const broken = createUnderstander(throwing, loadIntents(), loadClassifier(real), {
  onError: (err) => reported.push(err instanceof Error ? err.message : String(err)),
});

describe('with a matcher that throws', () => {
  it('understand() still answers (the fallback), counts the error and reports it with its cause', () => {
    const before = understandErrors();
    expect(broken('deregister Zhejiang')).toMatchObject({ intent: 'fallback', confidence: 0 });
    expect(understandErrors()).toBe(before + 1);
    expect(reported.at(-1)).toBe('matcher broke');
  });

  for (const [name, check] of Object.entries(understandingChecks(broken))) {
    it(`the property check "${name}" fails`, () => {
      expect(check).toThrow();
    });
  }

  it.each(HOSTILE_INPUTS)('the hostile-input check "%s" fails', (_name, input) => {
    expect(() => checkHostileInput(broken, input)).toThrow(/failed inside/);
  });
});
