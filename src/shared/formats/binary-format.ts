import type { IndentationDataset } from '../model/indentation';
import type { AbortSignalLike } from './import-dataset';
import type { ParsedRecords } from './text-format';

/**
 * A table of an Access (Jet) database, as the host's reader returns it. Arbin `.res` files are Access
 * databases; the reader (mdb-reader) needs Node's Buffer, so hosts inject it and the core stays pure.
 */
export interface AccessTable {
  readonly columnNames: readonly string[];
  /** Rows as objects keyed by column name; numbers, strings, Dates as ms since epoch (number), null. */
  readonly rows: readonly Record<string, unknown>[];
}

export interface AccessDatabase {
  tableNames(): string[];
  table(name: string): AccessTable;
}

/** Services a host provides to parsers that need them. */
export interface ParseServices {
  /** Opens an Access database (Arbin .res). Absent in hosts without a reader. */
  readonly openAccessDatabase?: (bytes: Uint8Array) => AccessDatabase;
}

export interface ParseContext {
  readonly fileName: string;
  readonly signal?: AbortSignalLike;
  /** Fraction of the parse done, 0..1. */
  readonly onProgress?: (fraction: number) => void;
  readonly services: ParseServices;
}

/** A cycling file's records (same shape as the text parsers return) plus what the format knows. */
export interface ParsedCycling extends ParsedRecords {
  readonly kind: 'cycling';
  /** Encoding of text inside the file, e.g. 'utf-8' for XML parts, 'binary' when none. */
  readonly encoding: string;
  /** Overrides the format's instrument label, e.g. with the version read from the file (`NEWARE BTS 8.0 .ndax (NDC 14)`). */
  readonly instrument?: string;
}

/** An indentation file's curves (meta is filled in by the pipeline). */
export interface ParsedIndentation {
  readonly kind: 'indentation';
  readonly encoding: string;
  readonly instrument?: string;
  readonly curves: IndentationDataset['curves'];
  readonly instrumentSettings?: IndentationDataset['instrumentSettings'];
  readonly warnings: ParsedRecords['warnings'];
  readonly sourceColumns: ParsedRecords['sourceColumns'];
}

export type ParsedFile = ParsedCycling | ParsedIndentation;

/**
 * A format read from the whole file's bytes at once (binary containers, workbooks). Detection sees the
 * first 64 KiB and the file name; it must look at content (magic bytes, ZIP member names, sheet names),
 * using the name's extension only to choose between formats that share a container.
 */
export interface BinaryFormat {
  readonly id: string;
  readonly instrument: string;
  detect(head: Uint8Array, fileName: string): boolean;
  /** Throws ImportError (naming the file) on bad input; never anything else. */
  parse(bytes: Uint8Array, context: ParseContext): ParsedFile;
}
