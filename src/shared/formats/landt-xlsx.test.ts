/**
 * Landt LANDdt Excel exports: no real file exists (MANIFEST "Known gaps"), so these tests use workbooks
 * made by our writer with the documented column names. They check the reader's logic, not the format.
 */
import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { generateAsymmetricCell, type SynthRecord } from '../synth/asymmetric-cell';
import { formatDateTime } from '../synth/neware-csv-writer';
import { writeXlsx } from '../synth/xlsx-writer';
import type { CellValue } from './containers/workbook';
import { ImportError } from './import-error';
import { LANDT_XLSX, parseLandtXlsx } from './landt-xlsx';
import { NEWARE_XLSX } from './neware-xlsx';
import { ARBIN_XLSX } from './arbin-xlsx';

const EN = [
  'Record',
  'TestTime/Sec',
  'StepTime/Sec',
  'Current/mA',
  'Voltage/V',
  'Capacity/mAh',
  'SpeCap/mAh/g',
  'SysTime',
  'Cycle-Index',
  'Step-Index',
  'Step-State',
];
const ZH = [
  '序号',
  '测试时间',
  '步骤时间',
  '电流/mA',
  '电压/V',
  '容量/mAh',
  '比容量/mAh/g',
  '系统时间',
  '循环序号',
  '工步序号',
  '工步状态',
];
const STATE = { Rest: 'R', 'CC Chg': 'RateC', 'CC DChg': 'RateD' } as const;
const STATE_ZH = { Rest: '搁置', 'CC Chg': '恒流充电', 'CC DChg': '恒流放电' } as const;
const START_MS = Date.UTC(2026, 2, 2, 9, 0, 0);

/** Landt rows: current written as a magnitude (sign in the step state), capacity per step, 1 mg active mass. */
function landtRows(records: readonly SynthRecord[], chinese = false): CellValue[][] {
  return records.map((r, k) => [
    k + 1,
    r.totalTimeS,
    r.stepTimeS,
    Math.abs(r.currentMA),
    r.voltageV,
    r.capacityMAh,
    r.capacityMAh / 0.001,
    formatDateTime(START_MS, r.totalTimeS),
    r.cycle,
    r.stepIndex,
    (chinese ? STATE_ZH : STATE)[r.stepLabel],
  ]);
}

const records = generateAsymmetricCell({ cycles: 2, seed: 3 });

describe('LANDT_XLSX (unverified format) on writer-made workbooks', () => {
  it('detects Landt headers and not NEWARE/Arbin, and those formats do not claim it', () => {
    const bytes = writeXlsx([{ name: 'Record', rows: [EN, ...landtRows(records.slice(0, 5))] }]);
    const head = bytes.subarray(0, 65536);
    expect(LANDT_XLSX.detect(head, 'cell.xlsx')).toBe(true);
    expect(NEWARE_XLSX.detect(head, 'cell.xlsx')).toBe(false);
    expect(ARBIN_XLSX.detect(head, 'cell.xlsx')).toBe(false);
    const neware = writeXlsx([{ name: 'record', rows: [['DataPoint', 'Step Type', 'Total Time', 'Current(A)', 'Voltage(V)']] }]);
    expect(LANDT_XLSX.detect(neware.subarray(0, 65536), 'n.xlsx')).toBe(false);
  });

  it('reads English headers: seconds, mA, magnitudes signed by the step state, per-step capacity', () => {
    const bytes = writeXlsx([
      { name: 'Info', rows: [['LAND battery test']] },
      { name: 'Record', rows: [['Test 1'], EN, ...landtRows(records)] },
    ]);
    const p = parseLandtXlsx(bytes, { fileName: 'l.xlsx', services: {} });
    expect(p.rowCount).toBe(records.length);
    let worstI = 0;
    let worstT = 0;
    records.forEach((r, k) => {
      worstI = Math.max(worstI, Math.abs(p.columns.currentMA[k] - r.currentMA));
      worstT = Math.max(worstT, Math.abs(p.columns.timeS[k] - (r.totalTimeS - records[0].totalTimeS)));
    });
    expect(worstI).toBeLessThan(1e-6);
    expect(worstT).toBeLessThan(1e-9);
    const kPlate = records.findIndex((r) => r.stepLabel === 'CC DChg');
    expect(p.columns.stepType[kPlate]).toBe(STEP_TYPE_CODE.cc_discharge);
    expect(p.columns.currentMA[kPlate]).toBeLessThan(0);
    expect(p.columns.capacityMAh![kPlate + 5]).toBeCloseTo(records[kPlate + 5].capacityMAh, 6);
    expect(p.columns.cycle![p.rowCount - 1]).toBe(2);
    expect(p.startDateTime).toBe('2026-03-02 09:00:00.000');
    const codes = p.warnings.map((w) => w.code);
    expect(codes).toContain('format-unverified');
    expect(codes).toContain('current-sign-from-step-type');
  });

  it('reads Chinese headers, HH:MM:SS and d-HH:MM:SS test times', () => {
    const rows: CellValue[][] = [
      ZH,
      [1, '00:00:00', '00:00:00', 0, 0.8, 0, 0, '2026-03-02 09:00:00', 1, 1, '搁置'],
      [2, '25:00:00.5', '00:00:10', 0.0785, 0.62, 0.5, 500, '2026-03-03 10:00:00', 1, 2, '恒流放电'],
      [3, '2-01:00:00', '00:00:20', 0.0785, 0.63, 0.6, 600, '2026-03-04 10:00:00', 1, 3, '恒流充电'],
    ];
    const p = parseLandtXlsx(writeXlsx([{ name: '记录', rows }]), { fileName: 'zh.xlsx', services: {} });
    expect([...p.columns.timeS]).toEqual([0, 90_000.5, 2 * 86400 + 3600]);
    expect([...p.columns.currentMA].map((v) => Math.round(v * 1e4) / 1e4)).toEqual([0, -0.0785, 0.0785]);
    expect([...p.columns.stepType]).toEqual([STEP_TYPE_CODE.rest, STEP_TYPE_CODE.cc_discharge, STEP_TYPE_CODE.cc_charge]);
  });

  it('refuses a workbook without Landt columns', () => {
    expect(() => parseLandtXlsx(writeXlsx([{ name: 'S', rows: [['a', 'b']] }]), { fileName: 's.xlsx', services: {} })).toThrow(ImportError);
  });
});
