/** Arbin .xlsx export of ../shared/data/real/arbin (MANIFEST.md values). */
import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON, readReal } from '../test-support/real-data';
import { ARBIN_XLSX, parseArbinXlsx } from './arbin-xlsx';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

const FILE = 'arbin/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx';

describeReal('ARBIN_XLSX on bs542 Channel_11.xlsx', () => {
  it('detects it from the head and refuses NEWARE/KLA workbooks', () => {
    expect(ARBIN_XLSX.detect(readReal(FILE).subarray(0, 65536), 'x')).toBe(true);
    expect(ARBIN_XLSX.detect(readReal('indentation/FusedSilica.xlsx').subarray(0, 65536), 'x')).toBe(false);
    expect(
      ARBIN_XLSX.detect(
        readReal('neware/GMJuly2022_CELL002_RPT_3_P0C_5P0PSI_20230110_R0_CH041_20230110143333_37_2_1_2818580185.xlsx').subarray(0, 65536),
        'x',
      ),
    ).toBe(false);
  });

  it('4,526 records, ±50 µA, 0.050–2.641 V; per-step capacity agrees with ∫|I|dt within 0.1 %', () => {
    const p = parseArbinXlsx(readReal(FILE), { fileName: 'bs542.xlsx', services: {} });
    const c = p.columns;
    expect(p.rowCount).toBe(4526);
    let iMin = Infinity;
    let iMax = -Infinity;
    let vMin = Infinity;
    let vMax = -Infinity;
    for (let k = 0; k < p.rowCount; k++) {
      iMin = Math.min(iMin, c.currentMA[k]);
      iMax = Math.max(iMax, c.currentMA[k]);
      vMin = Math.min(vMin, c.voltageV[k]);
      vMax = Math.max(vMax, c.voltageV[k]);
    }
    // MANIFEST: −50…+53 µA, 0.050–2.641 V.
    expect(iMin).toBeCloseTo(-0.05, 3);
    expect(iMax).toBeCloseTo(0.053, 3);
    expect(vMin).toBeCloseTo(0.05, 3);
    expect(vMax).toBeCloseTo(2.641, 3);
    // Every well-sampled non-rest step (≥ 100 records; the file's last step has 3): capacity at its end
    // vs the trapezoid integral of |I| over the step. Measured: 5.79804 vs 5.79804, 5.69811 vs 5.69852,
    // 5.25686 vs 5.25688 mAh.
    let worst = 0;
    let steps = 0;
    let start = 0;
    for (let k = 1; k <= p.rowCount; k++) {
      if (k < p.rowCount && c.step[k] === c.step[k - 1]) continue;
      const end = k - 1;
      if (c.stepType[start] !== STEP_TYPE_CODE.rest && end - start + 1 >= 100) {
        // The step's capacity includes the interval from the previous record to its first one.
        let q =
          start > 0 ? ((Math.abs(c.currentMA[start]) + Math.abs(c.currentMA[start - 1])) / 2) * (c.timeS[start] - c.timeS[start - 1]) : 0;
        for (let i = start + 1; i <= end; i++)
          q += ((Math.abs(c.currentMA[i]) + Math.abs(c.currentMA[i - 1])) / 2) * (c.timeS[i] - c.timeS[i - 1]);
        q /= 3600;
        worst = Math.max(worst, Math.abs(c.capacityMAh![end] - q) / q);
        steps++;
      }
      start = k;
    }
    expect(steps).toBe(3);
    expect(worst).toBeLessThan(1e-3);
    // Date_Time of the first record is the Excel serial 44123.480400253473: 2020-10-19 11:31:46.58
    // (the file name's 191020 is day-month-year).
    expect(p.startDateTime).toBe('2020-10-19 11:31:46.582');
  });
});
