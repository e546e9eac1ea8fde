/**
 * Split exports: BTSDA writes a record layer longer than Excel's 1,048,576 rows as `name.xlsx`,
 * `name_1.xlsx`, `name_2.xlsx` …; chosen together they are imported as one dataset.
 *
 *   sources -> group by name (continuationGroupKey) -> each part read whole + hashed in order
 *     -> parseNewareXlsx -> mergeContinuationParts (DataPoint must continue) -> one Dataset
 */
import type { Dataset } from '../model/dataset';
import { withFileHealth } from '../model/file-health';
import { ImportError } from './import-error';
import type { ByteSource, ImportOptions } from './import-dataset';
import { continuationGroupKey, continuationPartIndex, mergeContinuationParts, NEWARE_XLSX, parseNewareXlsx } from './neware-xlsx';

/**
 * Groups file names that are parts of one split export (same stem, `_n` suffixes, at least two files);
 * every other file is a group of its own. Returns index groups in the order first seen, parts sorted.
 */
export function groupSplitExports(fileNames: readonly string[]): number[][] {
  const byKey = new Map<string, number[]>();
  const order: string[] = [];
  fileNames.forEach((name, index) => {
    const key = /\.xlsx$/i.test(name) ? `xlsx:${continuationGroupKey(name)}` : `file:${index}`;
    if (!byKey.has(key)) {
      byKey.set(key, []);
      order.push(key);
    }
    byKey.get(key)!.push(index);
  });
  return order.map((key) => byKey.get(key)!.sort((a, b) => continuationPartIndex(fileNames[a]) - continuationPartIndex(fileNames[b])));
}

async function readWhole(source: ByteSource, update: (bytes: Uint8Array) => void, options: ImportOptions): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source.chunks()) {
    if (options.signal?.aborted) throw new ImportError('aborted', source.fileName, 'import cancelled.');
    update(chunk);
    chunks.push(chunk);
    size += chunk.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Imports the parts of one split NEWARE Excel export as one Dataset. The dataset's SHA-256 is that of
 * the parts' bytes in part order, its name the first part's, and a warning names every part.
 */
export async function importSplitExport(sources: readonly ByteSource[], options: ImportOptions): Promise<Dataset> {
  const names = sources.map((s) => s.fileName);
  const hasher = options.createHasher();
  const parts = [];
  let sizeBytes = 0;
  for (const [k, source] of sources.entries()) {
    const bytes = await readWhole(source, (b) => hasher.update(b), options);
    sizeBytes += bytes.length;
    if (!NEWARE_XLSX.detect(bytes.subarray(0, 65_536), source.fileName)) {
      throw new ImportError(
        'unsupported-format',
        source.fileName,
        'only the parts of a split NEWARE Excel export (name.xlsx, name_1.xlsx …) can be joined into one dataset; import this file on its own.',
      );
    }
    parts.push(parseNewareXlsx(bytes, { fileName: source.fileName, signal: options.signal, services: options.services ?? {} }));
    options.onProgress?.((k + 1) / sources.length);
  }
  const merged = mergeContinuationParts(parts, names);
  const first = names[0];
  return withFileHealth({
    kind: 'cycling',
    rowCount: merged.rowCount,
    columns: merged.columns,
    meta: {
      name: first,
      source: { fileName: first, sizeBytes, sha256: hasher.digestHex() },
      format: NEWARE_XLSX.id,
      instrument: merged.instrument ?? NEWARE_XLSX.instrument,
      encoding: merged.encoding,
      sourceColumns: merged.sourceColumns,
      startDateTime: merged.startDateTime,
      warnings: merged.warnings,
    },
  });
}
