import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { generateAsymmetricCell } from '../synth/asymmetric-cell';
import { formatNewareXlsx, NEWARE_XLSX_RECORD_HEADER, newareXlsxRecordRows } from '../synth/neware-xlsx-writer';
import { writeXlsx } from '../synth/xlsx-writer';
import type { ParseContext, ParsedCycling } from './binary-format';
import type { CellValue } from './containers/workbook';
import { ImportError } from './import-error';
import { continuationGroupKey, continuationPartIndex, mergeContinuationParts, NEWARE_XLSX, parseNewareXlsx } from './neware-xlsx';

const ctx = (fileName: string): ParseContext => ({ fileName, services: {} });
const HEADER = [...NEWARE_XLSX_RECORD_HEADER];
const recordRows = newareXlsxRecordRows;
const fullWorkbook = formatNewareXlsx;

const records = generateAsymmetricCell({ cycles: 3, seed: 7 });

describe('NEWARE_XLSX on synthetic BTSDA workbooks', () => {
  it('detects full workbooks and continuation parts by content, not by extension', () => {
    const full = fullWorkbook(records);
    expect(NEWARE_XLSX.detect(full.subarray(0, 65536), 'anything.bin')).toBe(true);
    const part = writeXlsx([{ name: 'record', rows: [HEADER, ...recordRows(records.slice(0, 5), 100)] }]);
    expect(NEWARE_XLSX.detect(part.subarray(0, 65536), 'x_1.xlsx')).toBe(true);
    const other = writeXlsx([{ name: 'Sheet1', rows: [['Time', 'Voltage']] }]);
    expect(NEWARE_XLSX.detect(other.subarray(0, 65536), 'x.xlsx')).toBe(false);
    const landtLike = writeXlsx([{ name: 'record', rows: [['Record', 'TestTime', 'Current/mA', 'Voltage/V', 'Step-State']] }]);
    expect(NEWARE_XLSX.detect(landtLike.subarray(0, 65536), 'l.xlsx')).toBe(false);
    expect(NEWARE_XLSX.detect(new TextEncoder().encode('DataPoint,Step Type'), 'n.xlsx')).toBe(false);
  });

  it('reads the record sheet: units converted, time from Total Time, values equal to the generator’s', () => {
    const parsed = parseNewareXlsx(fullWorkbook(records), ctx('cell.xlsx'));
    expect(parsed.rowCount).toBe(records.length);
    const c = parsed.columns;
    let worst = { t: 0, i: 0, v: 0, q: 0 };
    records.forEach((r, k) => {
      worst = {
        // Total Time is written with millisecond resolution.
        t: Math.max(worst.t, Math.abs(c.timeS[k] - (Math.round(r.totalTimeS * 1000) / 1000 - records[0].totalTimeS))),
        i: Math.max(worst.i, Math.abs(c.currentMA[k] - r.currentMA) / Math.max(1e-9, Math.abs(r.currentMA))),
        v: Math.max(worst.v, Math.abs(c.voltageV[k] - r.voltageV)),
        q: Math.max(worst.q, Math.abs(c.capacityMAh![k] - r.capacityMAh) / Math.max(1e-6, r.capacityMAh)),
      };
    });
    expect(worst.t).toBeLessThan(1e-6);
    expect(worst.i).toBeLessThan(1e-6);
    expect(worst.v).toBeLessThan(1e-6);
    expect(worst.q).toBeLessThan(1e-6);
    expect(c.cycle![c.cycle!.length - 1]).toBe(3);
    expect(c.stepType[records.findIndex((r) => r.stepLabel === 'CC DChg')]).toBe(STEP_TYPE_CODE.cc_discharge);
    expect(c.temperatureC![1]).toBeCloseTo(25.1, 5);
    expect(parsed.startDateTime).toBe('2026-03-02 09:00:00.000');
    expect(parsed.sourceColumns.find((s) => s.header === 'Current(A)')).toEqual({ header: 'Current(A)', unit: 'A', mappedTo: 'current' });
    expect(parsed.warnings).toEqual([]);
  });

  it('reads Chinese headers and step names', () => {
    const zh = ['记录序号', '循环号', '工步号', '工步类型', '时间', '总时间', '电流(mA)', '电压(V)', '容量(mAh)', '日期'];
    const rows: CellValue[][] = [
      zh,
      [1, 1, 1, '搁置', '00:00:00.000', '00:00:00.000', 0, 0.8, 0, '2026-03-02 09:00:00'],
      [2, 1, 2, '恒流放电', '00:00:00.000', '00:00:10.000', -0.0785, 0.64, 0, '2026-03-02 09:00:10'],
      [3, 1, 2, '恒流放电', '100:00:00.000', '100:00:10.000', -0.0785, 0.62, 7.85, '2026-03-06 13:00:10'],
      [4, 1, 3, '恒流充电', '00:00:00.000', '100:00:20.000', 0.0785, 0.63, 0, '2026-03-06 13:00:20'],
    ];
    const parsed = parseNewareXlsx(writeXlsx([{ name: '记录层', rows }]), ctx('zh.xlsx'));
    expect([...parsed.columns.timeS]).toEqual([0, 10, 360_010, 360_020]);
    expect([...parsed.columns.stepType]).toEqual([
      STEP_TYPE_CODE.rest,
      STEP_TYPE_CODE.cc_discharge,
      STEP_TYPE_CODE.cc_discharge,
      STEP_TYPE_CODE.cc_charge,
    ]);
    // 0.0785 mA for 100 h is 7.85 mAh: the file's capacity agrees with I·t.
    expect(parsed.columns.capacityMAh![2]).toBeCloseTo((0.0785 * 360_000) / 3600, 5);
  });

  it('counts unreadable rows and refuses a workbook without a record sheet', () => {
    const rows: CellValue[][] = [
      HEADER,
      ...recordRows(records.slice(0, 3)),
      [4, 1, 1, 'Rest', 'x', 'garbled', 0, 0.6, 0, 0, 0, '2026-03-02 09:00:00', 25],
    ];
    const parsed = parseNewareXlsx(writeXlsx([{ name: 'record', rows }]), ctx('bad.xlsx'));
    expect(parsed.rowCount).toBe(3);
    expect(parsed.warnings.find((w) => w.code === 'rows-skipped')?.count).toBe(1);
    expect(() => parseNewareXlsx(writeXlsx([{ name: 'cycle', rows: [['Cycle Index']] }]), ctx('c.xlsx'))).toThrow(
      expect.objectContaining({ code: 'missing-column' }) as unknown,
    );
    expect(() => parseNewareXlsx(new Uint8Array([1, 2, 3]), ctx('g.xlsx'))).toThrow(ImportError);
  });
});

describe('continuation parts', () => {
  it('groups and orders part names; long BTSDA ids are not suffixes', () => {
    const base = 'GMJuly2022_CELL002_Test3_1_P0C_5P0PSI_20221115_R0_CH041_20221115074501_37_2_1_2818580175';
    expect(continuationGroupKey(`${base}.xlsx`)).toBe(continuationGroupKey(`C:\\data\\${base}_1.xlsx`));
    expect(continuationPartIndex(`${base}.xlsx`)).toBe(0);
    expect(continuationPartIndex(`${base}_2.xlsx`)).toBe(2);
    expect(continuationGroupKey('cellA.xlsx')).not.toBe(continuationGroupKey('cellB_1.xlsx'));
  });

  it('joins a split export into the same table as the unsplit one, in any given order', () => {
    const whole = parseNewareXlsx(fullWorkbook(records), ctx('t.xlsx'));
    const cut1 = Math.floor(records.length * 0.4);
    const cut2 = Math.floor(records.length * 0.75);
    const p0 = parseNewareXlsx(fullWorkbook(records.slice(0, cut1)), ctx('t.xlsx'));
    const partBytes = (from: number, to: number) =>
      writeXlsx([{ name: 'record', rows: [HEADER, ...recordRows(records.slice(from, to), from + 1)] }]);
    const p1 = parseNewareXlsx(partBytes(cut1, cut2), ctx('t_1.xlsx'));
    const p2 = parseNewareXlsx(partBytes(cut2, records.length), ctx('t_2.xlsx'));
    expect(p1.columns.timeS[0]).toBe(0); // each part alone starts at 0
    const merged = mergeContinuationParts([p2, p0, p1], ['t_2.xlsx', 't.xlsx', 't_1.xlsx']);
    expect(merged.rowCount).toBe(whole.rowCount);
    let dt = 0;
    for (let k = 0; k < whole.rowCount; k++) dt = Math.max(dt, Math.abs(merged.columns.timeS[k] - whole.columns.timeS[k]));
    expect(dt).toBeLessThan(1e-6);
    expect(merged.columns.voltageV).toEqual(whole.columns.voltageV);
    expect(merged.columns.currentMA).toEqual(whole.columns.currentMA);
    expect(merged.columns.capacityMAh).toEqual(whole.columns.capacityMAh);
    expect(merged.columns.cycle).toEqual(whole.columns.cycle);
    expect(merged.columns.stepType).toEqual(whole.columns.stepType);
    const w = merged.warnings.find((x) => x.code === 'continuation-merged');
    expect(w?.message).toMatch(/t\.xlsx, t_1\.xlsx, t_2\.xlsx/);
    expect(merged.startDateTime).toBe(whole.startDateTime);
  });

  it('refuses files whose DataPoint does not continue, or that have none', () => {
    const a = parseNewareXlsx(fullWorkbook(records.slice(0, 10)), ctx('a.xlsx'));
    const b = parseNewareXlsx(fullWorkbook(records.slice(0, 10)), ctx('a_1.xlsx'));
    expect(() => mergeContinuationParts([a, b], ['a.xlsx', 'a_1.xlsx'])).toThrow(/DataPoint starts at 1, but a\.xlsx ends at 10/);
    const foreign: ParsedCycling = { ...a, continuation: undefined } as ParsedCycling;
    expect(() => mergeContinuationParts([a, foreign], ['a.xlsx', 'a_1.xlsx'])).toThrow(ImportError);
    expect(() => mergeContinuationParts([a, b], ['a.xlsx', 'b_1.xlsx'])).toThrow(/names differ/);
  });
});
