import { describe, expect, it } from 'vitest';
import { generateAsymmetricCell } from '../synth/asymmetric-cell';
import { formatNewareXlsx, formatNewareXlsxPart } from '../synth/neware-xlsx-writer';
import { nodeHasher, utf8 } from '../test-support/real-data';
import { bytesSource, importDataset } from './import-dataset';
import { groupSplitExports, importSplitExport } from './import-split';

const records = generateAsymmetricCell({ cycles: 3, seed: 11 });

describe('split NEWARE Excel exports', () => {
  it('groups the parts of one export and leaves every other file alone', () => {
    const names = ['cell_2.xlsx', 'other.csv', 'cell.xlsx', 'b.xlsx', 'cell_1.xlsx'];
    expect(groupSplitExports(names)).toEqual([[2, 4, 0], [1], [3]]);
  });

  it('imports name.xlsx + name_1.xlsx + name_2.xlsx as the same dataset as the unsplit export', async () => {
    const whole = await importDataset(bytesSource('cell.xlsx', formatNewareXlsx(records)), { createHasher: nodeHasher });
    const cut1 = Math.floor(records.length / 3);
    const cut2 = Math.floor((2 * records.length) / 3);
    const parts = [
      bytesSource('cell.xlsx', formatNewareXlsx(records.slice(0, cut1))),
      bytesSource('cell_1.xlsx', formatNewareXlsxPart(records.slice(cut1, cut2), cut1 + 1)),
      bytesSource('cell_2.xlsx', formatNewareXlsxPart(records.slice(cut2), cut2 + 1)),
    ];
    const merged = await importSplitExport(parts, { createHasher: nodeHasher });
    expect(merged.rowCount).toBe(whole.rowCount);
    expect(merged.columns.voltageV).toEqual(whole.columns.voltageV);
    expect(merged.columns.currentMA).toEqual(whole.columns.currentMA);
    for (let k = 0; k < whole.rowCount; k++) expect(Math.abs(merged.columns.timeS[k] - whole.columns.timeS[k])).toBeLessThan(1e-6);
    expect(merged.meta.format).toBe('neware-xlsx');
    expect(merged.meta.warnings.map((w) => w.code)).toContain('continuation-merged');
    expect(merged.meta.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(merged.meta.source.sha256).not.toBe(whole.meta.source.sha256);
  });

  it('refuses a group holding a file that is not a NEWARE workbook, naming it', async () => {
    const parts = [bytesSource('cell.xlsx', formatNewareXlsx(records)), bytesSource('cell_1.xlsx', utf8('Time,Voltage\n1,2\n'))];
    await expect(importSplitExport(parts, { createHasher: nodeHasher })).rejects.toThrow(
      /^cell_1\.xlsx: only the parts of a split NEWARE Excel export/,
    );
  });
});
