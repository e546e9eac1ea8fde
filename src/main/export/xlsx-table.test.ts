import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { analyzeGitt } from '@shared/analysis/gitt';
import { pulsesTable, provenanceEntries, type ExportProvenance, type ExportTable } from '@shared/export/tables';
import { PROVENANCE_SHEET } from '@shared/export/xlsx-table';
import { readWorkbook } from '@shared/formats/containers/read-workbook';
import { generateGittRun } from '@shared/synth/gitt-run';
import { writeTableXlsx } from './xlsx-table';

const provenance: ExportProvenance = {
  app: 'Interphase',
  version: '0.1.0',
  sourceFile: 'gitt-run.synthetic',
  sha256: '0123456789abcdef'.repeat(4),
  analysisKind: 'gitt',
  parameters: { areaCm2: 0.785, deltaEtMethod: 'sqrt-fit' },
  exportedAt: '2025-03-01T12:00:00.000Z',
};

/** A table with every kind of cell: numbers (NaN among them), texts with commas and quotes, null. */
function gittTable(): ExportTable {
  const run = generateGittRun({ pulsesPerRun: 4 });
  const result = analyzeGitt(run.dataset, { activeMaterialMol: run.truth.activeMaterialMol, areaCm2: run.truth.params.areaCm2 });
  const table = pulsesTable(result);
  return { ...table, rows: [...table.rows, table.columns.map((_, k) => (k === 0 ? 'a, "quoted" text' : k === 1 ? Number.NaN : null))] };
}

describe('writeTableXlsx', () => {
  it('round-trips through the project reader: header row, every number exact, null and NaN empty; Provenance sheet', async () => {
    const table = gittTable();
    const bytes = await writeTableXlsx(table, provenance);
    const workbook = readWorkbook(bytes, 'pulses.xlsx');
    expect(workbook.sheetNames).toEqual(['pulses', PROVENANCE_SHEET]);
    const rows = [...workbook.sheet('pulses')!.rows()];
    expect(rows.length).toBe(1 + table.rows.length);
    expect(rows[0]).toEqual(table.columns.map((c) => c.header));
    table.rows.forEach((row, i) =>
      row.forEach((cell, k) => {
        const back = rows[i + 1][k] ?? null;
        if (typeof cell === 'number' && !Number.isFinite(cell)) expect(back).toBeNull();
        else if (cell === '') expect(back === '' || back === null).toBe(true);
        else expect(back).toBe(cell);
      }),
    );
    const about = [...workbook.sheet(PROVENANCE_SHEET)!.rows()];
    expect(about[0]).toEqual(['field', 'value']);
    expect(about.slice(1)).toEqual(provenanceEntries(provenance));
  });

  it('stores numbers as numbers, the header bold and frozen (read back with exceljs)', async () => {
    const table = gittTable();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await writeTableXlsx(table, provenance)).buffer as ArrayBuffer);
    const sheet = workbook.getWorksheet('pulses')!;
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const d = table.columns.findIndex((c) => c.key === 'D_cm2_s');
    const firstD = table.rows.findIndex((r) => typeof r[d] === 'number');
    const cell = sheet.getRow(firstD + 2).getCell(d + 1);
    expect(cell.type).toBe(ExcelJS.ValueType.Number);
    expect(cell.value).toBe(table.rows[firstD][d]);
  });
});
