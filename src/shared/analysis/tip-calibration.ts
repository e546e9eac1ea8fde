/**
 * Tip calibration on a reference material of known modulus (fused silica by default), with the relations
 * of Oliver & Pharr, J. Mater. Res. 7 (1992) 1564, section IV.
 *
 * The measured compliance of each unloading is the frame's plus the contact's:
 *   C_total = 1/S_measured = C_f + √π / (2 β E_r) · 1/√A          (OP 1992 eq. 17)
 * and, for a trial C_f, every unloading gives its area from the known E_r:
 *   S = 1 / (C_total − C_f),   A = π S² / (4 β² E_r²),   h_c = h_max − C_f P_max − ε P_max / S
 * to which the area-function coefficients are fitted by linear least squares in relative error (each
 * point weighted 1/A², so shallow indents count as much as deep ones).
 *
 * OP 1992 alternate between the line C_total vs 1/√A (intercept C_f) and that area fit. With E_r known,
 * the alternation has every C_f as a fixed point whenever the area function can absorb it (the line
 * through areas computed from E_r has the exact slope and any intercept), so it stays wherever it starts.
 * Here the joint least-squares problem is solved instead: C_f is the value in [0, min C_total) whose
 * area fit leaves the least residual (scan + golden section), with C0 > 0 required. Each round then
 * refits the unloadings on depth corrected by that C_f (h − C_f P), so S is the contact stiffness exactly
 * rather than a power law fitted through the frame's linear deflection, until C_f stops changing.
 * The slope of C_total vs 1/√A with the final area is reported as a check (E_r from the slope).
 *
 * Pipeline: curves -> prepare (surface, C_f, segments) -> unload fits -> C_total, h_max
 * -> search C_f (areas from E_r -> area coefficients -> residual) -> refit with the new C_f -> repeat.
 */
import type { IndentationCurve } from '../model/indentation';
import {
  DEFAULT_OLIVER_PHARR,
  IDEAL_BERKOVICH_TIP,
  IndentationAnalysisError,
  MN_PER_NM2_IN_GPA,
  contactArea,
  fitUnloading,
  prepareCurve,
  reducedModulus,
  resolveParams,
  type OliverPharrParams,
  type Tip,
} from './indentation';

export { correctThermalDrift, contactArea, contactDepthForArea, IDEAL_BERKOVICH_TIP, type Tip } from './indentation';

export interface ReferenceMaterial {
  /** Young's modulus of the reference, GPa (fused silica 72). */
  E_GPa: number;
  /** Poisson's ratio of the reference (fused silica 0.17). */
  nu: number;
}

export const FUSED_SILICA: Readonly<ReferenceMaterial> = Object.freeze({ E_GPa: 72, nu: 0.17 });

export interface CalibrationOptions {
  /** Name of the calibrated tip. */
  tipName: string;
  /** Number of area coefficients C0…C(n−1) to fit (1–6). Default 3. */
  areaTerms: number;
  /** Keep C0 at this value (e.g. 24.5 for an ideal Berkovich) and fit the others; undefined fits C0 too. */
  fixedC0?: number;
  /** 'fit' (default) determines C_f from the data; a number (nm/mN) keeps it fixed. */
  frameCompliance: 'fit' | number;
  /** Starting tip (area function and C_f). Default: ideal Berkovich, rigid frame. */
  initialTip: Tip;
  maxIterations: number;
  /** Stop when C_f and every coefficient change by less than this relative amount. */
  tolerance: number;
  /** Analysis parameters (fit range, ε, β, tip elastic constants, segmentation); `tip` and `nu` are ignored. */
  analysis: Partial<OliverPharrParams>;
}

/** One unloading used in the calibration. */
export interface CalibrationPoint {
  curve: string;
  unload: number;
  Pmax_mN: number;
  /** Total measured compliance 1/S_measured, nm/mN. */
  Ctotal_nm_mN: number;
  hc_nm: number;
  /** Area from the known E_r, nm². */
  A_nm2: number;
  /** Area of the fitted area function at h_c, nm². */
  Afit_nm2: number;
}

export interface TipCalibration {
  tip: Tip;
  /** Reduced modulus of the reference against the tip, GPa. */
  Er_GPa: number;
  /** E_r implied by the slope of C_total vs 1/√A, GPa (a check: should be close to Er_GPa). */
  ErFromSlope_GPa: number;
  iterations: number;
  converged: boolean;
  points: CalibrationPoint[];
  /** RMS relative deviation of the fitted area function from the areas, over the points. */
  areaRmsRelative: number;
  reference: ReferenceMaterial;
  parameters: OliverPharrParams;
}

/** Weighted linear least squares: minimises Σ w (Σ_k c_k X_ik − y_i)². Columns are scaled for conditioning. */
function solveWeightedLeastSquares(rows: number[][], y: number[], w: number[]): number[] | undefined {
  const p = rows[0]?.length ?? 0;
  if (p === 0 || rows.length < p) return undefined;
  const scale = new Array<number>(p).fill(0);
  rows.forEach((r, i) => r.forEach((v, k) => (scale[k] += w[i] * v * v)));
  for (let k = 0; k < p; k++) scale[k] = scale[k] > 0 ? Math.sqrt(scale[k]) : 1;
  const a = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  rows.forEach((r, i) => {
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < p; k++) a[j][k] += (w[i] * r[j] * r[k]) / (scale[j] * scale[k]);
      a[j][p] += (w[i] * r[j] * y[i]) / scale[j];
    }
  });
  // Gaussian elimination with partial pivoting on the (small, p ≤ 6) normal equations.
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    if (!(Math.abs(a[pivot][col]) > 1e-14)) return undefined;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let r = col + 1; r < p; r++) {
      const f = a[r][col] / a[col][col];
      for (let c = col; c <= p; c++) a[r][c] -= f * a[col][c];
    }
  }
  const x = new Array<number>(p).fill(0);
  for (let r = p - 1; r >= 0; r--) {
    let s = a[r][p];
    for (let c = r + 1; c < p; c++) s -= a[r][c] * x[c];
    x[r] = s / a[r][r];
  }
  return x.map((v, k) => v / scale[k]);
}

interface UnloadFitPoint {
  curve: string;
  unload: number;
  pmax: number;
  /** h_max on depth corrected by the C_f the fit ran with, nm. */
  hmax: number;
  /** Contact stiffness for that C_f, mN/nm. */
  s: number;
}

function fitAllUnloads(curves: readonly IndentationCurve[], params: OliverPharrParams): UnloadFitPoint[] {
  const out: UnloadFitPoint[] = [];
  for (const curve of curves) {
    const prepared = prepareCurve(curve, params, curve.name);
    prepared.unloads.forEach((span, u) => {
      const pmax = prepared.loadMN[span.start];
      const hmax = prepared.depthNm[span.start];
      if (!(pmax > 0)) return;
      const fit = fitUnloading(
        prepared.depthNm.subarray(span.start, span.end),
        prepared.loadMN.subarray(span.start, span.end),
        pmax,
        hmax,
        params.fitRange,
      );
      if (fit && fit.stiffnessMNPerNm > 0 && fit.r2 >= params.minFitR2) {
        out.push({ curve: curve.name, unload: u + 1, pmax, hmax, s: fit.stiffnessMNPerNm });
      }
    });
  }
  return out;
}

interface CalibrationRow {
  point: UnloadFitPoint;
  /** Measured total compliance, nm/mN. */
  cTotal: number;
  /** h_max before frame correction, nm. */
  hmaxRaw: number;
}

interface AreaFit {
  cf: number;
  coefficients: number[];
  /** Σ of squared relative area residuals; Infinity when this C_f is impossible. */
  rss: number;
  points: { hc: number; area: number; row: CalibrationRow }[];
}

/** For a trial C_f: areas from the known E_r, contact depths, and the least-squares area function. */
function fitAreaFunction(
  rows: readonly CalibrationRow[],
  cf: number,
  er: number,
  params: OliverPharrParams,
  areaTerms: number,
  fixedC0: number | undefined,
): AreaFit {
  const points: AreaFit['points'] = [];
  for (const row of rows) {
    const cContact = row.cTotal - cf;
    if (!(cContact > 0)) return { cf, coefficients: [], rss: Infinity, points };
    const s = 1 / cContact;
    const area = (Math.PI * s * s) / (4 * params.beta * params.beta * er * er);
    const hc = row.hmaxRaw - cf * row.point.pmax - (params.epsilon * row.point.pmax) / s;
    if (!(hc > 0)) return { cf, coefficients: [], rss: Infinity, points };
    points.push({ hc, area, row });
  }
  const first = fixedC0 !== undefined ? 1 : 0;
  let coefficients: number[] = fixedC0 !== undefined ? [fixedC0] : [];
  if (first < areaTerms) {
    const design = points.map(({ hc }) => {
      const r: number[] = [];
      for (let k = first; k < areaTerms; k++) r.push(Math.pow(hc, Math.pow(2, 1 - k)));
      return r;
    });
    const target = points.map(({ hc, area }) => area - (fixedC0 !== undefined ? fixedC0 * hc * hc : 0));
    const solved = solveWeightedLeastSquares(
      design,
      target,
      points.map(({ area }) => 1 / (area * area)),
    );
    // C0 ≤ 0 is no tip (the area would not grow as h_c²): such a C_f is treated as impossible.
    if (!solved || (fixedC0 === undefined && !(solved[0] > 0))) return { cf, coefficients: [], rss: Infinity, points };
    coefficients = [...coefficients, ...solved];
  }
  let rss = 0;
  for (const { hc, area } of points) rss += ((contactArea({ areaCoefficients: coefficients }, hc) - area) / area) ** 2;
  return { cf, coefficients, rss, points };
}

/**
 * The C_f in [lo, hi] whose area-function fit has the least residual: a 200-point scan, then golden-section
 * search around the best. (OP 1992 alternate between the C_total–1/√A line and the area fit; with E_r known
 * that alternation leaves C_f wherever it starts whenever the area function is flexible enough to absorb
 * it, so the joint least-squares problem is solved directly instead.)
 */
function minimiseOverFrameCompliance(fitAt: (cf: number) => AreaFit, lo: number, hi: number): AreaFit {
  const steps = 200;
  let bestK = 0;
  let best = fitAt(lo);
  for (let k = 1; k <= steps; k++) {
    const f = fitAt(lo + ((hi - lo) * k) / steps);
    if (f.rss < best.rss) {
      best = f;
      bestK = k;
    }
  }
  let a = lo + ((hi - lo) * Math.max(0, bestK - 1)) / steps;
  let b = lo + ((hi - lo) * Math.min(steps, bestK + 1)) / steps;
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = fitAt(c);
  let fd = fitAt(d);
  for (let i = 0; i < 100 && b - a > 1e-12 * Math.max(1, Math.abs(b)); i++) {
    if (fc.rss <= fd.rss) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = fitAt(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = fitAt(d);
    }
  }
  for (const f of [fc, fd]) if (f.rss < best.rss) best = f;
  return best;
}

/** Upper end of the C_f search: the smallest measured compliance, nm/mN (rounded for messages). */
function cfUsedLimit(rows: readonly CalibrationRow[]): number {
  return Number(rows.reduce((m, r) => Math.min(m, r.cTotal), Infinity).toPrecision(3));
}

function lineSlope(points: readonly [number, number][]): number {
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let n = 0;
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
    n++;
  }
  const det = n * sxx - sx * sx;
  return det > 0 ? (n * sxy - sx * sy) / det : NaN;
}

/**
 * Fits the frame compliance and area function of a tip from indents in a reference material of known
 * E and ν (default fused silica, 72 GPa, 0.17). Use indents over the whole depth range of interest;
 * multi-cycle tests give several depths each. Throws naming the bad value on bad input.
 */
export function calibrateTip(
  curves: readonly IndentationCurve[],
  reference: ReferenceMaterial = FUSED_SILICA,
  options: Partial<CalibrationOptions> = {},
): TipCalibration {
  const subject = 'tip calibration';
  if (!Array.isArray(curves) || curves.length === 0) throw new IndentationAnalysisError('no-curves', subject, 'no reference curves given.');
  if (!(reference.E_GPa > 0))
    throw new IndentationAnalysisError('bad-parameter', subject, `reference E_GPa must be > 0, got ${reference.E_GPa}.`);
  const areaTerms = options.areaTerms ?? 3;
  if (!(Number.isInteger(areaTerms) && areaTerms >= 1 && areaTerms <= 6)) {
    throw new IndentationAnalysisError('bad-parameter', subject, `areaTerms must be an integer in 1..6, got ${areaTerms}.`);
  }
  const fixedC0 = options.fixedC0;
  if (fixedC0 !== undefined && !(fixedC0 > 0))
    throw new IndentationAnalysisError('bad-parameter', subject, `fixedC0 must be > 0, got ${fixedC0}.`);
  const frameMode = options.frameCompliance ?? 'fit';
  if (frameMode !== 'fit' && !(frameMode >= 0)) {
    throw new IndentationAnalysisError('bad-parameter', subject, `frameCompliance must be 'fit' or >= 0 nm/mN, got ${String(frameMode)}.`);
  }
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-7;
  const initial = options.initialTip ?? IDEAL_BERKOVICH_TIP;
  const base = resolveParams({ ...DEFAULT_OLIVER_PHARR, ...options.analysis, nu: reference.nu, tip: initial }, subject);
  const er = reducedModulus(reference.E_GPa, reference.nu, base.tipEGPa, base.tipNu) / MN_PER_NM2_IN_GPA; // mN/nm²

  let coefficients = [...initial.areaCoefficients];
  while (coefficients.length < areaTerms) coefficients.push(0);
  coefficients = coefficients.slice(0, areaTerms);
  if (fixedC0 !== undefined) coefficients[0] = fixedC0;
  let cfUsed = frameMode === 'fit' ? initial.frameComplianceNmPerMN : frameMode;
  let converged = false;
  let iterations = 0;
  let best: AreaFit | undefined;
  let rows: CalibrationRow[] = [];

  for (; iterations < maxIterations && !converged;) {
    iterations++;
    const params: OliverPharrParams = {
      ...base,
      tip: { name: 'calibrating', areaCoefficients: coefficients, frameComplianceNmPerMN: cfUsed },
    };
    const fits = fitAllUnloads(curves, params);
    if (fits.length < Math.max(2, areaTerms - (fixedC0 !== undefined ? 1 : 0))) {
      throw new IndentationAnalysisError('bad-curve', subject, `only ${fits.length} usable unloadings; need more reference indents.`);
    }
    // Back to what the instrument measured: C_total = 1/S + C_f and h_max before the C_f P correction.
    rows = fits.map((point) => ({ point, cTotal: 1 / point.s + cfUsed, hmaxRaw: point.hmax + cfUsed * point.pmax }));
    const fitAt = (cf: number): AreaFit => fitAreaFunction(rows, cf, er, base, areaTerms, fixedC0);
    let found: AreaFit;
    if (frameMode === 'fit') {
      const cMax = rows.reduce((m, r) => Math.min(m, r.cTotal), Infinity);
      found = minimiseOverFrameCompliance(fitAt, 0, cMax * (1 - 1e-9));
    } else {
      found = fitAt(frameMode);
    }
    if (!Number.isFinite(found.rss)) {
      throw new IndentationAnalysisError(
        'bad-curve',
        subject,
        `no frame compliance in [0, ${String(cfUsedLimit(rows))}) nm/mN gives positive contact compliances and depths and an area function with C0 > 0 for these indents; fix C0 (fixedC0) or give frameCompliance.`,
      );
    }
    converged = Math.abs(found.cf - cfUsed) <= tolerance * Math.max(found.cf, 1e-6) && iterations > 1;
    best = found;
    coefficients = found.coefficients;
    cfUsed = found.cf;
  }
  const fit = best!;
  const cf = fit.cf;
  // OP 1992's own check: the line C_total vs 1/√A(h_c) with the calibrated area has slope √π/(2βE_r).
  const slope = lineSlope(
    rows.map((r) => [
      1 /
        Math.sqrt(
          contactArea(
            { areaCoefficients: coefficients },
            r.hmaxRaw - cf * r.point.pmax - (base.epsilon * r.point.pmax) / (1 / (r.cTotal - cf)),
          ),
        ),
      r.cTotal,
    ]),
  );
  const areaPoints = fit.points;

  const tip: Tip = { name: options.tipName ?? 'calibrated tip', areaCoefficients: coefficients, frameComplianceNmPerMN: cf };
  const points: CalibrationPoint[] = areaPoints.map(({ hc, area, row }) => ({
    curve: row.point.curve,
    unload: row.point.unload,
    Pmax_mN: row.point.pmax,
    Ctotal_nm_mN: row.cTotal,
    hc_nm: hc,
    A_nm2: area,
    Afit_nm2: contactArea(tip, hc),
  }));
  const areaRmsRelative = Math.sqrt(points.reduce((s, p) => s + ((p.Afit_nm2 - p.A_nm2) / p.A_nm2) ** 2, 0) / Math.max(1, points.length));
  return {
    tip,
    Er_GPa: er * MN_PER_NM2_IN_GPA,
    ErFromSlope_GPa: (Math.sqrt(Math.PI) / (2 * base.beta * slope)) * MN_PER_NM2_IN_GPA,
    iterations,
    converged,
    points,
    areaRmsRelative,
    reference: { ...reference },
    parameters: { ...base, tip },
  };
}
