/**
 * The main window and the guards every renderer gets: sandboxed, isolated, no Node, no navigation,
 * no pop-ups, no webviews, no permissions, and no network except electron-vite's dev server.
 * The page is our bundled renderer; nothing it does may reach past the preload's typed API.
 */
import { join } from 'node:path';
import { app, BrowserWindow, session, type Session, type WebContents } from 'electron';
import { appEntryUrl, CONTENT_SECURITY_POLICY, isAllowedRequestUrl, isCspTarget } from './security-policy';

const guardedContents = new WeakSet<WebContents>();

/**
 * electron-vite's dev server URL, honoured only in an unpackaged app: a packaged build must not be
 * pointed at another page through its environment.
 */
export function devServerUrl(): string | undefined {
  const url = process.env.ELECTRON_RENDERER_URL;
  return app.isPackaged || url === undefined || url === '' ? undefined : url;
}

/** URL of the page the main window loads; IPC senders must show this page. */
export function mainEntryUrl(): string {
  return appEntryUrl(__dirname, devServerUrl());
}

/**
 * Stops a webContents from leaving our page or growing new surfaces: navigation and redirects of
 * any frame, window.open, and <webview>. Idempotent.
 */
export function guardWebContents(contents: WebContents): void {
  if (guardedContents.has(contents)) return;
  guardedContents.add(contents);
  contents.on('will-navigate', (event) => {
    event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Denies every permission, cancels every non-local request and adds the CSP to our pages. */
export function guardSession(target: Session, devUrl: string | undefined): void {
  target.setPermissionRequestHandler((_contents, _permission, callback) => {
    callback(false);
  });
  target.setPermissionCheckHandler(() => false);
  target.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequestUrl(details.url, devUrl) });
  });
  target.webRequest.onHeadersReceived((details, callback) => {
    if (!isCspTarget(details.url, devUrl)) {
      callback({});
      return;
    }
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

/**
 * Installs the session guards and guards every webContents created from now on (DevTools
 * included). Call once, after `app.whenReady()` and before the first window.
 */
export function installAppGuards(): void {
  guardSession(session.defaultSession, devServerUrl());
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents);
  });
}

/** Creates the main window and loads the renderer (dev server or out/renderer/index.html). */
export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Interphase',
    // Shown on ready-to-show so the user never sees an empty white frame.
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  guardWebContents(window.webContents);
  window.once('ready-to-show', () => {
    window.show();
  });

  const devUrl = devServerUrl();
  const loaded = devUrl ? window.loadURL(devUrl) : window.loadFile(join(__dirname, '../renderer/index.html'));
  loaded.catch((error: unknown) => {
    console.error('Interphase: the window could not load its page:', error);
  });
  return window;
}
