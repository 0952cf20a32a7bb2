/**
 * The training questions: every line of every file of intents/training/ and every intent example,
 * in one canonical order, so splitting or renaming the files never changes the model.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { readTrainingFile, TRAINING_DIR, trainingQuestions } from '../../src/understand/classifier.js';

const files = readdirSync(TRAINING_DIR).filter((f) => f.endsWith('.jsonl'));

describe('training questions', () => {
  it('holds every line of every training file', () => {
    const rows = trainingQuestions();
    const key = (r: { text: string; label: string }) => `${r.label}\u0000${r.text}`;
    const have = new Map<string, number>();
    for (const r of rows) have.set(key(r), (have.get(key(r)) ?? 0) + 1);
    const fromFiles = files.flatMap((f) => readTrainingFile(join(TRAINING_DIR, f)));
    expect(fromFiles.length).toBeGreaterThan(1000);
    for (const r of fromFiles) expect(have.get(key(r)), r.text).toBeGreaterThan(0);
  });

  it('comes in one order whatever the files (by text, then label)', () => {
    const rows = trainingQuestions();
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      expect(a.text < b.text || (a.text === b.text && a.label <= b.label), `${a.text} / ${b.text}`).toBe(true);
    }
  });

  it('names the file and what its first line must say', () => {
    const dir = mkdtempSync(join(tmpdir(), 'training-'));
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, '{"text": "hi", "intent": "other", "province": null}\n');
    expect(() => readTrainingFile(path)).toThrow(DataError);
    expect(() => readTrainingFile(path)).toThrow(/line 1.*"format": 1, "source"/);
    // A real file reads as its lines less the header.
    const first = join(TRAINING_DIR, files[0]!);
    const lines = readFileSync(first, 'utf8')
      .split('\n')
      .filter((l) => l.trim()).length;
    expect(readTrainingFile(first)).toHaveLength(lines - 1);
  });
});
