/// <reference lib="webworker" />
/** Web Worker host of the pure core for the browser build: the same import endpoint as worker_threads. */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { ByteSource } from '@shared/formats/import-dataset';
import { createImportEndpoint } from '@shared/ipc/import-endpoint';
import type { WorkerRequest, WorkerResponse } from '@shared/ipc/worker-protocol';

declare const self: DedicatedWorkerGlobalScope;

function fileSource(file: File): ByteSource {
  return {
    fileName: file.name,
    sizeBytes: file.size,
    async *chunks() {
      const reader = file.stream().getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          yield value;
        }
      } finally {
        reader.releaseLock();
      }
    },
  };
}

const handle = createImportEndpoint<File>({
  post: (message: WorkerResponse, transfer: ArrayBuffer[]) => self.postMessage(message, transfer),
  openSource: fileSource,
  createHasher: () => {
    const hash = sha256.create();
    return { update: (bytes) => void hash.update(bytes), digestHex: () => bytesToHex(hash.digest()) };
  },
});

self.onmessage = (event: MessageEvent<WorkerRequest<File>>) => void handle(event.data);
