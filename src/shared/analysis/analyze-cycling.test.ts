import { describe, expect, it } from 'vitest';
import { ImportError } from '../formats/import-error';
import {
  DEFAULT_FULL_CELL_SCENARIO,
  fullCellChargeMAh,
  fullCellDischargeMAh,
  fullCellScenario,
  stableScenario,
} from '../synth/cycling-scenarios';
import { analyzeCcd, analyzeCycling, cyclesToCsv, DEFAULT_CYCLING_ANALYSIS_PARAMS } from './analyze-cycling';

describe('analyzeCycling JSON contract', () => {
  const dataset = stableScenario({ cycles: 4 });
  const r = analyzeCycling(dataset, { cellType: 'asymmetric', coating: 'ALD Al2O3 (20 cycles)', temperatureC: 25 });

  it('has the contract fields, JSON-safe (no NaN: null), and records every parameter', () => {
    for (const key of ['kind', 'file', 'area_cm2', 'currentDensity_mA_cm2', 'arealCapacity_mAh_cm2', 'cycles', 'failure', 'parameters'])
      expect(r).toHaveProperty(key);
    expect(r.kind).toBe('cycling');
    expect(r.file).toBe('stable-0.1mA-0.2mAh.synthetic');
    expect(r.area_cm2).toBe(0.785);
    for (const key of [
      'index',
      'plateCapacity_mAh',
      'stripCapacity_mAh',
      'ce',
      'plateV',
      'stripV',
      'voltageGap_mV',
      'nucleationOverpotential_mV',
      'accumulatedArealCapacity_mAh_cm2',
      'flags',
    ])
      expect(r.cycles[0]).toHaveProperty(key);
    for (const key of ['class', 'cycle', 'lifespan_mAh_cm2', 'censored', 'evidence']) expect(r.failure).toHaveProperty(key);
    expect(r.parameters).toEqual(DEFAULT_CYCLING_ANALYSIS_PARAMS);
    expect(r.cycles[0].plateSpecificCapacity_mAh_g).toBeNull();
    const text = JSON.stringify(r);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(JSON.parse(text)).toEqual(r);
    expect(r.cell.coating).toBe('ALD Al2O3 (20 cycles)');
  });

  it('uses nominal j and q from the metadata when given, keeping the detected ones beside them', () => {
    const nominal = analyzeCycling(dataset, { cellType: 'asymmetric', currentDensityMACm2: 0.1, arealCapacityMAhCm2: 0.2, areaCm2: 0.5 });
    expect(nominal.currentDensity_mA_cm2).toBe(0.1);
    expect(nominal.arealCapacity_mAh_cm2).toBe(0.2);
    // Detected with the stated area: 0.0785 mA / 0.5 cm².
    expect(nominal.detectedCurrentDensity_mA_cm2).toBeCloseTo(0.157, 6);
  });

  it('writes one CSV row per cycle', () => {
    const csv = cyclesToCsv(r);
    const lines = csv.trimEnd().split('\n');
    expect(lines.length).toBe(1 + 4);
    const header = lines[0].split(',');
    expect(header.slice(0, 3)).toEqual(['index', 'plateCapacity_mAh', 'stripCapacity_mAh']);
    const first = lines[1].split(',');
    expect(Number(first[header.indexOf('plateCapacity_mAh')])).toBeCloseTo(r.cycles[0].plateCapacity_mAh!, 12);
    expect(first[header.indexOf('plateSpecificCapacity_mAh_g')]).toBe('');
    expect(first[header.indexOf('flags')]).toBe('""');
  });

  it('reports progress and stops on abort with an ImportError', () => {
    const fractions: number[] = [];
    analyzeCycling(dataset, { cellType: 'asymmetric' }, {}, { onProgress: (f) => fractions.push(f) });
    expect(fractions.length).toBeGreaterThan(0);
    expect(fractions.every((f, k) => f >= 0 && f <= 1 && (k === 0 || f >= fractions[k - 1]))).toBe(true);
    expect(fractions[fractions.length - 1]).toBeGreaterThan(0.9);
    const aborted = { aborted: true };
    expect(() => analyzeCycling(dataset, { cellType: 'asymmetric' }, {}, { signal: aborted })).toThrow(ImportError);
    expect(() => analyzeCcd(dataset, { cellType: 'asymmetric' }, {}, { signal: aborted })).toThrow(/cancelled/);
  });

  it('rejects bad metadata and parameters with an ImportError naming them', () => {
    expect(() => analyzeCycling(dataset, { cellType: 'asymmetric', areaCm2: -1 })).toThrow(/areaCm2 must be a positive number, got -1/);
    expect(() => analyzeCycling(dataset, { cellType: 'coin' as 'full' })).toThrow(ImportError);
    expect(() => analyzeCycling(dataset, { cellType: 'asymmetric' }, { softShortDropV: Number.NaN })).toThrow(/softShortDropV/);
    expect(() => analyzeCycling(dataset, { cellType: 'asymmetric' }, { softShortDrop: 0.03 } as object)).toThrow(
      /unknown analysis parameter "softShortDrop"/,
    );
  });
});

describe('a file without cycling', () => {
  it('gives no cycles, a censored stable cell with lifespan 0 and the no-current flag', () => {
    const dataset = stableScenario({ cycles: 2 });
    dataset.columns.currentMA.fill(0);
    const r = analyzeCycling(dataset, { cellType: 'asymmetric' });
    expect(r.cycles).toEqual([]);
    expect(r.flags).toEqual(['no-current']);
    expect(r.failure).toEqual({ class: 'stable', cycle: null, lifespan_mAh_cm2: 0, censored: true, evidence: [] });
    expect(r.currentDensity_mA_cm2).toBeNull();
  });
});

describe('full cell (LCO | SE | In)', () => {
  const p = DEFAULT_FULL_CELL_SCENARIO;
  const r = analyzeCycling(fullCellScenario(), { cellType: 'full', activeMassG: p.activeMassG });
  /** The generator's capacity with the current as the Float32 column stores it. */
  const stored = (qMAh: number) => (qMAh * Math.fround(p.currentMA)) / p.currentMA;

  it('reads charge then discharge per cycle with the generator capacities, CE, specific capacity and retention', () => {
    expect(r.cycles.length).toBe(p.cycles);
    for (const n of [1, 2, 10, 20]) {
      const c = r.cycles[n - 1];
      expect(c.plateCapacity_mAh).toBeCloseTo(stored(fullCellChargeMAh(p, n)), 9);
      expect(c.stripCapacity_mAh).toBeCloseTo(stored(fullCellDischargeMAh(p, n)), 9);
      expect(c.ce).toBeCloseTo(n === 1 ? p.firstCe : p.ce, 9);
      expect(c.stripSpecificCapacity_mAh_g).toBeCloseTo(stored(fullCellDischargeMAh(p, n)) / p.activeMassG, 6);
      expect(c.retention).toBeCloseTo(fullCellDischargeMAh(p, n) / fullCellDischargeMAh(p, 1), 9);
      expect(c.nucleationOverpotential_mV).toBeNull();
    }
    // Charge plateau (3.1 → 3.6 V) above discharge (3.5 → 2.9 V): median of each linear ramp.
    expect(r.cycles[0].plateV).toBeCloseTo(3.35, 2);
    expect(r.cycles[0].stripV).toBeCloseTo(3.2, 2);
    expect(r.cycles[0].voltageGap_mV).toBeCloseTo(150, -1);
  });
});
