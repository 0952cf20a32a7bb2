/**
 * Writing a label on its question's row (label_intent, label_province, label_by, label_at_ms;
 * migration 3): the one place a label is written, for `icp-bot label` (src/questions/label.ts) and
 * the hand-off post's pickers (through the question log's writer, src/questions/store.ts).
 */
import { num, type Param, type Queries } from './db.js';

/** The longest ref, and who, the question log stores (src/questions/log.ts). */
const ID_LIMIT = 200;

/**
 * A label or part of one (the hand-off post's pickers give the intent and the province one at a
 * time): a field left undefined keeps what the row has.
 */
export interface LabelChange {
  ref: string;
  intent?: string;
  province?: string | null;
  by: string;
  atMs: number;
}

/** What a label left on its row: whether the text was kept, the intent before, and the label now. */
export interface LabelResult {
  hasText: boolean;
  previous: string | null;
  intent: string | null;
  province: string | null;
}

const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Stores `label` on the newest question with its ref (in the caller's transaction or on the
 * database); null when there is none. The one place a label is written: `icp-bot label` and the
 * hand-off post (through the question log's writer) both come here.
 */
export async function recordLabel(db: Queries, label: LabelChange): Promise<LabelResult | null> {
  const [row] = await db.all(
    'SELECT id, text, label_intent, label_province FROM questions WHERE ref = ? ORDER BY id DESC LIMIT 1',
    [label.ref],
  );
  if (!row) return null;
  const sets = ['label_by = ?', 'label_at_ms = ?'];
  const params: Param[] = [label.by.slice(0, ID_LIMIT), label.atMs];
  if (label.intent !== undefined) {
    sets.push('label_intent = ?');
    params.push(label.intent);
  }
  if (label.province !== undefined) {
    sets.push('label_province = ?');
    params.push(label.province);
  }
  await db.run(`UPDATE questions SET ${sets.join(', ')} WHERE id = ?`, [...params, num(row['id'])]);
  const previous = strOrNull(row['label_intent']);
  return {
    hasText: typeof row['text'] === 'string',
    previous,
    intent: label.intent ?? previous,
    province: label.province !== undefined ? label.province : strOrNull(row['label_province']),
  };
}
