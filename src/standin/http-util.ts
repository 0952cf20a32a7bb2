/** Small HTTP helpers for the stand-in server: bounded body reading, Slack-style argument parsing. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLarge extends Error {}

/** Reads the whole body as bytes, refusing more than `limit` bytes (so a runaway client cannot fill memory). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge(`body over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Web API arguments the way Slack accepts them: a JSON object body, a form body, or the query string
 * (all merged, body winning). Returns null when a JSON body does not parse.
 */
export function parseArgs(
  contentType: string | undefined,
  body: Buffer,
  query: URLSearchParams,
): Record<string, unknown> | null {
  const args: Record<string, unknown> = {};
  for (const [k, v] of query) args[k] = v;
  const text = body.toString('utf8');
  if (text.length === 0) return args;
  if ((contentType ?? '').includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (!isRecord(parsed)) return null;
      return { ...args, ...parsed };
    } catch {
      return null;
    }
  }
  for (const [k, v] of new URLSearchParams(text)) args[k] = v;
  return args;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function bool(v: unknown): boolean {
  return v === true || v === 'true' || v === '1' || v === 1;
}
