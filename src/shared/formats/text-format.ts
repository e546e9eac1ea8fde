import type { DatasetColumns, ImportWarning, SourceColumn } from '../model/dataset';

/** The first lines of a text file, decoded, for detection and header reading. */
export interface TextHead {
  readonly fileName: string;
  readonly encoding: string;
  /** Up to HEAD_LINES lines; the last may be cut by the head's byte limit. */
  readonly lines: readonly string[];
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
  finish(): ParsedRecords;
}

/** One text format: content detection plus a streaming line parser. */
export interface TextFormat {
  readonly id: string;
  readonly instrument: string;
  /** True when the head is this format (checked in registry order: specific formats first). */
  detect(head: TextHead): boolean;
  /** Throws ImportError when the head is this format but unusable (e.g. no voltage column). */
  createParser(head: TextHead): LineParser;
}
