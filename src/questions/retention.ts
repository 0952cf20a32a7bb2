/**
 * The question log's retention (src/questions/log.ts): rows older than RETENTION_DAYS are deleted
 * on open and then every purgeIntervalMs (an hour). The purge itself runs inside the writer's
 * attempts (src/questions/store.ts), so it never runs beside a batch and a failed purge is retried
 * like one; the timer here only marks it due and wakes the writer.
 */
import type { Queries } from './db.js';

const PURGE_SQL = 'DELETE FROM questions WHERE at_ms < ?';
const DAY_MS = 24 * 60 * 60 * 1000;

export class RetentionPurge {
  /** Due on open. */
  private isDue = true;
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

  get due(): boolean {
    return this.isDue;
  }

  /** Deletes the rows past retention when a purge is due. */
  async purgeIfDue(q: Queries): Promise<void> {
    if (!this.isDue) return;
    await q.run(PURGE_SQL, [Date.now() - this.retentionMs]);
    this.isDue = false;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
