/**
 * Parsing the YAML of data/ and intents/ was most of every start-up (about 0.5 s, and its garbage
 * much of the peak RSS): the build writes what each file parses to, keyed by the hash of its text,
 * and a process takes the parsed value from there when the text is the one hashed. A file edited
 * since the build, or one the build never saw, is parsed as before; the cache can never be stale.
 *
 * Validating the parsed value was the next cost (loading zod and its locales alone took 50–100 ms):
 * the build also keeps what each file's schema made of it (defaults filled in), keyed by the
 * schema's name and code (the text of the module that defines it, as it runs, and zod's version).
 * A process whose text and schema code are the ones the build saw takes that value and never loads
 * zod; any other validates as before, with the same errors.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { parse } from 'yaml';
import type * as Zod from 'zod';
import { ROOT } from '../paths.js';

export const YAML_CACHE_PATH = join(ROOT, 'dist', 'yaml-cache.json');

interface Entry {
  hash: string;
  value: unknown;
  /** The value as validated, by schema (its name and code: `schemaId`). */
  checked?: Record<string, unknown>;
}

let cache: Map<string, Entry> | null = null;
/** The values validated in this process, by file and schema: kept only while building (`keepChecked`). */
let checkedNow: Map<string, { hash: string; checked: Record<string, unknown> }> | null = null;

const hashOf = (text: string | Buffer): string => createHash('sha256').update(text).digest('base64');
const require = createRequire(import.meta.url);

function loaded(): Map<string, Entry> {
  if (cache) return cache;
  cache = new Map();
  try {
    if (existsSync(YAML_CACHE_PATH))
      cache = new Map(Object.entries(JSON.parse(readFileSync(YAML_CACHE_PATH, 'utf8')) as Record<string, Entry>));
  } catch {
    // A damaged cache is only slower: every file is parsed.
  }
  return cache;
}

/** The YAML library, loaded only when a file has to be parsed. */
function parseYamlText(text: string): unknown {
  const yaml = require('yaml') as { parse: typeof parse };
  return yaml.parse(text);
}

let zodModule: typeof Zod | undefined;
let zodVersion: string | undefined;

/** zod, loaded only when a file has to be validated. */
export function zod(): typeof Zod {
  return (zodModule ??= require('zod') as typeof Zod);
}

/** Whether this process has loaded zod: not when every file it read was in the build's cache. */
export function zodLoaded(): boolean {
  return zodModule !== undefined;
}

/**
 * What identifies the schemas a module defines: a hash of that module's text as it runs (the
 * built .js, or the .ts under the tests) and zod's version.
 */
export function schemaCode(moduleUrl: string): string {
  zodVersion ??= (require('zod/package.json') as { version: string }).version;
  return `${hashOf(readFileSync(fileURLToPath(moduleUrl)))} zod ${zodVersion}`;
}

/**
 * `text` (the contents of `path`) parsed: from the build's cache when it holds this very text.
 */
export function parseYamlCached(path: string, text: string): unknown {
  const key = relative(ROOT, path);
  const hit = loaded().get(key);
  // A copy: no caller shares a value with another.
  if (hit && hit.hash === hashOf(text)) return structuredClone(hit.value);
  return parseYamlText(text);
}

/**
 * `text` (the contents of `path`) as `validate` makes it of the parsed value (which throws on
 * invalid data): from the build's cache when it holds this very text validated by the schema
 * `schemaId` (a name and `schemaCode`), else parsed and validated now.
 */
export function parseYamlChecked<T>(
  path: string,
  text: string,
  schemaId: string,
  validate: (parsed: () => unknown) => T,
): T {
  const key = relative(ROOT, path);
  const hash = hashOf(text);
  const hit = loaded().get(key);
  if (hit?.hash === hash && hit.checked && Object.hasOwn(hit.checked, schemaId)) {
    const value = structuredClone(hit.checked[schemaId]) as T;
    keep(key, hash, schemaId, value);
    return value;
  }
  const value = validate(() => parseYamlCached(path, text));
  keep(key, hash, schemaId, value);
  return value;
}

function keep(key: string, hash: string, schemaId: string, value: unknown): void {
  if (!checkedNow) return;
  let file = checkedNow.get(key);
  if (file?.hash !== hash) checkedNow.set(key, (file = { hash, checked: {} }));
  // A copy as it is now: the caller's value may be changed later.
  file.checked[schemaId] = structuredClone(value);
}

/** Build step: from now on, keep every validated value for `writeYamlCache`. */
export function keepChecked(): void {
  checkedNow ??= new Map();
}

/**
 * Build step: parses `paths` and writes the cache, with the values validated since `keepChecked`;
 * a file that does not parse is left out (loading names it). Returns the files and validated values written.
 */
export function writeYamlCache(paths: readonly string[]): { files: number; checked: number } {
  const out: Record<string, Entry> = {};
  let checked = 0;
  for (const path of paths) {
    const text = readFileSync(path, 'utf8');
    const key = relative(ROOT, path);
    let value: unknown;
    try {
      value = parseYamlText(text);
    } catch {
      continue;
    }
    const entry: Entry = { hash: hashOf(text), value };
    const kept = checkedNow?.get(key);
    if (kept?.hash === entry.hash) {
      entry.checked = kept.checked;
      checked += Object.keys(kept.checked).length;
    }
    out[key] = entry;
  }
  writeFileSync(YAML_CACHE_PATH, JSON.stringify(out));
  return { files: Object.keys(out).length, checked };
}
