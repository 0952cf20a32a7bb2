/**
 * Records every Web API and response_url call the bot makes, and holds the injected failures and
 * delays. Bounded: the oldest calls are dropped past `maxCalls`.
 */
import { performance } from 'node:perf_hooks';

export interface RecordedCall {
  /** Web API method (`chat.postMessage`, …), or `response_url` for posts to a response URL. */
  method: string;
  /** The arguments as received, minus any `token` field. */
  args: Record<string, unknown>;
  tokenOk: boolean;
  /** Date.now() when the request arrived. */
  time: number;
  /** performance.now() when the request arrived (same clock as the driver's send times). */
  at: number;
  /** HTTP status the stand-in answered with. */
  status: number;
  /** The JSON the stand-in answered with. */
  response: Record<string, unknown>;
  /** Set when the answer came from `fail()` rather than the method itself. */
  injected?: string;
  /** The message this call created, updated or deleted (for postEphemeral and response_url too). */
  message?: { channel: string; ts: string };
}

export type FailureSpec =
  | { times: number; status: number }
  | { times: number; error: 'ratelimited'; retryAfter: number }
  | { times: number; okFalse: string };

export type Fault =
  { kind: 'status'; status: number } | { kind: 'ratelimited'; retryAfter: number } | { kind: 'okFalse'; error: string };

export interface WaitOptions {
  timeoutMs?: number;
}

type CallListener = (call: RecordedCall) => void;

export class Recorder {
  readonly calls: RecordedCall[] = [];
  private readonly faults = new Map<string, { fault: Fault; remaining: number }>();
  private readonly delays = new Map<string, number>();
  private readonly listeners = new Set<CallListener>();

  constructor(private readonly maxCalls = 10_000) {}

  static now(): number {
    return performance.now();
  }

  record(call: RecordedCall): void {
    this.calls.push(call);
    if (this.calls.length > this.maxCalls) this.calls.splice(0, this.calls.length - this.maxCalls);
    for (const l of [...this.listeners]) l(call);
  }

  /** Subscribes to calls as they are recorded; returns the unsubscribe function. */
  onCall(listener: CallListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the first recorded call (already recorded or future) matching `predicate`. */
  waitForCall(predicate: (c: RecordedCall) => boolean, opts: WaitOptions = {}): Promise<RecordedCall> {
    const existing = this.calls.find(predicate);
    if (existing) return Promise.resolve(existing);
    const timeoutMs = opts.timeoutMs ?? 5_000;
    return new Promise((resolve, reject) => {
      const off = this.onCall((c) => {
        if (!predicate(c)) return;
        clearTimeout(timer);
        off();
        resolve(c);
      });
      const timer = setTimeout(() => {
        off();
        const seen =
          this.calls
            .slice(-10)
            .map((c) => c.method)
            .join(', ') || 'none';
        reject(new Error(`stand-in: no matching call within ${timeoutMs} ms (last calls: ${seen})`));
      }, timeoutMs);
    });
  }

  fail(method: string, spec: FailureSpec): void {
    let fault: Fault;
    if ('status' in spec) fault = { kind: 'status', status: spec.status };
    else if ('okFalse' in spec) fault = { kind: 'okFalse', error: spec.okFalse };
    else fault = { kind: 'ratelimited', retryAfter: spec.retryAfter };
    this.faults.set(method, { fault, remaining: spec.times });
  }

  /** Consumes one injected failure for `method` (or `*`), if any remain. */
  takeFault(method: string): Fault | undefined {
    for (const key of [method, '*']) {
      const f = this.faults.get(key);
      if (!f) continue;
      f.remaining -= 1;
      if (f.remaining <= 0) this.faults.delete(key);
      return f.fault;
    }
    return undefined;
  }

  /** Delays every answer to `method` (or `*` for all) by `ms`; 0 removes the delay. */
  delay(method: string, ms: number): void {
    if (ms > 0) this.delays.set(method, ms);
    else this.delays.delete(method);
  }

  delayFor(method: string): number {
    return this.delays.get(method) ?? this.delays.get('*') ?? 0;
  }

  /** Forgets recorded calls, failures and delays (not the workspace's messages). */
  reset(): void {
    this.calls.length = 0;
    this.faults.clear();
    this.delays.clear();
  }
}
