/**
 * The question log, end to end: the real bot records each question in its SQLite file; "Not
 * helpful" and "Ask a person" attach to the row of the question their answer came from; the text
 * is kept only when the bot was not confident, was told "Not helpful" or handed off.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANSWER_ACTIONS } from '../../src/slack/actions.js';
import type { RecordedCall } from '../../src/standin/server.js';
import { sleep, useHarness } from './bot-process.js';

const DB = join(mkdtempSync(join(tmpdir(), 'icp-e2e-qlog-')), 'questions.sqlite');
const h = useHarness({ env: { QUESTION_DB: DB, HANDOFF_CHANNEL: 'G0PRIVATE' } });

interface Row {
  ref: string | null;
  surface: string;
  lang: string | null;
  intent: string;
  province: string | null;
  outcome: string;
  feedback: string | null;
  handed_off: number;
  text: string | null;
}

const post = (pred: (c: RecordedCall) => boolean): Promise<RecordedCall> =>
  h.standin.waitForCall((c) => c.method === 'chat.postMessage' && pred(c), { timeoutMs: 5000 });

describe('question log', () => {
  it('records every question, attaches feedback and hand-offs, and keeps text only when it should', async () => {
    const clear = await h.standin.sendMessage({
      user: 'U0ALICE',
      text: 'How do I deregister our ICP filing in Zhejiang?',
    });
    const answer = await post((c) => c.args.channel === clear.channel);
    const ask = await h.standin.sendMessage({ user: 'U0BOB', text: 'deregister my filing please' });
    await post((c) => c.args.channel === ask.channel);
    const odd = await h.standin.sendMessage({
      user: 'U0DAVE',
      text: 'what is the weather like tomorrow, phone 13812345678?',
    });
    const fallback = await post((c) => c.args.channel === odd.channel);
    if (!answer.message || !fallback.message) throw new Error('not stored');
    await h.standin.clickAction({ user: 'U0ALICE', message: answer.message, actionId: ANSWER_ACTIONS.notHelpful });
    await h.standin.clickAction({ user: 'U0DAVE', message: fallback.message, actionId: ANSWER_ACTIONS.askPerson });
    await post((c) => c.args.channel === 'G0PRIVATE');
    await sleep(300);
    // Stopping writes what the log still holds.
    expect((await h.bot.stop()).code).toBe(0);

    const db = new Database(DB, { readonly: true });
    const rows = db
      .prepare(
        'SELECT ref, surface, lang, intent, province, outcome, feedback, handed_off, text FROM questions ORDER BY id',
      )
      .all() as Row[];
    db.close();
    expect(rows).toHaveLength(3);
    const [a, b, c] = rows as [Row, Row, Row];
    expect(a).toMatchObject({
      surface: 'dm',
      lang: 'en',
      intent: 'deregister',
      province: 'zhejiang',
      outcome: 'answered',
      feedback: 'not_helpful',
      handed_off: 0,
    });
    // Told "Not helpful": its text is kept.
    expect(a.text).toContain('Zhejiang');
    expect(b).toMatchObject({
      intent: 'deregister',
      province: null,
      outcome: 'asked_province',
      feedback: null,
      text: null,
    });
    expect(c).toMatchObject({ intent: 'fallback', outcome: 'fallback', handed_off: 1 });
    // Kept (not confident), masked.
    expect(c.text).toContain('weather');
    expect(c.text).not.toContain('13812345678');
    expect(new Set(rows.map((r) => r.ref)).size).toBe(3);
  });
});
