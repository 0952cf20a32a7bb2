/**
 * The build's YAML cache is used only for the very text it was made from: an edited file is parsed.
 * Its validated values are used only for that text and the very schema code that validated it, and
 * are exactly what validating gives.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadHant } from '../../src/answer/hant.js';
import { loadIntents } from '../../src/answer/intents.js';
import { loadRegistry } from '../../src/answer/registry.js';
import { parseYamlCached, parseYamlChecked, YAML_CACHE_PATH } from '../../src/answer/yaml-cache.js';
import { INTENTS_DIR, ROOT } from '../../src/paths.js';

describe('the YAML cache', () => {
  const path = join(INTENTS_DIR, 'precedence.yaml');
  const text = readFileSync(path, 'utf8');

  it('gives what the text parses to, a fresh copy each time', () => {
    expect(existsSync(YAML_CACHE_PATH)).toBe(true);
    const a = parseYamlCached(path, text);
    expect(a).toEqual(parse(text));
    expect(parseYamlCached(path, text)).not.toBe(a);
  });

  it('parses a text other than the one cached', () => {
    const edited = `${text}\nextra: 1\n`;
    expect(parseYamlCached(path, edited)).toEqual(parse(edited));
  });
});

describe('the validated values in the YAML cache', () => {
  const path = join(INTENTS_DIR, 'precedence.yaml');
  const text = readFileSync(path, 'utf8');
  const cached = JSON.parse(readFileSync(YAML_CACHE_PATH, 'utf8')) as Record<
    string,
    { checked?: Record<string, unknown> }
  >;
  const [schemaId, value] = Object.entries(cached['intents/precedence.yaml']?.checked ?? {})[0] ?? [];
  const notCalled = (): never => {
    throw new Error('validated again');
  };

  it('are given for the text and schema the build validated, a fresh copy each time', () => {
    expect(schemaId).toMatch(/^precedenceFile /);
    const a = parseYamlChecked(path, text, schemaId!, notCalled);
    expect(a).toEqual(value);
    expect(parseYamlChecked(path, text, schemaId!, notCalled)).not.toBe(a);
  });

  it('are not given for another text, or another schema or its code', () => {
    const edited = `${text}\nextra: 1\n`;
    expect(parseYamlChecked(path, edited, schemaId!, (parsed) => ({ again: parsed() }))).toEqual({
      again: parse(edited),
    });
    expect(parseYamlChecked(path, text, `${schemaId!}x`, () => 'again')).toBe('again');
  });

  it('are exactly what validating gives, and the built loaders never load zod for them', async () => {
    // The built modules: their schema code is the one the build validated with, so they read the
    // cache; these tests' modules (TypeScript, another text) validate every file with zod.
    const built = (path: string) => pathToFileURL(join(ROOT, 'dist', 'src', path)).href;
    const dist = {
      registry: (await import(built('answer/registry.js'))) as { loadRegistry: typeof loadRegistry },
      intents: (await import(built('answer/intents.js'))) as { loadIntents: typeof loadIntents },
      hant: (await import(built('answer/hant.js'))) as { loadHant: typeof loadHant },
      cache: (await import(built('answer/yaml-cache.js'))) as { zodLoaded: () => boolean },
    };
    expect(dist.intents.loadIntents()).toStrictEqual(loadIntents());
    expect(dist.registry.loadRegistry()).toStrictEqual(loadRegistry());
    expect(dist.hant.loadHant()).toStrictEqual(loadHant());
    expect(dist.cache.zodLoaded()).toBe(false);
  });
});
