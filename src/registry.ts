/**
 * The registry: provinces and their deregistration routes, topic texts and links, and the
 * character table used to read Traditional Chinese. Loaded once from data/ and validated; a broken
 * file stops start-up with the file, the field and the reason.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DataError } from './errors.js';
import { englishKey } from './normalize.js';
import { DATA_DIR, ROOT } from './paths.js';

export const DATA_FORMAT = 1;

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const bilingual = z.strictObject({ en: nonEmpty, zh: nonEmpty });
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
  z.strictObject({ kind: z.literal('online'), url: cleanUrl, note: bilingual, source }),
]);

const province = z.strictObject({
  id: z.string().regex(/^[a-z]+$/, 'must be lowercase ascii letters'),
  name: bilingual,
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
  sources: z.record(
    nonEmpty,
    z.strictObject({ title: nonEmpty, publisher: nonEmpty, url: cleanUrl.optional(), note: nonEmpty.optional() }),
  ),
  provinces: z.array(province).length(31, 'must list all 31 provincial-level regions'),
});

const link = z.strictObject({ url: cleanUrl, label: bilingual });

/** A topic's text in one language: a summary line and ordered paragraphs, steps and bullets. */
const topicText = z.strictObject({
  summary: nonEmpty,
  parts: z
    .array(
      z.union([
        z.strictObject({ paragraph: nonEmpty }),
        z.strictObject({ heading: nonEmpty }),
        z.strictObject({ steps: z.array(nonEmpty).min(1) }),
        z.strictObject({ bullets: z.array(nonEmpty).min(1) }),
        z.strictObject({ note: nonEmpty }),
        /** A key into `links`. */
        z.strictObject({ link: nonEmpty }),
      ]),
    )
    .min(1),
});
const topic = z.strictObject({ en: topicText, zh: topicText });

const topicsFile = z.strictObject({
  format: z.literal(DATA_FORMAT, { error: `format must be ${DATA_FORMAT}` }),
  links: z.record(nonEmpty, link),
  topics: z.record(nonEmpty, topic),
});

const pairs = z
  .string()
  .transform((s, ctx) => {
    const map: Record<string, string> = {};
    for (const pair of s.split(/\s+/).filter(Boolean)) {
      const chars = [...pair];
      if (chars.length !== 2) {
        ctx.addIssue({ code: 'custom', message: `"${pair}" is not a pair of two characters (Traditional, Simplified)` });
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

export type Province = z.infer<typeof province>;
export type ProvincesFile = z.infer<typeof provincesFile>;
export type TopicsFile = z.infer<typeof topicsFile>;
export type TopicText = z.infer<typeof topicText>;

export interface Registry {
  sources: ProvincesFile['sources'];
  provinces: Province[];
  byId: ReadonlyMap<string, Province>;
  links: TopicsFile['links'];
  topics: TopicsFile['topics'];
  traditional: Readonly<Record<string, string>>;
}

/** Topics every answer path relies on; a missing one is a data error, not a crash later. */
export const REQUIRED_TOPICS = [
  'deregister',
  'deregister_offline',
  'forgot_password',
  'lost_record_number',
  'ask_province',
  'help',
] as const;
export const REQUIRED_LINKS = ['notice_list', 'record_query', 'miit_home', 'password_help'] as const;

/** Reads and parses one YAML file; any failure becomes a DataError naming the file. */
export function readYaml(path: string): unknown {
  const file = relative(ROOT, path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new DataError(file, '', `cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return parseYaml(text);
  } catch (err) {
    throw new DataError(file, '', `not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
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
  const seen = new Map<string, string>();
  const claim = (key: string, owner: string, field: string) => {
    const prev = seen.get(key);
    if (prev && prev !== owner) throw new DataError(file, field, `"${key.slice(2)}" is used by both ${prev} and ${owner}`);
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
    // The same key the matcher uses (src/places.ts), so a clash the loader lets through cannot exist.
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
  for (const [name, t] of Object.entries(data.topics)) {
    for (const lang of ['en', 'zh'] as const) {
      t[lang].parts.forEach((part, i) => {
        if ('link' in part && !data.links[part.link]) {
          throw new DataError(file, `topics.${name}.${lang}.parts[${i}].link`, `unknown link "${part.link}"`);
        }
      });
    }
  }
}

export function loadRegistry(dir: string = DATA_DIR): Registry {
  const pPath = join(dir, 'provinces.yaml');
  const tPath = join(dir, 'topics.yaml');
  const vPath = join(dir, 'hanzi-variants.yaml');
  const provinces = validate(provincesFile, readYaml(pPath), pPath);
  checkProvinces(provinces, relative(ROOT, pPath));
  const topics = validate(topicsFile, readYaml(tPath), tPath);
  checkTopics(topics, relative(ROOT, tPath));
  const variants = validate(variantsFile, readYaml(vPath), vPath);
  return {
    sources: provinces.sources,
    provinces: provinces.provinces,
    byId: new Map(provinces.provinces.map((p) => [p.id, p])),
    links: topics.links,
    topics: topics.topics,
    traditional: variants.traditional,
  };
}

let cached: Registry | undefined;
/** The registry from data/, loaded on first use and kept. */
export function registry(): Registry {
  return (cached ??= loadRegistry());
}
