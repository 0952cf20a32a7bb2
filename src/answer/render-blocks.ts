/**
 * Block Kit for Slack: the title, the summary with its links, the question back (picker, near-pair
 * buttons, did-you-mean) right under it, the details only when expanded, the caller's buttons,
 * and, only in a message for an agent, the agent-facing source line last. Text from data is
 * escaped for mrkdwn.
 */
import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { Answer, AnswerPart, Rich, SlackMessage } from '../types.js';
import { forCustomer } from './audience.js';
import { alsoLine, renderText, saysOwnTitle } from './render-text.js';

export const ACTIONS = Object.freeze({
  /** action_id of the province static_select; option values are province ids. */
  pickProvince: 'icp_pick_province',
  /** Candidate buttons use `${chooseProvince}:${provinceId}` as action_id and the id as value. */
  chooseProvince: 'icp_choose_province',
  /** Did-you-mean buttons use `${chooseIntent}:${intent}` as action_id and the intent as value. */
  chooseIntent: 'icp_choose_intent',
  /** The Home tab's example questions: `${homeExample}:${lang}:${index}`, the question as value. */
  homeExample: 'icp_home_example',
});

export interface RenderBlocksOptions {
  /** Put into block_id of the interactive blocks (`icp_province:${ref}`) so a click can find its question. */
  ref?: string;
  /** Show the details (after "Steps and details" was pressed). */
  expanded?: boolean;
  /** The caller's buttons (plain text, feedback…), placed after the answer and before the source line. */
  actions?: ActionsBlock;
  /**
   * The message is for an agent alone (a private answer to an agent): the source line is shown.
   * Otherwise only what a customer may read (audience.ts).
   */
  agent?: boolean;
  /** The caller's blocks placed last, after the source line (the agent's view of the reading, say). */
  after?: KnownBlock[];
}

/**
 * Slack's limits: 3,000 characters a section, 150 a header, 75 a button or option label, 50
 * blocks; a message's `text` is best kept within 4,000 (Slack truncates it beyond 40,000).
 */
const LIMITS = Object.freeze({ section: 3000, header: 150, label: 75, blocks: 50, text: 4000 });
/** block_id prefix of the question-back blocks: `${ASK_BLOCK}${ref}`. */
export const ASK_BLOCK = 'icp_province:';

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const clip = (s: string, n: number) => (s.length <= n ? s : s.slice(0, n - 1) + '…');
const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text: clip(text, LIMITS.section) });
const plain = (text: string, n: number) => ({ type: 'plain_text' as const, text: clip(text, n), emoji: true });

/** Text with its links as `<url|label>`; a URL's `|` and `>` are percent-encoded so they cannot break out. */
export function richMrkdwn(r: Rich): string {
  return r
    .map((x) =>
      typeof x === 'string'
        ? escapeMrkdwn(x)
        : `<${x.url.replace(/\|/g, '%7C').replace(/>/g, '%3E')}|${escapeMrkdwn(x.label).replace(/\|/g, '/')}>`,
    )
    .join('');
}

const section = (text: string): SectionBlock => ({ type: 'section', text: mrkdwn(text) });

/** The agent-facing source line as a context block, or null when the answer has none. */
export function sourceBlock(a: Answer): ContextBlock | null {
  return a.source ? { type: 'context', elements: [mrkdwn(richMrkdwn(a.source))] } : null;
}

export function renderBlocks(answer: Answer, opts: RenderBlocksOptions = {}): SlackMessage {
  const a = opts.agent ? answer : forCustomer(answer);
  const tail: KnownBlock[] = [];
  if (opts.actions) tail.push(opts.actions);
  const source = sourceBlock(a);
  if (source) tail.push(source);
  tail.push(...(opts.after ?? []));
  // A question back (picker, did-you-mean) is one plain sentence: a header would say it twice.
  const questionBack = a.ask !== null || a.confirm !== null;
  const head: KnownBlock[] = [
    ...(questionBack || saysOwnTitle(a)
      ? []
      : [{ type: 'header', text: plain(a.title, LIMITS.header) } satisfies KnownBlock]),
    section(a.summary.map(richMrkdwn).join('\n')),
  ];
  const ask = askBlock(a, opts.ref);
  if (ask) head.push(ask);
  if (a.also) head.push(section(alsoMrkdwn(a.also, a.lang)));
  // Details give way first when a long answer meets Slack's block limit.
  const room = LIMITS.blocks - head.length - tail.length;
  const details = opts.expanded ? a.details.map(partBlock).slice(0, Math.max(room, 0)) : [];
  return { text: messageText(answer, questionBack), blocks: [...head, ...details, ...tail] };
}

/**
 * The message's `text` (notifications, screen readers, clients without blocks): the whole plain
 * customer answer (render-text's) under its titles, within Slack's limit. Customer text even in a
 * private message to an agent, since a notification may be read over a shoulder.
 */
export function messageText(answer: Answer, questionBack = answer.ask !== null || answer.confirm !== null): string {
  const body = renderText(answer).trim();
  // The first line names every need, not only the first: titles joined by " · ".
  const titles = [answer.title, ...(answer.also?.items.map((n) => n.title) ?? [])].join(' · ');
  // A short reply that is its own title ("You're welcome!") is not said twice.
  const titled = questionBack || body.startsWith(answer.title) ? body : `${titles}\n${body}`;
  return clip(escapeMrkdwn(titled), LIMITS.text);
}

/** "*You also asked:*" and one bullet per other need: its title and its line or two. */
function alsoMrkdwn(also: NonNullable<Answer['also']>, lang: Answer['lang']): string {
  const items = also.items.map((n) => `• ${alsoLine(escapeMrkdwn(n.title), n.text.map(richMrkdwn), lang)}`);
  return [`*${escapeMrkdwn(also.heading)}*`, ...items].join('\n');
}

function partBlock(part: AnswerPart): KnownBlock {
  switch (part.type) {
    case 'heading':
      return section(`*${richMrkdwn(part.text)}*`);
    case 'paragraph':
      return section(richMrkdwn(part.text));
    case 'note':
      return { type: 'context', elements: [mrkdwn(richMrkdwn(part.text))] };
    case 'steps':
      return section(part.items.map((s, i) => `${i + 1}. ${richMrkdwn(s)}`).join('\n'));
    case 'bullets':
      return section(part.items.map((s) => `• ${richMrkdwn(s)}`).join('\n'));
  }
}

const button = (actionId: string, label: string, value: string): Button => ({
  type: 'button',
  action_id: actionId,
  text: plain(label, LIMITS.label),
  value,
});

/** The province picker, the near-pair buttons or the did-you-mean buttons, or null. */
function askBlock(a: Answer, ref: string | undefined): ActionsBlock | null {
  const block_id = `${ASK_BLOCK}${ref ?? ''}`;
  if (a.confirm) {
    return {
      type: 'actions',
      block_id,
      elements: a.confirm.options.map((o) => button(`${ACTIONS.chooseIntent}:${o.intent}`, o.label, o.intent)),
    };
  }
  if (!a.ask || a.choices.length === 0) return null;
  if (a.ask.candidates) {
    return {
      type: 'actions',
      block_id,
      elements: a.choices.slice(0, 25).map((c) => button(`${ACTIONS.chooseProvince}:${c.id}`, c.label, c.id)),
    };
  }
  return {
    type: 'actions',
    block_id,
    elements: [
      {
        type: 'static_select',
        action_id: ACTIONS.pickProvince,
        placeholder: plain(a.ask.placeholder, LIMITS.label),
        options: a.choices.slice(0, 100).map((c) => ({ text: plain(c.label, LIMITS.label), value: c.id })),
      },
    ],
  };
}

/** Slack's limit for a Home tab view. */
const HOME_BLOCKS = 100;

/**
 * The App Home tab: each answer in full (details shown), one after the other, as a `home` view,
 * its example questions as buttons under its summary; customer material only, as anyone may open it.
 */
export function renderHome(answers: readonly Answer[]): { type: 'home'; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [];
  answers.forEach((a, i) => {
    if (i > 0) blocks.push({ type: 'divider' });
    const rendered = renderBlocks(a, { expanded: true }).blocks;
    blocks.push(...rendered.slice(0, 2), ...exampleBlocks(a), ...rendered.slice(2));
  });
  return { type: 'home', blocks: blocks.slice(0, HOME_BLOCKS) };
}

/** "*Try*" and a button per example question. */
function exampleBlocks(a: Answer): KnownBlock[] {
  if (!a.examples) return [];
  const buttons = a.examples.questions.map((q, i) => button(`${ACTIONS.homeExample}:${a.lang}:${i}`, q, q));
  return [section(`*${escapeMrkdwn(a.examples.heading)}*`), { type: 'actions', elements: buttons }];
}
