/**
 * The build runs again exactly when one of its inputs changed: every input (code, data, intents,
 * the lock file, the compiler settings) is tried on a small tree of its own.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BUILD_INPUTS,
  currentStamp,
  featureCodeHash,
  fingerprint,
  FEATURE_CODE,
  isBuilt,
  writeStamp,
} from '../src/fingerprint.js';

let root: string;
const put = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

const TREE: Record<string, string> = {
  'src/main.ts': 'export {};\n',
  'src/understand/features.ts': 'export const f = 1;\n',
  'bench/understand.ts': 'export {};\n',
  'data/provinces.yaml': 'format: 1\n',
  'intents/deregister.yaml': 'intent: deregister\n',
  'intents/training/everyday.jsonl': '{"format":1,"source":"x"}\n',
  'package-lock.json': '{}\n',
  'tsconfig.json': '{}\n',
  'tsconfig.build.json': '{}\n',
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fingerprint-'));
  for (const [path, text] of Object.entries(TREE)) put(path, text);
  mkdirSync(join(root, 'dist'));
  writeStamp(currentStamp(root), root);
  return () => rmSync(root, { recursive: true, force: true });
});

describe('isBuilt', () => {
  it('is true right after a build', () => {
    expect(isBuilt(root)).toBe(true);
  });

  it('is false with no stamp, or a damaged one', () => {
    rmSync(join(root, 'dist'), { recursive: true });
    expect(isBuilt(root)).toBe(false);
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', 'build-stamp.json'), '{"inputs": 1');
    expect(isBuilt(root)).toBe(false);
  });

  it.each(Object.keys(TREE))('is false once %s changes', (path) => {
    put(path, TREE[path] + '// changed\n');
    expect(isBuilt(root)).toBe(false);
    writeStamp(currentStamp(root), root);
    expect(isBuilt(root)).toBe(true);
  });

  it.each(['src/new.ts', 'data/new.tsv', 'intents/training/new.jsonl'])('is false once %s is added', (path) => {
    put(path, 'x\n');
    expect(isBuilt(root)).toBe(false);
  });

  it('is false once a file is removed or renamed', () => {
    rmSync(join(root, 'intents/deregister.yaml'));
    expect(isBuilt(root)).toBe(false);
    put('intents/deregister-renamed.yaml', TREE['intents/deregister.yaml']!);
    expect(isBuilt(root)).toBe(false);
  });

  it('ignores what is not an input: dist/, docs, tests, node_modules', () => {
    for (const path of ['dist/model.json', 'docs/x.md', 'test/a.test.ts', 'node_modules/x/index.js', 'README.md']) {
      put(path, 'x\n');
    }
    expect(isBuilt(root)).toBe(true);
  });

  it('covers every input the build names', () => {
    for (const input of BUILD_INPUTS) expect(Object.keys(TREE).some((p) => p.startsWith(input))).toBe(true);
  });
});

describe('featureCodeHash', () => {
  it('follows the feature code, and nothing else of src/', () => {
    const before = featureCodeHash(root);
    put('src/main.ts', 'export const changed = 1;\n');
    expect(featureCodeHash(root)).toBe(before);
    put('src/understand/features.ts', 'export const f = 2;\n');
    expect(featureCodeHash(root)).not.toBe(before);
    expect(featureCodeHash(root)).toBe(fingerprint(FEATURE_CODE, root));
  });

  it('comes from the stamp where the source is not shipped (an image with dist/ only)', () => {
    const built = currentStamp(root).featureCode;
    rmSync(join(root, 'src'), { recursive: true });
    expect(featureCodeHash(root)).toBe(built);
  });
});
