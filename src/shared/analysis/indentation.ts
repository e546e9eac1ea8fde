/**
 * Nanoindentation analysis by the Oliver–Pharr method (DOMAIN.md "Nanoindentation (Oliver–Pharr)").
 *
 * Sources: W.C. Oliver, G.M. Pharr, J. Mater. Res. 7 (1992) 1564–1583 (power-law unloading fit,
 * contact depth, area function, reduced modulus) and J. Mater. Res. 19 (2004) 3–20 (β = 1.034,
 * ε = 0.75 for a paraboloid / Berkovich); ISO 14577-1 for the elastic work fraction.
 *
 * Pipeline per curve:
 *   clean rows (drop NaN / ±1.797e308) -> surface point -> frame-compliance correction of depth
 *   -> segments (file codes, else load peaks with hysteresis) -> optional thermal drift from a low-load hold
 *   -> every unloading: power-law fit P = α (h − h_f)^m -> S, h_c, A, H, E_r, E, flags
 *   -> main unload (highest P_max, the last one on ties)
 *
 * Units: depth h in nm (positive into the sample), load P in mN (positive in compression), so S is mN/nm,
 * A is nm², and a pressure in mN/nm² is 1e-3 N / 1e-18 m² = 1e15 Pa = 1e6 GPa ({@link MN_PER_NM2_IN_GPA}).
 * The frame compliance C_f is in nm/mN; the displacement the instrument records is h_sample + C_f · P,
 * so it is corrected as h − C_f · P before anything else, which makes 1/S = 1/S_measured − C_f.
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { indentsTable, tableToCsv } from '../export/tables';
import type { AbortSignalLike } from '../formats/import-dataset';
import type { IndentationCurve, IndentationDataset } from '../model/indentation';
import { INDENT_SEGMENT_CODE } from '../model/indentation';

/** 1 mN/nm² expressed in GPa (1e-3 N / 1e-18 m² = 1e15 Pa). */
export const MN_PER_NM2_IN_GPA = 1e6;
/** 1 N/m expressed in mN/nm (1e3 mN / 1e9 nm). */
export const N_PER_M_IN_MN_PER_NM = 1e-6;
/** Agilent/Keysight NanoSuite writes invalid cells as DBL_MAX; anything beyond this is not data. */
const INVALID_MAGNITUDE = 1e300;

/** Why an indentation analysis refused its input. Message = "<dataset or curve>: <what is wrong>". */
export class IndentationAnalysisError extends Error {
  override readonly name = 'IndentationAnalysisError';

  constructor(
    readonly code: 'bad-parameter' | 'bad-curve' | 'no-curves' | 'aborted',
    readonly subject: string,
    problem: string,
  ) {
    super(`${subject}: ${problem}`);
  }
}

/**
 * An indenter tip: its area function and the load frame's compliance measured with it. JSON-serialisable
 * so tips can be stored per user and recorded with every result.
 */
export interface Tip {
  name: string;
  /**
   * [C0, C1, C2, …] of A(h_c) = C0 h_c² + C1 h_c + C2 h_c^(1/2) + C3 h_c^(1/4) + … (term k has exponent
   * 2^(1−k)); A in nm² for h_c in nm, so C1 is in nm, C2 in nm^(3/2), …
   */
  areaCoefficients: number[];
  /** Load-frame compliance C_f, nm/mN (1 / frame stiffness; 3.6e6 N/m = 3.6 mN/nm ⇒ 0.2778 nm/mN). */
  frameComplianceNmPerMN: number;
}

/** Ideal Berkovich: A = 24.5 h_c² (DOMAIN.md default), rigid frame. */
export const IDEAL_BERKOVICH_TIP: Readonly<Tip> = Object.freeze({
  name: 'ideal Berkovich',
  areaCoefficients: [24.5],
  frameComplianceNmPerMN: 0,
});

/** Projected contact area A(h_c), nm², of a tip at contact depth h_c (nm); NaN for h_c < 0. */
export function contactArea(tip: Pick<Tip, 'areaCoefficients'>, hcNm: number): number {
  if (!(hcNm >= 0)) return NaN;
  let area = 0;
  let exponent = 2;
  for (const c of tip.areaCoefficients) {
    if (c !== 0) area += c * Math.pow(hcNm, exponent);
    exponent /= 2;
  }
  return area;
}

/** dA/dh_c, nm. */
function contactAreaSlope(tip: Pick<Tip, 'areaCoefficients'>, hcNm: number): number {
  let slope = 0;
  let exponent = 2;
  for (const c of tip.areaCoefficients) {
    if (c !== 0) slope += c * exponent * Math.pow(hcNm, exponent - 1);
    exponent /= 2;
  }
  return slope;
}

/**
 * Inverse of {@link contactArea}: the contact depth h_c (nm) whose area is `areaNm2`, by bisection
 * polished with Newton steps. Assumes A(h_c) increases with h_c (true for any physical area function).
 */
export function contactDepthForArea(tip: Pick<Tip, 'areaCoefficients'>, areaNm2: number): number {
  if (!(areaNm2 > 0) || !Number.isFinite(areaNm2)) return NaN;
  let lo = 0;
  let hi = 1;
  while (contactArea(tip, hi) < areaNm2) {
    hi *= 2;
    if (hi > 1e15) return NaN;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (contactArea(tip, mid) < areaNm2) lo = mid;
    else hi = mid;
  }
  let h = (lo + hi) / 2;
  for (let i = 0; i < 3; i++) {
    const slope = contactAreaSlope(tip, h);
    if (!(slope > 0)) break;
    h -= (contactArea(tip, h) - areaNm2) / slope;
  }
  return h;
}

/** Reduced modulus E_r (GPa) from sample and tip: 1/E_r = (1 − ν²)/E + (1 − ν_i²)/E_i (Oliver–Pharr 1992 eq. 2). */
export function reducedModulus(sampleEGPa: number, sampleNu: number, tipEGPa: number, tipNu: number): number {
  return 1 / ((1 - sampleNu * sampleNu) / sampleEGPa + (1 - tipNu * tipNu) / tipEGPa);
}

/**
 * Sample modulus E (GPa) from E_r: E = (1 − ν²) / (1/E_r − (1 − ν_i²)/E_i). NaN when E_r is at or above
 * what a rigid sample against this tip would give (E_i / (1 − ν_i²)).
 */
export function sampleModulus(reducedEGPa: number, sampleNu: number, tipEGPa: number, tipNu: number): number {
  const compliance = 1 / reducedEGPa - (1 - tipNu * tipNu) / tipEGPa;
  return compliance > 0 ? (1 - sampleNu * sampleNu) / compliance : NaN;
}

/** Every parameter of the analysis; the values used are returned with the result. */
export interface OliverPharrParams {
  /** Sample Poisson's ratio ν. Default: the file's own setting when it has one, else 0.3 (see {@link DEFAULT_SAMPLE_NU}). */
  nu: number;
  /** Indenter tip (area function, frame compliance). Default {@link IDEAL_BERKOVICH_TIP}. */
  tip: Tip;
  /** Unloading fit range as fractions of the unload's P_max, [low, high]. Default [0.2, 0.95]. */
  fitRange: [number, number];
  /** Geometry constant in h_c = h_max − ε P_max/S. 0.75 for Berkovich (paraboloid). */
  epsilon: number;
  /** Correction factor in E_r = √π/(2β) · S/√A. 1.034 for Berkovich. */
  beta: number;
  /** Tip modulus E_i, GPa (diamond 1141). */
  tipEGPa: number;
  /** Tip Poisson's ratio ν_i (diamond 0.07). */
  tipNu: number;
  /** Fits with R² below this are flagged 'poor-fit'. */
  minFitR2: number;
  /** Fits with fewer points than this in the fit range are flagged 'few-points'. */
  minFitPoints: number;
  /** h_f / h_max above this is flagged 'pile-up-risk' (Oliver–Pharr 2004: pile-up matters above ~0.7). */
  pileUpRatio: number;
  /**
   * Surface detection: `null` keeps the file's depth zero (instruments zero at the surface); a number
   * moves the zero to the first point whose load exceeds it (mN) and drops the points before.
   */
  surfaceLoadMN: number | null;
  /** A plateau of load within this fraction of the peak load is a hold segment. */
  holdToleranceFraction: number;
  /** A peak counts as the start of an unloading when the load then falls by this fraction of it. */
  unloadDropFraction: number;
  /**
   * Thermal drift correction from the last hold below half the peak load (where creep is negligible):
   * depth − rate · (t − t_hold). Needs time; flagged 'no-drift-hold' when no such hold exists.
   */
  correctDrift: boolean;
}

/**
 * Default sample Poisson's ratio when neither the user nor the file gives one. 0.3 is the usual generic
 * value (metals, ceramics); DOMAIN.md asks for ν per sample (In ≈ 0.45, fused silica 0.17), so the CLI's
 * `--nu` and the file's own Poisson setting take precedence. A wrong ν changes E by (1 − ν²)/(1 − ν₀²),
 * e.g. 0.3 instead of 0.45 overstates E of In by 14 %; H and E_r do not depend on ν.
 */
export const DEFAULT_SAMPLE_NU = 0.3;

export const DEFAULT_OLIVER_PHARR: Readonly<OliverPharrParams> = Object.freeze({
  nu: DEFAULT_SAMPLE_NU,
  tip: IDEAL_BERKOVICH_TIP,
  fitRange: [0.2, 0.95] as [number, number],
  epsilon: 0.75,
  beta: 1.034,
  tipEGPa: 1141,
  tipNu: 0.07,
  minFitR2: 0.995,
  minFitPoints: 10,
  pileUpRatio: 0.7,
  surfaceLoadMN: null,
  holdToleranceFraction: 0.005,
  unloadDropFraction: 0.2,
  correctDrift: false,
});

export type IndentFlag =
  | 'poor-fit'
  | 'few-points'
  | 'fit-failed'
  | 'exponent-at-bound'
  | 'pile-up-risk'
  | 'no-unloading'
  | 'contact-depth-not-positive'
  | 'modulus-exceeds-tip'
  | 'frame-compliance-too-large'
  | 'no-drift-hold'
  | 'unload-not-at-peak';

/** Result of the power-law fit of one unloading branch. */
export interface UnloadingFit {
  /** α of P = α (h − h_f)^m, mN/nm^m. */
  alpha: number;
  hfNm: number;
  m: number;
  /** R² of the fit over its points (in load). */
  r2: number;
  /** Points inside the fit range. */
  points: number;
  /** dP/dh at h_max, mN/nm. */
  stiffnessMNPerNm: number;
  /** True when the fit stopped at m = 1 or m = 3. */
  isAtBound: boolean;
}

const M_MIN = 1;
const M_MAX = 3;

/**
 * Least-squares fit of P = α (h − h_f)^m (Oliver–Pharr 1992 eq. 11) to the unloading points whose load is
 * within [fitRange[0], fitRange[1]] × P_max, with m bounded to [1, 3]. The fit runs on h/h_max and P/P_max
 * so the three parameters have comparable scales; the initial guess is the best log-log line
 * ln P = ln α + m ln(h − h_f) over a scan of h_f. Returns undefined with fewer than 3 points in range.
 * `depthNm`/`loadMN` are the unloading branch; (hmaxNm, pmaxMN) is where S is evaluated.
 */
export function fitUnloading(
  depthNm: ArrayLike<number>,
  loadMN: ArrayLike<number>,
  pmaxMN: number,
  hmaxNm: number,
  fitRange: readonly [number, number],
): UnloadingFit | undefined {
  const xs: number[] = [];
  const ys: number[] = [];
  const lo = fitRange[0] * pmaxMN;
  const hi = fitRange[1] * pmaxMN;
  for (let i = 0; i < loadMN.length; i++) {
    const p = loadMN[i];
    if (p >= lo && p <= hi) {
      xs.push(depthNm[i] / hmaxNm);
      ys.push(p / pmaxMN);
    }
  }
  const n = xs.length;
  if (n < 3) return undefined;
  let xMin = Infinity;
  let xMax = -Infinity;
  for (const x of xs) {
    if (x < xMin) xMin = x;
    if (x > xMax) xMax = x;
  }
  const span = Math.max(1 - xMin, xMax - xMin, 1e-9);
  const xfMax = xMin - 1e-9 * span;

  const sse = (a: number, xf: number, m: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const d = xs[i] - xf;
      const r = ys[i] - (d > 0 ? a * Math.pow(d, m) : 0);
      s += r * r;
    }
    return s;
  };

  // Initial guess: scan h_f below the lowest fitted depth; at each, a log-log line gives m and α.
  let best = { a: 1, xf: xMin - span, m: 1.5, sse: Infinity };
  const lnY = ys.map((y) => Math.log(y));
  for (let k = 0; k <= 80; k++) {
    const xf = xMin - span * Math.pow(10, -4 + (k * 5.5) / 80);
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    const lnD = xs.map((x) => Math.log(x - xf));
    for (let i = 0; i < n; i++) {
      sx += lnD[i];
      sy += lnY[i];
      sxx += lnD[i] * lnD[i];
      sxy += lnD[i] * lnY[i];
    }
    const det = n * sxx - sx * sx;
    let m = det > 0 ? (n * sxy - sx * sy) / det : 1.5;
    m = Math.min(M_MAX, Math.max(M_MIN, m));
    const lnA = (sy - m * sx) / n;
    const a = Math.exp(lnA);
    const s = sse(a, xf, m);
    if (s < best.sse) best = { a, xf, m, sse: s };
  }

  const model =
    ([a, xf, m]: number[]) =>
    (x: number): number => {
      const d = x - xf;
      return d > 0 ? a * Math.pow(d, m) : 0;
    };
  const jacobian =
    ([a, xf, m]: number[]) =>
    (x: number): number[] => {
      const d = x - xf;
      if (!(d > 0)) return [0, 0, 0];
      const pm = Math.pow(d, m);
      return [pm, -a * m * Math.pow(d, m - 1), a * pm * Math.log(d)];
    };
  // The library stops only at an absolute error or an iteration cap, so it runs in short rounds, each
  // restarting from the last, until a round no longer improves the sum of squares (relative 1e-10).
  let params = [best.a, best.xf, best.m];
  let fitSse = best.sse;
  for (let round = 0; round < 20; round++) {
    const lm = levenbergMarquardt({ x: xs, y: ys }, model, {
      initialValues: params,
      minValues: [1e-9, xMin - 1e3 * span - 10, M_MIN],
      maxValues: [1e9, xfMax, M_MAX],
      jacobianFunction: jacobian,
      damping: 1e-3,
      maxIterations: 15,
      errorTolerance: 1e-30,
    });
    const candidate = lm.parameterValues;
    const candidateSse = sse(candidate[0], candidate[1], candidate[2]);
    if (!(candidateSse < fitSse)) break;
    const gain = (fitSse - candidateSse) / fitSse;
    params = candidate;
    fitSse = candidateSse;
    if (gain < 1e-10 || candidateSse === 0) break;
  }
  const [a, xf, m] = params;
  let mean = 0;
  for (const y of ys) mean += y;
  mean /= n;
  let sst = 0;
  for (const y of ys) sst += (y - mean) * (y - mean);
  const r2 = sst > 0 ? 1 - fitSse / sst : NaN;
  const alpha = (a * pmaxMN) / Math.pow(hmaxNm, m);
  const hfNm = xf * hmaxNm;
  const stiffnessMNPerNm = (m * a * Math.pow(1 - xf, m - 1) * pmaxMN) / hmaxNm;
  const isAtBound = m <= M_MIN + 1e-6 || m >= M_MAX - 1e-6;
  return { alpha, hfNm, m, r2, points: n, stiffnessMNPerNm, isAtBound };
}

/** A run of rows [start, end) of one kind. */
export interface CurveSegment {
  kind: 'loading' | 'hold' | 'unloading';
  start: number;
  end: number;
}

/** Where each unloading starts (the P_max point) and ends, plus the hold before it if any; rows [start, end). */
export interface UnloadSpan {
  start: number;
  end: number;
  holdStart?: number;
}

/**
 * Splits a curve into loading, hold and unloading runs. File segment codes win when they mark at least
 * as many unloadings as the load shows; otherwise the load is scanned for peaks with hysteresis: a peak is confirmed when the
 * load then falls by `unloadDropFraction` of it, a valley when it rises again by as much. The hold before
 * an unloading is the run of points within `holdToleranceFraction` of the peak; the unloading starts
 * where the final monotone descent out of that band begins (so a noise-free unloading without hold is not
 * eaten into by the tolerance). A low-load plateau in an unloading is a (drift) hold, ending the analysed
 * unloading, when the curve has time and the plateau lasts at least a fifth of the unloading before it. Multi-cycle (load–unload–reload)
 * curves give one unload per cycle.
 */
export function segmentCurve(
  loadMN: ArrayLike<number>,
  segmentCodes: ArrayLike<number> | undefined,
  params: Pick<OliverPharrParams, 'holdToleranceFraction' | 'unloadDropFraction'>,
  timeS?: ArrayLike<number>,
): { segments: CurveSegment[]; unloads: UnloadSpan[] } {
  const fromLoad = segmentByLoad(loadMN, params, timeS);
  const fromCodes = segmentCodes ? segmentsFromCodes(segmentCodes) : undefined;
  // A coded unloading run counts only when the load really falls in it (KLA codes a last few rows
  // at the drift-hold load as unloading).
  const codedUnloads = (fromCodes ?? []).filter((s) => {
    if (s.kind !== 'unloading') return false;
    let min = loadMN[s.start];
    for (let i = s.start; i < s.end; i++) min = Math.min(min, loadMN[i]);
    return min < loadMN[s.start] * (1 - params.unloadDropFraction);
  });
  if (fromCodes && codedUnloads.length > 0 && codedUnloads.length >= fromLoad.unloads.length) {
    // P_max and h_max are the unloading's first row, as the instrument takes them (NanoSuite: FQ.xls
    // test 1 unload 5 reports 496.989 mN at 2124.9 nm, the first `unloading` row after the hold).
    const segments: CurveSegment[] = [];
    const unloads: UnloadSpan[] = [];
    fromCodes.forEach((s, k) => {
      if (!codedUnloads.includes(s)) {
        segments.push(s.kind === 'unloading' ? { ...s, kind: 'hold' } : s);
        return;
      }
      const previous = fromCodes[k - 1];
      const hold = findLowLoadHold(loadMN, timeS, s.start, s.end, params.holdToleranceFraction, params.unloadDropFraction);
      segments.push(...splitUnloading(s.start, s.end, hold));
      unloads.push({ start: s.start, end: hold ? hold.start : s.end, holdStart: previous?.kind === 'hold' ? previous.start : undefined });
    });
    return { segments, unloads };
  }
  // The load shows more unloadings than the codes mark (KLA marks only the last of its partial-unload
  // cycles): segment by load, starting each unloading at a coded start when one falls inside it.
  for (const coded of codedUnloads) {
    // Only a start within a few rows of the load's own: the same turning point, written one row later.
    const k = fromLoad.segments.findIndex((s) => s.kind === 'unloading' && Math.abs(coded.start - s.start) <= 3 && coded.start < s.end);
    if (k < 0 || !fromLoad.unloads.some((u) => u.start === fromLoad.segments[k].start)) continue;
    const segment = fromLoad.segments[k];
    const span = fromLoad.unloads.find((u) => u.start === segment.start)!;
    if (k > 0) fromLoad.segments[k - 1].end = coded.start;
    segment.start = coded.start;
    span.start = coded.start;
  }
  return fromLoad;
}

function segmentByLoad(
  loadMN: ArrayLike<number>,
  params: Pick<OliverPharrParams, 'holdToleranceFraction' | 'unloadDropFraction'>,
  timeS: ArrayLike<number> | undefined,
): { segments: CurveSegment[]; unloads: UnloadSpan[] } {
  const n = loadMN.length;
  const segments: CurveSegment[] = [];
  const unloads: UnloadSpan[] = [];
  // Peaks below 0.1 % of the largest load are noise around contact, not load cycles (KLA's first
  // partial unload is at 0.19 % of its last).
  let globalPeak = 0;
  for (let k = 0; k < n; k++) if (loadMN[k] > globalPeak) globalPeak = loadMN[k];
  const minPeak = 0.001 * globalPeak;
  let cycleStart = 0;
  let i = 0;
  while (i < n) {
    // Rising: find a peak confirmed by a drop after a rise of the same size (an offset load in the first
    // rows that falls to zero before contact, as in Hysitron .hld files, is not a load cycle).
    let peak = i;
    let minSoFar = Infinity;
    let minBeforePeak = Infinity;
    let confirmed = false;
    for (; i < n; i++) {
      if (loadMN[i] > loadMN[peak]) {
        peak = i;
        minBeforePeak = minSoFar;
      } else if (loadMN[peak] >= minPeak && loadMN[i] < loadMN[peak] * (1 - params.unloadDropFraction)) {
        if (loadMN[peak] - minBeforePeak >= loadMN[peak] * params.unloadDropFraction) {
          confirmed = true;
          break;
        }
        peak = i;
        minBeforePeak = minSoFar;
      }
      minSoFar = Math.min(minSoFar, loadMN[i]);
    }
    if (!confirmed) {
      if (n > cycleStart) segments.push({ kind: 'loading', start: cycleStart, end: n });
      break;
    }
    const pPeak = loadMN[peak];
    const rise = pPeak * params.unloadDropFraction;
    // Falling: find the valley, confirmed by a rise (or the end of the data).
    let valley = i;
    for (; i < n; i++) {
      if (loadMN[i] < loadMN[valley]) valley = i;
      else if (loadMN[i] > loadMN[valley] + rise) break;
    }
    const tolerance = pPeak * params.holdToleranceFraction;
    let holdStart = peak;
    while (holdStart > cycleStart && loadMN[holdStart - 1] >= pPeak - tolerance) holdStart--;
    let bandEnd = peak;
    while (bandEnd + 1 < valley && loadMN[bandEnd + 1] >= pPeak - tolerance) bandEnd++;
    let unloadStart = bandEnd;
    while (unloadStart > peak && loadMN[unloadStart - 1] > loadMN[unloadStart]) unloadStart--;
    // The low-load plateau runs on past the valley while the load stays within tolerance of it.
    let plateauEnd = valley;
    while (plateauEnd + 1 < n && loadMN[plateauEnd + 1] <= loadMN[valley] + tolerance) plateauEnd++;
    // Without a hold, a flat tail stays part of the unloading (it is outside any fit range anyway).
    const lowHold = findLowLoadHold(loadMN, timeS, unloadStart, plateauEnd + 1, params.holdToleranceFraction, params.unloadDropFraction);
    const hasHold = unloadStart - holdStart >= 2;
    const loadingEnd = hasHold ? holdStart : unloadStart;
    if (loadingEnd > cycleStart) segments.push({ kind: 'loading', start: cycleStart, end: loadingEnd });
    if (hasHold) segments.push({ kind: 'hold', start: holdStart, end: unloadStart });
    segments.push(...splitUnloading(unloadStart, plateauEnd + 1, lowHold));
    unloads.push({ start: unloadStart, end: lowHold ? lowHold.start : plateauEnd + 1, holdStart: hasHold ? holdStart : undefined });
    cycleStart = plateauEnd + 1;
    i = cycleStart;
  }
  return { segments, unloads };
}

/**
 * The first low-load hold inside rows [start, end) of an unloading, as rows [start, end): a run of at
 * least 3 rows whose load stays within `toleranceFraction` × max(its load, P_max/10) of its first row,
 * below (1 − dropFraction) × P_max (P_max = load at `start`), and lasting at least a fifth of the
 * unloading before it. Needs time: near h_f a power-law unloading is also flat in load, and only
 * duration tells a hold from it. Drift holds sit at the end of an unloading (NanoSuite, FISCHERSCOPE)
 * or in its middle before the last drop to zero (KLA InView).
 */
function findLowLoadHold(
  loadMN: ArrayLike<number>,
  timeS: ArrayLike<number> | undefined,
  start: number,
  end: number,
  toleranceFraction: number,
  dropFraction: number,
): { start: number; end: number } | undefined {
  if (!timeS || end - start < 4) return undefined;
  const pmax = loadMN[start];
  for (let i = start + 1; i + 2 < end; i++) {
    const level = loadMN[i];
    if (!(level < (1 - dropFraction) * pmax)) continue;
    const tolerance = Math.max(level, 0.1 * pmax) * toleranceFraction;
    let j = i;
    while (j + 1 < end && Math.abs(loadMN[j + 1] - level) <= tolerance) j++;
    const holdS = timeS[j] - timeS[i];
    if (j - i + 1 >= 3 && holdS > 0 && holdS >= 0.2 * (timeS[i] - timeS[start])) return { start: i, end: j + 1 };
    i = Math.max(i, j - 1);
  }
  return undefined;
}

/** Segments of an unloading run [start, end) split around its low-load hold, if any. */
function splitUnloading(start: number, end: number, hold: { start: number; end: number } | undefined): CurveSegment[] {
  if (!hold) return [{ kind: 'unloading', start, end }];
  const out: CurveSegment[] = [
    { kind: 'unloading', start, end: hold.start },
    { kind: 'hold', start: hold.start, end: hold.end },
  ];
  // What follows the hold (the last drop to zero load) is still unloading, but not the one analysed.
  if (hold.end < end) out.push({ kind: 'unloading', start: hold.end, end });
  return out;
}

function segmentsFromCodes(codes: ArrayLike<number>): CurveSegment[] {
  const kindOf = (code: number): CurveSegment['kind'] | undefined =>
    code === INDENT_SEGMENT_CODE.loading
      ? 'loading'
      : code === INDENT_SEGMENT_CODE.hold
        ? 'hold'
        : code === INDENT_SEGMENT_CODE.unloading
          ? 'unloading'
          : undefined;
  const out: CurveSegment[] = [];
  let i = 0;
  while (i < codes.length) {
    const kind = kindOf(codes[i]);
    let j = i + 1;
    while (j < codes.length && codes[j] === codes[i]) j++;
    if (kind) out.push({ kind, start: i, end: j });
    i = j;
  }
  return out;
}

/**
 * Thermal drift from a hold segment: the slope of depth against time over rows [start, end) by least
 * squares (nm/s), subtracted from every depth as rate · (t − t_0), t_0 the curve's first time. Returns a
 * new curve.
 */
export function correctThermalDrift(
  curve: IndentationCurve,
  holdSegment: { start: number; end: number },
): { curve: IndentationCurve; driftRateNmPerS: number } {
  const { timeS, depthNm } = curve;
  if (!timeS) throw new IndentationAnalysisError('bad-curve', curve.name, 'thermal drift correction needs a time column.');
  const { start, end } = holdSegment;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= depthNm.length && end - start >= 3)) {
    throw new IndentationAnalysisError('bad-parameter', curve.name, `hold segment [${start}, ${end}) is not a range of at least 3 rows.`);
  }
  let st = 0;
  let sh = 0;
  const count = end - start;
  for (let i = start; i < end; i++) {
    st += timeS[i];
    sh += depthNm[i];
  }
  const tMean = st / count;
  const hMean = sh / count;
  let stt = 0;
  let sth = 0;
  for (let i = start; i < end; i++) {
    stt += (timeS[i] - tMean) * (timeS[i] - tMean);
    sth += (timeS[i] - tMean) * (depthNm[i] - hMean);
  }
  if (!(stt > 0)) throw new IndentationAnalysisError('bad-curve', curve.name, `hold segment [${start}, ${end}) spans no time.`);
  const rate = sth / stt;
  // Drift accumulates from the start of the record (the surface point once prepared), where depth is zero.
  const t0 = timeS[0];
  const corrected = new Float64Array(depthNm.length);
  for (let i = 0; i < depthNm.length; i++) corrected[i] = depthNm[i] - rate * (timeS[i] - t0);
  return { curve: { ...curve, depthNm: corrected }, driftRateNmPerS: rate };
}

/** Oliver–Pharr numbers of one unloading. Field names are the result contract (units in the names). */
export interface UnloadResult {
  name: string;
  /** 1-based number of this unloading within its curve. */
  unload: number;
  Pmax_mN: number;
  hmax_nm: number;
  hf_nm: number;
  /** Contact stiffness (frame compliance removed), mN/nm. */
  S_mN_nm: number;
  hc_nm: number;
  A_nm2: number;
  H_GPa: number;
  Er_GPa: number;
  E_GPa: number;
  m: number;
  fitR2: number;
  flags: IndentFlag[];
  /** α of the power law, mN/nm^m. */
  alpha: number;
  fitPoints: number;
  hfOverHmax: number;
  /** Elastic work (unloading, extended to h_f by the fit) over total work (loading path), ISO 14577 η_IT. */
  elasticWorkFraction: number;
  /** Rows of this unloading in the curve as given (before cleaning), [start, end). */
  startRow: number;
  endRow: number;
}

/** One curve's result: its main unload (highest P_max, last on ties) plus every unload. */
export interface CurveResult extends UnloadResult {
  unloads: UnloadResult[];
  segments: CurveSegment[];
  /** Depth subtracted to put the surface at 0, nm (0 when the file's zero is kept). */
  surfaceDepthNm: number;
  /** Rows dropped as not finite or invalid markers (±1.797e308). */
  droppedRows: number;
  driftRateNmPerS?: number;
  /** The instrument's own results, passed through for comparison. */
  instrumentResults?: Record<string, number>;
}

export interface IndentationResult {
  kind: 'indentation';
  curves: CurveResult[];
  parameters: OliverPharrParams & { nuSource: 'user' | 'file' | 'default' };
}

export interface AnalysisOptions {
  signal?: AbortSignalLike;
  onProgress?: (fraction: number) => void;
}

/** Poisson's ratio from the file's instrument settings (any key containing "poisson"), when valid. */
function poissonFromSettings(settings: IndentationDataset['instrumentSettings']): number | undefined {
  if (!settings) return undefined;
  for (const [key, value] of Object.entries(settings)) {
    if (/poisson/i.test(key)) {
      const nu = typeof value === 'number' ? value : Number(String(value).replace(',', '.'));
      if (Number.isFinite(nu) && nu > -1 && nu <= 0.5) return nu;
    }
  }
  return undefined;
}

/** Validates and completes the parameters; throws naming the bad value. */
export function resolveParams(
  partial: Partial<OliverPharrParams> | undefined,
  subject: string,
  fileNu?: number,
): OliverPharrParams & { nuSource: 'user' | 'file' | 'default' } {
  const p = { ...DEFAULT_OLIVER_PHARR, ...partial };
  const nuSource = partial?.nu !== undefined ? 'user' : fileNu !== undefined ? 'file' : 'default';
  if (nuSource === 'file') p.nu = fileNu!;
  const bad = (what: string): never => {
    throw new IndentationAnalysisError('bad-parameter', subject, what);
  };
  if (!(p.nu > -1 && p.nu <= 0.5)) bad(`Poisson's ratio nu must be in (-1, 0.5], got ${p.nu}.`);
  if (!(p.tipNu > -1 && p.tipNu <= 0.5)) bad(`tip Poisson's ratio tipNu must be in (-1, 0.5], got ${p.tipNu}.`);
  if (!(p.tipEGPa > 0)) bad(`tip modulus tipEGPa must be > 0, got ${p.tipEGPa}.`);
  if (!(p.epsilon > 0 && p.epsilon <= 1)) bad(`epsilon must be in (0, 1], got ${p.epsilon}.`);
  if (!(p.beta > 0)) bad(`beta must be > 0, got ${p.beta}.`);
  const [lo, hi] = Array.isArray(p.fitRange) ? p.fitRange : [NaN, NaN];
  if (!(lo >= 0 && hi <= 1 && lo < hi)) bad(`fitRange must satisfy 0 <= low < high <= 1, got [${String(p.fitRange)}].`);
  if (!(p.minFitR2 >= 0 && p.minFitR2 <= 1)) bad(`minFitR2 must be in [0, 1], got ${p.minFitR2}.`);
  if (!(p.minFitPoints >= 3)) bad(`minFitPoints must be >= 3, got ${p.minFitPoints}.`);
  if (!(p.pileUpRatio > 0 && p.pileUpRatio <= 1)) bad(`pileUpRatio must be in (0, 1], got ${p.pileUpRatio}.`);
  if (p.surfaceLoadMN !== null && !Number.isFinite(p.surfaceLoadMN)) bad(`surfaceLoadMN must be a number or null, got ${p.surfaceLoadMN}.`);
  if (!(p.holdToleranceFraction >= 0 && p.holdToleranceFraction < 0.5)) {
    bad(`holdToleranceFraction must be in [0, 0.5), got ${p.holdToleranceFraction}.`);
  }
  if (!(p.unloadDropFraction > 0 && p.unloadDropFraction < 1)) bad(`unloadDropFraction must be in (0, 1), got ${p.unloadDropFraction}.`);
  validateTip(p.tip, subject);
  return { ...p, fitRange: [lo, hi], tip: { ...p.tip, areaCoefficients: [...p.tip.areaCoefficients] }, nuSource };
}

/** Throws naming the bad value when a tip cannot be used. */
export function validateTip(tip: Tip, subject: string): void {
  const bad = (what: string): never => {
    throw new IndentationAnalysisError('bad-parameter', subject, `tip "${String(tip?.name)}": ${what}`);
  };
  if (!tip || !Array.isArray(tip.areaCoefficients) || tip.areaCoefficients.length === 0) bad('areaCoefficients must be a non-empty array.');
  tip.areaCoefficients.forEach((c, k) => {
    if (!Number.isFinite(c)) bad(`area coefficient C${k} must be finite, got ${c}.`);
  });
  if (!(tip.areaCoefficients[0] > 0)) bad(`area coefficient C0 must be > 0, got ${tip.areaCoefficients[0]}.`);
  if (!(tip.frameComplianceNmPerMN >= 0)) bad(`frameComplianceNmPerMN must be >= 0, got ${tip.frameComplianceNmPerMN}.`);
}

/** A curve's rows with invalid values removed, and the original row of each kept row. */
interface CleanCurve {
  depthNm: Float64Array;
  loadMN: Float64Array;
  timeS?: Float64Array;
  segment?: Uint8Array;
  row: Uint32Array;
  dropped: number;
}

function cleanCurve(curve: IndentationCurve, subject: string): CleanCurve {
  const { depthNm, loadMN, timeS, segment } = curve;
  if (!(depthNm instanceof Float64Array) || !(loadMN instanceof Float64Array)) {
    throw new IndentationAnalysisError('bad-curve', subject, 'depthNm and loadMN must be Float64Arrays.');
  }
  if (depthNm.length !== loadMN.length) {
    throw new IndentationAnalysisError('bad-curve', subject, `depthNm has ${depthNm.length} rows but loadMN has ${loadMN.length}.`);
  }
  if (timeS && timeS.length !== depthNm.length) {
    throw new IndentationAnalysisError('bad-curve', subject, `timeS has ${timeS.length} rows but depthNm has ${depthNm.length}.`);
  }
  if (segment && segment.length !== depthNm.length) {
    throw new IndentationAnalysisError('bad-curve', subject, `segment has ${segment.length} rows but depthNm has ${depthNm.length}.`);
  }
  const ok = (v: number): boolean => Number.isFinite(v) && Math.abs(v) < INVALID_MAGNITUDE;
  const keep: number[] = [];
  for (let i = 0; i < depthNm.length; i++) {
    if (ok(depthNm[i]) && ok(loadMN[i]) && (!timeS || ok(timeS[i]))) keep.push(i);
  }
  const pick = (a: Float64Array): Float64Array => Float64Array.from(keep, (i) => a[i]);
  return {
    depthNm: pick(depthNm),
    loadMN: pick(loadMN),
    timeS: timeS ? pick(timeS) : undefined,
    segment: segment ? Uint8Array.from(keep, (i) => segment[i]) : undefined,
    row: Uint32Array.from(keep),
    dropped: depthNm.length - keep.length,
  };
}

const nanUnload = (name: string, unload: number, flags: IndentFlag[]): UnloadResult => ({
  name,
  unload,
  Pmax_mN: NaN,
  hmax_nm: NaN,
  hf_nm: NaN,
  S_mN_nm: NaN,
  hc_nm: NaN,
  A_nm2: NaN,
  H_GPa: NaN,
  Er_GPa: NaN,
  E_GPa: NaN,
  m: NaN,
  fitR2: NaN,
  flags,
  alpha: NaN,
  fitPoints: 0,
  hfOverHmax: NaN,
  elasticWorkFraction: NaN,
  startRow: -1,
  endRow: -1,
});

/**
 * Oliver–Pharr numbers of one unloading branch [start, end) of depth/load arrays already corrected for
 * surface, frame compliance and drift. `workStart` is where the loading path starts (the surface).
 */
export function analyzeUnload(
  depthNm: Float64Array,
  loadMN: Float64Array,
  span: { start: number; end: number },
  params: OliverPharrParams,
  name: string,
  unload: number,
  workStart = 0,
): UnloadResult {
  const { start, end } = span;
  const flags: IndentFlag[] = [];
  let top = start;
  for (let i = start; i < end; i++) if (loadMN[i] > loadMN[top]) top = i;
  if (top !== start) flags.push('unload-not-at-peak');
  const pmax = loadMN[start];
  const hmax = depthNm[start];
  const fit = pmax > 0 ? fitUnloading(depthNm.subarray(start, end), loadMN.subarray(start, end), pmax, hmax, params.fitRange) : undefined;
  if (!fit) return { ...nanUnload(name, unload, ['fit-failed', 'few-points']), Pmax_mN: pmax, hmax_nm: hmax, startRow: start, endRow: end };
  if (fit.points < params.minFitPoints) flags.push('few-points');
  if (!(fit.r2 >= params.minFitR2)) flags.push('poor-fit');
  if (fit.isAtBound) flags.push('exponent-at-bound');
  const S = fit.stiffnessMNPerNm;
  const hc = hmax - (params.epsilon * pmax) / S;
  if (!(hc > 0)) flags.push('contact-depth-not-positive');
  const area = contactArea(params.tip, hc);
  const H = (pmax / area) * MN_PER_NM2_IN_GPA;
  const Er = ((Math.sqrt(Math.PI) / (2 * params.beta)) * S * MN_PER_NM2_IN_GPA) / Math.sqrt(area);
  const E = sampleModulus(Er, params.nu, params.tipEGPa, params.tipNu);
  if (Number.isFinite(Er) && !Number.isFinite(E)) flags.push('modulus-exceeds-tip');
  const hfOverHmax = fit.hfNm / hmax;
  if (hfOverHmax > params.pileUpRatio) flags.push('pile-up-risk');

  // W_total: ∫ P dh along the path from the surface to the unload start (signed dh, so earlier
  // unload–reload loops count their net work); W_e: ∫ P dh down the unloading, extended from its last
  // point to h_f by the fitted power law when the instrument stopped unloading above zero load.
  let wTotal = 0;
  for (let i = workStart + 1; i <= start; i++) wTotal += 0.5 * (loadMN[i] + loadMN[i - 1]) * (depthNm[i] - depthNm[i - 1]);
  let wElastic = 0;
  for (let i = start + 1; i < end; i++) wElastic += 0.5 * (loadMN[i] + loadMN[i - 1]) * (depthNm[i - 1] - depthNm[i]);
  const hEnd = depthNm[end - 1];
  if (hEnd > fit.hfNm) wElastic += (fit.alpha * Math.pow(hEnd - fit.hfNm, fit.m + 1)) / (fit.m + 1);
  const elasticWorkFraction = wTotal > 0 ? wElastic / wTotal : NaN;

  return {
    name,
    unload,
    Pmax_mN: pmax,
    hmax_nm: hmax,
    hf_nm: fit.hfNm,
    S_mN_nm: S,
    hc_nm: hc,
    A_nm2: area,
    H_GPa: H,
    Er_GPa: Er,
    E_GPa: E,
    m: fit.m,
    fitR2: fit.r2,
    flags,
    alpha: fit.alpha,
    fitPoints: fit.points,
    hfOverHmax,
    elasticWorkFraction,
    startRow: start,
    endRow: end,
  };
}

/** The arrays of one curve ready for the unload fits, with the unload spans found on them. */
export interface PreparedCurve {
  depthNm: Float64Array;
  loadMN: Float64Array;
  timeS?: Float64Array;
  segments: CurveSegment[];
  unloads: UnloadSpan[];
  /** Original row of each prepared row. */
  row: Uint32Array;
  surfaceDepthNm: number;
  droppedRows: number;
  driftRateNmPerS?: number;
  flags: IndentFlag[];
}

/**
 * Cleans one curve, finds its surface, corrects depth for frame compliance (h − C_f P) and, when asked,
 * thermal drift, and finds its segments. Shared by the analysis and the tip calibration.
 */
export function prepareCurve(curve: IndentationCurve, params: OliverPharrParams, subject: string): PreparedCurve {
  const clean = cleanCurve(curve, subject);
  const flags: IndentFlag[] = [];
  let first = 0;
  let surfaceDepthNm = 0;
  if (params.surfaceLoadMN !== null) {
    while (first < clean.loadMN.length && !(clean.loadMN[first] > params.surfaceLoadMN)) first++;
    surfaceDepthNm = first < clean.depthNm.length ? clean.depthNm[first] : 0;
  }
  const n = clean.loadMN.length - first;
  const loadMN = clean.loadMN.slice(first);
  const depthNm = new Float64Array(n);
  const cf = params.tip.frameComplianceNmPerMN;
  for (let i = 0; i < n; i++) depthNm[i] = clean.depthNm[first + i] - surfaceDepthNm - cf * loadMN[i];
  const timeS = clean.timeS?.slice(first);
  const segmentCodes = clean.segment?.slice(first);
  const row = clean.row.slice(first);
  const { segments, unloads } = segmentCurve(loadMN, segmentCodes, params, timeS);
  let driftRateNmPerS: number | undefined;
  let depth: Float64Array = depthNm;
  if (params.correctDrift) {
    const peak = loadMN.reduce((m, p) => Math.max(m, p), 0);
    const hold = [...segments].reverse().find((s) => s.kind === 'hold' && loadMN[s.start] < 0.5 * peak && s.end - s.start >= 3);
    if (!timeS || !hold) flags.push('no-drift-hold');
    else {
      const corrected = correctThermalDrift({ name: subject, depthNm, loadMN, timeS }, hold);
      depth = corrected.curve.depthNm;
      driftRateNmPerS = corrected.driftRateNmPerS;
    }
  }
  return { depthNm: depth, loadMN, timeS, segments, unloads, row, surfaceDepthNm, droppedRows: clean.dropped, driftRateNmPerS, flags };
}

/**
 * Oliver–Pharr analysis of every curve of an indentation dataset. Each curve gives its main unloading
 * (highest P_max; the last one on ties) at top level and all unloadings in `unloads`. Parameters not
 * given take {@link DEFAULT_OLIVER_PHARR}; ν takes the file's Poisson setting when the user gives none.
 * The file's frame stiffness is NOT applied: NanoSuite's "Displacement Into Surface" is already corrected
 * with it (FQ.xls: a second correction would raise S by 20 %; calibrating on FQ itself finds C_f ≈ 0), so
 * frame compliance comes only from the tip the user chooses.
 * A curve that cannot be analysed gives NaN numbers and flags; only bad parameters or arrays throw.
 */
export function analyzeIndentation(
  dataset: IndentationDataset,
  params?: Partial<OliverPharrParams>,
  options: AnalysisOptions = {},
): IndentationResult {
  const subject = dataset?.meta?.name ?? dataset?.meta?.source?.fileName ?? 'indentation dataset';
  if (!dataset || dataset.kind !== 'indentation' || !Array.isArray(dataset.curves)) {
    throw new IndentationAnalysisError('bad-curve', subject, `not an indentation dataset (kind ${String(dataset?.kind)}).`);
  }
  if (dataset.curves.length === 0) throw new IndentationAnalysisError('no-curves', subject, 'the dataset has no curves.');
  const used = resolveParams(params, subject, poissonFromSettings(dataset.instrumentSettings));
  const curves: CurveResult[] = [];
  dataset.curves.forEach((curve, k) => {
    if (options.signal?.aborted) throw new IndentationAnalysisError('aborted', subject, 'analysis cancelled.');
    const curveSubject = `${subject} / ${curve.name}`;
    const prepared = prepareCurve(curve, used, curveSubject);
    const toRow = (i: number): number => (i < prepared.row.length ? prepared.row[i] : (prepared.row[prepared.row.length - 1] ?? -1) + 1);
    const unloads = prepared.unloads.map((span, u) => {
      const r = analyzeUnload(prepared.depthNm, prepared.loadMN, span, used, curve.name, u + 1);
      return { ...r, flags: [...prepared.flags, ...r.flags], startRow: toRow(span.start), endRow: toRow(span.end) };
    });
    let main: UnloadResult;
    if (unloads.length === 0) main = nanUnload(curve.name, 0, [...prepared.flags, 'no-unloading']);
    else {
      main = unloads[0];
      for (const u of unloads) if (!(u.Pmax_mN < main.Pmax_mN)) main = u;
    }
    curves.push({
      ...main,
      unloads,
      segments: prepared.segments.map((s) => ({ ...s, start: toRow(s.start), end: toRow(s.end) })),
      surfaceDepthNm: prepared.surfaceDepthNm,
      droppedRows: prepared.droppedRows,
      driftRateNmPerS: prepared.driftRateNmPerS,
      instrumentResults: curve.instrumentResults,
    });
    options.onProgress?.((k + 1) / dataset.curves.length);
  });
  return { kind: 'indentation', curves, parameters: used };
}

/** Mean ± sample standard deviation of H, E and E_r per sample (main unloads with finite values only). */
export interface SampleSummary {
  sample: string;
  count: number;
  H_GPa: { mean: number; sd: number };
  E_GPa: { mean: number; sd: number };
  Er_GPa: { mean: number; sd: number };
}

/** Groups curve results by `sampleOf(curve)` (e.g. a site → sample map) and summarises each group. */
export function summariseBySample(results: readonly UnloadResult[], sampleOf: (result: UnloadResult) => string): SampleSummary[] {
  const groups = new Map<string, UnloadResult[]>();
  for (const r of results) {
    const key = sampleOf(r);
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  const stats = (values: number[]): { mean: number; sd: number } => {
    const v = values.filter((x) => Number.isFinite(x));
    if (v.length === 0) return { mean: NaN, sd: NaN };
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (v.length - 1)) : NaN;
    return { mean, sd };
  };
  return [...groups.entries()].map(([sample, list]) => ({
    sample,
    count: list.filter((r) => Number.isFinite(r.H_GPa)).length,
    H_GPa: stats(list.map((r) => r.H_GPa)),
    E_GPa: stats(list.map((r) => r.E_GPa)),
    Er_GPa: stats(list.map((r) => r.Er_GPa)),
  }));
}

/**
 * One CSV row per unloading (all cycles), with `is_main` marking each curve's main unload: the export
 * table (src/shared/export/tables.ts) with the field names as header; numbers at full precision, NaN as
 * empty, flags joined by ';', names quoted when they need it.
 */
export function indentsToCsv(result: IndentationResult): string {
  return tableToCsv(indentsTable(result), { header: 'key' });
}
