/**
 * What the build depends on, as one hash. `npm run build` records it in dist/build-stamp.json; the
 * test setup builds again only when today's inputs hash differently, and the classifier's model
 * is stamped with the hash of the feature code and the data it was trained on.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './paths.js';

/** Everything that goes into dist/: the code, the data the model learns from, the lock file and the compiler settings. */
export const BUILD_INPUTS = Object.freeze([
  'src',
  'bench',
  'data',
  'intents',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
]);

/**
 * The code that turns text into the classifier's features and decisions (and its tunables): a change
 * to it makes the model and its calibration stale.
 */
export const FEATURE_CODE = Object.freeze(['src/understand', 'src/defaults.ts']);

const STAMP_FILE = join('dist', 'build-stamp.json');

interface BuildStamp {
  /** fingerprint(BUILD_INPUTS) when dist/ was built. */
  inputs: string;
  /** fingerprint(FEATURE_CODE) when dist/ was built: what a model trained by that build saw. */
  featureCode: string;
}

/** Every file under the given paths (files or folders, relative to root), sorted; missing ones are skipped. */
function filesUnder(root: string, paths: readonly string[]): string[] {
  const walk = (path: string): string[] => {
    if (!existsSync(path)) return [];
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path).flatMap((name) => walk(join(path, name)));
  };
  return paths
    .flatMap((p) => walk(join(root, p)))
    .map((f) => relative(root, f))
    .sort();
}

/** A hash of the files' names and contents: renaming, adding, removing or editing any of them changes it. */
export function fingerprint(paths: readonly string[], root = ROOT): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(root, paths)) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(root, file)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function readStamp(root = ROOT): BuildStamp | null {
  try {
    const stamp = JSON.parse(readFileSync(join(root, STAMP_FILE), 'utf8')) as Partial<BuildStamp>;
    return typeof stamp.inputs === 'string' && typeof stamp.featureCode === 'string'
      ? { inputs: stamp.inputs, featureCode: stamp.featureCode }
      : null;
  } catch {
    return null;
  }
}

/** The stamp for the inputs as they are now. */
export function currentStamp(root = ROOT): BuildStamp {
  return { inputs: fingerprint(BUILD_INPUTS, root), featureCode: fingerprint(FEATURE_CODE, root) };
}

export function writeStamp(stamp: BuildStamp, root = ROOT): void {
  writeFileSync(join(root, STAMP_FILE), JSON.stringify(stamp) + '\n');
}

/** dist/ was built from exactly today's inputs. */
export function isBuilt(root = ROOT): boolean {
  return readStamp(root)?.inputs === fingerprint(BUILD_INPUTS, root);
}

/**
 * The feature code's hash: from the source where it is there (a checkout), else from the stamp
 * (an image that ships dist/ without src/, whose model was trained by that same build).
 */
export function featureCodeHash(root = ROOT): string {
  if (existsSync(join(root, FEATURE_CODE[0]!))) return fingerprint(FEATURE_CODE, root);
  return readStamp(root)?.featureCode ?? '';
}
