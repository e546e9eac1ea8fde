/**
 * GITT (galvanostatic intermittent titration) analysis: chemical diffusion coefficient per pulse.
 *
 * Pipeline: validate parameters -> classify rows (rest | + pulse | − pulse) -> segments -> pulses with
 * their rests -> per pulse τ, IR step, ΔE_t (√t fit or end point), ΔE_s, D, capacity, flags -> runs of
 * one direction -> plateau annotation of the relaxed-voltage curve.
 *
 * Formula (DOMAIN.md 'GITT'): W. Weppner, R. A. Huggins, J. Electrochem. Soc. 124 (1977) 1569–1578,
 * valid for τ ≪ L²/D:
 *   D = 4 / (π τ) · (n_m V_m / S)² · (ΔE_s / ΔE_t)²      [cm²/s]
 * n_m active material (mol), V_m molar volume (cm³/mol), S contact area (cm²), τ pulse duration (s),
 * ΔE_s change of the relaxed (open-circuit) voltage over the pulse, ΔE_t transient voltage change during
 * the pulse without the IR step. L = n_m V_m / S is the diffusion length (electrode thickness); the
 * formula holds for τ ≪ L²/D, pulses with τ > 0.1 L²/D are flagged.
 *
 * Definitions used (DOMAIN.md 'GITT'; the named defaults below are recorded in `parameters`):
 * - pulse = a run of rows with |I| above the rest threshold and one sign (split where the step counter
 *   changes); relaxation = the rest rows after it. The step-type column is not consulted: the current
 *   is what the instrument measured, while step labels differ between vendors.
 * - τ = time of the last pulse sample − time of the first (instruments log the step start within a
 *   few ms; a logger that writes its first sample one interval late shortens τ by that interval).
 * - IR step = V(first pulse sample) − V(last sample of the rest before).
 * - ΔE_t (default) = |slope| · √τ of the least-squares line V = a + b √(t − t0) over the pulse samples
 *   with t − t0 ≥ sqrtFitStartFraction · τ; option 'end-point': |V(last) − V(first)|.
 * - ΔE_s = |V(last sample of the rest after) − V(last sample of the rest before)|: single samples, not
 *   averages, so the relaxed voltages equal what the instrument logged (cellpy's `potential_last`).
 * - capacity: ∫|I| dt by trapezoids over the pulse samples, accumulated per run (consecutive pulses of
 *   one sign, as an instrument accumulates charge and discharge capacity) and over the whole file.
 *
 * Sign convention (DOMAIN.md): current > 0 is charge = oxidation of the working electrode (delithiation
 * of In in a Li | SE | In cell); current < 0 is discharge = lithiation (plating Li into In). Voltages are
 * reported as measured; ΔE_s and ΔE_t are magnitudes.
 */
import { pulsesTable, tableToCsv } from '../export/tables';
import type { Dataset } from '../model/dataset';
import type { AbortSignalLike } from '../formats/import-dataset';
import { findPlateaus, LI_IN_PLATEAUS, type KnownPlateau, type PlateauRegion } from './gitt-plateaus';

/** Molar mass of In, g/mol (IUPAC standard atomic weight 114.818). */
export const IN_MOLAR_MASS_G_MOL = 114.82;
/** Density of In, g/cm³. With the molar mass: V_m = 15.7 cm³/mol (DOMAIN.md). */
export const IN_DENSITY_G_CM3 = 7.31;
/** DOMAIN.md's default electrode area: a 10 mm disc, cm². */
export const DEFAULT_GITT_AREA_CM2 = 0.785;
/**
 * A row is at rest when |I| ≤ this fraction of the largest |I| of the file (unless an absolute
 * threshold is given). Relative so that µA and A-scale cells both work; 1 % sits far above an
 * instrument's zero offset (Arbin logs −3.5e-4 mA during its IR step at 0.725 mA pulses: 0.05 %).
 */
export const DEFAULT_REST_CURRENT_FRACTION = 0.01;
/** Active segments shorter than this are not pulses (current blips, IR probes); they count as rest, s. */
export const DEFAULT_MIN_PULSE_S = 1;
/**
 * The √t fit uses the samples at t ≥ this fraction of τ (t from the first pulse sample). This drops
 * the IR step (the first sample) and the double-layer / charge-transfer transient that follows it:
 * in the real Arbin GITT run that transient lasts ~1–2 s of a 180-s pulse, so 10 % leaves a 10× margin
 * while keeping 90 % of the pulse in the fit.
 */
export const DEFAULT_SQRT_FIT_START_FRACTION = 0.1;
/** Pulses whose √t fit has R² below this are flagged 'sqrt-fit-r2'. */
export const DEFAULT_SQRT_FIT_MIN_R2 = 0.99;
/**
 * The end-of-rest slope dV/dt is a least-squares line over the last this-many seconds of the rest
 * (at least the last 3 samples). 60 s spans 6 samples at a 10-s log interval, enough to average the
 * 0.3 mV resolution of a 16-bit 10-V channel to a slope error near 2e-6 V/s.
 */
export const DEFAULT_RELAXATION_WINDOW_S = 60;
/**
 * |dV/dt| at the end of the rest above this flags 'relaxation-not-finished', V/s. 1e-5 V/s = 9 mV over a
 * 900-s rest, comparable with a ΔE_s on a sloping region: the relaxed voltage would still be moving.
 */
export const DEFAULT_RELAXATION_MAX_SLOPE_V_PER_S = 1e-5;
/** 'tau-not-small' when τ > this × L²/D (Weppner–Huggins assume τ ≪ L²/D; DOMAIN.md). */
export const DEFAULT_TAU_VALIDITY_FACTOR = 0.1;
/** 'short-pulse' when τ < this × the median τ of the pulse's run (the pulse cut by a voltage limit). */
export const DEFAULT_SHORT_PULSE_FRACTION = 0.9;

export type DeltaEtMethod = 'sqrt-fit' | 'end-point';

export type GittFlag =
  /** R² of the √t fit < minSqrtFitR2. */
  | 'sqrt-fit-r2'
  /** Fewer than 3 samples at t ≥ sqrtFitStartFraction·τ: ΔE_t taken by the end-point method. */
  | 'sqrt-fit-few-points'
  /** |dV/dt| at the end of the rest after the pulse > maxRelaxationSlopeVPerS. */
  | 'relaxation-not-finished'
  /** τ > tauValidityFactor · L²/D. */
  | 'tau-not-small'
  /** The pulse is followed directly by another pulse or by the end of the data: no ΔE_s, no D. */
  | 'no-rest-after'
  /** The pulse starts without a rest before it: no IR step, no ΔE_s, no D. */
  | 'no-rest-before'
  /** τ < shortPulseFraction × median τ of its run (typically the last pulse, cut by a voltage limit). */
  | 'short-pulse'
  /** ΔE_t = 0: D undefined. */
  | 'zero-dEt';

export interface GittParams {
  /** Contact area S, cm² (default {@link DEFAULT_GITT_AREA_CM2}). */
  readonly areaCm2?: number;
  /** n_m, mol. Give this, or activeMassG (n_m = mass / molar mass). */
  readonly activeMaterialMol?: number;
  /** Mass of active material, g. */
  readonly activeMassG?: number;
  /** Molar mass, g/mol (default In, {@link IN_MOLAR_MASS_G_MOL}). */
  readonly molarMassGMol?: number;
  /** V_m, cm³/mol; default molar mass / density. */
  readonly molarVolumeCm3Mol?: number;
  /** Density, g/cm³ (default In, {@link IN_DENSITY_G_CM3}); used when molarVolumeCm3Mol is absent. */
  readonly densityGCm3?: number;
  /** Absolute rest threshold on |I|, mA; default {@link DEFAULT_REST_CURRENT_FRACTION} × max |I|. */
  readonly restCurrentThresholdMA?: number;
  readonly restCurrentFraction?: number;
  readonly minPulseS?: number;
  readonly deltaEtMethod?: DeltaEtMethod;
  readonly sqrtFitStartFraction?: number;
  readonly minSqrtFitR2?: number;
  readonly relaxationWindowS?: number;
  readonly maxRelaxationSlopeVPerS?: number;
  readonly tauValidityFactor?: number;
  readonly shortPulseFraction?: number;
  /** Known plateaus for the annotation (default {@link LI_IN_PLATEAUS}). */
  readonly knownPlateaus?: readonly KnownPlateau[];
}

/** Every value the analysis used (recorded with the result). */
export interface GittParameters {
  readonly areaCm2: number;
  readonly activeMaterialMol: number;
  readonly activeMaterialSource: 'given' | 'from-mass';
  readonly activeMassG: number | null;
  readonly molarMassGMol: number | null;
  readonly molarVolumeCm3Mol: number;
  readonly molarVolumeSource: 'given' | 'from-density';
  readonly densityGCm3: number | null;
  /** L = n_m V_m / S, cm. */
  readonly diffusionLengthCm: number;
  readonly restCurrentThresholdMA: number;
  readonly restCurrentThresholdSource: 'given' | 'fraction-of-max';
  readonly restCurrentFraction: number;
  readonly minPulseS: number;
  readonly deltaEtMethod: DeltaEtMethod;
  readonly sqrtFitStartFraction: number;
  readonly minSqrtFitR2: number;
  readonly relaxationWindowS: number;
  readonly maxRelaxationSlopeVPerS: number;
  readonly tauValidityFactor: number;
  readonly shortPulseFraction: number;
  readonly usedStepColumn: boolean;
  readonly knownPlateaus: readonly KnownPlateau[];
}

export interface GittPulse {
  /** 1-based, in time order over the whole file. */
  readonly index: number;
  /** 1-based run: consecutive pulses of one current sign. */
  readonly run: number;
  /** 'charge' = positive current (delithiation of an In working electrode); 'discharge' = negative. */
  readonly direction: 'charge' | 'discharge';
  /** Time of the first pulse sample, s. */
  readonly start_s: number;
  /** Last pulse sample − first pulse sample, s. */
  readonly tau_s: number;
  /** Mean signed current over the pulse (charge / τ), mA. */
  readonly current_mA: number;
  /** V at the first pulse sample − V at the end of the rest before, V (signed; NaN without a rest before). */
  readonly irStep_V: number;
  readonly dEs_V: number;
  readonly dEt_V: number;
  readonly D_cm2_s: number;
  /** R² of the √t fit (NaN with the end-point method). */
  readonly sqrtFitR2: number;
  /** Cumulative |Q| / S of the run up to the end of this pulse, mAh/cm². */
  readonly arealCapacity_mAh_cm2: number;
  /** Cumulative |Q| / S over all pulses of the file up to the end of this pulse, mAh/cm². */
  readonly totalArealCapacity_mAh_cm2: number;
  /** V at the end of the rest after the pulse (NaN without one), V. */
  readonly relaxedVoltage_V: number;
  /** V at the end of the rest before the pulse (NaN without one), V. */
  readonly relaxedVoltageBefore_V: number;
  /** Duration of the rest after, s (0 when none). */
  readonly restAfter_s: number;
  /** Least-squares dV/dt over the end of the rest after, V/s (NaN when none). */
  readonly endRestSlope_V_per_s: number;
  /** Label of the known plateau whose flat region holds this pulse's relaxed voltage, else null. */
  readonly plateau: string | null;
  /** Rows: first and last pulse sample, last row of the rest after (−1 when none). */
  readonly firstRow: number;
  readonly lastRow: number;
  readonly restEndRow: number;
  readonly flags: GittFlag[];
}

export interface GittRunPlateau extends PlateauRegion {
  readonly run: number;
  /** Pulse indices (1-based) of the region's first and last points. */
  readonly firstPulse: number;
  readonly lastPulse: number;
}

export interface GittResult {
  readonly kind: 'gitt';
  readonly pulses: GittPulse[];
  readonly parameters: GittParameters;
  /** Flat regions of relaxed voltage vs arealCapacity per run, labelled with known plateaus. */
  readonly plateaus: GittRunPlateau[];
  /** Duration of the rest before the first pulse (its first to last sample), s; 0 when the file starts with a pulse. */
  readonly initialRest_s: number;
  readonly runCount: number;
}

export interface GittOptions {
  readonly signal?: AbortSignalLike;
  /** Fraction of the pulses analysed, 0..1. */
  readonly onProgress?: (fraction: number) => void;
}

export type GittErrorCode = 'invalid-parameter' | 'invalid-dataset' | 'aborted';

/** Bad parameters or data for the GITT analysis; the message starts with the dataset's name. */
export class GittError extends Error {
  override readonly name = 'GittError';

  constructor(
    readonly code: GittErrorCode,
    readonly datasetName: string,
    problem: string,
  ) {
    super(`${datasetName}: ${problem}`);
  }
}

/** A maximal run of rows of one kind: rest (sign 0) or a pulse of sign ±1. Rows inclusive. */
export interface GittSegment {
  readonly sign: -1 | 0 | 1;
  readonly firstRow: number;
  readonly lastRow: number;
}

// ---------------------------------------------------------------------------------------------------

/**
 * Runs the GITT analysis of DOMAIN.md over a dataset. Throws {@link GittError} on bad parameters (the
 * message names the parameter and its value), on columns shorter than rowCount, or when aborted.
 */
export function analyzeGitt(dataset: Dataset, params: GittParams, options: GittOptions = {}): GittResult {
  const name = dataset.meta?.name ?? 'dataset';
  checkDataset(dataset, name);
  const maxAbsCurrent = maxAbs(dataset.columns.currentMA, dataset.rowCount);
  const p = resolveParameters(params, name, maxAbsCurrent, hasVaryingSteps(dataset));
  checkAbort(options.signal, name);

  const segments = segmentGitt(dataset, p.restCurrentThresholdMA, p.minPulseS, p.usedStepColumn);
  const { timeS, voltageV, currentMA } = dataset.columns;
  const L = p.diffusionLengthCm;
  const pulseSegments = segments.map((s, k) => ({ s, k })).filter(({ s }) => s.sign !== 0);

  const pulses: MutablePulse[] = [];
  let run = 0;
  let previousSign = 0;
  let runCapacityMAh = 0;
  let totalCapacityMAh = 0;
  for (let n = 0; n < pulseSegments.length; n++) {
    if (n % 16 === 0) checkAbort(options.signal, name);
    const { s, k } = pulseSegments[n];
    if (s.sign !== previousSign) {
      run++;
      runCapacityMAh = 0;
      previousSign = s.sign;
    }
    const before = k > 0 && segments[k - 1].sign === 0 ? segments[k - 1] : undefined;
    const after = k + 1 < segments.length && segments[k + 1].sign === 0 ? segments[k + 1] : undefined;
    const flags: GittFlag[] = [];

    const first = s.firstRow;
    const last = s.lastRow;
    const t0 = timeS[first];
    const tau = timeS[last] - t0;
    const chargeMAh = integrateAbs(timeS, currentMA, first, last) / 3600;
    runCapacityMAh += chargeMAh;
    totalCapacityMAh += chargeMAh;

    const relaxedBefore = before ? voltageV[before.lastRow] : NaN;
    const relaxedAfter = after ? voltageV[after.lastRow] : NaN;
    if (!before) flags.push('no-rest-before');
    if (!after) flags.push('no-rest-after');
    const irStep = voltageV[first] - relaxedBefore;

    let dEt: number;
    let r2 = NaN;
    if (p.deltaEtMethod === 'sqrt-fit') {
      const fit = fitSqrtTime(timeS, voltageV, first, last, p.sqrtFitStartFraction * tau);
      if (fit) {
        dEt = Math.abs(fit.slope) * Math.sqrt(tau);
        r2 = fit.r2;
        if (!(r2 >= p.minSqrtFitR2)) flags.push('sqrt-fit-r2');
      } else {
        dEt = Math.abs(voltageV[last] - voltageV[first]);
        flags.push('sqrt-fit-few-points');
      }
    } else {
      dEt = Math.abs(voltageV[last] - voltageV[first]);
    }

    const dEs = Math.abs(relaxedAfter - relaxedBefore);
    let D = NaN;
    if (dEt === 0) flags.push('zero-dEt');
    else D = (4 / (Math.PI * tau)) * L * L * (dEs / dEt) ** 2;
    if (Number.isFinite(D) && D > 0 && tau > (p.tauValidityFactor * L * L) / D) flags.push('tau-not-small');

    let endSlope = NaN;
    if (after) {
      endSlope = endOfRestSlope(timeS, voltageV, after.firstRow, after.lastRow, p.relaxationWindowS);
      if (Math.abs(endSlope) > p.maxRelaxationSlopeVPerS) flags.push('relaxation-not-finished');
    }

    pulses.push({
      index: n + 1,
      run,
      direction: s.sign > 0 ? 'charge' : 'discharge',
      start_s: t0,
      tau_s: tau,
      current_mA: tau > 0 ? (s.sign * chargeMAh * 3600) / tau : NaN,
      irStep_V: irStep,
      dEs_V: dEs,
      dEt_V: dEt,
      D_cm2_s: D,
      sqrtFitR2: r2,
      arealCapacity_mAh_cm2: runCapacityMAh / p.areaCm2,
      totalArealCapacity_mAh_cm2: totalCapacityMAh / p.areaCm2,
      relaxedVoltage_V: relaxedAfter,
      relaxedVoltageBefore_V: relaxedBefore,
      restAfter_s: after ? timeS[after.lastRow] - timeS[last] : 0,
      endRestSlope_V_per_s: endSlope,
      plateau: null,
      firstRow: first,
      lastRow: last,
      restEndRow: after ? after.lastRow : -1,
      flags,
    });
    options.onProgress?.((n + 1) / pulseSegments.length);
  }

  flagShortPulses(pulses, p.shortPulseFraction);
  const plateaus = annotatePlateaus(pulses, p.knownPlateaus);
  const firstPulse = pulseSegments[0];
  const initialRest = firstPulse && firstPulse.k > 0 ? segments[firstPulse.k - 1] : undefined;
  const initialRest_s = initialRest ? timeS[initialRest.lastRow] - timeS[initialRest.firstRow] : 0;
  if (pulseSegments.length === 0) options.onProgress?.(1);
  return { kind: 'gitt', pulses, parameters: p, plateaus, initialRest_s, runCount: run };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutablePulse = Mutable<GittPulse>;

/**
 * Splits the rows into rest and pulse segments. A row rests when |I| ≤ threshold (NaN current counts
 * as rest). A pulse segment also ends where the step counter changes (when the file has one), so two
 * pulses with no rest between them stay two pulses; rests are not split by steps (an instrument's
 * zero-current IR probe step or a final rest step continue the relaxation). Active segments shorter
 * than minPulseS, or of one sample, become rest and merge with their neighbours.
 */
export function segmentGitt(dataset: Dataset, restCurrentThresholdMA: number, minPulseS: number, useSteps: boolean): GittSegment[] {
  const n = dataset.rowCount;
  const { timeS, currentMA, step } = dataset.columns;
  const raw: GittSegment[] = [];
  let startRow = 0;
  let sign = rowSign(currentMA[0], restCurrentThresholdMA);
  for (let i = 1; i <= n; i++) {
    const s = i < n ? rowSign(currentMA[i], restCurrentThresholdMA) : 2;
    const isStepBreak = i < n && useSteps && s !== 0 && s === sign && step[i] !== step[i - 1];
    if (s !== sign || isStepBreak) {
      raw.push({ sign, firstRow: startRow, lastRow: i - 1 });
      startRow = i;
      sign = s as -1 | 0 | 1;
    }
  }
  const merged: GittSegment[] = [];
  for (const seg of raw) {
    const isBlip = seg.sign !== 0 && (seg.lastRow === seg.firstRow || timeS[seg.lastRow] - timeS[seg.firstRow] < minPulseS);
    const sign = isBlip ? 0 : seg.sign;
    const prev = merged[merged.length - 1];
    if (prev && prev.sign === 0 && sign === 0) merged[merged.length - 1] = { sign: 0, firstRow: prev.firstRow, lastRow: seg.lastRow };
    else merged.push({ sign, firstRow: seg.firstRow, lastRow: seg.lastRow });
  }
  return merged;
}

/**
 * True when the dataset looks like a GITT run (for the CLI's `--kind auto`): at least 3 pulses that sit
 * between rests and follow a pulse of the same sign. Galvanostatic cycling alternates the sign of its
 * half-cycles, so it scores 0; a CC–CV charge has no rest between its parts.
 */
export function looksLikeGitt(dataset: Dataset): boolean {
  if (!(dataset.rowCount >= 2) || !dataset.columns?.currentMA || !dataset.columns.timeS) return false;
  const n = dataset.rowCount;
  const { currentMA, timeS, step } = dataset.columns;
  if (currentMA.length < n || timeS.length < n || !step || step.length < n) return false;
  const maxAbsCurrent = maxAbs(currentMA, n);
  if (!(maxAbsCurrent > 0)) return false;
  const segments = segmentGitt(dataset, DEFAULT_REST_CURRENT_FRACTION * maxAbsCurrent, DEFAULT_MIN_PULSE_S, hasVaryingSteps(dataset));
  let pulses = 0;
  let titrationPulses = 0;
  let previousSign = 0;
  for (let k = 0; k < segments.length; k++) {
    const s = segments[k];
    if (s.sign === 0) continue;
    pulses++;
    const isBetweenRests = k > 0 && segments[k - 1].sign === 0 && k + 1 < segments.length && segments[k + 1].sign === 0;
    if (isBetweenRests && s.sign === previousSign) titrationPulses++;
    previousSign = s.sign;
  }
  return titrationPulses >= 3 && titrationPulses * 2 >= pulses;
}

/**
 * The pulses as CSV: the export table (src/shared/export/tables.ts) with the field names (units in the
 * names) as header; NaN written as empty, flags joined by ';'.
 */
export function pulsesToCsv(result: GittResult): string {
  return tableToCsv(pulsesTable(result), { header: 'key' });
}

/**
 * Least-squares line V = a + b·√(t − t0) over the pulse rows with t − t0 ≥ fitFromS; null when fewer
 * than 3 rows qualify or √t does not vary.
 */
export function fitSqrtTime(
  timeS: ArrayLike<number>,
  voltageV: ArrayLike<number>,
  first: number,
  last: number,
  fitFromS: number,
): { intercept: number; slope: number; r2: number; points: number } | null {
  const t0 = timeS[first];
  let count = 0;
  let sx = 0;
  let sy = 0;
  for (let i = first; i <= last; i++) {
    const dt = timeS[i] - t0;
    const v = voltageV[i];
    if (!(dt >= fitFromS) || !Number.isFinite(v)) continue;
    count++;
    sx += Math.sqrt(dt);
    sy += v;
  }
  if (count < 3) return null;
  const mx = sx / count;
  const my = sy / count;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = first; i <= last; i++) {
    const dt = timeS[i] - t0;
    const v = voltageV[i];
    if (!(dt >= fitFromS) || !Number.isFinite(v)) continue;
    const x = Math.sqrt(dt) - mx;
    const y = v - my;
    sxx += x * x;
    sxy += x * y;
    syy += y * y;
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  // A perfectly flat transient (syy = 0) is fitted perfectly.
  const r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1;
  return { intercept: my - slope * mx, slope, r2, points: count };
}

// ---------------------------------------------------------------------------------------------------

function resolveParameters(params: GittParams, name: string, maxAbsCurrentMA: number, usedStepColumn: boolean): GittParameters {
  const bad = (problem: string): never => {
    throw new GittError('invalid-parameter', name, problem);
  };
  const positive = (key: string, value: number | undefined): void => {
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      bad(`GITT parameter ${key} must be a finite number > 0, got ${String(value)}.`);
    }
  };
  const fraction = (key: string, value: number | undefined, allowZero: boolean): void => {
    if (value === undefined) return;
    const ok = typeof value === 'number' && Number.isFinite(value) && value < 1 && (allowZero ? value >= 0 : value > 0);
    if (!ok) bad(`GITT parameter ${key} must be a number in ${allowZero ? '[0, 1)' : '(0, 1)'}, got ${String(value)}.`);
  };
  if (params === null || typeof params !== 'object') bad(`GITT parameters must be an object, got ${String(params)}.`);
  positive('areaCm2', params.areaCm2);
  positive('activeMaterialMol', params.activeMaterialMol);
  positive('activeMassG', params.activeMassG);
  positive('molarMassGMol', params.molarMassGMol);
  positive('molarVolumeCm3Mol', params.molarVolumeCm3Mol);
  positive('densityGCm3', params.densityGCm3);
  positive('restCurrentThresholdMA', params.restCurrentThresholdMA);
  positive('relaxationWindowS', params.relaxationWindowS);
  positive('maxRelaxationSlopeVPerS', params.maxRelaxationSlopeVPerS);
  positive('tauValidityFactor', params.tauValidityFactor);
  fraction('restCurrentFraction', params.restCurrentFraction, false);
  fraction('sqrtFitStartFraction', params.sqrtFitStartFraction, true);
  fraction('minSqrtFitR2', params.minSqrtFitR2, true);
  fraction('shortPulseFraction', params.shortPulseFraction, true);
  if (
    params.minPulseS !== undefined &&
    !(typeof params.minPulseS === 'number' && Number.isFinite(params.minPulseS) && params.minPulseS >= 0)
  ) {
    bad(`GITT parameter minPulseS must be a finite number ≥ 0, got ${String(params.minPulseS)}.`);
  }
  const method = params.deltaEtMethod ?? 'sqrt-fit';
  if (method !== 'sqrt-fit' && method !== 'end-point')
    bad(`GITT parameter deltaEtMethod must be 'sqrt-fit' or 'end-point', got ${String(method)}.`);

  const molarMass = params.molarMassGMol ?? IN_MOLAR_MASS_G_MOL;
  let activeMaterialMol: number;
  let activeMaterialSource: 'given' | 'from-mass';
  if (params.activeMaterialMol !== undefined) {
    activeMaterialMol = params.activeMaterialMol;
    activeMaterialSource = 'given';
  } else if (params.activeMassG !== undefined) {
    activeMaterialMol = params.activeMassG / molarMass;
    activeMaterialSource = 'from-mass';
  } else {
    return bad('GITT needs the amount of active material: give activeMaterialMol (mol) or activeMassG (g); got neither.');
  }
  const density = params.densityGCm3 ?? IN_DENSITY_G_CM3;
  const molarVolume = params.molarVolumeCm3Mol ?? molarMass / density;
  const areaCm2 = params.areaCm2 ?? DEFAULT_GITT_AREA_CM2;
  const restFraction = params.restCurrentFraction ?? DEFAULT_REST_CURRENT_FRACTION;
  const threshold = params.restCurrentThresholdMA ?? restFraction * maxAbsCurrentMA;
  const known = params.knownPlateaus ?? LI_IN_PLATEAUS;
  if (!Array.isArray(known)) bad(`GITT parameter knownPlateaus must be an array, got ${typeof known}.`);
  return {
    areaCm2,
    activeMaterialMol,
    activeMaterialSource,
    activeMassG: params.activeMassG ?? null,
    // Molar mass and density are reported only when they entered n_m or V_m.
    molarMassGMol: activeMaterialSource === 'from-mass' || params.molarVolumeCm3Mol === undefined ? molarMass : null,
    molarVolumeCm3Mol: molarVolume,
    molarVolumeSource: params.molarVolumeCm3Mol !== undefined ? 'given' : 'from-density',
    densityGCm3: params.molarVolumeCm3Mol === undefined ? density : null,
    diffusionLengthCm: (activeMaterialMol * molarVolume) / areaCm2,
    restCurrentThresholdMA: threshold,
    restCurrentThresholdSource: params.restCurrentThresholdMA !== undefined ? 'given' : 'fraction-of-max',
    restCurrentFraction: restFraction,
    minPulseS: params.minPulseS ?? DEFAULT_MIN_PULSE_S,
    deltaEtMethod: method,
    sqrtFitStartFraction: params.sqrtFitStartFraction ?? DEFAULT_SQRT_FIT_START_FRACTION,
    minSqrtFitR2: params.minSqrtFitR2 ?? DEFAULT_SQRT_FIT_MIN_R2,
    relaxationWindowS: params.relaxationWindowS ?? DEFAULT_RELAXATION_WINDOW_S,
    maxRelaxationSlopeVPerS: params.maxRelaxationSlopeVPerS ?? DEFAULT_RELAXATION_MAX_SLOPE_V_PER_S,
    tauValidityFactor: params.tauValidityFactor ?? DEFAULT_TAU_VALIDITY_FACTOR,
    shortPulseFraction: params.shortPulseFraction ?? DEFAULT_SHORT_PULSE_FRACTION,
    usedStepColumn,
    knownPlateaus: known,
  };
}

function checkDataset(dataset: Dataset, name: string): void {
  const bad = (problem: string): never => {
    throw new GittError('invalid-dataset', name, problem);
  };
  if (!dataset || typeof dataset !== 'object' || !dataset.columns) bad('GITT needs a dataset with columns.');
  const n = dataset.rowCount;
  if (!Number.isInteger(n) || n < 0) bad(`rowCount must be a non-negative integer, got ${String(n)}.`);
  const { timeS, voltageV, currentMA, step } = dataset.columns;
  for (const [key, column] of [
    ['timeS', timeS],
    ['voltageV', voltageV],
    ['currentMA', currentMA],
    ['step', step],
  ] as const) {
    if (!column || column.length < n) bad(`column ${key} holds ${column ? column.length : 0} values, fewer than rowCount ${n}.`);
  }
}

function checkAbort(signal: AbortSignalLike | undefined, name: string): void {
  if (signal?.aborted) throw new GittError('aborted', name, 'GITT analysis cancelled.');
}

function rowSign(currentMA: number, threshold: number): -1 | 0 | 1 {
  if (!(Math.abs(currentMA) > threshold)) return 0;
  return currentMA > 0 ? 1 : -1;
}

function hasVaryingSteps(dataset: Dataset): boolean {
  const { step } = dataset.columns;
  const n = Math.min(dataset.rowCount, step?.length ?? 0);
  for (let i = 1; i < n; i++) if (step[i] !== step[0]) return true;
  return false;
}

function maxAbs(values: ArrayLike<number>, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(values[i]);
    if (a > m) m = a;
  }
  return m;
}

/** ∫|I| dt over rows first..last by trapezoids, mA·s. */
function integrateAbs(timeS: ArrayLike<number>, currentMA: ArrayLike<number>, first: number, last: number): number {
  let sum = 0;
  for (let i = first + 1; i <= last; i++) {
    const a = Math.abs(currentMA[i - 1]);
    const b = Math.abs(currentMA[i]);
    if (Number.isFinite(a) && Number.isFinite(b)) sum += ((a + b) / 2) * (timeS[i] - timeS[i - 1]);
  }
  return sum;
}

/** Least-squares dV/dt over the rows of the last windowS seconds of a rest (at least its last 3 rows). */
function endOfRestSlope(timeS: ArrayLike<number>, voltageV: ArrayLike<number>, first: number, last: number, windowS: number): number {
  let from = last;
  while (from > first && timeS[last] - timeS[from - 1] <= windowS) from--;
  from = Math.max(first, Math.min(from, last - 2));
  const count = last - from + 1;
  if (count < 2) return NaN;
  let mt = 0;
  let mv = 0;
  for (let i = from; i <= last; i++) {
    mt += timeS[i];
    mv += voltageV[i];
  }
  mt /= count;
  mv /= count;
  let stt = 0;
  let stv = 0;
  for (let i = from; i <= last; i++) {
    stt += (timeS[i] - mt) ** 2;
    stv += (timeS[i] - mt) * (voltageV[i] - mv);
  }
  return stt > 0 ? stv / stt : NaN;
}

function flagShortPulses(pulses: MutablePulse[], shortFraction: number): void {
  const byRun = new Map<number, MutablePulse[]>();
  for (const q of pulses) {
    const list = byRun.get(q.run) ?? [];
    list.push(q);
    byRun.set(q.run, list);
  }
  for (const list of byRun.values()) {
    const taus = list.map((q) => q.tau_s).sort((a, b) => a - b);
    const mid = taus.length >> 1;
    const median = taus.length % 2 === 1 ? taus[mid] : (taus[mid - 1] + taus[mid]) / 2;
    for (const q of list) if (q.tau_s < shortFraction * median) q.flags.push('short-pulse');
  }
}

function annotatePlateaus(pulses: MutablePulse[], known: readonly KnownPlateau[]): GittRunPlateau[] {
  const out: GittRunPlateau[] = [];
  const runs = new Map<number, MutablePulse[]>();
  for (const q of pulses) {
    if (!Number.isFinite(q.relaxedVoltage_V)) continue;
    const list = runs.get(q.run) ?? [];
    list.push(q);
    runs.set(q.run, list);
  }
  for (const [run, list] of runs) {
    const capacity = list.map((q) => q.arealCapacity_mAh_cm2);
    const voltage = list.map((q) => q.relaxedVoltage_V);
    for (const region of findPlateaus(capacity, voltage, { knownPlateaus: known })) {
      out.push({ ...region, run, firstPulse: list[region.firstIndex].index, lastPulse: list[region.lastIndex].index });
      if (region.label !== null) for (let k = region.firstIndex; k <= region.lastIndex; k++) list[k].plateau = region.label;
    }
  }
  return out;
}
