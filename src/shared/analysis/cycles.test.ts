import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../formats/import-error';
import type { Dataset } from '../model/dataset';
import { DEFAULT_ASYMMETRIC_SCENARIO, generateAsymmetricScenario } from '../synth/cycling-scenarios';
import { computeCycleMetrics, medianInPlace, rangeColumns, segmentCycles } from './cycles';

const p = DEFAULT_ASYMMETRIC_SCENARIO;
/** The current as the Float32 column stores it, mA. */
const I_MA = Math.fround(p.currentDensityMACm2 * p.areaCm2);
const HALF_S = (p.arealCapacityMAhCm2 / p.currentDensityMACm2) * 3600; // 7200 s
/** Q = |I| · t (constant current), mAh. */
const Q_MAH = (I_MA * HALF_S) / 3600;

function segment(dataset: Dataset, overrides = {}) {
  return segmentCycles(dataset.columns, false, overrides, undefined, dataset.meta.source.fileName);
}

function expectRegularCycles(dataset: Dataset, count: number, overrides = {}) {
  const s = segment(dataset, overrides);
  expect(s.cycles.length).toBe(count);
  for (const c of s.cycles) {
    if (c.flags.includes('incomplete')) continue;
    expect(c.lead.kind).toBe('plating');
    expect(c.follow?.kind).toBe('stripping');
    expect(c.lead.capacityMAh).toBeCloseTo(Q_MAH, 12);
    expect(c.follow!.capacityMAh).toBeCloseTo(Q_MAH, 12);
    expect(c.lead.durationS).toBeCloseTo(HALF_S, 6);
  }
  return s;
}

describe('medianInPlace', () => {
  it('equals the median of the sorted values', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 200 }), (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const m = sorted.length >> 1;
        const expected = sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
        expect(medianInPlace(Float64Array.from(values), values.length)).toBeCloseTo(expected, 9);
      }),
    );
  });
  it('is NaN for no values', () => expect(medianInPlace(new Float64Array(4), 0)).toBeNaN());
});

describe('segmentCycles', () => {
  it('finds every plating and its stripping with Q = |I|·t, and a counter that agrees', () => {
    const s = expectRegularCycles(generateAsymmetricScenario(), p.cycles);
    expect(s.formation).toEqual([]);
    expect(s.cycleCounterAgrees).toBe(true);
    expect(s.cycleCounterOffset).toBe(0);
    expect(s.flags).toEqual([]);
    // Plateaus: E ∓ gap/2 (noise 0.4 mV); nucleation dip: η_nuc·exp(0) at the first sample.
    const c = s.cycles[4];
    expect(c.lead.plateauV).toBeCloseTo(p.plateauV - p.firstGapV / 2, 3);
    expect(c.follow!.plateauV).toBeCloseTo(p.plateauV + p.firstGapV / 2, 3);
    expect(c.lead.plateauV - c.lead.earlyMinVoltageV).toBeCloseTo(p.nucleationV, 2);
  });

  it('gives the same cycles with and without rests between half-cycles', () => {
    const withRests = segment(generateAsymmetricScenario());
    const without = expectRegularCycles(generateAsymmetricScenario({ restS: 0 }), p.cycles);
    // The noise differs (rest samples draw from the RNG too): plateaus agree to well under 1 mV.
    without.cycles.forEach((c, k) => expect(Math.abs(c.lead.plateauV - withRests.cycles[k].lead.plateauV)).toBeLessThan(3e-4));
  });

  it('treats a leading stripping as formation, not cycle 1, and says so', () => {
    const s = expectRegularCycles(generateAsymmetricScenario({ leadingStrippingS: 3600 }), p.cycles);
    expect(s.formation.length).toBe(1);
    expect(s.formation[0].kind).toBe('stripping');
    expect(s.formation[0].capacityMAh).toBeCloseTo((I_MA * 3600) / 3600, 12);
    expect(s.flags.some((f) => f.startsWith('starts-with-stripping'))).toBe(true);
    expect(s.cycles[0].index).toBe(1);
    // The generator counts the formation as cycle 0 and the first plating as 1: still agrees (offset 0).
    expect(s.cycleCounterAgrees).toBe(true);
  });

  it('takes declared formation half-cycles out of the count', () => {
    const s = segment(generateAsymmetricScenario(), { formationHalfCycles: 2 });
    expect(s.formation.length).toBe(2);
    expect(s.cycles.length).toBe(p.cycles - 1);
    expect(s.flags.some((f) => f.startsWith('formation: 2'))).toBe(true);
    expect(s.cycleCounterOffset).toBe(1);
  });

  it('flags the last cycle incomplete when the test stops mid-stripping', () => {
    // Cycle n starts at 600 + (n − 1)·(2·7200 + 2·600) s; stop 1 h into the stripping of cycle 10.
    const stopAtS = 600 + 9 * 15600 + 7200 + 600 + 3600;
    const s = expectRegularCycles(generateAsymmetricScenario({ stopAtS }), 10);
    const last = s.cycles[9];
    expect(last.flags).toEqual(['incomplete']);
    expect(last.follow!.capacityMAh).toBeCloseTo((I_MA * 3600) / 3600, 12);
    expect(s.cycles[8].flags).toEqual([]);
  });

  it('flags the last cycle incomplete when the test stops mid-plating', () => {
    const stopAtS = 600 + 9 * 15600 + 1800;
    const s = segment(generateAsymmetricScenario({ stopAtS }));
    expect(s.cycles.length).toBe(10);
    expect(s.cycles[9].follow).toBeUndefined();
    expect(s.cycles[9].flags).toEqual(['incomplete']);
    expect(s.cycles[9].lead.capacityMAh).toBeCloseTo((I_MA * 1800) / 3600, 12);
  });

  it('does not flag a complete last cycle that ends with the file', () => {
    // No trailing rest: the file ends on the last stripping record, which has the full capacity.
    const full = generateAsymmetricScenario({ cycles: 5 });
    const stopAtS = full.columns.timeS[full.rowCount - 1] - p.restS;
    const s = segment(generateAsymmetricScenario({ cycles: 5, stopAtS }));
    expect(s.cycles[4].flags).toEqual([]);
  });

  it('ignores one-sample steps', () => {
    const s = expectRegularCycles(generateAsymmetricScenario({ oneSampleSteps: true }), p.cycles);
    expect(s.cycles.length).toBe(p.cycles);
  });

  it('drops a one-sample sign blip inside a half-cycle and joins its two sides', () => {
    const dataset = generateAsymmetricScenario();
    const s0 = segment(dataset);
    const row = s0.cycles[2].lead.start + 50;
    dataset.columns.currentMA[row] = -dataset.columns.currentMA[row];
    const s = segment(dataset);
    expect(s.cycles.length).toBe(p.cycles);
    expect(s.droppedRuns).toBe(1);
    expect(s.flags).toContain('dropped-short-runs:1');
    // The blip row and its two 60-s intervals carry no plating charge.
    expect(s.cycles[2].lead.capacityMAh).toBeCloseTo((I_MA * (HALF_S - 120)) / 3600, 12);
  });

  it('reads current noise around zero in unlabelled rests as zero current', () => {
    // 0.05 % of the 0.0785 mA cycling current, below the 0.1 % default threshold; rests typed `other`.
    const dataset = generateAsymmetricScenario({ restCurrentNoiseMA: 0.0005 * I_MA });
    expect(Array.from(dataset.columns.stepType).includes(0)).toBe(false);
    const s = expectRegularCycles(dataset, p.cycles);
    expect(s.zeroCurrentThresholdMA).toBeCloseTo(0.001 * I_MA, 12);
  });

  it('reports a cycle counter that does not agree', () => {
    const dataset = generateAsymmetricScenario();
    const s0 = segment(dataset);
    dataset.columns.cycle![s0.cycles[3].follow!.start + 5] = 99;
    const s = segment(dataset);
    expect(s.cycleCounterAgrees).toBe(false);
    expect(s.flags).toContain('cycle-counter-disagrees');
  });

  it('throws an ImportError naming the column when lengths differ or columns are missing', () => {
    const dataset = generateAsymmetricScenario({ cycles: 2 });
    const bad = { ...dataset.columns, voltageV: dataset.columns.voltageV.subarray(1) };
    expect(() => segmentCycles(bad, false, {}, undefined, 'x.csv')).toThrow(ImportError);
    expect(() => segmentCycles(bad, false, {}, undefined, 'x.csv')).toThrow(/^x\.csv: column voltage has/);
    const missing = { ...dataset.columns, currentMA: undefined } as unknown as Dataset['columns'];
    expect(() => segmentCycles(missing, false, {}, undefined, 'x.csv')).toThrow(ImportError);
  });

  it('keeps a missing voltage (NaN) out of the plateau and the extremes', () => {
    const dataset = generateAsymmetricScenario({ cycles: 3 });
    const s0 = segment(dataset);
    const row = s0.cycles[1].lead.start + 60;
    dataset.columns.voltageV[row] = Number.NaN;
    const c = segment(dataset).cycles[1];
    expect(c.lead.plateauV).toBeCloseTo(s0.cycles[1].lead.plateauV, 3);
    expect(c.lead.minVoltageV).toBe(s0.cycles[1].lead.minVoltageV);
    expect(c.lead.capacityMAh).toBeCloseTo(Q_MAH, 12);
  });

  it('accounts for every active charge in half-cycles, in order, whatever the protocol (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          cycles: fc.integer({ min: 1, max: 4 }),
          restS: fc.constantFrom(0, 60, 600),
          leadingStrippingS: fc.constantFrom(0, 1800),
          oneSampleSteps: fc.boolean(),
          stopFraction: fc.double({ min: 0.2, max: 1, noNaN: true }),
          seed: fc.integer({ min: 1, max: 1000 }),
        }),
        ({ stopFraction, ...o }) => {
          const full = generateAsymmetricScenario({ ...o, arealCapacityMAhCm2: 0.05 });
          const stopAtS = full.columns.timeS[full.rowCount - 1] * stopFraction;
          const dataset = generateAsymmetricScenario({ ...o, arealCapacityMAhCm2: 0.05, stopAtS });
          const { timeS, currentMA, stepType } = dataset.columns;
          // Naive reference: trapezoid over index-adjacent non-rest rows of one sign.
          let totalMAs = 0;
          for (let k = 1; k < dataset.rowCount; k++) {
            const a = currentMA[k - 1];
            const b = currentMA[k];
            if (stepType[k] === 0 || stepType[k - 1] === 0 || a === 0 || Math.sign(a) !== Math.sign(b)) continue;
            totalMAs += ((Math.abs(a) + Math.abs(b)) / 2) * (timeS[k] - timeS[k - 1]);
          }
          const s = segment(dataset);
          const halves = [...s.formation, ...s.cycles.flatMap((c) => (c.follow ? [c.lead, c.follow] : [c.lead]))];
          const sumMAh = halves.reduce((acc, h) => acc + h.capacityMAh, 0);
          expect(sumMAh).toBeCloseTo(totalMAs / 3600, 9);
          for (let k = 1; k < halves.length; k++) {
            expect(halves[k].start).toBeGreaterThanOrEqual(halves[k - 1].end);
            expect(halves[k].sign).toBe(-halves[k - 1].sign);
          }
          for (const c of s.cycles) expect(c.lead.sign).toBe(-1);
          s.cycles.forEach((c, k) => expect(c.index).toBe(k + 1));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('returns no cycles and a flag for a file without current', () => {
    const dataset = generateAsymmetricScenario({ cycles: 2 });
    dataset.columns.currentMA.fill(0);
    const s = segment(dataset);
    expect(s.cycles).toEqual([]);
    expect(s.flags).toEqual(['no-current']);
  });
});

describe('computeCycleMetrics', () => {
  it('accumulates q per cycle (the 2nd and 10th cycles end at 2q and 10q) and gives CE and gap', () => {
    const s = segment(generateAsymmetricScenario());
    const m = computeCycleMetrics(s, { areaCm2: p.areaCm2, isFullCell: false });
    const q = Q_MAH / p.areaCm2;
    expect(m[1].accumulatedArealCapacityMAhCm2).toBeCloseTo(2 * q, 12);
    expect(m[9].accumulatedArealCapacityMAhCm2).toBeCloseTo(10 * q, 12);
    expect(m[0].ce).toBeCloseTo(1, 12);
    expect(m[0].voltageGapMV).toBeCloseTo(p.firstGapV * 1000, 0);
    expect(m[0].currentDensityMACm2).toBeCloseTo(I_MA / p.areaCm2, 12);
    expect(m[0].leadSpecificCapacityMAhG).toBeNaN();
    const withMass = computeCycleMetrics(s, { areaCm2: p.areaCm2, activeMassG: 0.002, isFullCell: false });
    expect(withMass[0].leadSpecificCapacityMAhG).toBeCloseTo(Q_MAH / 0.002, 9);
  });

  it('gives cycles as views of the columns, not copies', () => {
    const dataset = generateAsymmetricScenario({ cycles: 3 });
    const c = segment(dataset).cycles[1];
    const view = rangeColumns(dataset.columns, c);
    expect(view.timeS.buffer).toBe(dataset.columns.timeS.buffer);
    expect(view.timeS.length).toBe(c.end - c.start);
    expect(view.currentMA[0]).toBeLessThan(0);
  });
});
