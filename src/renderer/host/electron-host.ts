/**
 * ComputeHost for the desktop app: main process imports from disk paths and runs analyses in its
 * worker_threads pools. An analysis' dataset crosses IPC as a structured clone (invoke has no
 * transfer list), so the page keeps its own columns; main then transfers its clone to the worker.
 */
import { ImportError } from '@shared/formats/import-error';
import type { ImportFileRequest, RendererApi } from '@shared/ipc/contract';
import { RemoteError, type AnalysisResult } from '@shared/ipc/worker-protocol';
import type { ImportedDataset } from '@shared/formats/import-dataset';
import type { AnalysisJobOptions, AnalysisRequest, BundledSamples, ComputeHost, ImportInput, ImportJobOptions } from './compute-host';

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function importRequest(jobId: number, path: string, options: ImportJobOptions): ImportFileRequest {
  const request: ImportFileRequest = { jobId, path };
  if (options.columnMap) request.columnMap = options.columnMap;
  if (options.parts && options.parts.length > 1) {
    request.parts = options.parts.map((p) => {
      if (p.kind !== 'path') throw new Error(`${p.name}: the desktop app imports files from disk.`);
      return p.path;
    });
  }
  return request;
}

export function createElectronHost(api: RendererApi): ComputeHost {
  let nextJobId = 1;
  const progressListeners = new Map<number, (fraction: number) => void>();
  api.onImportProgress(({ jobId, fraction }) => progressListeners.get(jobId)?.(fraction));
  const analysisListeners = new Map<number, (fraction: number) => void>();
  api.onAnalysisProgress(({ jobId, fraction }) => analysisListeners.get(jobId)?.(fraction));
  const unwrap = <T>(result: { ok: true; value: T } | { ok: false; error: { name: string; message: string; code?: string } }): T => {
    if (!result.ok) throw new RemoteError(result.error);
    return result.value;
  };

  return {
    kind: 'electron',
    chooseFiles: async () => unwrap(await api.openFiles()).map((path) => ({ kind: 'path', name: baseName(path), path })),
    fromFile: (file) => ({ kind: 'path', name: file.name, path: api.getPathForFile(file) }),
    async importDataset(input: ImportInput, options: ImportJobOptions): Promise<ImportedDataset> {
      if (input.kind !== 'path') throw new Error(`${input.name}: the desktop app imports files from disk.`);
      const jobId = nextJobId++;
      progressListeners.set(jobId, options.onProgress);
      const onAbort = () => void api.cancelImport({ jobId });
      options.signal.addEventListener('abort', onAbort);
      try {
        return unwrap(await api.importFile(importRequest(jobId, input.path, options)));
      } finally {
        progressListeners.delete(jobId);
        options.signal.removeEventListener('abort', onAbort);
      }
    },
    analyze(request: AnalysisRequest, options: AnalysisJobOptions = {}): Promise<AnalysisResult> {
      const { signal, onProgress } = options;
      const cancelled = (): ImportError => new ImportError('aborted', request.dataset.meta.name, 'analysis cancelled.');
      if (signal?.aborted) return Promise.reject(cancelled());
      const jobId = nextJobId++;
      return new Promise<AnalysisResult>((resolve, reject) => {
        // Aborting answers at once; main stops the worker and its late answer is dropped.
        const onAbort = (): void => {
          finish();
          reject(cancelled());
          void api.cancelAnalysis({ jobId });
        };
        const finish = (): void => {
          analysisListeners.delete(jobId);
          signal?.removeEventListener('abort', onAbort);
        };
        analysisListeners.set(jobId, (fraction) => onProgress?.(fraction));
        signal?.addEventListener('abort', onAbort, { once: true });
        api.runAnalysis({ ...request, jobId }).then(
          (result) => {
            if (!analysisListeners.has(jobId)) return;
            finish();
            if (result.ok) resolve(result.value);
            else reject(new RemoteError(result.error));
          },
          (error: unknown) => {
            if (!analysisListeners.has(jobId)) return;
            finish();
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      });
    },
    async inspect(input: ImportInput) {
      if (input.kind !== 'path') throw new Error(`${input.name}: the desktop app imports files from disk.`);
      return unwrap(await api.inspectFile({ path: input.path }));
    },
    // Main has validated the index and built the paths; the lengths are checked so a mismatch fails loudly.
    async bundledSamples(): Promise<BundledSamples> {
      const { index, paths } = unwrap(await api.listSamples());
      if (paths.length !== index.files.length)
        throw new Error(`samples:list: ${paths.length} paths for ${index.files.length} index entries.`);
      return {
        index,
        files: index.files.map((entry, i) => ({ entry, input: { kind: 'path', name: entry.fileName, path: paths[i] } })),
      };
    },
  };
}
