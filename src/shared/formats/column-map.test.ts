import { describe, expect, it } from 'vitest';
import { importBytes, nodeHasher, utf8 } from '../test-support/real-data';
import { formatColumnMapArgument, headerSignature, parseColumnMapArgument } from './column-map';
import { bytesSource, importDataset, inspectFile } from './import-dataset';

const GERMAN = [
  'Zeit [s];Spannung [V];Strom [µA];Kommentar',
  '0;0,6200;-78,5;a',
  '60;0,6100;-78,5;b',
  '120;0,6050;-78,5;c',
  '180;0,6040;78,5;d',
].join('\n');

describe('column maps', () => {
  it('parse the CLI form, with commas in header names escaped, and format back', () => {
    const map = parseColumnMapArgument('time=Zeit [s],voltage=Spannung [V],current=I\\, total (mA)');
    expect(map).toEqual({ time: 'Zeit [s]', voltage: 'Spannung [V]', current: 'I, total (mA)' });
    expect(parseColumnMapArgument(formatColumnMapArgument(map))).toEqual(map);
    expect(() => parseColumnMapArgument('colour=Blue')).toThrow(/unknown role "colour"/);
    expect(() => parseColumnMapArgument('time')).toThrow(/not role=Header/);
  });

  it('a file no format recognises is refused without a mapping and read with one', async () => {
    await expect(importBytes('zelle.txt', utf8(GERMAN))).rejects.toThrow(/zelle.txt: not a recognised instrument file/);
    const columnMap = parseColumnMapArgument('time=Zeit [s],voltage=Spannung [V],current=Strom [µA]');
    const dataset = await importDataset(bytesSource('zelle.txt', utf8(GERMAN)), { createHasher: nodeHasher, columnMap });
    expect(dataset.rowCount).toBe(4);
    expect(Array.from(dataset.columns.timeS)).toEqual([0, 60, 120, 180]);
    // µA -> mA and decimal commas.
    expect(dataset.columns.currentMA[0]).toBeCloseTo(-0.0785, 7);
    expect(dataset.columns.voltageV[1]).toBeCloseTo(0.61, 6);
    expect(dataset.meta.sourceColumns.find((c) => c.header === 'Strom [µA]')).toEqual({
      header: 'Strom [µA]',
      unit: 'µA',
      mappedTo: 'current',
    });
    expect(dataset.meta.sourceColumns.find((c) => c.header === 'Kommentar')?.mappedTo).toBeUndefined();
    expect(dataset.meta.warnings.map((w) => w.code)).toContain('columns-mapped-by-user');
  });

  it('a mapping naming a column the file lacks is refused with the column named', async () => {
    const columnMap = { time: 'Zeit [s]', voltage: 'Spannung [V]', current: 'Strom [mA]' };
    await expect(importDataset(bytesSource('zelle.txt', utf8(GERMAN)), { createHasher: nodeHasher, columnMap })).rejects.toThrow(
      /zelle.txt: the mapping's columns \("Zeit \[s\]", "Spannung \[V\]", "Strom \[mA\]"\) are not all in one header line/,
    );
  });

  it('inspection finds the header of an unknown file, proposes nothing it cannot justify, and gives a stable signature', async () => {
    const inspection = await inspectFile(bytesSource('zelle.txt', utf8(`# exported 2026-11-25\n${GERMAN}`)));
    expect(inspection.formatId).toBeNull();
    expect(inspection.delimited?.headerLineIndex).toBe(1);
    expect(inspection.delimited?.delimiter).toBe(';');
    expect(inspection.delimited?.headers).toEqual(['Zeit [s]', 'Spannung [V]', 'Strom [µA]', 'Kommentar']);
    expect(inspection.delimited?.proposed).toEqual({});
    expect(inspection.delimited?.sampleRows[0]).toEqual(['0', '0,6200', '-78,5', 'a']);
    expect(inspection.delimited?.signature).toBe(headerSignature(['Zeit [s]', 'Spannung [V]', 'Strom [µA]', 'Kommentar']));

    const known = await inspectFile(bytesSource('g.csv', utf8('Time (h),Voltage (V),Current (mA)\n0,0.6,1\n1,0.61,1\n2,0.62,1\n')));
    expect(known.formatId).toBe('delimited-text');
    expect(known.delimited?.proposed).toEqual({ time: 'Time (h)', voltage: 'Voltage (V)', current: 'Current (mA)' });
  });
});
