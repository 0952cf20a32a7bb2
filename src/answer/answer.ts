/**
 * answer(understanding) → one structured Answer in the asker's language, built only from the
 * registry: a title, a summary of at most 4 lines with what works today, details, and an
 * agent-facing source line with the seed's archived address. All prose lives in data/topics.yaml;
 * this file only chooses topics and fills their placeholders.
 */
import { DataError } from '../errors.js';
import { checkKnown, registryTexts, traditionalRegistry } from './hant.js';
import { isAlongside, loadIntents, type IntentSet } from './intents.js';
import { registry, type Division, type Province, type Registry, type TopicText } from './registry.js';
import { lowerFirst } from './render-text.js';
import { toTraditional } from '../understand/traditional.js';
import type { AlsoAnswer, Answer, AnswerPart, Lang, ProvinceChoice, Rich, Understanding } from '../types.js';
import { FALLBACK_INTENT } from '../types.js';

type Answerer = (u: Understanding) => Answer;
type Vars = Record<string, string>;

export function createAnswerer(base: Registry, intentSet: IntentSet): Answerer {
  const replies = new Map(intentSet.intents.map((i) => [i.intent, i.reply]));
  for (const spec of intentSet.intents) {
    if (spec.reply && !base.topics[spec.reply]) {
      throw new DataError(`intents/${spec.intent}.yaml`, 'reply', `no topic "${spec.reply}" in data/topics.yaml`);
    }
    // A reading that may be offered in a question back needs its button's label, in both languages.
    for (const lang of ['en', 'zh'] as const) {
      if (isAlongside(spec) && !base.topics['clarify']?.[lang].labels[spec.intent])
        throw new DataError(
          'data/topics.yaml',
          `topics.clarify.${lang}.labels.${spec.intent}`,
          'missing: the intent is alongside',
        );
    }
  }
  // Built once, on the first Traditional answer: the texts as Taiwan and Hong Kong readers write them.
  let hantReg: Registry | undefined;
  return (u: Understanding): Answer => {
    const reg = u.lang === 'zh' && u.traditional ? (hantReg ??= traditionalRegistry(base)) : base;
    const asked = (u.options?.length ?? 0) > 1 && !u.confirm ? clarify(reg, u) : answerIn(reg, u, replies);
    const questionBack = asked.ask !== null || asked.confirm !== null;
    // The other needs come with the answer; a question back asks first, and the answer after it has them.
    const also = u.also?.length && !questionBack ? u.also.map((n) => alsoAnswer(reg, u, n, replies)) : [];
    const heading = topic(reg, 'also', u.lang).summary[0] ?? '';
    const a = also.length ? { ...asked, also: { heading, items: also } } : asked;
    // Two filings' answer names the candidates' provinces: their search terms stay Simplified too.
    const named = [a.province, ...u.candidates].flatMap((id) => (id && reg.byId.get(id)) || []);
    return u.lang === 'zh' && u.traditional ? traditional(a, named.map(searchTerm)) : a;
  };
}

/** "Do you want to cancel an ICP filing, or move to another provider?", one button per reading. */
function clarify(reg: Registry, u: Understanding): Answer {
  const t = topic(reg, 'clarify', u.lang);
  const options = (u.options ?? []).flatMap((intent) => {
    const label = t.labels[intent];
    return label ? [{ intent, label }] : [];
  });
  const [or, comma] = u.lang === 'zh' ? ['，还是', '、'] : [', or ', ', '];
  const list = (labels: string[]) =>
    labels.length <= 2 ? labels.join(or) : `${labels.slice(0, -1).join(comma)}${or}${labels[labels.length - 1]!}`;
  const readings = list(options.map((o) => (u.lang === 'zh' ? o.label : lowerFirst(o.label))));
  return { ...fromTopic(reg, u, u.intent, 'clarify', { readings }), confirm: { options } };
}

/**
 * Another need in short: its answer's title and first line; for a deregistration also the 12381
 * text to confirm within 24 hours (missed, the request is returned) and its province's route.
 */
function alsoAnswer(
  reg: Registry,
  u: Understanding,
  need: { intent: string; province: string | null },
  replies: ReadonlyMap<string, string | null | undefined>,
): AlsoAnswer {
  const { also: _also, options: _options, ...rest } = u;
  const alone: Understanding = {
    ...rest,
    intent: need.intent,
    province: need.province,
    confirm: false,
    kind: null,
    candidates: need.province ? [] : u.candidates,
  };
  const a = answerIn(reg, alone, replies);
  const first = a.summary[0] ?? [];
  // The full answer's lines: the console, the 12381 text, the province's route.
  const route = need.intent === 'deregister' && need.province && a.summary.length > 2 ? a.summary.slice(1) : [];
  // A topic may keep more than its first line ("No need to cancel" and what to do instead).
  const name = replies.get(need.intent);
  const keep = name ? (reg.topics[name]?.[u.lang].short ?? 1) : 1;
  const more = route.length === 0 ? a.summary.slice(1, keep) : [];
  return { intent: need.intent, title: a.title, text: [first, ...more, ...route] };
}

function answerIn(reg: Registry, u: Understanding, replies: ReadonlyMap<string, string | null | undefined>): Answer {
  switch (u.intent) {
    case 'deregister':
      return deregister(reg, u);
    case 'forgot_password':
      return password(reg, u);
    case 'lost_record_number':
      return fromTopic(reg, u, u.intent, u.intent);
    default: {
      // Only intents answer: a topic's name (from a button value, say) is not an intent.
      const reply = replies.get(u.intent);
      return reply ? fromTopic(reg, u, u.intent, reply) : fromTopic(reg, u, FALLBACK_INTENT, 'fallback');
    }
  }
}

const topic = (reg: Registry, name: string, lang: Lang): TopicText => reg.topics[name]![lang];

/** "{miit_home}" becomes a link, "{province}" its value; the rest stays text (adjacent strings merged). */
function fill(reg: Registry, text: string, lang: Lang, vars: Vars = {}): Rich {
  const out: (string | { label: string; url: string })[] = [];
  const push = (x: string | { label: string; url: string }) => {
    const prev = out[out.length - 1];
    if (typeof x === 'string' && typeof prev === 'string') out[out.length - 1] = prev + x;
    else if (x !== '') out.push(x);
  };
  let last = 0;
  for (const m of text.matchAll(/\{([a-z_]+)\}/g)) {
    const link = reg.links[m[1]!];
    push(text.slice(last, m.index));
    push(link ? { label: link.label[lang], url: link.url } : (vars[m[1]!] ?? m[0]));
    last = m.index + m[0].length;
  }
  push(text.slice(last));
  return out;
}

const plainFill = (text: string, vars: Vars) => text.replace(/\{([a-z_]+)\}/g, (m, k: string) => vars[k] ?? m);

function details(reg: Registry, t: TopicText, lang: Lang, vars: Vars): AnswerPart[] {
  const f = (s: string) => fill(reg, s, lang, vars);
  return t.details.map((p): AnswerPart => {
    if ('paragraph' in p) return { type: 'paragraph', text: f(p.paragraph) };
    if ('heading' in p) return { type: 'heading', text: f(p.heading) };
    if ('steps' in p) return { type: 'steps', items: p.steps.map(f) };
    if ('bullets' in p) return { type: 'bullets', items: p.bullets.map(f) };
    return { type: 'note', text: f(p.note) };
  });
}

/** A topic answered as written: title, summary, details, source. */
function fromTopic(reg: Registry, u: Understanding, intent: string, name: string, vars: Vars = {}): Answer {
  const t = topic(reg, name, u.lang);
  return {
    intent,
    lang: u.lang,
    traditional: false,
    province: null,
    title: plainFill(t.title, vars),
    summary: t.summary.map((l) => fill(reg, l, u.lang, vars)),
    details: details(reg, t, u.lang, vars),
    source: t.source ? fill(reg, t.source, u.lang, vars) : null,
    ask: null,
    choices: [],
    confirm: null,
    ...(t.examples ? { examples: { heading: t.examples.heading, questions: [...t.examples.questions] } } : {}),
  };
}

/** Both names, so a picker can be searched in either language and near pairs are told apart. */
function choices(reg: Registry, ids: readonly string[]): ProvinceChoice[] {
  return ids.flatMap((id) => {
    const p = reg.byId.get(id);
    return p ? [{ id, label: `${p.name.zh} ${p.name.en}` }] : [];
  });
}

/** Without a province: which one? (a picker, or buttons for the near candidates). */
function askProvince(reg: Registry, u: Understanding): Answer {
  const ambiguous = u.candidates.length > 1;
  const a = fromTopic(reg, u, u.intent, ambiguous ? 'ask_province_ambiguous' : 'ask_province');
  const placeholder = topic(reg, 'ask_province', u.lang).labels['picker'] ?? '';
  if (!ambiguous)
    return {
      ...a,
      ask: { kind: 'province', candidates: null, placeholder },
      choices: choices(
        reg,
        reg.provinces.map((x) => x.id),
      ),
    };
  const typed = topic(reg, 'ask_province_ambiguous', u.lang).labels['typed'];
  const cities = sharedCity(reg, u.text, u.candidates);
  return {
    ...a,
    ask: { kind: 'province', candidates: [...u.candidates], placeholder, ...(typed ? { typed } : {}) },
    choices: choices(reg, u.candidates).map((c) => {
      const city = cities?.get(c.id);
      return city ? { ...c, label: `${c.label} (${city})` } : c;
    }),
  };
}

/** "sū zhōu shì" → "suzhou": a prefecture's name as it is spelt without tones, spaces or 市. */
const spelling = (d: Division) =>
  d.pinyin
    .split(' ')
    .slice(0, d.zh.endsWith('市') ? -1 : undefined)
    .join('')
    .normalize('NFD')
    .replace(/\p{M}/gu, '');

/**
 * When the candidates are there because one spelling names a prefecture in each ("Suzhou": 苏州
 * in Jiangsu, 宿州 in Anhui), each province's city as "Suzhou 苏州", so a choice says which city;
 * else null. From data/places.tsv.
 */
function sharedCity(reg: Registry, text: string, candidates: readonly string[]): Map<string, string> | null {
  const letters = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  if (!letters) return null;
  const found = new Map<string, Division>();
  for (const id of candidates) {
    const named = reg.divisions.filter(
      (d) => d.province === id && d.level === 'prefecture' && letters.includes(spelling(d)),
    );
    if (named.length !== 1) return null;
    found.set(id, named[0]!);
  }
  // One spelling for all: otherwise the candidates came from something else (a near pair, "sz").
  if (new Set([...found.values()].map(spelling)).size !== 1) return null;
  const name = (d: Division) => {
    const s = spelling(d);
    return `${s[0]!.toUpperCase()}${s.slice(1)} ${d.zh.replace(/市$/, '')}`;
  };
  return new Map([...found].map(([id, d]) => [id, name(d)]));
}

/**
 * The deregistration in one province: the provider's console, the 12381 SMS, then the province's
 * administration (a form, or its own online route); a named kind leads with that kind. Two filings
 * named one each (the understanding's `filings`): both routes, one after the other, and no question back.
 */
function deregister(reg: Registry, u: Understanding): Answer {
  const { lang } = u;
  const p = u.province ? reg.byId.get(u.province) : undefined;
  const filings = p ? [p] : twoFilings(reg, u);
  if (!filings) return askProvince(reg, u);
  const main = topic(reg, 'deregister', lang);
  const kind = u.kind ? topic(reg, `deregister_${u.kind}`, lang) : null;
  const routes = filings.map((f) => {
    const admin = topic(
      reg,
      f.deregistration.kind === 'online' ? 'deregister_admin_online' : 'deregister_admin_form',
      lang,
    );
    const vars: Vars = { ...provinceVars(reg, f, lang), route: admin.labels['route'] ?? '' };
    // An address on a retired miitbeian.gov.cn host is "not a working address"; others "may no longer work".
    const retired = /(^|\.)miitbeian\.gov\.cn$/i.test(new URL(f.deregistration.url).hostname);
    const sourceLine = topic(reg, retired ? 'deregister_admin_form' : 'deregister_admin_online', lang).source;
    // A kind's own second line (取消接入: only that provider can) replaces the administration's.
    const lines = kind?.summary[1] ? [kind.summary[1]] : admin.summary;
    return {
      vars,
      summary: lines.map((l) => fill(reg, l, lang, vars)),
      details: details(reg, admin, lang, vars),
      source: sourceLine ? fill(reg, sourceLine, lang, vars) : null,
    };
  });
  const first = routes[0]!.vars;
  // The title names every filing's province: "Guangdong and Hunan", "广东、湖南".
  const names = (key: 'province' | 'province_zh', and: string) => routes.map((r) => r.vars[key]!).join(and);
  const titleVars = { ...first, province: names('province', ' and '), province_zh: names('province_zh', '、') };
  const title = kind || routes.length === 1 ? (kind ?? main).title : (main.labels['two_filings'] ?? main.title);
  const sources = routes.flatMap((r) => (r.source ? [r.source] : []));
  return {
    intent: u.intent,
    lang,
    traditional: false,
    province: p ? p.id : null,
    title: plainFill(title, titleVars),
    summary: [
      ...[kind?.summary[0] ?? main.summary[0]!, ...main.summary.slice(1)].map((l) => fill(reg, l, lang, first)),
      ...routes.flatMap((r) => r.summary),
    ],
    details: [...details(reg, main, lang, first), ...routes.flatMap((r) => r.details)],
    source: sources.length ? sources.flatMap((s, i) => (i ? [' ', ...s] : s)) : null,
    ask: null,
    choices: [],
    confirm: null,
  };
}

/**
 * Two filings: the understanding's two candidates are filings named one each (two record numbers,
 * or "one filed in Guangdong, the other in Guangxi"), in the order written. Else null (a spelling
 * shared by two provinces, two places named otherwise, or three filings are still asked).
 */
function twoFilings(reg: Registry, u: Understanding): Province[] | null {
  return u.filings && u.candidates.length === 2 ? u.candidates.map((id) => reg.byId.get(id)!) : null;
}

function provinceVars(reg: Registry, p: Province, lang: Lang): Vars {
  const r = p.deregistration;
  const src = reg.sources[r.source.ref];
  return {
    province: p.name.en,
    province_zh: p.name.zh,
    province_full_zh: p.fullZh,
    // What to type into MIIT's (Simplified) notice list: never converted to Traditional.
    search: searchTerm(p),
    note: r.kind === 'online' ? r.note[lang] : '',
    archived_url: r.url,
    archived_title: src?.title ?? r.source.ref,
    publisher: src?.publisher ?? r.source.ref,
    taken: r.source.taken,
  };
}

/** The filing password; "forgot password" alone first asks which password (a did-you-mean). */
function password(reg: Registry, u: Understanding): Answer {
  const seed = reg.archived['password_help'];
  const vars: Vars = seed
    ? {
        archived_url: seed.url,
        archived_title: seed.title,
        publisher: reg.sources[seed.source]?.publisher ?? seed.source,
      }
    : {};
  const a = fromTopic(reg, u, 'forgot_password', 'forgot_password', vars);
  if (!u.confirm) return seed ? a : { ...a, source: null };
  const ask = fromTopic(reg, u, 'forgot_password', 'confirm_password');
  const options = Object.entries(topic(reg, 'confirm_password', u.lang).labels).map(([intent, label]) => ({
    intent,
    label,
  }));
  return { ...ask, confirm: { options } };
}

/** What to type into MIIT's notice list to find the province's current form (its words, not ours). */
const searchTerm = (p: Province) => `${p.name.zh} 注销`;

/** The same answer in Traditional characters (URLs, ids and `verbatim` strings untouched). */
function traditional(a: Answer, verbatim: readonly string[]): Answer {
  const convert = (s: string) => verbatim.reduce((out, v) => out.split(toTraditional(v)).join(v), toTraditional(s));
  const rich = (r: Rich): Rich =>
    r.map((x) => (typeof x === 'string' ? convert(x) : { ...x, label: convert(x.label) }));
  const part = (p: AnswerPart): AnswerPart =>
    p.type === 'steps' || p.type === 'bullets' ? { ...p, items: p.items.map(rich) } : { ...p, text: rich(p.text) };
  return {
    ...a,
    traditional: true,
    title: convert(a.title),
    summary: a.summary.map(rich),
    details: a.details.map(part),
    source: a.source ? rich(a.source) : null,
    choices: a.choices.map((c) => ({ ...c, label: toTraditional(c.label) })),
    ask: a.ask
      ? {
          ...a.ask,
          placeholder: toTraditional(a.ask.placeholder),
          ...(a.ask.candidates && a.ask.typed ? { typed: convert(a.ask.typed) } : {}),
        }
      : null,
    confirm: a.confirm ? { options: a.confirm.options.map((o) => ({ ...o, label: toTraditional(o.label) })) } : null,
    ...(a.examples
      ? { examples: { heading: convert(a.examples.heading), questions: a.examples.questions.map(convert) } }
      : {}),
    ...(a.also
      ? {
          also: {
            heading: convert(a.also.heading),
            items: a.also.items.map((n) => ({ ...n, title: convert(n.title), text: n.text.map(rich) })),
          },
        }
      : {}),
  };
}

/** A topic as it is written, in one language (the App Home tab, say): no question behind it. */
export function topicAnswer(name: string, lang: Lang): Answer {
  const reg = registry();
  if (!reg.topics[name]) throw new DataError('data/topics.yaml', `topics.${name}`, 'missing');
  const u: Understanding = {
    text: '',
    intent: name,
    confidence: 1,
    confirm: false,
    province: null,
    candidates: [],
    recordNumber: null,
    kind: null,
    lang,
    traditional: false,
  };
  return fromTopic(reg, u, name, name);
}

let defaultAnswerer: Answerer | undefined;

export function answer(u: Understanding): Answer {
  defaultAnswerer ??= defaultAnswererOf(registry());
  return defaultAnswerer(u);
}

/** The bot's answerer; its reviewed Traditional texts are checked against the data first (at start-up). */
function defaultAnswererOf(reg: Registry): Answerer {
  checkKnown('texts', registryTexts(reg));
  return createAnswerer(reg, loadIntents());
}
