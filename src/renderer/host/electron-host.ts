/** ComputeHost for the desktop app: main process imports from disk paths in its worker_threads pool. */
import type { RendererApi } from '@shared/ipc/contract';
import { RemoteError } from '@shared/ipc/worker-protocol';
import type { Dataset } from '@shared/model/dataset';
import type { ComputeHost, ImportInput, ImportJobOptions } from './compute-host';

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export function createElectronHost(api: RendererApi): ComputeHost {
  let nextJobId = 1;
  const progressListeners = new Map<number, (fraction: number) => void>();
  api.onImportProgress(({ jobId, fraction }) => progressListeners.get(jobId)?.(fraction));
  const unwrap = <T>(result: { ok: true; value: T } | { ok: false; error: { name: string; message: string; code?: string } }): T => {
    if (!result.ok) throw new RemoteError(result.error);
    return result.value;
  };

  return {
    kind: 'electron',
    chooseFiles: async () => unwrap(await api.openFiles()).map((path) => ({ kind: 'path', name: baseName(path), path })),
    fromFile: (file) => ({ kind: 'path', name: file.name, path: api.getPathForFile(file) }),
    async importDataset(input: ImportInput, options: ImportJobOptions): Promise<Dataset> {
      if (input.kind !== 'path') throw new Error(`${input.name}: the desktop app imports files from disk.`);
      const jobId = nextJobId++;
      progressListeners.set(jobId, options.onProgress);
      const onAbort = () => void api.cancelImport({ jobId });
      options.signal.addEventListener('abort', onAbort);
      try {
        return unwrap(
          await api.importFile(options.columnMap ? { jobId, path: input.path, columnMap: options.columnMap } : { jobId, path: input.path }),
        );
      } finally {
        progressListeners.delete(jobId);
        options.signal.removeEventListener('abort', onAbort);
      }
    },
    async inspect(input: ImportInput) {
      if (input.kind !== 'path') throw new Error(`${input.name}: the desktop app imports files from disk.`);
      return unwrap(await api.inspectFile({ path: input.path }));
    },
    async firstStartSamples(): Promise<ImportInput[]> {
      return unwrap(await api.listSamples()).map((path) => ({ kind: 'path', name: baseName(path), path }));
    },
  };
}
