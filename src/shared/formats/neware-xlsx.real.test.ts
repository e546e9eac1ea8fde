/** NEWARE BTSDA .xlsx exports of ../shared/data/real/neware (MANIFEST.md values). */
import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON, readReal } from '../test-support/real-data';
import { NEWARE_XLSX, parseNewareXlsx, type ParsedNewareXlsx } from './neware-xlsx';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

const PART_1 = 'neware/GMJuly2022_CELL002_Test3_1_P0C_5P0PSI_20221115_R0_CH041_20221115074501_37_2_1_2818580175_1.xlsx';
const RPT = 'neware/GMJuly2022_CELL002_RPT_3_P0C_5P0PSI_20230110_R0_CH041_20230110143333_37_2_1_2818580185.xlsx';

function parse(rel: string): ParsedNewareXlsx {
  return parseNewareXlsx(readReal(rel), { fileName: rel.split('/').pop()!, services: {} });
}

function range(a: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    lo = Math.min(lo, a[i]);
    hi = Math.max(hi, a[i]);
  }
  return [lo, hi];
}

describeReal('NEWARE_XLSX on real BTSDA exports', () => {
  it('detects both files from their first 64 KiB', () => {
    for (const rel of [PART_1, RPT]) expect(NEWARE_XLSX.detect(readReal(rel).subarray(0, 65536), 'x')).toBe(true);
    expect(NEWARE_XLSX.detect(readReal('arbin/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx').subarray(0, 65536), 'a.xlsx')).toBe(
      false,
    );
    expect(NEWARE_XLSX.detect(readReal('indentation/FusedSilica.xlsx').subarray(0, 65536), 'f.xlsx')).toBe(false);
  });

  it('continuation part _1: 13,763 records, Total Time past 288 h, DataPoint continuing', () => {
    const p = parse(PART_1);
    expect(p.rowCount).toBe(13_763);
    // The file's own first DataPoint is 1,048,557 (MANIFEST says 1,048,559; the sheet's A2 reads 1048557).
    expect(p.continuation).toEqual({
      firstDataPoint: 1_048_557,
      lastDataPoint: 1_048_557 + 13_763 - 1,
      firstTotalTimeS: 288 * 3600 + 21 * 60 + 32.5,
    });
    // Last record: Total Time 292:10:50.800.
    expect(p.columns.timeS[p.rowCount - 1]).toBeCloseTo(292 * 3600 + 10 * 60 + 50.8 - (288 * 3600 + 21 * 60 + 32.5), 6);
    // MANIFEST: −1.17…+0.74 A, 2.60–4.20 V; CCCV Chg / CC DChg / Rest.
    const [iMin, iMax] = range(p.columns.currentMA);
    expect(iMin).toBeGreaterThan(-1175);
    expect(iMin).toBeLessThan(-1165);
    expect(iMax).toBeGreaterThan(735);
    expect(iMax).toBeLessThan(745);
    const [vMin, vMax] = range(p.columns.voltageV);
    expect(vMin).toBeCloseTo(2.6, 1);
    expect(vMax).toBeCloseTo(4.2, 2);
    const types = new Set(p.columns.stepType);
    expect(types).toEqual(new Set([STEP_TYPE_CODE.ccv, STEP_TYPE_CODE.cc_discharge, STEP_TYPE_CODE.rest]));
    expect(p.warnings).toEqual([]);
    expect(p.startDateTime).toBe('2022-11-27 08:06:36');
  });

  it('full RPT workbook: 2,833 records over 47 min; final capacity equals the cycle sheet’s 0.7859 Ah', () => {
    const p = parse(RPT);
    expect(p.rowCount).toBe(2833);
    expect(p.columns.timeS[p.rowCount - 1]).toBeCloseTo(47 * 60 + 9.1, 6);
    expect(p.columns.capacityMAh![p.rowCount - 1]).toBeCloseTo(785.9, 3);
    const [vMin, vMax] = range(p.columns.voltageV);
    expect(vMin).toBeCloseTo(3.45, 2);
    expect(vMax).toBeGreaterThan(4.11);
    expect(p.columns.stepType[0]).toBe(STEP_TYPE_CODE.other); // "Control"
    expect(p.columns.temperatureC![0]).toBeCloseTo(26.7, 5);
    expect(p.startDateTime).toBe('2023-01-10 14:33:33');
    expect(p.continuation?.firstDataPoint).toBe(1);
  });
});

describeReal('cycler workbook detection on every real workbook', () => {
  it('each file is claimed by its own format only (NEWARE, Arbin) or by none (indentation, .ndax ZIPs)', async () => {
    const { ARBIN_XLSX } = await import('./arbin-xlsx');
    const { LANDT_XLSX } = await import('./landt-xlsx');
    const files: [string, string | undefined][] = [
      [PART_1, 'neware-xlsx'],
      [RPT, 'neware-xlsx'],
      ['arbin/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx', 'arbin-xlsx'],
      ['neware/test_2.ndax', undefined],
      ['neware/Unit27_Example_Corrupt.ndax', undefined],
      ['indentation/FusedSilica.xlsx', undefined],
      ['indentation/Tungsten_FrameStiffness.xlsx', undefined],
      ['indentation/FQ.xls', undefined],
      ['indentation/Popin.xls', undefined],
      ['indentation/MTS_1film_SiO2_Si_CSM-2nm.xls', undefined],
      ['indentation/NiAl_250nm_TUIL_max_depth_1000nm_GM3_SM_previousGM1.xls', undefined],
    ];
    for (const [rel, want] of files) {
      const head = readReal(rel).subarray(0, 65536);
      const name = rel.split('/').pop()!;
      const claimed = [NEWARE_XLSX, ARBIN_XLSX, LANDT_XLSX].filter((f) => f.detect(head, name)).map((f) => f.id);
      expect({ rel, claimed }).toEqual({ rel, claimed: want ? [want] : [] });
    }
  });
});
