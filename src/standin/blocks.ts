/**
 * A light Block Kit validator with Slack's documented limits (50 blocks per message, section text
 * ≤ 3,000 characters, button text ≤ 75, option value ≤ 150, …), so a message the real Slack would
 * reject with `invalid_blocks` is rejected here too. Returns the first problem as a Slack-style
 * "[ERROR] … [json-pointer:/blocks/…]" line, or null when the blocks look acceptable.
 */
import { isRecord } from './http-util.js';

type Problem = string | null;

const err = (msg: string, pointer: string): string => `[ERROR] ${msg} [json-pointer:${pointer}]`;

function textObject(v: unknown, ptr: string, max: number, plainOnly = false): Problem {
  if (!isRecord(v)) return err('must be a text object', ptr);
  if (v.type !== 'plain_text' && v.type !== 'mrkdwn') return err('must be plain_text or mrkdwn', `${ptr}/type`);
  if (plainOnly && v.type !== 'plain_text') return err('must be plain_text', `${ptr}/type`);
  if (typeof v.text !== 'string' || v.text.length === 0) return err('must be more than 0 characters', `${ptr}/text`);
  if (v.text.length > max) return err(`must be less than ${max + 1} characters`, `${ptr}/text`);
  return null;
}

function maxLen(v: unknown, max: number, ptr: string): Problem {
  if (v === undefined) return null;
  if (typeof v !== 'string') return err('must be a string', ptr);
  return v.length > max ? err(`must be less than ${max + 1} characters`, ptr) : null;
}

function option(v: unknown, ptr: string): Problem {
  if (!isRecord(v)) return err('must be an option object', ptr);
  return textObject(v.text, `${ptr}/text`, 75) ?? maxLen(v.value, 150, `${ptr}/value`);
}

function element(v: unknown, ptr: string): Problem {
  if (!isRecord(v) || typeof v.type !== 'string') return err('must be an element with a type', ptr);
  const idProblem = maxLen(v.action_id, 255, `${ptr}/action_id`);
  if (idProblem) return idProblem;
  if (v.type === 'button') {
    return (
      textObject(v.text, `${ptr}/text`, 75, true) ??
      maxLen(v.value, 2000, `${ptr}/value`) ??
      maxLen(v.url, 3000, `${ptr}/url`) ??
      (v.style !== undefined && v.style !== 'primary' && v.style !== 'danger'
        ? err('must be primary or danger', `${ptr}/style`)
        : null)
    );
  }
  if (v.type === 'static_select') {
    if (v.placeholder !== undefined) {
      const p = textObject(v.placeholder, `${ptr}/placeholder`, 150, true);
      if (p) return p;
    }
    const options = v.options;
    if (!Array.isArray(options) && !Array.isArray(v.option_groups))
      return err('must provide options or option_groups', ptr);
    if (Array.isArray(options)) {
      if (options.length === 0 || options.length > 100) return err('must have 1 to 100 options', `${ptr}/options`);
      for (let i = 0; i < options.length; i++) {
        const p = option(options[i], `${ptr}/options/${i}`);
        if (p) return p;
      }
    }
  }
  return null;
}

function block(b: unknown, ptr: string): Problem {
  if (!isRecord(b) || typeof b.type !== 'string') return err('must be a block with a type', ptr);
  const idProblem = maxLen(b.block_id, 255, `${ptr}/block_id`);
  if (idProblem) return idProblem;
  switch (b.type) {
    case 'section': {
      if (b.text === undefined && b.fields === undefined) return err('must provide text or fields', ptr);
      if (b.text !== undefined) {
        const p = textObject(b.text, `${ptr}/text`, 3000);
        if (p) return p;
      }
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields) || b.fields.length > 10)
          return err('must have at most 10 fields', `${ptr}/fields`);
        for (let i = 0; i < b.fields.length; i++) {
          const p = textObject(b.fields[i], `${ptr}/fields/${i}`, 2000);
          if (p) return p;
        }
      }
      return b.accessory === undefined ? null : element(b.accessory, `${ptr}/accessory`);
    }
    case 'header':
      return textObject(b.text, `${ptr}/text`, 150, true);
    case 'divider':
      return null;
    case 'context': {
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10)
        return err('must have 1 to 10 elements', `${ptr}/elements`);
      for (let i = 0; i < b.elements.length; i++) {
        const e: unknown = b.elements[i];
        if (isRecord(e) && e.type === 'image') continue;
        const p = textObject(e, `${ptr}/elements/${i}`, 3000);
        if (p) return p;
      }
      return null;
    }
    case 'actions': {
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 25)
        return err('must have 1 to 25 elements', `${ptr}/elements`);
      const ids = new Set<string>();
      for (let i = 0; i < b.elements.length; i++) {
        const e: unknown = b.elements[i];
        const p = element(e, `${ptr}/elements/${i}`);
        if (p) return p;
        if (isRecord(e) && typeof e.action_id === 'string') {
          if (ids.has(e.action_id))
            return err('action_id must be unique in the block', `${ptr}/elements/${i}/action_id`);
          ids.add(e.action_id);
        }
      }
      return null;
    }
    default:
      return null; // image, rich_text, input, …: accepted without checks
  }
}

/** Messages take 50 blocks; modals and Home tabs 100. */
export function validateBlocks(blocks: unknown[], max = 50): Problem {
  if (blocks.length > max) return err(`no more than ${max} items allowed`, '/blocks');
  const blockIds = new Set<string>();
  for (let i = 0; i < blocks.length; i++) {
    const b: unknown = blocks[i];
    const p = block(b, `/blocks/${i}`);
    if (p) return p;
    if (isRecord(b) && typeof b.block_id === 'string') {
      if (blockIds.has(b.block_id)) return err('block_id must be unique in the message', `/blocks/${i}/block_id`);
      blockIds.add(b.block_id);
    }
  }
  return null;
}
