/**
 * What the SQLite question log promises about the bytes on disk: the folder it creates is 0700 and
 * its files 0600; a retention purge leaves no trace of the purged questions' text in the database
 * file or its -wal (read as bytes, not through SQL), while another connection keeps the WAL open.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openQuestionLog, type LoggedQuestion, type QuestionLog } from '../../src/questions/log.js';

const tmp = mkdtempSync(join(tmpdir(), 'icp-privacy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const quiet = { warn: () => {}, error: () => {} };
const DAY = 24 * 3600 * 1000;

function question(ref: string, text: string, at: number): LoggedQuestion {
  return {
    ref,
    team: 'T1',
    channel: 'C1',
    surface: 'dm',
    lang: 'en',
    intent: 'fallback',
    province: null,
    confidence: 0.2,
    outcome: 'fallback',
    latencyMs: 5,
    text,
    at,
  };
}

/** How often `marker` occurs in the database file and in its -wal, byte for byte. */
function occurrences(path: string, marker: string): { file: number; wal: number } {
  const count = (file: string) => {
    if (!existsSync(file)) return 0;
    const bytes = readFileSync(file);
    const needle = Buffer.from(marker, 'utf8');
    let n = 0;
    for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) n++;
    return n;
  };
  return { file: count(path), wal: count(`${path}-wal`) };
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the SQLite question log on disk', () => {
  it('creates its folder 0700 and the database and its -wal 0600', async () => {
    const dir = join(tmp, 'fresh', 'data-local');
    const path = join(dir, 'questions.sqlite');
    const log = await openQuestionLog({ sqlitePath: path, log: quiet });
    log.record(question('m1', 'mode check', Date.now()));
    await log.flush();
    expect(mode(dir)).toBe(0o700);
    expect(mode(path)).toBe(0o600);
    expect(mode(`${path}-wal`)).toBe(0o600);
    await log.close();
  });

  it('tightens the modes of a database that was created 0644', async () => {
    const dir = join(tmp, 'old');
    mkdirSync(dir, { mode: 0o755 });
    const path = join(dir, 'questions.sqlite');
    const first = await openQuestionLog({ sqlitePath: path, log: quiet });
    await first.close();
    const { chmodSync } = await import('node:fs');
    chmodSync(path, 0o644);
    const again = await openQuestionLog({ sqlitePath: path, log: quiet });
    expect(mode(path)).toBe(0o600);
    await again.close();
  });

  it('a purge removes the text from the database file and the -wal, not only from the table', async () => {
    const path = join(tmp, 'purge', 'questions.sqlite');
    const now = Date.now();
    const marker = 'zqx-purged-question';
    // The writer keeps its connection open: the rows sit in the WAL, as in a running bot.
    const writer: QuestionLog = await openQuestionLog({ sqlitePath: path, retentionDays: 3650, log: quiet });
    for (let i = 0; i < 50; i++) writer.record(question(`old-${i}`, `${marker} ${i} how do I cancel`, now - 100 * DAY));
    for (let i = 0; i < 20; i++) writer.record(question(`new-${i}`, `kept question ${i}`, now));
    await writer.flush();
    const before = occurrences(path, marker);
    // The test can see the text where it is (else its absence below would prove nothing).
    expect(before.file + before.wal).toBeGreaterThanOrEqual(50);

    // A second log with RETENTION_DAYS 90 purges on open.
    const purger = await openQuestionLog({ sqlitePath: path, retentionDays: 90, log: quiet });
    const after = occurrences(path, marker);
    expect(after).toEqual({ file: 0, wal: 0 });
    expect(occurrences(path, 'kept question').file).toBeGreaterThan(0);
    await purger.close();
    await writer.close();
    expect(occurrences(path, marker)).toEqual({ file: 0, wal: 0 });
  });
});
