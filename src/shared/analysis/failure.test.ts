/**
 * Each failure class on a generated cell with its analytic answer: the failure cycle the generator put in,
 * lifespan = (failureCycle − 1) · q, capacities = |I| · t.
 */
import { describe, expect, it } from 'vitest';
import type { CellMetadata } from '../model/cell-metadata';
import {
  fullCellScenario,
  generateAsymmetricScenario,
  hardShortScenario,
  polarizationScenario,
  softShortScenario,
  stableScenario,
} from '../synth/cycling-scenarios';
import { analyzeCycling } from './analyze-cycling';
import { DEFAULT_FAILURE_PARAMS } from './failure';

const ASYMMETRIC: CellMetadata = { cellType: 'asymmetric' };
const AREA = 0.785;
/** Areal capacity per cycle of a scenario as the Float32 current column stores it, mAh/cm². */
const q = (j: number, qNominal: number) => (Math.fround(j * AREA) * (qNominal / j)) / AREA;

describe('failure classes of generated cells', () => {
  it('stable (0.1 mA/cm², 0.2 mAh/cm², 30 cycles): censored at 30·q', () => {
    const r = analyzeCycling(stableScenario(), ASYMMETRIC);
    expect(r.failure.class).toBe('stable');
    expect(r.failure.cycle).toBeNull();
    expect(r.failure.censored).toBe(true);
    expect(r.failure.evidence).toEqual([]);
    expect(r.failure.lifespan_mAh_cm2).toBeCloseTo(30 * q(0.1, 0.2), 10);
    expect(r.currentDensity_mA_cm2).toBeCloseTo(0.1, 7);
    expect(r.arealCapacity_mAh_cm2).toBeCloseTo(0.2, 7);
  });

  for (const failureCycle of [5, 8]) {
    it(`polarization (0.1 mA/cm², 5 mAh/cm²): gap reaches 3× cycle 1's in cycle ${failureCycle}`, () => {
      const r = analyzeCycling(polarizationScenario(failureCycle), ASYMMETRIC);
      expect(r.failure.class).toBe('polarization');
      expect(r.failure.cycle).toBe(failureCycle);
      expect(r.failure.censored).toBe(false);
      expect(r.failure.lifespan_mAh_cm2).toBeCloseTo((failureCycle - 1) * q(0.1, 5), 9);
      const [e] = r.failure.evidence;
      expect(e.criterion).toBe('polarization-voltage-gap');
      expect(e.value).toBeGreaterThanOrEqual(e.threshold);
      // 40 mV · 3.3 = 132 mV against max(3 × 40, 100) mV.
      expect(e.value).toBeCloseTo(132, 0);
      expect(e.threshold).toBeCloseTo(120, 0);
      expect(r.cycles[failureCycle - 2].voltageGap_mV!).toBeLessThan(e.threshold);
    });
  }

  it('polarization by CE < 90 % from a known cycle', () => {
    const r = analyzeCycling(generateAsymmetricScenario({ strippingCe: 0.975, lowCeFromCycle: 7, lowCe: 0.8, cycles: 10 }), ASYMMETRIC);
    expect(r.failure.class).toBe('polarization');
    expect(r.failure.cycle).toBe(7);
    expect(r.failure.evidence[0].criterion).toBe('polarization-low-ce');
    expect(r.failure.evidence[0].value).toBeCloseTo(0.8, 9);
    expect(r.cycles[5].ce).toBeCloseTo(0.975, 9);
    expect(r.failure.lifespan_mAh_cm2).toBeCloseTo(6 * q(0.1, 0.2), 10);
  });

  it('soft short (0.5 mA/cm²): recovered drops of > 30 mV from a known cycle', () => {
    const dataset = softShortScenario(6);
    const r = analyzeCycling(dataset, ASYMMETRIC);
    expect(r.failure.class).toBe('soft-short');
    expect(r.failure.cycle).toBe(6);
    expect(r.failure.lifespan_mAh_cm2).toBeCloseTo(5 * q(0.5, 0.5), 9);
    const [e] = r.failure.evidence;
    expect(e.criterion).toBe('soft-short-voltage-drops');
    expect(e.halfCycle).toBe('plating');
    // 8 drops in the 361 samples of a 1-h half-cycle logged every 10 s.
    expect(e.value).toBeCloseTo(8 / 361, 9);
    expect(e.threshold).toBe(0.01);
    // The evidence points at the half-cycle's rows and at the first dropped sample's time.
    const { currentMA, voltageV, timeS } = dataset.columns;
    expect(currentMA[e.sampleStart]).toBeLessThan(0);
    expect(currentMA[e.sampleEnd - 1]).toBeLessThan(0);
    const dropRow = timeS.indexOf(e.timeS!);
    expect(voltageV[dropRow - 1] - voltageV[dropRow]).toBeGreaterThan(0.03);
  });

  it('soft short: a stripping that no longer reaches the cut-off, CE ≥ 100 %, after cycles that did', () => {
    const r = analyzeCycling(generateAsymmetricScenario({ strippingCe: 0.975, noCutoffFromCycle: 9, cycles: 12 }), ASYMMETRIC);
    expect(r.failure.class).toBe('soft-short');
    expect(r.failure.cycle).toBe(9);
    expect(r.failure.evidence[0].criterion).toBe('soft-short-no-cutoff');
    expect(r.failure.evidence[0].value).toBeCloseTo(1, 9);
    expect(r.failure.lifespan_mAh_cm2).toBeCloseTo(8 * q(0.1, 0.2), 10);
  });

  it('hard short (1 mA/cm²): |V| < 20 mV from a known cycle', () => {
    const r = analyzeCycling(hardShortScenario(4), ASYMMETRIC);
    expect(r.failure.class).toBe('hard-short');
    expect(r.failure.cycle).toBe(4);
    expect(r.failure.lifespan_mAh_cm2).toBeCloseTo(3 * q(1, 1), 9);
    expect(r.failure.evidence[0].criterion).toBe('hard-short-low-voltage');
    expect(r.failure.evidence[0].value).toBe(1);
    // Capacities still integrate |I|·t through the short.
    expect(r.cycles[4].plateCapacity_mAh).toBeCloseTo((Math.fround(AREA) * 3600) / 3600, 9);
  });

  it('a hard short in the first cycle has lifespan 0', () => {
    const r = analyzeCycling(hardShortScenario(1), ASYMMETRIC);
    expect(r.failure.cycle).toBe(1);
    expect(r.failure.lifespan_mAh_cm2).toBe(0);
  });

  it('thresholds are parameters: 60 mV drops are needed to see the 50 mV drops as a short', () => {
    const r = analyzeCycling(softShortScenario(6), ASYMMETRIC, { softShortDropV: 0.06 });
    expect(r.failure.class).toBe('stable');
    expect(r.parameters.softShortDropV).toBe(0.06);
    expect(r.parameters.hardShortSampleFraction).toBe(DEFAULT_FAILURE_PARAMS.hardShortSampleFraction);
  });

  it('an incomplete last cycle is not a CE failure', () => {
    // Stop 1 h into the 2-h stripping of cycle 10: CE 50 % but the test stopped, not the cell.
    const stopAtS = 600 + 9 * 15600 + 7200 + 600 + 3600;
    const r = analyzeCycling(stableScenario({ stopAtS }), ASYMMETRIC);
    expect(r.cycles[9].ce).toBeCloseTo(0.5, 9);
    expect(r.cycles[9].flags).toEqual(['incomplete']);
    expect(r.failure.class).toBe('stable');
  });

  it('a full cell losing 15 % in its first cycle is stable; judging cycle 1 too makes it polarization', () => {
    const dataset = fullCellScenario();
    expect(analyzeCycling(dataset, { cellType: 'full' }).failure.class).toBe('stable');
    const strict = analyzeCycling(dataset, { cellType: 'full' }, { fullCellCeFromCycle: 1 });
    expect(strict.failure.class).toBe('polarization');
    expect(strict.failure.cycle).toBe(1);
  });
});
