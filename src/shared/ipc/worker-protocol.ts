/**
 * The one envelope every compute worker speaks (Node worker_threads and Web Workers alike):
 * `{seq, type, payload}`. Errors cross as `{name, message, code}`; typed arrays cross in transfer lists.
 */
import type { Dataset } from '../model/dataset';

export interface SerializedError {
  name: string;
  message: string;
  /** ImportError code, when it is one. */
  code?: string;
}

export type WorkerRequest<TSource> =
  { seq: number; type: 'import'; payload: TSource } | { seq: number; type: 'cancel'; payload: { target: number } };

export type WorkerResponse =
  | { seq: number; type: 'progress'; payload: { fraction: number } }
  | { seq: number; type: 'result'; payload: Dataset }
  | { seq: number; type: 'error'; payload: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? { name: error.name, message: error.message, code } : { name: error.name, message: error.message };
  }
  return { name: 'Error', message: String(error) };
}

/** An Error rebuilt on the receiving side, keeping name and code. */
export class RemoteError extends Error {
  readonly code?: string;

  constructor(serialized: SerializedError) {
    super(serialized.message);
    this.name = serialized.name;
    this.code = serialized.code;
  }
}
