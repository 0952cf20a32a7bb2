/**
 * The build's YAML cache is used only for the very text it was made from: an edited file is parsed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseYamlCached, YAML_CACHE_PATH } from '../../src/answer/yaml-cache.js';
import { INTENTS_DIR } from '../../src/paths.js';

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
