/**
 * answer(understanding) → one structured Answer in the asker's language, built only from the
 * registry: a title, a summary of at most 4 lines with what works today, details, and an
 * agent-facing source line with the seed's archived address. All prose lives in data/topics.yaml.
 */
import { DataError } from './errors.js';
import { loadIntents, type IntentSet } from './intents.js';
import { registry, type Province, type Registry, type TopicText } from './registry.js';
import { toTraditional } from './traditional.js';
import type { Answer, AnswerPart, Lang, ProvinceChoice, Rich, Understanding } from './types.js';
import { FALLBACK_INTENT } from './types.js';

export type Answerer = (u: Understanding) => Answer;

export function createAnswerer(reg: Registry, intentSet: IntentSet): Answerer {
  const specs = new Map(intentSet.intents.map((i) => [i.intent, i]));
  for (const spec of intentSet.intents) {
    if (spec.reply && !reg.topics[spec.reply]) {
      throw new DataError(`intents/${spec.intent}.yaml`, 'reply', `no topic "${spec.reply}" in data/topics.yaml`);
    }
  }
  const topic = (name: string, lang: Lang): TopicText => reg.topics[name]![lang];

  /** "{miit_home}" becomes a link, "{province}" its value; the rest stays text. */
  const fill = (text: string, lang: Lang, vars: Record<string, string> = {}): Rich => {
    const out: (string | { label: string; url: string })[] = [];
    let last = 0;
    for (const m of text.matchAll(/\{([a-z_]+)\}/g)) {
      const link = reg.links[m[1]!];
      const value = link ? { label: link.label[lang], url: link.url } : (vars[m[1]!] ?? m[0]);
      if (m.index > last) out.push(text.slice(last, m.index));
      out.push(value);
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(text.slice(last));
    // Adjacent strings merge, so renderers and tests see whole sentences.
    return out.reduce<(string | { label: string; url: string })[]>((acc, x) => {
      const prev = acc[acc.length - 1];
      if (typeof x === 'string' && typeof prev === 'string') acc[acc.length - 1] = prev + x;
      else acc.push(x);
      return acc;
    }, []);
  };
  const plainFill = (text: string, vars: Record<string, string>) => text.replace(/\{([a-z_]+)\}/g, (m, k: string) => vars[k] ?? m);

  const details = (t: TopicText, lang: Lang, vars: Record<string, string>): AnswerPart[] =>
    t.details.map((p): AnswerPart => {
      if ('paragraph' in p) return { type: 'paragraph', text: fill(p.paragraph, lang, vars) };
      if ('heading' in p) return { type: 'heading', text: fill(p.heading, lang, vars) };
      if ('steps' in p) return { type: 'steps', items: p.steps.map((s) => fill(s, lang, vars)) };
      if ('bullets' in p) return { type: 'bullets', items: p.bullets.map((s) => fill(s, lang, vars)) };
      return { type: 'note', text: fill(p.note, lang, vars) };
    });

  const base = (u: Understanding, intent: string, province: string | null = null) => ({
    intent,
    lang: u.lang,
    traditional: false,
    province,
    ask: null,
    choices: [] as ProvinceChoice[],
    confirm: null,
  });

  /** A topic answered as written: title, summary, details, source. */
  const fromTopic = (u: Understanding, intent: string, name: string, vars: Record<string, string> = {}): Answer => {
    const t = topic(name, u.lang);
    return {
      ...base(u, intent),
      title: plainFill(t.title, vars),
      summary: t.summary.map((l) => fill(l, u.lang, vars)),
      details: details(t, u.lang, vars),
      source: t.source ? fill(t.source, u.lang, vars) : null,
    };
  };

  /** Both names, so a picker can be searched in either language and near pairs are told apart. */
  const choices = (ids: readonly string[]): ProvinceChoice[] =>
    ids.flatMap((id) => {
      const p = reg.byId.get(id);
      return p ? [{ id, label: `${p.name.zh} ${p.name.en}` }] : [];
    });

  function deregister(u: Understanding): Answer {
    const { lang } = u;
    const p = u.province ? reg.byId.get(u.province) : undefined;
    if (!p) {
      const ambiguous = u.candidates.length > 1;
      const a = fromTopic(u, u.intent, ambiguous ? 'ask_province_ambiguous' : 'ask_province');
      return {
        ...a,
        ask: { kind: 'province', candidates: ambiguous ? [...u.candidates] : null, placeholder: topic('ask_province', lang).labels['picker'] ?? '' },
        choices: choices(ambiguous ? u.candidates : reg.provinces.map((x) => x.id)),
      };
    }
    const main = topic('deregister', lang);
    const admin = topic(p.deregistration.kind === 'online' ? 'deregister_admin_online' : 'deregister_admin_form', lang);
    const vars = { ...provinceVars(p, lang), route: admin.labels['route'] ?? '' };
    const kind = u.kind ? topic(`deregister_${u.kind}`, lang) : null;
    // An address on a retired miitbeian.gov.cn host is "not a working address"; others "may no longer work".
    const retired = /(^|\.)miitbeian\.gov\.cn$/i.test(new URL(p.deregistration.url).hostname);
    const sourceLine = topic(retired ? 'deregister_admin_form' : 'deregister_admin_online', lang).source;
    const title = kind ? (lang === 'zh' ? `${p.name.zh}：${kind.title}` : `${kind.title}: ${p.name.en}`) : plainFill(main.title, vars);
    return {
      ...base(u, u.intent, p.id),
      title,
      // A kind's own second line (取消接入: only that provider can) replaces the administration's.
      summary: [kind?.summary[0] ?? main.summary[0]!, ...main.summary.slice(1), ...(kind?.summary[1] ? [kind.summary[1]] : admin.summary)].map((l) =>
        fill(l, lang, vars),
      ),
      details: [...details(main, lang, vars), ...details(admin, lang, vars)],
      source: sourceLine ? fill(sourceLine, lang, vars) : null,
    };
  }

  function provinceVars(p: Province, lang: Lang): Record<string, string> {
    const r = p.deregistration;
    const src = reg.sources[r.source.ref];
    return {
      province: p.name.en,
      province_zh: p.name.zh,
      admin_zh: `${p.fullZh ?? `${p.name.zh}省`}通信管理局`,
      // What to type into MIIT's (Simplified) notice list: never converted to Traditional.
      search: searchTerm(p),
      note: r.kind === 'online' ? r.note[lang] : '',
      archived_url: r.url,
      archived_title: src?.title ?? r.source.ref,
      publisher: src?.publisher ?? r.source.ref,
      taken: r.source.taken,
    };
  }

  function password(u: Understanding): Answer {
    const seed = reg.archived['password_help'];
    const vars: Record<string, string> = seed
      ? { archived_url: seed.url, archived_title: seed.title, publisher: reg.sources[seed.source]?.publisher ?? seed.source }
      : {};
    const a = fromTopic(u, 'forgot_password', 'forgot_password', vars);
    if (!u.confirm) return seed ? a : { ...a, source: null };
    const ask = fromTopic(u, 'forgot_password', 'confirm_password');
    const options = Object.entries(topic('confirm_password', u.lang).labels).map(([intent, label]) => ({ intent, label }));
    return { ...ask, confirm: { options } };
  }

  return (u: Understanding): Answer => {
    let a: Answer;
    switch (u.intent) {
      case 'deregister':
        a = deregister(u);
        break;
      case 'forgot_password':
        a = password(u);
        break;
      case 'lost_record_number':
        a = fromTopic(u, u.intent, u.intent);
        break;
      default: {
        // Only intents answer: a topic's name (from a button value, say) is not an intent.
        const reply = specs.get(u.intent)?.reply ?? null;
        a = reply ? fromTopic(u, u.intent, reply) : fromTopic(u, FALLBACK_INTENT, 'fallback');
      }
    }
    const p = a.province ? reg.byId.get(a.province) : undefined;
    return u.lang === 'zh' && u.traditional ? traditional(a, p ? [searchTerm(p)] : []) : a;
  };
}

const searchTerm = (p: Province) => `${p.name.zh} 注销`;

/** The same answer in Traditional characters (URLs, ids and `verbatim` strings untouched). */
function traditional(a: Answer, verbatim: readonly string[]): Answer {
  const convert = (s: string) => verbatim.reduce((out, v) => out.split(toTraditional(v)).join(v), toTraditional(s));
  const rich = (r: Rich): Rich => r.map((x) => (typeof x === 'string' ? convert(x) : { ...x, label: convert(x.label) }));
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
    ask: a.ask ? { ...a.ask, placeholder: toTraditional(a.ask.placeholder) } : null,
    confirm: a.confirm ? { options: a.confirm.options.map((o) => ({ ...o, label: toTraditional(o.label) })) } : null,
  };
}

let defaultAnswerer: Answerer | undefined;

export function answer(u: Understanding): Answer {
  defaultAnswerer ??= createAnswerer(registry(), loadIntents());
  return defaultAnswerer(u);
}
