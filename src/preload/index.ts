/**
 * The renderer's only door to main: `window.api`, one typed method per IPC channel of the contract.
 * Runs in a sandboxed renderer, so it may import nothing but 'electron'; it never hands the raw
 * ipcRenderer or event objects to the page.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { IpcChannel, IpcEvents, IpcRequest, IpcResponse, RendererApi } from '@shared/ipc/contract';

function invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>> {
  return ipcRenderer.invoke(channel, request) as Promise<IpcResponse<C>>;
}

function subscribe<E extends keyof IpcEvents>(event: E, listener: (payload: IpcEvents[E]) => void): () => void {
  const forward = (_event: IpcRendererEvent, payload: IpcEvents[E]): void => {
    listener(payload);
  };
  ipcRenderer.on(event, forward);
  return () => {
    ipcRenderer.removeListener(event, forward);
  };
}

const api: RendererApi = {
  openFiles: () => invoke('dialog:openFiles', null),
  importFile: (request) => invoke('import:file', request),
  cancelImport: (request) => invoke('import:cancel', request),
  inspectFile: (request) => invoke('import:inspect', request),
  listSamples: () => invoke('samples:list', null),
  onImportProgress: (listener) => subscribe('import:progress', listener),
  runAnalysis: (request) => invoke('analysis:run', request),
  cancelAnalysis: (request) => invoke('analysis:cancel', request),
  onAnalysisProgress: (listener) => subscribe('analysis:progress', listener),
  getPathForFile: (file) => webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]),
};

contextBridge.exposeInMainWorld('api', api);
