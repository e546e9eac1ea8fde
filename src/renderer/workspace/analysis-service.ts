/**
 * The workspace's analyses: each dataset's result computed once in the worker (host.analyze) and kept,
 * in memory and in the library's `analyses` table, keyed by its inputs (cell metadata + parameters), so
 * the Failure map or Compare over thirty cells opens at once after the first time and a restart does not
 * recompute. Columns read back from IndexedDB are kept for the last few datasets only.
 *
 *   record -> inputs key -> memory | library cache | (load columns -> worker analysis -> cache)
 */
import type { AnalysisKind } from '@shared/analysis/analysis-kind';
import type { CcdResultJson, CyclingResultJson } from '@shared/analysis/analyze-cycling';
import type { GittResult } from '@shared/analysis/gitt';
import type { IndentationResult } from '@shared/analysis/indentation';
import { type ColumnKey, COLUMN_SPECS, type Dataset, type DatasetColumns } from '@shared/model/dataset';
import type { IndentationDataset } from '@shared/model/indentation';
import type { AnalysisJobOptions, AnalysisResult, ComputeHost } from '../host/compute-host';
import type { DatasetRecord, Library } from '../storage/library-db';

/** Bumped when an analysis changes its output, so cached results of older code are recomputed. */
export const ANALYSIS_CACHE_VERSION = 1;

/** Datasets whose columns stay in memory (the open one and the one before). */
const COLUMN_CACHE_DATASETS = 2;

/** The columns of the Voltage vs time trace: time (s) and voltage (V). */
export type TraceColumns = Pick<DatasetColumns, 'timeS' | 'voltageV'>;
const TRACE_KEYS = ['timeS', 'voltageV'] as const satisfies readonly ColumnKey[];
/** Every other column (optional ones absent from a dataset are left out). */
const REST_KEYS: readonly ColumnKey[] = COLUMN_SPECS.map((s) => s.key).filter((k) => k !== 'timeS' && k !== 'voltageV');

export interface AnalysisResultOf {
  cycling: CyclingResultJson;
  ccd: CcdResultJson;
  gitt: GittResult;
  indentation: IndentationResult;
}

/** The analysis a dataset gets by default: its detected kind (import worker), indentation for indentation files. */
export function defaultAnalysisKind(record: Pick<DatasetRecord, 'kind' | 'meta'>): AnalysisKind {
  if (record.kind === 'indentation') return 'indentation';
  return record.meta.analysisKind ?? 'cycling';
}

/** The key of an analysis' inputs: changing the cell or the parameters makes a new result. */
export function analysisInputKey(record: Pick<DatasetRecord, 'cell' | 'params'>, kind: AnalysisKind): string {
  return JSON.stringify({ v: ANALYSIS_CACHE_VERSION, cell: record.cell ?? null, params: record.params?.[kind] ?? null });
}

export class AnalysisService {
  private readonly results = new Map<string, Promise<AnalysisResult>>();
  private readonly columnCache = new Map<string, Promise<DatasetColumns>>();
  /** Trace columns read ahead of the full columns (moved into columnCache by {@link columns}). */
  private readonly traceCache = new Map<string, Promise<TraceColumns>>();

  constructor(
    private readonly host: ComputeHost,
    private readonly library: Library,
  ) {}

  /**
   * A cycling dataset's columns (from memory, else IndexedDB). When its trace columns were read first
   * ({@link traceColumns}), only the other columns are read and the trace arrays are reused (not copied).
   */
  columns(record: DatasetRecord): Promise<DatasetColumns> {
    let columns = this.columnCache.get(record.id);
    if (columns) {
      this.columnCache.delete(record.id);
      this.columnCache.set(record.id, columns);
      return columns;
    }
    const trace = this.traceCache.get(record.id);
    columns = trace
      ? Promise.all([trace, this.library.loadColumns(record, REST_KEYS)]).then(([t, rest]) => ({ ...rest, ...t }))
      : this.library.loadColumns(record);
    columns.catch(() => this.columnCache.delete(record.id));
    this.traceCache.delete(record.id);
    this.columnCache.set(record.id, columns);
    while (this.columnCache.size > COLUMN_CACHE_DATASETS) this.columnCache.delete(this.columnCache.keys().next().value!);
    return columns;
  }

  /**
   * The columns of the Voltage vs time trace only (time and voltage): what a view needs for its first
   * plot, read without the other Blobs (a 1e7-row dataset reads 120 of its 290 MB). Full columns already
   * in memory are used when there; a later {@link columns} call reads only the rest.
   */
  traceColumns(record: DatasetRecord): Promise<TraceColumns> {
    const full = this.columnCache.get(record.id);
    if (full) return full;
    let trace = this.traceCache.get(record.id);
    if (trace) return trace;
    trace = this.library.loadColumns(record, TRACE_KEYS);
    trace.catch(() => this.traceCache.delete(record.id));
    this.traceCache.set(record.id, trace);
    while (this.traceCache.size > COLUMN_CACHE_DATASETS) this.traceCache.delete(this.traceCache.keys().next().value!);
    return trace;
  }

  /** Puts columns already in memory (a fresh import) in the cache, so opening the dataset reads nothing back. */
  remember(datasetId: string, columns: DatasetColumns): void {
    this.columnCache.set(datasetId, Promise.resolve(columns));
    this.traceCache.delete(datasetId);
    while (this.columnCache.size > COLUMN_CACHE_DATASETS) this.columnCache.delete(this.columnCache.keys().next().value!);
  }

  async dataset(record: DatasetRecord): Promise<Dataset> {
    return { kind: 'cycling', meta: record.meta, rowCount: record.rowCount, columns: await this.columns(record) };
  }

  async indentationDataset(record: DatasetRecord): Promise<IndentationDataset> {
    const curves = await this.library.loadCurves(record);
    return { kind: 'indentation', meta: record.meta, curves, instrumentSettings: record.instrumentSettings };
  }

  /** The result cached for the record's current inputs, without computing; undefined when none. */
  async cached<K extends AnalysisKind>(record: DatasetRecord, kind: K): Promise<AnalysisResultOf[K] | undefined> {
    const key = `${record.id}|${kind}|${analysisInputKey(record, kind)}`;
    const inMemory = this.results.get(key);
    if (inMemory) return (await inMemory.catch(() => undefined)) as AnalysisResultOf[K] | undefined;
    return (await this.library.cachedAnalysis(record.id, kind, analysisInputKey(record, kind))) as AnalysisResultOf[K] | undefined;
  }

  /**
   * The record's analysis of `kind` with its current cell metadata and parameters. A failed analysis is
   * not kept (the next call tries again, e.g. after the user fixed a parameter); an aborted one neither.
   */
  run<K extends AnalysisKind>(record: DatasetRecord, kind: K, options: AnalysisJobOptions = {}): Promise<AnalysisResultOf[K]> {
    const inputKey = analysisInputKey(record, kind);
    const key = `${record.id}|${kind}|${inputKey}`;
    let result = this.results.get(key);
    if (!result) {
      result = this.compute(record, kind, inputKey, options);
      this.results.set(key, result);
      result.catch(() => this.results.delete(key));
    }
    return result as Promise<AnalysisResultOf[K]>;
  }

  /** Forgets a dataset (deleted, or its metadata changed). */
  invalidate(datasetId: string): void {
    for (const key of [...this.results.keys()]) if (key.startsWith(`${datasetId}|`)) this.results.delete(key);
  }

  /** Forgets a dataset's columns too (deleted). */
  forget(datasetId: string): void {
    this.invalidate(datasetId);
    this.columnCache.delete(datasetId);
    this.traceCache.delete(datasetId);
  }

  private async compute(record: DatasetRecord, kind: AnalysisKind, inputKey: string, options: AnalysisJobOptions): Promise<AnalysisResult> {
    const stored = await this.library.cachedAnalysis(record.id, kind, inputKey);
    if (stored !== undefined) return stored as AnalysisResult;
    const dataset = kind === 'indentation' ? await this.indentationDataset(record) : await this.dataset(record);
    const result = await this.host.analyze(
      {
        kind,
        dataset,
        ...(record.cell && kind !== 'indentation' ? { cell: record.cell } : {}),
        ...(record.params?.[kind] ? { params: record.params[kind] } : {}),
      },
      options,
    );
    await this.library.cacheAnalysis(record.id, kind, inputKey, result);
    return result;
  }
}
