/**
 * The stages stay apart: the understanding and answer core, the question log and the shared
 * modules never reach into the Slack layer, the stand-in or the playground, and never import
 * Botkit or botbuilder (archived upstream: only src/slack/ may carry it, so the core could move to
 * another Slack framework).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../src/paths.js';

const SRC = join(ROOT, 'src');
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });

/** Every module specifier a file imports (static, dynamic and type-only). */
const imports = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"\n]+)['"]/g)].map((m) => m[1]!);

const CORE = [
  ...['understand', 'answer', 'questions'].flatMap((stage) => walk(join(SRC, stage))),
  ...['eval.ts', 'check.ts', 'types.ts', 'errors.ts', 'defaults.ts', 'paths.ts', 'mask.ts', 'fingerprint.ts'].map((f) =>
    join(SRC, f),
  ),
];
const FORBIDDEN = [
  /\/slack\//,
  /\/standin\//,
  /\/playground\//,
  /^botkit/,
  /^botbuilder/,
  /^@slack\/(bolt|web-api|socket-mode)/,
];

describe('architecture', () => {
  it('finds the core modules', () => {
    expect(CORE.length).toBeGreaterThan(25);
  });

  it.each(CORE.map((f) => relative(ROOT, f)))('%s imports nothing of the Slack layer', (file) => {
    const bad = imports(join(ROOT, file)).filter((spec) => FORBIDDEN.some((re) => re.test(spec)));
    expect(bad).toEqual([]);
  });

  it('Botkit stays in src/slack/', () => {
    const outside = walk(SRC).filter(
      (f) => !f.startsWith(join(SRC, 'slack')) && imports(f).some((s) => /^(botkit|botbuilder)/.test(s)),
    );
    expect(outside.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
