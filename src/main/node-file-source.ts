/**
 * Node host pieces for the core's import pipeline: a file on disk as a streaming ByteSource and a
 * native SHA-256 hasher. Used by the worker_threads import worker and the CLI.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteSource, Hasher } from '@shared/formats/import-dataset';
import { ImportError } from '@shared/formats/import-error';

/** Read size per chunk: large enough for throughput, small enough for prompt progress and cancel. */
export const IMPORT_CHUNK_BYTES = 1 << 20;

export async function openFileSource(path: string): Promise<ByteSource> {
  const fileName = basename(path);
  let sizeBytes: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ImportError('read-failed', fileName, 'is not a regular file.');
    sizeBytes = info.size;
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImportError('read-failed', fileName, code === 'ENOENT' ? 'no such file.' : `cannot be opened (${code ?? String(error)}).`);
  }
  return {
    fileName,
    sizeBytes,
    chunks: () => createReadStream(path, { highWaterMark: IMPORT_CHUNK_BYTES }) as AsyncIterable<Uint8Array>,
  };
}

export function createNodeHasher(): Hasher {
  const hash = createHash('sha256');
  return {
    update: (bytes) => void hash.update(bytes),
    digestHex: () => hash.digest('hex'),
  };
}
