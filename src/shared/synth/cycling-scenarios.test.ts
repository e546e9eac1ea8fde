import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { ccdScenario, fullCellScenario, generateAsymmetricScenario, hardShortScenario, softShortScenario } from './cycling-scenarios';

/** Trapezoid ∫|I| dt over the rows of one step, mAh. */
function stepChargeMAh(cols: ReturnType<typeof generateAsymmetricScenario>['columns'], stepNumber: number): number {
  let q = 0;
  for (let k = 1; k < cols.step.length; k++) {
    if (cols.step[k] !== stepNumber || cols.step[k - 1] !== stepNumber) continue;
    q += ((Math.abs(cols.currentMA[k]) + Math.abs(cols.currentMA[k - 1])) / 2) * (cols.timeS[k] - cols.timeS[k - 1]);
  }
  return q / 3600;
}

describe('cycling scenarios', () => {
  it('are deterministic for a seed and differ between seeds', () => {
    const a = softShortScenario(3);
    const b = softShortScenario(3);
    expect(Array.from(a.columns.voltageV)).toEqual(Array.from(b.columns.voltageV));
    const c = softShortScenario(3, { seed: 1 });
    expect(Array.from(c.columns.voltageV)).not.toEqual(Array.from(a.columns.voltageV));
  });

  it('plate at negative current (cc_discharge) and integrate to |I|·t per step, with the instrument capacity column', () => {
    const d = generateAsymmetricScenario({ cycles: 2 });
    const { currentMA, stepType, capacityMAh, step } = d.columns;
    const firstPlating = stepType.indexOf(STEP_TYPE_CODE.cc_discharge);
    expect(currentMA[firstPlating]).toBeLessThan(0);
    const q = stepChargeMAh(d.columns, step[firstPlating]);
    expect(q).toBeCloseTo((0.0785 * 7200) / 3600, 7);
    const lastRowOfStep = step.lastIndexOf(step[firstPlating]);
    expect(capacityMAh![lastRowOfStep]).toBeCloseTo(q, 6);
    expect(d.rowCount).toBe(d.columns.timeS.length);
    for (let k = 1; k < d.rowCount; k++) expect(d.columns.timeS[k]).toBeGreaterThanOrEqual(d.columns.timeS[k - 1]);
  });

  it('pins |V| below 20 mV during a hard short and puts 50 mV drops into a soft short', () => {
    const hard = hardShortScenario(2);
    const { voltageV, cycle, stepType } = hard.columns;
    for (let k = 0; k < hard.rowCount; k++) {
      if (cycle![k] >= 2 && stepType[k] !== STEP_TYPE_CODE.rest) expect(Math.abs(voltageV[k])).toBeLessThan(0.02);
    }
    const soft = softShortScenario(2).columns;
    let drops = 0;
    for (let k = 1; k < soft.voltageV.length; k++)
      if (soft.step[k] === soft.step[k - 1] && soft.voltageV[k - 1] - soft.voltageV[k] > 0.04) drops++;
    // 8 per half-cycle, 2 half-cycles per cycle, cycles 2–6.
    expect(drops).toBe(8 * 2 * 5);
  });

  it('raise the CCD staircase step by step and charge the full cell to ~3.6 V', () => {
    const ccd = ccdScenario().columns;
    const levels = new Set<number>();
    for (const i of ccd.currentMA) if (i > 0) levels.add(Number((i / 0.785).toFixed(4)));
    expect([...levels]).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
    const full = fullCellScenario().columns;
    let max = 0;
    for (const v of full.voltageV) max = Math.max(max, v);
    expect(max).toBeGreaterThan(3.59);
    expect(max).toBeLessThan(3.61);
  });
});
