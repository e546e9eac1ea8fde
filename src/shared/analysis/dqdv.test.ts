import { describe, expect, it } from 'vitest';
import { ImportError } from '../formats/import-error';
import type { DatasetColumns } from '../model/dataset';
import { STEP_TYPE_CODE } from '../model/step-type';
import { DEFAULT_FULL_CELL_SCENARIO, fullCellScenario } from '../synth/cycling-scenarios';
import { analyzeCycling, dqdvOfCycle } from './analyze-cycling';
import { dqdvHalfCycle, halfCycleProfile } from './dqdv';

/** Constant current I (mA, signed) for T s logged every dt s, with V = f(Q) for Q in mAh. */
function halfCycle(currentMA: number, totalS: number, dtS: number, f: (qMAh: number) => number): DatasetColumns {
  const n = Math.round(totalS / dtS) + 1;
  const timeS = new Float64Array(n);
  const voltageV = new Float32Array(n);
  const current = new Float32Array(n).fill(currentMA);
  const stepType = new Uint8Array(n).fill(currentMA < 0 ? STEP_TYPE_CODE.cc_discharge : STEP_TYPE_CODE.cc_charge);
  const i = Math.fround(Math.abs(currentMA));
  for (let k = 0; k < n; k++) {
    timeS[k] = k * dtS;
    voltageV[k] = f((i * timeS[k]) / 3600);
  }
  return { timeS, voltageV, currentMA: current, step: new Int32Array(n), stepType };
}

describe('dQ/dV', () => {
  it('is 1/b for a linear V = a + b·Q (charge, V rising)', () => {
    const cols = halfCycle(1, 3600, 10, (q) => 3.5 + 0.2 * q);
    const c = dqdvHalfCycle(cols, { start: 0, end: cols.timeS.length, sign: 1 }, 0.001);
    expect(c.dqdvMAhPerV.length).toBe(500 - 20);
    for (const value of c.dqdvMAhPerV) expect(value).toBeCloseTo(5, 2);
    expect(c.capacityMAh[0]).toBeCloseTo((10 * 1) / 499, 9);
  });

  it('is 1/(b + 2cQ) for a quadratic V(Q) and negative on discharge (V falling)', () => {
    const cols = halfCycle(-0.5, 7200, 5, (q) => 0.8 - 0.1 * q - 0.05 * q * q);
    const c = dqdvHalfCycle(cols, { start: 0, end: cols.timeS.length, sign: -1 }, 0.001, { windowSize: 11 });
    for (let g = 0; g < c.capacityMAh.length; g += 37) {
      const q = c.capacityMAh[g];
      expect(c.dqdvMAhPerV[g]).toBeCloseTo(1 / (-0.1 - 0.1 * q), 1);
      expect(c.voltageV[g]).toBeCloseTo(0.8 - 0.1 * q - 0.05 * q * q, 5);
    }
  });

  it('is NaN on a flat plateau rather than infinite', () => {
    const cols = halfCycle(1, 3600, 10, () => 0.62);
    const c = dqdvHalfCycle(cols, { start: 0, end: cols.timeS.length, sign: 1 }, 0.001);
    expect(c.dqdvMAhPerV.every(Number.isNaN)).toBe(true);
  });

  it('throws ImportErrors for a bad window and for a half-cycle without charge', () => {
    const cols = halfCycle(1, 3600, 10, (q) => q);
    expect(() => dqdvHalfCycle(cols, { start: 0, end: 361, sign: 1 }, 0.001, { windowSize: 4 })).toThrow(ImportError);
    expect(() => dqdvHalfCycle(cols, { start: 0, end: 361, sign: -1 }, 0.001)).toThrow(/passes no charge/);
  });
});

describe('dQ/dV and profiles of analysed cycles', () => {
  it('follows the cycle row ranges of analyzeCycling: the full-cell charge ramp 3.1 → 3.6 V gives dQ/dV = Q/0.5 V', () => {
    const p = DEFAULT_FULL_CELL_SCENARIO;
    const dataset = fullCellScenario({ noiseV: 0 });
    const r = analyzeCycling(dataset, { cellType: 'full' });
    const c = dqdvOfCycle(dataset, r, 1, 'plate');
    const q1 = r.cycles[0].plateCapacity_mAh!;
    expect(q1).toBeCloseTo(p.firstChargeMAh, 6);
    for (const value of c.dqdvMAhPerV) expect(value).toBeCloseTo(q1 / 0.5, 1);
    // Discharge 3.5 → 2.9 V: negative.
    const d = dqdvOfCycle(dataset, r, 1, 'strip');
    expect(d.dqdvMAhPerV[10]).toBeCloseTo(-r.cycles[0].stripCapacity_mAh! / 0.6, 1);
    expect(() => dqdvOfCycle(dataset, r, 99, 'plate')).toThrow(/cycle 99 has no plating/);
  });

  it('gives voltage against capacity over the active rows', () => {
    const cols = halfCycle(-1, 3600, 60, (q) => 0.6 - 0.01 * q);
    const profile = halfCycleProfile(cols, { start: 0, end: cols.timeS.length, sign: -1 }, 0.001);
    expect(profile.capacityMAh.length).toBe(61);
    expect(profile.capacityMAh[60]).toBeCloseTo(1, 6);
    expect(profile.row[60]).toBe(60);
    expect(profile.voltageV[60]).toBeCloseTo(0.59, 6);
  });
});
