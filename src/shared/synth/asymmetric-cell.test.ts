import { describe, expect, it } from 'vitest';
import { DEFAULT_ASYMMETRIC_CELL, generateAsymmetricCell } from './asymmetric-cell';

/** Trapezoid ∫|I| dt over the records of one step label within one cycle, mAh. */
function chargeMAh(records: ReturnType<typeof generateAsymmetricCell>, cycle: number, label: string): number {
  const r = records.filter((x) => x.cycle === cycle && x.stepLabel === label);
  let q = 0;
  for (let k = 1; k < r.length; k++)
    q += ((Math.abs(r[k].currentMA) + Math.abs(r[k - 1].currentMA)) / 2) * (r[k].totalTimeS - r[k - 1].totalTimeS);
  return q / 3600;
}

describe('synthetic Li | LPSC | In cell', () => {
  const records = generateAsymmetricCell();
  const p = DEFAULT_ASYMMETRIC_CELL;

  it('plates j·A·(q/j) = q·A per cycle and strips CE of it (analytic)', () => {
    const expectedPlateMAh = p.arealCapacityMAhCm2 * p.areaCm2; // 0.157 mAh
    for (const cycle of [1, 10, 20]) {
      const plated = chargeMAh(records, cycle, 'CC DChg');
      const stripped = chargeMAh(records, cycle, 'CC Chg');
      expect(plated).toBeCloseTo(expectedPlateMAh, 9);
      expect(stripped / plated).toBeCloseTo(p.coulombicEfficiency, 6);
    }
  });

  it('shows the nucleation dip at the start of plating, the In/LiIn plateau, and the 1.5 V cut-off', () => {
    const plating = records.filter((x) => x.cycle === 1 && x.stepLabel === 'CC DChg');
    const stripping = records.filter((x) => x.cycle === 1 && x.stepLabel === 'CC Chg');
    const dip = Math.min(...plating.slice(0, 3).map((x) => x.voltageV));
    const middle = plating[Math.floor(plating.length / 2)].voltageV;
    expect(middle).toBeCloseTo(p.plateauV - p.overpotentialV, 2);
    expect(middle - dip).toBeGreaterThan(0.015);
    expect(stripping[stripping.length - 1].voltageV).toBe(p.cutoffV);
    expect(plating.every((x) => x.currentMA < 0)).toBe(true);
  });

  it('is deterministic (resources/samples is checked in sample-files.test.ts)', () => {
    expect(generateAsymmetricCell()).toEqual(records);
  });
});
