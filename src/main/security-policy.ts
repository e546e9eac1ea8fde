/**
 * The renderer's security policy as plain data and predicates, kept free of Electron so it can be
 * unit-tested: the Content-Security-Policy, where the app's own page lives, and which URLs the
 * renderer may load (the app is offline: nothing may leave the machine).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Same policy as the `<meta>` in src/renderer/index.html. It is also sent as a response header
 * because a header covers responses a `<meta>` cannot (workers, the dev server), and the `<meta>`
 * covers file:// pages, for which Chromium does not always run header hooks.
 * No 'unsafe-eval': the cartesian Plotly bundle (SVG traces, no WebGL/regl code generation) needs none.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Schemes that never reach the network. `devtools:` serves the DevTools front end. */
const LOCAL_SCHEMES: ReadonlySet<string> = new Set(['file:', 'data:', 'blob:', 'devtools:']);

/** Dev-server schemes: the page over http(s) and Vite's HMR socket over ws(s). */
const DEV_SERVER_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:', 'ws:', 'wss:']);

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * URL of the page the main window shows: electron-vite's dev server when it set
 * `ELECTRON_RENDERER_URL`, otherwise the built `out/renderer/index.html` next to `out/main`.
 *
 * @param mainDir - `__dirname` of the built main bundle (`out/main`).
 * @param devServerUrl - `process.env.ELECTRON_RENDERER_URL`.
 */
export function appEntryUrl(mainDir: string, devServerUrl: string | undefined): string {
  if (devServerUrl) return devServerUrl;
  return pathToFileURL(join(mainDir, '..', 'renderer', 'index.html')).href;
}

/**
 * Whether `url` is a page of our app: the same file as the entry (query and hash ignored) for
 * file:// entries, or the same origin as the dev server.
 */
export function isAppUrl(url: string, entryUrl: string): boolean {
  const actual = parseUrl(url);
  const expected = parseUrl(entryUrl);
  if (actual === undefined || expected === undefined) return false;
  if (actual.protocol !== expected.protocol) return false;
  if (expected.protocol === 'file:') return actual.host === expected.host && actual.pathname === expected.pathname;
  return actual.origin === expected.origin;
}

/**
 * Whether the renderer may load `url`. Everything local is allowed; the network only for the dev
 * server's host and port (page and HMR socket), so a packaged app never calls out.
 */
export function isAllowedRequestUrl(url: string, devServerUrl: string | undefined): boolean {
  const target = parseUrl(url);
  if (!target) return false;
  if (LOCAL_SCHEMES.has(target.protocol)) return true;
  if (!devServerUrl || !DEV_SERVER_SCHEMES.has(target.protocol)) return false;
  const dev = parseUrl(devServerUrl);
  return dev?.host === target.host;
}

/**
 * Whether main should add the CSP header to a response from `url`: our own pages only, never
 * DevTools, whose front end brings its own policy.
 */
export function isCspTarget(url: string, devServerUrl: string | undefined): boolean {
  const target = parseUrl(url);
  if (!target) return false;
  if (target.protocol === 'file:') return true;
  return target.protocol !== 'devtools:' && DEV_SERVER_SCHEMES.has(target.protocol) && isAllowedRequestUrl(url, devServerUrl);
}
