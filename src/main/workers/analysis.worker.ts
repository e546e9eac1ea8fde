/**
 * worker_threads entry for analyses: the shared analysis endpoint, fed by the worker pool. Built to
 * out/main/analysis.worker.js. The dataset arrives with its buffers in the transfer list (main does
 * not keep it), and the pool's shared cancel flag stops a running analysis mid-loop.
 */
import { parentPort } from 'node:worker_threads';
import { createAnalysisEndpoint } from '@shared/ipc/analysis-endpoint';
import type { AnalyzeRequest, CancelRequest } from '@shared/ipc/worker-protocol';

/** The side of a MessagePort this entry uses (parentPort in a worker, a fake in tests). */
export interface AnalysisWorkerPort {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  postMessage(message: unknown, transfer: readonly ArrayBuffer[]): void;
}

/**
 * The envelope only: seq, type and a payload object. The payload's shape is the endpoint's to check,
 * so a malformed dataset comes back as an error naming the problem instead of being dropped.
 */
function isAnalysisRequest(message: unknown): message is AnalyzeRequest | CancelRequest {
  if (typeof message !== 'object' || message === null) return false;
  const { seq, type, payload, cancelFlag } = message as { seq?: unknown; type?: unknown; payload?: unknown; cancelFlag?: unknown };
  if (typeof seq !== 'number' || typeof payload !== 'object' || payload === null) return false;
  if (type === 'cancel') return typeof (payload as { target?: unknown }).target === 'number';
  return type === 'analyze' && (cancelFlag === undefined || (cancelFlag instanceof Int32Array && cancelFlag.length >= 1));
}

/** Serves analysis requests arriving on `port`; messages that are not requests are ignored. */
export function attachAnalysisEndpoint(port: AnalysisWorkerPort): void {
  const endpoint = createAnalysisEndpoint({
    post: (message, transfer) => {
      port.postMessage(message, transfer);
    },
  });
  port.on('message', (message) => {
    if (isAnalysisRequest(message)) endpoint(message);
  });
}

if (parentPort) attachAnalysisEndpoint(parentPort);
