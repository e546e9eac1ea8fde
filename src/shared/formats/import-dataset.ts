/**
 * The import pipeline, the same in every host (worker_threads, Web Workers, CLI):
 *
 *   bytes (async chunks) -> hash + progress + abort check -> head (first 64 KiB)
 *     -> encoding + binary sniff -> detect format by content -> stream lines into the format's parser
 *     -> columns + metadata -> Dataset
 *
 * The host supplies the bytes and a SHA-256 hasher (node:crypto, or a pure-JS one in browsers), so
 * the core stays free of I/O.
 */
import type { Dataset } from '../model/dataset';
import { DELIMITED_TEXT } from './delimited-text';
import { ImportError } from './import-error';
import { NEWARE_CSV, NEWARE_CSV_NESTED } from './neware-csv';
import { decodeHead, guessEncoding, LineSplitter, looksBinary } from './text-decoding';
import type { TextFormat, TextHead } from './text-format';

/** Bytes of the file read before detection. */
export const HEAD_BYTES = 64 * 1024;
const HEAD_LINES = 60;

/** Text formats in detection order: the most specific first. */
export const TEXT_FORMATS: readonly TextFormat[] = [NEWARE_CSV_NESTED, NEWARE_CSV, DELIMITED_TEXT];

/** Any AbortSignal (DOM or Node) satisfies this. */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

export interface Hasher {
  update(bytes: Uint8Array): void;
  /** Lower-case hex digest. */
  digestHex(): string;
}

export interface ByteSource {
  readonly fileName: string;
  readonly sizeBytes: number;
  /** The file's bytes from the start, in order. */
  chunks(): AsyncIterable<Uint8Array>;
}

export interface ImportOptions {
  readonly createHasher: () => Hasher;
  readonly signal?: AbortSignalLike;
  /** Fraction of bytes read, 0..1, at most once per chunk. */
  readonly onProgress?: (fraction: number) => void;
}

/** Binary formats we recognise by their magic bytes but do not read yet. */
function describeBinary(head: Uint8Array): string | undefined {
  const ascii = String.fromCharCode(...head.subarray(0, 32));
  if (ascii.startsWith('PK\u0003\u0004'))
    return 'a ZIP archive (such as a NEWARE .ndax or an .xlsx workbook), which this version cannot read yet';
  if (ascii.startsWith('NEWARE')) return 'a NEWARE binary .nda file, which this version cannot read yet';
  if (ascii.startsWith('BIO-LOGIC MODULAR FILE')) return 'a BioLogic binary .mpr file, which this version cannot read yet';
  if (ascii.includes('Standard Jet DB')) return 'an Access database (such as an Arbin .res file), which this version cannot read yet';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0)
    return 'a legacy Excel .xls workbook, which this version cannot read yet';
  return undefined;
}

function checkAbort(signal: AbortSignalLike | undefined, fileName: string): void {
  if (signal?.aborted) throw new ImportError('aborted', fileName, 'import cancelled.');
}

function headLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/, HEAD_LINES + 1);
  return lines.slice(0, HEAD_LINES);
}

/** Picks the text format of a head, or throws an ImportError saying why none fits. */
export function detectTextFormat(head: TextHead): TextFormat {
  const format = TEXT_FORMATS.find((f) => f.detect(head));
  if (format) return format;
  const first = head.lines.find((l) => l.trim().length > 0) ?? '';
  const preview = first.length > 60 ? `${first.slice(0, 60)}…` : first;
  throw new ImportError(
    'unrecognised-format',
    head.fileName,
    `not a recognised instrument file: no header naming time, voltage and current was found (first line: "${preview}").`,
  );
}

/** Reads a whole file into a Dataset. Throws ImportError (with the file name) on any bad input. */
export async function importDataset(source: ByteSource, options: ImportOptions): Promise<Dataset> {
  const { fileName, sizeBytes } = source;
  const hasher = options.createHasher();
  const iterator = source.chunks()[Symbol.asyncIterator]();
  let bytesRead = 0;

  const nextChunk = async (): Promise<Uint8Array | undefined> => {
    checkAbort(options.signal, fileName);
    let result: IteratorResult<Uint8Array>;
    try {
      result = await iterator.next();
    } catch (error) {
      throw new ImportError('read-failed', fileName, `could not be read (${error instanceof Error ? error.message : String(error)}).`);
    }
    checkAbort(options.signal, fileName);
    if (result.done) return undefined;
    hasher.update(result.value);
    bytesRead += result.value.length;
    options.onProgress?.(sizeBytes > 0 ? Math.min(1, bytesRead / sizeBytes) : 1);
    return result.value;
  };

  // Head: enough bytes to sniff the encoding and read the header lines.
  const headChunks: Uint8Array[] = [];
  let headSize = 0;
  while (headSize < HEAD_BYTES) {
    const chunk = await nextChunk();
    if (!chunk) break;
    headChunks.push(chunk);
    headSize += chunk.length;
  }
  const head = concat(headChunks, headSize);
  if (head.length === 0) throw new ImportError('empty-file', fileName, 'the file is empty.');

  const binary = describeBinary(head);
  if (binary) throw new ImportError('unsupported-format', fileName, `this is ${binary}.`);
  const encoding = guessEncoding(head);
  if (looksBinary(head, encoding.encoding)) {
    throw new ImportError('binary-file', fileName, 'this is a binary file of unknown format, not an instrument text export.');
  }
  const textHead: TextHead = {
    fileName,
    encoding: encoding.encoding,
    lines: headLines(decodeHead(head.subarray(0, HEAD_BYTES), encoding)),
  };
  const format = detectTextFormat(textHead);
  const parser = format.createParser(textHead);

  const splitter = new LineSplitter(encoding.encoding, (line, n, isUnterminated) => parser.onLine(line, n, isUnterminated));
  splitter.push(head);
  for (let chunk = await nextChunk(); chunk; chunk = await nextChunk()) splitter.push(chunk);
  splitter.finish();
  checkAbort(options.signal, fileName);

  const parsed = parser.finish();
  if (parsed.rowCount === 0) {
    throw new ImportError('no-data-rows', fileName, `the ${format.instrument} header was found but no readable data rows follow it.`);
  }
  const badRows = parsed.warnings.find((w) => w.code === 'rows-skipped')?.count ?? 0;
  if (badRows > parsed.rowCount) {
    throw new ImportError(
      'too-many-bad-rows',
      fileName,
      `${badRows} of ${badRows + parsed.rowCount} data lines could not be read; the file looks damaged or is not a ${format.instrument} file.`,
    );
  }

  return {
    rowCount: parsed.rowCount,
    columns: parsed.columns,
    meta: {
      name: fileName,
      source: { fileName, sizeBytes: bytesRead, sha256: hasher.digestHex() },
      format: format.id,
      instrument: format.instrument,
      encoding: encoding.encoding,
      sourceColumns: parsed.sourceColumns,
      startDateTime: parsed.startDateTime,
      warnings: parsed.warnings,
    },
  };
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A ByteSource over bytes already in memory (tests, fetched samples), cut into chunks. */
export function bytesSource(fileName: string, bytes: Uint8Array, chunkBytes = 1 << 20): ByteSource {
  return {
    fileName,
    sizeBytes: bytes.length,
    chunks: () => ({
      async *[Symbol.asyncIterator]() {
        for (let at = 0; at < bytes.length; at += chunkBytes) {
          // A real stream yields between chunks; so does this, so cancel and progress interleave the same way.
          await Promise.resolve();
          yield bytes.subarray(at, Math.min(bytes.length, at + chunkBytes));
        }
      },
    }),
  };
}
