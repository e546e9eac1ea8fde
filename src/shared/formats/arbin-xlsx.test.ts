import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { generateAsymmetricCell, type SynthRecord } from '../synth/asymmetric-cell';
import { writeXlsx } from '../synth/xlsx-writer';
import { ARBIN_XLSX, parseArbinXlsx } from './arbin-xlsx';
import type { CellValue } from './containers/workbook';
import { ImportError } from './import-error';

const HEADER = [
  'Date_Time',
  'Test_Time(s)',
  'Step_Time(s)',
  'Step_Index',
  'Cycle_Index',
  'Voltage(V)',
  'Current(A)',
  'Charge_Capacity(Ah)',
  'Discharge_Capacity(Ah)',
];
/** 2019-10-20 11:31:46 as an Excel serial (days since 1899-12-30). */
const START_SERIAL = 43758 + (11 * 3600 + 31 * 60 + 46) / 86400;

/**
 * Arbin rows from synthetic records: the counters accumulate each direction over a cycle and restart
 * at 0 when the cycle increments (MANIFEST.md), so the per-step capacity must be recovered from them.
 */
function arbinRows(records: readonly SynthRecord[]): CellValue[][] {
  let cycle = records[0].cycle;
  let chgBase = 0;
  let dchgBase = 0;
  let lastStep = -1;
  let lastQ = 0;
  let stepIsCharge = false;
  return records.map((r) => {
    if (r.cycle !== cycle) {
      cycle = r.cycle;
      chgBase = 0;
      dchgBase = 0;
    } else if (r.stepIndex !== lastStep && lastStep !== -1) {
      // The finished step's capacity stays in its counter.
      if (stepIsCharge) chgBase += lastQ;
      else dchgBase += lastQ;
    }
    if (r.stepIndex !== lastStep) {
      stepIsCharge = r.stepLabel === 'CC Chg';
      lastStep = r.stepIndex;
      lastQ = 0;
    }
    const q = r.stepLabel === 'Rest' ? 0 : r.capacityMAh / 1000;
    lastQ = q;
    return [
      START_SERIAL + r.totalTimeS / 86400,
      r.totalTimeS,
      r.stepTimeS,
      r.stepIndex,
      r.cycle,
      r.voltageV,
      r.currentMA / 1000,
      chgBase + (r.stepLabel === 'CC Chg' ? q : 0),
      dchgBase + (r.stepLabel === 'CC DChg' ? q : 0),
    ];
  });
}

const records = generateAsymmetricCell({ cycles: 3, seed: 11 });
const globalInfo = { name: 'Global_Info', rows: [['TEST REPORT'], [], [], ['Channel', 'Start DateTime'], [1, START_SERIAL]] };

describe('ARBIN_XLSX on synthetic workbooks', () => {
  it('detects Global_Info + Channel sheets by content', () => {
    const bytes = writeXlsx([globalInfo, { name: 'Channel_1_1', rows: [HEADER] }]);
    expect(ARBIN_XLSX.detect(bytes.subarray(0, 65536), 'export.bin')).toBe(true);
    const neware = writeXlsx([{ name: 'record', rows: [['DataPoint', 'Step Type', 'Current(A)', 'Voltage(V)']] }]);
    expect(ARBIN_XLSX.detect(neware.subarray(0, 65536), 'x.xlsx')).toBe(false);
  });

  it('derives per-step capacity from cycle counters and joins Channel_1_1, _2 in order', () => {
    const rows = arbinRows(records);
    const cut = Math.floor(rows.length / 2);
    const bytes = writeXlsx([
      globalInfo,
      // Sheets written out of order: the _k suffix decides.
      { name: 'Channel_1_2', rows: [HEADER, ...rows.slice(cut)] },
      { name: 'Channel_1_1', rows: [HEADER, ...rows.slice(0, cut)] },
      { name: 'Channel_2_1', rows: [HEADER, rows[0]] },
    ]);
    const parsed = parseArbinXlsx(bytes, { fileName: 'a.xlsx', services: {} });
    expect(parsed.rowCount).toBe(records.length);
    const c = parsed.columns;
    let worstQ = 0;
    let worstI = 0;
    records.forEach((r, k) => {
      const want = r.stepLabel === 'Rest' ? 0 : r.capacityMAh;
      worstQ = Math.max(worstQ, Math.abs(c.capacityMAh![k] - want));
      worstI = Math.max(worstI, Math.abs(c.currentMA[k] - r.currentMA));
    });
    // Float32 capacity of up to ~0.2 mAh: better than 1e-6 mAh.
    expect(worstQ).toBeLessThan(1e-6);
    expect(worstI).toBeLessThan(1e-6);
    expect(c.timeS[records.length - 1]).toBeCloseTo(records[records.length - 1].totalTimeS - records[0].totalTimeS, 6);
    const kPlate = records.findIndex((r) => r.stepLabel === 'CC DChg');
    expect(c.stepType[kPlate]).toBe(STEP_TYPE_CODE.cc_discharge);
    expect(c.stepType[0]).toBe(STEP_TYPE_CODE.rest);
    expect(parsed.startDateTime).toBe('2019-10-20 11:31:46.000');
    const codes = parsed.warnings.map((w) => w.code);
    expect(codes).toEqual(expect.arrayContaining(['step-types-inferred', 'capacity-from-counters', 'sheets-joined', 'channels-ignored']));
  });

  it('reads headers without units as Arbin’s implicit A/V/Ah', () => {
    const header = ['Test_Time', 'Step_Index', 'Cycle_Index', 'Voltage', 'Current', 'Charge_Capacity', 'Discharge_Capacity'];
    const bytes = writeXlsx([{ name: 'Channel_3_1', rows: [header, [0, 1, 1, 3.0, 0.002, 0, 0], [3600, 1, 1, 3.5, 0.002, 0.002, 0]] }]);
    const p = parseArbinXlsx(bytes, { fileName: 'u.xlsx', services: {} });
    expect([...p.columns.currentMA]).toEqual([2, 2]);
    // 2 mA for 1 h is 2 mAh.
    expect(p.columns.capacityMAh![1]).toBeCloseTo(2, 6);
  });

  it('refuses workbooks without channel sheets or without readable rows', () => {
    expect(() => parseArbinXlsx(writeXlsx([globalInfo]), { fileName: 'g.xlsx', services: {} })).toThrow(ImportError);
    expect(() =>
      parseArbinXlsx(writeXlsx([{ name: 'Channel_1_1', rows: [HEADER, ['x', 'y']] }]), { fileName: 'e.xlsx', services: {} }),
    ).toThrow(expect.objectContaining({ code: 'no-data-rows' }) as unknown);
  });
});
