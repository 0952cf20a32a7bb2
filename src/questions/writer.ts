/**
 * The question log's writer (src/questions/log.ts): the queue between recording and the database.
 * Recording only queues (never throws, never waits); a timer writes the queue in batches, every
 * batchIntervalMs or at once from batchRows entries, each batch in one attempt of the sink
 * (src/questions/store.ts: one transaction).
 *
 * A failing database never stops answers: a batch is retried maxAttempts times (backing off from
 * retryBaseMs to retryMaxMs) and then dropped, the queue holds at most maxQueue entries (beyond, the
 * oldest are dropped), every lost entry is counted, and the log gets one warning when writing starts
 * failing and one when it recovers, saying how many entries were lost.
 */
import { messages } from '../errors.js';
import type { QuestionLogLogger } from './log.js';

/** What the writer writes to. */
export interface BatchSink<T> {
  /** Work besides the queue is waiting (the retention purge): an attempt is due even with nothing queued. */
  hasWork(): boolean;
  /** One attempt: the waiting work, then `batch` when there is one. Throws when it failed. */
  write(batch: readonly T[] | null): Promise<void>;
  /** After a failed attempt: start afresh next time. Never throws. */
  reset(): Promise<void>;
}

interface WriterLimits {
  batchRows: number;
  batchIntervalMs: number;
  maxQueue: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

interface BatchWriterOptions<T> {
  sink: BatchSink<T>;
  limits: WriterLimits;
  /** The database, for messages (never a password). */
  where: string;
  log: QuestionLogLogger;
  /** An error's reason, fit for a log line. */
  reason(err: unknown): string;
}

interface WriterStats {
  written: number;
  dropped: number;
  failedBatches: number;
  queued: number;
  failing: boolean;
}

/**
 * A bounded FIFO with O(1) removal from the front. A slot is emptied as its entry leaves: the array
 * is compacted only every thousand or so entries (seconds at 200–500 questions a second), and an
 * entry still held there meanwhile outlived its write into the old generation.
 */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    this.compact();
    return item;
  }
  take(n: number): T[] {
    const end = Math.min(this.head + n, this.items.length);
    const out: T[] = [];
    for (; this.head < end; this.head++) {
      out.push(this.items[this.head] as T);
      this.items[this.head] = undefined;
    }
    this.compact();
    return out;
  }
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

/** The batching queue; its timer starts with it (unref'd: it never keeps the process up). */
export class BatchWriter<T> {
  private readonly queue = new Fifo<T>();
  /** The batch being written, kept across its retries. */
  private inFlight: T[] | null = null;
  private attempts = 0;
  private retryAt = 0;
  private running: Promise<boolean> | null = null;
  /** An attempt is already asked for on the next turn of the event loop. */
  private soon = false;
  private isClosed = false;
  private failingSince: number | null = null;
  private written = 0;
  private dropped = 0;
  private failedBatches = 0;
  /** Drops up to the last successful write: what a recovery reports is everything lost since. */
  private droppedAtLastWrite = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly opts: BatchWriterOptions<T>) {
    this.timer = setInterval(() => this.wake(), opts.limits.batchIntervalMs);
    this.timer.unref();
  }

  /** close() has finished flushing: what comes now is dropped. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Queues one entry; beyond maxQueue the oldest is dropped. Never waits. */
  enqueue(entry: T): void {
    if (this.isClosed) return this.lose(1);
    if (this.queue.length >= this.opts.limits.maxQueue) {
      this.queue.shift();
      this.lose(1);
    }
    this.queue.push(entry);
    if (this.queue.length >= this.opts.limits.batchRows && !this.soon && !this.running) {
      this.soon = true;
      setImmediate(() => {
        this.soon = false;
        this.wake();
      });
    }
  }

  /** Counts entries lost (also those that never reached the queue). */
  lose(n: number): void {
    this.dropped += n;
  }

  /** Starts an attempt, unless one is running, nothing waits, or the next retry is not due yet. */
  wake(): void {
    if (this.isClosed || this.running || !this.pending() || Date.now() < this.retryAt) return;
    void this.attempt().then((ok) => {
      if (ok && this.queue.length >= this.opts.limits.batchRows) setImmediate(() => this.wake());
    });
  }

  /** An attempt now, or the one running; false when it failed. Never rejects. */
  attempt(): Promise<boolean> {
    if (!this.running) {
      this.running = this.runOnce()
        .catch(() => false)
        .finally(() => {
          this.running = null;
        });
    }
    return this.running;
  }

  /** Writes what is queued now; resolves when done or when an attempt fails. */
  async flush(): Promise<void> {
    if (this.running) await this.running;
    while (this.pending()) {
      if (!(await this.attempt())) return;
    }
  }

  /** Stops the timer and flushes; entries still unwritten then are counted as dropped, and logged. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    clearInterval(this.timer);
    await this.flush();
    this.isClosed = true;
    const left = this.queue.length + (this.inFlight?.length ?? 0);
    if (left > 0) {
      this.queue.take(this.queue.length);
      this.inFlight = null;
      this.lose(left);
      const where = this.opts.where;
      this.opts.log.warn({
        event: 'question_log_closed',
        where,
        lost: left,
        msg: messages.questionLogClosed(where, left),
      });
    }
  }

  stats(): WriterStats {
    return {
      written: this.written,
      dropped: this.dropped,
      failedBatches: this.failedBatches,
      queued: this.queue.length + (this.inFlight?.length ?? 0),
      failing: this.failingSince !== null,
    };
  }

  private pending(): boolean {
    return this.inFlight !== null || this.queue.length > 0 || this.opts.sink.hasWork();
  }

  /** One attempt: the sink's waiting work and one batch. False when it failed. */
  private async runOnce(): Promise<boolean> {
    if (!this.inFlight && this.queue.length > 0) {
      this.inFlight = this.queue.take(this.opts.limits.batchRows);
      this.attempts = 0;
    }
    try {
      const batch = this.inFlight;
      await this.opts.sink.write(batch);
      if (batch) {
        this.written += batch.length;
        this.inFlight = null;
      }
      this.succeeded();
      return true;
    } catch (err) {
      await this.failed(err);
      return false;
    }
  }

  private succeeded(): void {
    this.attempts = 0;
    this.retryAt = 0;
    if (this.failingSince !== null) {
      const seconds = Math.round((Date.now() - this.failingSince) / 100) / 10;
      const lost = this.dropped - this.droppedAtLastWrite;
      const where = this.opts.where;
      this.opts.log.warn({
        event: 'question_log_recovered',
        where,
        lost,
        seconds,
        msg: messages.questionLogRecovered(where, lost, seconds),
      });
      this.failingSince = null;
    }
    this.droppedAtLastWrite = this.dropped;
  }

  private async failed(err: unknown): Promise<void> {
    const { limits, where } = this.opts;
    const reason = this.opts.reason(err);
    if (this.failingSince === null) {
      this.failingSince = Date.now();
      this.opts.log.warn({
        event: 'question_log_failing',
        where,
        reason,
        msg: messages.questionLogFailing(where, reason, limits.maxQueue),
      });
    }
    this.attempts++;
    if (this.inFlight && this.attempts >= limits.maxAttempts) {
      this.lose(this.inFlight.length);
      this.failedBatches++;
      this.inFlight = null;
      this.attempts = 0;
    }
    this.retryAt = Date.now() + Math.min(limits.retryMaxMs, limits.retryBaseMs * 2 ** Math.max(0, this.attempts - 1));
    await this.opts.sink.reset();
  }
}
