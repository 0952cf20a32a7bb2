/**
 * The intents data: every example in intents/*.yaml is understood as its own intent, and broken
 * copies of the folder stop loading with a DataError naming the file, the field and the reason.
 */
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DataError } from '../../src/errors.js';
import { INTENTS_FORMAT, loadIntents } from '../../src/answer/intents.js';
import { INTENTS_DIR } from '../../src/paths.js';
import { understand } from '../../src/understand/understand.js';
import { CORE_INTENTS } from '../../src/types.js';
import { CODE_CONCEPTS, CODE_INTENTS } from '../../src/understand/names.js';

const set = loadIntents();

describe('intents/ as shipped', () => {
  it('has the required intents, with the three core ones marked core', () => {
    const ids = set.intents.map((i) => i.intent);
    for (const id of [
      'deregister',
      'forgot_password',
      'lost_record_number',
      'greeting',
      'thanks',
      'help',
      'public_security_filing',
    ]) {
      expect(ids).toContain(id);
    }
    const core = set.intents
      .filter((i) => i.core)
      .map((i) => i.intent)
      .sort();
    expect(core).toEqual([...CORE_INTENTS].sort());
  });

  it('says deregister needs a province', () => {
    expect(set.intents.find((i) => i.intent === 'deregister')?.needs).toEqual(['province']);
  });

  it('has examples in English and Chinese for every intent', () => {
    for (const i of set.intents) {
      expect(i.examples.en.length, i.intent).toBeGreaterThan(0);
      expect(i.examples.zh.length, i.intent).toBeGreaterThan(0);
    }
  });

  const examples = set.intents.flatMap((i) => [
    ...i.examples.en.map((text) => ({ intent: i.intent, lang: 'en', text })),
    ...i.examples.zh.map((text) => ({ intent: i.intent, lang: 'zh', text })),
  ]);

  it.each(examples)('$intent ($lang): "$text"', ({ intent, lang, text }) => {
    const u = understand(text);
    expect(u.intent).toBe(intent);
    // "in Chinese please" is answered in the language it asks for.
    if (intent !== 'language') expect(u.lang).toBe(lang);
  });
});

describe('broken intents folders', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** A fresh copy of intents/ that `edit` breaks; returns the error loading it throws. */
  function loadBroken(edit: (dir: string) => void): DataError {
    const dir = mkdtempSync(join(tmpdir(), 'icp-intents-'));
    dirs.push(dir);
    cpSync(INTENTS_DIR, dir, { recursive: true });
    edit(dir);
    try {
      loadIntents(dir);
    } catch (err) {
      expect(err).toBeInstanceOf(DataError);
      return err as DataError;
    }
    throw new Error('loadIntents accepted a broken folder');
  }

  const editYaml = (dir: string, file: string, change: (doc: Record<string, unknown>) => void) => {
    const path = join(dir, file);
    const doc = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    change(doc);
    writeFileSync(path, stringify(doc));
  };

  it.each(CODE_CONCEPTS)('names the file and the concept when %s, which the code reads, is renamed', (name) => {
    const err = loadBroken((d) =>
      editYaml(d, 'lexicon.yaml', (doc) => {
        const concepts = doc['concepts'] as Record<string, unknown>;
        concepts[`${name}_renamed`] = concepts[name];
        delete concepts[name];
      }),
    );
    expect([err.file, err.field]).toEqual(['intents/lexicon.yaml', `concepts.${name}`]);
    expect(err.reason).toContain('the code reads this concept by name');
  });

  it.each(CODE_INTENTS)('names the file when the %s intent, which the code names, is missing', (id) => {
    const err = loadBroken((d) => unlinkSync(join(d, `${id}.yaml`)));
    expect([err.file, err.field]).toEqual(['intents/', `${id}.yaml`]);
  });

  it('loads an unchanged copy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-intents-'));
    dirs.push(dir);
    cpSync(INTENTS_DIR, dir, { recursive: true });
    expect(loadIntents(dir).intents.length).toBe(set.intents.length);
  });

  it('rejects a rule with an unknown concept', () => {
    const err = loadBroken((d) =>
      editYaml(d, 'thanks.yaml', (doc) => {
        doc['rules'] = [
          { all: ['thanks'], confidence: 0.6 },
          { all: ['no_such_concept'], confidence: 0.5 },
        ];
      }),
    );
    expect(err.file).toBe('intents/thanks.yaml');
    expect(err.field).toBe('rules[1].all');
    expect(err.reason).toContain('no_such_concept');
    expect(err.message).toContain('intents/thanks.yaml');
  });

  it('rejects an unknown concept in `none` too', () => {
    const err = loadBroken((d) =>
      editYaml(d, 'help.yaml', (doc) => {
        doc['rules'] = [{ all: ['help'], none: ['nope'], confidence: 0.6 }];
      }),
    );
    expect(err.file).toBe('intents/help.yaml');
    expect(err.field).toBe('rules[0].none');
    expect(err.reason).toContain('"nope"');
  });

  it('rejects an unknown concept in `any`, and a rule with no concept at all', () => {
    const any = loadBroken((d) =>
      editYaml(d, 'help.yaml', (doc) => (doc['rules'] = [{ any: ['nope'], confidence: 0.6 }])),
    );
    expect(any.field).toBe('rules[0].any');
    const empty = loadBroken((d) =>
      editYaml(d, 'help.yaml', (doc) => (doc['rules'] = [{ none: ['help'], confidence: 0.6 }])),
    );
    expect(empty.field).toBe('rules[0]');
    expect(empty.reason).toContain('at least one concept');
  });

  it('requires intents/precedence.yaml to list every intent exactly once', () => {
    const missing = loadBroken((d) =>
      editYaml(
        d,
        'precedence.yaml',
        (doc) => (doc['order'] = (doc['order'] as string[]).filter((i) => i !== 'thanks')),
      ),
    );
    expect(missing).toMatchObject({ file: 'intents/precedence.yaml', field: 'order' });
    expect(missing.reason).toContain('thanks');
    const twice = loadBroken((d) =>
      editYaml(d, 'precedence.yaml', (doc) => (doc['order'] = [...(doc['order'] as string[]), 'thanks'])),
    );
    expect(twice.reason).toContain('listed twice');
    const unknown = loadBroken((d) =>
      editYaml(d, 'precedence.yaml', (doc) => (doc['order'] = [...(doc['order'] as string[]), 'nope'])),
    );
    expect(unknown.reason).toContain('not an intent');
  });

  it('rejects an unknown concept in negatable', () => {
    const err = loadBroken((d) => editYaml(d, 'lexicon.yaml', (doc) => (doc['negatable'] = ['dereg_weak', 'nope'])));
    expect(err).toMatchObject({ file: 'intents/lexicon.yaml', field: 'negatable[1]' });
  });

  it('rejects a file whose name is not its intent id', () => {
    const err = loadBroken((d) => renameSync(join(d, 'greeting.yaml'), join(d, 'hello.yaml')));
    expect(err.file).toBe('intents/hello.yaml');
    expect(err.field).toBe('intent');
    expect(err.reason).toContain('file name');
  });

  it('rejects a file that is not valid YAML', () => {
    const err = loadBroken((d) => writeFileSync(join(d, 'thanks.yaml'), 'format: 1\nintent: [thanks\n  rules: {\n'));
    expect(err.file).toMatch(/thanks\.yaml$/);
    expect(err.reason).toMatch(/not valid YAML/);
  });

  it('rejects a word of the English word list that is not a lower-case word, naming its line', () => {
    for (const bad of ['Hello', 'abc1', 'tab\there']) {
      const err = loadBroken((d) => {
        const path = join(d, 'english-words.txt');
        const lines = readFileSync(path, 'utf8').split('\n');
        lines.splice(20, 0, `aardvark  ${bad} zebra`);
        writeFileSync(path, lines.join('\n'));
      });
      expect(err.file).toBe('intents/english-words.txt');
      expect(err.field).toBe('line 21');
      expect(err.reason).toBe(`"${bad}" is not a lower-case word`);
    }
  });

  it('rejects a wrong format version', () => {
    const err = loadBroken((d) =>
      editYaml(d, 'help.yaml', (doc) => {
        doc['format'] = INTENTS_FORMAT + 1;
      }),
    );
    expect(err.file).toMatch(/help\.yaml$/);
    expect(err.field).toBe('format');
    expect(err.reason).toContain(`format must be ${INTENTS_FORMAT}`);
  });

  it('rejects a wrong format version of the lexicon', () => {
    const err = loadBroken((d) =>
      editYaml(d, 'lexicon.yaml', (doc) => {
        doc['format'] = 'one';
      }),
    );
    expect(err.file).toMatch(/lexicon\.yaml$/);
    expect(err.field).toBe('format');
  });

  it('rejects a rule confidence out of range, naming the rule', () => {
    const err = loadBroken((d) =>
      editYaml(d, 'thanks.yaml', (doc) => {
        doc['rules'] = [{ all: ['thanks'], confidence: 1.5 }];
      }),
    );
    expect(err.file).toMatch(/thanks\.yaml$/);
    expect(err.field).toBe('rules[0].confidence');
    expect(err.reason.length).toBeGreaterThan(0);
  });

  it('rejects an unknown field (strict schema)', () => {
    const err = loadBroken((d) =>
      editYaml(d, 'greeting.yaml', (doc) => {
        doc['answer'] = 'hi';
      }),
    );
    expect(err.file).toMatch(/greeting\.yaml$/);
    expect(err.message).toContain('answer');
  });

  it('rejects a badly named concept in the lexicon', () => {
    const err = loadBroken((d) =>
      editYaml(d, 'lexicon.yaml', (doc) => {
        (doc['concepts'] as Record<string, unknown>)['Bad-Name'] = { en: ['x'] };
      }),
    );
    expect(err.file).toMatch(/lexicon\.yaml$/);
    expect(err.field).toBe('concepts.Bad-Name');
  });

  // Known bug: zod 4 reports a bad record key as "Invalid key in record" and drops the schema's
  // own message ("concept names are lowercase words joined by _"). Flip to `it` once fixed.
  it('says why a concept name is bad', () => {
    const err = loadBroken((d) =>
      editYaml(d, 'lexicon.yaml', (doc) => {
        (doc['concepts'] as Record<string, unknown>)['Bad-Name'] = { en: ['x'] };
      }),
    );
    expect(err.reason).toContain('lowercase');
  });

  it('requires the deregister intent', () => {
    const err = loadBroken((d) => unlinkSync(join(d, 'deregister.yaml')));
    expect(err.field).toBe('deregister.yaml');
    expect(err.reason).toContain('required');
  });

  it('names a missing lexicon', () => {
    const err = loadBroken((d) => unlinkSync(join(d, 'lexicon.yaml')));
    expect(err.file).toMatch(/lexicon\.yaml$/);
    expect(err.reason).toContain('cannot read');
  });
});
