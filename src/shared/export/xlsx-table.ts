/**
 * The layout of an exported table workbook, written onto an exceljs Workbook the host creates:
 *
 *   table + provenance -> sheet 1 (the table: bold frozen header row, numbers as numbers, empty cells
 *   for null) + sheet "Provenance" (field, value) -> the host's `workbook.xlsx.writeBuffer()`
 *
 * exceljs is not imported here: its type declarations reference Node's `stream` and `NodeJS` (hidden only
 * by skipLibCheck) and its package entry is the Node build, so each host imports it (main: the Node
 * build, src/main/export/xlsx-table.ts; renderer: the browser build through Vite,
 * src/renderer/export/xlsx-table.ts) and passes the workbook in. The interfaces below are the few members
 * of exceljs's Workbook / Worksheet / Row / Column used, so the hosts' type check proves they match.
 */
import { provenanceEntries, type ExportCell, type ExportProvenance, type ExportTable } from './tables';

export interface XlsxRowLike {
  font: { bold?: boolean };
}

export interface XlsxColumnLike {
  width?: number;
}

export interface XlsxSheetLike {
  addRow(values: ExportCell[]): XlsxRowLike;
  getColumn(index: number): XlsxColumnLike;
}

export interface XlsxWorkbookLike {
  addWorksheet(name: string, options: { views: { state: 'frozen'; xSplit: number; ySplit: number }[] }): XlsxSheetLike;
}

export const PROVENANCE_SHEET = 'Provenance';
/** Excel's limit on a sheet name's length. */
const MAX_SHEET_NAME_CHARS = 31;
/** Column widths in Excel's character units: wide enough for the header, within reason. */
const MIN_COLUMN_WIDTH_CHARS = 10;
const MAX_COLUMN_WIDTH_CHARS = 40;

function columnWidth(header: string): number {
  return Math.min(MAX_COLUMN_WIDTH_CHARS, Math.max(MIN_COLUMN_WIDTH_CHARS, header.length + 2));
}

/** A sheet name Excel accepts: none of []:*?/\ and at most 31 characters. */
export function sheetName(name: string): string {
  const cleaned = name.replace(/[[\]:*?/\\]/g, '_').slice(0, MAX_SHEET_NAME_CHARS);
  return cleaned === '' || cleaned.toLowerCase() === PROVENANCE_SHEET.toLowerCase() ? 'table' : cleaned;
}

/**
 * Adds the table's sheet (named after the table) and the "Provenance" sheet to `workbook`. NaN or ±Infinity
 * cannot be stored in a sheet: they are written as empty cells, as null is.
 */
export function fillTableWorkbook(workbook: XlsxWorkbookLike, table: ExportTable, provenance: ExportProvenance): void {
  const frozenHeader = { views: [{ state: 'frozen' as const, xSplit: 0, ySplit: 1 }] };
  const sheet = workbook.addWorksheet(sheetName(table.name), frozenHeader);
  sheet.addRow(table.columns.map((c) => c.header)).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
  table.columns.forEach((c, k) => (sheet.getColumn(k + 1).width = columnWidth(c.header)));

  const about = workbook.addWorksheet(PROVENANCE_SHEET, frozenHeader);
  about.addRow(['field', 'value']).font = { bold: true };
  for (const [field, value] of provenanceEntries(provenance)) about.addRow([field, value]);
  about.getColumn(1).width = 14;
  about.getColumn(2).width = 80;
}
