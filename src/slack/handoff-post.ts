/**
 * The hand-off post in HANDOFF_CHANNEL: what a colleague needs to take the case — the question
 * (masked as the question log masks it), how it was read, the answer the bot gave, why it came,
 * where it was asked — with **Take it** and **Solved**. Everything quoted is escaped for Slack;
 * the reading comes from ids the core checked. A DM is named by its person, never by its id or a
 * permalink (a link to someone's DM opens for nobody else).
 */
import type { ActionsBlock, KnownBlock } from '@slack/types';
import { renderText } from '../answer/render-text.js';
import { maskedExcerpt } from '../mask.js';
import { CANNOT_HELP, type SlackMessage } from '../types.js';
import type { ButtonValue } from './actions.js';
import { signValue, verifiedJson } from './actions.js';
import { isCaseId, type HandoffCase } from './cases.js';
import { labelBlock } from './handoff-label.js';
import type { HandlerDeps } from './reply.js';
import { escapeSlack, safeUserId, t, unescapeSlack, type StringKey } from './strings.js';

export const CASE_ACTIONS = Object.freeze({
  blockId: 'icp_case_actions',
  take: 'icp_case_take',
  solve: 'icp_case_solve',
});

/** The bot's answer as quoted in the post: its customer text, cut here. */
const ANSWER_CHARS = 1500;

/** Where the question was asked, as the hand-off post names it. */
export interface Origin {
  /** The asker's conversation (a channel, or their DM). */
  channel: string;
  isDm: boolean;
  asker: string;
  /** A permalink to the question (channels only). */
  link: string | undefined;
}

const en = (key: StringKey, vars: Record<string, string | number> = {}) => t('en', key, vars);
const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

/** Why the question came: the asker's "Not helpful", the bot having no answer, or the asker asking. */
function reasonOf(v: ButtonValue): StringKey {
  if (v.notHelpful) return 'reasonNotHelpful';
  return CANNOT_HELP.has(v.understanding.intent) ? 'reasonFallback' : 'reasonAsked';
}

/** "in <#C…>" for a channel; "in a direct message with <@U…>" for a DM (or a channel id we cannot vouch for). */
function whereOf(o: Origin, asker: string): string {
  if (!o.isDm && /^[CG][A-Z0-9]+$/.test(o.channel)) return en('whereChannel', { channel: o.channel });
  return en('whereDm', { user: asker });
}

/** The post's body (no buttons, no status) and its notification text. */
export function handoffBody(
  deps: HandlerDeps,
  v: ButtonValue,
  o: Origin,
  usergroup: string | null,
): { text: string; blocks: KnownBlock[] } {
  const u = v.understanding;
  const asker = safeUserId(o.asker) ?? 'someone';
  const link = !o.isDm && o.link && /^https?:\/\/[^\s<>|]+$/.test(o.link) ? o.link : undefined;
  const head = en('handoffPost', {
    group: usergroup ? `<!subteam^${usergroup}> ` : '',
    user: asker,
    where: whereOf(o, asker),
    question: `“${escapeSlack(maskedExcerpt(unescapeSlack(u.text)))}”`,
  });
  const linked = link ? `${head} <${link}|${en('openConversation')}>` : head;
  const reading = en('understoodAs', {
    intent: escapeSlack(u.intent),
    province: u.province ? ` / ${escapeSlack(u.province)}` : '',
    confidence: u.confidence.toFixed(2),
  });
  const why = en(reasonOf(v));
  const chars = Array.from(renderText(deps.core.answer(u)));
  const said = chars.slice(0, ANSWER_CHARS).join('') + (chars.length > ANSWER_CHARS ? '…' : '');
  const blocks: KnownBlock[] = [
    section(linked),
    section(`${reading}\n${why}`),
    section(`*${en('botAnswered')}*\n${escapeSlack(said)}`),
    context(en(o.isDm ? 'handoffHowDm' : 'handoffHowChannel')),
  ];
  return { text: `${linked}\n${reading} ${why}`, blocks };
}

/** A case button's value: the case id, signed like every value (nothing else is read from it). */
export const caseValue = (id: string, key: Buffer): string => signValue(JSON.stringify({ case: id }), key);

/** The case id of a value we signed, or null. */
export function caseIdOf(value: string | undefined, key: Buffer): string | null {
  const json = verifiedJson(value, key);
  if (json === null) return null;
  try {
    const id = (JSON.parse(json) as { case?: unknown }).case;
    return isCaseId(id) ? id : null;
  } catch {
    return null;
  }
}

/** Who has the case, once someone does. */
export type CaseStatus = { taken: string | null; solved: string | null };

/** The post as it stands: its body, who took or solved it, the buttons still to press, and the label pickers. */
export function handoffMessage(
  c: Pick<HandoffCase, 'id' | 'postText' | 'postBlocks' | 'qref'>,
  status: CaseStatus,
  key: Buffer,
): SlackMessage {
  const value = caseValue(c.id, key);
  const lines = [
    ...(status.taken ? [en('caseTakenStatus', { user: safeUserId(status.taken) ?? 'someone' })] : []),
    ...(status.solved ? [en('caseSolvedStatus', { user: safeUserId(status.solved) ?? 'someone' })] : []),
  ];
  const buttons: ActionsBlock['elements'] = [
    ...(status.taken || status.solved ? [] : [button(CASE_ACTIONS.take, en('takeIt'), value, true)]),
    ...(status.solved ? [] : [button(CASE_ACTIONS.solve, en('solved'), value, false)]),
  ];
  // The label pickers stay after Solved: labelling is what comes after answering.
  const labels = c.qref ? labelBlock(c.id, c.qref, key) : null;
  return {
    text: c.postText,
    blocks: [
      ...c.postBlocks,
      ...(lines.length ? [context(lines.join(' '))] : []),
      ...(buttons.length
        ? [{ type: 'actions', block_id: CASE_ACTIONS.blockId, elements: buttons } as ActionsBlock]
        : []),
      ...(labels ? [labels] : []),
    ],
  };
}

function button(actionId: string, label: string, value: string, primary: boolean): ActionsBlock['elements'][number] {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: label, emoji: true },
    value,
    ...(primary ? { style: 'primary' as const } : {}),
  };
}
