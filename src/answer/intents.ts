/**
 * Intents and their words, from intents/*.yaml: the concept lexicon, and one file per intent with
 * the rules that combine concepts, its examples and what its answer needs. Loaded once, validated.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import type * as Zod from 'zod';
import { DataError } from '../errors.js';
import { CODE_CONCEPTS, CODE_INTENTS } from '../understand/names.js';
import { INTENTS_DIR } from '../paths.js';
import { schemaReader, validate } from './registry.js';

export const INTENTS_FORMAT = 1;
/** Concepts found by the place finder rather than by words. */
const PLACE_CONCEPTS = ['@province', '@record_number'] as const;

/** The schemas of intents/, built on first use: a process whose files the build already validated never loads zod (yaml-cache.ts). */
function makeSchemas({ z }: typeof Zod) {
  const term = z.string().trim().min(1, 'must not be empty');
  const lexiconFile = z.strictObject({
    format: z.literal(INTENTS_FORMAT, { error: `format must be ${INTENTS_FORMAT}` }),
    // Concept names are checked after parsing, so the error can say what is wrong with one.
    concepts: z.record(z.string(), z.strictObject({ en: z.array(term).default([]), zh: z.array(term).default([]) })),
    common_words: z.array(term).default([]),
    /** Concepts not counted right after a negation_action word ("without cancelling"). */
    negatable: z.array(term).default([]),
    /** Concepts whose Chinese terms also match by sound (a homophone typo: 备按号 for 备案号). */
    by_sound: z.array(term).default([]),
    /** A concept that counts only within so many words (English) or characters (Chinese) of another. */
    near: z
      .record(
        term,
        z.strictObject({
          concept: term,
          words: z.number().int().min(1).max(10),
          characters: z.number().int().min(1).max(30),
        }),
      )
      .default({}),
  });

  /**
   * A rule matches when the text has every concept of `all`, at least one of `any` (when given) and
   * none of `none`. Which intent wins is decided by intents/precedence.yaml, not by `confidence`:
   * that is only how sure the bot is when this rule decides.
   */
  const rule = z
    .strictObject({
      all: z.array(term).default([]),
      any: z.array(term).default([]),
      none: z.array(term).default([]),
      confidence: z.number().gt(0).max(1),
      /** The bot asks before answering ("forgot password" alone: the filing password?). */
      confirm: z.boolean().default(false),
      /** Exact by construction (an ICP证 number, 公安备案): the classifier never overrules it. */
      firm: z.boolean().default(false),
    })
    .refine((r) => r.all.length + r.any.length > 0, 'a rule needs at least one concept in all or any');
  const precedenceFile = z.strictObject({
    format: z.literal(INTENTS_FORMAT, { error: `format must be ${INTENTS_FORMAT}` }),
    /** Every intent once; when rules of several intents match, the first listed wins. */
    order: z.array(z.string().regex(/^[a-z_]+$/)).min(1),
  });
  const intentFile = z.strictObject({
    format: z.literal(INTENTS_FORMAT, { error: `format must be ${INTENTS_FORMAT}` }),
    intent: z.string().regex(/^[a-z_]+$/, 'intent ids are lowercase words joined by _'),
    /** Core intents are scored as themselves in evaluations; the others count as `other`. */
    core: z.boolean(),
    needs: z.array(z.enum(['province'])).default([]),
    /**
     * Answered in short beside the main answer when a message asks it too ("You also asked…"):
     * true; "side" for a side question (the kinds, the public-security filing), which gives way as
     * the main ask to a core need asked in a sentence of its own; "about" for a question about a
     * core procedure (how long, what it costs, the 12381 text), which gives way to any core need
     * the message names ("备案密码找回要多久": the password, and how long).
     */
    alongside: z.union([z.boolean(), z.enum(['side', 'about'])]).default(false),
    /**
     * A sentence about it often only tells the background of another need ("we moved the site to
     * AWS", "our filing was approved last month"): such a sentence is a need of its own only when it
     * asks, requests or says what is wrong. Side questions are read so whatever this says.
     */
    background: z.boolean().default(false),
    /**
     * A forgotten filing password or a lost record number said in the same message holds it up (moving
     * provider, changing details): the blocker is the main ask, unless the message asks it as a
     * separate matter ("…另外备案号也找不到了", "Also, the password is lost"). The deregistration is
     * always held up so, even asked separately (the label rules).
     */
    held_up: z.boolean().default(false),
    /** Topic in data/topics.yaml that answers this intent, for intents answered by one text. */
    reply: term.optional(),
    rules: z.array(rule).min(1),
    examples: z.strictObject({ en: z.array(term).default([]), zh: z.array(term).default([]) }),
  });

  return { lexiconFile, precedenceFile, intentFile };
}

type Schemas = ReturnType<typeof makeSchemas>;
const readData = schemaReader(import.meta.url, makeSchemas);

export type Lexicon = z.infer<Schemas['lexiconFile']>;
export type IntentSpec = z.infer<Schemas['intentFile']>;

/** The intent may be answered beside another, and so offered as a reading in a question back. */
export const isAlongside = (spec: IntentSpec): boolean => spec.alongside !== false;
export interface IntentSet {
  lexicon: Lexicon;
  /** In precedence order: when rules of several intents match, the first wins. */
  intents: IntentSpec[];
  /** Real English words (never typo-corrected), from intents/english-words.txt. */
  englishWords: ReadonlySet<string>;
}

const LETTERS_AND_SPACES = /^[a-z ]*$/;

/** Reads the word list: `# format: 1` first, `#` comment lines, then words separated by spaces. */
function loadEnglishWords(path: string): Set<string> {
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
    // A line of letters and spaces holds only good words: one test a line, not one a word (72,000 of them).
    const checked = LETTERS_AND_SPACES.test(line);
    for (const w of line.split(' ')) {
      if (!w) continue;
      if (!checked && !/^[a-z]+$/.test(w))
        throw new DataError(file, `line ${i + 1}`, `"${w.slice(0, 40)}" is not a lower-case word`);
      words.add(w);
    }
  });
  return words;
}

let loaded: { dir: string; signature: string; set: IntentSet } | null = null;

/**
 * The intents of `dir`, read once per process while its files stay as they were (names, sizes,
 * times): the understanding, the answers and the classifier each ask for them at start-up, and
 * reading and validating them (the word list too) was a third of it. Callers do not change the set.
 */
export function loadIntents(dir: string = INTENTS_DIR): IntentSet {
  const signature = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.txt'))
    .sort()
    .map((f) => {
      const st = statSync(join(dir, f));
      return `${f}:${st.size}:${st.mtimeMs}`;
    })
    .join('|');
  if (loaded?.dir === dir && loaded.signature === signature) return loaded.set;
  const set = readIntents(dir);
  loaded = { dir, signature, set };
  return set;
}

function readIntents(dir: string): IntentSet {
  const lexPath = join(dir, 'lexicon.yaml');
  const lexicon = readData(lexPath, 'lexiconFile', (s, v) => validate(s.lexiconFile, v, lexPath));
  for (const c of CODE_CONCEPTS) {
    if (!(c in lexicon.concepts))
      throw new DataError('intents/lexicon.yaml', `concepts.${c}`, 'missing: the code reads this concept by name');
  }
  for (const field of ['negatable', 'by_sound'] as const) {
    lexicon[field].forEach((c, i) => {
      if (!(c in lexicon.concepts))
        throw new DataError('intents/lexicon.yaml', `${field}[${i}]`, `unknown concept "${c}"`);
    });
  }
  for (const [c, { concept }] of Object.entries(lexicon.near)) {
    for (const name of [c, concept]) {
      if (!(name in lexicon.concepts))
        throw new DataError('intents/lexicon.yaml', `near.${c}`, `unknown concept "${name}"`);
    }
  }
  for (const name of Object.keys(lexicon.concepts)) {
    if (!/^[a-z_]+$/.test(name)) {
      throw new DataError('intents/lexicon.yaml', `concepts.${name}`, 'concept names are lowercase words joined by _');
    }
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'lexicon.yaml' && f !== 'precedence.yaml')
    .sort();
  const intents = files.map((f) => {
    const path = join(dir, f);
    const spec = readData(path, 'intentFile', (s, v) => validate(s.intentFile, v, path));
    const file = `intents/${f}`;
    if (`${spec.intent}.yaml` !== f) throw new DataError(file, 'intent', `must match the file name (${f})`);
    spec.rules.forEach((r, i) => {
      for (const [field, names] of [
        ['all', r.all],
        ['any', r.any],
        ['none', r.none],
      ] as const) {
        for (const c of names) {
          if (!(c in lexicon.concepts) && !(PLACE_CONCEPTS as readonly string[]).includes(c)) {
            throw new DataError(file, `rules[${i}].${field}`, `unknown concept "${c}" (not in intents/lexicon.yaml)`);
          }
        }
      }
    });
    return spec;
  });
  for (const id of CODE_INTENTS) {
    if (!intents.some((i) => i.intent === id))
      throw new DataError('intents/', `${id}.yaml`, `the ${id} intent is required: the code names it`);
  }
  return {
    lexicon,
    intents: inPrecedence(intents, dir),
    englishWords: loadEnglishWords(join(dir, 'english-words.txt')),
  };
}

/** The intents in the order of intents/precedence.yaml, which must name each exactly once. */
function inPrecedence(intents: IntentSpec[], dir: string): IntentSpec[] {
  const path = join(dir, 'precedence.yaml');
  const { order } = readData(path, 'precedenceFile', (s, v) => validate(s.precedenceFile, v, path));
  const byId = new Map(intents.map((i) => [i.intent, i]));
  order.forEach((id, i) => {
    if (!byId.has(id))
      throw new DataError('intents/precedence.yaml', `order[${i}]`, `"${id}" is not an intent (no intents/${id}.yaml)`);
    if (order.indexOf(id) !== i)
      throw new DataError('intents/precedence.yaml', `order[${i}]`, `"${id}" is listed twice`);
  });
  const missing = intents.find((i) => !order.includes(i.intent));
  if (missing) throw new DataError('intents/precedence.yaml', 'order', `must list "${missing.intent}"`);
  return order.map((id) => byId.get(id)!);
}
