/**
 * The worker side of imports, shared by the Node worker_threads host and the Web Worker host:
 * runs `importDataset` per request, streams progress, honours cancel, and posts the Dataset with its
 * column buffers in the transfer list. Hosts inject how to open a source and how to hash.
 */
import { detectAnalysisKind } from '../analysis/analysis-kind';
import { columnBuffers } from '../model/dataset';
import { indentationBuffers } from '../model/indentation';
import type { ParseServices } from '../formats/binary-format';
import type { ColumnMap } from '../formats/column-map';
import { importFile, type ByteSource, type Hasher, type ImportedDataset } from '../formats/import-dataset';
import { importSplitExport } from '../formats/import-split';
import { serializeError, type WorkerRequest, type WorkerResponse } from './worker-protocol';

/** Progress messages are sent when the fraction grows by at least this much. */
const PROGRESS_STEP = 0.01;

export interface ImportEndpointHost<TSource> {
  post(message: WorkerResponse<ImportedDataset>, transfer: ArrayBuffer[]): void;
  openSource(source: TSource): ByteSource | Promise<ByteSource>;
  createHasher(): Hasher;
  /** The user's column mapping carried by a request, if any (Map columns dialog). */
  columnMapOf?(source: TSource): ColumnMap | undefined;
  /**
   * The parts of a split export carried by a request (name.xlsx, name_1.xlsx …, in order), as sources
   * to open; undefined for a single file.
   */
  partsOf?(source: TSource): TSource[] | undefined;
  /** Host services for formats that need them (an Access reader for Arbin .res). */
  readonly services?: ParseServices;
}

export function createImportEndpoint<TSource>(host: ImportEndpointHost<TSource>): (request: WorkerRequest<TSource>) => Promise<void> {
  const running = new Map<number, { aborted: boolean }>();
  return async (request) => {
    if (request.type === 'cancel') {
      const job = running.get(request.payload.target);
      if (job) job.aborted = true;
      return;
    }
    const { seq } = request;
    const signal = { aborted: false };
    running.set(seq, signal);
    let lastSent = -1;
    try {
      const options = {
        signal,
        columnMap: host.columnMapOf?.(request.payload),
        services: host.services,
        createHasher: () => host.createHasher(),
        onProgress: (fraction: number) => {
          if (fraction - lastSent >= PROGRESS_STEP || fraction === 1) {
            lastSent = fraction;
            host.post({ seq, type: 'progress', payload: { fraction } }, []);
          }
        },
      };
      const parts = host.partsOf?.(request.payload);
      const dataset =
        parts && parts.length > 1
          ? await importSplitExport(await Promise.all(parts.map(async (p) => await host.openSource(p))), options)
          : await importFile(await host.openSource(request.payload), options);
      if (dataset.kind !== 'indentation') {
        try {
          const analysisKind = detectAnalysisKind(dataset);
          if (analysisKind !== 'indentation') dataset.meta.analysisKind = analysisKind;
        } catch {
          // Undecided: the workspace treats the dataset as cycling data, and its analysis will say what is wrong.
        }
      }
      host.post(
        { seq, type: 'result', payload: dataset },
        dataset.kind === 'indentation' ? indentationBuffers(dataset) : columnBuffers(dataset),
      );
    } catch (error) {
      host.post({ seq, type: 'error', payload: serializeError(error) }, []);
    } finally {
      running.delete(seq);
    }
  };
}
