/**
 * Intents and their words, from intents/*.yaml: the concept lexicon, and one file per intent with
 * the rules that combine concepts, its examples and what its answer needs. Loaded once, validated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { DataError } from './errors.js';
import { INTENTS_DIR } from './paths.js';
import { readYaml, validate } from './registry.js';

export const INTENTS_FORMAT = 1;
/** Concepts found by the place finder rather than by words. */
export const PLACE_CONCEPTS = ['@province', '@record_number'] as const;

const term = z.string().trim().min(1, 'must not be empty');
const lexiconFile = z.strictObject({
  format: z.literal(INTENTS_FORMAT, { error: `format must be ${INTENTS_FORMAT}` }),
  // Concept names are checked after parsing, so the error can say what is wrong with one.
  concepts: z.record(z.string(), z.strictObject({ en: z.array(term).default([]), zh: z.array(term).default([]) })),
  common_words: z.array(term).default([]),
});

const rule = z.strictObject({
  all: z.array(term).min(1, 'a rule needs at least one concept'),
  none: z.array(term).default([]),
  score: z.number().gt(0).max(1),
});
const intentFile = z.strictObject({
  format: z.literal(INTENTS_FORMAT, { error: `format must be ${INTENTS_FORMAT}` }),
  intent: z.string().regex(/^[a-z_]+$/, 'intent ids are lowercase words joined by _'),
  /** Core intents are scored as themselves in evaluations; the others count as `other`. */
  core: z.boolean(),
  needs: z.array(z.enum(['province'])).default([]),
  /** Topic in data/topics.yaml that answers this intent, for intents answered by one text. */
  reply: term.optional(),
  rules: z.array(rule).min(1),
  examples: z.strictObject({ en: z.array(term).default([]), zh: z.array(term).default([]) }),
});

export type Lexicon = z.infer<typeof lexiconFile>;
export type IntentSpec = z.infer<typeof intentFile>;
export interface IntentSet {
  lexicon: Lexicon;
  intents: IntentSpec[];
  /** Real English words (never typo-corrected), from intents/english-words.txt. */
  englishWords: ReadonlySet<string>;
}

/** Reads the word list: `# format: 1` first, `#` comment lines, then words separated by spaces. */
export function loadEnglishWords(path: string): Set<string> {
  const file = `intents/${basename(path)}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new DataError(file, '', `cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const lines = text.split('\n');
  if (lines[0]?.trim() !== `# format: ${INTENTS_FORMAT}`) {
    throw new DataError(file, 'line 1', `must be "# format: ${INTENTS_FORMAT}"`);
  }
  const words = new Set<string>();
  lines.forEach((line, i) => {
    if (line.startsWith('#')) return;
    for (const w of line.split(' ')) {
      if (!w) continue;
      if (!/^[a-z]+$/.test(w)) throw new DataError(file, `line ${i + 1}`, `"${w.slice(0, 40)}" is not a lower-case word`);
      words.add(w);
    }
  });
  return words;
}

export function loadIntents(dir: string = INTENTS_DIR): IntentSet {
  const lexPath = join(dir, 'lexicon.yaml');
  const lexicon = validate(lexiconFile, readYaml(lexPath), lexPath);
  for (const name of Object.keys(lexicon.concepts)) {
    if (!/^[a-z_]+$/.test(name)) {
      throw new DataError('intents/lexicon.yaml', `concepts.${name}`, 'concept names are lowercase words joined by _');
    }
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'lexicon.yaml')
    .sort();
  const intents = files.map((f) => {
    const path = join(dir, f);
    const spec = validate(intentFile, readYaml(path), path);
    const file = `intents/${f}`;
    if (`${spec.intent}.yaml` !== f) throw new DataError(file, 'intent', `must match the file name (${f})`);
    spec.rules.forEach((r, i) => {
      for (const [field, names] of [['all', r.all], ['none', r.none]] as const) {
        for (const c of names) {
          if (!(c in lexicon.concepts) && !(PLACE_CONCEPTS as readonly string[]).includes(c)) {
            throw new DataError(file, `rules[${i}].${field}`, `unknown concept "${c}" (not in intents/lexicon.yaml)`);
          }
        }
      }
    });
    return spec;
  });
  if (!intents.some((i) => i.intent === 'deregister')) {
    throw new DataError('intents/', 'deregister.yaml', 'the deregister intent is required');
  }
  return { lexicon, intents, englishWords: loadEnglishWords(join(dir, 'english-words.txt')) };
}
