/** Renderer entry: pick the host (desktop or browser), open the library, show the shell. */
import type { RendererApi } from '@shared/ipc/contract';
import { createBrowserHost } from './host/browser-host';
import { createElectronHost } from './host/electron-host';
import { Library } from './storage/library-db';
import { AppView } from './views/app-view';

declare global {
  interface Window {
    /** Present only in the desktop app (exposed by the preload). */
    api?: RendererApi;
  }
}

const host = window.api ? createElectronHost(window.api) : createBrowserHost();
// `?demo=off` starts an empty profile without the demo experiment (tests that import their own files).
const isDemoOnFirstStart = new URLSearchParams(location.search).get('demo') !== 'off';
const view = new AppView(document.getElementById('app')!, host, new Library(), { isDemoOnFirstStart });
void view
  .start()
  .catch((error: unknown) => view.showAlert(`Interphase could not start: ${error instanceof Error ? error.message : String(error)}`));
