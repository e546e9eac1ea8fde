/**
 * The worker side of analyses, shared by the Node worker_threads host and the Web Worker host: runs
 * one analysis per 'analyze' request, streams progress, honours cancel, and posts the JSON-ready
 * result. Hosts inject only how to post.
 *
 *   request -> shape check -> kind (given, or auto: detectAnalysisKind) -> analysis(signal, onProgress)
 *     -> result | error {name, message, code}
 *
 * The analyses are synchronous: a 'cancel' message queued behind a running analysis is read only
 * after it returns. A request's `cancelFlag` (shared memory) is read inside the analysis' own abort
 * checks, so cancelling takes effect mid-run wherever the host can share memory.
 */
import { detectAnalysisKind, isAnalysisKind } from '../analysis/analysis-kind';
import { analyzeCcd, analyzeCycling, type CyclingAnalysisParams } from '../analysis/analyze-cycling';
import { analyzeGitt } from '../analysis/gitt';
import { analyzeIndentation } from '../analysis/indentation';
import type { AbortSignalLike, ImportedDataset } from '../formats/import-dataset';
import { ImportError } from '../formats/import-error';
import { COLUMN_SPECS, type Dataset, type DatasetColumns, type TypedColumn } from '../model/dataset';
import type { IndentationCurve, IndentationDataset } from '../model/indentation';
import {
  serializeError,
  type AnalysisRequest,
  type AnalysisResult,
  type AnalyzeRequest,
  type CancelRequest,
  type WorkerResponse,
} from './worker-protocol';

/** Progress messages are sent when the fraction grows by at least this much. */
const PROGRESS_STEP = 0.01;

export interface AnalysisEndpointHost {
  post(message: WorkerResponse<AnalysisResult>, transfer: ArrayBuffer[]): void;
}

export interface RunAnalysisOptions {
  readonly signal?: AbortSignalLike;
  readonly onProgress?: (fraction: number) => void;
}

const TYPED_ARRAY_OF_DTYPE = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
  uint8: Uint8Array,
} as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cyclingDatasetProblem(dataset: Record<string, unknown>): string | undefined {
  const { rowCount, columns } = dataset;
  if (typeof rowCount !== 'number' || !Number.isSafeInteger(rowCount) || rowCount < 0)
    return `dataset.rowCount must be a non-negative integer, got ${JSON.stringify(rowCount)}`;
  if (!isRecord(columns)) return 'dataset.columns must be an object of typed arrays';
  for (const spec of COLUMN_SPECS) {
    const array = columns[spec.key];
    if (array === undefined && !spec.isRequired) continue;
    const expected = TYPED_ARRAY_OF_DTYPE[spec.dtype];
    if (!(array instanceof expected)) return `dataset.columns.${spec.key} must be a ${expected.name}`;
    // Columns shorter than rowCount would be read out of bounds; longer ones would hide rows.
    if (array.length !== rowCount)
      return `dataset.columns.${spec.key} has ${String(array.length)} values but rowCount is ${String(rowCount)}`;
  }
  return undefined;
}

function curveProblem(curve: unknown, k: number): string | undefined {
  const at = `dataset.curves[${String(k)}]`;
  if (!isRecord(curve)) return `${at} must be an object`;
  if (typeof curve.name !== 'string') return `${at}.name must be a string`;
  if (!(curve.depthNm instanceof Float64Array) || !(curve.loadMN instanceof Float64Array))
    return `${at}.depthNm and .loadMN must be Float64Arrays`;
  const n = curve.depthNm.length;
  if (curve.loadMN.length !== n) return `${at}.loadMN has ${String(curve.loadMN.length)} values, depthNm ${String(n)}`;
  if (curve.timeS !== undefined && !(curve.timeS instanceof Float64Array && curve.timeS.length === n))
    return `${at}.timeS must be a Float64Array of ${String(n)} values`;
  if (curve.segment !== undefined && !(curve.segment instanceof Uint8Array && curve.segment.length === n))
    return `${at}.segment must be a Uint8Array of ${String(n)} values`;
  return undefined;
}

/**
 * What is wrong with an analysis request's shape, or undefined when it can be run: the kind is known,
 * the dataset's typed arrays are present with their dtypes and equal lengths, cell and params are
 * objects. Values inside cell and params are the analyses' own to check (they name the bad one).
 */
export function analysisRequestProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'expected {kind, dataset, cell?, params?}';
  if (!isAnalysisKind(value.kind)) return `kind must be cycling, ccd, gitt, indentation or auto, got ${JSON.stringify(value.kind)}`;
  const { dataset } = value;
  if (!isRecord(dataset)) return 'dataset must be an object';
  const meta = dataset.meta;
  if (!isRecord(meta) || typeof meta.name !== 'string' || !isRecord(meta.source) || typeof meta.source.fileName !== 'string')
    return 'dataset.meta must name the dataset and its source file';
  if (dataset.kind === 'indentation') {
    if (!Array.isArray(dataset.curves)) return 'dataset.curves must be an array';
    for (let k = 0; k < dataset.curves.length; k++) {
      const problem = curveProblem(dataset.curves[k], k);
      if (problem) return problem;
    }
  } else if (dataset.kind === undefined || dataset.kind === 'cycling') {
    const problem = cyclingDatasetProblem(dataset);
    if (problem) return problem;
  } else return `dataset.kind must be cycling or indentation, got ${JSON.stringify(dataset.kind)}`;
  if (value.cell !== undefined && !isRecord(value.cell)) return 'cell must be an object';
  if (value.params !== undefined && !isRecord(value.params)) return 'params must be an object';
  return undefined;
}

function subjectOf(value: unknown): string {
  const meta = isRecord(value) && isRecord(value.dataset) ? value.dataset.meta : undefined;
  return isRecord(meta) && typeof meta.name === 'string' ? meta.name : 'analysis request';
}

/** The request typed, or an ImportError of code 'invalid-parameter' naming the problem. */
export function checkAnalysisRequest(value: unknown): AnalysisRequest {
  const problem = analysisRequestProblem(value);
  if (problem !== undefined) throw new ImportError('invalid-parameter', subjectOf(value), `${problem}.`);
  return value as AnalysisRequest;
}

/** The ArrayBuffers behind a dataset's typed arrays, each once (a transfer list refuses duplicates). */
export function datasetBuffers(dataset: ImportedDataset): ArrayBuffer[] {
  const arrays: (TypedColumn | undefined)[] =
    dataset.kind === 'indentation'
      ? dataset.curves.flatMap((c) => [c.timeS, c.depthNm, c.loadMN, c.segment])
      : COLUMN_SPECS.map((spec) => dataset.columns[spec.key]);
  const buffers = new Set<ArrayBuffer>();
  for (const array of arrays) if (array && array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  return [...buffers];
}

/**
 * A copy of a dataset whose typed arrays own fresh buffers (metadata shared). A sender that keeps
 * using its dataset transfers this copy, so the transfer does not detach the columns it plots.
 */
export function copyImportedDataset<T extends ImportedDataset>(dataset: T): T {
  if (dataset.kind === 'indentation') {
    const curves: IndentationCurve[] = dataset.curves.map((c) => ({
      ...c,
      timeS: c.timeS?.slice(),
      depthNm: c.depthNm.slice(),
      loadMN: c.loadMN.slice(),
      segment: c.segment?.slice(),
    }));
    for (const c of curves) {
      // Keep absent optional arrays absent rather than present-but-undefined.
      if (!c.timeS) delete c.timeS;
      if (!c.segment) delete c.segment;
    }
    return { ...dataset, curves } satisfies IndentationDataset as T;
  }
  const columns = { ...dataset.columns } as Record<keyof DatasetColumns, TypedColumn | undefined>;
  for (const spec of COLUMN_SPECS) {
    const array = columns[spec.key];
    if (array) columns[spec.key] = array.slice();
  }
  return { ...dataset, columns: columns as unknown as DatasetColumns } satisfies Dataset as T;
}

/** Bytes held by a dataset's typed arrays (what a copy of it allocates). */
export function datasetByteLength(dataset: ImportedDataset): number {
  const arrays: (TypedColumn | undefined)[] =
    dataset.kind === 'indentation'
      ? dataset.curves.flatMap((c) => [c.timeS, c.depthNm, c.loadMN, c.segment])
      : COLUMN_SPECS.map((spec) => dataset.columns[spec.key]);
  return arrays.reduce((n, a) => n + (a?.byteLength ?? 0), 0);
}

/**
 * {@link copyImportedDataset}, copied at most `sliceBytes` at a time with `pause()` awaited between
 * slices (at least one element each), so a UI thread copying a 1e7-row dataset (~300 MB) never blocks
 * for longer than one slice.
 * Indentation datasets (a few curves) are copied at once.
 */
export async function copyImportedDatasetInSlices<T extends ImportedDataset>(
  dataset: T,
  sliceBytes: number,
  pause: () => Promise<void>,
): Promise<T> {
  if (!(sliceBytes >= 1)) throw new RangeError(`sliceBytes must be >= 1, got ${sliceBytes}`);
  if (dataset.kind === 'indentation') return copyImportedDataset(dataset);
  const columns = { ...dataset.columns } as Record<keyof DatasetColumns, TypedColumn | undefined>;
  let budgetBytes = sliceBytes;
  for (const spec of COLUMN_SPECS) {
    const source = columns[spec.key];
    if (!source) continue;
    const target = new (source.constructor as new (length: number) => TypedColumn)(source.length);
    const bytesPerElement = source.BYTES_PER_ELEMENT;
    for (let start = 0; start < source.length;) {
      let count = Math.floor(budgetBytes / bytesPerElement);
      if (count === 0) {
        await pause();
        budgetBytes = sliceBytes;
        count = Math.max(1, Math.floor(sliceBytes / bytesPerElement));
      }
      const end = Math.min(source.length, start + count);
      target.set(source.subarray(start, end), start);
      budgetBytes -= (end - start) * bytesPerElement;
      start = end;
    }
    columns[spec.key] = target;
  }
  return { ...dataset, columns: columns as unknown as DatasetColumns } satisfies Dataset as T;
}

/** Runs one checked request on this thread (the workers' body; also usable where blocking is fine). */
export function runAnalysisRequest(request: AnalysisRequest, options: RunAnalysisOptions = {}): AnalysisResult {
  const { dataset } = request;
  const kind = request.kind === 'auto' ? detectAnalysisKind(dataset) : request.kind;
  const name = dataset.meta.name;
  if (kind === 'indentation') {
    if (dataset.kind !== 'indentation')
      throw new ImportError(
        'invalid-parameter',
        name,
        'holds cycling records, not load–displacement curves: analyse it as cycling, ccd or gitt.',
      );
    return analyzeIndentation(dataset, request.params, options);
  }
  if (dataset.kind === 'indentation')
    throw new ImportError('invalid-parameter', name, `holds load–displacement curves: it cannot be analysed as ${kind}.`);
  if (kind === 'gitt') return analyzeGitt(dataset, request.params ?? {}, options);
  const cell = request.cell ?? { cellType: 'asymmetric' };
  const params = request.params as Partial<CyclingAnalysisParams> | undefined;
  return kind === 'ccd' ? analyzeCcd(dataset, cell, params, options) : analyzeCycling(dataset, cell, params, options);
}

/** The handler of 'analyze' and 'cancel' requests; see the file comment. */
export function createAnalysisEndpoint(host: AnalysisEndpointHost): (request: AnalyzeRequest | CancelRequest) => void {
  const running = new Map<number, { isCancelled: boolean }>();
  return (request) => {
    if (request.type === 'cancel') {
      const job = running.get(request.payload.target);
      if (job) job.isCancelled = true;
      return;
    }
    const { seq, cancelFlag } = request;
    const job = { isCancelled: false };
    running.set(seq, job);
    const signal: AbortSignalLike = {
      get aborted() {
        return job.isCancelled || (cancelFlag !== undefined && Atomics.load(cancelFlag, 0) !== 0);
      },
    };
    let lastSent = -1;
    try {
      const checked = checkAnalysisRequest(request.payload);
      const result = runAnalysisRequest(checked, {
        signal,
        onProgress: (fraction) => {
          if (fraction - lastSent >= PROGRESS_STEP || fraction === 1) {
            lastSent = fraction;
            host.post({ seq, type: 'progress', payload: { fraction } }, []);
          }
        },
      });
      // Cancelled after the last abort check: the caller has moved on, so say so rather than answer.
      if (signal.aborted) throw new ImportError('aborted', checked.dataset.meta.name, 'analysis cancelled.');
      // Not every analysis reports its last step; the caller's bar should still reach the end.
      if (lastSent < 1) host.post({ seq, type: 'progress', payload: { fraction: 1 } }, []);
      host.post({ seq, type: 'result', payload: result }, []);
    } catch (error) {
      host.post({ seq, type: 'error', payload: serializeError(error) }, []);
    } finally {
      running.delete(seq);
    }
  };
}
