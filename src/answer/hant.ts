/**
 * Traditional Chinese for its readers. Our Chinese texts become Traditional character by character
 * (OpenCC through the build's cache, src/understand/traditional.ts), which keeps official names as
 * the authorities write them (工業和信息化部, 通信管理局) but also keeps Mainland wording (請回復,
 * 短信, 打印, 登錄, 服務器, 賬號). Where it would, data/zh-hant.yaml holds the text as a Taiwan or
 * Hong Kong reader writes it, reviewed, in full: no phrase is rewritten by rule. A Mainland word
 * inside an official name or an allowed term (信息 in 備案信息) is not Mainland wording.
 */
import { join } from 'node:path';
import type { z } from 'zod';
import type * as Zod from 'zod';
import { DataError } from '../errors.js';
import { DATA_DIR } from '../paths.js';
import { toTraditional } from '../understand/traditional.js';
import { schemaReader, type Registry, type TopicText } from './registry.js';

const HANT_FORMAT = 1;
const FILE = 'data/zh-hant.yaml';

/** The schema of data/zh-hant.yaml, built on first use: a process whose file the build already validated never loads zod (yaml-cache.ts). */
function makeSchemas({ z }: typeof Zod) {
  const nonEmpty = z.string().trim().min(1);
  const hantFile = z.strictObject({
    format: z.literal(HANT_FORMAT, { error: `format must be ${HANT_FORMAT}` }),
    /** Mainland wording, in Traditional characters, that no Traditional text of ours may hold. */
    mainlandOnly: z.array(nonEmpty).min(1),
    /**
     * Terms that hold a Mainland-only word and are right as they stand (備案信息 as MIIT's system
     * calls it): a Mainland word inside one of these, or inside an official name, is not Mainland wording.
     */
    allowed: z.array(nonEmpty).default([]),
    /** Official and system names (Simplified → as the authorities write them, in Traditional characters). */
    official: z.record(nonEmpty, nonEmpty),
    /** Texts of data/ (topics, a province's note): Simplified → the reviewed Traditional. */
    texts: z.record(nonEmpty, nonEmpty).default({}),
    /** The Slack layer's strings (src/slack/strings.ts): Simplified → the reviewed Traditional. */
    strings: z.record(nonEmpty, nonEmpty).default({}),
  });

  return { hantFile };
}

const readData = schemaReader(import.meta.url, makeSchemas);
export type HantTable = z.infer<ReturnType<typeof makeSchemas>['hantFile']>;

/** Reads and checks data/zh-hant.yaml: each reviewed text free of Mainland wording, official names kept. */
export function loadHant(dir: string = DATA_DIR): HantTable {
  const table = readData(join(dir, 'zh-hant.yaml'), 'hantFile', (s, value) => {
    const parsed = s.hantFile.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    throw new DataError(FILE, issue.path.join('.'), issue.message);
  });
  for (const section of ['texts', 'strings'] as const) {
    for (const [zh, reviewed] of Object.entries(table[section])) {
      const field = `${section}["${zh}"]`;
      const mainland = mainlandWording(reviewed, table);
      if (mainland.length) throw new DataError(FILE, field, `holds Mainland wording: ${mainland.join(', ')}`);
      for (const [name, official] of Object.entries(table.official)) {
        if (zh.includes(name) && !reviewed.includes(official))
          throw new DataError(FILE, field, `must keep the official name ${official} as written`);
      }
    }
  }
  return table;
}

/**
 * The Mainland-only words `text` holds, each where it is not part of an allowed term or an official
 * name: 信息 in 工業和信息化部 or 備案信息 is not Mainland wording, 修改備案信息 (longer than 備案信息) is.
 */
export function mainlandWording(
  text: string,
  table: Pick<HantTable, 'mainlandOnly' | 'allowed' | 'official'> = hantTable(),
): string[] {
  const allowed = [...table.allowed, ...Object.values(table.official)];
  const excused = (word: string, at: number) =>
    allowed.some((term) => {
      if (term.length <= word.length) return false;
      for (let from = 0; ;) {
        const j = text.indexOf(term, from);
        if (j < 0 || j > at) return false;
        if (at + word.length <= j + term.length) return true;
        from = j + 1;
      }
    });
  return table.mainlandOnly.filter((word) => {
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) if (!excused(word, at)) return true;
    return false;
  });
}

let cached: HantTable | undefined;

export function hantTable(): HantTable {
  cached ??= loadHant();
  return cached;
}

/** One of our texts in Traditional: the reviewed text when there is one, else its characters converted. */
export function hant(text: string, section: 'texts' | 'strings' = 'texts'): string {
  return hantTable()[section][text] ?? toTraditional(text);
}

/**
 * Every reviewed text must be one of ours: a key that names no text (`known`) is a stale review,
 * and the text it was for would go out unreviewed.
 */
export function checkKnown(section: 'texts' | 'strings', known: ReadonlySet<string>, table = hantTable()): void {
  for (const zh of Object.keys(table[section]))
    if (!known.has(zh)) throw new DataError(FILE, `${section}["${zh}"]`, 'is not a text of ours (stale?)');
}

/** Every Chinese text of the registry a reviewed text may be for: the topics' and the provinces' notes. */
export function registryTexts(reg: Registry): Set<string> {
  const out = new Set<string>();
  for (const t of Object.values(reg.topics)) for (const s of topicStrings(t.zh)) out.add(s);
  for (const p of reg.provinces) if (p.deregistration.kind === 'online') out.add(p.deregistration.note.zh);
  return out;
}

function topicStrings(t: TopicText): string[] {
  return [
    t.title,
    ...t.summary,
    ...t.details.flatMap((p) => Object.values(p).flat()),
    ...(t.source ? [t.source] : []),
    ...Object.values(t.labels),
    ...(t.examples ? [t.examples.heading, ...t.examples.questions] : []),
  ];
}

/**
 * The registry with its Chinese texts in Traditional (reviewed where the table says): a Traditional
 * answer is built from these, so a sentence put together from labels (a question back) is made of
 * reviewed parts. Province names stay Simplified here; the answer converts them with the rest.
 */
export function traditionalRegistry(reg: Registry): Registry {
  const text = (t: TopicText): TopicText => ({
    ...t,
    title: hant(t.title),
    summary: t.summary.map((s) => hant(s)),
    details: t.details.map(
      (p) =>
        Object.fromEntries(
          Object.entries(p).map(([k, v]) => [k, Array.isArray(v) ? v.map((s) => hant(s)) : hant(v)]),
        ) as TopicText['details'][number],
    ),
    ...(t.source ? { source: hant(t.source) } : {}),
    labels: Object.fromEntries(Object.entries(t.labels).map(([k, v]) => [k, hant(v)])),
    ...(t.examples
      ? { examples: { heading: hant(t.examples.heading), questions: t.examples.questions.map((q) => hant(q)) } }
      : {}),
  });
  const topics = Object.fromEntries(Object.entries(reg.topics).map(([n, t]) => [n, { ...t, zh: text(t.zh) }]));
  const provinces = reg.provinces.map((p) =>
    p.deregistration.kind === 'online'
      ? {
          ...p,
          deregistration: {
            ...p.deregistration,
            note: { ...p.deregistration.note, zh: hant(p.deregistration.note.zh) },
          },
        }
      : p,
  );
  return { ...reg, topics, provinces, byId: new Map(provinces.map((p) => [p.id, p])) };
}
