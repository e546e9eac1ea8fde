/** ComputeHost for the browser build: the core runs in a module Web Worker; files never leave the page. */
import { inspectFile, type FileInspection } from '@shared/formats/import-dataset';
import { RemoteError, type WorkerRequest, type WorkerResponse } from '@shared/ipc/worker-protocol';
import type { Dataset } from '@shared/model/dataset';
import type { ComputeHost, ImportInput, ImportJobOptions } from './compute-host';
import type { BrowserImportPayload } from '../workers/compute.worker';
import { fileSource } from '../workers/file-source';

interface SampleIndex {
  files: { fileName: string; isOpenedOnFirstStart: boolean }[];
}

export function createBrowserHost(): ComputeHost {
  let worker: Worker | undefined;
  let seq = 0;
  const pending = new Map<number, { resolve(d: Dataset): void; reject(e: Error): void; onProgress(f: number): void }>();

  const getWorker = (): Worker => {
    if (worker) return worker;
    worker = new Worker(new URL('../workers/compute.worker.ts', import.meta.url), { type: 'module', name: 'interphase-compute' });
    worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
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
      for (const job of pending.values()) job.reject(new Error(`the import worker stopped: ${event.message}`));
      pending.clear();
      worker?.terminate();
      worker = undefined;
    };
    return worker;
  };

  return {
    kind: 'browser',
    fromFile: (file) => ({ kind: 'file', name: file.name, file }),
    importDataset(input: ImportInput, options: ImportJobOptions): Promise<Dataset> {
      if (input.kind !== 'file') return Promise.reject(new Error(`${input.name}: the browser build reads files chosen in the page only.`));
      const id = ++seq;
      const w = getWorker();
      return new Promise<Dataset>((resolve, reject) => {
        pending.set(id, { resolve, reject, onProgress: options.onProgress });
        options.signal.addEventListener('abort', () => {
          const cancel: WorkerRequest<BrowserImportPayload> = { seq: ++seq, type: 'cancel', payload: { target: id } };
          w.postMessage(cancel);
        });
        const request: WorkerRequest<BrowserImportPayload> = {
          seq: id,
          type: 'import',
          payload: { file: input.file, columnMap: options.columnMap },
        };
        w.postMessage(request);
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
