import { execFileSync } from 'node:child_process';

/** Builds dist/ once before the suites, so end-to-end tests can start the real bot (`npm start --ignore-scripts`). */
export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
