import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInsideRoot, startBrowserServer, type BrowserServer } from './browser-server';

/** Raw GET (no URL normalisation by a client library), so traversal attempts reach the server as written. */
function get(
  port: number,
  path: string,
  host = `127.0.0.1:${port}`,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { host }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser-mode server', () => {
  const outside = mkdtempSync(join(tmpdir(), 'interphase-serve-'));
  const root = join(outside, 'renderer');
  let server: BrowserServer;

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(outside, 'secret.txt'), 'do not serve');
    server = await startBrowserServer(root, 0);
  });
  afterAll(() => server.close());

  it('listens on 127.0.0.1 at a free port for --port 0 and serves the app with its security headers', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.port).toBeGreaterThan(0);
    const index = await get(server.port, '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>app</title>');
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(String(index.headers['content-security-policy'])).toContain("default-src 'self'");
    expect(String(index.headers['content-security-policy'])).not.toContain('unsafe-eval');
    expect((await get(server.port, '/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('never serves a file outside its root, however the path is spelled', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%252e%252e/secret.txt',
      '/assets/%00.js',
    ]) {
      const res = await get(server.port, path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.body, path).not.toContain('do not serve');
    }
  });

  it('lists no directories and refuses foreign Host headers (DNS rebinding)', async () => {
    expect((await get(server.port, '/assets/')).status).toBe(404);
    expect((await get(server.port, '/assets')).status).toBe(404);
    expect((await get(server.port, '/', 'evil.example:80')).status).toBe(421);
    expect((await get(server.port, '/', `localhost:${server.port}`)).status).toBe(200);
  });

  it('resolves request paths strictly inside the root', () => {
    expect(resolveInsideRoot('/srv/app', '/')).toBe('/srv/app/index.html');
    expect(resolveInsideRoot('/srv/app', '/a/b.js?x=1')).toBe('/srv/app/a/b.js');
    expect(resolveInsideRoot('/srv/app', '/%E0%A4%A')).toBeUndefined();
    expect(resolveInsideRoot('/srv/app', '/a/../../etc/passwd')).toBeUndefined();
  });
});
