/**
 * The ComputeHost hides where the pure core runs: in Electron's main process (worker_threads, files
 * read from disk paths) or in this page's Web Workers (files from the picker or a drop). The UI only
 * talks to this interface.
 */
import type { ColumnMap } from '@shared/formats/column-map';
import type { FileInspection, ImportedDataset } from '@shared/formats/import-dataset';
import type { AnalysisRequest, AnalysisResult } from '@shared/ipc/worker-protocol';
import type { SampleIndex, SampleIndexEntry } from '@shared/model/sample-index';

export type { AnalysisRequest, AnalysisResult } from '@shared/ipc/worker-protocol';

/** Something the user chose to import, in the host's own terms. */
export type ImportInput = { kind: 'file'; name: string; file: File } | { kind: 'path'; name: string; path: string };

/**
 * resources/samples as the host found it: the validated index and, in index order, each file's entry
 * with an input ready to import. No index (a build without samples) gives empty lists.
 */
export interface BundledSamples {
  index: SampleIndex;
  files: { entry: SampleIndexEntry; input: ImportInput }[];
}

export interface ImportJobOptions {
  onProgress: (fraction: number) => void;
  signal: AbortSignal;
  /** The user's column mapping for generic delimited text (Map columns dialog). */
  columnMap?: ColumnMap;
  /** Every part of a split NEWARE Excel export (name.xlsx, name_1.xlsx …) in order, to import as one dataset. */
  parts?: ImportInput[];
}

export interface AnalysisJobOptions {
  /** Fraction done, 0..1; reaches 1 before the result arrives. */
  onProgress?: (fraction: number) => void;
  /** Aborting rejects at once with an error of code 'aborted' and stops the worker's analysis. */
  signal?: AbortSignal;
}

export interface ComputeHost {
  readonly kind: 'electron' | 'browser';
  /** Native file dialog (Electron); undefined where the page's own file input is used. */
  readonly chooseFiles?: () => Promise<ImportInput[]>;
  /** Wraps a File from an input or a drop. */
  fromFile(file: File): ImportInput;
  /** Reads a file's head (64 KiB) and says how it would be imported, before any mapping is asked for. */
  inspect(input: ImportInput): Promise<FileInspection>;
  /** Runs one import off the UI thread. Rejects with an Error whose message names the file. */
  importDataset(input: ImportInput, options: ImportJobOptions): Promise<ImportedDataset>;
  /**
   * Runs one analysis (cycling, ccd, gitt, indentation or auto) off the UI thread. The caller's
   * dataset stays usable: the host sends a copy of its columns (browser) or a structured clone (IPC).
   * Rejects with a RemoteError keeping the analysis' name and code ('invalid-parameter', 'aborted' …).
   */
  analyze(request: AnalysisRequest, options?: AnalysisJobOptions): Promise<AnalysisResult>;
  /** The bundled sample files (resources/samples) with their index entries. */
  bundledSamples(): Promise<BundledSamples>;
}
