/**
 * Synthetic Li | Li6PS5Cl | In asymmetric cell cycled galvanostatically, as a NEWARE tester records it.
 * The In electrode is the working electrode (DOMAIN.md): plating = lithiation of In at negative current
 * on the In/LiIn plateau near 0.62 V vs Li; stripping = delithiation at positive current until the time
 * limit or the 1.5 V cut-off.
 *
 * Model (per half-cycle, t from its start):
 * - plating:   V = E_plateau − η_plate − η_nuc · exp(−t / τ_nuc)      (nucleation dip at the start)
 * - stripping: V = E_plateau + η_strip, until the reversible charge (CE × plated) is used, then
 *              V rises as E + η + (t − t_rev) · RISE_V_PER_S and the 1.5 V cut-off ends the step at
 *              exactly CE × the plating time.
 * - the polarization (η) grows by `gapGrowthMVPerCycle` per cycle; Gaussian noise on V.
 * Records every `logIntervalS` and at each step end, so capacities integrate exactly:
 * Q = |I| · t (constant current), e.g. 0.0785 mA for 7200 s = 0.157 mAh = 0.2 mAh/cm² on 0.785 cm².
 */
import { createSeededRandom } from './seeded-random';

export interface AsymmetricCellParams {
  /** Current density j, mA/cm². */
  currentDensityMACm2: number;
  /** Areal capacity plated per cycle q, mAh/cm². */
  arealCapacityMAhCm2: number;
  /** Electrode area A, cm² (DOMAIN.md default: 10 mm disc). */
  areaCm2: number;
  cycles: number;
  /** Stripped / plated charge per cycle (CE). */
  coulombicEfficiency: number;
  /** Voltage of the In/LiIn two-phase plateau vs Li, V. */
  plateauV: number;
  /** Plating and stripping overpotentials in cycle 1, V. */
  overpotentialV: number;
  /** Extra dip at the start of plating, V, and its time constant, s. */
  nucleationV: number;
  nucleationTauS: number;
  gapGrowthMVPerCycle: number;
  restS: number;
  /** Initial rest at open circuit, s, and its voltage, V. */
  initialRestS: number;
  ocvV: number;
  logIntervalS: number;
  cutoffV: number;
  noiseV: number;
  seed: number;
}

export const DEFAULT_ASYMMETRIC_CELL: Readonly<AsymmetricCellParams> = {
  currentDensityMACm2: 0.1,
  arealCapacityMAhCm2: 0.2,
  areaCm2: 0.785,
  cycles: 20,
  coulombicEfficiency: 0.975,
  plateauV: 0.62,
  overpotentialV: 0.012,
  nucleationV: 0.025,
  nucleationTauS: 180,
  gapGrowthMVPerCycle: 0.3,
  restS: 600,
  initialRestS: 3600,
  ocvV: 0.95,
  logIntervalS: 60,
  cutoffV: 1.5,
  noiseV: 0.0004,
  seed: 20260302,
};

/** Voltage rise after the reversible Li is used up, V/s (reaches 1.5 V within a few minutes). */
const RISE_V_PER_S = 0.02;

export type SynthStepLabel = 'Rest' | 'CC Chg' | 'CC DChg';

/** One record as an instrument logs it; capacity is the step's magnitude so far (mAh). */
export interface SynthRecord {
  totalTimeS: number;
  stepTimeS: number;
  voltageV: number;
  currentMA: number;
  capacityMAh: number;
  cycle: number;
  stepIndex: number;
  stepLabel: SynthStepLabel;
}

export function generateAsymmetricCell(overrides: Partial<AsymmetricCellParams> = {}): SynthRecord[] {
  const p: AsymmetricCellParams = { ...DEFAULT_ASYMMETRIC_CELL, ...overrides };
  const rng = createSeededRandom(p.seed);
  const currentMA = p.currentDensityMACm2 * p.areaCm2;
  const halfCycleS = (p.arealCapacityMAhCm2 / p.currentDensityMACm2) * 3600;
  const records: SynthRecord[] = [];
  let t = 0;

  const runStep = (
    cycle: number,
    stepIndex: number,
    stepLabel: SynthStepLabel,
    signedCurrentMA: number,
    durationS: number,
    voltageAt: (stepTimeS: number) => number,
    stopAtV?: number,
  ): void => {
    const times: number[] = [];
    for (let s = 0; s < durationS; s += p.logIntervalS) times.push(s);
    times.push(durationS);
    for (const s of times) {
      let v = voltageAt(s);
      let stepTime = s;
      if (stopAtV !== undefined && v >= stopAtV) {
        // The cut-off ends the step at the exact crossing time.
        stepTime = findCrossing(voltageAt, stopAtV, Math.max(0, s - p.logIntervalS), s);
        v = stopAtV;
      } else v += p.noiseV * rng.normal();
      records.push({
        totalTimeS: t + stepTime,
        stepTimeS: stepTime,
        voltageV: v,
        currentMA: signedCurrentMA,
        capacityMAh: (Math.abs(signedCurrentMA) * stepTime) / 3600,
        cycle,
        stepIndex,
        stepLabel,
      });
      if (stepTime < s || (stopAtV !== undefined && v >= stopAtV)) {
        t += stepTime;
        return;
      }
    }
    t += durationS;
  };

  let restV = p.ocvV;
  runStep(1, 1, 'Rest', 0, p.initialRestS, () => restV);
  for (let n = 1; n <= p.cycles; n++) {
    const growth = (n - 1) * p.gapGrowthMVPerCycle * 1e-3;
    const eta = p.overpotentialV + growth / 2;
    runStep(n, 2, 'CC DChg', -currentMA, halfCycleS, (s) => p.plateauV - eta - p.nucleationV * Math.exp(-s / p.nucleationTauS));
    restV = p.plateauV - 0.002;
    runStep(n, 3, 'Rest', 0, p.restS, () => restV);
    // Chosen so the cut-off is crossed exactly at CE × the plating time: stripped/plated = CE.
    const reversibleS = halfCycleS * p.coulombicEfficiency - (p.cutoffV - (p.plateauV + eta)) / RISE_V_PER_S;
    runStep(
      n,
      4,
      'CC Chg',
      currentMA,
      halfCycleS,
      (s) => p.plateauV + eta + (s > reversibleS ? (s - reversibleS) * RISE_V_PER_S : 0),
      p.cutoffV,
    );
    restV = p.plateauV + 0.004;
    runStep(n, 5, 'Rest', 0, p.restS, () => restV);
  }
  return records;
}

function findCrossing(f: (s: number) => number, level: number, lo: number, hi: number): number {
  let a = lo;
  let b = hi;
  for (let k = 0; k < 60; k++) {
    const mid = (a + b) / 2;
    if (f(mid) >= level) b = mid;
    else a = mid;
  }
  return b;
}
