/**
 * The browser mode's server: serves the built renderer (out/renderer) as static files on the loopback
 * interface only. All computation happens in the page (Web Workers); this server never sees user data.
 *
 * Hardening: GET/HEAD only; paths are decoded, normalised and must stay inside the root (no `..`,
 * no encoded or doubled variants, no NUL); no directory listings; the Host header must name the
 * loopback address and our port (DNS-rebinding guard); every response carries a CSP and nosniff.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from './security-policy';

export const LOOPBACK_HOST = '127.0.0.1';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.csv': 'text/csv; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export interface BrowserServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}

/** Resolves a request path inside `root`, or undefined when it would leave it or is malformed. */
export function resolveInsideRoot(root: string, rawUrl: string): string | undefined {
  const pathPart = rawUrl.split(/[?#]/, 1)[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return undefined;
  if (decoded.split('/').some((segment) => segment === '..')) return undefined;
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  const full = resolve(root, normalize(relative));
  return full === root || full.startsWith(root + sep) ? full : undefined;
}

function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `${LOOPBACK_HOST}:${port}` || hostHeader === `localhost:${port}`;
}

export async function startBrowserServer(rootDir: string, port: number): Promise<BrowserServer> {
  const root = resolve(rootDir);
  let boundPort = port;
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-cache');
    if (!isAllowedHost(req.headers.host, boundPort)) return send(res, 421, 'Misdirected request');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'Method not allowed');
    }
    const file = resolveInsideRoot(root, req.url ?? '/');
    if (!file) return send(res, 400, 'Bad request');
    try {
      const info = await stat(file);
      if (!info.isFile()) return send(res, 404, 'Not found');
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': info.size,
      });
      if (req.method === 'HEAD') return void res.end();
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch {
      send(res, 404, 'Not found');
    }
  };
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK_HOST, () => resolveListen());
  });
  boundPort = (server.address() as AddressInfo).port;
  return {
    url: `http://${LOOPBACK_HOST}:${boundPort}/`,
    port: boundPort,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        // Keep-alive connections would otherwise hold close() open for their idle timeout.
        server.closeAllConnections();
      }),
  };
}

export function defaultRendererRoot(): string {
  return join(__dirname, '..', 'renderer');
}
