/**
 * worker_threads entry for imports: the shared import endpoint with Node's file reader and hasher.
 * Built to out/main/import.worker.js and run by the worker pool; results go back with their column
 * buffers in the transfer list, so a 10-million-row file crosses threads without a copy.
 */
import { parentPort } from 'node:worker_threads';
import { checkColumnMap, type ColumnMap } from '@shared/formats/column-map';
import { createImportEndpoint } from '@shared/ipc/import-endpoint';
import type { WorkerRequest } from '@shared/ipc/worker-protocol';
import { openAccessDatabase } from '../access-database';
import { createNodeHasher, openFileSource } from '../node-file-source';

/** What the pool sends for one import. */
export interface ImportWorkerPayload {
  /** Absolute path, already validated by the IPC layer. */
  path: string;
  /** The user's column mapping (already validated by the IPC layer). */
  columnMap?: ColumnMap;
  /** The parts of a split export, in order (already validated by the IPC layer). */
  parts?: string[];
}

/** The side of a MessagePort this entry uses (parentPort in a worker, a fake in tests). */
export interface ImportWorkerPort {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  postMessage(message: unknown, transfer: readonly ArrayBuffer[]): void;
}

function isImportRequest(message: unknown): message is WorkerRequest<ImportWorkerPayload> {
  if (typeof message !== 'object' || message === null) return false;
  const { seq, type, payload } = message as { seq?: unknown; type?: unknown; payload?: unknown };
  if (typeof seq !== 'number' || typeof payload !== 'object' || payload === null) return false;
  if (type === 'cancel') return typeof (payload as { target?: unknown }).target === 'number';
  if (type !== 'import' || typeof (payload as { path?: unknown }).path !== 'string') return false;
  const { columnMap, parts } = payload as { columnMap?: unknown; parts?: unknown };
  if (parts !== undefined && !(Array.isArray(parts) && parts.every((p) => typeof p === 'string'))) return false;
  if (columnMap === undefined) return true;
  try {
    checkColumnMap(columnMap, 'import');
    return true;
  } catch {
    return false;
  }
}

/**
 * Serves import requests arriving on `port`. Messages that are not requests are ignored, so a
 * stray message cannot crash the worker and fail unrelated jobs.
 */
export function attachImportEndpoint(port: ImportWorkerPort): void {
  const endpoint = createImportEndpoint<ImportWorkerPayload>({
    post: (message, transfer) => {
      port.postMessage(message, transfer);
    },
    openSource: (payload) => openFileSource(payload.path),
    columnMapOf: (payload) => payload.columnMap,
    partsOf: (payload) => payload.parts?.map((path) => ({ path })),
    createHasher: createNodeHasher,
    services: { openAccessDatabase },
  });
  port.on('message', (message) => {
    if (isImportRequest(message)) void endpoint(message);
  });
}

if (parentPort) attachImportEndpoint(parentPort);
