/**
 * A spreadsheet read into memory, format-neutral: the .xlsx (Office Open XML, a ZIP of XML parts)
 * and .xls (BIFF8 inside an OLE2 compound file) readers both produce this.
 */

/** A cell's value: numbers as numbers, text as strings, booleans, empty as null. Dates stay numbers (Excel serial days). */
export type CellValue = string | number | boolean | null;

export interface WorkbookSheet {
  readonly name: string;
  /** Rows in order, each as dense cells from column A; missing rows are empty arrays. */
  rows(): Iterable<CellValue[]>;
  /** Number of rows (last used row index + 1). */
  readonly rowCount: number;
}

export interface Workbook {
  /** Sheet names in workbook order. */
  readonly sheetNames: readonly string[];
  /** The sheet of that name (exact match), or undefined. */
  sheet(name: string): WorkbookSheet | undefined;
}
