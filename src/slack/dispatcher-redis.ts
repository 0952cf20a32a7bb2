/**
 * The dispatcher for more than one instance: accepted requests are BullMQ jobs in Redis, so any
 * instance's workers answer them and a dead instance's jobs are picked up by the others (BullMQ's
 * stalled-job recovery). A request is acknowledged only once its job is in Redis; if Redis cannot
 * take it in time the receiver answers 503 and Slack sends it again.
 *
 * Repeats, across instances: a request's first dedupe key (event id, trigger_id, digest) is its
 * job id, so a retry that lands on another instance finds the job already there (completed jobs
 * are kept for the dedupe window). A mention's twin (`message` and `app_mention`, other event ids,
 * same channel + ts) becomes a job of its own, and the first of the two to run claims the shared
 * key; the other is skipped. A job that finished is marked done, so if its worker died before
 * BullMQ recorded the finish, the retry posts nothing again. The window left: a worker that dies
 * after a reply was posted and before the turn ended and was marked (docs/operations.md, "More than one instance").
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { DEDUPE_TTL_MS } from './dedupe.js';
import type { Accepted, Dispatcher, TurnRunner } from './dispatcher.js';
import { dedupeKeys, type Inbound } from './inbound.js';
import type { Logger } from './log.js';

const REDIS_LIMITS = Object.freeze({
  /** Turns through Botkit at once in this instance's worker. */
  concurrency: 16,
  /** How long an enqueue may take before the request is refused (503): Slack waits 3 s in all. */
  enqueueTimeoutMs: 1_500,
  /** A worker's lock on a job; a dead worker's jobs are taken over after about this long. */
  lockDurationMs: 10_000,
  /** How often workers look for jobs whose worker died. */
  stalledIntervalMs: 5_000,
  /** Tries of a turn that threw (a Web API failure is not a throw: the Web API client retries itself). */
  attempts: 3,
  backoffMs: 1_000,
  /** Dedupe window: jobs (and twin claims and done marks) are kept this long after they finish. */
  keepMs: DEDUPE_TTL_MS,
});

type RedisLimits = { readonly [K in keyof typeof REDIS_LIMITS]: number };

/** A request as a job: the Inbound, with its arrival on the wall clock (performance.now() is per process). */
interface TurnJob {
  inbound: Inbound;
  receivedAtEpoch: number;
}

const QUEUE_NAME = 'icp-turns';

/** A job id from a dedupe key: BullMQ ids must not look like numbers or hold ':'. */
const jobIdOf = (key: string): string => `t-${createHash('sha256').update(key).digest('base64url').slice(0, 32)}`;

/** Claims a twin key for a job, or finds it claimed by another: SET NX, or the same owner again (a retry). */
const CLAIM = `
for i, key in ipairs(KEYS) do
  local owner = redis.call('GET', key)
  if owner and owner ~= ARGV[1] then return 0 end
end
for i, key in ipairs(KEYS) do redis.call('SET', key, ARGV[1], 'PX', ARGV[2]) end
return 1`;

interface RedisDispatcherOptions {
  url: string;
  log: Logger;
  /** Namespaces every key (several bots, or tests, on one Redis). */
  prefix?: string;
  /** false: this instance only enqueues (ICP_ROLE=web). */
  work?: boolean;
  limits?: Partial<RedisLimits>;
}

export class RedisDispatcher implements Dispatcher {
  private readonly limits: RedisLimits;
  private readonly prefix: string;
  /** Fails fast while Redis is away (no offline queue): the receiver must answer 503, not wait. */
  private readonly producer: Redis;
  /** Made once the producer connection is first ready: BullMQ's set-up commands cannot wait in an offline queue. */
  private queueMade: Queue<TurnJob> | null = null;
  private worker: Worker<TurnJob> | null = null;
  private stopping = false;

  constructor(private readonly opts: RedisDispatcherOptions) {
    this.limits = { ...REDIS_LIMITS, ...opts.limits };
    this.prefix = opts.prefix ?? 'icp';
    this.producer = new Redis(opts.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    this.producer.on('error', (err: Error) =>
      opts.log.warn({ event: 'redis_error', role: 'producer', reason: err.message }),
    );
  }

  private get queue(): Queue<TurnJob> {
    if (!this.queueMade) {
      this.queueMade = new Queue<TurnJob>(QUEUE_NAME, { connection: this.producer, prefix: this.prefix });
      this.queueMade.on('error', (err: Error) =>
        this.opts.log.warn({ event: 'redis_error', role: 'queue', reason: err.message }),
      );
    }
    return this.queueMade;
  }

  /** Whether Redis answers now (for /readyz). */
  async ping(): Promise<boolean> {
    try {
      await whenReady(this.producer, this.limits.enqueueTimeoutMs);
      return (await withTimeout(this.producer.ping(), this.limits.enqueueTimeoutMs)) === 'PONG';
    } catch {
      return false;
    }
  }

  async accept(inbound: Inbound): Promise<Accepted> {
    if (this.stopping) return 'stopping';
    const jobId = jobIdOf(dedupeKeys(inbound)[0]!);
    const data: TurnJob = { inbound, receivedAtEpoch: Date.now() - (performance.now() - inbound.receivedAt) };
    try {
      await whenReady(this.producer, this.limits.enqueueTimeoutMs);
      // Adding is idempotent by job id (a repeat finds its job there); the mark only tells the log which it was.
      await withTimeout(
        this.queue.add('turn', data, {
          jobId,
          attempts: this.limits.attempts,
          backoff: { type: 'exponential', delay: this.limits.backoffMs },
          removeOnComplete: { age: Math.ceil(this.limits.keepMs / 1000) },
          removeOnFail: { age: Math.ceil(this.limits.keepMs / 1000) },
        }),
        this.limits.enqueueTimeoutMs,
      );
      const first = await withTimeout(
        this.producer.set(`${this.prefix}:seen:${jobId}`, '1', 'PX', this.limits.keepMs, 'NX'),
        this.limits.enqueueTimeoutMs,
      );
      return first === 'OK' ? 'accepted' : 'duplicate';
    } catch (err) {
      this.opts.log.warn({ event: 'enqueue_failed', reason: err instanceof Error ? err.message : String(err) });
      this.dropQueue();
      return 'unavailable';
    }
  }

  /**
   * BullMQ keeps the first connection error of a Queue made while Redis was going down and fails
   * every later add with it, even once Redis is back: after a failure the next add makes a new one.
   * (The connection is ours and shared: closing the Queue leaves it open.)
   */
  private dropQueue(): void {
    const q = this.queueMade;
    this.queueMade = null;
    void q?.close().catch(() => undefined);
  }

  start(run: TurnRunner): void {
    if (this.opts.work === false || this.worker) return;
    const connection = new Redis(this.opts.url, { maxRetriesPerRequest: null });
    connection.on('error', (err: Error) =>
      this.opts.log.warn({ event: 'redis_error', role: 'worker', reason: err.message }),
    );
    this.worker = new Worker<TurnJob>(QUEUE_NAME, (job) => this.process(job, run), {
      connection,
      prefix: this.prefix,
      concurrency: this.limits.concurrency,
      lockDuration: this.limits.lockDurationMs,
      stalledInterval: this.limits.stalledIntervalMs,
      maxStalledCount: 2,
    });
    this.worker.on('error', (err: Error) =>
      this.opts.log.warn({ event: 'redis_error', role: 'worker', reason: err.message }),
    );
    this.worker.on('failed', (job, err) =>
      this.opts.log.error({ event: 'turn_failed', kind: job?.data.inbound.kind, attempt: job?.attemptsMade, err }),
    );
  }

  private async process(job: Job<TurnJob>, run: TurnRunner): Promise<void> {
    const id = job.id!;
    const done = `${this.prefix}:done:${id}`;
    if (await this.producer.exists(done)) return;
    // A mention's twin: the first job to run owns the channel + ts; the other one is a repeat.
    const twins = dedupeKeys(job.data.inbound)
      .slice(1)
      .map((k) => `${this.prefix}:claim:${k}`);
    if (
      twins.length > 0 &&
      (await this.producer.eval(CLAIM, twins.length, ...twins, id, String(this.limits.keepMs))) !== 1
    )
      return;
    const inbound = { ...job.data.inbound, receivedAt: performance.now() - (Date.now() - job.data.receivedAtEpoch) };
    await run(inbound);
    await this.producer.set(done, '1', 'PX', this.limits.keepMs);
  }

  /** Takes nothing more; lets running turns finish (up to `waitMs`). Queued jobs stay in Redis for the others. */
  async stop(waitMs: number): Promise<{ dropped: number }> {
    this.stopping = true;
    if (this.worker) {
      const worker = this.worker;
      const closed = worker.close().then(() => true);
      const finished = await Promise.race([
        closed,
        new Promise<boolean>((r) => setTimeout(() => r(false), waitMs).unref()),
      ]);
      // Still running after the wait: their locks expire and another instance takes them over.
      if (!finished) await worker.close(true).catch(() => undefined);
    }
    await this.queueMade?.close().catch(() => undefined);
    this.producer.disconnect();
    return { dropped: 0 };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
      timer.unref();
    }),
  ]);
}

/**
 * Resolves once the connection is ready, or rejects after `ms`: with the offline queue off,
 * commands sent before then would fail at once, and while Redis is away nothing piles up in memory.
 */
export function whenReady(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return withTimeout(
    new Promise<void>((resolve) => {
      const onReady = () => {
        clearInterval(poll);
        resolve();
      };
      redis.once('ready', onReady);
      // The listener goes once the timeout has answered, so waiting callers do not accumulate.
      const poll = setInterval(() => {
        if (redis.status === 'ready') onReady();
      }, 50);
      setTimeout(() => {
        clearInterval(poll);
        redis.off('ready', onReady);
      }, ms + 10).unref();
    }),
    ms,
  );
}
