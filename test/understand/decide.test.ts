/**
 * decide(): one test per row of its table (src/understand/decide.ts, docs/architecture.md), with
 * hand-made rule hits and classifier probabilities, so each row is pinned by name.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/defaults.js';
import { loadIntents, type IntentSpec } from '../../src/answer/intents.js';
import { decide, type Probabilities } from '../../src/understand/decide.js';
import { matchRules, type RuleHit } from '../../src/understand/rules.js';
import { analyzer, understand } from '../../src/understand/understand.js';

const hit = (intent: string, confidence: number, extra: Partial<RuleHit> = {}): RuleHit => ({
  intent,
  confidence,
  confirm: false,
  firm: false,
  ...extra,
});
const probs = (label: string, p: number): Probabilities => {
  const labels = ['deregister', 'forgot_password', 'lost_record_number', 'other'];
  return new Map(labels.map((l) => [l, l === label ? p : (1 - p) / 3]));
};
const words = analyzer()('how do I cancel the filing');
const placeOnly = analyzer()('廣西');

describe('decide(), row by row', () => {
  it('rules_only: without a classifier, the rule, else the fallback', () => {
    expect(decide([hit('deregister', 0.9)], null, words, DEFAULTS)).toMatchObject({
      row: 'rules_only',
      hit: { intent: 'deregister', confidence: 0.9 },
    });
    expect(decide([], null, words, DEFAULTS)).toMatchObject({ row: 'rules_only', hit: { intent: 'fallback' } });
  });

  it('agree: the rule, as sure as the surer reader', () => {
    const d = decide([hit('deregister', 0.8)], probs('deregister', 0.95), words, DEFAULTS);
    expect(d).toMatchObject({ row: 'agree', alternative: null, hit: { intent: 'deregister' } });
    expect(d.hit.confidence).toBeCloseTo(0.95);
  });

  it('agree: a typo costs once, not twice', () => {
    const typo = hit('deregister', 0.9 * DEFAULTS.fuzzyPenalty, { typo: true });
    const d = decide([typo], probs('deregister', 0.9), words, DEFAULTS);
    expect(d.row).toBe('agree');
    expect(d.hit.confidence).toBeCloseTo(0.9 * DEFAULTS.fuzzyPenalty);
  });

  it('model_overrules: a rule that is not firm gives way to a sure classifier, and stays the alternative', () => {
    const d = decide([hit('deregister', 0.7)], probs('forgot_password', 0.9), words, DEFAULTS);
    expect(d).toMatchObject({ row: 'model_overrules', hit: { intent: 'forgot_password' }, alternative: 'deregister' });
  });

  it('model_overrules: the classifier\'s "other" is the first other topic the rules found', () => {
    const hits = [hit('deregister', 0.7), hit('cancel_kinds', 0.6)];
    const d = decide(hits, probs('other', DEFAULTS.modelOverride + 0.05), words, DEFAULTS);
    expect(d).toMatchObject({ row: 'model_overrules', hit: { intent: 'cancel_kinds' } });
  });

  it("model_overrules needs more than the rule's own confidence plus the margin", () => {
    const d = decide([hit('deregister', 0.9)], probs('forgot_password', 0.9), words, DEFAULTS);
    expect(d.row).toBe('rule_doubted');
  });

  it('rule_doubted: a firm rule is never overruled, only less sure', () => {
    const firm = hit('public_security_filing', 0.98, { firm: true });
    const d = decide([firm], probs('deregister', 0.99), words, DEFAULTS);
    expect(d).toMatchObject({
      row: 'rule_doubted',
      hit: { intent: 'public_security_filing' },
      alternative: 'deregister',
    });
    expect(d.hit.confidence).toBeLessThan(0.98);
  });

  it('rule_doubted: a plain "other" needs bareOtherOverride to overrule', () => {
    const p = DEFAULTS.bareOtherOverride - 0.05;
    const d = decide([hit('deregister', 0.8)], probs('other', p), words, DEFAULTS);
    expect(d.row).toBe('rule_doubted');
    const agreement = (1 - p) / 3;
    expect(d.hit.confidence).toBeCloseTo(0.8 * (DEFAULTS.doubtFloor + (1 - DEFAULTS.doubtFloor) * agreement));
    expect(d.alternative).toBeNull();
  });

  it('model_alone: no rule, a sure classifier and words of ours', () => {
    expect(decide([], probs('deregister', 0.9), words, DEFAULTS)).toMatchObject({
      row: 'model_alone',
      hit: { intent: 'deregister' },
    });
  });

  it('nothing: no rule and a place name alone, or a classifier unsure or saying "other"', () => {
    expect(decide([], probs('deregister', 0.9), placeOnly, DEFAULTS).row).toBe('nothing');
    expect(decide([], probs('deregister', DEFAULTS.modelAlone - 0.1), words, DEFAULTS).row).toBe('nothing');
    expect(decide([], probs('other', 0.9), words, DEFAULTS)).toMatchObject({
      row: 'nothing',
      hit: { intent: 'fallback' },
    });
  });
});

describe('the kind of cancellation', () => {
  it('注销网站备案 is the whole filing of a site, not "cancel one website" (dereg_generic)', () => {
    expect(understand('注销网站 浙江').kind).toBe('site');
    expect(understand('注销网站备案 浙江').kind).toBeNull();
  });
});

describe('matchRules: one hit an intent, its surest rule', () => {
  type Rule = IntentSpec['rules'][number];
  const base = loadIntents().intents.find((i) => i.intent === 'cancel_kinds')!;
  const spec = (rules: Pick<Rule, 'all' | 'confidence' | 'firm'>[]): IntentSpec[] => [
    { ...base, rules: rules.map((r) => ({ ...base.rules[0]!, any: [], none: [], ...r })) },
  ];
  const concepts = new Map([
    ['either_question', false],
    ['consequence', false],
  ]);
  it('of two rules as sure, the firm one (whatever their order in the file)', () => {
    const rules = [
      { all: ['consequence'], confidence: 0.8, firm: false },
      { all: ['either_question'], confidence: 0.8, firm: true },
    ];
    expect(matchRules(spec(rules), concepts, DEFAULTS)[0]).toMatchObject({ confidence: 0.8, firm: true });
    expect(matchRules(spec([...rules].reverse()), concepts, DEFAULTS)[0]).toMatchObject({ firm: true });
  });
  it('a surer rule still wins over a firm one', () => {
    const rules = [
      { all: ['either_question'], confidence: 0.8, firm: true },
      { all: ['consequence'], confidence: 0.85, firm: false },
    ];
    expect(matchRules(spec(rules), concepts, DEFAULTS)[0]).toMatchObject({ confidence: 0.85, firm: false });
  });
});
