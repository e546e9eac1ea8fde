/**
 * Failure classification of a cycled cell (DOMAIN.md 'Failure'), from the per-cycle metrics and the per-sample
 * counts taken on the raw trace by {@link measureHalfCycle}.
 *
 * - hard short: in a half-cycle |V| < 20 mV over ≥ 90 % of its samples, and the plateaus of the cycle's two
 *   half-cycles differ by < 10 mV (the voltage no longer follows the current);
 * - soft short: recovered drops of |V| > 30 mV between consecutive samples in ≥ 1 % of a half-cycle's samples,
 *   or (asymmetric cells) a stripping that no longer reaches the cut-off and gives CE ≥ 100 % after cycles that did;
 * - polarization: voltage gap ≥ 3 × the first cycle's gap and ≥ 100 mV, or CE < 90 %.
 * The failure cycle is the first cycle meeting any criterion; when several meet it in that cycle the class is
 * the most severe (hard short, soft short, polarization). Lifespan = accumulated areal capacity through the
 * cycle before; a stable cell's lifespan is the accumulated capacity at the end, censored.
 */
import type { CycleMetrics, HalfCycleKind, HalfCycleMetrics } from './cycles';

export type FailureClass = 'stable' | 'polarization' | 'soft-short' | 'hard-short';

export const FAILURE_CLASSES: readonly FailureClass[] = ['stable', 'polarization', 'soft-short', 'hard-short'];

export type FailureCriterion =
  'hard-short-low-voltage' | 'soft-short-voltage-drops' | 'soft-short-no-cutoff' | 'polarization-voltage-gap' | 'polarization-low-ce';

export interface FailureParams {
  /** Hard short: fraction of a half-cycle's samples with |V| < hardShortVoltageV (DOMAIN: 90 %). */
  hardShortSampleFraction: number;
  /** Hard short: the two half-cycles' plateaus differ by less than this, V (DOMAIN: 10 mV). */
  hardShortPlateauDifferenceV: number;
  /** Soft short: recovered drops in at least this fraction of a half-cycle's samples (DOMAIN: 1 %). */
  softShortDropSampleFraction: number;
  /** Stripping cut-off of the asymmetric-cell protocol, V (DOMAIN: 1.5 V). */
  strippingCutoffV: number;
  /** A stripping whose maximum is within this of the cut-off reached it, V. */
  cutoffToleranceV: number;
  /** Soft short: CE of a stripping that missed the cut-off at or above this (DOMAIN: 100 %). */
  softShortMinCe: number;
  /** Polarization: gap ≥ this × the first cycle's gap (DOMAIN: 3) ... */
  polarizationGapFactor: number;
  /** ... and ≥ this, mV (DOMAIN: 100 mV). */
  polarizationMinGapMV: number;
  /** Polarization: CE below this (DOMAIN: 90 %). */
  polarizationMinCe: number;
  /** First cycle whose CE is judged in an asymmetric cell. */
  ceFromCycle: number;
  /** First cycle whose CE is judged in a full cell (cycle 1 loses Li to the interphases by design). */
  fullCellCeFromCycle: number;
}

export const DEFAULT_FAILURE_PARAMS: Readonly<FailureParams> = Object.freeze({
  hardShortSampleFraction: 0.9,
  hardShortPlateauDifferenceV: 0.01,
  softShortDropSampleFraction: 0.01,
  strippingCutoffV: 1.5,
  cutoffToleranceV: 0.05,
  softShortMinCe: 1,
  polarizationGapFactor: 3,
  polarizationMinGapMV: 100,
  polarizationMinCe: 0.9,
  ceFromCycle: 1,
  fullCellCeFromCycle: 2,
});

export interface FailureEvidence {
  criterion: FailureCriterion;
  class: Exclude<FailureClass, 'stable'>;
  cycle: number;
  halfCycle: HalfCycleKind;
  /** Time of the first offending sample (or of the half-cycle's start), s. */
  timeS: number;
  /** Row range of the half-cycle. */
  sampleStart: number;
  sampleEnd: number;
  value: number;
  threshold: number;
}

export interface FailureResult {
  class: FailureClass;
  /** First failing cycle, null when stable. */
  cycle: number | null;
  /** Accumulated areal capacity through the cycle before failure (stable: at the end), mAh/cm². */
  lifespanMAhCm2: number;
  /** True when the cell had not failed when the test ended. */
  censored: boolean;
  evidence: FailureEvidence[];
}

const SEVERITY: Record<Exclude<FailureClass, 'stable'>, number> = { 'hard-short': 3, 'soft-short': 2, polarization: 1 };

function evidenceOf(
  criterion: FailureCriterion,
  cls: FailureEvidence['class'],
  cycle: number,
  half: HalfCycleMetrics,
  value: number,
  threshold: number,
  timeS = half.startTimeS,
): FailureEvidence {
  return { criterion, class: cls, cycle, halfCycle: half.kind, timeS, sampleStart: half.start, sampleEnd: half.end, value, threshold };
}

/** What the criteria of a cycle need to know about the cycles before it. */
export interface FailureContext {
  /** Voltage gap of the first complete cycle, mV (NaN before it is known). */
  firstGapMV: number;
  /** Whether an earlier complete stripping reached the cut-off. */
  hasReachedCutoff: boolean;
  isFullCell: boolean;
}

/** Short criteria of one cycle (hard and soft), in DOMAIN.md's terms. */
export function shortEvidence(
  m: CycleMetrics,
  context: FailureContext,
  params: FailureParams,
  timeOfRow: (row: number) => number,
): FailureEvidence[] {
  const out: FailureEvidence[] = [];
  const { lead, follow } = m.segment;
  const halves = follow ? [lead, follow] : [lead];
  const plateausAgree = !follow || Math.abs(lead.plateauV - follow.plateauV) < params.hardShortPlateauDifferenceV;
  for (const h of halves) {
    if (plateausAgree && h.samples > 0 && h.lowVoltageFraction >= params.hardShortSampleFraction) {
      out.push(evidenceOf('hard-short-low-voltage', 'hard-short', m.index, h, h.lowVoltageFraction, params.hardShortSampleFraction));
      break;
    }
  }
  for (const h of halves) {
    const fraction = h.samples > 0 ? h.softShortDrops / h.samples : 0;
    if (h.softShortDrops > 0 && fraction >= params.softShortDropSampleFraction) {
      out.push(
        evidenceOf(
          'soft-short-voltage-drops',
          'soft-short',
          m.index,
          h,
          fraction,
          params.softShortDropSampleFraction,
          timeOfRow(h.firstDropRow),
        ),
      );
      break;
    }
  }
  const isComplete = !m.flags.includes('incomplete');
  if (!context.isFullCell && follow && isComplete && context.hasReachedCutoff) {
    const missed = follow.maxVoltageV < params.strippingCutoffV - params.cutoffToleranceV;
    if (missed && m.ce >= params.softShortMinCe)
      out.push(evidenceOf('soft-short-no-cutoff', 'soft-short', m.index, follow, m.ce, params.softShortMinCe));
  }
  return out;
}

/** Polarization criteria of one cycle. */
export function polarizationEvidence(m: CycleMetrics, context: FailureContext, params: FailureParams): FailureEvidence[] {
  const out: FailureEvidence[] = [];
  const follow = m.segment.follow;
  if (!follow) return out;
  const gapThreshold = Math.max(params.polarizationGapFactor * context.firstGapMV, params.polarizationMinGapMV);
  if (m.index > 1 && Number.isFinite(context.firstGapMV) && m.voltageGapMV >= gapThreshold)
    out.push(evidenceOf('polarization-voltage-gap', 'polarization', m.index, follow, m.voltageGapMV, gapThreshold));
  const ceFrom = context.isFullCell ? params.fullCellCeFromCycle : params.ceFromCycle;
  if (m.index >= ceFrom && !m.flags.includes('incomplete') && m.ce < params.polarizationMinCe)
    out.push(evidenceOf('polarization-low-ce', 'polarization', m.index, follow, m.ce, params.polarizationMinCe));
  return out;
}

/** Updates the context with a cycle once its criteria are judged. */
export function advanceContext(context: FailureContext, m: CycleMetrics, params: FailureParams): void {
  const follow = m.segment.follow;
  if (!follow || m.flags.includes('incomplete')) return;
  if (Number.isNaN(context.firstGapMV)) context.firstGapMV = m.voltageGapMV;
  if (follow.maxVoltageV >= params.strippingCutoffV - params.cutoffToleranceV) context.hasReachedCutoff = true;
}

export function newFailureContext(isFullCell: boolean): FailureContext {
  return { firstGapMV: NaN, hasReachedCutoff: false, isFullCell };
}

/** Classifies a cell: first failing cycle, class, lifespan and the evidence found in that cycle. */
export function classifyFailure(
  metrics: readonly CycleMetrics[],
  isFullCell: boolean,
  overrides: Partial<FailureParams> = {},
  timeOfRow: (row: number) => number = () => NaN,
): FailureResult {
  const params: FailureParams = { ...DEFAULT_FAILURE_PARAMS, ...overrides };
  const context = newFailureContext(isFullCell);
  for (let k = 0; k < metrics.length; k++) {
    const m = metrics[k];
    const evidence = [...shortEvidence(m, context, params, timeOfRow), ...polarizationEvidence(m, context, params)];
    if (evidence.length > 0) {
      evidence.sort((a, b) => SEVERITY[b.class] - SEVERITY[a.class]);
      return {
        class: evidence[0].class,
        cycle: m.index,
        lifespanMAhCm2: k > 0 ? metrics[k - 1].accumulatedArealCapacityMAhCm2 : 0,
        censored: false,
        evidence,
      };
    }
    advanceContext(context, m, params);
  }
  const last = metrics[metrics.length - 1];
  return { class: 'stable', cycle: null, lifespanMAhCm2: last ? last.accumulatedArealCapacityMAhCm2 : 0, censored: true, evidence: [] };
}
