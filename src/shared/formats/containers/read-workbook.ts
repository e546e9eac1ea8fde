/**
 * Opens a spreadsheet by what its bytes are, not by its extension: a ZIP is read as .xlsx, an OLE2
 * compound file as .xls. Instruments often write one under the other's name, or text under `.xls`.
 */
import { parseDateTimeMs, parseNumber } from '../field-parsing';
import { ImportError } from '../import-error';
import type { CellValue, Workbook } from './workbook';
import { isOle2, readXls } from './xls-reader';
import { isZip, readXlsx } from './xlsx-reader';

/** Which workbook container the first bytes announce, if any. */
export function workbookKind(head: Uint8Array): 'xlsx' | 'xls' | undefined {
  if (isZip(head)) return 'xlsx';
  if (isOle2(head)) return 'xls';
  return undefined;
}

/** True when the first bytes look like text (tab/comma exports saved with an .xls name). */
function looksLikeText(head: Uint8Array): boolean {
  const n = Math.min(head.length, 512);
  if (n === 0) return false;
  let printable = 0;
  for (let k = 0; k < n; k++) {
    const c = head[k];
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c !== 127)) printable++;
  }
  return printable / n > 0.95;
}

/**
 * Reads an .xlsx or .xls workbook, chosen by magic bytes. Throws ImportError('unsupported-format')
 * for anything else (naming text files that only carry a spreadsheet's extension) and the readers'
 * ImportErrors for damaged files.
 */
export function readWorkbook(bytes: Uint8Array, fileName: string): Workbook {
  if (bytes.length === 0) throw new ImportError('empty-file', fileName, 'the file is empty.');
  switch (workbookKind(bytes)) {
    case 'xlsx':
      return readXlsx(bytes, fileName);
    case 'xls':
      return readXls(bytes, fileName);
    default:
      throw new ImportError(
        'unsupported-format',
        fileName,
        looksLikeText(bytes)
          ? 'not an Excel workbook: the file is text (an export saved with a spreadsheet extension?); import it as a text file.'
          : 'not an Excel workbook: neither an .xlsx ZIP package nor an .xls OLE2 compound file.',
      );
  }
}

/** A cell as a number: numbers as they are, numeric text parsed (`1,5` too); NaN for anything else. */
export function cellNumber(value: CellValue | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return parseNumber(value);
  return NaN;
}

/** A cell as trimmed text ('' for empty cells); numbers and booleans as JavaScript writes them. */
export function cellText(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value.trim() : String(value);
}

/** Days between Excel's day 0 (1899-12-30, the 1900 system after its leap-year bug) and 1970-01-01. */
const EXCEL_EPOCH_OFFSET_DAYS = 25569;

/**
 * Milliseconds on a time-zone-free axis of an Excel date serial (days since 1899-12-30, local wall
 * clock, 1900 date system); the result reads as UTC, like {@link parseDateTimeMs}.
 */
export function excelSerialToMs(days: number): number {
  return Math.round((days - EXCEL_EPOCH_OFFSET_DAYS) * 86_400_000);
}

/**
 * Wall-clock ms of a date cell: an Excel date serial, or text such as `YYYY-MM-DD HH:MM:SS(.fff)`
 * (surrounding white space, a leading tab too, is ignored); NaN for anything else.
 */
export function dateCellMs(value: CellValue | undefined): number {
  if (typeof value === 'number') return excelSerialToMs(value);
  return typeof value === 'string' ? parseDateTimeMs(value) : NaN;
}
