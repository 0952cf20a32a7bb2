/**
 * Labelling on the hand-off post: in HANDOFF_CHANNEL, where only the team reads, a colleague says
 * what the question was — the intent (the bot's own ids, with readable names) and the province —
 * with two pickers under the post. The label is stored with the question's row by the question
 * log (the code `icp-bot label` uses, src/questions/label-store.ts), with who (the Slack user id)
 * and when, and the colleague is told privately.
 *
 * Every option's value is signed like the buttons' (actions.ts) and names the case and the
 * question's ref; nothing in it is trusted: the intent and province must be the registry's, the
 * ref must be in the log, the click must come from the hand-off channel and, while the case is
 * open, from its own post.
 */
import type { ActionsBlock, PlainTextOption } from '@slack/types';
import { registry } from '../answer/registry.js';
import { labelChoices } from '../questions/label.js';
import type { LabelResult } from '../questions/label-store.js';
import { CORE_INTENTS } from '../types.js';
import { notice, signValue, verifiedJson } from './actions.js';
import { isCaseId } from './cases.js';
import { expired, tellClicker, type Click } from './click.js';
import { guarded, type HandlerDeps, type Outcome } from './reply.js';

export const LABEL_ACTIONS = Object.freeze({
  blockId: 'icp_case_label',
  intent: 'icp_case_label_intent',
  province: 'icp_case_label_province',
});

/** What a colleague reads for each intent id; an id not listed reads as its words. */
const INTENT_NAMES: Readonly<Record<string, string>> = {
  deregister: 'Deregistering a filing',
  forgot_password: 'Forgotten filing password',
  lost_record_number: 'Lost record number',
  cancel_kinds: 'Kinds of cancellation',
  change_filing: 'Changing filing details',
  console_password: 'Console or account password',
  display_number: 'Showing the number on a site',
  domain_vs_filing: 'Deleting a domain only',
  fees: 'What it costs',
  filing_status: 'Approval status',
  greeting: 'Greeting',
  help: 'What the bot can do',
  icp_licence: 'ICP licence (ICP证)',
  language: 'Answer language',
  new_filing: 'A new filing',
  number_format: 'Format of a number',
  off_topic: 'Not about ICP filing',
  processing_time: 'How long it takes',
  public_security_filing: 'Public-security filing',
  record_vanished: 'Record vanished from MIIT',
  sms_code: 'The 12381 text',
  switch_provider: 'Moving to another provider',
  thanks: 'Thanks',
};

export function intentName(id: string): string {
  const words = id.replace(/_/g, ' ');
  return INTENT_NAMES[id] ?? words.charAt(0).toUpperCase() + words.slice(1);
}

/** Slack's limits: an option's value 150 characters, its text 75. */
const OPTION_VALUE_LIMIT = 150;
const OPTION_TEXT_LIMIT = 75;

const option = (text: string, value: string): PlainTextOption => ({
  text: { type: 'plain_text', text: text.slice(0, OPTION_TEXT_LIMIT), emoji: true },
  value,
});

/** A picked option's value once its signature is checked: the case, the ref, and an intent or a province. */
interface LabelValue {
  caseId: string;
  ref: string;
  intent?: string;
  province?: string;
}

/** The intents in the order a colleague looks for them: the core ones first, then by name. */
function intentOrder(ids: readonly string[]): string[] {
  const core = CORE_INTENTS as readonly string[];
  return [...ids].sort(
    (a, b) => Number(!core.includes(a)) - Number(!core.includes(b)) || (intentName(a) < intentName(b) ? -1 : 1),
  );
}

/** The two pickers for the post of case `caseId` about question `qref`; null when a value would not fit. */
export function labelBlock(caseId: string, qref: string, key: Buffer): ActionsBlock | null {
  const { intents, provinces } = labelChoices();
  const sign = (what: { i: string } | { p: string }) => signValue(JSON.stringify({ c: caseId, q: qref, ...what }), key);
  const reg = registry();
  const intentOptions = intentOrder(intents).map((i) => option(`${intentName(i)} (${i})`, sign({ i })));
  const provinceOptions = reg.provinces
    .filter((p) => provinces.includes(p.id))
    .map((p) => option(`${p.name.zh} ${p.name.en}`, sign({ p: p.id })));
  if ([...intentOptions, ...provinceOptions].some((o) => (o.value ?? '').length > OPTION_VALUE_LIMIT)) return null;
  const select = (actionId: string, placeholder: string, options: PlainTextOption[]) => ({
    type: 'static_select' as const,
    action_id: actionId,
    placeholder: { type: 'plain_text' as const, text: placeholder, emoji: true },
    options: options.slice(0, 100),
  });
  return {
    type: 'actions',
    block_id: LABEL_ACTIONS.blockId,
    elements: [
      select(LABEL_ACTIONS.intent, 'Label: what was it?', intentOptions),
      select(LABEL_ACTIONS.province, 'Label: which province?', provinceOptions),
    ],
  };
}

const isRef = (v: unknown): v is string => typeof v === 'string' && /^[^\s\u0000-\u001f]{1,40}$/.test(v);

/** The value of a picked option we signed, or null. */
function labelValueOf(value: string | undefined, key: Buffer): LabelValue | null {
  const json = verifiedJson(value, key);
  if (json === null) return null;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null || !isCaseId(raw.c) || !isRef(raw.q)) return null;
  if (typeof raw.i === 'string') return { caseId: raw.c, ref: raw.q, intent: raw.i };
  if (typeof raw.p === 'string') return { caseId: raw.c, ref: raw.q, province: raw.p };
  return null;
}

/** A pick on a hand-off post's label pickers: checked, stored with the question, acknowledged privately. */
export async function onLabelPick(deps: HandlerDeps, click: Click): Promise<Outcome> {
  const { handoff, questions } = deps;
  const v = labelValueOf(click.selected, deps.buttonKey);
  if (!handoff || !questions || !v || click.channel !== handoff.channel || !click.messageTs)
    return expired(deps, click);
  const { intents, provinces } = labelChoices();
  if (
    (v.intent !== undefined && !intents.includes(v.intent)) ||
    (v.province !== undefined && !provinces.includes(v.province))
  )
    return expired(deps, click);
  // While the case is open its post is known: the pick must be on it, about its question.
  const c = await guarded(deps, 'get_case', () => deps.cases.get(v.caseId));
  if (c && (c.post.channel !== click.channel || c.post.ts !== click.messageTs || (c.qref ?? null) !== v.ref))
    return expired(deps, click);
  const result = await questions.label({
    ref: v.ref,
    ...(v.intent !== undefined ? { intent: v.intent } : {}),
    ...(v.province !== undefined ? { province: v.province } : {}),
    by: click.user,
    atMs: (deps.now ?? Date.now)(),
  });
  deps.log.info({
    event: 'labelled',
    channel: click.channel,
    intent: v.intent ?? null,
    province: v.province ?? null,
    stored: typeof result === 'object' && result !== null,
  });
  return tellClicker(deps, click, notice(ackText(result)));
}

/** What the colleague is told, privately. */
function ackText(result: LabelResult | null | 'failed'): string {
  if (result === 'failed')
    return 'I could not store the label: the question log did not answer. Please pick it again in a minute.';
  if (result === null)
    return 'That question is no longer in the question log (it keeps questions for RETENTION_DAYS), so there is nothing to label.';
  const place = result.province ? `, ${provinceName(result.province)}` : '';
  if (result.intent === null)
    return `Noted${place ? `: ${place.slice(2)}` : ''}. Now pick what the question was: it counts as labelled once it has an intent.`;
  const was = result.previous && result.previous !== result.intent ? ` (was \`${result.previous}\`)` : '';
  const text = result.hasText
    ? ' It goes into the next `icp-bot training export`.'
    : ' Its text was not kept, so the training export leaves it out.';
  return `Labelled: *${intentName(result.intent)}* (\`${result.intent}\`)${place}${was}. Thank you.${text}`;
}

function provinceName(id: string): string {
  const p = registry().byId.get(id);
  return p ? `${p.name.en} ${p.name.zh}` : id;
}
