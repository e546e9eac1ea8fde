/**
 * An export table as .xlsx bytes in the renderer (browser build and desktop window): exceljs's browser
 * build (Vite picks it through the package's `browser` field) fills the shared layout
 * (src/shared/export/xlsx-table.ts). The Node twin is src/main/export/xlsx-table.ts.
 */
import ExcelJS from 'exceljs';
import type { ExportProvenance, ExportTable } from '@shared/export/tables';
import { fillTableWorkbook } from '@shared/export/xlsx-table';

export const XLSX_MIME_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function writeTableXlsx(table: ExportTable, provenance: ExportProvenance): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = `${provenance.app} ${provenance.version}`;
  fillTableWorkbook(workbook, table, provenance);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
