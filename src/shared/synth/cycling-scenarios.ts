/**
 * Deterministic cycling scenarios with analytic answers, built straight into Dataset columns, for the
 * cycling / failure / CCD analyses (DOMAIN.md 'Cells and cycles', 'Failure').
 *
 * Every constant-current step is logged at its start (step time 0), every `logIntervalS`, and at its end,
 * so the trapezoid gives Q = |I| · t exactly (e.g. 0.0785 mA for 7200 s = 0.157 mAh = 0.2 mAh/cm² on
 * 0.785 cm²). Sign convention (DOMAIN.md): plating (lithiation of In) is negative current, `cc_discharge`.
 *
 * Voltage model of an asymmetric cell (t from the start of the half-cycle):
 * - plating:   V = E − gap_n/2 − η_nuc · exp(−t / τ_nuc)     (nucleation dip at the start)
 * - stripping: V = E + gap_n/2
 * with the gap of cycle n from the scenario (constant, or growing geometrically for polarization),
 * Gaussian noise on V; soft shorts are one-sample drops of |V| that recover on the next sample; a hard
 * short pins V to ±shortedV (the voltage no longer follows the current).
 */
import { ColumnBuilder } from '../model/column-builder';
import type { Dataset } from '../model/dataset';
import { STEP_TYPE_CODE, type StepType } from '../model/step-type';
import { createSeededRandom, type SeededRandom } from './seeded-random';

interface SegmentSpec {
  stepType: StepType;
  currentMA: number;
  durationS: number;
  cycle: number;
  voltageAt: (stepTimeS: number) => number;
  /** Sample numbers (0 = step start) at which |V| is pulled down by `dropV` for one sample. */
  dropSamples?: ReadonlySet<number>;
  dropV?: number;
  /** Noise on the current, mA (rests that read noise around zero). */
  currentNoiseMA?: number;
}

/** Appends logged steps to growable typed columns. */
class TraceBuilder {
  private readonly time = new ColumnBuilder(Float64Array);
  private readonly voltage = new ColumnBuilder(Float32Array);
  private readonly current = new ColumnBuilder(Float32Array);
  private readonly capacity = new ColumnBuilder(Float32Array);
  private readonly step = new ColumnBuilder(Int32Array);
  private readonly stepType = new ColumnBuilder(Uint8Array);
  private readonly cycle = new ColumnBuilder(Int32Array);
  private t = 0;
  private stepCount = 0;

  constructor(
    private readonly rng: SeededRandom,
    private readonly logIntervalS: number,
    private readonly noiseV: number,
  ) {}

  get timeS(): number {
    return this.t;
  }

  add(spec: SegmentSpec): void {
    // A zero-length step is one record (an instrument's step that ends at once).
    if (!(spec.durationS >= 0)) return;
    this.stepCount++;
    const code = STEP_TYPE_CODE[spec.stepType];
    const n = Math.ceil(spec.durationS / this.logIntervalS - 1e-9);
    for (let k = 0; k <= n; k++) {
      const s = Math.min(k * this.logIntervalS, spec.durationS);
      let v = spec.voltageAt(s) + this.noiseV * this.rng.normal();
      if (spec.dropSamples?.has(k)) v -= Math.sign(v) * (spec.dropV ?? 0);
      const noiseI = spec.currentNoiseMA ? spec.currentNoiseMA * (2 * this.rng.uniform() - 1) : 0;
      this.time.push(this.t + s);
      this.voltage.push(v);
      this.current.push(spec.currentMA + noiseI);
      this.capacity.push((Math.abs(spec.currentMA) * s) / 3600);
      this.step.push(this.stepCount);
      this.stepType.push(code);
      this.cycle.push(spec.cycle);
    }
    this.t += spec.durationS;
  }

  /** The dataset, cut after `stopAtS` (a test stopped mid-way) when given. */
  finish(name: string, stopAtS = Infinity): Dataset {
    const cols = {
      timeS: this.time.finish(),
      voltageV: this.voltage.finish(),
      currentMA: this.current.finish(),
      capacityMAh: this.capacity.finish(),
      step: this.step.finish(),
      stepType: this.stepType.finish(),
      cycle: this.cycle.finish(),
    };
    let rowCount = cols.timeS.length;
    while (rowCount > 0 && cols.timeS[rowCount - 1] > stopAtS) rowCount--;
    const cut = <T extends { slice(a: number, b: number): T }>(a: T): T => a.slice(0, rowCount);
    return {
      meta: {
        name,
        source: { fileName: `${name}.synthetic`, sizeBytes: 0, sha256: '' },
        format: 'synthetic',
        instrument: 'Interphase cycling-scenario generator',
        encoding: 'utf-8',
        sourceColumns: [],
        warnings: [],
      },
      rowCount,
      columns: {
        timeS: cut(cols.timeS),
        voltageV: cut(cols.voltageV),
        currentMA: cut(cols.currentMA),
        capacityMAh: cut(cols.capacityMAh),
        step: cut(cols.step),
        stepType: cut(cols.stepType),
        cycle: cut(cols.cycle),
      },
    };
  }
}

export interface AsymmetricScenarioParams {
  name: string;
  currentDensityMACm2: number;
  arealCapacityMAhCm2: number;
  areaCm2: number;
  cycles: number;
  plateauV: number;
  /** Voltage gap of cycle 1, V. */
  firstGapV: number;
  /** Gap of cycle n = firstGapV · gapGrowthPerCycle^(n−1). */
  gapGrowthPerCycle: number;
  nucleationV: number;
  nucleationTauS: number;
  restS: number;
  logIntervalS: number;
  noiseV: number;
  /** From this cycle on, every half-cycle carries `dropsPerHalfCycle` recovered drops of `dropV`. */
  softShortFromCycle: number;
  dropsPerHalfCycle: number;
  dropV: number;
  /** From this cycle on, V = sign(I) · shortedV (a hard short). */
  hardShortFromCycle: number;
  shortedV: number;
  /** A stripping half-cycle of this duration (s) before cycle 1: a cell that starts with stripping. */
  leadingStrippingS: number;
  /** Rests read as step type `other` with uniform current noise of this amplitude, mA (0: `rest`, no noise). */
  restCurrentNoiseMA: number;
  /** Zero-length (one-record) steps: a discharge after every plating rest, a charge after every stripping rest. */
  oneSampleSteps: boolean;
  /** CE of the stripping: 1 = time-limited at the plated charge; < 1 = ends at `cutoffV` after CE × the plating time. */
  strippingCe: number;
  /** From this cycle on, the stripping CE is `lowCe` (polarization by CE < 90 %). */
  lowCeFromCycle: number;
  lowCe: number;
  /** From this cycle on, the stripping no longer reaches the cut-off: time-limited, CE = 100 % (a soft short). */
  noCutoffFromCycle: number;
  cutoffV: number;
  /** Cut the test at this time, s (a test stopped mid-half-cycle). */
  stopAtS: number;
  seed: number;
}

export const DEFAULT_ASYMMETRIC_SCENARIO: Readonly<AsymmetricScenarioParams> = Object.freeze({
  name: 'stable-0.1mA-0.2mAh',
  currentDensityMACm2: 0.1,
  arealCapacityMAhCm2: 0.2,
  areaCm2: 0.785,
  cycles: 30,
  plateauV: 0.62,
  firstGapV: 0.024,
  gapGrowthPerCycle: 1,
  nucleationV: 0.025,
  nucleationTauS: 180,
  restS: 600,
  logIntervalS: 60,
  noiseV: 0.0004,
  softShortFromCycle: Infinity,
  dropsPerHalfCycle: 0,
  dropV: 0.05,
  hardShortFromCycle: Infinity,
  shortedV: 0.002,
  leadingStrippingS: 0,
  restCurrentNoiseMA: 0,
  oneSampleSteps: false,
  strippingCe: 1,
  lowCeFromCycle: Infinity,
  lowCe: 0.8,
  noCutoffFromCycle: Infinity,
  cutoffV: 1.5,
  stopAtS: Infinity,
  seed: 20261125,
});

/** `count` distinct sample numbers in [2, samples − 2), at least 3 apart, from the RNG. */
function dropPositions(rng: SeededRandom, samples: number, count: number): Set<number> {
  const out = new Set<number>();
  const lo = 2;
  const hi = samples - 2;
  if (hi - lo < count * 3) throw new RangeError(`cannot place ${count} drops in ${samples} samples`);
  while (out.size < count) {
    const k = lo + Math.floor(rng.uniform() * (hi - lo));
    if (![...out].some((o) => Math.abs(o - k) < 3)) out.add(k);
  }
  return out;
}

/** A Li | SE | In asymmetric cell cycled at constant j and q, with optional failure and edge cases. */
export function generateAsymmetricScenario(overrides: Partial<AsymmetricScenarioParams> = {}): Dataset {
  const p: AsymmetricScenarioParams = { ...DEFAULT_ASYMMETRIC_SCENARIO, ...overrides };
  const rng = createSeededRandom(p.seed);
  const b = new TraceBuilder(rng, p.logIntervalS, p.noiseV);
  const currentMA = p.currentDensityMACm2 * p.areaCm2;
  const halfS = (p.arealCapacityMAhCm2 / p.currentDensityMACm2) * 3600;
  const samplesPerHalf = Math.ceil(halfS / p.logIntervalS - 1e-9) + 1;
  const rest = (cycle: number, v: number) =>
    b.add({
      stepType: p.restCurrentNoiseMA > 0 ? 'other' : 'rest',
      currentMA: 0,
      durationS: p.restS,
      cycle,
      voltageAt: () => v,
      currentNoiseMA: p.restCurrentNoiseMA,
    });
  rest(0, 0.95);
  if (p.leadingStrippingS > 0) {
    b.add({ stepType: 'cc_charge', currentMA, durationS: p.leadingStrippingS, cycle: 0, voltageAt: () => p.plateauV + 0.05 });
    rest(0, p.plateauV + 0.004);
  }
  for (let n = 1; n <= p.cycles; n++) {
    const gap = p.firstGapV * Math.pow(p.gapGrowthPerCycle, n - 1);
    const isHard = n >= p.hardShortFromCycle;
    const drops = () => (n >= p.softShortFromCycle ? dropPositions(rng, samplesPerHalf, p.dropsPerHalfCycle) : undefined);
    b.add({
      stepType: 'cc_discharge',
      currentMA: -currentMA,
      durationS: halfS,
      cycle: n,
      voltageAt: isHard ? () => -p.shortedV : (s) => p.plateauV - gap / 2 - p.nucleationV * Math.exp(-s / p.nucleationTauS),
      dropSamples: drops(),
      dropV: p.dropV,
    });
    rest(n, isHard ? 0 : p.plateauV - 0.002);
    if (p.oneSampleSteps) b.add({ stepType: 'cc_discharge', currentMA: -currentMA, durationS: 0, cycle: n, voltageAt: () => p.plateauV });
    const ce = n >= p.noCutoffFromCycle ? 1 : n >= p.lowCeFromCycle ? p.lowCe : p.strippingCe;
    const stripS = halfS * ce;
    // Below CE 1 the reversible Li runs out: V ramps to the cut-off over the last three log intervals.
    const rampStartS = ce < 1 ? stripS - 3 * p.logIntervalS : Infinity;
    const stripV = (s: number) =>
      p.plateauV + gap / 2 + (s > rampStartS ? ((s - rampStartS) / (stripS - rampStartS)) * (p.cutoffV - p.plateauV - gap / 2) : 0);
    b.add({
      stepType: 'cc_charge',
      currentMA,
      durationS: stripS,
      cycle: n,
      voltageAt: isHard ? () => p.shortedV : stripV,
      dropSamples: drops(),
      dropV: p.dropV,
    });
    rest(n, isHard ? 0 : p.plateauV + 0.004);
    if (p.oneSampleSteps) b.add({ stepType: 'cc_charge', currentMA, durationS: 0, cycle: n, voltageAt: () => p.plateauV });
  }
  return b.finish(p.name, p.stopAtS);
}

/** Stable: 0.1 mA/cm², 0.2 mAh/cm² per cycle (the study's Fig. 2a), 30 cycles → 6 mAh/cm², censored. */
export function stableScenario(overrides: Partial<AsymmetricScenarioParams> = {}): Dataset {
  return generateAsymmetricScenario(overrides);
}

/**
 * Polarization: 0.1 mA/cm², 5 mAh/cm² (50 h half-cycles, 5-min logging); the gap grows geometrically so
 * that it first reaches 3 × cycle 1's gap (and ≥ 100 mV) in cycle `failureCycle`: gap_n = 40 mV · r^(n−1)
 * with r^(F−1) = 3.3, i.e. gap_F = 132 mV and gap_(F−1) = 40 · 3.3^((F−2)/(F−1)) mV < 120 mV.
 */
export function polarizationScenario(failureCycle = 8, overrides: Partial<AsymmetricScenarioParams> = {}): Dataset {
  return generateAsymmetricScenario({
    name: 'polarization-0.1mA-5mAh',
    currentDensityMACm2: 0.1,
    arealCapacityMAhCm2: 5,
    cycles: failureCycle + 3,
    firstGapV: 0.04,
    gapGrowthPerCycle: Math.pow(3.3, 1 / (failureCycle - 1)),
    logIntervalS: 300,
    ...overrides,
  });
}

/** Soft short: 0.5 mA/cm², 0.5 mAh/cm² (1 h half-cycles, 10-s logging); 8 recovered 50 mV drops per half-cycle (2.2 %) from `failureCycle`. */
export function softShortScenario(failureCycle = 6, overrides: Partial<AsymmetricScenarioParams> = {}): Dataset {
  return generateAsymmetricScenario({
    name: 'soft-short-0.5mA-0.5mAh',
    currentDensityMACm2: 0.5,
    arealCapacityMAhCm2: 0.5,
    cycles: failureCycle + 4,
    logIntervalS: 10,
    softShortFromCycle: failureCycle,
    dropsPerHalfCycle: 8,
    dropV: 0.05,
    ...overrides,
  });
}

/** Hard short: 1 mA/cm², 1 mAh/cm² (1 h half-cycles, 10-s logging); V = ±2 mV from `failureCycle`. */
export function hardShortScenario(failureCycle = 4, overrides: Partial<AsymmetricScenarioParams> = {}): Dataset {
  return generateAsymmetricScenario({
    name: 'hard-short-1mA-1mAh',
    currentDensityMACm2: 1,
    arealCapacityMAhCm2: 1,
    cycles: failureCycle + 2,
    logIntervalS: 10,
    hardShortFromCycle: failureCycle,
    ...overrides,
  });
}

export interface CcdScenarioParams {
  name: string;
  /** Current densities of the steps, mA/cm² (the study: 0.1, 0.2, …). */
  stepsMACm2: readonly number[];
  /** First step with a (soft) short, mA/cm². */
  shortAtMACm2: number;
  cyclesPerStep: number;
  /** Duration of each half-cycle, s (q = j · halfCycleS / 3600). */
  halfCycleS: number;
  areaCm2: number;
  plateauV: number;
  /** Overpotential = base + slope · j, V and V per mA/cm². */
  overpotentialV: number;
  overpotentialSlopeVPerMACm2: number;
  restS: number;
  logIntervalS: number;
  noiseV: number;
  seed: number;
}

export const DEFAULT_CCD_SCENARIO: Readonly<CcdScenarioParams> = Object.freeze({
  name: 'ccd-staircase',
  stepsMACm2: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
  shortAtMACm2: 0.8,
  cyclesPerStep: 2,
  halfCycleS: 1800,
  areaCm2: 0.785,
  plateauV: 0.62,
  overpotentialV: 0.008,
  overpotentialSlopeVPerMACm2: 0.04,
  restS: 300,
  logIntervalS: 10,
  noiseV: 0.0004,
  seed: 8,
});

/** Critical-current-density staircase (the study's Fig. S4): j raised step by step until a soft short. */
export function ccdScenario(overrides: Partial<CcdScenarioParams> = {}): Dataset {
  const p: CcdScenarioParams = { ...DEFAULT_CCD_SCENARIO, ...overrides };
  const rng = createSeededRandom(p.seed);
  const b = new TraceBuilder(rng, p.logIntervalS, p.noiseV);
  const samples = Math.ceil(p.halfCycleS / p.logIntervalS - 1e-9) + 1;
  let n = 0;
  b.add({ stepType: 'rest', currentMA: 0, durationS: p.restS, cycle: 0, voltageAt: () => 0.95 });
  for (const j of p.stepsMACm2) {
    const currentMA = j * p.areaCm2;
    const eta = p.overpotentialV + p.overpotentialSlopeVPerMACm2 * j;
    const isShorted = j >= p.shortAtMACm2 - 1e-12;
    for (let c = 0; c < p.cyclesPerStep; c++) {
      n++;
      const drops = () => (isShorted ? dropPositions(rng, samples, Math.max(4, Math.ceil(samples * 0.03))) : undefined);
      b.add({
        stepType: 'cc_discharge',
        currentMA: -currentMA,
        durationS: p.halfCycleS,
        cycle: n,
        voltageAt: () => p.plateauV - eta,
        dropSamples: drops(),
        dropV: 0.05,
      });
      b.add({ stepType: 'rest', currentMA: 0, durationS: p.restS, cycle: n, voltageAt: () => p.plateauV - 0.002 });
      b.add({
        stepType: 'cc_charge',
        currentMA,
        durationS: p.halfCycleS,
        cycle: n,
        voltageAt: () => p.plateauV + eta,
        dropSamples: drops(),
        dropV: 0.05,
      });
      b.add({ stepType: 'rest', currentMA: 0, durationS: p.restS, cycle: n, voltageAt: () => p.plateauV + 0.002 });
    }
  }
  return b.finish(p.name);
}

export interface FullCellScenarioParams {
  name: string;
  cycles: number;
  /** Charge capacity of cycle 1, mAh; cycle n charges Q1 · (1 − fade)^(n−1). */
  firstChargeMAh: number;
  fadePerCycle: number;
  /** CE of cycle 1 (first-cycle loss) and of later cycles. */
  firstCe: number;
  ce: number;
  currentMA: number;
  activeMassG: number;
  restS: number;
  logIntervalS: number;
  noiseV: number;
  seed: number;
}

export const DEFAULT_FULL_CELL_SCENARIO: Readonly<FullCellScenarioParams> = Object.freeze({
  name: 'full-cell-lco-in',
  cycles: 20,
  firstChargeMAh: 1.4,
  fadePerCycle: 0.005,
  firstCe: 0.85,
  ce: 0.995,
  currentMA: 0.7,
  activeMassG: 0.01,
  restS: 600,
  logIntervalS: 60,
  noiseV: 0.0004,
  seed: 3,
});

/** Charge capacity of cycle n of the full-cell scenario, mAh (the analytic answer). */
export function fullCellChargeMAh(p: FullCellScenarioParams, n: number): number {
  return p.firstChargeMAh * Math.pow(1 - p.fadePerCycle, n - 1);
}

/** Discharge capacity of cycle n of the full-cell scenario, mAh. */
export function fullCellDischargeMAh(p: FullCellScenarioParams, n: number): number {
  return fullCellChargeMAh(p, n) * (n === 1 ? p.firstCe : p.ce);
}

/**
 * LCO | SE | In full cell: charge (positive current) rising 3.1 → 3.6 V (LCO vs LiIn), discharge 3.5 → 2.9 V,
 * both time-limited to their capacities so Q = I · t exactly.
 */
export function fullCellScenario(overrides: Partial<FullCellScenarioParams> = {}): Dataset {
  const p: FullCellScenarioParams = { ...DEFAULT_FULL_CELL_SCENARIO, ...overrides };
  const b = new TraceBuilder(createSeededRandom(p.seed), p.logIntervalS, p.noiseV);
  b.add({ stepType: 'rest', currentMA: 0, durationS: p.restS, cycle: 1, voltageAt: () => 2.6 });
  for (let n = 1; n <= p.cycles; n++) {
    const chargeS = (fullCellChargeMAh(p, n) / p.currentMA) * 3600;
    const dischargeS = (fullCellDischargeMAh(p, n) / p.currentMA) * 3600;
    b.add({ stepType: 'cc_charge', currentMA: p.currentMA, durationS: chargeS, cycle: n, voltageAt: (s) => 3.1 + (0.5 * s) / chargeS });
    b.add({ stepType: 'rest', currentMA: 0, durationS: p.restS, cycle: n, voltageAt: () => 3.45 });
    b.add({
      stepType: 'cc_discharge',
      currentMA: -p.currentMA,
      durationS: dischargeS,
      cycle: n,
      voltageAt: (s) => 3.5 - (0.6 * s) / dischargeS,
    });
    b.add({ stepType: 'rest', currentMA: 0, durationS: p.restS, cycle: n, voltageAt: () => 3.0 });
  }
  return b.finish(p.name);
}
