/**
 * Two audiences, one answer. What only agents may read — the archived source addresses, the name
 * of the vendor whose help pages seeded the data, where a text comes from, how sure the bot is —
 * is listed here once; the renderers leave it out of everything a customer may see, and the tests
 * search every posted field for it (docs/security.md, "Two audiences").
 */
import { registry, type Registry } from './registry.js';
import type { Answer, AnswerPart, Rich } from '../types.js';

/** The fixed part of the list (the data's own names and addresses are added by agentOnlyTerms). */
export const AGENT_ONLY = Object.freeze({
  /** Hosts of archived addresses: MIIT's retired provincial hosts, and the vendor's help pages. */
  hosts: ['miitbeian.gov.cn', 'jcloud.com'],
  /** The vendor whose help pages seeded the data, as it is written in either language. */
  vendors: ['JD Cloud', '京东云', '京東雲'],
  /** Provenance: the words that say a text is archived, from the seed, or for agents only. */
  provenance: ['archived', 'seed page', '仅供客服参考', '僅供客服參考', '存档', '存檔'],
  /** The bot's confidence in its reading. */
  confidence: ['confidence', '置信度'],
});

let cached: { reg: Registry; terms: readonly string[] } | undefined;

/**
 * The whole list, lower-cased: the fixed words and, from the data, every source's publisher and
 * title, every archived pointer's address and title, and every province's archived route address.
 */
export function agentOnlyTerms(reg: Registry = registry()): readonly string[] {
  if (cached?.reg === reg) return cached.terms;
  const fromData = [
    ...Object.values(reg.sources).flatMap((s) => [s.publisher, s.title]),
    ...Object.values(reg.archived).flatMap((a) => [a.url, a.title]),
    ...reg.provinces.map((p) => p.deregistration.url),
  ];
  const terms = [...new Set([...Object.values(AGENT_ONLY).flat(), ...fromData].map((s) => s.toLowerCase()))];
  cached = { reg, terms };
  return terms;
}

/** The agent-only terms found in `text` (case-insensitive); empty when a customer may read it. */
export function findAgentOnly(text: string, reg?: Registry): string[] {
  const lower = text.toLowerCase();
  return agentOnlyTerms(reg).filter((t) => lower.includes(t));
}

const richString = (r: Rich): string => r.map((x) => (typeof x === 'string' ? x : `${x.label} ${x.url}`)).join('');

/** Lines already checked: an answer's lines come from the data, so the same few hundred recur. */
const checked = new Map<string, boolean>();
const CHECKED_MAX = 10_000;
const safe = (r: Rich): boolean => {
  const text = richString(r);
  let ok = checked.get(text);
  if (ok === undefined) {
    ok = findAgentOnly(text).length === 0;
    if (checked.size >= CHECKED_MAX) checked.clear();
    checked.set(text, ok);
  }
  return ok;
};
const partSafe = (p: AnswerPart): boolean =>
  p.type === 'steps' || p.type === 'bullets' ? p.items.every(safe) : safe(p.text);

/**
 * The answer as a customer may read it: no source line, and no summary line, detail or other
 * need that names anything on the list (the data holds none; this keeps a slip from reaching them).
 */
export function forCustomer(a: Answer): Answer {
  // Rendering an answer asks for its customer view twice (the blocks, and their `text`): made once.
  const made = customerViews.get(a);
  if (made) return made;
  const view = customerView(a);
  customerViews.set(a, view);
  return view;
}

const customerViews = new WeakMap<Answer, Answer>();

function customerView(a: Answer): Answer {
  const also = a.also ? { ...a.also, items: a.also.items.filter((n) => n.text.every(safe)) } : undefined;
  return {
    ...a,
    summary: a.summary.filter(safe),
    details: a.details.filter(partSafe),
    source: null,
    ...(also ? { also } : {}),
  };
}
