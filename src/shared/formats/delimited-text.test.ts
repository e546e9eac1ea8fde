import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { importBytes, nodeHasher, utf8 } from '../test-support/real-data';
import { bytesSource, importDataset } from './import-dataset';

describe('generic delimited text', () => {
  it('finds the header below metadata lines and converts units from it', async () => {
    const text = [
      '# my logger v2',
      'operator: A. Student',
      'Time (h)\tVoltage (mV)\tCurrent (µA)\tTemperature (K)',
      '0\t620\t-78.5\t298.15',
      '0.5\t615\t-78.5\t298.15',
      '1\t900\t0\t299.15',
    ].join('\n');
    const dataset = await importBytes('log.tsv', utf8(text));
    expect(dataset.meta.format).toBe('delimited-text');
    expect(Array.from(dataset.columns.timeS)).toEqual([0, 1800, 3600]);
    expect(dataset.columns.voltageV[0]).toBeCloseTo(0.62, 6);
    expect(dataset.columns.currentMA[0]).toBeCloseTo(-0.0785, 7);
    expect(dataset.columns.temperatureC![2]).toBeCloseTo(26, 4);
    // no step-type column: inferred from the current's sign, steps numbered by runs
    expect(Array.from(dataset.columns.stepType)).toEqual([STEP_TYPE_CODE.cc_discharge, STEP_TYPE_CODE.cc_discharge, STEP_TYPE_CODE.rest]);
    expect(Array.from(dataset.columns.step)).toEqual([1, 1, 2]);
    expect(dataset.meta.warnings.map((w) => w.code)).toEqual(['step-types-inferred']);
  });

  it('reads decimal commas in ;-separated exports and date-time time columns', async () => {
    const text = ['Date;U/V;I/mA', '2024-01-31 23:59:59.5;0,62;-1,5', '2024-02-01 00:00:01.0;0,61;-1,5'].join('\r\n');
    const dataset = await importBytes('de.csv', utf8(text));
    expect(Array.from(dataset.columns.timeS)).toEqual([0, 1.5]);
    expect(dataset.columns.voltageV[1]).toBeCloseTo(0.61, 6);
    expect(dataset.columns.currentMA[0]).toBeCloseTo(-1.5, 6);
    expect(dataset.meta.startDateTime).toBe('2024-01-31 23:59:59.5');
  });

  it('handles quoted fields (papaparse) and HH:MM:SS time cells', async () => {
    const text = [
      '"Test Time","Voltage(V)","Current(A)","Step Type","Note"',
      '"00:00:00",0.6,-0.001,"CC DChg","a, b"',
      '"01:00:00",0.59,-0.001,"CC DChg","multi',
      'line"',
    ].join('\n');
    const dataset = await importBytes('q.csv', utf8(text));
    expect(dataset.rowCount).toBe(2);
    expect(Array.from(dataset.columns.timeS)).toEqual([0, 3600]);
    expect(dataset.columns.currentMA[1]).toBeCloseTo(-1, 6);
    expect(dataset.columns.stepType[0]).toBe(STEP_TYPE_CODE.cc_discharge);
    // The quoted record ends the file without a line break, complete: nothing was skipped.
    expect(dataset.meta.warnings.map((w) => w.code)).toEqual([]);
  });

  it('uses the elapsed-time column as the axis and keeps the date-time column as metadata only', async () => {
    const text = [
      ',Date,Test Time (s),Voltage (V),Current (A)',
      'x,2024-01-01 00:00:00,10,0.6,0.001',
      'y,2024-01-01 00:00:05,15,0.61,0.001',
    ].join('\n');
    const dataset = await importBytes('both.csv', utf8(text));
    expect(Array.from(dataset.columns.timeS)).toEqual([0, 5]);
    expect(dataset.meta.startDateTime).toBe('2024-01-01 00:00:00');
    const mapped = dataset.meta.sourceColumns.filter((c) => c.mappedTo === 'time').map((c) => c.header);
    expect(mapped).toEqual(['Test Time (s)']);
  });

  it('drops a last line cut mid-write (fewer cells than the header, no line break)', async () => {
    const text = ['time/s,Ewe/V,I/mA', '0,0.61,-0.1', '1,0.60,-0.1', '2,0.5'].join('\n');
    const dataset = await importBytes('cut.csv', utf8(text));
    expect(dataset.rowCount).toBe(2);
    expect(dataset.meta.warnings.find((w) => w.code === 'rows-skipped')?.message).toContain('line 4');
  });

  it('reads a UTF-16 file with BOM whose time axis is a German date-time', async () => {
    const text = 'Datum/Uhrzeit;Spannung (V);Strom (mA)\r\n25.11.2026 14:00:00;0,6200;-0,0785\r\n25.11.2026 14:00:30;0,6150;-0,0785\r\n';
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let k = 0; k < text.length; k++) {
      utf16[2 + 2 * k] = text.charCodeAt(k) & 0xff;
      utf16[3 + 2 * k] = text.charCodeAt(k) >> 8;
    }
    const columnMap = { dateTime: 'Datum/Uhrzeit', voltage: 'Spannung (V)', current: 'Strom (mA)' };
    const dataset = await importDataset(bytesSource('utf16.txt', utf16, 7), { createHasher: nodeHasher, columnMap });
    expect(dataset.meta.encoding).toBe('utf-16le');
    expect(Array.from(dataset.columns.timeS)).toEqual([0, 30]);
    expect(dataset.columns.voltageV[1]).toBeCloseTo(0.615, 6);
    expect(dataset.meta.startDateTime).toBe('25.11.2026 14:00:00');
  });
});
