/**
 * The Node host's Access reader (mdb-reader over Buffer) feeding the core's ARBIN_RES, on the real Arbin
 * .res files of ../shared/data/real: every record against the collector's mdbtools dump (sorted by
 * Data_Point) and cellpy's golden table, and the GITT run against cellpy's documented OCV points.
 */
import { describe, expect, it } from 'vitest';
import { ARBIN_RES } from '@shared/formats/arbin-res';
import type { ParsedCycling, ParseContext } from '@shared/formats/binary-format';
import { ImportError } from '@shared/formats/import-error';
import { STEP_TYPE_CODE } from '@shared/model/step-type';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON, readReal, readSimpleCsv } from '@shared/test-support/real-data';
import { openAccessDatabase } from './access-database';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

const context = (fileName: string): ParseContext => ({ fileName, services: { openAccessDatabase } });

function parseRes(relPath: string): ParsedCycling {
  const bytes = readReal(relPath);
  expect(ARBIN_RES.detect(bytes.subarray(0, 65_536), relPath)).toBe(true);
  const parsed = ARBIN_RES.parse(bytes, context(relPath));
  if (parsed.kind !== 'cycling') throw new Error('expected cycling data');
  return parsed;
}

/** Largest relative difference |a − b| / |b| (absolute below 1e-9 where b is ~0). */
function worstRelative(actual: ArrayLike<number>, expected: readonly number[]): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const scale = Math.max(Math.abs(expected[i]), 1e-3);
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / scale);
  }
  return worst;
}

/** Compares a parse with a Channel_Normal_Table dump sorted by Data_Point (`.converted.csv.gz`). */
function compareWithDump(parsed: ParsedCycling, dumpPath: string): Record<string, number> {
  const dump = readSimpleCsv(new TextDecoder().decode(readReal(dumpPath)));
  const col = (name: string) => dump.rows.map((r) => Number(r[dump.header.indexOf(name)]));
  const testTime = col('Test_Time');
  expect(parsed.rowCount).toBe(dump.rows.length);
  const gaps = {
    timeS: worstRelative(
      parsed.columns.timeS,
      testTime.map((t) => t - testTime[0]),
    ),
    voltageV: worstRelative(parsed.columns.voltageV, col('Voltage')),
    currentMA: worstRelative(
      parsed.columns.currentMA,
      col('Current').map((a) => a * 1000),
    ),
  };
  expect(Array.from(parsed.columns.step)).toEqual(col('Step_Index'));
  expect(Array.from(parsed.columns.cycle!)).toEqual(col('Cycle_Index'));
  for (const gap of Object.values(gaps)) expect(gap).toBeLessThan(1e-6);
  return gaps;
}

/** Per-step capacity at each step's end against the trapezoid ∫|I| dt from the step boundary. */
function worstStepIntegralGap(parsed: ParsedCycling, minRows: number): number {
  const { timeS, currentMA, capacityMAh, step, stepType, cycle } = parsed.columns;
  let worst = 0;
  for (let i = 1, start = 0; i <= parsed.rowCount; i++) {
    if (i < parsed.rowCount && step[i] === step[i - 1] && cycle![i] === cycle![i - 1]) continue;
    const end = i - 1;
    if (stepType[end] !== STEP_TYPE_CODE.rest && end - start >= minRows && start > 0) {
      let mAh = 0;
      for (let k = start; k <= end; k++) {
        const iPrev = k === start ? 0 : Math.abs(currentMA[k - 1]);
        mAh += (((Math.abs(currentMA[k]) + iPrev) / 2) * (timeS[k] - timeS[k - 1])) / 3600;
      }
      worst = Math.max(worst, Math.abs(mAh - capacityMAh![end]) / capacityMAh![end]);
    }
    start = i;
  }
  return worst;
}

describe('openAccessDatabase (Node)', () => {
  it('throws on bytes that are not an Access database, which ARBIN_RES turns into an ImportError', () => {
    const bytes = new Uint8Array(4096);
    bytes.set(Array.from('\u0000\u0001\u0000\u0000Standard Jet DB', (c) => c.charCodeAt(0)));
    expect(() => ARBIN_RES.parse(bytes, context('bad.res'))).toThrow(ImportError);
    expect(() => ARBIN_RES.parse(bytes.subarray(0, 20), context('cut.res'))).toThrow(ImportError);
  });
});

describeReal('Arbin .res files in ../shared/data/real', () => {
  it('20160805_test001_45_cc_01.res matches its mdbtools dump and the cellpy golden row by row', () => {
    const parsed = parseRes('arbin/20160805_test001_45_cc_01.res');
    expect(parsed.rowCount).toBe(10261);
    const gaps = compareWithDump(parsed, 'arbin/20160805_test001_45_cc_01.res.converted.csv.gz');
    const golden = readSimpleCsv(new TextDecoder().decode(readReal('arbin/20160805_test001_45_cc_01.res.reference.csv.gz')));
    const g = (name: string) => golden.rows.map((r) => Number(r[golden.header.indexOf(name)]));
    expect(golden.rows.length).toBe(parsed.rowCount);
    const goldenTime = g('test_time');
    const goldenGaps = {
      timeS: worstRelative(
        parsed.columns.timeS,
        goldenTime.map((t) => t - goldenTime[0]),
      ),
      voltageV: worstRelative(parsed.columns.voltageV, g('voltage')),
      currentMA: worstRelative(
        parsed.columns.currentMA,
        g('current').map((a) => a * 1000),
      ),
    };
    for (const gap of Object.values(goldenGaps)) expect(gap).toBeLessThan(1e-6);
    expect(Array.from(parsed.columns.step)).toEqual(g('step_index'));
    expect(Array.from(parsed.columns.cycle!)).toEqual(g('cycle_index'));
    expect(Math.max(...parsed.columns.cycle!)).toBe(18);
    // cellpy's date_time of the first record (OLE date of Channel_Normal_Table.DateTime).
    expect(parsed.startDateTime).toBe(golden.rows[0][golden.header.indexOf('date_time')].slice(0, 23));
    expect(parsed.instrument).toContain('SiNODE');
    const integralGap = worstStepIntegralGap(parsed, 20);
    expect(integralGap).toBeLessThan(0.01);
    console.warn('20160805_test001_45_cc_01.res worst relative gaps', { dump: gaps, golden: goldenGaps, stepIntegral: integralGap });
  });

  it('20210210_FC_01_cc_04.res (rows out of order) matches its mdbtools dump', () => {
    const parsed = parseRes('arbin/20210210_FC_01_cc_04.res');
    expect(parsed.rowCount).toBe(14979);
    const gaps = compareWithDump(parsed, 'arbin/20210210_FC_01_cc_04.res.converted.csv.gz');
    expect(parsed.warnings.find((w) => w.code === 'rows-reordered')?.count).toBe(30);
    const integralGap = worstStepIntegralGap(parsed, 20);
    expect(integralGap).toBeLessThan(0.01);
    console.warn('20210210_FC_01_cc_04.res worst relative gaps', { dump: gaps, stepIntegral: integralGap });
  });

  it("gitt/20210210_FC_01_cc_03.res: 26,286 rows sorted (59 jumps), cellpy's OCV points and capacities", () => {
    const parsed = parseRes('gitt/20210210_FC_01_cc_03.res');
    expect(parsed.rowCount).toBe(26286);
    expect(parsed.warnings.find((w) => w.code === 'rows-reordered')?.count).toBe(59);
    const gaps = compareWithDump(parsed, 'gitt/20210210_FC_01_cc_03.res.converted.csv.gz');
    const { voltageV, capacityMAh, step, stepType, currentMA } = parsed.columns;
    // Runs of each step index, in order: first / last row of each.
    const runs: { step: number; first: number; last: number }[] = [];
    for (let i = 0; i < parsed.rowCount; i++) {
      if (i === 0 || step[i] !== step[i - 1]) runs.push({ step: step[i], first: i, last: i });
      else runs[runs.length - 1].last = i;
    }
    const rests = runs.filter((r) => r.step === 3).slice(0, 5);
    const ocvLast = [3.487564, 3.49432, 3.499848, 3.505991, 3.513054];
    const ocvFirst = [3.51244, 3.518582, 3.524724, 3.530559, 3.537315];
    rests.forEach((r, k) => {
      expect(Math.abs(voltageV[r.last] - ocvLast[k])).toBeLessThan(1e-6);
      expect(Math.abs(voltageV[r.first] - ocvFirst[k])).toBeLessThan(1e-6);
      expect(stepType[r.first]).toBe(STEP_TYPE_CODE.rest);
    });
    // Cumulative charge after the first five pulses: 0.000036 … 0.000181 Ah (cellpy, 6 decimals).
    const pulses = runs.filter((r) => r.step === 2);
    expect(pulses.length).toBe(93);
    let sumMAh = 0;
    const cumulative = [0.036, 0.072, 0.109, 0.145, 0.181];
    pulses.slice(0, 5).forEach((p, k) => {
      sumMAh += capacityMAh![p.last];
      expect(Math.abs(sumMAh - cumulative[k])).toBeLessThan(0.0006);
      expect(stepType[p.last]).toBe(STEP_TYPE_CODE.cc_charge);
      expect(currentMA[p.last]).toBeCloseTo(0.725, 2);
    });
    const charge = pulses.reduce((s, p) => s + capacityMAh![p.last], 0);
    const discharge = runs.filter((r) => r.step === 7).reduce((s, p) => s + capacityMAh![p.last], 0);
    expect(Math.abs(charge - 3.358)).toBeLessThan(0.0006);
    expect(Math.abs(discharge - 3.392)).toBeLessThan(0.0006);
    const lastDischarge = runs.filter((r) => r.step === 7).at(-1)!;
    expect(Math.abs(voltageV[lastDischarge.last] - 2.999878)).toBeLessThan(1e-6);
    expect(stepType[lastDischarge.last]).toBe(STEP_TYPE_CODE.cc_discharge);
    const ir = runs.filter((r) => r.step === 10).at(-1)!;
    expect(Math.abs(voltageV[ir.last] - 3.010627)).toBeLessThan(1e-6);
    const finalRest = runs.at(-1)!;
    expect(finalRest.step).toBe(11);
    expect(Math.abs(voltageV[finalRest.first] - 3.037038)).toBeLessThan(1e-6);
    expect(Math.abs(voltageV[finalRest.last] - 3.22898)).toBeLessThan(1e-6);
    console.warn('gitt/20210210_FC_01_cc_03.res', { dump: gaps, chargeMAh: charge, dischargeMAh: discharge });
  });
});
