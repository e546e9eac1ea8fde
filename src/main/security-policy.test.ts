import { describe, expect, it } from 'vitest';
import { appEntryUrl, CONTENT_SECURITY_POLICY, isAllowedRequestUrl, isAppUrl, isCspTarget } from './security-policy';

const directives = new Map(
  CONTENT_SECURITY_POLICY.split(';').map((d) => {
    const [name, ...sources] = d.trim().split(/\s+/);
    return [name, sources] as const;
  }),
);

describe('CONTENT_SECURITY_POLICY', () => {
  it('allows no eval', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toContain('wasm-unsafe-eval');
  });

  it('names no remote host or wildcard', () => {
    for (const [name, sources] of directives) {
      for (const source of sources) {
        expect(source, `${name} ${source}`).toMatch(/^('self'|'none'|'unsafe-inline'|data:|blob:)$/);
      }
    }
  });

  it('keeps scripts to our own files and forbids plugins, base and forms', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe('appEntryUrl', () => {
  it('points at out/renderer/index.html next to out/main', () => {
    expect(appEntryUrl('/opt/interphase/out/main', undefined)).toBe('file:///opt/interphase/out/renderer/index.html');
  });

  it('prefers the dev server', () => {
    expect(appEntryUrl('/opt/interphase/out/main', 'http://localhost:5173')).toBe('http://localhost:5173');
  });
});

describe('isAppUrl', () => {
  const entry = 'file:///opt/interphase/out/renderer/index.html';

  it('accepts our page with or without hash and query', () => {
    expect(isAppUrl(entry, entry)).toBe(true);
    expect(isAppUrl(`${entry}#/library`, entry)).toBe(true);
    expect(isAppUrl(`${entry}?x=1`, entry)).toBe(true);
  });

  it('rejects other files, other schemes and garbage', () => {
    expect(isAppUrl('file:///tmp/evil.html', entry)).toBe(false);
    expect(isAppUrl('file:///opt/interphase/out/renderer/other.html', entry)).toBe(false);
    expect(isAppUrl('https://example.com/', entry)).toBe(false);
    expect(isAppUrl('about:blank', entry)).toBe(false);
    expect(isAppUrl('', entry)).toBe(false);
  });

  it('matches the dev server by origin', () => {
    expect(isAppUrl('http://localhost:5173/index.html', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAppUrl('http://evil.localhost:5173/', 'http://localhost:5173')).toBe(false);
  });
});

describe('isAllowedRequestUrl', () => {
  it('allows local schemes', () => {
    for (const url of [
      'file:///opt/a.js',
      'data:image/png;base64,AA==',
      'blob:file:///1234',
      'devtools://devtools/bundled/inspector.html',
    ]) {
      expect(isAllowedRequestUrl(url, undefined), url).toBe(true);
    }
  });

  it('blocks the network when there is no dev server', () => {
    for (const url of ['https://example.com/', 'http://127.0.0.1:5173/', 'ws://localhost:5173/', 'ftp://x/', 'not a url']) {
      expect(isAllowedRequestUrl(url, undefined), url).toBe(false);
    }
  });

  it('allows only the dev server host and port, page and HMR socket', () => {
    const dev = 'http://localhost:5173/';
    expect(isAllowedRequestUrl('http://localhost:5173/src/main.ts', dev)).toBe(true);
    expect(isAllowedRequestUrl('ws://localhost:5173/', dev)).toBe(true);
    expect(isAllowedRequestUrl('http://localhost:8080/', dev)).toBe(false);
    expect(isAllowedRequestUrl('https://cdn.example.com/x.js', dev)).toBe(false);
  });
});

describe('isCspTarget', () => {
  it('covers our files and the dev server, not DevTools or other hosts', () => {
    expect(isCspTarget('file:///opt/interphase/out/renderer/index.html', undefined)).toBe(true);
    expect(isCspTarget('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isCspTarget('devtools://devtools/bundled/inspector.html', undefined)).toBe(false);
    expect(isCspTarget('https://example.com/', 'http://localhost:5173')).toBe(false);
  });
});
