/**
 * The registry: provinces and their deregistration routes, topic texts and links, and the
 * character table used to read Traditional Chinese. Loaded once from data/ and validated; a broken
 * file stops start-up with the file, the field and the reason.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { z } from 'zod';
import type * as Zod from 'zod';
import { DataError } from '../errors.js';
import { englishKey } from '../understand/normalize.js';
import { DATA_DIR, ROOT } from '../paths.js';
import { parseYamlCached, parseYamlChecked, schemaCode, zod } from './yaml-cache.js';

const DATA_FORMAT = 1;
/** data/topics.yaml: 2 since answers became a summary, details and a source line. */
export const TOPICS_FORMAT = 2;

/** The schemas of data/, built on first use: a process whose files the build already validated never loads zod (yaml-cache.ts). */
function makeSchemas({ z }: typeof Zod) {
  const nonEmpty = z.string().trim().min(1, 'must not be empty');
  const bilingual = z.strictObject({ en: nonEmpty, zh: nonEmpty });
  const phrase = nonEmpty.refine((s) => !/[.。]$/.test(s), 'is a phrase inside a sentence: no full stop at the end');
  const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
  const cleanUrl = z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .refine((u) => !/;jsessionid=/i.test(u), 'must not contain a jsessionid (stale server session)')
    .refine((u) => !/[?&](spm|utm_[a-z]+)=/i.test(u), 'must not contain tracking parameters (spm, utm_*)');

  const city = z.strictObject({
    zh: nonEmpty,
    /** English name; left out where two provinces share the romanisation and this is the lesser city. */
    en: nonEmpty.optional(),
  });

  const source = z.strictObject({
    /** Key into `sources` of this file. */
    ref: nonEmpty,
    /** The date the entry was taken from that source. */
    taken: isoDate,
  });

  const route = z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('form'), url: cleanUrl, source }),
    z.strictObject({
      kind: z.literal('online'),
      url: cleanUrl,
      /** A phrase that goes inside a sentence of the answer ("an account on its system is needed first"). */
      note: z.strictObject({ en: phrase, zh: phrase }),
      source,
    }),
  ]);

  const province = z.strictObject({
    id: z.string().regex(/^[a-z]+$/, 'must be lowercase ascii letters'),
    name: bilingual,
    /** The full Chinese name: 浙江省, 北京市, 内蒙古自治区, 广西壮族自治区 (as in 浙江省通信管理局). */
    fullZh: nonEmpty,
    pinyin: nonEmpty,
    /** Other English names and known misspellings ("Inner Mongolia", "Jinlin", "Shensi"). */
    aliasesEn: z.array(nonEmpty).default([]),
    /** Other Chinese names besides name.zh and its 省/市/自治区 forms (e.g. 内蒙). */
    aliasesZh: z.array(nonEmpty).default([]),
    /** Everyday one-character abbreviation(s), e.g. ["川"]. */
    abbr: z.array(z.string().length(1, 'must be one character')).min(1),
    /** Character(s) that start ICP record numbers; the first is the one the bot writes (蜀 for Sichuan). */
    icpPrefix: z.array(z.string().length(1, 'must be one character')).min(1),
    cities: z.array(city).default([]),
    deregistration: route,
  });

  const provincesFile = z.strictObject({
    format: z.literal(DATA_FORMAT, { error: `format must be ${DATA_FORMAT}` }),
    /** Chinese words that contain a place name or abbreviation but are not places. */
    notPlaces: z.array(nonEmpty).default([]),
    /** Provinces whose names are one letter apart: a city of one settles a misspelt name of the other. */
    nearPairs: z.array(z.array(nonEmpty).min(2)).default([]),
    /** Latin initials of big cities (gz, sz) → their provinces, besides each province's own initials. */
    cityInitials: z.record(z.string(), z.array(nonEmpty).min(1)).default({}),
    sources: z.record(
      nonEmpty,
      z.strictObject({ title: nonEmpty, publisher: nonEmpty, url: cleanUrl.optional(), note: nonEmpty.optional() }),
    ),
    provinces: z.array(province).length(31, 'must list all 31 provincial-level regions'),
  });

  const link = z.strictObject({ url: cleanUrl, label: bilingual });

  /** A detail of a topic: a heading, paragraph, note, or a list of steps or bullets. */
  const part = z.union([
    z.strictObject({ paragraph: nonEmpty }),
    z.strictObject({ heading: nonEmpty }),
    z.strictObject({ steps: z.array(nonEmpty).min(1) }),
    z.strictObject({ bullets: z.array(nonEmpty).min(1) }),
    z.strictObject({ note: nonEmpty }),
  ]);

  /** A topic's text in one language: title, a summary of at most 4 lines, details, an agent-facing source line. */
  const topicText = z.strictObject({
    title: nonEmpty,
    summary: z.array(nonEmpty).min(1).max(4, 'a summary has at most 4 lines'),
    /** Lines of the summary the short form keeps ("You also asked"): 1 unless the first alone leaves the asker nothing to do. */
    short: z.number().int().min(1).max(4).default(1),
    details: z.array(part).default([]),
    source: nonEmpty.optional(),
    /** Button and picker labels by id (a did-you-mean's intents, the province picker's placeholder). */
    labels: z.record(z.string().regex(/^[a-z_]+$/, 'ids are lowercase words joined by _'), nonEmpty).default({}),
    /** Questions offered as buttons (the Home tab), under a heading; a button label is at most 75 characters. */
    examples: z.strictObject({ heading: nonEmpty, questions: z.array(nonEmpty.max(75)).min(1).max(5) }).optional(),
  });
  const topic = z.strictObject({ en: topicText, zh: topicText });

  const topicsFile = z.strictObject({
    format: z.literal(TOPICS_FORMAT, { error: `format must be ${TOPICS_FORMAT}` }),
    links: z.record(nonEmpty, link),
    /** Archived addresses (the seed's), shown only in agent-facing source lines. */
    archived: z.record(nonEmpty, z.strictObject({ url: cleanUrl, title: nonEmpty, source: nonEmpty })).default({}),
    topics: z.record(nonEmpty, topic),
  });

  const pairs = z.string().transform((s, ctx) => {
    const map: Record<string, string> = {};
    for (const pair of s.split(/\s+/).filter(Boolean)) {
      const chars = [...pair];
      if (chars.length !== 2) {
        ctx.addIssue({
          code: 'custom',
          message: `"${pair}" is not a pair of two characters (Traditional, Simplified)`,
        });
        return z.NEVER;
      }
      map[chars[0]!] = chars[1]!;
    }
    return map;
  });
  const variantsFile = z.strictObject({
    format: z.literal(DATA_FORMAT, { error: `format must be ${DATA_FORMAT}` }),
    /** "TS" pairs separated by spaces: Traditional (or variant) character, then its Simplified form. */
    traditional: pairs,
  });

  return { province, provincesFile, topicText, topicsFile, variantsFile };
}

type Schemas = ReturnType<typeof makeSchemas>;
const readData = schemaReader(import.meta.url, makeSchemas);

export type Province = z.infer<Schemas['province']>;
type ProvincesFile = z.infer<Schemas['provincesFile']>;
type TopicsFile = z.infer<Schemas['topicsFile']>;
export type TopicText = z.infer<Schemas['topicText']>;

/** A prefecture or county-level division from data/places.tsv. */
export interface Division {
  province: string;
  zh: string;
  /** Toned pinyin, syllables separated by spaces ("háng zhōu shì"). */
  pinyin: string;
  level: 'prefecture' | 'county';
}

export interface Registry {
  sources: ProvincesFile['sources'];
  provinces: Province[];
  notPlaces: string[];
  nearPairs: string[][];
  cityInitials: Record<string, string[]>;
  divisions: Division[];
  byId: ReadonlyMap<string, Province>;
  links: TopicsFile['links'];
  archived: TopicsFile['archived'];
  topics: TopicsFile['topics'];
  traditional: Readonly<Record<string, string>>;
}

/** Topics every answer path relies on; a missing one is a data error, not a crash later. */
export const REQUIRED_TOPICS = [
  'deregister',
  'deregister_admin_form',
  'deregister_admin_online',
  'deregister_entity',
  'deregister_site',
  'deregister_access',
  'forgot_password',
  'confirm_password',
  'console_password',
  'lost_record_number',
  'ask_province',
  'ask_province_ambiguous',
  'help',
  'fallback',
  'clarify',
  'also',
] as const;
export const REQUIRED_LINKS = ['notice_list', 'record_query', 'miit_home'] as const;
/** Placeholders src/answer/answer.ts fills in; any other {name} in a topic text must be a link. */
const TEXT_PLACEHOLDERS = [
  'province',
  'province_zh',
  'province_full_zh',
  'search',
  'note',
  'route',
  'archived_title',
  'archived_url',
  'publisher',
  'taken',
  'readings',
] as const;
/** The retired MIIT hosts: never in a topic text, only in archived source lines. */
const RETIRED_HOST = /miitbeian\.gov\.cn/i;

/** A data file's text and its name relative to the project; a file that cannot be read is a DataError naming it. */
function readText(path: string): { file: string; text: string } {
  const file = relative(ROOT, path);
  try {
    return { file, text: readFileSync(path, 'utf8') };
  } catch (err) {
    throw new DataError(file, '', `cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Reads and parses one YAML file; any failure becomes a DataError naming the file. */
export function readYaml(path: string): unknown {
  const { file, text } = readText(path);
  try {
    return parseYamlCached(path, text);
  } catch (err) {
    throw new DataError(file, '', `not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}

/**
 * Reads one YAML file and validates it (`validate` throws a DataError naming the field): from the
 * build's cache when it holds this text validated by the schema `schemaId` (yaml-cache.ts).
 */
export function readValidated<T>(path: string, schemaId: string, validate: (value: unknown) => T): T {
  const { file, text } = readText(path);
  return parseYamlChecked(path, text, schemaId, (parsed) => {
    let value: unknown;
    try {
      value = parsed();
    } catch (err) {
      throw new DataError(file, '', `not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    }
    return validate(value);
  });
}

/**
 * A reader of YAML files validated with the schemas `make` builds, which are built (and zod loaded)
 * only for a file the build's cache does not hold validated: `read(path, name, (s, value) => …)`,
 * `name` naming the check in the cache.
 */
export function schemaReader<S>(moduleUrl: string, make: (zod: typeof Zod) => S) {
  const code = schemaCode(moduleUrl);
  let schemas: S | undefined;
  return <T>(path: string, name: string, check: (s: S, value: unknown) => T): T =>
    readValidated(path, `${name} ${code}`, (value) => check((schemas ??= make(zod())), value));
}

/** Validates `value` with `schema`; the first issue becomes a DataError with a dotted field path. */
export function validate<T>(schema: z.ZodType<T>, value: unknown, path: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new DataError(relative(ROOT, path), fieldPath(value, issue.path), issue.message);
}

/** "provinces[3].deregistration.url", with the entry's id where there is one: "provinces[3](hebei).…". */
function fieldPath(root: unknown, path: PropertyKey[]): string {
  let out = '';
  let node: unknown = root;
  for (const key of path) {
    if (typeof key === 'number') {
      out += `[${key}]`;
      node = Array.isArray(node) ? node[key] : undefined;
      const id = node && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
      if (typeof id === 'string') out += `(${id})`;
    } else {
      out += (out ? '.' : '') + String(key);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key as string] : undefined;
    }
  }
  return out;
}

/** Cross-field checks the schema cannot express. */
function checkProvinces(data: ProvincesFile, file: string): void {
  const ids = new Set(data.provinces.map((p) => p.id));
  for (const [initials, list] of Object.entries(data.cityInitials)) {
    if (!/^[a-z]{2,3}$/.test(initials))
      throw new DataError(file, `cityInitials.${initials}`, 'initials are 2-3 lowercase letters');
    for (const id of list)
      if (!ids.has(id)) throw new DataError(file, `cityInitials.${initials}`, `unknown province "${id}"`);
  }
  const seen = new Map<string, string>();
  const claim = (key: string, owner: string, field: string) => {
    const prev = seen.get(key);
    if (prev && prev !== owner)
      throw new DataError(file, field, `"${key.slice(2)}" is used by both ${prev} and ${owner}`);
    seen.set(key, owner);
  };
  data.provinces.forEach((p, i) => {
    const at = `provinces[${i}](${p.id})`;
    if (!(p.deregistration.source.ref in data.sources)) {
      throw new DataError(file, `${at}.deregistration.source.ref`, `unknown source "${p.deregistration.source.ref}"`);
    }
    claim('id' + p.id, p.id, `${at}.id`);
    for (const c of p.icpPrefix) claim('ic' + c, p.id, `${at}.icpPrefix`);
    for (const n of [p.name.zh, ...p.aliasesZh]) claim('zh' + n, p.id, `${at}.aliasesZh`);
    // The same key the matcher uses (src/understand/places.ts), so a clash the loader lets through cannot exist.
    for (const n of [p.id, p.name.en, p.pinyin, ...p.aliasesEn]) claim('en' + englishKey(n), p.id, `${at}.aliasesEn`);
    p.cities.forEach((c, j) => {
      claim('zh' + c.zh, p.id, `${at}.cities[${j}].zh`);
      if (c.en) claim('en' + englishKey(c.en), p.id, `${at}.cities[${j}].en`);
    });
  });
}

function checkTopics(data: TopicsFile, file: string): void {
  for (const t of REQUIRED_TOPICS) if (!data.topics[t]) throw new DataError(file, `topics.${t}`, 'is required');
  for (const l of REQUIRED_LINKS) if (!data.links[l]) throw new DataError(file, `links.${l}`, 'is required');
  for (const [key, l] of Object.entries(data.links)) {
    if (RETIRED_HOST.test(l.url))
      throw new DataError(
        file,
        `links.${key}.url`,
        'is a retired miitbeian.gov.cn address: keep it only as an archived source',
      );
  }
  const check = (text: string, field: string, isSource = false) => {
    if (/https?:\/\/|www\./i.test(text))
      throw new DataError(file, field, 'must not contain a URL: name a link as {key}');
    // Only an agent's source line may even name the retired hosts.
    if (!isSource && RETIRED_HOST.test(text))
      throw new DataError(file, field, 'names a retired miitbeian.gov.cn address: only a source line may');
    for (const [, name] of text.matchAll(/\{([^{}]*)\}/g)) {
      if (!Object.hasOwn(data.links, name!) && !(TEXT_PLACEHOLDERS as readonly string[]).includes(name!)) {
        throw new DataError(
          file,
          field,
          `unknown placeholder {${name}} (not a link or one of ${TEXT_PLACEHOLDERS.join(', ')})`,
        );
      }
    }
  };
  for (const [name, t] of Object.entries(data.topics)) {
    for (const lang of ['en', 'zh'] as const) {
      const at = `topics.${name}.${lang}`;
      const text = t[lang];
      check(text.title, `${at}.title`);
      text.summary.forEach((line, i) => check(line, `${at}.summary[${i}]`));
      if (text.source) check(text.source, `${at}.source`, true);
      for (const [id, label] of Object.entries(text.labels)) check(label, `${at}.labels.${id}`);
      text.examples?.questions.forEach((q, i) => check(q, `${at}.examples.questions[${i}]`));
      text.details.forEach((p, i) => {
        for (const s of Object.values(p).flat()) check(s, `${at}.details[${i}]`);
      });
    }
  }
}

export function loadRegistry(dir: string = DATA_DIR): Registry {
  const pPath = join(dir, 'provinces.yaml');
  const tPath = join(dir, 'topics.yaml');
  const vPath = join(dir, 'hanzi-variants.yaml');
  const provinces = readData(pPath, 'provincesFile', (s, v) => validate(s.provincesFile, v, pPath));
  checkProvinces(provinces, relative(ROOT, pPath));
  const divisions = readDivisions(join(dir, 'places.tsv'), new Set(provinces.provinces.map((p) => p.id)));
  const ids = new Set(provinces.provinces.map((p) => p.id));
  provinces.nearPairs.forEach((pair, i) => {
    for (const id of pair)
      if (!ids.has(id)) throw new DataError(relative(ROOT, pPath), `nearPairs[${i}]`, `unknown province "${id}"`);
  });
  const topics = readData(tPath, 'topicsFile', (s, v) => validate(s.topicsFile, v, tPath));
  checkTopics(topics, relative(ROOT, tPath));
  for (const [key, a] of Object.entries(topics.archived)) {
    if (!Object.hasOwn(provinces.sources, a.source)) {
      throw new DataError(
        relative(ROOT, tPath),
        `archived.${key}.source`,
        `unknown source "${a.source}" (not in data/provinces.yaml sources)`,
      );
    }
  }
  const variants = readData(vPath, 'variantsFile', (s, v) => validate(s.variantsFile, v, vPath));
  return {
    sources: provinces.sources,
    provinces: provinces.provinces,
    notPlaces: provinces.notPlaces,
    nearPairs: provinces.nearPairs,
    cityInitials: provinces.cityInitials,
    divisions,
    byId: new Map(provinces.provinces.map((p) => [p.id, p])),
    links: topics.links,
    archived: topics.archived,
    topics: topics.topics,
    traditional: variants.traditional,
  };
}

/**
 * data/places.tsv, generated by scripts/places.ts: `# format: 1`, a header, then one division a
 * line (province id, Chinese name, toned pinyin, prefecture|county), tab-separated.
 */
function readDivisions(path: string, ids: ReadonlySet<string>): Division[] {
  const { file, text } = readText(path);
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (!lines.some((l) => l.trim() === `# format: ${DATA_FORMAT}`))
    throw new DataError(file, '', `must say "# format: ${DATA_FORMAT}"`);
  const out: Division[] = [];
  let header = false;
  lines.forEach((line, i) => {
    if (line.startsWith('#') || line.trim() === '') return;
    const cols = line.split('\t');
    if (!header) {
      if (cols.join(',') !== 'province,name,pinyin,level')
        throw new DataError(file, `line ${i + 1}`, 'the header must be province, name, pinyin, level');
      header = true;
      return;
    }
    const [province, zh, pinyin, level] = cols;
    const at = `line ${i + 1}`;
    if (cols.length !== 4) throw new DataError(file, at, `has ${cols.length} columns, not 4`);
    if (!ids.has(province!))
      throw new DataError(file, `${at}.province`, `"${province}" is not a province id of data/provinces.yaml`);
    if (!/^\p{Script=Han}+$/u.test(zh!)) throw new DataError(file, `${at}.name`, 'must be Chinese characters');
    if (!pinyin!.trim()) throw new DataError(file, `${at}.pinyin`, 'must not be empty');
    if (level !== 'prefecture' && level !== 'county')
      throw new DataError(file, `${at}.level`, 'must be prefecture or county');
    out.push({ province: province!, zh: zh!, pinyin: pinyin!.normalize('NFC'), level });
  });
  return out;
}

let cached: Registry | undefined;
/** The registry from data/, loaded on first use and kept. */
export function registry(): Registry {
  return (cached ??= loadRegistry());
}
