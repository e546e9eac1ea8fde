import { describe, expect, it } from 'vitest';
import type { CellMetadata } from '../model/cell-metadata';
import { ccdScenario, polarizationScenario, stableScenario } from '../synth/cycling-scenarios';
import { analyzeCcd, detectCyclingKind } from './analyze-cycling';
import { groupCurrentSteps, isStaircase } from './ccd';
import { computeCycleMetrics, segmentCycles } from './cycles';

const ASYMMETRIC: CellMetadata = { cellType: 'asymmetric' };

describe('critical current density', () => {
  it('finds the study staircase 0.1, 0.2 … shorting at 0.8 mA/cm²: CCD 0.8, last stable 0.7', () => {
    const r = analyzeCcd(ccdScenario(), ASYMMETRIC);
    expect(r.kind).toBe('ccd');
    expect(r.ccd_mA_cm2).toBeCloseTo(0.8, 6);
    expect(r.lastStable_mA_cm2).toBeCloseTo(0.7, 6);
    expect(r.steps.map((s) => Number(s.currentDensity_mA_cm2.toFixed(6)))).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
    expect(r.steps.map((s) => s.shorted)).toEqual([false, false, false, false, false, false, false, true]);
    expect(r.steps[0].cycles).toEqual([1, 2]);
    expect(r.steps[7].evidence[0].criterion).toBe('soft-short-voltage-drops');
  });

  it('moves with the short: shorting at 0.5 gives CCD 0.5 and last stable 0.4', () => {
    const r = analyzeCcd(ccdScenario({ shortAtMACm2: 0.5 }), ASYMMETRIC);
    expect(r.ccd_mA_cm2).toBeCloseTo(0.5, 6);
    expect(r.lastStable_mA_cm2).toBeCloseTo(0.4, 6);
    expect(r.steps.filter((s) => s.shorted).length).toBe(4);
  });

  it('has no CCD when no step shorts (last stable = the last step) and none before the first stable step', () => {
    const none = analyzeCcd(ccdScenario({ shortAtMACm2: 9 }), ASYMMETRIC);
    expect(none.ccd_mA_cm2).toBeNull();
    expect(none.lastStable_mA_cm2).toBeCloseTo(0.8, 6);
    const first = analyzeCcd(ccdScenario({ shortAtMACm2: 0.1 }), ASYMMETRIC);
    expect(first.ccd_mA_cm2).toBeCloseTo(0.1, 6);
    expect(first.lastStable_mA_cm2).toBeNull();
  });

  it('tells a staircase from constant-current cycling', () => {
    expect(detectCyclingKind(ccdScenario())).toBe('ccd');
    expect(detectCyclingKind(stableScenario({ cycles: 6 }))).toBe('cycling');
    expect(detectCyclingKind(polarizationScenario(4))).toBe('cycling');
    // Long runs at each j are cycling at several rates, not a CCD staircase (maxStaircaseCyclesPerStep 10).
    expect(detectCyclingKind(ccdScenario({ cyclesPerStep: 12, stepsMACm2: [0.1, 0.2, 0.3], halfCycleS: 600 }))).toBe('cycling');
    // Two steps are not a staircase (minStaircaseSteps 3).
    expect(detectCyclingKind(ccdScenario({ stepsMACm2: [0.1, 0.2] }))).toBe('cycling');
  });

  it('groups cycles of one current density and requires rising steps', () => {
    const s = segmentCycles(ccdScenario({ stepsMACm2: [0.2, 0.1, 0.3] }).columns, false);
    const steps = groupCurrentSteps(computeCycleMetrics(s, { areaCm2: 0.785, isFullCell: false }));
    expect(steps.length).toBe(3);
    expect(isStaircase(steps)).toBe(false);
  });
});
