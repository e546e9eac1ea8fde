/**
 * Critical current density from a staircase test (DOMAIN.md 'Failure'): j is raised step by step; the CCD is
 * the current density of the first step in which a short (soft or hard) is detected, reported beside the
 * last step completed without one. The study's cells: 0.8 mA/cm².
 */
import type { CycleMetrics } from './cycles';
import {
  advanceContext,
  DEFAULT_FAILURE_PARAMS,
  type FailureEvidence,
  type FailureParams,
  newFailureContext,
  shortEvidence,
} from './failure';

export interface CcdParams {
  /** A cycle whose j differs from its step's first cycle by more than this fraction starts a new step. */
  stepRelativeTolerance: number;
  /** A staircase has at least this many steps, each above the one before ... */
  minStaircaseSteps: number;
  /** ... and none longer than this many cycles (a long run at one j after a ramp-up is a cycling test). */
  maxStaircaseCyclesPerStep: number;
}

export const DEFAULT_CCD_PARAMS: Readonly<CcdParams> = Object.freeze({
  stepRelativeTolerance: 0.05,
  minStaircaseSteps: 3,
  maxStaircaseCyclesPerStep: 10,
});

export interface CurrentStep {
  /** Median of its cycles' current densities, mA/cm². */
  currentDensityMACm2: number;
  /** Indices (1-based) of its cycles. */
  cycles: number[];
}

export interface CcdStep extends CurrentStep {
  shorted: boolean;
  evidence: FailureEvidence[];
}

export interface CcdAnalysis {
  /** First shorted step's j, mA/cm²; null when no step shorted. */
  ccdMACm2: number | null;
  /** j of the last step before it (or of the last step when none shorted); null when the first step shorted. */
  lastStableMACm2: number | null;
  steps: CcdStep[];
}

function medianOf(values: number[]): number {
  const a = [...values].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

/** Groups consecutive cycles of (nearly) the same current density. */
export function groupCurrentSteps(metrics: readonly CycleMetrics[], tolerance = DEFAULT_CCD_PARAMS.stepRelativeTolerance): CurrentStep[] {
  const steps: { first: number; js: number[]; cycles: number[] }[] = [];
  for (const m of metrics) {
    const j = m.currentDensityMACm2;
    if (!Number.isFinite(j)) continue;
    const current = steps[steps.length - 1];
    if (current && Math.abs(j - current.first) <= tolerance * current.first) {
      current.js.push(j);
      current.cycles.push(m.index);
    } else steps.push({ first: j, js: [j], cycles: [m.index] });
  }
  return steps.map((s) => ({ currentDensityMACm2: medianOf(s.js), cycles: s.cycles }));
}

/** True for ≥ minStaircaseSteps steps of ≤ maxStaircaseCyclesPerStep cycles, each with a higher j than the one before. */
export function isStaircase(steps: readonly CurrentStep[], params: CcdParams = DEFAULT_CCD_PARAMS): boolean {
  if (steps.length < params.minStaircaseSteps) return false;
  if (steps.some((s) => s.cycles.length > params.maxStaircaseCyclesPerStep)) return false;
  for (let k = 1; k < steps.length; k++) {
    if (!(steps[k].currentDensityMACm2 > steps[k - 1].currentDensityMACm2 * (1 + params.stepRelativeTolerance))) return false;
  }
  return true;
}

/** Per-step short verdicts and the CCD. */
export function analyzeCcdSteps(
  metrics: readonly CycleMetrics[],
  isFullCell: boolean,
  overrides: Partial<FailureParams & CcdParams> = {},
  timeOfRow: (row: number) => number = () => NaN,
): CcdAnalysis {
  const params = { ...DEFAULT_FAILURE_PARAMS, ...DEFAULT_CCD_PARAMS, ...overrides };
  const byIndex = new Map(metrics.map((m) => [m.index, m]));
  const context = newFailureContext(isFullCell);
  const steps: CcdStep[] = groupCurrentSteps(metrics, params.stepRelativeTolerance).map((step) => {
    const evidence: FailureEvidence[] = [];
    for (const index of step.cycles) {
      const m = byIndex.get(index)!;
      evidence.push(...shortEvidence(m, context, params, timeOfRow));
      advanceContext(context, m, params);
    }
    return { ...step, shorted: evidence.length > 0, evidence };
  });
  const firstShorted = steps.findIndex((s) => s.shorted);
  if (firstShorted < 0)
    return { ccdMACm2: null, lastStableMACm2: steps.length > 0 ? steps[steps.length - 1].currentDensityMACm2 : null, steps };
  return {
    ccdMACm2: steps[firstShorted].currentDensityMACm2,
    lastStableMACm2: firstShorted > 0 ? steps[firstShorted - 1].currentDensityMACm2 : null,
    steps,
  };
}
