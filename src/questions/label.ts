/**
 * `icp-bot label REF INTENT [PROVINCE] [--db …]`: a person says what a logged question was (one of
 * the bot's own intent ids, intents/*.yaml, and a province id of data/provinces.yaml), stored with
 * the question's row (label_intent, label_province, label_by, label_at_ms; migration 3) so that
 * `icp-bot training export` writes it as a training line. A second label replaces the first.
 */
import { loadIntents } from '../answer/intents.js';
import { registry } from '../answer/registry.js';
import { messages, UsageError } from '../errors.js';
import { recordLabel } from './label-store.js';
import { commandTarget, openQuestionDb, parseArgs, type CommandIo } from './command.js';

const USAGE = 'icp-bot label REF INTENT [PROVINCE] [--db PATH]';
/** The longest ref the question log stores (src/questions/log.ts). */
const REF_LIMIT = 200;

export interface Label {
  ref: string;
  intent: string;
  province: string | null;
  by: string;
  atMs: number;
}

/** The bot's intent ids and the province ids, sorted: what a label may say. */
export function labelChoices(): { intents: string[]; provinces: string[] } {
  return {
    intents: loadIntents()
      .intents.map((i) => i.intent)
      .sort(),
    provinces: registry()
      .provinces.map((p) => p.id)
      .sort(),
  };
}

/** The label the words say, or a UsageError naming the word and listing what is valid. */
export function parseLabel(positional: readonly string[], by: string, atMs: number): Label {
  const [ref, rawIntent, rawProvince, ...rest] = positional;
  if (!ref || !rawIntent || rest.length > 0)
    throw new UsageError(`label takes a ref, an intent and optionally a province: ${USAGE}`);
  if (ref.length > REF_LIMIT || /[\s\u0000-\u001f]/.test(ref)) throw new UsageError(messages.badRef(ref));
  const { intents, provinces } = labelChoices();
  const intent = rawIntent.toLowerCase();
  if (!intents.includes(intent)) throw new UsageError(messages.unknownLabel('intent', rawIntent, intents));
  const province = rawProvince === undefined ? null : rawProvince.toLowerCase();
  if (province !== null && !provinces.includes(province))
    throw new UsageError(messages.unknownLabel('province', rawProvince!, provinces));
  return { ref, intent, province, by, atMs };
}

/** The command: exit code 0, or a UsageError / DatabaseError (exit 2). */
export async function labelCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseArgs(args, { usage: USAGE, values: ['--db'], flags: [] });
  const by = (io.env.USER ?? '').trim() || 'cli';
  const label = parseLabel(parsed.positional, by, io.now ?? Date.now());
  const db = await openQuestionDb(commandTarget(parsed.values.get('--db'), io.env), { write: true });
  try {
    const done = await recordLabel(db, label);
    if (!done) throw new UsageError(messages.unknownRef(label.ref, db.where));
    const what = `${label.intent}${label.province ? `, ${label.province}` : ''}`;
    io.out(
      `labelled ${label.ref}: ${what} (by ${label.by}${done.previous ? `; was ${done.previous}` : ''})\n` +
        (done.hasText ? '' : 'its text was not kept, so training export leaves it out\n'),
    );
  } finally {
    await db.close();
  }
  return 0;
}
