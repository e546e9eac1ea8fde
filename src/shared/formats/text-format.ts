import type { ColumnMap } from './column-map';
import type { DatasetColumns, ImportWarning, SourceColumn } from '../model/dataset';

/** The first lines of a text file, decoded, for detection and header reading. */
export interface TextHead {
  readonly fileName: string;
  readonly encoding: string;
  /** Up to HEAD_LINES lines; the last may be cut by the head's byte limit. */
  readonly lines: readonly string[];
  /** Size of the whole file, bytes, when known (for row-count estimates). */
  readonly sizeBytes?: number;
}

/**
 * Rows a file of this head probably holds: its size over the mean length of the head's lines after
 * the first `skipLines` (headers), plus 5 %. Undefined when the head is too short to tell.
 */
export function estimateRowCount(head: TextHead, skipLines: number): number | undefined {
  const sample = head.lines.slice(skipLines, -1);
  if (head.sizeBytes === undefined || sample.length < 4) return undefined;
  const meanBytes = sample.reduce((n, l) => n + l.length + 1, 0) / sample.length;
  return (head.sizeBytes / meanBytes) * 1.05;
}

/** What a text parser returns after the last line. */
export interface ParsedRecords {
  columns: DatasetColumns;
  rowCount: number;
  sourceColumns: SourceColumn[];
  warnings: ImportWarning[];
  startDateTime?: string;
}

/** Receives the file's lines in order (header lines included), then `finish()`. */
export interface LineParser {
  /** `isUnterminated`: the file's last line, without a line break after it (possibly cut short). */
  onLine(line: string, lineNumber: number, isUnterminated: boolean): void;
  /**
   * Optional fast path: the same line as bytes[start, end) of an ASCII-compatible encoding, offered
   * instead of `onLine` when the parser has it. It must give exactly what `onLine` would (falling back
   * to it for any line it does not handle).
   */
  onLineBytes?(bytes: Uint8Array, start: number, end: number, lineNumber: number, isUnterminated: boolean): void;
  finish(): ParsedRecords;
}

/** What the user or the caller decided for this file (the Map columns dialog, CLI `--map`). */
export interface TextParseSettings {
  readonly columnMap?: ColumnMap;
}

/** One text format: content detection plus a streaming line parser. */
export interface TextFormat {
  readonly id: string;
  readonly instrument: string;
  /** True when the head is this format (checked in registry order: specific formats first). */
  detect(head: TextHead, settings?: TextParseSettings): boolean;
  /** Throws ImportError when the head is this format but unusable (e.g. no voltage column). */
  createParser(head: TextHead, settings?: TextParseSettings): LineParser;
}
