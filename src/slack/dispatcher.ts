/**
 * The one seam between receivers and the bot: a receiver hands over a verified, parsed request
 * (`accept`) and acknowledges it once the dispatcher has it; the dispatcher recognises repeats,
 * keeps what it accepted and runs each as a turn, a few at a time. This one keeps everything in
 * memory (the embedded default); RedisDispatcher keeps it in Redis, shared by every instance.
 */
import { SeenKeys } from './dedupe.js';
import { dedupeKeys, type Inbound } from './inbound.js';
import type { Logger } from './log.js';

/** What became of a request: kept, a repeat, or not kept (the receiver answers 503 so Slack retries). */
export type Accepted = 'accepted' | 'duplicate' | 'busy' | 'stopping' | 'unavailable';

export type TurnRunner = (inbound: Inbound) => Promise<void>;

export interface Dispatcher {
  /** Keeps a request to answer (or recognises a repeat); resolves once it is safely kept. */
  accept(inbound: Inbound): Promise<Accepted>;
  /** Starts running turns (the bot knows who it is by now). */
  start(run: TurnRunner): void;
  /** Takes nothing more; waits up to `waitMs` for what it holds; says how many were dropped. */
  stop(waitMs: number): Promise<{ dropped: number }>;
}

export const DISPATCH_LIMITS = Object.freeze({
  /** Turns through Botkit at once; the rest wait their turn, in order. */
  concurrency: 16,
  /** Accepted requests waiting at most; beyond, 503 (Slack retries) rather than grow. */
  maxQueued: 10_000,
});

export class MemoryDispatcher implements Dispatcher {
  private readonly queue: (Inbound | undefined)[] = [];
  private head = 0;
  private running = 0;
  private run: TurnRunner | null = null;
  private stopping = false;
  private idle: (() => void) | null = null;

  constructor(
    private readonly log: Logger,
    private readonly seen: SeenKeys = new SeenKeys(),
    private readonly limits: { concurrency: number; maxQueued: number } = DISPATCH_LIMITS,
  ) {}

  get size(): number {
    return this.queue.length - this.head + this.running;
  }

  async accept(inbound: Inbound): Promise<Accepted> {
    if (this.stopping) return 'stopping';
    // Every key is recorded, so a twin caught by any one of them is a repeat.
    let repeat = false;
    for (const key of dedupeKeys(inbound)) if (this.seen.checkAndAdd(key)) repeat = true;
    if (repeat) return 'duplicate';
    if (this.queue.length - this.head >= this.limits.maxQueued) return 'busy';
    this.queue.push(inbound);
    // The acknowledgement goes out before any turn runs.
    setImmediate(() => this.pump());
    return 'accepted';
  }

  start(run: TurnRunner): void {
    this.run = run;
    this.pump();
  }

  async stop(waitMs: number): Promise<{ dropped: number }> {
    this.stopping = true;
    if (this.size > 0) {
      const drained = new Promise<void>((resolve) => (this.idle = resolve));
      await Promise.race([drained, new Promise<void>((resolve) => setTimeout(resolve, waitMs).unref())]);
    }
    return { dropped: this.size };
  }

  private pump(): void {
    while (this.run && this.running < this.limits.concurrency && this.head < this.queue.length) {
      const inbound = this.queue[this.head]!;
      this.queue[this.head++] = undefined;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.running++;
      this.run(inbound)
        .catch((err: unknown) => this.log.error({ event: 'turn_failed', kind: inbound.kind, err }))
        .finally(() => {
          this.running--;
          if (this.size === 0) this.idle?.();
          setImmediate(() => this.pump());
        });
    }
  }
}
