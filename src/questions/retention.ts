/**
 * The question log's retention (src/questions/log.ts): rows older than RETENTION_DAYS are deleted
 * on open and then every purgeIntervalMs (an hour). The purge itself runs inside the writer's
 * attempts (src/questions/store.ts), so it never runs beside a batch and a failed purge is retried
 * like one; the timer here only marks it due and wakes the writer.
 */
import type { Queries } from './db.js';

const PURGE_SQL = 'DELETE FROM questions WHERE at_ms < ?';
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * SQLite: the WAL still holds the deleted rows as they were written; TRUNCATE copies its pages
 * (zeroed by secure_delete) into the file and empties it. A reader in the way makes it busy: tried
 * again on the writer's next attempt.
 */
const CHECKPOINT_SQL = 'PRAGMA wal_checkpoint(TRUNCATE)';

export class RetentionPurge {
  /** Due on open. */
  private isDue = true;
  private checkpointDue = false;
  private readonly retentionMs: number;
  private readonly timer: ReturnType<typeof setInterval>;

  /** `onDue`: asks for an attempt (the writer's wake). The timer is unref'd. */
  constructor(retentionDays: number, intervalMs: number, onDue: () => void) {
    this.retentionMs = retentionDays * DAY_MS;
    this.timer = setInterval(() => {
      this.isDue = true;
      onDue();
    }, intervalMs);
    this.timer.unref();
  }

  /** A busy checkpoint is not due work: it waits for the next attempt (a flush must not loop on it). */
  get due(): boolean {
    return this.isDue;
  }

  /** Deletes the rows past retention when a purge is due, then (SQLite) checkpoints the WAL. */
  async purgeIfDue(q: Queries): Promise<void> {
    if (this.isDue) {
      const deleted = await q.run(PURGE_SQL, [Date.now() - this.retentionMs]);
      this.isDue = false;
      if (deleted > 0 && q.dialect === 'sqlite') this.checkpointDue = true;
    }
    if (this.checkpointDue) {
      const [row] = await q.all(CHECKPOINT_SQL);
      this.checkpointDue = Number(row?.['busy'] ?? 0) !== 0;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
