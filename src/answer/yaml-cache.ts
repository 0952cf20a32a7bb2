/**
 * Parsing the YAML of data/ and intents/ was most of every start-up (about 0.5 s, and its garbage
 * much of the peak RSS): the build writes what each file parses to, keyed by the hash of its text,
 * and a process takes the parsed value from there when the text is the one hashed. A file edited
 * since the build, or one the build never saw, is parsed as before; the cache can never be stale.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import type { parse } from 'yaml';
import { ROOT } from '../paths.js';

export const YAML_CACHE_PATH = join(ROOT, 'dist', 'yaml-cache.json');

interface Entry {
  hash: string;
  value: unknown;
}

let cache: Map<string, Entry> | null = null;

const hashOf = (text: string): string => createHash('sha256').update(text).digest('base64');

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
  const yaml = createRequire(import.meta.url)('yaml') as { parse: typeof parse };
  return yaml.parse(text);
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

/** Build step: parses `paths` and writes the cache; a file that does not parse is left out (loading names it). */
export function writeYamlCache(paths: readonly string[]): number {
  const out: Record<string, Entry> = {};
  for (const path of paths) {
    const text = readFileSync(path, 'utf8');
    try {
      out[relative(ROOT, path)] = { hash: hashOf(text), value: parseYamlText(text) };
    } catch {
      continue;
    }
  }
  writeFileSync(YAML_CACHE_PATH, JSON.stringify(out));
  return Object.keys(out).length;
}
