/** A logger whose JSON lines a test can read, with the secrets it must never print. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/slack/log.js';

export function capturedLog(secrets: string[]): { lines: Record<string, unknown>[]; log: Logger } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, log: createLogger({ destination, secrets }) };
}
