/**
 * answer(understanding) → one structured Answer, in the asker's language, built only from the
 * registry: the province's route, the procedure texts, and the question back when a province is
 * missing or ambiguous. Renderers turn it into Block Kit or plain text.
 */
import { DataError } from './errors.js';
import { loadIntents, type IntentSet } from './intents.js';
import { registry, type Province, type Registry, type TopicText } from './registry.js';
import type { Answer, AnswerPart, Lang, ProvinceChoice, Understanding } from './types.js';
import { FALLBACK_INTENT } from './types.js';

export type Answerer = (u: Understanding) => Answer;

export function createAnswerer(reg: Registry, intentSet: IntentSet): Answerer {
  const specs = new Map(intentSet.intents.map((i) => [i.intent, i]));
  for (const spec of intentSet.intents) {
    if (spec.reply && !reg.topics[spec.reply]) {
      throw new DataError(`intents/${spec.intent}.yaml`, 'reply', `no topic "${spec.reply}" in data/topics.yaml`);
    }
  }
  const topic = (name: string, lang: Lang): TopicText | undefined => reg.topics[name]?.[lang];

  /** A topic's parts as AnswerParts; link keys become full links. */
  const partsOf = (t: TopicText | undefined, lang: Lang): AnswerPart[] =>
    (t?.parts ?? []).map((p): AnswerPart => {
      if ('paragraph' in p) return { type: 'paragraph', text: p.paragraph };
      if ('heading' in p) return { type: 'heading', text: p.heading };
      if ('steps' in p) return { type: 'steps', items: p.steps };
      if ('bullets' in p) return { type: 'bullets', items: p.bullets };
      if ('note' in p) return { type: 'note', text: p.note };
      const l = reg.links[p.link]!;
      return { type: 'link', link: { label: l.label[lang], url: l.url } };
    });

  const label = (p: Province, lang: Lang) => (lang === 'zh' ? p.name.zh : p.name.en);
  const choices = (ids: readonly string[], lang: Lang): ProvinceChoice[] =>
    ids.flatMap((id) => {
      const p = reg.byId.get(id);
      return p ? [{ id, label: label(p, lang) }] : [];
    });

  const simple = (u: Understanding, name: string): Answer => {
    const t = topic(name, u.lang);
    return { intent: u.intent, lang: u.lang, province: null, summary: t?.summary ?? name, parts: partsOf(t, u.lang), ask: null, choices: [] };
  };

  function deregister(u: Understanding): Answer {
    const { lang } = u;
    const p = u.province ? reg.byId.get(u.province) : undefined;
    if (!p) {
      const ambiguous = u.candidates.length > 1;
      const t = topic(ambiguous ? 'ask_province_ambiguous' : 'ask_province', lang) ?? topic('ask_province', lang);
      const ids = ambiguous ? u.candidates : reg.provinces.map((x) => x.id);
      return {
        intent: u.intent,
        lang,
        province: null,
        summary: t?.summary ?? '',
        parts: [...partsOf(t, lang), ...partsOf(topic('deregister', lang), lang)],
        ask: ambiguous ? { kind: 'province', candidates: [...u.candidates] } : { kind: 'province', candidates: null },
        choices: choices(ids, lang),
      };
    }
    return {
      intent: u.intent,
      lang,
      province: p.id,
      summary: lang === 'zh' ? `${p.name.zh}：注销 ICP 备案` : `Deregistering an ICP filing in ${p.name.en}`,
      // The offline steps (download and print the form) are for provinces with a form.
      parts: [
        ...provinceRoute(p, lang),
        ...partsOf(topic('deregister', lang), lang),
        ...(p.deregistration.kind === 'form' ? partsOf(topic('deregister_offline', lang), lang) : []),
      ],
      ask: null,
      choices: [],
    };
  }

  /** The province's own route first: the online system or the form, labelled with where the address comes from. */
  function provinceRoute(p: Province, lang: Lang): AnswerPart[] {
    const r = p.deregistration;
    const src = reg.sources[r.source.ref];
    const zh = lang === 'zh';
    const from = zh
      ? `地址来自 ${src?.publisher ?? r.source.ref}《${src?.title ?? ''}》（${r.source.taken} 摘录）；miitbeian.gov.cn 旧地址已于 2019 年 12 月前后停用，当前表格请在工信部备案系统“通知公告”中搜索“${p.name.zh} 注销”。`
      : `Address as published in ${src?.publisher ?? r.source.ref}, "${src?.title ?? ''}" (taken ${r.source.taken}). The miitbeian.gov.cn hosts were retired around December 2019: find the current form in MIIT's notice list (search "${p.name.zh} 注销").`;
    const notice = reg.links['notice_list']!;
    const route: AnswerPart =
      r.kind === 'online'
        ? { type: 'link', link: { label: zh ? `${p.name.zh}：在线注销` : `${p.name.en}: deregister online`, url: r.url, note: r.note[lang] } }
        : { type: 'link', link: { label: zh ? `${p.name.zh}：注销备案申请表（下载）` : `${p.name.en}: deregistration application form (download)`, url: r.url } };
    return [
      { type: 'heading', text: zh ? `${p.name.zh}的注销途径` : `${p.name.en}: where to deregister` },
      route,
      { type: 'note', text: from },
      { type: 'link', link: { label: notice.label[lang], url: notice.url } },
    ];
  }

  return (u: Understanding): Answer => {
    switch (u.intent) {
      case 'deregister':
        return deregister(u);
      case 'forgot_password':
      case 'lost_record_number':
        return simple(u, u.intent);
      default: {
        const reply = specs.get(u.intent)?.reply;
        return simple({ ...u, intent: reply ? u.intent : FALLBACK_INTENT }, reply ?? (reg.topics['fallback'] ? 'fallback' : 'help'));
      }
    }
  };
}

let defaultAnswerer: Answerer | undefined;

export function answer(u: Understanding): Answer {
  defaultAnswerer ??= createAnswerer(registry(), loadIntents());
  return defaultAnswerer(u);
}
