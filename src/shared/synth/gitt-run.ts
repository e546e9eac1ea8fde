/**
 * Synthetic GITT run on a Li | Li6PS5Cl | In cell (In = working electrode), built FROM a known D per pulse
 * so that the Weppner–Huggins analysis (src/shared/analysis/gitt.ts) must return it.
 *
 * Model, per pulse k of current I (sign s = sign(I); lithiation s = −1), duration τ_k, from the relaxed
 * voltage E_k (end of the rest before):
 * - equilibrium curve E(x), x = lithiated capacity / capacity of one full run: three Li–In plateaus at
 *   0.62, 0.29 and 0.01 V (DOMAIN.md) with a small tilt (PLATEAU_TILT_V per unit x, so each plateau pulse
 *   still moves the relaxed voltage by a few mV), joined by logistic steps; pristine In starts at 0.9 V.
 * - ΔE_s = |E(x_after) − E(x_before)|; D_k = D(x at the pulse's middle): 1e-10 cm²/s on the plateaus,
 *   log-Gaussian peaks to ≈ 3e-7 cm²/s at the phase transitions (the study's Fig. 5a).
 * - during the pulse (semi-infinite diffusion): V(t) = E_k + I·R + s·κ·√t, with κ = ΔE_t / √τ and
 *   ΔE_t = ΔE_s · 2L / √(π τ D_k), i.e. D = 4/(πτ)·L²·(ΔE_s/ΔE_t)² (Weppner & Huggins 1977) exactly;
 *   L = n_m V_m / S is the electrode thickness.
 * - during the rest: the IR drop vanishes at once and V relaxes exponentially to E_{k+1}, time constant
 *   restS / RELAXATION_TIME_CONSTANTS (so the residual at the end of the rest is e^−12 ≈ 6e-6 of it).
 * - the last pulse of each run lasts lastPulseFraction·τ: it stops at the voltage limit it reaches then
 *   (reported as cutoffV), like a pulse cut by the instrument's limit.
 * - Gaussian noise (noiseV) on every voltage sample.
 * The capacity axis is not tied to L: this is a fixture for the analysis, not a thermodynamic model.
 */
import type { Dataset } from '../model/dataset';
import { STEP_TYPE_CODE } from '../model/step-type';
import { IN_DENSITY_G_CM3, IN_MOLAR_MASS_G_MOL } from '../analysis/gitt';
import { LI_IN_PLATEAUS } from '../analysis/gitt-plateaus';
import { createSeededRandom } from './seeded-random';

export type GittDirection = 'lithiation' | 'delithiation';

export interface GittRunParams {
  /** Pulse duration τ, s (the study: 10 min or 1 h). */
  pulseS: number;
  restS: number;
  /** The first, long rest at open circuit, s. */
  initialRestS: number;
  /** Pulse current density |j|, mA/cm². */
  currentDensityMACm2: number;
  /** Contact area S, cm². */
  areaCm2: number;
  /** Electrode thickness L = n_m V_m / S, cm. */
  thicknessCm: number;
  /** Pulses per run, the last one included. */
  pulsesPerRun: number;
  /** Runs in order; lithiation runs from x = 0 to 1, delithiation back. */
  directions: GittDirection[];
  /** The last pulse of a run lasts this fraction of pulseS (cut by the voltage limit). */
  lastPulseFraction: number;
  /** Ohmic resistance, Ω: IR step = I·R. */
  resistanceOhm: number;
  /** Sampling interval in pulses and in rests, s (a sample is always written at each end). */
  pulseLogIntervalS: number;
  restLogIntervalS: number;
  noiseV: number;
  seed: number;
}

export const DEFAULT_GITT_RUN: Readonly<GittRunParams> = Object.freeze({
  pulseS: 600,
  restS: 1800,
  initialRestS: 6 * 3600,
  currentDensityMACm2: 0.1,
  areaCm2: 0.785,
  thicknessCm: 20e-4,
  pulsesPerRun: 40,
  directions: ['lithiation', 'delithiation'] as GittDirection[],
  lastPulseFraction: 0.67,
  resistanceOhm: 100,
  pulseLogIntervalS: 2,
  restLogIntervalS: 10,
  noiseV: 5e-6,
  seed: 20260305,
});

/** The study's 1-h pulse protocol (Fig. 5a) with the same rests. */
export const GITT_RUN_1H: Readonly<Partial<GittRunParams>> = Object.freeze({ pulseS: 3600, restS: 3600, pulseLogIntervalS: 10 });

/** Delay between the last rest sample and the first pulse sample, s (an instrument's step change). */
export const PULSE_START_DELAY_S = 1e-3;
/** Rest duration / relaxation time constant. */
export const RELAXATION_TIME_CONSTANTS = 12;
/** Tilt of each plateau, V per unit x (x = fraction of a full run). */
export const PLATEAU_TILT_V = 0.1;
/** Open-circuit voltage of pristine In vs Li, V. */
export const PRISTINE_IN_V = 0.9;
/** D on the plateaus and at the peak of a phase transition, cm²/s (the study: ≈1e-10, > 1e-7). */
export const PLATEAU_D_CM2_S = 1e-10;
export const TRANSITION_PEAK_D_CM2_S = 3e-7;

/** Plateau boundaries in x: pristine → In/LiIn → LiIn/Li5In4 → Li5In4/Li3In2. */
const BOUNDARIES_X = [0.03, 0.5, 0.75] as const;
const STEP_WIDTH_X = 0.008;
const D_PEAK_WIDTH_X = 0.015;

export interface GittTruthPulse {
  /** 1-based, in time order. */
  readonly index: number;
  readonly run: number;
  readonly direction: GittDirection;
  readonly startS: number;
  readonly tauS: number;
  readonly currentMA: number;
  readonly dCm2S: number;
  readonly dEsV: number;
  readonly dEtV: number;
  readonly irStepV: number;
  /** Equilibrium voltage after the pulse (noise-free), V. */
  readonly relaxedVoltageV: number;
  /** Capacity of the run so far, mAh/cm². */
  readonly arealCapacityMAhCm2: number;
  /** Voltage at which the pulse ended (noise-free), V. */
  readonly endVoltageV: number;
}

export interface GittRun {
  readonly dataset: Dataset;
  readonly truth: {
    readonly pulses: GittTruthPulse[];
    readonly params: GittRunParams;
    readonly activeMaterialMol: number;
    readonly molarVolumeCm3Mol: number;
    /** Voltage limits that ended each run's last pulse, V. */
    readonly cutoffV: number[];
  };
}

/** Equilibrium (relaxed) voltage vs Li at lithiation fraction x, V. */
export function liInEquilibriumV(x: number): number {
  const levels = [PRISTINE_IN_V, ...LI_IN_PLATEAUS.map((p) => p.voltageV)];
  // Plateaus take their nominal voltage mid-way; the last one at x = 0.95 so that it stays above 0 V
  // (below 0 V Li would plate on the electrode instead of alloying).
  const centres = [0, (BOUNDARIES_X[0] + BOUNDARIES_X[1]) / 2, (BOUNDARIES_X[1] + BOUNDARIES_X[2]) / 2, 0.95];
  // Partition of unity from logistic steps: weights 1−c1, c1−c2, c2−c3, c3 are ≥ 0 and sum to 1.
  const c = BOUNDARIES_X.map((b) => logistic((x - b) / STEP_WIDTH_X));
  const w = [1 - c[0], c[0] - c[1], c[1] - c[2], c[2]];
  let e = 0;
  for (let k = 0; k < 4; k++) e += w[k] * (levels[k] - PLATEAU_TILT_V * (x - centres[k]));
  return e;
}

/** Chemical diffusion coefficient at lithiation fraction x, cm²/s. */
export function liInDiffusionCm2S(x: number): number {
  let bump = 0;
  for (const b of BOUNDARIES_X) bump += Math.exp(-(((x - b) / D_PEAK_WIDTH_X) ** 2));
  return PLATEAU_D_CM2_S * (TRANSITION_PEAK_D_CM2_S / PLATEAU_D_CM2_S) ** Math.min(1, bump);
}

export function generateGittRun(overrides: Partial<GittRunParams> = {}): GittRun {
  const p: GittRunParams = { ...DEFAULT_GITT_RUN, directions: [...DEFAULT_GITT_RUN.directions], ...overrides };
  const rng = createSeededRandom(p.seed);
  const currentMA = p.currentDensityMACm2 * p.areaCm2;
  const molarVolume = IN_MOLAR_MASS_G_MOL / IN_DENSITY_G_CM3;
  const activeMaterialMol = (p.thicknessCm * p.areaCm2) / molarVolume;
  const L = p.thicknessCm;
  const runPulseEquivalents = p.pulsesPerRun - 1 + p.lastPulseFraction;
  const dxPerSecond = 1 / (runPulseEquivalents * p.pulseS);

  const time: number[] = [];
  const voltage: number[] = [];
  const current: number[] = [];
  const capacity: number[] = [];
  const step: number[] = [];
  const stepType: number[] = [];
  const push = (t: number, v: number, i: number, q: number, s: number, type: number): void => {
    time.push(t);
    voltage.push(v + (p.noiseV > 0 ? p.noiseV * rng.normal() : 0));
    current.push(i);
    capacity.push(q);
    step.push(s);
    stepType.push(type);
  };
  /** Sample times of a segment of duration d: 0 (optional), every dt, and d itself. */
  const sampleTimes = (d: number, dt: number, includeZero: boolean): number[] => {
    const out: number[] = includeZero ? [0] : [];
    for (let k = 1; k * dt < d - 1e-9; k++) out.push(k * dt);
    out.push(d);
    return out;
  };

  let x = p.directions[0] === 'delithiation' ? 1 : 0;
  let e = liInEquilibriumV(x);
  let t = 0;
  for (const s of sampleTimes(p.initialRestS, p.restLogIntervalS, true)) push(s, e, 0, 0, 1, STEP_TYPE_CODE.rest);
  t = p.initialRestS;

  const pulses: GittTruthPulse[] = [];
  const cutoffV: number[] = [];
  let index = 0;
  p.directions.forEach((direction, r) => {
    const sign = direction === 'lithiation' ? -1 : 1;
    const pulseStep = 2 + 2 * r;
    const pulseType = sign < 0 ? STEP_TYPE_CODE.cc_discharge : STEP_TYPE_CODE.cc_charge;
    const signedI = sign * currentMA;
    let runCapacity = 0;
    for (let k = 0; k < p.pulsesPerRun; k++) {
      const isLast = k === p.pulsesPerRun - 1;
      const tau = isLast ? p.lastPulseFraction * p.pulseS : p.pulseS;
      const dx = -sign * tau * dxPerSecond;
      const xAfter = x + dx;
      const eAfter = liInEquilibriumV(xAfter);
      const D = liInDiffusionCm2S(x + dx / 2);
      const dEs = Math.abs(eAfter - e);
      const dEt = (dEs * 2 * L) / Math.sqrt(Math.PI * tau * D);
      const kappa = dEt / Math.sqrt(tau);
      // Sign of the transient: lithiation lowers the voltage (s = −1), delithiation raises it.
      const ir = (signedI / 1000) * p.resistanceOhm;
      const start = t + PULSE_START_DELAY_S;
      const vAt = (dt: number): number => e + ir + sign * kappa * Math.sqrt(dt);
      for (const dt of sampleTimes(tau, p.pulseLogIntervalS, true)) {
        push(start + dt, vAt(dt), signedI, (currentMA * dt) / 3600, pulseStep, pulseType);
      }
      const endV = vAt(tau);
      runCapacity += (currentMA * tau) / 3600 / p.areaCm2;
      index++;
      pulses.push({
        index,
        run: r + 1,
        direction,
        startS: start,
        tauS: tau,
        currentMA: signedI,
        dCm2S: D,
        dEsV: dEs,
        dEtV: dEt,
        irStepV: ir,
        relaxedVoltageV: eAfter,
        arealCapacityMAhCm2: runCapacity,
        endVoltageV: endV,
      });
      if (isLast) cutoffV.push(endV);
      // Relaxation: the IR drop vanishes, then an exponential decay to the new equilibrium.
      const restStart = start + tau;
      const amplitude = endV - ir - eAfter;
      const tr = p.restS / RELAXATION_TIME_CONSTANTS;
      for (const dt of sampleTimes(p.restS, p.restLogIntervalS, false)) {
        push(restStart + dt, eAfter + amplitude * Math.exp(-dt / tr), 0, 0, pulseStep + 1, STEP_TYPE_CODE.rest);
      }
      t = restStart + p.restS;
      x = xAfter;
      e = eAfter;
    }
  });

  const n = time.length;
  const dataset: Dataset = {
    meta: {
      name: `Synthetic GITT (Li | LPSC | In, ${p.pulseS / 60} min pulses)`,
      source: { fileName: 'synthetic-gitt-run', sizeBytes: 0, sha256: '' },
      format: 'synthetic-gitt',
      instrument: 'Interphase GITT generator (synthetic data)',
      encoding: 'none',
      sourceColumns: [],
      warnings: [],
    },
    rowCount: n,
    columns: {
      timeS: Float64Array.from(time),
      voltageV: Float32Array.from(voltage),
      currentMA: Float32Array.from(current),
      capacityMAh: Float32Array.from(capacity),
      step: Int32Array.from(step),
      stepType: Uint8Array.from(stepType),
      cycle: new Int32Array(n).fill(1),
    },
  };
  return { dataset, truth: { pulses, params: p, activeMaterialMol, molarVolumeCm3Mol: molarVolume, cutoffV } };
}

function logistic(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
