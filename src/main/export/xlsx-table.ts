/**
 * An export table as .xlsx bytes in Node (CLI, desktop main): exceljs's Node build fills the shared layout
 * (src/shared/export/xlsx-table.ts). The renderer has its own thin twin on exceljs's browser build.
 */
import ExcelJS from 'exceljs';
import type { ExportProvenance, ExportTable } from '@shared/export/tables';
import { fillTableWorkbook } from '@shared/export/xlsx-table';

export async function writeTableXlsx(table: ExportTable, provenance: ExportProvenance): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = `${provenance.app} ${provenance.version}`;
  fillTableWorkbook(workbook, table, provenance);
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer);
}
