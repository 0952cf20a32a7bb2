/**
 * The playground's web server on 127.0.0.1: the static page (read from src/playground/public at
 * request time, so no build step) and a pass-through of `/_standin/…` to the stand-in, so the page
 * talks to one origin. Only loopback Host names are served and cross-site writes are refused, so a
 * web page elsewhere cannot drive the local workspace (DNS rebinding, form posts).
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { isLoopbackHost } from '../standin/control.js';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

interface PlaygroundWebOptions {
  port: number;
  publicDir: string;
  /** The stand-in's base URL, e.g. http://127.0.0.1:41234/ */
  standinUrl: string;
  /** GET /report: the support lead's report on this run's question log (a whole HTML page). */
  report?: () => Promise<string>;
}

/** The report page inlines Chart.js and its data, and fetches nothing (its own CSP says so too). */
const REPORT_HEADERS = {
  ...{ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' },
  'content-security-policy':
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

export interface PlaygroundWeb {
  port: number;
  close(): Promise<void>;
}

export { isLoopbackHost };

/** A write may come only from our own page: same-origin (or no Origin, e.g. curl) and JSON. */
export function isAllowedWrite(headers: http.IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (
    origin !== undefined &&
    (origin === 'null' || !isLoopbackHost(safeHost(origin)) || safeHost(origin) !== headers.host)
  )
    return false;
  return (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

export async function startPlaygroundWeb(opts: PlaygroundWebOptions): Promise<PlaygroundWeb> {
  // The page is a handful of flat files; an allow-list of their names rules out path tricks.
  const files = new Set(readdirSync(opts.publicDir).filter((f) => TYPES[extname(f)] !== undefined));
  const upstream = new URL(opts.standinUrl);

  const server = http.createServer((req, res) => {
    if (!isLoopbackHost(req.headers.host)) return plain(res, 421, 'misdirected request');
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path.startsWith('/_standin/')) {
      if (req.method !== 'GET' && !isAllowedWrite(req.headers)) return plain(res, 403, 'forbidden');
      return proxy(req, res, upstream, path);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed');
    if (path === '/report' && opts.report) {
      return void opts.report().then(
        (html) =>
          res
            .writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...REPORT_HEADERS })
            .end(req.method === 'HEAD' ? undefined : html),
        () => plain(res, 500, 'the report could not be made'),
      );
    }
    const name = path === '/' ? 'index.html' : path.slice(1);
    if (!files.has(name)) return plain(res, 404, 'not found');
    readFile(join(opts.publicDir, name)).then(
      (body) => {
        res.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream', ...SECURITY_HEADERS });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => plain(res, 404, 'not found'),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The page's event stream never ends by itself.
        server.closeAllConnections();
      }),
  };
}

function proxy(req: http.IncomingMessage, res: http.ServerResponse, upstream: URL, path: string): void {
  const search = new URL(req.url ?? '/', 'http://localhost').search;
  const headers: http.OutgoingHttpHeaders = { accept: req.headers.accept ?? '*/*' };
  if (req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
  if (req.headers['content-length']) headers['content-length'] = req.headers['content-length'];
  const out = http.request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: path + search, headers },
    (up) => {
      const h: http.OutgoingHttpHeaders = { ...SECURITY_HEADERS };
      for (const k of ['content-type', 'content-length']) if (up.headers[k] !== undefined) h[k] = up.headers[k];
      res.writeHead(up.statusCode ?? 502, h);
      // Flush SSE lines as they come instead of buffering them.
      res.flushHeaders();
      up.pipe(res);
    },
  );
  out.on('error', () => {
    if (!res.headersSent) plain(res, 502, 'stand-in unavailable');
    else res.end();
  });
  // The page closing its event stream must end the upstream one too.
  res.on('close', () => out.destroy());
  req.pipe(out);
}

function plain(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
  res.end(text);
}
