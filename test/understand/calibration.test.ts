/**
 * Calibration: the isotonic fit (calibration.ts), the cross-validation that feeds it and the file
 * the build writes (calibrate.ts), and the question-back rules that read the calibrated confidence
 * (clarify.ts), each with hand-made decisions so every rule is pinned by name.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { Calibration, fitCalibration, groupOf, type CalibrationPoint } from '../../src/understand/calibration.js';
import { CALIBRATION_PATH, CV_FOLDS, type CalibrationFile } from '../../src/understand/calibrate.js';
import { loadClassifier } from '../../src/understand/classifier.js';
import { readingsToOffer } from '../../src/understand/clarify.js';
import type { Decision } from '../../src/understand/decide.js';
import { DEFAULTS } from '../../src/defaults.js';
import { analyzer, understand } from '../../src/understand/understand.js';

const points = (group: string, raws: [number, boolean][]): CalibrationPoint[] =>
  raws.map(([raw, right]) => ({ group, raw, right }));

describe('fitCalibration', () => {
  it('maps a raw confidence to the share right at that level, rising with the raw confidence', () => {
    const ps = [
      ...points(
        'agree',
        Array.from({ length: 100 }, (_, i) => [0.5 + i / 400, i % 2 === 0] as [number, boolean]),
      ),
      ...points(
        'agree',
        Array.from({ length: 100 }, (_, i) => [0.9 + i / 1000, i % 10 !== 0] as [number, boolean]),
      ),
    ];
    const c = new Calibration(fitCalibration(ps));
    expect(c.confidence('agree', 0.6)).toBeGreaterThan(0.45);
    expect(c.confidence('agree', 0.6)).toBeLessThan(0.6);
    expect(c.confidence('agree', 0.95)).toBeGreaterThan(0.85);
    const steps = fitCalibration(ps)['agree']!;
    for (let i = 1; i < steps.length; i++) {
      expect(steps[i]![0]).toBeGreaterThan(steps[i - 1]![0]);
      expect(steps[i]![1]).toBeGreaterThanOrEqual(steps[i - 1]![1]);
    }
  });

  it('pools a violation: a surer raw confidence that was right less often joins the step below', () => {
    const steps = fitCalibration(
      points('g', [
        [0.5, true],
        [0.5, true],
        [0.9, false],
        [0.9, false],
      ]),
    )['g']!;
    expect(steps).toHaveLength(1);
    expect(steps[0]![0]).toBe(0.9);
  });

  it('never says 0 or 1 for a handful of questions: small steps lean on the group, small groups on all', () => {
    const ps = [
      ...points(
        'big',
        Array.from({ length: 200 }, () => [0.9, true] as [number, boolean]),
      ),
    ];
    ps.push(...points('tiny', [[0.99, false]]));
    const c = new Calibration(fitCalibration(ps));
    expect(c.confidence('tiny', 0.99)).toBeGreaterThan(0.5);
    expect(c.confidence('tiny', 0.99)).toBeLessThan(1);
  });

  it('keeps the raw confidence of a group it never saw, and the top step above the highest raw', () => {
    const c = new Calibration(
      fitCalibration(
        points('agree', [
          [0.8, true],
          [0.9, true],
        ]),
      ),
    );
    expect(c.confidence('model_alone', 0.42)).toBe(0.42);
    expect(c.confidence('agree', 0.95)).toBe(c.confidence('agree', 0.9));
  });

  it('names groups by row, firmness and contest', () => {
    expect(groupOf('agree', false, false)).toBe('agree');
    expect(groupOf('rule_doubted', true, true)).toBe('rule_doubted:firm:contested');
  });
});

describe('the built calibration', () => {
  it('belongs to the built model, from cross-validation, and makes confidences calibrated', () => {
    expect(existsSync(CALIBRATION_PATH)).toBe(true);
    const file = JSON.parse(readFileSync(CALIBRATION_PATH, 'utf8')) as CalibrationFile;
    expect(file.trainedOn).toBe(loadClassifier(analyzer()).trainedOn);
    expect(file.folds).toBe(CV_FOLDS);
    // A doubted, contested reading was right about half the time: its confidence says so.
    expect(Object.keys(file.steps)).toEqual(expect.arrayContaining(['agree', 'rule_doubted:contested']));
    const top = file.steps['agree']!.at(-1)![1];
    expect(top).toBeGreaterThan(0.99);
  });
});

describe('a question back, by the calibrated confidence', () => {
  const a = analyzer()('please cancel our filing in Zhejiang');
  const offerable = (i: string) => ['deregister', 'lost_record_number', 'off_topic', 'switch_provider'].includes(i);
  const decision = (row: Decision['row'], alternative: string | null, firm = false): Decision => ({
    row,
    alternative,
    hit: { intent: 'deregister', confidence: 0.7, confirm: false, firm },
  });
  const u = (confidence: number) => ({ intent: 'deregister', confidence });

  it('asks between the two readings when the other reader contested and the reading is unsure', () => {
    const o = readingsToOffer(decision('rule_doubted', 'lost_record_number'), u(0.5), a, DEFAULTS, offerable);
    expect(o.readings).toEqual(['deregister', 'lost_record_number']);
  });

  it('answers when the calibrated confidence reaches clarifyBelow', () => {
    const sure = u(DEFAULTS.clarifyBelow);
    expect(
      readingsToOffer(decision('rule_doubted', 'lost_record_number'), sure, a, DEFAULTS, offerable).readings,
    ).toEqual([]);
  });

  it('never asks back against a firm rule (it guards against the other reading)', () => {
    const o = readingsToOffer(
      decision('rule_doubted', 'deregister', true),
      { intent: 'switch_provider', confidence: 0.3 },
      a,
      DEFAULTS,
      offerable,
    );
    expect(o.readings).toEqual([]);
  });

  it('asks back a firm look-alike against its own blocker (a console password, or the filing password?)', () => {
    const offer = (text: string) =>
      readingsToOffer(
        decision('rule_doubted', 'forgot_password', true),
        { intent: 'console_password', confidence: 0.3 },
        analyzer()(text),
        DEFAULTS,
        (i) => ['console_password', 'forgot_password'].includes(i),
      ).readings;
    expect(offer('the password from back then is gone, and so is the account email')).toEqual([
      'console_password',
      'forgot_password',
    ]);
    // …not where the message says the filing password is fine.
    expect(offer('备案密码没问题，是控制台账号的密码忘了')).toEqual([]);
  });

  it('offers "something else" when the classifier read none of ours', () => {
    const o = readingsToOffer(decision('rule_doubted', null), u(0.4), a, DEFAULTS, offerable);
    expect(o.readings).toEqual(['deregister', 'off_topic']);
  });

  it('asks when the classifier alone read a core need, unsure: that reading, or something else', () => {
    const o = readingsToOffer(decision('model_alone', null), u(DEFAULTS.clarifyBelow - 0.05), a, DEFAULTS, offerable);
    expect(o.readings).toEqual(['deregister', 'off_topic']);
    const sure = readingsToOffer(decision('model_alone', null), u(DEFAULTS.clarifyBelow), a, DEFAULTS, offerable);
    expect(sure.readings).toEqual([]);
  });

  it('does not ask where the readers agreed', () => {
    expect(readingsToOffer(decision('agree', null), u(0.4), a, DEFAULTS, offerable).readings).toEqual([]);
  });

  it('end to end: a server question beside a finished filing task is asked back, not answered as a cancellation', () => {
    const r = understand(
      '我们公司营业执照要注销了，请问在你们这边买的服务器怎么处理？备案的事情我们自己已经在管局办完了。',
    );
    expect(r.options).toEqual(['deregister', 'off_topic']);
    expect(r.confidence).toBeLessThan(DEFAULTS.clarifyBelow);
  });

  it('two core readings, each named in its own words, are two needs: the blocker first, the deregistration beside it', () => {
    const r = understand('Deregister our Zhejiang site please, and what was our ICP record number again?');
    expect(r.options).toBeUndefined();
    expect(r.intent).toBe('lost_record_number');
    expect(r.also).toEqual([{ intent: 'deregister', province: 'zhejiang' }]);
  });

  it('but not where one of them is denied, or a written number says it is not lost', () => {
    expect(understand('密码没问题，就是备案号找不到了，江苏').also ?? []).not.toContainEqual(
      expect.objectContaining({ intent: 'forgot_password' }),
    );
    const numbered = understand(
      'cx wants to *deregister* their ICP filing, record no `浙ICP备17032211号`, what is the form?',
    );
    expect([numbered.intent, ...(numbered.also ?? []).map((n) => n.intent)]).not.toContain('lost_record_number');
  });

  it('thanks for a deregistration that was confirmed, or a ticket closed after it, is thanks, not a new request', () => {
    expect(understand('fyi customer T-39002 just confirmed the dereg SMS, closing the ticket, thx all').intent).toBe(
      'thanks',
    );
    expect(
      understand('Just wanted to say thanks, the deregistration of our filing was confirmed yesterday').intent,
    ).toBe('thanks');
    expect(understand('注销备案已经确认了，感谢').intent).toBe('thanks');
  });
});
