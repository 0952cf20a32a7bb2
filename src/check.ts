/**
 * Loads and validates everything the core reads (data/ and intents/, and the references between
 * them) and builds the indexes, so a broken file stops start-up instead of a later question.
 */
import { answer } from './answer/answer.js';
import { loadIntents } from './answer/intents.js';
import { registry } from './answer/registry.js';
import { understand } from './understand/understand.js';

interface DataSummary {
  provinces: number;
  formLinks: number;
  onlineRoutes: number;
  cities: number;
  topics: number;
  links: number;
  traditional: number;
  intents: number;
  coreIntents: number;
  examples: number;
}

/** Throws DataError (file, field, reason) on the first problem; returns what was loaded. */
export function checkData(): DataSummary {
  const reg = registry();
  const { intents } = loadIntents();
  // The first question builds the understander and the answerer, which check cross-file references.
  answer(understand('check'));
  const forms = reg.provinces.filter((p) => p.deregistration.kind === 'form').length;
  return {
    provinces: reg.provinces.length,
    formLinks: forms,
    onlineRoutes: reg.provinces.length - forms,
    cities: reg.provinces.reduce((s, p) => s + p.cities.length, 0),
    topics: Object.keys(reg.topics).length,
    links: Object.keys(reg.links).length,
    traditional: Object.keys(reg.traditional).length,
    intents: intents.length,
    coreIntents: intents.filter((i) => i.core).length,
    examples: intents.reduce((s, i) => s + i.examples.en.length + i.examples.zh.length, 0),
  };
}

export function formatSummary(s: DataSummary): string {
  return [
    'data/ and intents/ are valid.',
    `${s.provinces} provinces (${s.formLinks} form links, ${s.onlineRoutes} online routes), ${s.cities} cities`,
    `${s.topics} topics, ${s.links} links, ${s.traditional} Traditional characters`,
    `${s.intents} intents (${s.coreIntents} core), ${s.examples} examples`,
  ].join('\n');
}
