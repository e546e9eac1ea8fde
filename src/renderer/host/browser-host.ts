/**
 * ComputeHost for the browser build: the core runs in a module Web Worker; files never leave the page.
 * Imports and analyses share the worker and its envelope (worker-protocol.ts).
 *
 * Analyses: the dataset's columns are copied on this thread and the copy is transferred, so the page
 * keeps plotting its own columns (a transfer would detach them) and the worker gets them without a
 * second clone. A big dataset is copied in slices between page tasks (no long task). Imports: the worker
 * also sends each column's Blob, made on its thread, for the library to store (column-blobs.ts). Cancel rejects at once; the worker stops through the shared cancel flag where the page
 * is cross-origin isolated, else the worker is replaced when it holds nothing else, else it is sent
 * 'cancel' (read once the running analysis returns).
 */
import { copyImportedDataset, copyImportedDatasetInSlices, datasetBuffers, datasetByteLength } from '@shared/ipc/analysis-endpoint';
import { inspectFile, type FileInspection, type ImportedDataset } from '@shared/formats/import-dataset';
import { ImportError } from '@shared/formats/import-error';
import { RemoteError, type AnalysisResult, type ComputeWorkerRequest, type WorkerResponse } from '@shared/ipc/worker-protocol';
import { checkSampleIndex, SAMPLE_INDEX_VERSION } from '@shared/model/sample-index';
import type { AnalysisJobOptions, AnalysisRequest, BundledSamples, ComputeHost, ImportInput, ImportJobOptions } from './compute-host';
import type { BrowserImportPayload, BrowserImportResponse } from '../workers/compute.worker';
import type { ColumnKey } from '@shared/model/dataset';
import { rememberColumnBlob } from '../storage/column-blobs';
import { fileSource } from '../workers/file-source';

/** The bundled samples, served beside the page (electron.vite.config.ts: publicDir is resources/). */
const SAMPLES_URL = './samples/';

function httpError(url: string, response: Response): Error {
  return new Error(`${url}: HTTP ${[response.status, response.statusText].filter(Boolean).join(' ')}.`);
}

/**
 * Fetches resources/samples: index.json (validated; a 404 means a build without samples), then every
 * listed file, in parallel, as a File named by its index entry.
 */
async function fetchBundledSamples(): Promise<BundledSamples> {
  const indexUrl = `${SAMPLES_URL}index.json`;
  const response = await fetch(indexUrl);
  if (response.status === 404) return { index: { version: SAMPLE_INDEX_VERSION, experiments: [], files: [] }, files: [] };
  if (!response.ok) throw httpError(indexUrl, response);
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    throw new Error(`${indexUrl}: not valid JSON (${error instanceof Error ? error.message : String(error)}).`, { cause: error });
  }
  const index = checkSampleIndex(json, indexUrl);
  const files = await Promise.all(
    index.files.map(async (entry) => {
      const url = `${SAMPLES_URL}${encodeURIComponent(entry.fileName)}`;
      const file = await fetch(url);
      if (!file.ok) throw httpError(url, file);
      const input: ImportInput = { kind: 'file', name: entry.fileName, file: new File([await file.blob()], entry.fileName) };
      return { entry, input };
    }),
  );
  return { index, files };
}

/** The Files of a split export's parts (all chosen in the page), or undefined for a single file. */
function partFiles(parts: ImportInput[] | undefined): File[] | undefined {
  if (!parts || parts.length < 2) return undefined;
  return parts.map((p) => {
    if (p.kind !== 'file') throw new Error(`${p.name}: the browser build reads files chosen in the page only.`);
    return p.file;
  });
}

/**
 * The page copies a big dataset for an analysis this many bytes at a time, yielding in between: a copy
 * of all 290 MB of a 1e7-row dataset at once blocked the page for ~1 s (measured with bench-ui.mjs).
 */
const ANALYSIS_COPY_SLICE_BYTES = 2 * 1024 * 1024;

/** Lets the page handle input and paint: scheduler.yield() where the browser has it, else a macrotask. */
function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export function createBrowserHost(): ComputeHost {
  let worker: Worker | undefined;
  let seq = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(e: Error): void; onProgress(f: number): void }>();

  const getWorker = (): Worker => {
    if (worker) return worker;
    worker = new Worker(new URL('../workers/compute.worker.ts', import.meta.url), { type: 'module', name: 'interphase-compute' });
    worker.onmessage = (event: MessageEvent<WorkerResponse<ImportedDataset | AnalysisResult>>) => {
      const message = event.data;
      const job = pending.get(message.seq);
      if (!job) return;
      if (message.type === 'progress') job.onProgress(message.payload.fraction);
      else if (message.type === 'result') {
        pending.delete(message.seq);
        const { columnBlobs } = message as BrowserImportResponse;
        if (columnBlobs && 'columns' in message.payload) {
          const columns = message.payload.columns as unknown as Partial<Record<ColumnKey, ArrayBufferView>>;
          for (const [key, blob] of Object.entries(columnBlobs) as [ColumnKey, Blob][]) {
            const column = columns[key];
            if (column) rememberColumnBlob(column, blob);
          }
        }
        job.resolve(message.payload);
      } else {
        pending.delete(message.seq);
        job.reject(new RemoteError(message.payload));
      }
    };
    worker.onerror = (event) => {
      // A crashed worker fails every job it held; the next import starts a fresh one.
      for (const job of pending.values()) job.reject(new Error(`the compute worker stopped: ${event.message}`));
      pending.clear();
      worker?.terminate();
      worker = undefined;
    };
    return worker;
  };

  return {
    kind: 'browser',
    fromFile: (file) => ({ kind: 'file', name: file.name, file }),
    importDataset(input: ImportInput, options: ImportJobOptions): Promise<ImportedDataset> {
      if (input.kind !== 'file') return Promise.reject(new Error(`${input.name}: the browser build reads files chosen in the page only.`));
      const id = ++seq;
      const w = getWorker();
      return new Promise<ImportedDataset>((resolve, reject) => {
        pending.set(id, { resolve: (value) => resolve(value as ImportedDataset), reject, onProgress: options.onProgress });
        options.signal.addEventListener('abort', () => {
          const cancel: ComputeWorkerRequest<BrowserImportPayload> = { seq: ++seq, type: 'cancel', payload: { target: id } };
          w.postMessage(cancel);
        });
        const request: ComputeWorkerRequest<BrowserImportPayload> = {
          seq: id,
          type: 'import',
          payload: { file: input.file, columnMap: options.columnMap, parts: partFiles(options.parts) },
        };
        w.postMessage(request);
      });
    },
    analyze(request: AnalysisRequest, options: AnalysisJobOptions = {}): Promise<AnalysisResult> {
      const name = request.dataset.meta.name;
      const cancelled = (): ImportError => new ImportError('aborted', name, 'analysis cancelled.');
      if (options.signal?.aborted) return Promise.reject(cancelled());
      const id = ++seq;
      const w = getWorker();
      // Shared memory needs a cross-origin isolated page (COOP/COEP); without it, see the file comment.
      const cancelFlag =
        typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated
          ? new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT))
          : undefined;
      return new Promise<AnalysisResult>((resolve, reject) => {
        const onAbort = (): void => {
          if (!pending.delete(id)) return;
          reject(cancelled());
          if (cancelFlag) Atomics.store(cancelFlag, 0, 1);
          else if (pending.size === 0 && worker === w) {
            w.terminate();
            worker = undefined;
            return;
          }
          const cancel: ComputeWorkerRequest<BrowserImportPayload> = { seq: ++seq, type: 'cancel', payload: { target: id } };
          w.postMessage(cancel);
        };
        const settle = (): void => options.signal?.removeEventListener('abort', onAbort);
        pending.set(id, {
          resolve: (value) => {
            settle();
            resolve(value as AnalysisResult);
          },
          reject: (error) => {
            settle();
            reject(error);
          },
          onProgress: (fraction) => options.onProgress?.(fraction),
        });
        options.signal?.addEventListener('abort', onAbort, { once: true });
        const fail = (error: unknown): void => {
          pending.delete(id);
          settle();
          reject(error instanceof Error ? error : new Error(String(error)));
        };
        const send = (dataset: ImportedDataset): void => {
          // Cancelled (or the worker crashed) while the columns were being copied.
          if (!pending.has(id)) return;
          const message: ComputeWorkerRequest<BrowserImportPayload> = {
            seq: id,
            type: 'analyze',
            payload: { ...request, dataset },
            ...(cancelFlag ? { cancelFlag } : {}),
          };
          try {
            w.postMessage(message, datasetBuffers(dataset));
          } catch (error) {
            // Params that cannot be cloned (a function, a DOM node) fail this job only.
            fail(error);
          }
        };
        if (datasetByteLength(request.dataset) <= ANALYSIS_COPY_SLICE_BYTES) send(copyImportedDataset(request.dataset));
        else copyImportedDatasetInSlices(request.dataset, ANALYSIS_COPY_SLICE_BYTES, yieldToPage).then(send, fail);
      });
    },
    // The head is 64 KiB: read and inspected on this thread, faster than a worker round trip.
    inspect(input: ImportInput): Promise<FileInspection> {
      if (input.kind !== 'file') return Promise.reject(new Error(`${input.name}: the browser build reads files chosen in the page only.`));
      return inspectFile(fileSource(input.file));
    },
    bundledSamples: fetchBundledSamples,
  };
}
