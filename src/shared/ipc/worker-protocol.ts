/**
 * The one envelope every compute worker speaks (Node worker_threads and Web Workers alike):
 * `{seq, type, payload}`. Errors cross as `{name, message, code}`; typed arrays cross in transfer lists.
 *
 *   import:  {type: 'import', payload: source}            -> progress* -> result (Dataset) | error
 *   analyze: {type: 'analyze', payload: AnalysisRequest}   -> progress* -> result (AnalysisResult) | error
 *   cancel:  {type: 'cancel', payload: {target: seq}}      -> the target ends with an error of code 'aborted'
 */
import type { AnalysisKind } from '../analysis/analysis-kind';
import type { CcdResultJson, CyclingResultJson } from '../analysis/analyze-cycling';
import type { GittResult } from '../analysis/gitt';
import type { IndentationResult } from '../analysis/indentation';
import type { ImportedDataset } from '../formats/import-dataset';
import type { CellMetadata } from '../model/cell-metadata';

export interface SerializedError {
  name: string;
  message: string;
  /** ImportError code, when it is one. */
  code?: string;
}

/**
 * One analysis to run. `dataset` travels with its typed arrays in the transfer list, which detaches
 * the sender's copy: a sender that keeps using the columns sends a copy (see copyImportedDataset).
 */
export interface AnalysisRequest {
  kind: AnalysisKind | 'auto';
  dataset: ImportedDataset;
  /** Cell construction and area (cycling and CCD); DOMAIN.md defaults when absent. */
  cell?: CellMetadata;
  /**
   * The analysis' own parameters: Partial<CyclingAnalysisParams> (cycling, ccd), GittParams (gitt,
   * required: the amount of active material), Partial<OliverPharrParams> (indentation). The analysis
   * validates every value and throws naming the bad one.
   */
  params?: Record<string, unknown>;
}

/** The JSON-ready result of an analysis (the CLI's `--json` objects); `kind` says which. */
export type AnalysisResult = CyclingResultJson | CcdResultJson | GittResult | IndentationResult;

/** The cancel request, shared by every job type. */
export interface CancelRequest {
  seq: number;
  type: 'cancel';
  payload: { target: number };
}

/**
 * An analysis request. A synchronous analysis cannot see a later 'cancel' message until it returns,
 * so where the host can share memory (worker_threads; cross-origin isolated pages) it also passes
 * `cancelFlag`, an Int32Array over a SharedArrayBuffer: non-zero = cancelled, read inside the loops.
 */
export interface AnalyzeRequest {
  seq: number;
  type: 'analyze';
  payload: AnalysisRequest;
  cancelFlag?: Int32Array;
}

export type WorkerRequest<TSource> = { seq: number; type: 'import'; payload: TSource } | CancelRequest;

/** What a compute worker hosting both endpoints receives. */
export type ComputeWorkerRequest<TSource> = WorkerRequest<TSource> | AnalyzeRequest;

/** Responses; `TResult` is a Dataset for imports and an {@link AnalysisResult} for analyses. */
export type WorkerResponse<TResult = ImportedDataset> =
  | { seq: number; type: 'progress'; payload: { fraction: number } }
  | { seq: number; type: 'result'; payload: TResult }
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
