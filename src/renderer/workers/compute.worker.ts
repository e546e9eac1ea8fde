/// <reference lib="webworker" />
/**
 * Web Worker host of the pure core for the browser build: the same import and analysis endpoints as
 * worker_threads. 'import' goes to the import endpoint, 'analyze' to the analysis endpoint, and
 * 'cancel' to both (each ignores targets it does not run; the host's seq numbers are unique).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { ColumnMap } from '@shared/formats/column-map';
import { createAnalysisEndpoint } from '@shared/ipc/analysis-endpoint';
import { createImportEndpoint } from '@shared/ipc/import-endpoint';
import type { AnalysisResult, ComputeWorkerRequest, WorkerResponse } from '@shared/ipc/worker-protocol';
import { presentColumns, type ColumnKey } from '@shared/model/dataset';
import { openAccessDatabase } from './access-database';
import { fileSource } from './file-source';

declare const self: DedicatedWorkerGlobalScope;

/** One import request of the browser build: the File from the picker or a drop, and the user's mapping. */
export interface BrowserImportPayload {
  file: File;
  columnMap?: ColumnMap;
  /** All parts of a split NEWARE Excel export, in order (the first is `file`). */
  parts?: File[];
}

/** An import's result as the page receives it: the dataset plus its columns' Blobs (see column-blobs.ts). */
export type BrowserImportResponse = WorkerResponse & { columnBlobs?: Partial<Record<ColumnKey, Blob>> };

/**
 * Makes each column's Blob here, before the columns are transferred: the page stores these (a Blob is
 * cloned by reference) instead of copying ~30 B/row into Blobs on its own thread.
 */
function withColumnBlobs(message: WorkerResponse): BrowserImportResponse {
  if (message.type !== 'result' || message.payload.kind === 'indentation') return message;
  const columnBlobs: Partial<Record<ColumnKey, Blob>> = {};
  for (const { spec, array } of presentColumns(message.payload.columns))
    columnBlobs[spec.key] = new Blob([array as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
  return { ...message, columnBlobs };
}

const handle = createImportEndpoint<BrowserImportPayload>({
  post: (message: WorkerResponse, transfer: ArrayBuffer[]) => self.postMessage(withColumnBlobs(message), transfer),
  openSource: (payload) => fileSource(payload.file),
  columnMapOf: (payload) => payload.columnMap,
  partsOf: (payload) => payload.parts?.map((file) => ({ file })),
  services: { openAccessDatabase },
  createHasher: () => {
    const hash = sha256.create();
    return { update: (bytes) => void hash.update(bytes), digestHex: () => bytesToHex(hash.digest()) };
  },
});

const analyze = createAnalysisEndpoint({
  post: (message: WorkerResponse<AnalysisResult>, transfer: ArrayBuffer[]) => self.postMessage(message, transfer),
});

self.onmessage = (event: MessageEvent<ComputeWorkerRequest<BrowserImportPayload>>) => {
  const request = event.data;
  if (request.type === 'analyze') analyze(request);
  else {
    if (request.type === 'cancel') analyze(request);
    void handle(request);
  }
};
