import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isBuilt } from '../src/fingerprint.js';
import { ROOT } from '../src/paths.js';

const LOCK = join(ROOT, 'dist', '.build-lock');
/** A lock older than this was left by a build that died. */
const STALE_LOCK_MS = 5 * 60_000;

/**
 * Builds dist/ before the suites, so end-to-end tests can start the real bot, but only when the
 * build's inputs changed since the last build (src/fingerprint.ts): a second run of one test file
 * starts in seconds. Runs started at once build one at a time.
 */
export default async function setup(): Promise<void> {
  if (isBuilt()) return;
  await withLock(() => {
    if (!isBuilt()) execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  });
}

async function withLock(fn: () => void): Promise<void> {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      const age = Date.now() - (statSafe(LOCK) ?? Date.now());
      if (age > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function statSafe(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}
