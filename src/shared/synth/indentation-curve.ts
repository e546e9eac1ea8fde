/**
 * Synthetic load–displacement curves built BACKWARDS from known hardness H and reduced modulus E_r, so
 * an Oliver–Pharr analysis has an analytic answer (Oliver & Pharr, J. Mater. Res. 7 (1992) 1564).
 *
 * Per load cycle with peak load P_max:
 *   A   = P_max / H                      contact area (H in mN/nm²: 1 GPa = 1e-6 mN/nm²)
 *   h_c = A⁻¹(A)                         from the tip's area function
 *   S   = 2 β E_r √A / √π                contact stiffness
 *   h_max = h_c + ε P_max / S
 *   unloading P = α (h − h_f)^m with P(h_max) = P_max and dP/dh(h_max) = S:
 *     h_max − h_f = m P_max / S,  α = P_max / (h_max − h_f)^m
 * Loading runs P = P_max (h/h_max)² from the surface (between cycles: from the previous peak along the
 * previous unloading back up, then on to the next peak with P linear in h²), an optional hold at P_max
 * adds creep depth (1 − e^(−t/τ)) before the unloading starts, and the recorded depth adds the frame's
 * deflection C_f · P and a thermal drift rate · t. Optional Gaussian noise on load and depth.
 */
import type { IndentationCurve } from '../model/indentation';
import { INDENT_SEGMENT_CODE } from '../model/indentation';
import { IDEAL_BERKOVICH_TIP, IndentationAnalysisError, contactDepthForArea, reducedModulus, type Tip } from '../analysis/indentation';
import { createSeededRandom } from './seeded-random';

export interface IndentationCurveParams {
  name: string;
  /** Hardness, GPa. */
  hardnessGPa: number;
  /** Reduced modulus, GPa. */
  reducedModulusGPa: number;
  /** Peak load of each load–unload cycle, mN, increasing (one entry = a single cycle). */
  peakLoadsMN: number[];
  tip: Tip;
  epsilon: number;
  beta: number;
  /** Unloading exponent m. */
  m: number;
  /** Each unloading ends at this fraction of its peak load (0 = to zero load; Agilent multi-cycle 0.1). */
  unloadToFraction: number;
  loadingPoints: number;
  holdPoints: number;
  unloadingPoints: number;
  loadingS: number;
  holdS: number;
  unloadingS: number;
  /** Creep depth added during each hold, nm, and its time constant, s. */
  creepNm: number;
  creepTauS: number;
  /** Thermal drift added to the recorded depth, nm/s. */
  driftRateNmPerS: number;
  /** Hold at the end of the last unloading (for drift measurement), s and points; 0 = none. */
  finalHoldS: number;
  finalHoldPoints: number;
  /** Points before contact (load 0, depth rising from −approachNm to 0). */
  approachPoints: number;
  approachNm: number;
  /** Added to every recorded depth (the instrument's zero is not the surface), nm. */
  depthOffsetNm: number;
  noiseLoadMN: number;
  noiseDepthNm: number;
  /** Write segment codes (approach/loading/hold/unloading) as a file with a Segment column would. */
  withSegmentCodes: boolean;
  seed: number;
}

export const DEFAULT_INDENTATION_CURVE: Readonly<IndentationCurveParams> = Object.freeze({
  name: 'synthetic indent',
  hardnessGPa: 9.25,
  reducedModulusGPa: 69.6,
  peakLoadsMN: [50],
  tip: IDEAL_BERKOVICH_TIP,
  epsilon: 0.75,
  beta: 1.034,
  m: 1.4,
  unloadToFraction: 0,
  loadingPoints: 200,
  holdPoints: 50,
  unloadingPoints: 200,
  loadingS: 20,
  holdS: 10,
  unloadingS: 10,
  creepNm: 0,
  creepTauS: 2,
  driftRateNmPerS: 0,
  finalHoldS: 0,
  finalHoldPoints: 0,
  approachPoints: 0,
  approachNm: 50,
  depthOffsetNm: 0,
  noiseLoadMN: 0,
  noiseDepthNm: 0,
  withSegmentCodes: false,
  seed: 1,
});

/** The analytic Oliver–Pharr numbers of one synthetic unloading (sample depth, no frame, no drift). */
export interface SyntheticUnloadTruth {
  Pmax_mN: number;
  hmax_nm: number;
  hc_nm: number;
  A_nm2: number;
  /** Contact stiffness, mN/nm. */
  S_mN_nm: number;
  /** Stiffness the instrument sees through the frame, 1 / (1/S + C_f), mN/nm. */
  Smeasured_mN_nm: number;
  hf_nm: number;
  alpha: number;
  m: number;
}

/** Materials of the study (DOMAIN.md: E from DFT, ν 0.45). Hardness values are illustrative, not from the study. */
export const INDIUM_LIKE_MATERIALS = Object.freeze({
  In: { modulusGPa: 38.7, nu: 0.45, hardnessGPa: 0.1 },
  In4Li5: { modulusGPa: 44.5, nu: 0.45, hardnessGPa: 0.3 },
  In2Li3: { modulusGPa: 60.7, nu: 0.45, hardnessGPa: 0.5 },
  fusedSilica: { modulusGPa: 72, nu: 0.17, hardnessGPa: 9.25 },
});

/** E_r of a sample against a diamond tip (E_i 1141 GPa, ν_i 0.07). */
export function reducedModulusOnDiamond(modulusGPa: number, nu: number): number {
  return reducedModulus(modulusGPa, nu, 1141, 0.07);
}

/** Builds one synthetic curve and the analytic truth of each of its unloadings. */
export function generateIndentationCurve(overrides: Partial<IndentationCurveParams> = {}): {
  curve: IndentationCurve;
  truth: SyntheticUnloadTruth[];
} {
  const p: IndentationCurveParams = { ...DEFAULT_INDENTATION_CURVE, ...overrides };
  const rng = createSeededRandom(p.seed);
  const hardness = p.hardnessGPa * 1e-6;
  const modulus = p.reducedModulusGPa * 1e-6;
  const cf = p.tip.frameComplianceNmPerMN;
  const truth: SyntheticUnloadTruth[] = p.peakLoadsMN.map((pmax) => {
    const area = pmax / hardness;
    const hc = contactDepthForArea(p.tip, area);
    const s = (2 * p.beta * modulus * Math.sqrt(area)) / Math.sqrt(Math.PI);
    const hmax = hc + (p.epsilon * pmax) / s;
    const hf = hmax - (p.m * pmax) / s;
    if (!(hf > 0) || !(hc > 0)) {
      throw new IndentationAnalysisError(
        'bad-parameter',
        p.name,
        `H ${p.hardnessGPa} GPa, E_r ${p.reducedModulusGPa} GPa and m ${p.m} give h_f = ${hf} nm at ${pmax} mN: E_r/H is too small for this m.`,
      );
    }
    const alpha = pmax / Math.pow(hmax - hf, p.m);
    return {
      Pmax_mN: pmax,
      hmax_nm: hmax,
      hc_nm: hc,
      A_nm2: area,
      S_mN_nm: s,
      Smeasured_mN_nm: 1 / (1 / s + cf),
      hf_nm: hf,
      alpha,
      m: p.m,
    };
  });

  const time: number[] = [];
  const depth: number[] = [];
  const load: number[] = [];
  const code: number[] = [];
  let t = 0;
  const push = (dt: number, h: number, f: number, segment: number): void => {
    t += dt;
    time.push(t);
    depth.push(h);
    load.push(f);
    code.push(segment);
  };
  for (let i = 0; i < p.approachPoints; i++) {
    push(i === 0 ? 0 : 0.1, -p.approachNm * (1 - i / p.approachPoints), 0, INDENT_SEGMENT_CODE.approach);
  }
  const unloadingBranch = (k: number, h: number): number => truth[k].alpha * Math.pow(Math.max(0, h - truth[k].hf_nm), truth[k].m);
  let previous: { hLoadEnd: number; pmax: number; hUnloadEnd: number; k: number } | undefined;
  truth.forEach((cycle, k) => {
    const hLoadEnd = cycle.hmax_nm - (p.holdPoints > 0 ? p.creepNm : 0);
    const loadStep = p.loadingS / p.loadingPoints;
    if (!previous) {
      for (let i = p.approachPoints > 0 || time.length > 0 ? 1 : 0; i <= p.loadingPoints; i++) {
        const h = (hLoadEnd * i) / p.loadingPoints;
        push(time.length === 0 ? 0 : loadStep, h, cycle.Pmax_mN * (h / hLoadEnd) ** 2, INDENT_SEGMENT_CODE.loading);
      }
    } else {
      // Reload elastically along the previous unloading, then load on to this peak (P linear in h²).
      const prev = previous;
      const reloadPoints = Math.max(2, Math.round(p.loadingPoints / 4));
      for (let i = 1; i <= reloadPoints; i++) {
        const h = prev.hUnloadEnd + ((prev.hLoadEnd - prev.hUnloadEnd) * i) / reloadPoints;
        push(loadStep, h, unloadingBranch(prev.k, h), INDENT_SEGMENT_CODE.loading);
      }
      for (let i = 1; i <= p.loadingPoints; i++) {
        const h = prev.hLoadEnd + ((hLoadEnd - prev.hLoadEnd) * i) / p.loadingPoints;
        const w = (h * h - prev.hLoadEnd ** 2) / (hLoadEnd ** 2 - prev.hLoadEnd ** 2);
        push(loadStep, h, prev.pmax + (cycle.Pmax_mN - prev.pmax) * w, INDENT_SEGMENT_CODE.loading);
      }
    }
    for (let i = 1; i <= p.holdPoints; i++) {
      const tau = (p.holdS * i) / p.holdPoints;
      const creep = (p.creepNm * (1 - Math.exp(-tau / p.creepTauS))) / (1 - Math.exp(-p.holdS / p.creepTauS));
      // The hold's last row is (h_max, P_max), coded as the first unloading row as NanoSuite does.
      const segment = i === p.holdPoints ? INDENT_SEGMENT_CODE.unloading : INDENT_SEGMENT_CODE.hold;
      push(p.holdS / p.holdPoints, hLoadEnd + creep, cycle.Pmax_mN, segment);
    }
    // The unloading starts exactly at (h_max, P_max): the hold's last point when there is a hold.
    const pEnd = p.unloadToFraction * cycle.Pmax_mN;
    const hEnd = pEnd > 0 ? cycle.hf_nm + Math.pow(pEnd / cycle.alpha, 1 / cycle.m) : cycle.hf_nm;
    for (let i = p.holdPoints > 0 ? 1 : 0; i <= p.unloadingPoints; i++) {
      const h = cycle.hmax_nm - ((cycle.hmax_nm - hEnd) * i) / p.unloadingPoints;
      push(p.unloadingS / p.unloadingPoints, h, i === 0 ? cycle.Pmax_mN : unloadingBranch(k, h), INDENT_SEGMENT_CODE.unloading);
    }
    previous = { hLoadEnd: cycle.hmax_nm, pmax: cycle.Pmax_mN, hUnloadEnd: hEnd, k };
  });
  if (p.finalHoldPoints > 0 && previous) {
    const last = previous;
    for (let i = 1; i <= p.finalHoldPoints; i++) {
      push(p.finalHoldS / p.finalHoldPoints, last.hUnloadEnd, unloadingBranch(last.k, last.hUnloadEnd), INDENT_SEGMENT_CODE.hold);
    }
  }

  const n = time.length;
  const timeS = Float64Array.from(time);
  const loadMN = new Float64Array(n);
  const depthNm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    loadMN[i] = load[i] + (p.noiseLoadMN > 0 ? p.noiseLoadMN * rng.normal() : 0);
    depthNm[i] =
      depth[i] + cf * load[i] + p.driftRateNmPerS * timeS[i] + p.depthOffsetNm + (p.noiseDepthNm > 0 ? p.noiseDepthNm * rng.normal() : 0);
  }
  const curve: IndentationCurve = { name: p.name, timeS, depthNm, loadMN };
  if (p.withSegmentCodes) curve.segment = Uint8Array.from(code);
  return { curve, truth };
}
