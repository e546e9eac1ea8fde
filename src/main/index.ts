/**
 * Electron main entry: one instance, one sandboxed window, and the IPC services behind the
 * contract. Main stays thin; parsing runs in the worker pool.
 *
 *   single-instance lock -> sandbox all renderers -> ready -> guards -> IPC handlers -> menu -> window
 */
import { basename, join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  type MenuItemConstructorOptions,
  type OpenDialogOptions,
  type WebContents,
} from 'electron';
import type { IpcEvents } from '@shared/ipc/contract';
import { inspectFile } from '@shared/formats/import-dataset';
import { datasetBuffers } from '@shared/ipc/analysis-endpoint';
import type { AnalysisRequest, AnalysisResult } from '@shared/ipc/worker-protocol';
import { listSamples } from './bundled-samples';
import { openFileSource } from './node-file-source';
import { createHandle } from './ipc-handle';
import { createMainWindow, installAppGuards, mainEntryUrl } from './window';
import type { ImportWorkerPayload } from './workers/import.worker';
import { createWorkerPool, type WorkerPool } from './workers/worker-pool';

const OPEN_DIALOG_OPTIONS: OpenDialogOptions = {
  title: 'Import instrument files',
  properties: ['openFile', 'multiSelections'],
  filters: [
    { name: 'Instrument files', extensions: ['csv', 'txt', 'tsv', 'dat'] },
    { name: 'All files', extensions: ['*'] },
  ],
};

let mainWindow: BrowserWindow | undefined;
/** Kept apart from mainWindow because a closed window's webContents can no longer be read. */
let mainWebContentsId: number | undefined;
let pool: WorkerPool<ImportWorkerPayload> | undefined;
let analysisPool: WorkerPool<AnalysisRequest, AnalysisResult> | undefined;
/** Running imports by the renderer's jobId, for `import:cancel`. */
const importJobs = new Map<number, AbortController>();
/** Running analyses by the renderer's jobId, for `analysis:cancel`. */
const analysisJobs = new Map<number, AbortController>();

function sendEvent<E extends keyof IpcEvents>(contents: WebContents, event: E, payload: IpcEvents[E]): void {
  if (!contents.isDestroyed()) contents.send(event, payload);
}

/** Folder of the bundled sample files: extraResources when packaged, the repo's resources/ otherwise. */
function samplesDir(): string {
  return app.isPackaged ? join(process.resourcesPath, 'samples') : join(app.getAppPath(), 'resources', 'samples');
}

function registerIpcHandlers(importPool: WorkerPool<ImportWorkerPayload>, analyses: WorkerPool<AnalysisRequest, AnalysisResult>): void {
  const handle = createHandle(ipcMain, { webContentsId: () => mainWebContentsId, entryUrl: mainEntryUrl() }, (message) => {
    console.error(`Interphase: ${message}`);
  });

  handle('dialog:openFiles', async (_request, event) => {
    const owner = BrowserWindow.fromWebContents(event.sender);
    const result = owner ? await dialog.showOpenDialog(owner, OPEN_DIALOG_OPTIONS) : await dialog.showOpenDialog(OPEN_DIALOG_OPTIONS);
    return result.canceled ? [] : result.filePaths;
  });

  handle('import:file', async ({ jobId, path, columnMap, parts }, event) => {
    if (importJobs.has(jobId)) throw new Error(`import:file: job ${String(jobId)} is already running.`);
    const controller = new AbortController();
    importJobs.set(jobId, controller);
    try {
      return await importPool.run(
        { path, columnMap, parts },
        {
          signal: controller.signal,
          onProgress: (fraction) => {
            sendEvent(event.sender, 'import:progress', { jobId, fraction });
          },
        },
      );
    } finally {
      importJobs.delete(jobId);
    }
  });

  // Cancelling a job that already ended is not an error: the renderer may race the result.
  handle('import:cancel', ({ jobId }) => {
    importJobs.get(jobId)?.abort();
    return null;
  });

  // Head only (64 KiB): cheap enough for main, and the renderer needs it before it asks for a mapping.
  handle('import:inspect', async ({ path }) => inspectFile(await openFileSource(path)));

  handle('samples:list', () => listSamples(samplesDir()));

  // The request is main's own clone (IPC copies it), so its buffers move into the worker.
  handle('analysis:run', async ({ jobId, ...request }, event) => {
    if (analysisJobs.has(jobId)) throw new Error(`analysis:run: job ${String(jobId)} is already running.`);
    const controller = new AbortController();
    analysisJobs.set(jobId, controller);
    try {
      return await analyses.run(request, {
        signal: controller.signal,
        onProgress: (fraction) => {
          sendEvent(event.sender, 'analysis:progress', { jobId, fraction });
        },
      });
    } finally {
      analysisJobs.delete(jobId);
    }
  });

  handle('analysis:cancel', ({ jobId }) => {
    analysisJobs.get(jobId)?.abort();
    return null;
  });
}

/** Standard menus only; importing is driven from the page. */
function installMenu(): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function openMainWindow(): void {
  const window = createMainWindow();
  mainWindow = window;
  mainWebContentsId = window.webContents.id;
  window.on('closed', () => {
    if (mainWindow !== window) return;
    mainWindow = undefined;
    mainWebContentsId = undefined;
    // Nobody is left to receive these results.
    for (const controller of [...importJobs.values(), ...analysisJobs.values()]) controller.abort();
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  installAppGuards();
  pool = createWorkerPool<ImportWorkerPayload>({
    workerFile: join(__dirname, 'import.worker.js'),
    describeJob: ({ path }) => basename(path),
  });
  analysisPool = createWorkerPool<AnalysisRequest, AnalysisResult>({
    workerFile: join(__dirname, 'analysis.worker.js'),
    requestType: 'analyze',
    // Synchronous analyses read this flag mid-loop; a 'cancel' message would wait for them to end.
    hasCancelFlag: true,
    describeJob: ({ dataset }) => dataset.meta.name,
    transferOf: ({ dataset }) => datasetBuffers(dataset),
  });
  registerIpcHandlers(pool, analysisPool);
  installMenu();
  openMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Before ready: every renderer, including any created by a dependency, runs sandboxed.
  app.enableSandbox();
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    void pool?.close();
    void analysisPool?.close();
  });
  start().catch((error: unknown) => {
    console.error('Interphase: failed to start:', error);
    app.exit(1);
  });
}
