/**
 * ComputeHost for the browser build: the core runs in a module Web Worker; files never leave the page.
 * Imports and analyses share the worker and its envelope (worker-protocol.ts).
 *
 * Analyses: the dataset's columns are copied on this thread and the copy is transferred, so the page
 * keeps plotting its own columns (a transfer would detach them) and the worker gets them without a
 * second clone. Cancel rejects at once; the worker stops through the shared cancel flag where the page
 * is cross-origin isolated, else the worker is replaced when it holds nothing else, else it is sent
 * 'cancel' (read once the running analysis returns).
 */
import { copyImportedDataset, datasetBuffers } from '@shared/ipc/analysis-endpoint';
import { inspectFile, type FileInspection, type ImportedDataset } from '@shared/formats/import-dataset';
import { ImportError } from '@shared/formats/import-error';
import { RemoteError, type AnalysisResult, type ComputeWorkerRequest, type WorkerResponse } from '@shared/ipc/worker-protocol';
import type { AnalysisJobOptions, AnalysisRequest, ComputeHost, ImportInput, ImportJobOptions } from './compute-host';
import type { BrowserImportPayload } from '../workers/compute.worker';
import { fileSource } from '../workers/file-source';

interface SampleIndex {
  files: { fileName: string; isOpenedOnFirstStart: boolean }[];
}

/** The Files of a split export's parts (all chosen in the page), or undefined for a single file. */
function partFiles(parts: ImportInput[] | undefined): File[] | undefined {
  if (!parts || parts.length < 2) return undefined;
  return parts.map((p) => {
    if (p.kind !== 'file') throw new Error(`${p.name}: the browser build reads files chosen in the page only.`);
    return p.file;
  });
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
      const dataset = copyImportedDataset(request.dataset);
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
          pending.delete(id);
          settle();
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },
    // The head is 64 KiB: read and inspected on this thread, faster than a worker round trip.
    inspect(input: ImportInput): Promise<FileInspection> {
      if (input.kind !== 'file') return Promise.reject(new Error(`${input.name}: the browser build reads files chosen in the page only.`));
      return inspectFile(fileSource(input.file));
    },
    async firstStartSamples(): Promise<ImportInput[]> {
      const index = (await (await fetch('./samples/index.json')).json()) as SampleIndex;
      const inputs: ImportInput[] = [];
      for (const { fileName } of index.files.filter((f) => f.isOpenedOnFirstStart)) {
        const blob = await (await fetch(`./samples/${encodeURIComponent(fileName)}`)).blob();
        inputs.push({ kind: 'file', name: fileName, file: new File([blob], fileName) });
      }
      return inputs;
    },
  };
}
