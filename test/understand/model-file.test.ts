/**
 * dist/model.json: format 2 stores the weights as float32 bytes; loaded, a model predicts exactly
 * what the model it was written from predicts once rounded (format 1's numbers), and format 1 loads.
 */
import { describe, expect, it } from 'vitest';
import { Model, train, type ModelFile } from '../../src/understand/model.js';

const model = train(
  [
    { features: ['w:cancel', 'w:filing'], label: 'deregister' },
    { features: ['w:forgot', 'w:password'], label: 'forgot_password' },
    { features: ['w:lost', 'w:number'], label: 'lost_record_number' },
    { features: ['w:lunch'], label: 'other' },
  ],
  'test',
);

describe('the model file', () => {
  it('round-trips through format 2 to the weights format 1 gave', () => {
    const file = model.toFile();
    expect(file.format).toBe(2);
    expect(typeof file.weights).toBe('string');
    const again = Model.fromFile(JSON.parse(JSON.stringify(file)) as ModelFile);
    const bytes = Buffer.from(file.weights as string, 'base64');
    const asV1: ModelFile = {
      ...file,
      format: 1,
      weights: Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4), (w) =>
        Number(w.toFixed(4)),
      ),
    };
    const v1 = Model.fromFile(asV1);
    for (const features of [['w:cancel'], ['w:forgot', 'w:lost'], ['w:unknown'], []])
      expect(Array.from(again.predict(features))).toEqual(Array.from(v1.predict(features)));
  });

  it('refuses weights that do not fit its features and labels', () => {
    const file = model.toFile();
    expect(() => Model.fromFile({ ...file, weights: 'AAAAAA==' })).toThrow(/do not match/);
    expect(() => Model.fromFile({ ...file, weights: 'AAAA' })).toThrow(/float32/);
  });
});
