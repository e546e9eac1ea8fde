/**
 * The import pipeline, the same in every host (worker_threads, Web Workers, CLI):
 *
 *   bytes (async chunks) -> hash + progress + abort check -> head (first 64 KiB)
 *     -> whole-file formats (binary containers, workbooks, indentation exports) detected on the head:
 *          read the rest into one buffer -> format.parse -> curves or records
 *     -> else text: encoding -> detect format by content -> stream lines into the format's parser
 *     -> columns + metadata -> Dataset (cycling) | IndentationDataset
 *
 * The host supplies the bytes, a SHA-256 hasher (node:crypto, or a pure-JS one in browsers) and the
 * services some formats need (an Access reader for Arbin .res), so the core stays free of I/O.
 */
import type { Dataset, DatasetMeta } from '../model/dataset';
import { withFileHealth } from '../model/file-health';
import type { IndentationDataset } from '../model/indentation';
import type { BinaryFormat, ParsedFile, ParseServices } from './binary-format';
import type { ColumnMap } from './column-map';
import { inspectDelimited, type DelimitedInspection } from './delimited-text';
import { ImportError } from './import-error';
import { BINARY_FORMATS, TEXT_FORMATS } from './registry';
import {
  ByteLineSplitter,
  decodeHead,
  guessEncoding,
  hasLoneCarriageReturns,
  isAsciiCompatible,
  LineSplitter,
  LineTooLongError,
  looksBinary,
} from './text-decoding';
import type { TextFormat, TextHead } from './text-format';

export { TEXT_FORMATS, BINARY_FORMATS };

/** What an import yields: a cycling record table or a set of indentation curves. */
export type ImportedDataset = Dataset | IndentationDataset;

/**
 * Largest file a whole-file (binary) format reads into memory. Text exports stream and have no limit;
 * a binary container this large is beyond what the app can hold twice (bytes + columns).
 */
export const MAX_WHOLE_FILE_BYTES = 1536 * 1024 * 1024;

/** Whole-file formats: reading fills this share of the progress bar, parsing the rest. */
const WHOLE_FILE_READ_SHARE = 0.7;

/** Bytes of the file read before detection. */
export const HEAD_BYTES = 64 * 1024;
const HEAD_LINES = 60;

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
  /** Fraction of the import done, 0..1 (bytes read; for whole-file formats reading then parsing). */
  readonly onProgress?: (fraction: number) => void;
  /** Host services (Access reader …); formats needing an absent one refuse the file clearly. */
  readonly services?: ParseServices;
  /** The user's column mapping for generic delimited text (the Map columns dialog, CLI `--map`). */
  readonly columnMap?: ColumnMap;
}

/**
 * Containers we recognise by their magic bytes when no whole-file format claimed the file: the message
 * says what the file is and why it was not read (an .xlsx of an unknown layout, a damaged .ndax …).
 */
function describeBinary(head: Uint8Array): string | undefined {
  const ascii = String.fromCharCode(...head.subarray(0, 32));
  if (ascii.startsWith('PK\u0003\u0004'))
    return 'a ZIP archive that is neither a NEWARE .ndax nor an instrument workbook (.xlsx) of a layout this app reads';
  if (ascii.startsWith('NEWARE')) return 'a NEWARE .nda file of a version this app does not read';
  if (ascii.startsWith('BIO-LOGIC MODULAR FILE')) return 'a BioLogic .mpr file this app could not recognise';
  if (ascii.includes('Standard Jet DB')) return 'an Access database that is not an Arbin .res file';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0)
    return 'a legacy Excel .xls workbook of a layout this app does not read';
  return undefined;
}

/** Instrument text files that are not records (run logs, settings), recognised by their first line. */
function describeNonDataText(lines: readonly string[]): string | undefined {
  const first = (lines[0] ?? '').trim();
  if (/^(EC|BT)-Lab LOG FILE$/.test(first)) {
    return 'a BioLogic run log (.mpl): it holds the settings and events of a run, not its data; import the .mpr or .mpt of the same run';
  }
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
export function detectTextFormat(head: TextHead, columnMap?: ColumnMap): TextFormat {
  const format = TEXT_FORMATS.find((f) => f.detect(head, { columnMap }));
  if (format) return format;
  if (columnMap) {
    const named = [columnMap.time ?? columnMap.dateTime, columnMap.voltage, columnMap.current].filter((h) => h !== undefined);
    throw new ImportError(
      'missing-column',
      head.fileName,
      `the mapping's columns (${named.map((h) => `"${h}"`).join(', ')}) are not all in one header line of the file (a time, voltage and current column are needed).`,
    );
  }
  const first = head.lines.find((l) => l.trim().length > 0) ?? '';
  const preview = first.length > 60 ? `${first.slice(0, 60)}…` : first;
  throw new ImportError(
    'unrecognised-format',
    head.fileName,
    `not a recognised instrument file: no header naming time, voltage and current was found (first line: "${preview}").`,
  );
}

/** The whole-file format that claims a head, if any (registry order). */
export function detectBinaryFormat(head: Uint8Array, fileName: string): BinaryFormat | undefined {
  return BINARY_FORMATS.find((f) => f.detect(head, fileName));
}

/**
 * Reads a cycling file into a Dataset; an indentation file is refused with a message saying so (for
 * callers that only handle record tables). Throws ImportError (with the file name) on any bad input.
 */
export async function importDataset(source: ByteSource, options: ImportOptions): Promise<Dataset> {
  const imported = await importFile(source, options);
  if (imported.kind === 'indentation') {
    throw new ImportError('unsupported-format', source.fileName, 'this is a nanoindentation file, not cycling data.');
  }
  return imported;
}

/** What the importer sees in a file's head before reading it: the format, and for delimited text its columns. */
export interface FileInspection {
  readonly fileName: string;
  /** Format id that would read the file, or null when none recognises it. */
  readonly formatId: string | null;
  readonly instrument: string | null;
  /** For delimited text (recognised or not): the header, a proposed mapping and a preview. */
  readonly delimited?: DelimitedInspection;
  /** Why no format fits, when none does. */
  readonly problem?: string;
}

/**
 * Reads only the head of a file and says how it would be imported. The UI uses it to decide whether
 * to ask for a column mapping (generic delimited text, or delimited text no format recognises).
 */
export async function inspectFile(source: ByteSource, columnMap?: ColumnMap): Promise<FileInspection> {
  const { fileName } = source;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source.chunks()) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= HEAD_BYTES) break;
  }
  const head = concat(chunks, size);
  if (head.length === 0) return { fileName, formatId: null, instrument: null, problem: 'the file is empty.' };
  const whole = detectBinaryFormat(head, fileName);
  if (whole) return { fileName, formatId: whole.id, instrument: whole.instrument };
  const binary = describeBinary(head);
  const encoding = guessEncoding(head);
  if (binary || looksBinary(head, encoding.encoding)) {
    return {
      fileName,
      formatId: null,
      instrument: null,
      problem: binary ? `this is ${binary}.` : 'this is a binary file of unknown format.',
    };
  }
  const textHead: TextHead = {
    fileName,
    sizeBytes: source.sizeBytes,
    encoding: encoding.encoding,
    lines: headLines(decodeHead(head.subarray(0, HEAD_BYTES), encoding)),
  };
  const delimited = inspectDelimited(textHead);
  try {
    const format = detectTextFormat(textHead, columnMap);
    return { fileName, formatId: format.id, instrument: format.instrument, delimited };
  } catch (error) {
    return { fileName, formatId: null, instrument: null, delimited, problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Reads a whole file into a Dataset or IndentationDataset. Throws ImportError (with the file name) on any bad input. */
export async function importFile(source: ByteSource, options: ImportOptions): Promise<ImportedDataset> {
  const { fileName, sizeBytes } = source;
  const hasher = options.createHasher();
  const iterator = source.chunks()[Symbol.asyncIterator]();
  let bytesRead = 0;
  /** Share of the progress bar that reading takes: all of it for streamed text, most for whole-file formats. */
  let readShare = 1;

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
    options.onProgress?.(readShare * (sizeBytes > 0 ? Math.min(1, bytesRead / sizeBytes) : 1));
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

  const wholeFileFormat = detectBinaryFormat(head, fileName);
  if (wholeFileFormat) {
    readShare = WHOLE_FILE_READ_SHARE;
    if (sizeBytes > MAX_WHOLE_FILE_BYTES) {
      throw new ImportError(
        'too-large',
        fileName,
        `this ${wholeFileFormat.instrument} file is ${(sizeBytes / 2 ** 30).toFixed(2)} GiB; files of this format are read whole and the limit is ${(MAX_WHOLE_FILE_BYTES / 2 ** 30).toFixed(1)} GiB. Export it as CSV (which streams) or split it.`,
      );
    }
    const chunks = [head];
    let total = head.length;
    for (let chunk = await nextChunk(); chunk; chunk = await nextChunk()) {
      chunks.push(chunk);
      total += chunk.length;
      if (total > MAX_WHOLE_FILE_BYTES)
        throw new ImportError('too-large', fileName, 'the file grew beyond the size limit while it was read.');
    }
    const bytes = concat(chunks, total);
    const parsed = parseWhole(wholeFileFormat, bytes, fileName, {
      ...options,
      // The parser's own fraction continues the bar where reading left it, never going back.
      onProgress:
        options.onProgress &&
        ((f: number) => options.onProgress!(WHOLE_FILE_READ_SHARE + (1 - WHOLE_FILE_READ_SHARE) * Math.min(1, Math.max(0, f)))),
    });
    options.onProgress?.(1);
    checkAbort(options.signal, fileName);
    return buildImported(parsed, wholeFileFormat, {
      fileName,
      sizeBytes: bytesRead,
      sha256: hasher.digestHex(),
    });
  }

  const binary = describeBinary(head);
  if (binary) throw new ImportError('unsupported-format', fileName, `this is ${binary}.`);
  const encoding = guessEncoding(head);
  if (looksBinary(head, encoding.encoding)) {
    throw new ImportError('binary-file', fileName, 'this is a binary file of unknown format, not an instrument text export.');
  }
  const textHead: TextHead = {
    fileName,
    sizeBytes,
    encoding: encoding.encoding,
    lines: headLines(decodeHead(head.subarray(0, HEAD_BYTES), encoding)),
  };
  const notData = describeNonDataText(textHead.lines);
  if (notData) throw new ImportError('unsupported-format', fileName, `this is ${notData}.`);
  const format = detectTextFormat(textHead, options.columnMap);
  const parser = format.createParser(textHead, { columnMap: options.columnMap });

  const onLineBytes = parser.onLineBytes?.bind(parser);
  const splitter =
    onLineBytes && isAsciiCompatible(encoding.encoding) && !hasLoneCarriageReturns(head)
      ? new ByteLineSplitter(onLineBytes, encoding.bomLength)
      : new LineSplitter(encoding.encoding, (line, n, isUnterminated) => parser.onLine(line, n, isUnterminated));
  try {
    splitter.push(head);
    for (let chunk = await nextChunk(); chunk; chunk = await nextChunk()) splitter.push(chunk);
    splitter.finish();
  } catch (error) {
    if (error instanceof LineTooLongError) {
      throw new ImportError(
        'line-too-long',
        fileName,
        `line ${error.lineNumber} is longer than ${(error.limitChars / 2 ** 20).toFixed(0)} Mi characters without a line break; this is not a record-per-line export.`,
      );
    }
    throw error;
  }
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

  return withFileHealth({
    kind: 'cycling',
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
  });
}

function parseWhole(format: BinaryFormat, bytes: Uint8Array, fileName: string, options: ImportOptions): ParsedFile {
  try {
    return format.parse(bytes, {
      fileName,
      signal: options.signal,
      onProgress: options.onProgress,
      services: options.services ?? {},
    });
  } catch (error) {
    if (error instanceof ImportError) throw error;
    // A parser bug or a file damaged in a way its checks missed: still a message naming the file.
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportError(
      'damaged-file',
      fileName,
      `the ${format.instrument} file could not be read: it looks damaged or truncated (${reason}).`,
    );
  }
}

function buildImported(parsed: ParsedFile, format: BinaryFormat, source: DatasetMeta['source']): ImportedDataset {
  const meta: DatasetMeta = {
    name: source.fileName,
    source,
    format: format.id,
    instrument: parsed.instrument ?? format.instrument,
    encoding: parsed.encoding,
    sourceColumns: parsed.sourceColumns,
    startDateTime: parsed.kind === 'cycling' ? parsed.startDateTime : undefined,
    warnings: parsed.warnings,
  };
  if (parsed.kind === 'indentation') {
    if (parsed.curves.length === 0)
      throw new ImportError('no-data-rows', source.fileName, `the ${meta.instrument} file holds no load–displacement curve.`);
    return { kind: 'indentation', meta, curves: parsed.curves, instrumentSettings: parsed.instrumentSettings };
  }
  if (parsed.rowCount === 0) {
    throw new ImportError('no-data-rows', source.fileName, `the ${meta.instrument} file holds no records.`);
  }
  return withFileHealth({ kind: 'cycling', rowCount: parsed.rowCount, columns: parsed.columns, meta });
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
