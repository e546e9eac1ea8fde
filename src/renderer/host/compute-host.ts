/**
 * The ComputeHost hides where the pure core runs: in Electron's main process (worker_threads, files
 * read from disk paths) or in this page's Web Workers (files from the picker or a drop). The UI only
 * talks to this interface.
 */
import type { Dataset } from '@shared/model/dataset';

/** Something the user chose to import, in the host's own terms. */
export type ImportInput = { kind: 'file'; name: string; file: File } | { kind: 'path'; name: string; path: string };

export interface ImportJobOptions {
  onProgress: (fraction: number) => void;
  signal: AbortSignal;
}

export interface ComputeHost {
  readonly kind: 'electron' | 'browser';
  /** Native file dialog (Electron); undefined where the page's own file input is used. */
  readonly chooseFiles?: () => Promise<ImportInput[]>;
  /** Wraps a File from an input or a drop. */
  fromFile(file: File): ImportInput;
  /** Runs one import off the UI thread. Rejects with an Error whose message names the file. */
  importDataset(input: ImportInput, options: ImportJobOptions): Promise<Dataset>;
  /** The bundled samples the app opens on first start. */
  firstStartSamples(): Promise<ImportInput[]>;
}
