/**
 * The typed IPC contract between the Electron renderer and main: every channel (`noun:verb`) with its
 * request and response, every event (`noun:event`), the validators main runs on each request, and the
 * RendererApi the preload exposes (one method per channel, never a generic invoke).
 */
import { checkColumnMap, type ColumnMap } from '../formats/column-map';
import type { FileInspection, ImportedDataset } from '../formats/import-dataset';
import type { SampleIndex } from '../model/sample-index';
import { analysisRequestProblem } from './analysis-endpoint';
import type { AnalysisRequest, AnalysisResult, SerializedError } from './worker-protocol';

/** A response that carries failures as data, so the renderer gets our message, not Electron's wrapper. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

export interface ImportFileRequest {
  /** Renderer-chosen id, echoed in progress events and used to cancel. */
  jobId: number;
  /** Absolute path of a file chosen in the open dialog, dropped on the window, or a bundled sample. */
  path: string;
  /** The user's column mapping for generic delimited text (Map columns dialog). */
  columnMap?: ColumnMap;
  /** Every part of a split NEWARE Excel export in order (the first is `path`), to import as one dataset. */
  parts?: string[];
}

/** The bundled samples: main's validated index.json and each file's absolute path, in index order. */
export interface SampleList {
  index: SampleIndex;
  /** `paths[i]` is the file of `index.files[i]`, inside the samples folder. */
  paths: string[];
}

/** One analysis for main's analysis workers; the dataset crosses IPC as a structured clone. */
export interface AnalysisRunRequest extends AnalysisRequest {
  /** Renderer-chosen id, echoed in progress events and used to cancel. */
  jobId: number;
}

export interface IpcChannels {
  'dialog:openFiles': { request: null; response: IpcResult<string[]> };
  'import:file': { request: ImportFileRequest; response: IpcResult<ImportedDataset> };
  'import:cancel': { request: { jobId: number }; response: IpcResult<null> };
  'import:inspect': { request: { path: string }; response: IpcResult<FileInspection> };
  'samples:list': { request: null; response: IpcResult<SampleList> };
  'analysis:run': { request: AnalysisRunRequest; response: IpcResult<AnalysisResult> };
  'analysis:cancel': { request: { jobId: number }; response: IpcResult<null> };
}

export interface IpcEvents {
  'import:progress': { jobId: number; fraction: number };
  'analysis:progress': { jobId: number; fraction: number };
}

export type IpcChannel = keyof IpcChannels;
export type IpcRequest<C extends IpcChannel> = IpcChannels[C]['request'];
export type IpcResponse<C extends IpcChannel> = IpcChannels[C]['response'];

export const IPC_CHANNELS: readonly IpcChannel[] = [
  'dialog:openFiles',
  'import:file',
  'import:cancel',
  'import:inspect',
  'samples:list',
  'analysis:run',
  'analysis:cancel',
];

/** Longest path we accept from the renderer (Windows extended paths reach 32,767). */
const MAX_PATH_LENGTH = 32_767;

function fail(channel: string, what: string): never {
  throw new TypeError(`${channel}: invalid request: ${what}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkJobId(channel: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    fail(channel, `jobId must be a non-negative integer, got ${JSON.stringify(value)}`);
  return value;
}

function checkAbsolutePath(channel: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PATH_LENGTH) fail(channel, 'path must be a non-empty string');
  if (value.includes('\0')) fail(channel, 'path contains a NUL byte');
  const isAbsolute = value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\');
  if (!isAbsolute) fail(channel, `path must be absolute, got ${JSON.stringify(value.slice(0, 200))}`);
  return value;
}

function checkNull(channel: string, value: unknown): null {
  if (value !== null && value !== undefined) fail(channel, 'takes no argument');
  return null;
}

/** Validates a request from the renderer: returns it typed, or throws a TypeError naming the problem. */
export const REQUEST_VALIDATORS: { readonly [C in IpcChannel]: (value: unknown) => IpcRequest<C> } = {
  'dialog:openFiles': (value) => checkNull('dialog:openFiles', value),
  'samples:list': (value) => checkNull('samples:list', value),
  'import:file': (value) => {
    if (!isRecord(value)) fail('import:file', 'expected {jobId, path}');
    const request: ImportFileRequest = {
      jobId: checkJobId('import:file', value.jobId),
      path: checkAbsolutePath('import:file', value.path),
    };
    if (value.columnMap !== undefined) request.columnMap = checkColumnMap(value.columnMap, 'import:file: invalid request');
    if (value.parts !== undefined) {
      if (!Array.isArray(value.parts) || value.parts.length < 2 || value.parts.length > 64)
        fail('import:file', 'parts must list 2 to 64 paths');
      request.parts = value.parts.map((p) => checkAbsolutePath('import:file', p));
    }
    return request;
  },
  'import:inspect': (value) => {
    if (!isRecord(value)) fail('import:inspect', 'expected {path}');
    return { path: checkAbsolutePath('import:inspect', value.path) };
  },
  'import:cancel': (value) => {
    if (!isRecord(value)) fail('import:cancel', 'expected {jobId}');
    return { jobId: checkJobId('import:cancel', value.jobId) };
  },
  'analysis:run': (value) => {
    if (!isRecord(value)) fail('analysis:run', 'expected {jobId, kind, dataset, cell?, params?}');
    const jobId = checkJobId('analysis:run', value.jobId);
    const problem = analysisRequestProblem(value);
    if (problem !== undefined) fail('analysis:run', problem);
    // Only the request's own fields go on: nothing else the page attached reaches the worker.
    const { kind, dataset, cell, params } = value as unknown as AnalysisRequest;
    const request: AnalysisRunRequest = { jobId, kind, dataset };
    if (cell !== undefined) request.cell = cell;
    if (params !== undefined) request.params = params;
    return request;
  },
  'analysis:cancel': (value) => {
    if (!isRecord(value)) fail('analysis:cancel', 'expected {jobId}');
    return { jobId: checkJobId('analysis:cancel', value.jobId) };
  },
};

/** What the preload exposes as `window.api`. */
export interface RendererApi {
  openFiles(): Promise<IpcResponse<'dialog:openFiles'>>;
  importFile(request: ImportFileRequest): Promise<IpcResponse<'import:file'>>;
  cancelImport(request: { jobId: number }): Promise<IpcResponse<'import:cancel'>>;
  inspectFile(request: { path: string }): Promise<IpcResponse<'import:inspect'>>;
  listSamples(): Promise<IpcResponse<'samples:list'>>;
  runAnalysis(request: AnalysisRunRequest): Promise<IpcResponse<'analysis:run'>>;
  cancelAnalysis(request: { jobId: number }): Promise<IpcResponse<'analysis:cancel'>>;
  /** Subscribes to analysis progress; returns the unsubscribe function. */
  onAnalysisProgress(listener: (event: IpcEvents['analysis:progress']) => void): () => void;
  /** Subscribes to import progress; returns the unsubscribe function. */
  onImportProgress(listener: (event: IpcEvents['import:progress']) => void): () => void;
  /** Absolute path of a File dropped on the window (Electron's webUtils.getPathForFile). */
  getPathForFile(file: object): string;
}
