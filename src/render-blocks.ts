// STUB — being written by the lead; signatures are final.
import type { Answer, SlackMessage } from './types.js';

/** action_id of the province static_select (option values are province ids). */
export const ACTIONS = Object.freeze({
  pickProvince: 'icp_pick_province',
  /** Candidate buttons use `${chooseProvince}:${provinceId}` as action_id and the id as value. */
  chooseProvince: 'icp_choose_province',
});

export interface RenderBlocksOptions {
  /** Put into block_id of the interactive blocks (`icp_province:${ref}`) so a click can find its question. */
  ref?: string;
}

export function renderBlocks(a: Answer, _opts: RenderBlocksOptions = {}): SlackMessage {
  return { text: a.summary, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: a.summary } }] };
}
