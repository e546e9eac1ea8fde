import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { DEFAULT_GITT_RUN, generateGittRun, GITT_RUN_1H, liInDiffusionCm2S, liInEquilibriumV, PULSE_START_DELAY_S } from './gitt-run';

describe('generateGittRun', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateGittRun({ pulsesPerRun: 5 });
    const b = generateGittRun({ pulsesPerRun: 5 });
    const c = generateGittRun({ pulsesPerRun: 5, seed: 1 });
    expect(a.dataset.columns.voltageV).toEqual(b.dataset.columns.voltageV);
    expect(a.dataset.columns.voltageV).not.toEqual(c.dataset.columns.voltageV);
  });

  it('writes a valid Dataset: monotonic time, Arbin-like steps, signed current, rest first', () => {
    const { dataset, truth } = generateGittRun({ pulsesPerRun: 6 });
    const { timeS, currentMA, step, stepType } = dataset.columns;
    let backward = 0;
    for (let i = 1; i < dataset.rowCount; i++) if (!(timeS[i] > timeS[i - 1])) backward++;
    expect(backward).toBe(0);
    expect(step[0]).toBe(1);
    expect(stepType[0]).toBe(STEP_TYPE_CODE.rest);
    expect(timeS[0]).toBe(0);
    const firstPulse = truth.pulses[0];
    expect(firstPulse.startS).toBeCloseTo(DEFAULT_GITT_RUN.initialRestS + PULSE_START_DELAY_S, 9);
    const i = timeS.indexOf(firstPulse.startS);
    expect(currentMA[i]).toBeCloseTo(-0.1 * 0.785, 6);
    expect(stepType[i]).toBe(STEP_TYPE_CODE.cc_discharge);
    expect(new Set(step)).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(truth.pulses.map((p) => p.tauS)).toEqual([600, 600, 600, 600, 600, 0.67 * 600, 600, 600, 600, 600, 600, 0.67 * 600]);
  });

  it('offers 1-h pulses', () => {
    const { truth } = generateGittRun({ ...GITT_RUN_1H, pulsesPerRun: 3 });
    expect(truth.pulses.map((p) => p.tauS)).toEqual([3600, 3600, 0.67 * 3600, 3600, 3600, 0.67 * 3600]);
  });

  it('has the Li–In plateaus, D ≈ 1e-10 on them and > 1e-7 at the transitions', () => {
    expect(liInEquilibriumV(0.265)).toBeCloseTo(0.62, 3);
    expect(liInEquilibriumV(0.625)).toBeCloseTo(0.29, 3);
    expect(liInEquilibriumV(0.95)).toBeCloseTo(0.01, 3);
    expect(liInEquilibriumV(1)).toBeGreaterThan(0);
    for (let x = 0; x < 1; x += 0.001) expect(liInEquilibriumV(x + 0.001)).toBeLessThan(liInEquilibriumV(x));
    expect(liInDiffusionCm2S(0.25)).toBeCloseTo(1e-10, 15);
    for (const b of [0.03, 0.5, 0.75]) expect(liInDiffusionCm2S(b)).toBeGreaterThan(1e-7);
  });

  it('returns to the start of the curve after a lithiation and a delithiation run', () => {
    const { truth } = generateGittRun({ noiseV: 0 });
    expect(truth.pulses[truth.pulses.length - 1].relaxedVoltageV).toBeCloseTo(liInEquilibriumV(0), 9);
    expect(truth.cutoffV.length).toBe(2);
  });
});
