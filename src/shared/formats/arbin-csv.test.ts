/**
 * Arbin CSV: synthetic snippets for each quirk (implicit units, BOM + TAB-prefixed dates, empty step
 * counters, metadata side files, truncation) and the four real exports with MANIFEST.md's values.
 */
import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON, readReal, utf8 } from '../test-support/real-data';
import { parseWithTextFormat, valueRange } from '../test-support/text-format-driver';
import { ARBIN_CSV, arbinStepCapacityMAh, inferArbinStepTypes } from './arbin-csv';
import { ImportError } from './import-error';
import type { ParsedRecords, TextHead } from './text-format';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

function headOf(text: string, fileName = 'x.csv'): TextHead {
  return { fileName, encoding: 'utf-8', lines: text.split(/\r?\n/).slice(0, 60) };
}

/** Largest relative gap between the trapezoid ∫|I| dt of each non-rest step (≥ `minRows` rows) and its capacity at the step's end. */
function worstStepIntegralGap(p: ParsedRecords, minRows: number): { worst: number; checked: number } {
  const { timeS, currentMA, capacityMAh, step, stepType, cycle } = p.columns;
  let worst = 0;
  let checked = 0;
  for (let i = 1, start = 0; i <= p.rowCount; i++) {
    if (i < p.rowCount && step[i] === step[i - 1] && (!cycle || cycle[i] === cycle[i - 1])) continue;
    const end = i - 1;
    if (stepType[end] !== STEP_TYPE_CODE.rest && end - start >= minRows) {
      // From the step's boundary: the previous record closes the last step, where the counters were read.
      let mAh = 0;
      for (let k = Math.max(1, start); k <= end; k++) {
        const iPrev = k === start ? 0 : Math.abs(currentMA[k - 1]);
        mAh += (((Math.abs(currentMA[k]) + iPrev) / 2) * (timeS[k] - timeS[k - 1])) / 3600;
      }
      worst = Math.max(worst, Math.abs(mAh - capacityMAh![end]) / capacityMAh![end]);
      checked++;
    }
    start = i;
  }
  return { worst, checked };
}

describe('ARBIN_CSV on synthetic snippets', () => {
  const beepHeader =
    'Data_Point,Test_Time,DateTime,Step_Time,Step_Index,Cycle_Index,Current,Voltage,Charge_Capacity,Discharge_Capacity,Charge_Energy,Discharge_Energy,dV/dt,Internal_Resistance,Temperature';

  it('reads beep/MITS Pro rows with implicit units: A -> mA, Ah counters -> per-step mAh, epoch DateTime -> start', () => {
    // 1 A for 3600 s is 1000 mAh; then a rest, then -0.5 A for 3600 s after the counter reset of cycle 2.
    const rows = [
      '0,0,1500000000,0,1,1,0,3.0,0.2,0,0,0,0,0,25',
      '1,10,1500000010,0,2,1,1.0,3.1,0.2,0,0,0,0,0,25',
      '2,1810,1500001810,0,2,1,1.0,3.2,0.7,0,0,0,0,0,25',
      '3,3610,1500003610,0,2,1,1.0,3.3,1.2,0,0,0,0,0,25',
      '4,3620,1500003620,0,3,2,0,3.2,0,0,0,0,0,0,25',
      '5,7220,1500007220,0,4,2,-0.5,3.0,0,0.5,0,0,0,0,25',
    ];
    const p = parseWithTextFormat(ARBIN_CSV, 'beep.csv', utf8([beepHeader, ...rows].join('\r\n') + '\r\n'));
    expect(p.rowCount).toBe(6);
    expect(Array.from(p.columns.currentMA)).toEqual([0, 1000, 1000, 1000, 0, -500]);
    expect(Array.from(p.columns.capacityMAh!)).toEqual([0, 0, 500, 1000, 0, 500]);
    expect(Array.from(p.columns.stepType)).toEqual([
      STEP_TYPE_CODE.rest,
      STEP_TYPE_CODE.cc_charge,
      STEP_TYPE_CODE.cc_charge,
      STEP_TYPE_CODE.cc_charge,
      STEP_TYPE_CODE.rest,
      STEP_TYPE_CODE.cc_discharge,
    ]);
    expect(Array.from(p.columns.cycle!)).toEqual([1, 1, 1, 1, 2, 2]);
    expect(p.columns.timeS[5]).toBe(7220);
    expect(p.startDateTime).toBe('2017-07-14 02:40:00.000 UTC');
    expect(p.sourceColumns.find((c) => c.mappedTo === 'current')).toEqual({ header: 'Current', unit: '', mappedTo: 'current' });
  });

  it('reads MITS Pro 8 / DataWatcher: BOM, units in headers, TAB before the Date Time value', () => {
    const text =
      '\uFEFFData Point,Date Time,Test Time (s),Step Time (s),Cycle Index,Step Index,Current (mA),Voltage (V),Charge Capacity (mAh),Discharge Capacity (mAh),Aux_Temperature_1 (C)\n' +
      '1,\t09/20/2024 08:32:34.558,30.0005,30.0005,1,1,0,3.5,0,0,24.5\n' +
      '2,\t09/20/2024 08:33:04.559,60.0008,0.1,1,2,2.5,3.6,0.01,0,24.6\n';
    const p = parseWithTextFormat(ARBIN_CSV, 'mits8.csv', utf8(text));
    expect(p.rowCount).toBe(2);
    expect(p.startDateTime).toBe('09/20/2024 08:32:34.558');
    expect(p.columns.timeS[1]).toBeCloseTo(30.0003, 9);
    expect(p.columns.currentMA[1]).toBeCloseTo(2.5, 6);
    expect(p.columns.capacityMAh![1]).toBeCloseTo(0.01, 7);
    expect(p.columns.temperatureC![1]).toBeCloseTo(24.6, 5);
  });

  it('numbers steps by current runs and drops the cycle column when Step_Index and Cycle_Index are empty', () => {
    const rows = [
      '0,0,1,,,,0,3.0,0,0,0,0,0,0,25',
      '1,1,2,,,,2,3.1,0.001,0,0,0,0,0,25',
      '2,2,3,,,,2,3.2,0.002,0,0,0,0,0,25',
      '3,3,4,,,,-2,3.1,0.002,0.001,0,0,0,0,25',
    ];
    const p = parseWithTextFormat(ARBIN_CSV, 'empty-steps.csv', utf8([beepHeader, ...rows].join('\n')));
    expect(Array.from(p.columns.step)).toEqual([1, 2, 2, 3]);
    expect(p.columns.cycle).toBeUndefined();
    expect(p.warnings.map((w) => w.code)).toContain('step-types-inferred');
  });

  it('marks a held-voltage step with decaying current as CV, and CC then CV in one step as ccv', () => {
    const cv = { currentMA: Float32Array.from([0, 10, 8, 6, 4, 2]), voltageV: Float32Array.from([3.5, 4.2, 4.2, 4.201, 4.2, 4.2]) };
    const columns = { ...cv, step: Int32Array.from([1, 2, 2, 2, 2, 2]), stepType: new Uint8Array(6) };
    inferArbinStepTypes(columns, true);
    expect(columns.stepType[5]).toBe(STEP_TYPE_CODE.cv_charge);
    const ccv = {
      currentMA: Float32Array.from([-10, -10, -10, -6, -3, -1]),
      voltageV: Float32Array.from([3.5, 3.3, 3.0, 3.0, 3.0, 3.001]),
      step: Int32Array.from([1, 1, 1, 1, 1, 1]),
      stepType: new Uint8Array(6),
    };
    inferArbinStepTypes(ccv, true);
    expect(ccv.stepType[0]).toBe(STEP_TYPE_CODE.ccv);
    const cc = {
      currentMA: Float32Array.from([5, 5, 5, 5]),
      voltageV: Float32Array.from([3.5, 3.6, 3.7, 3.8]),
      step: Int32Array.from([1, 1, 1, 1]),
      stepType: new Uint8Array(4),
    };
    inferArbinStepTypes(cc, true);
    expect(cc.stepType[0]).toBe(STEP_TYPE_CODE.cc_charge);
  });

  it('per-step capacity restarts at a counter reset inside a step', () => {
    const cap = arbinStepCapacityMAh(
      Int32Array.from([1, 1, 1]),
      undefined,
      Float64Array.from([0.5, 0.6, 0.1]),
      Float64Array.from([0, 0, 0]),
    );
    expect(Array.from(cap).map((v) => +v.toFixed(6))).toEqual([0, 100, 100]);
  });

  it('refuses the _Metadata.csv side files (both spellings) with an unsupported-format ImportError', () => {
    for (const header of [
      ',Test_ID,Device_ID,IV_Ch_ID,First_Start_DateTime,Schedule_File_Name',
      ',test_id,device_id,iv_ch_id,first_start_datetime,schedule_file_name',
    ]) {
      const head = headOf(`${header}\n0,144,60369369,32,1494377253,a.sdu`, 'x_Metadata.csv');
      expect(ARBIN_CSV.detect(head)).toBe(true);
      expect(() => ARBIN_CSV.createParser(head)).toThrow(ImportError);
      expect(() => ARBIN_CSV.createParser(head)).toThrow(/metadata/);
    }
  });

  it('does not claim NEWARE or generic CSV headers', () => {
    expect(ARBIN_CSV.detect(headOf('DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,Current(A),Voltage(V),Capacity(Ah)'))).toBe(
      false,
    );
    expect(ARBIN_CSV.detect(headOf('time/s,Ewe/V,I/mA'))).toBe(false);
    expect(ARBIN_CSV.detect(headOf(''))).toBe(false);
  });

  it('header without rows and a truncated last line give ImportError or a counted skip, never anything else', () => {
    expect(() => parseWithTextFormat(ARBIN_CSV, 'empty.csv', utf8(beepHeader + '\n'))).toThrow(ImportError);
    const p = parseWithTextFormat(ARBIN_CSV, 'cut.csv', utf8(`${beepHeader}\n0,0,1,0,1,1,0,3.0,0,0,0,0,0,0,25\n1,1,2,0,1,1,0,3.0`));
    expect(p.rowCount).toBe(1);
    expect(p.warnings.find((w) => w.code === 'rows-skipped')?.count).toBe(1);
    const garbage = parseWithTextFormat(
      ARBIN_CSV,
      'garbage.csv',
      utf8(`${beepHeader}\n0,0,1,0,1,1,0,3.0,0,0,0,0,0,0,25\nx,y,z\n\u0000\u0001,,,,`),
    );
    expect(garbage.rowCount).toBe(1);
  });
});

describeReal('Arbin CSV exports in ../shared/data/real/arbin', () => {
  it('2017-05-09_test-TC-contact_CH33.csv: 287 rows, 6.6 A charge, 3.30–3.60 V, empty Step/Cycle index', () => {
    const p = parseWithTextFormat(ARBIN_CSV, 'CH33.csv', readReal('arbin/2017-05-09_test-TC-contact_CH33.csv'));
    expect(p.rowCount).toBe(287);
    expect(p.columns.currentMA[0]).toBeCloseTo(6600.444793701172, 1);
    const [vLo, vHi] = valueRange(p.columns.voltageV);
    expect(vLo).toBeCloseTo(3.3, 2);
    expect(vHi).toBeCloseTo(3.6, 2);
    expect(p.columns.cycle).toBeUndefined();
    // Counters start at 5.178 mAh (the test began before this file): the per-step capacity starts at 0.
    expect(p.columns.capacityMAh![0]).toBe(0);
    // A near-zero-current record splits the charge into inferred steps; each step's capacity integrates.
    const { worst, checked } = worstStepIntegralGap(p, 20);
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(worst).toBeLessThan(0.01);
    console.warn(`CH33: worst step ∫|I|dt vs capacity gap ${worst} over ${checked} steps`);
    expect(valueRange(p.columns.currentMA)[0]).toBeGreaterThanOrEqual(0);
  });

  it('FastCharge_000025_CH8.csv: 248 rows of rest at 3.301 V, 30 °C', () => {
    const p = parseWithTextFormat(ARBIN_CSV, 'FastCharge_000025_CH8.csv', readReal('arbin/FastCharge_000025_CH8.csv'));
    expect(p.rowCount).toBe(248);
    expect(p.columns.stepType.every((s) => s === STEP_TYPE_CODE.rest)).toBe(true);
    expect(p.columns.voltageV[0]).toBeCloseTo(3.301, 3);
    expect(p.columns.temperatureC![0]).toBeCloseTo(30.1, 1);
    // First DateTime cell 1494645243.4715 s (Unix epoch), to the nearest ms.
    expect(p.startDateTime).toBe('2017-05-13 03:14:03.472 UTC');
  });

  it('arbin_example.csv: 2142 rows, 2 cycles, −4.40…+6.64 A, 2.00–3.60 V; step capacities integrate', () => {
    const p = parseWithTextFormat(ARBIN_CSV, 'arbin_example.csv', readReal('arbin/arbin_example.csv'));
    expect(p.rowCount).toBe(2142);
    expect(valueRange(p.columns.cycle!)).toEqual([1, 2]);
    const [iLo, iHi] = valueRange(p.columns.currentMA);
    expect(iLo / 1000).toBeCloseTo(-4.4, 2);
    expect(iHi / 1000).toBeCloseTo(6.64, 2);
    const [vLo, vHi] = valueRange(p.columns.voltageV);
    expect(vLo).toBeCloseTo(2.0, 2);
    expect(vHi).toBeCloseTo(3.6, 2);
    const { worst, checked } = worstStepIntegralGap(p, 20);
    expect(checked).toBeGreaterThanOrEqual(4);
    expect(worst).toBeLessThan(0.01);
    console.warn(`arbin_example.csv: worst step ∫|I|dt vs capacity gap ${worst} over ${checked} steps`);
    for (let i = 0; i < p.rowCount; i++) {
      if (p.columns.stepType[i] === STEP_TYPE_CODE.cc_charge) expect(p.columns.currentMA[i]).toBeGreaterThan(0);
      if (p.columns.stepType[i] === STEP_TYPE_CODE.cc_discharge) expect(p.columns.currentMA[i]).toBeLessThan(0);
    }
  });

  it('sample_data_arbin.csv (BOM, TAB dates): 13 rows, rest then 2.65 A charge, 3.53–3.60 V', () => {
    const p = parseWithTextFormat(ARBIN_CSV, 'sample_data_arbin.csv', readReal('arbin/sample_data_arbin.csv'));
    expect(p.rowCount).toBe(13);
    expect(p.startDateTime).toBe('09/20/2024 08:32:34.558');
    expect(p.columns.stepType[0]).toBe(STEP_TYPE_CODE.rest);
    expect(p.columns.stepType[12]).toBe(STEP_TYPE_CODE.cc_charge);
    expect(p.columns.currentMA[12]).toBeCloseTo(2650.138, 2);
    const [vLo, vHi] = valueRange(p.columns.voltageV);
    expect(vLo).toBeCloseTo(3.53, 2);
    expect(vHi).toBeCloseTo(3.6, 2);
    expect(p.columns.temperatureC![0]).toBeCloseTo(24.66422, 4);
  });

  it('the _Metadata.csv side files are refused', () => {
    for (const f of ['FastCharge_000025_CH8_Metadata.csv', '2017-05-09_test-TC-contact_CH33_Metadata.csv']) {
      expect(() => parseWithTextFormat(ARBIN_CSV, f, readReal('arbin/' + f))).toThrow(ImportError);
    }
  });
});
