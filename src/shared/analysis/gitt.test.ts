import { describe, expect, it } from 'vitest';
import type { Dataset } from '../model/dataset';
import { STEP_TYPE_CODE } from '../model/step-type';
import { generateAsymmetricCell } from '../synth/asymmetric-cell';
import { generateGittRun, GITT_RUN_1H, type GittRun } from '../synth/gitt-run';
import {
  analyzeGitt,
  DEFAULT_SQRT_FIT_START_FRACTION,
  GittError,
  IN_DENSITY_G_CM3,
  IN_MOLAR_MASS_G_MOL,
  looksLikeGitt,
  pulsesToCsv,
  segmentGitt,
  type GittParams,
} from './gitt';

const paramsFor = (run: GittRun): GittParams => ({ activeMaterialMol: run.truth.activeMaterialMol, areaCm2: run.truth.params.areaCm2 });

/** A segment of a crafted dataset: constant current, voltage as a function of time in the segment. */
interface CraftedSegment {
  durationS: number;
  currentMA: number;
  step: number;
  dtS: number;
  v: (t: number) => number;
}

/** Builds a Dataset from segments; each segment's first sample is 1 ms after the previous one's last. */
function craft(segments: CraftedSegment[]): Dataset {
  const time: number[] = [];
  const voltage: number[] = [];
  const current: number[] = [];
  const step: number[] = [];
  let t = 0;
  for (const seg of segments) {
    const start = time.length === 0 ? 0 : t + 1e-3;
    const count = Math.round(seg.durationS / seg.dtS);
    for (let k = 0; k <= count; k++) {
      const dt = Math.min(k * seg.dtS, seg.durationS);
      time.push(start + dt);
      voltage.push(seg.v(dt));
      current.push(seg.currentMA);
      step.push(seg.step);
    }
    t = start + seg.durationS;
  }
  const n = time.length;
  return {
    meta: {
      name: 'crafted',
      source: { fileName: 'crafted', sizeBytes: 0, sha256: '' },
      format: 'test',
      instrument: 'test',
      encoding: 'none',
      sourceColumns: [],
      warnings: [],
    },
    rowCount: n,
    columns: {
      timeS: Float64Array.from(time),
      voltageV: Float32Array.from(voltage),
      currentMA: Float32Array.from(current),
      step: Int32Array.from(step),
      stepType: Uint8Array.from(
        current.map((i) => (i > 0 ? STEP_TYPE_CODE.cc_charge : i < 0 ? STEP_TYPE_CODE.cc_discharge : STEP_TYPE_CODE.rest)),
      ),
    },
  };
}

const rest = (durationS: number, v: number | ((t: number) => number), step = 1): CraftedSegment => ({
  durationS,
  currentMA: 0,
  step,
  dtS: 10,
  v: typeof v === 'number' ? () => v : v,
});
const pulse = (durationS: number, currentMA: number, v: (t: number) => number, step = 2): CraftedSegment => ({
  durationS,
  currentMA,
  step,
  dtS: 1,
  v,
});

/** Checks every pulse against the generator's truth. Returns the worst relative error of D. */
function expectMatchesTruth(run: GittRun, tolerance: number, params: Partial<GittParams> = {}): number {
  const result = analyzeGitt(run.dataset, { ...paramsFor(run), ...params });
  const truth = run.truth.pulses;
  expect(result.pulses.length).toBe(truth.length);
  let worst = 0;
  for (const p of result.pulses) {
    const t = truth[p.index - 1];
    expect(p.run).toBe(t.run);
    expect(p.direction).toBe(t.direction === 'lithiation' ? 'discharge' : 'charge');
    expect(p.tau_s).toBeCloseTo(t.tauS, 9);
    expect(p.start_s).toBeCloseTo(t.startS, 9);
    expect(p.current_mA).toBeCloseTo(t.currentMA, 6);
    expect(p.arealCapacity_mAh_cm2).toBeCloseTo(t.arealCapacityMAhCm2, 6);
    const error = Math.abs(p.D_cm2_s / t.dCm2S - 1);
    worst = Math.max(worst, error);
    expect(error, `pulse ${p.index}: D ${p.D_cm2_s} vs ${t.dCm2S}`).toBeLessThan(tolerance);
  }
  return worst;
}

describe('analyzeGitt on the generated Li | LPSC | In run (D known per pulse)', () => {
  it('recovers D within 5 % (noise-free: within 0.1 %), with exact τ, counts, runs and capacities', () => {
    const run = generateGittRun({ noiseV: 0 });
    expect(run.truth.pulses.length).toBe(80);
    const worst = expectMatchesTruth(run, 0.05);
    // Noise-free, only float32 voltage storage and the e^-12 relaxation residual remain.
    expect(worst).toBeLessThan(1e-3);
  });

  it('recovers D within 5 % with noise, both directions, 10-min pulses', () => {
    expectMatchesTruth(generateGittRun(), 0.05);
  });

  it('recovers D within 5 % with 1-h pulses', () => {
    const run = generateGittRun(GITT_RUN_1H);
    expect(run.truth.pulses[0].tauS).toBe(3600);
    expectMatchesTruth(run, 0.05);
  });

  it('recovers D within 5 % for a delithiation-first run (pre-lithiated electrode)', () => {
    const run = generateGittRun({ directions: ['delithiation', 'lithiation'], pulsesPerRun: 25, seed: 3 });
    expectMatchesTruth(run, 0.05);
  });

  it('recovers D within 5 % with the end-point ΔE_t option (pure √t transients)', () => {
    const run = generateGittRun();
    const result = analyzeGitt(run.dataset, { ...paramsFor(run), deltaEtMethod: 'end-point' });
    expect(result.parameters.deltaEtMethod).toBe('end-point');
    for (const p of result.pulses) {
      expect(Number.isNaN(p.sqrtFitR2)).toBe(true);
      expect(Math.abs(p.D_cm2_s / run.truth.pulses[p.index - 1].dCm2S - 1)).toBeLessThan(0.05);
    }
  });

  it('reports relaxed voltages, IR steps, ΔE_s and ΔE_t of the model (noise-free)', () => {
    const run = generateGittRun({ noiseV: 0 });
    const result = analyzeGitt(run.dataset, paramsFor(run));
    for (const p of result.pulses) {
      const t = run.truth.pulses[p.index - 1];
      expect(p.relaxedVoltage_V).toBeCloseTo(t.relaxedVoltageV, 5);
      expect(p.irStep_V).toBeCloseTo(t.irStepV, 5);
      expect(p.dEs_V).toBeCloseTo(t.dEsV, 5);
      expect(p.dEt_V / t.dEtV).toBeCloseTo(1, 3);
    }
    expect(result.initialRest_s).toBeCloseTo(run.truth.params.initialRestS, 6);
    expect(result.runCount).toBe(2);
  });

  it('flags tau-not-small exactly where τ > 0.1 L²/D of the truth, and short-pulse on each run’s last pulse', () => {
    const run = generateGittRun({ noiseV: 0 });
    const result = analyzeGitt(run.dataset, paramsFor(run));
    const L = run.truth.params.thicknessCm;
    const expectedTau = run.truth.pulses.filter((t) => t.tauS > (0.1 * L * L) / t.dCm2S).map((t) => t.index);
    const flaggedTau = result.pulses.filter((p) => p.flags.includes('tau-not-small')).map((p) => p.index);
    expect(expectedTau.length).toBeGreaterThan(0);
    expect(expectedTau.length).toBeLessThan(result.pulses.length / 2);
    expect(flaggedTau).toEqual(expectedTau);
    const lastOfRuns = [40, 80];
    expect(result.pulses.filter((p) => p.flags.includes('short-pulse')).map((p) => p.index)).toEqual(lastOfRuns);
    for (const p of result.pulses) {
      expect(p.flags).not.toContain('sqrt-fit-r2');
      expect(p.flags).not.toContain('relaxation-not-finished');
      expect(p.flags).not.toContain('no-rest-after');
    }
    // The last pulses stop at the generator's voltage limits.
    expect(run.dataset.columns.voltageV[result.pulses[39].lastRow]).toBeCloseTo(run.truth.cutoffV[0], 5);
  });

  it('labels the flat regions of the relaxed-voltage curve with the Li–In plateaus, where D ≈ 1e-10', () => {
    const run = generateGittRun();
    const result = analyzeGitt(run.dataset, paramsFor(run));
    const labels = (r: number): (string | null)[] => result.plateaus.filter((p) => p.run === r).map((p) => p.label);
    expect(labels(1)).toEqual(['In/LiIn', 'LiIn/Li5In4', 'Li5In4/Li3In2']);
    expect(labels(2)).toEqual(['Li5In4/Li3In2', 'LiIn/Li5In4', 'In/LiIn']);
    const onPlateau = result.pulses.filter((p) => p.plateau !== null);
    expect(onPlateau.length).toBeGreaterThan(result.pulses.length / 2);
    for (const p of onPlateau) expect(run.truth.pulses[p.index - 1].dCm2S).toBeLessThan(2e-10);
    for (const region of result.plateaus) expect(Math.abs(region.medianVoltageV - region.knownVoltageV!)).toBeLessThan(0.01);
  });

  it('gives the same D from n_m, V_m directly and from mass, molar mass and density (In defaults: 15.7 cm³/mol)', () => {
    const run = generateGittRun({ pulsesPerRun: 8 });
    const direct = analyzeGitt(run.dataset, {
      activeMaterialMol: run.truth.activeMaterialMol,
      molarVolumeCm3Mol: IN_MOLAR_MASS_G_MOL / IN_DENSITY_G_CM3,
      areaCm2: 0.785,
    });
    const fromMass = analyzeGitt(run.dataset, { activeMassG: run.truth.activeMaterialMol * IN_MOLAR_MASS_G_MOL, areaCm2: 0.785 });
    expect(fromMass.parameters.molarVolumeCm3Mol).toBeCloseTo(15.7, 1);
    expect(fromMass.parameters.activeMaterialSource).toBe('from-mass');
    expect(direct.parameters.molarVolumeSource).toBe('given');
    direct.pulses.forEach((p, k) => expect(fromMass.pulses[k].D_cm2_s / p.D_cm2_s).toBeCloseTo(1, 12));
    // D scales with (n_m V_m / S)²: doubling the area quarters it.
    const doubleArea = analyzeGitt(run.dataset, { activeMaterialMol: run.truth.activeMaterialMol, areaCm2: 1.57 });
    direct.pulses.forEach((p, k) => expect(doubleArea.pulses[k].D_cm2_s / p.D_cm2_s).toBeCloseTo(0.25, 12));
  });

  it('reports progress up to 1 and stops when aborted', () => {
    const run = generateGittRun({ pulsesPerRun: 5 });
    const seen: number[] = [];
    analyzeGitt(run.dataset, paramsFor(run), { onProgress: (f) => seen.push(f) });
    expect(seen.length).toBe(10);
    expect(seen[seen.length - 1]).toBe(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(() => analyzeGitt(run.dataset, paramsFor(run), { signal: { aborted: true } })).toThrow(GittError);
    try {
      analyzeGitt(run.dataset, paramsFor(run), { signal: { aborted: true } });
    } catch (e) {
      expect((e as GittError).code).toBe('aborted');
    }
  });
});

describe('ΔE_t: √t fit against end point on a pulse with a fast transient', () => {
  // V = E + IR + A (1 − e^(−t/1 s)) + k √t: a double-layer transient of A = 5 mV after the IR step.
  const E = 0.62;
  const IR = -0.01;
  const A = -0.005;
  const k = -0.001;
  const tau = 600;
  const data = craft([
    rest(3600, E),
    pulse(tau, -0.0785, (t) => E + IR + A * (1 - Math.exp(-t)) + k * Math.sqrt(t)),
    rest(1800, E - 0.002, 3),
  ]);
  const params: GittParams = { activeMaterialMol: 1e-4, areaCm2: 0.785 };

  it('the √t fit (from 10 % of τ) removes the transient: ΔE_t = |k| √τ', () => {
    expect(DEFAULT_SQRT_FIT_START_FRACTION).toBe(0.1);
    const [p] = analyzeGitt(data, params).pulses;
    expect(p.dEt_V).toBeCloseTo(Math.abs(k) * Math.sqrt(tau), 6);
    expect(p.sqrtFitR2).toBeGreaterThan(0.9999);
    expect(p.irStep_V).toBeCloseTo(IR, 6);
    expect(p.dEs_V).toBeCloseTo(0.002, 6);
  });

  it('the end-point option keeps it: ΔE_t = |A (1 − e^−τ) + k √τ|', () => {
    const [p] = analyzeGitt(data, { ...params, deltaEtMethod: 'end-point' }).pulses;
    expect(p.dEt_V).toBeCloseTo(Math.abs(A * (1 - Math.exp(-tau)) + k * Math.sqrt(tau)), 6);
  });

  it('D follows Weppner–Huggins from the measured ΔE_s and ΔE_t', () => {
    const r = analyzeGitt(data, params);
    const [p] = r.pulses;
    const L = (1e-4 * r.parameters.molarVolumeCm3Mol) / 0.785;
    // Exactly the formula on the reported ΔE_s, ΔE_t; the analytic ones differ by float32 voltage storage.
    expect(p.D_cm2_s / ((4 / (Math.PI * tau)) * L * L * (p.dEs_V / p.dEt_V) ** 2)).toBeCloseTo(1, 12);
    expect(p.D_cm2_s / ((4 / (Math.PI * tau)) * L * L * (0.002 / (Math.abs(k) * Math.sqrt(tau))) ** 2)).toBeCloseTo(1, 3);
  });
});

describe('flags on crafted cases', () => {
  const params: GittParams = { activeMaterialMol: 1e-4, areaCm2: 0.785 };

  it("'sqrt-fit-r2' when the transient is not linear in √t (a 20-mV jump mid-pulse)", () => {
    const data = craft([
      rest(3600, 0.62),
      pulse(600, -0.0785, (t) => 0.61 - 0.001 * Math.sqrt(t) - (t > 300 ? 0.02 : 0)),
      rest(1800, 0.618, 3),
    ]);
    const [p] = analyzeGitt(data, params).pulses;
    expect(p.sqrtFitR2).toBeLessThan(0.99);
    expect(p.flags).toContain('sqrt-fit-r2');
    const relaxed = analyzeGitt(data, { ...params, minSqrtFitR2: 0.5 }).pulses[0];
    expect(relaxed.flags).not.toContain('sqrt-fit-r2');
  });

  it("'relaxation-not-finished' when the rest still drifts at 1e-4 V/s, not at 1e-6 V/s", () => {
    const drifting = craft([
      rest(3600, 0.62),
      pulse(600, -0.0785, (t) => 0.61 - 0.001 * Math.sqrt(t)),
      rest(900, (t) => 0.7 - 1e-4 * t, 3),
    ]);
    const [p] = analyzeGitt(drifting, params).pulses;
    expect(p.endRestSlope_V_per_s).toBeCloseTo(-1e-4, 7);
    expect(p.flags).toContain('relaxation-not-finished');
    const settled = craft([
      rest(3600, 0.62),
      pulse(600, -0.0785, (t) => 0.61 - 0.001 * Math.sqrt(t)),
      rest(900, (t) => 0.62 - 1e-6 * t, 3),
    ]);
    expect(analyzeGitt(settled, params).pulses[0].flags).not.toContain('relaxation-not-finished');
  });

  it("'no-rest-after' / 'no-rest-before' when pulses touch each other or the ends of the data", () => {
    const v = (t: number): number => 0.61 - 0.001 * Math.sqrt(t);
    const data = craft([
      pulse(300, -0.0785, v, 2), // starts the file: no rest before
      rest(900, 0.62, 3),
      pulse(300, -0.0785, v, 2), // followed at once by another pulse (new step): no rest after
      pulse(300, -0.0785, v, 4), // no rest before
      rest(900, 0.615, 5),
      pulse(300, 0.0785, v, 6), // ends the file
    ]);
    const pulses = analyzeGitt(data, params).pulses;
    expect(pulses.map((p) => p.flags.filter((f) => f.startsWith('no-rest')))).toEqual([
      ['no-rest-before'],
      ['no-rest-after'],
      ['no-rest-before'],
      ['no-rest-after'],
    ]);
    for (const p of pulses) expect(Number.isNaN(p.D_cm2_s)).toBe(true);
    expect(pulses.map((p) => p.run)).toEqual([1, 1, 1, 2]);
  });

  it("'zero-dEt' when the voltage does not move during the pulse", () => {
    const data = craft([rest(3600, 0.62), pulse(600, -0.0785, () => 0.61), rest(900, 0.618, 3)]);
    const [p] = analyzeGitt(data, params).pulses;
    expect(p.flags).toContain('zero-dEt');
    expect(Number.isNaN(p.D_cm2_s)).toBe(true);
  });

  it("'sqrt-fit-few-points' falls back to the end point when fewer than 3 samples lie in the fit window", () => {
    const sparse: CraftedSegment = { durationS: 600, currentMA: -0.0785, step: 2, dtS: 300, v: (t) => 0.61 - 0.001 * Math.sqrt(t) };
    const [p] = analyzeGitt(craft([rest(3600, 0.62), sparse, rest(900, 0.618, 3)]), params).pulses;
    expect(p.flags).toContain('sqrt-fit-few-points');
    expect(p.dEt_V).toBeCloseTo(0.001 * Math.sqrt(600), 6);
  });
});

describe('pulse detection', () => {
  const params: GittParams = { activeMaterialMol: 1e-4, areaCm2: 0.785 };
  const v = (t: number): number => 0.61 - 0.001 * Math.sqrt(t);

  it('splits same-sign pulses at a step change only when the file has steps', () => {
    const withSteps = craft([rest(600, 0.62), pulse(300, -0.0785, v, 2), pulse(300, -0.0785, v, 4), rest(600, 0.6, 5)]);
    expect(analyzeGitt(withSteps, params).pulses.length).toBe(2);
    withSteps.columns.step.fill(0);
    const merged = analyzeGitt(withSteps, params);
    expect(merged.pulses.length).toBe(1);
    expect(merged.parameters.usedStepColumn).toBe(false);
  });

  it('treats a sub-second current blip inside a rest as rest, and a tiny IR-probe current as rest', () => {
    const data = craft([
      rest(600, 0.62),
      pulse(300, -0.0785, v, 2),
      rest(300, 0.6, 3),
      { durationS: 0.5, currentMA: -0.0785, step: 9, dtS: 0.5, v: () => 0.59 },
      { durationS: 10, currentMA: -0.0785 * 5e-4, step: 10, dtS: 5, v: () => 0.6 },
      rest(300, 0.6, 11),
    ]);
    const result = analyzeGitt(data, params);
    expect(result.pulses.length).toBe(1);
    expect(result.pulses[0].restAfter_s).toBeCloseTo(300 + 0.5 + 10 + 300 + 4e-3, 6);
    const segments = segmentGitt(data, result.parameters.restCurrentThresholdMA, result.parameters.minPulseS, true);
    expect(segments.map((s) => s.sign)).toEqual([0, -1, 0]);
  });

  it('uses an absolute rest threshold when given', () => {
    const data = craft([rest(600, 0.62), pulse(300, -0.0785, v, 2), rest(600, 0.6, 3)]);
    expect(analyzeGitt(data, { ...params, restCurrentThresholdMA: 0.1 }).pulses.length).toBe(0);
    const r = analyzeGitt(data, params);
    expect(r.parameters.restCurrentThresholdMA).toBeCloseTo(0.01 * 0.0785, 9);
    expect(r.parameters.restCurrentThresholdSource).toBe('fraction-of-max');
  });
});

describe('looksLikeGitt', () => {
  it('is true for GITT runs (10 min, 1 h) and false for galvanostatic cycling', () => {
    expect(looksLikeGitt(generateGittRun({ pulsesPerRun: 6 }).dataset)).toBe(true);
    expect(looksLikeGitt(generateGittRun({ ...GITT_RUN_1H, pulsesPerRun: 6 }).dataset)).toBe(true);
    const records = generateAsymmetricCell({ cycles: 5 });
    const cycling = craft([rest(1, 0)]);
    cycling.rowCount = records.length;
    cycling.columns = {
      timeS: Float64Array.from(records.map((r) => r.totalTimeS)),
      voltageV: Float32Array.from(records.map((r) => r.voltageV)),
      currentMA: Float32Array.from(records.map((r) => r.currentMA)),
      step: Int32Array.from(records.map((r) => r.stepIndex)),
      stepType: new Uint8Array(records.length),
    };
    expect(looksLikeGitt(cycling)).toBe(false);
    expect(looksLikeGitt(craft([rest(600, 0.6)]))).toBe(false);
  });
});

describe('pulsesToCsv', () => {
  it('writes one header and one row per pulse, numbers round-tripping', () => {
    const run = generateGittRun({ pulsesPerRun: 4 });
    const result = analyzeGitt(run.dataset, paramsFor(run));
    const lines = pulsesToCsv(result).trimEnd().split('\n');
    expect(lines.length).toBe(result.pulses.length + 1);
    const header = lines[0].split(',');
    for (const name of ['index', 'start_s', 'tau_s', 'dEs_V', 'dEt_V', 'D_cm2_s', 'arealCapacity_mAh_cm2', 'relaxedVoltage_V', 'flags'])
      expect(header).toContain(name);
    const row = lines[4].split(',');
    expect(Number(row[header.indexOf('D_cm2_s')])).toBe(result.pulses[3].D_cm2_s);
    expect(row[header.indexOf('flags')]).toBe(result.pulses[3].flags.join(';'));
  });
});

describe('parameter validation', () => {
  const run = generateGittRun({ pulsesPerRun: 3 });
  const base = paramsFor(run);
  const cases: [Partial<GittParams> & Record<string, unknown>, RegExp][] = [
    [{ areaCm2: -1 }, /areaCm2.*-1/],
    [{ areaCm2: 0 }, /areaCm2.*got 0/],
    [{ activeMaterialMol: Number.NaN }, /activeMaterialMol.*NaN/],
    [{ molarVolumeCm3Mol: Infinity }, /molarVolumeCm3Mol.*Infinity/],
    [{ densityGCm3: -7 }, /densityGCm3.*-7/],
    [{ sqrtFitStartFraction: 1.5 }, /sqrtFitStartFraction.*1\.5/],
    [{ minSqrtFitR2: -0.1 }, /minSqrtFitR2.*-0\.1/],
    [{ restCurrentThresholdMA: -0.001 }, /restCurrentThresholdMA.*-0\.001/],
    [{ minPulseS: -2 }, /minPulseS.*-2/],
    [{ tauValidityFactor: 0 }, /tauValidityFactor.*got 0/],
    [{ deltaEtMethod: 'linear' as never }, /deltaEtMethod.*linear/],
  ];
  it.each(cases)('throws GittError naming the bad value: %o', (bad, message) => {
    expect(() => analyzeGitt(run.dataset, { ...base, ...bad })).toThrow(message);
    expect(() => analyzeGitt(run.dataset, { ...base, ...bad })).toThrow(GittError);
  });

  it('throws when the amount of active material is missing, naming both ways to give it', () => {
    expect(() => analyzeGitt(run.dataset, { areaCm2: 1 })).toThrow(/activeMaterialMol.*activeMassG/);
  });

  it('throws on a column shorter than rowCount (truncated data)', () => {
    const broken: Dataset = { ...run.dataset, rowCount: run.dataset.rowCount + 5 };
    expect(() => analyzeGitt(broken, base)).toThrow(/column timeS holds \d+ values, fewer than rowCount/);
  });

  it('accepts an empty dataset and reports no pulses', () => {
    const empty = craft([]);
    const r = analyzeGitt(empty, base);
    expect(r.pulses).toEqual([]);
    expect(r.initialRest_s).toBe(0);
  });
});
