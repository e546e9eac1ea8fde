/**
 * The ComputeHost hides where the pure core runs: in Electron's main process (worker_threads, files
 * read from disk paths) or in this page's Web Workers (files from the picker or a drop). The UI only
 * talks to this interface.
 */
import type { ColumnMap } from '@shared/formats/column-map';
import type { FileInspection } from '@shared/formats/import-dataset';
import type { Dataset } from '@shared/model/dataset';

/** Something the user chose to import, in the host's own terms. */
export type ImportInput = { kind: 'file'; name: string; file: File } | { kind: 'path'; name: string; path: string };

export interface ImportJobOptions {
  onProgress: (fraction: number) => void;
  signal: AbortSignal;
  /** The user's column mapping for generic delimited text (Map columns dialog). */
  columnMap?: ColumnMap;
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
  importDataset(input: ImportInput, options: ImportJobOptions): Promise<Dataset>;
  /** The bundled samples the app opens on first start. */
  firstStartSamples(): Promise<ImportInput[]>;
}
