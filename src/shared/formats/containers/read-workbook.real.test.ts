/**
 * The workbook readers on the real instrument files of ../shared/data/real (MANIFEST.md values).
 */
import { describe, expect, it } from 'vitest';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON, readReal } from '../../test-support/real-data';
import { readWorkbook } from './read-workbook';
import type { CellValue, Workbook } from './workbook';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

function rows(wb: Workbook, name: string): CellValue[][] {
  const sheet = wb.sheet(name);
  if (!sheet) throw new Error(`sheet ${name} missing; sheets: ${wb.sheetNames.join(', ')}`);
  return [...sheet.rows()];
}

function open(rel: string): Workbook {
  return readWorkbook(readReal(rel), rel.split('/').pop()!);
}

describeReal('readWorkbook on real .xls (BIFF8)', () => {
  it('FQ.xls: sheet order, Results per unload, test sheets of ~2,980 rows', () => {
    const wb = open('indentation/FQ.xls');
    const tests = Array.from({ length: 10 }, (_, k) => `Test ${String(10 - k).padStart(3, '0')}`);
    expect(wb.sheetNames).toEqual(['Results', 'Required Inputs', 'Inputs Editable Post Test', ...tests, 'Sheet1']);
    const results = rows(wb, 'Results');
    expect(results[0].slice(0, 9)).toEqual(['Test', 'E', 'Avg E', 'H', 'Avg H', 'Displacement', 'Load', 'Stiffness', 'PoverS2']);
    expect(results[1][1]).toBe('GPa');
    // MANIFEST: test 1 unload 1 E 73.5 GPa, H 9.44 GPa at 524.2 nm / 31.136 mN, S 145949.167 N/m.
    const u1 = results.find((r) => r[0] === '1-1')!;
    expect(u1.slice(1, 8)).toEqual([73.5, null, 9.44, null, 524.2, 31.136, 145949.167]);
    // unload 5: E 72.5, H 9.16 at 2124.9 nm / 496.989 mN, S 584588.268 N/m.
    const u5 = results.find((r) => r[0] === '1-5')!;
    expect([u5[1], u5[3], u5[5], u5[6], u5[7]]).toEqual([72.5, 9.16, 2124.9, 496.989, 584588.268]);
    const test1 = rows(wb, 'Test 001');
    expect(test1[0]).toEqual(['Segment', 'Displacement Into Surface', 'Load On Sample', 'Time On Sample']);
    expect(test1[1]).toEqual([null, 'nm', 'mN', 's']);
    expect(test1.length).toBeGreaterThan(2900);
    expect(test1.length).toBeLessThan(3100);
    expect(test1.some((r) => r[0] === 'Cycle Begin Marker 1')).toBe(true);
    expect(rows(wb, 'Sheet1')).toEqual([]);
    // Max load of test 1 is the fifth cycle's 500 mN target (MANIFEST: 496.989 mN at unload 5).
    const maxLoad = Math.max(...test1.slice(2).map((r) => (typeof r[2] === 'number' ? r[2] : -Infinity)));
    expect(maxLoad).toBeGreaterThan(496.9);
    expect(maxLoad).toBeLessThan(510);
  });

  it('Popin.xls: Results modulus per test and invalid values as 1.797e308', () => {
    const wb = open('indentation/Popin.xls');
    expect(wb.sheetNames.filter((n) => n.startsWith('Test ')).length).toBe(12);
    const results = rows(wb, 'Results');
    expect(results.find((r) => r[0] === '1')![1]).toBe(330.9);
    expect(results.find((r) => r[0] === '2')![1]).toBe(333.3);
    const mean = results.find((r) => r[0] === 'Mean')!;
    expect(mean[1]).toBeCloseTo(339.2, 1);
    expect(mean[2]).toBeCloseTo(7.02, 2);
    const test1 = rows(wb, 'Test 001');
    expect(test1[0]).toEqual([
      'Segment',
      'Displacement Into Surface',
      'Load On Sample',
      'Time On Sample',
      'Harmonic Contact Stiffness',
      'Hardness',
      'Modulus',
    ]);
    expect(test1.some((r) => r[5] === 1.7976931348623157e308)).toBe(true);
  });

  it('MTS_1film_SiO2_Si_CSM-2nm.xls: averaged curve with standard-deviation columns', () => {
    const wb = open('indentation/MTS_1film_SiO2_Si_CSM-2nm.xls');
    expect(wb.sheetNames[0]).toBe('sample1_bilayerSystem.xls');
    const data = rows(wb, 'sample1_bilayerSystem.xls');
    expect(data[0][1]).toBe('Displacement Into Surface');
    expect(data[0][2]).toBe('STANDARD DEVIATION (Displacement Into Surface)');
    expect(data[1][1]).toBe('nm');
    // ~67 depth points between the two header rows and the END marker.
    const points = data.slice(2).filter((r) => typeof r[1] === 'number').length;
    expect(points).toBeGreaterThan(60);
    expect(points).toBeLessThan(70);
  });
});

describeReal('readWorkbook on real .xlsx', () => {
  it('FusedSilica.xlsx (data descriptors): sheet list and 16 test sheets of Time/Load/Depth', () => {
    const wb = open('indentation/FusedSilica.xlsx');
    expect(wb.sheetNames.slice(0, 7)).toEqual([
      'Results',
      'Sample Information',
      'Pre-Test Inputs',
      'Sample Summary',
      'Post-Test Inputs',
      'Cycles-GroupedByCycle',
      'Cycles-GroupedByTest',
    ]);
    expect(wb.sheetNames.filter((n) => /^Test \d+$/.test(n)).length).toBe(16);
    const t1 = rows(wb, 'Test 1');
    expect(t1[0].slice(0, 4)).toEqual(['Markers', 'Time', 'Load', 'Depth']);
    // The test sheets run to the 48 mN target load (Results: Target Load 48 mN).
    const loads = t1.map((r) => r[2]).filter((v): v is number => typeof v === 'number');
    expect(Math.abs(Math.max(...loads) - 48)).toBeLessThan(0.05);
    // MANIFEST: Results Pmax mean 47.6268 mN (sd 0.0099) over the 16 tests.
    const results = rows(wb, 'Results');
    expect(results[0].slice(0, 2)).toEqual(['Test', 'Pmax']);
    // Unit strings are mojibake in the file itself; the reader keeps them as written.
    expect(results[1][4]).toBe('Âµm');
    const pmax = results.filter((r) => typeof r[0] === 'number').map((r) => r[1] as number);
    expect(pmax.length).toBe(16);
    const mean = pmax.reduce((a, b) => a + b, 0) / pmax.length;
    expect(Math.abs(mean - 47.6268)).toBeLessThan(5e-4);
  });

  it('Arbin bs542 Channel_11.xlsx: Global_Info + Channel_11_1 with 4,526 records', () => {
    const wb = open('arbin/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx');
    expect(wb.sheetNames).toEqual(['Global_Info', 'Channel_11_1']);
    const data = rows(wb, 'Channel_11_1');
    expect(data[0]).toEqual([
      'Date_Time',
      'Test_Time(s)',
      'Step_Time(s)',
      'Step_Index',
      'Cycle_Index',
      'Voltage(V)',
      'Current(A)',
      'Charge_Capacity(Ah)',
      'Discharge_Capacity(Ah)',
      'Charge_Energy(Wh)',
      'Discharge_Energy(Wh)',
      'Internal Resistance(Ohm)',
      'dV/dt(V/s)',
    ]);
    expect(data.length - 1).toBe(4526);
    expect(wb.sheet('Channel_11_1')!.rowCount).toBe(4527);
  });

  it('NEWARE GMJuly2022 _1.xlsx (dimension "A1"): 13,763 records, DataPoint continuing without gaps', () => {
    const wb = open('neware/GMJuly2022_CELL002_Test3_1_P0C_5P0PSI_20221115_R0_CH041_20221115074501_37_2_1_2818580175_1.xlsx');
    expect(wb.sheetNames).toEqual(['record']);
    const data = rows(wb, 'record');
    expect(data[0].slice(0, 8)).toEqual([
      'DataPoint',
      'Cycle Index',
      'Step Index',
      'Step Type',
      'Time',
      'Total Time',
      'Current(A)',
      'Voltage(V)',
    ]);
    expect(data[0]).toContain('T1(℃)');
    expect(data.length - 1).toBe(13_763);
    const first = data[1][0] as number;
    let gaps = 0;
    for (let k = 1; k < data.length; k++) if (data[k][0] !== first + k - 1) gaps++;
    expect(gaps).toBe(0);
    expect(first).toBeGreaterThan(1_048_500);
    expect(data.some((r) => typeof r[5] === 'string' && /^2\d\d:/.test(r[5]))).toBe(true);
  });

  it('NEWARE GMJuly2022 RPT .xlsx: all eight sheets; cycle and step sheets hold BTSDA’s own summary', () => {
    const wb = open('neware/GMJuly2022_CELL002_RPT_3_P0C_5P0PSI_20230110_R0_CH041_20230110143333_37_2_1_2818580185.xlsx');
    expect(wb.sheetNames).toEqual(['unit', 'test', 'cycle', 'step', 'record', 'log', 'idle', 'curve']);
    const cycle = rows(wb, 'cycle');
    const col = (name: string) => cycle[0].indexOf(name);
    // MANIFEST: cycle 1 Chg. Cap. 0.7859 Ah, Chg. Energy 3.1038 Wh, Chg. Spec. Cap. 785919.56 mAh/g.
    expect(cycle[1][col('Chg. Cap.(Ah)')]).toBe(0.7859);
    expect(cycle[1][col('Chg. Energy(Wh)')]).toBe(3.1038);
    expect(cycle[1][col('Chg. Spec. Cap.(mAh/g)')]).toBe(785919.56);
    const step = rows(wb, 'step');
    const s2 = step.find((r) => r[1] === 2)!;
    expect(s2[step[0].indexOf('Step Type')]).toBe('CCCV Chg');
    expect(s2[step[0].indexOf('Step Time')]).toBe('00:47:09.000');
    expect(rows(wb, 'record').length - 1).toBe(2833);
  });
});
