/**
 * Half-cycle segmentation and per-cycle metrics of galvanostatic cycling (DOMAIN.md 'Cells and cycles').
 *
 *   columns -> |I| threshold (one pass) -> runs of one current sign (one pass) -> drop tiny runs, merge
 *   same-sign neighbours -> formation / cycles -> per half-cycle: ∫|I|dt, extremes, short signatures (one
 *   pass over its rows) -> plateau median and nucleation minimum by capacity fraction (one pass over a
 *   reused scratch of its active rows; quickselect, O(n))
 *
 * Sign convention (DOMAIN.md): current > 0 is charge / oxidation of the working electrode. In a Li | SE | In
 * cell the In electrode is the working electrode, so plating (lithiation of In) is negative current and a
 * cycle starts with it; in a full cell a cycle starts with the charge (positive current).
 *
 * Half-cycles and cycles are index ranges into the dataset's columns; nothing is copied. A half-cycle's
 * range may enclose rests (a paused plating, a multi-rate lithiation) and dropped one-sample blips: its
 * metrics use only its *active* rows (not a rest step, |I| ≥ the zero-current threshold, the half-cycle's
 * sign), and the trapezoid only joins index-adjacent active rows, so rests never add charge.
 */
import type { AbortSignalLike } from '../formats/import-dataset';
import { ImportError } from '../formats/import-error';
import type { DatasetColumns } from '../model/dataset';
import { STEP_TYPE_CODE } from '../model/step-type';

/** Thresholds of segmentation and of the per-sample counts the failure criteria need. */
export interface CycleParams {
  /** Rows with |I| below this fraction of the largest |I| of the file count as zero current (rest). */
  zeroCurrentFraction: number;
  /** Absolute floor of the zero-current threshold, mA. */
  zeroCurrentMA: number;
  /** Runs of one sign with fewer active rows are dropped (one-sample steps, sign blips). */
  minHalfCycleSamples: number;
  /** Leading half-cycles declared formation by the user (besides those of the wrong sign). */
  formationHalfCycles: number;
  /** Plateau = median over the middle of the capacity; this fraction is dropped at each end (DOMAIN: 10 %). */
  plateauTrimFraction: number;
  /** Nucleation minimum is searched in this first fraction of the plating capacity (DOMAIN: 10 %). */
  nucleationWindowFraction: number;
  /** A last half-cycle that runs into the end of the file with less than this fraction of the median
   * capacity of its kind is a test stopped mid-half-cycle. */
  incompleteCapacityFraction: number;
  /** Hard short: |V| below this counts as shorted, V (DOMAIN: 20 mV). */
  hardShortVoltageV: number;
  /** Soft short: a drop of |V| larger than this between consecutive samples, V (DOMAIN: 30 mV). */
  softShortDropV: number;
  /** A drop counts only if |V| climbs back by this fraction of the drop ... */
  softShortRecoveryFraction: number;
  /** ... within this many samples. */
  softShortRecoverySamples: number;
}

export const DEFAULT_CYCLE_PARAMS: Readonly<CycleParams> = Object.freeze({
  zeroCurrentFraction: 0.001,
  zeroCurrentMA: 0,
  minHalfCycleSamples: 2,
  formationHalfCycles: 0,
  plateauTrimFraction: 0.1,
  nucleationWindowFraction: 0.1,
  incompleteCapacityFraction: 0.9,
  hardShortVoltageV: 0.02,
  softShortDropV: 0.03,
  softShortRecoveryFraction: 0.5,
  softShortRecoverySamples: 10,
});

export type HalfCycleKind = 'plating' | 'stripping' | 'charge' | 'discharge';

export interface HalfCycle {
  readonly kind: HalfCycleKind;
  /** Sign of the current: -1 or +1. */
  readonly sign: number;
  /** First active row. */
  readonly start: number;
  /** One past the last active row. */
  readonly end: number;
}

export interface HalfCycleMetrics extends HalfCycle {
  /** Active rows. */
  samples: number;
  /** ∫|I|dt over index-adjacent active rows (trapezoid), mAh. */
  capacityMAh: number;
  /** Σ dt over the same pairs, s. */
  durationS: number;
  /** capacity / duration, mA (NaN for a zero-duration half-cycle). */
  meanCurrentMA: number;
  startTimeS: number;
  endTimeS: number;
  /** Median V over the middle (1 − 2·trim) of the capacity, V. */
  plateauV: number;
  /** Minimum V in the first nucleation-window fraction of the capacity, V. */
  earlyMinVoltageV: number;
  minVoltageV: number;
  maxVoltageV: number;
  /** Fraction of active rows with |V| < hardShortVoltageV. */
  lowVoltageFraction: number;
  /** Recovered drops of |V| > softShortDropV. */
  softShortDrops: number;
  /** Row of the first recovered drop, -1 if none. */
  firstDropRow: number;
  /** Instrument cycle counter over the active rows (NaN without a counter column). */
  counterMin: number;
  counterMax: number;
}

export interface CycleSegment {
  /** 1-based cycle number (DOMAIN.md). */
  readonly index: number;
  /** Plating (asymmetric) or charge (full cell). */
  readonly lead: HalfCycleMetrics;
  /** Stripping (asymmetric) or discharge (full cell); absent when the test ended before it. */
  readonly follow?: HalfCycleMetrics;
  /** First row of the lead, one past the last row of the cycle. */
  readonly start: number;
  readonly end: number;
  /** e.g. `incomplete` (the test stopped inside this cycle). */
  readonly flags: string[];
}

export interface Segmentation {
  /** |I| below this is zero current, mA. */
  zeroCurrentThresholdMA: number;
  /** Half-cycles before cycle 1 (a cell that starts with stripping, declared formation steps). */
  formation: HalfCycleMetrics[];
  cycles: CycleSegment[];
  /** Runs dropped as shorter than minHalfCycleSamples. */
  droppedRuns: number;
  /** Whether the file's cycle counter equals cycle index + a constant offset in every complete cycle. */
  cycleCounterAgrees: boolean;
  /** The offset (counter − index) when it agrees. */
  cycleCounterOffset: number | null;
  flags: string[];
}

export interface LongLoopOptions {
  readonly signal?: AbortSignalLike;
  /** Fraction done, 0..1. */
  readonly onProgress?: (fraction: number) => void;
}

/** Rows between abort checks / progress reports. */
const CHECK_EVERY_ROWS = 1 << 20;

const REST_CODE = STEP_TYPE_CODE.rest;

export function checkColumns(columns: DatasetColumns, fileName: string): number {
  const n = columns.timeS?.length;
  if (n === undefined || !columns.voltageV || !columns.currentMA || !columns.stepType)
    throw new ImportError('missing-column', fileName, 'cycling analysis needs time, voltage, current and step-type columns.');
  for (const [name, array] of [
    ['voltage', columns.voltageV],
    ['current', columns.currentMA],
    ['stepType', columns.stepType],
    ['cycle', columns.cycle],
  ] as const) {
    if (array && array.length !== n)
      throw new ImportError('missing-column', fileName, `column ${name} has ${array.length} rows, time has ${n}.`);
  }
  return n;
}

function checkAbort(options: LongLoopOptions | undefined, fileName: string): void {
  if (options?.signal?.aborted) throw new ImportError('aborted', fileName, 'analysis cancelled.');
}

/** Largest |I| of the non-rest rows, mA (one pass). */
function maxAbsCurrent(columns: DatasetColumns): number {
  const current = columns.currentMA;
  const stepType = columns.stepType;
  let max = 0;
  for (let i = 0; i < current.length; i++) {
    if (stepType[i] === REST_CODE) continue;
    const a = Math.abs(current[i]);
    if (a > max) max = a; // NaN compares false and is skipped
  }
  return max;
}

interface Run {
  sign: number;
  start: number;
  end: number;
  samples: number;
}

/**
 * Runs of active rows of one current sign (one pass). Rests do not end a run: a half-cycle is everything
 * of one sign until the current turns.
 */
function findRuns(columns: DatasetColumns, thresholdMA: number, options: LongLoopOptions | undefined, fileName: string): Run[] {
  const current = columns.currentMA;
  const stepType = columns.stepType;
  const n = current.length;
  const runs: Run[] = [];
  let sign = 0;
  let start = -1;
  let last = -1;
  let samples = 0;
  for (let chunk = 0; chunk < n; chunk += CHECK_EVERY_ROWS) {
    if (chunk > 0) {
      checkAbort(options, fileName);
      options?.onProgress?.((0.5 * chunk) / n);
    }
    const chunkEnd = Math.min(n, chunk + CHECK_EVERY_ROWS);
    for (let i = chunk; i < chunkEnd; i++) {
      const value = current[i];
      const absI = value < 0 ? -value : value;
      if (!(absI >= thresholdMA) || stepType[i] === REST_CODE) continue;
      const s = value > 0 ? 1 : -1;
      if (s !== sign) {
        if (sign !== 0) runs.push({ sign, start, end: last + 1, samples });
        sign = s;
        start = i;
        samples = 0;
      }
      last = i;
      samples++;
    }
  }
  if (sign !== 0) runs.push({ sign, start, end: last + 1, samples });
  return runs;
}

/** Drops runs shorter than `minSamples`, then joins neighbours of the same sign. */
function mergeRuns(runs: Run[], minSamples: number): { halves: Run[]; dropped: number } {
  const halves: Run[] = [];
  let dropped = 0;
  for (const run of runs) {
    if (run.samples < minSamples) {
      dropped++;
      continue;
    }
    const previous = halves[halves.length - 1];
    if (previous && previous.sign === run.sign) {
      previous.end = run.end;
      previous.samples += run.samples;
    } else halves.push({ ...run });
  }
  return { halves, dropped };
}

function kindOf(sign: number, isFullCell: boolean): HalfCycleKind {
  if (isFullCell) return sign > 0 ? 'charge' : 'discharge';
  return sign < 0 ? 'plating' : 'stripping';
}

/** Reusable scratch of a half-cycle's active rows: grows, never shrinks (no per-row allocation). */
export class HalfCycleScratch {
  voltageV = new Float64Array(1024);
  /** Cumulative ∫|I|dt at each active row, mA·s. */
  chargeMAs = new Float64Array(1024);
  ensure(n: number): void {
    if (this.voltageV.length >= n) return;
    const size = Math.max(n, this.voltageV.length * 2);
    this.voltageV = new Float64Array(size);
    this.chargeMAs = new Float64Array(size);
  }
}

/**
 * Median of values[0..n) by quickselect (Hoare partition), O(n); reorders the values. NaN when n = 0.
 */
export function medianInPlace(values: Float64Array, n: number): number {
  if (n <= 0) return NaN;
  const k = n >> 1;
  const upper = select(values, n, k);
  if (n % 2 === 1) return upper;
  // After selecting k, values[0..k) are ≤ values[k]: the lower middle is their maximum.
  let lower = -Infinity;
  for (let i = 0; i < k; i++) if (values[i] > lower) lower = values[i];
  return (lower + upper) / 2;
}

function select(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Results of the row pass of one half-cycle (one reusable object: the hot loop stays small and monomorphic). */
class RowScan {
  capacityMAs = 0;
  durationS = 0;
  samples = 0;
  lowCount = 0;
  drops = 0;
  firstDropRow = -1;
  minV = Infinity;
  maxV = -Infinity;
  firstRow = -1;
  lastRow = -1;
}

/**
 * The row pass: charge, duration, extremes and short signatures over the active rows of [start, end); the
 * active voltages and cumulative charge go to `activeV` / `activeQ`.
 */
function scanRows(
  out: RowScan,
  timeS: Float64Array,
  voltageV: Float32Array,
  currentMA: Float32Array,
  stepType: Uint8Array,
  start: number,
  end: number,
  sign: number,
  thresholdMA: number,
  lowV: number,
  dropV: number,
  recoveryFraction: number,
  recoverySamples: number,
  activeV: Float64Array,
  activeQ: Float64Array,
): void {
  let capacityMAs = 0;
  let durationS = 0;
  let samples = 0;
  let lowCount = 0;
  let drops = 0;
  let firstDropRow = -1;
  let pendingLevel = 0;
  let pendingUntil = -1;
  let pendingRow = -1;
  let minV = Infinity;
  let maxV = -Infinity;
  let firstRow = -1;
  let lastRow = -1;
  let previousActive = -2;
  let previousAbsI = 0;
  let previousAbsV = 0;
  let pairs = 0;
  for (let i = start; i < end; i++) {
    const absI = currentMA[i] * sign;
    // Active: not a rest, this half-cycle's sign, |I| at or above the threshold (NaN fails).
    if (!(absI >= thresholdMA) || stepType[i] === REST_CODE) continue;
    const v = voltageV[i];
    const absV = v < 0 ? -v : v;
    if (firstRow < 0) firstRow = i;
    lastRow = i;
    if (v < minV) minV = v;
    if (v > maxV) maxV = v;
    if (absV < lowV) lowCount++;
    if (previousActive === i - 1) {
      const dt = timeS[i] - timeS[i - 1];
      capacityMAs += (absI + previousAbsI) * 0.5 * dt;
      durationS += dt;
      pairs++;
      if (pendingRow >= 0) {
        if (absV >= pendingLevel) {
          drops++;
          if (firstDropRow < 0) firstDropRow = pendingRow;
          pendingRow = -1;
        } else if (samples > pendingUntil) pendingRow = -1;
      }
      // The first pair is the step onset (rest voltage to load voltage): never a soft-short drop.
      const drop = previousAbsV - absV;
      if (drop > dropV && pairs > 1) {
        pendingRow = i;
        pendingLevel = absV + drop * recoveryFraction;
        pendingUntil = samples + recoverySamples;
      }
    }
    activeV[samples] = v;
    activeQ[samples] = capacityMAs;
    samples++;
    previousActive = i;
    previousAbsI = absI;
    previousAbsV = absV;
  }
  out.capacityMAs = capacityMAs;
  out.durationS = durationS;
  out.samples = samples;
  out.lowCount = lowCount;
  out.drops = drops;
  out.firstDropRow = firstDropRow;
  out.minV = minV;
  out.maxV = maxV;
  out.firstRow = firstRow;
  out.lastRow = lastRow;
}

/**
 * Plateau (median over the middle of the capacity) and early minimum (nucleation) from the scratch,
 * compacting the kept voltages to its front (kept ≤ s, so nothing unread is overwritten).
 */
function plateauAndEarlyMin(
  activeV: Float64Array,
  activeQ: Float64Array,
  samples: number,
  capacityMAs: number,
  trim: number,
  early: number,
): [number, number] {
  const lowQ = trim * capacityMAs;
  const highQ = (1 - trim) * capacityMAs;
  const earlyQ = early * capacityMAs;
  const keepAll = !(capacityMAs > 0);
  let kept = 0;
  let earlyMin = Infinity;
  for (let s = 0; s < samples; s++) {
    const q = activeQ[s];
    const v = activeV[s];
    if (v !== v) continue; // a missing voltage (NaN) has no place in a median
    if (q <= earlyQ && v < earlyMin) earlyMin = v;
    if (keepAll || (q >= lowQ && q <= highQ)) activeV[kept++] = v;
  }
  return [medianInPlace(activeV, kept), earlyMin];
}

/**
 * Metrics of one half-cycle from the raw columns: one pass over its rows, one over the scratch of its
 * active rows (no allocation besides the shared scratch).
 */
export function measureHalfCycle(
  columns: DatasetColumns,
  half: HalfCycle,
  thresholdMA: number,
  params: CycleParams,
  scratch: HalfCycleScratch = new HalfCycleScratch(),
): HalfCycleMetrics {
  const { timeS, cycle } = columns;
  scratch.ensure(half.end - half.start);
  const scan = new RowScan();
  scanRows(
    scan,
    timeS,
    columns.voltageV,
    columns.currentMA,
    columns.stepType,
    half.start,
    half.end,
    half.sign,
    thresholdMA,
    params.hardShortVoltageV,
    params.softShortDropV,
    params.softShortRecoveryFraction,
    params.softShortRecoverySamples,
    scratch.voltageV,
    scratch.chargeMAs,
  );
  const { capacityMAs, durationS, samples, firstRow, lastRow } = scan;
  // The counter over the half-cycle's rows (rests inside it belong to the same instrument cycle).
  let counterMin = NaN;
  let counterMax = NaN;
  if (cycle && firstRow >= 0) {
    counterMin = Infinity;
    counterMax = -Infinity;
    for (let i = firstRow; i <= lastRow; i++) {
      const c = cycle[i];
      if (c < counterMin) counterMin = c;
      if (c > counterMax) counterMax = c;
    }
  }
  const [plateauV, earlyMin] = plateauAndEarlyMin(
    scratch.voltageV,
    scratch.chargeMAs,
    samples,
    capacityMAs,
    params.plateauTrimFraction,
    params.nucleationWindowFraction,
  );
  return {
    kind: half.kind,
    sign: half.sign,
    start: half.start,
    end: half.end,
    samples,
    capacityMAh: capacityMAs / 3600,
    durationS,
    meanCurrentMA: durationS > 0 ? capacityMAs / durationS : NaN,
    startTimeS: firstRow >= 0 ? timeS[firstRow] : NaN,
    endTimeS: lastRow >= 0 ? timeS[lastRow] : NaN,
    plateauV,
    earlyMinVoltageV: Number.isFinite(earlyMin) ? earlyMin : NaN,
    minVoltageV: Number.isFinite(scan.minV) ? scan.minV : NaN,
    maxVoltageV: Number.isFinite(scan.maxV) ? scan.maxV : NaN,
    lowVoltageFraction: samples > 0 ? scan.lowCount / samples : 0,
    softShortDrops: scan.drops,
    firstDropRow: scan.firstDropRow,
    counterMin,
    counterMax,
  };
}

function median(values: number[]): number {
  const a = Float64Array.from(values);
  return medianInPlace(a, a.length);
}

/**
 * Splits a dataset into formation half-cycles and cycles (DOMAIN.md: cycle n = the n-th plating and the
 * stripping after it; full cell: the n-th charge and the discharge after it) and measures each half-cycle.
 */
export function segmentCycles(
  columns: DatasetColumns,
  isFullCell: boolean,
  overrides: Partial<CycleParams> = {},
  options?: LongLoopOptions,
  fileName = 'dataset',
): Segmentation {
  const params: CycleParams = { ...DEFAULT_CYCLE_PARAMS, ...overrides };
  const rowCount = checkColumns(columns, fileName);
  const leadSign = isFullCell ? 1 : -1;
  const maxAbs = maxAbsCurrent(columns);
  // Never 0: an exact zero current is a rest whatever the parameters say (its sign is undefined).
  const thresholdMA = Math.max(params.zeroCurrentMA, params.zeroCurrentFraction * maxAbs, Number.MIN_VALUE);
  const flags: string[] = [];
  if (maxAbs === 0) {
    return {
      zeroCurrentThresholdMA: thresholdMA,
      formation: [],
      cycles: [],
      droppedRuns: 0,
      cycleCounterAgrees: false,
      cycleCounterOffset: null,
      flags: ['no-current'],
    };
  }
  const { halves, dropped } = mergeRuns(findRuns(columns, thresholdMA, options, fileName), params.minHalfCycleSamples);
  if (dropped > 0) flags.push(`dropped-short-runs:${dropped}`);

  const scratch = new HalfCycleScratch();
  const measured: HalfCycleMetrics[] = [];
  for (const run of halves) {
    checkAbort(options, fileName);
    measured.push(
      measureHalfCycle(
        columns,
        { kind: kindOf(run.sign, isFullCell), sign: run.sign, start: run.start, end: run.end },
        thresholdMA,
        params,
        scratch,
      ),
    );
    options?.onProgress?.(0.5 + (0.5 * run.end) / rowCount);
  }

  let first = Math.min(Math.max(0, Math.floor(params.formationHalfCycles)), measured.length);
  while (first < measured.length && measured[first].sign !== leadSign) first++;
  const formation = measured.slice(0, first);
  if (formation.length > 0) {
    const wrongSign = formation.filter((h) => h.sign !== leadSign).length;
    if (formation[0].sign !== leadSign)
      flags.push(`starts-with-${formation[0].kind}: ${formation.length} formation half-cycle(s) before cycle 1`);
    else flags.push(`formation: ${formation.length} declared half-cycle(s) before cycle 1 (${wrongSign} of the opposite sign)`);
  }

  const cycles: CycleSegment[] = [];
  for (let k = first, index = 1; k < measured.length; k += 2, index++) {
    const lead = measured[k];
    const follow = measured[k + 1];
    cycles.push({ index, lead, follow, start: lead.start, end: (follow ?? lead).end, flags: [] });
  }

  markIncomplete(cycles, rowCount, columns, thresholdMA, params);
  const agreement = counterAgreement(cycles, columns.cycle !== undefined);
  if (columns.cycle && !agreement.agrees) flags.push('cycle-counter-disagrees');
  return {
    zeroCurrentThresholdMA: thresholdMA,
    formation,
    cycles,
    droppedRuns: dropped,
    cycleCounterAgrees: agreement.agrees,
    cycleCounterOffset: agreement.offset,
    flags,
  };
}

/** True when no active row follows `row` (the test was still running when the file ends). */
function runsToEnd(columns: DatasetColumns, row: number, rowCount: number, thresholdMA: number): boolean {
  // A trailing rest step means the instrument finished the half-cycle; nothing after it means it stopped.
  for (let i = row; i < rowCount; i++) {
    if (columns.stepType[i] === REST_CODE || !(Math.abs(columns.currentMA[i]) >= thresholdMA)) return false;
  }
  return true;
}

function markIncomplete(cycles: CycleSegment[], rowCount: number, columns: DatasetColumns, thresholdMA: number, params: CycleParams): void {
  const last = cycles[cycles.length - 1];
  if (!last) return;
  if (!last.follow) {
    last.flags.push('incomplete');
    return;
  }
  if (!runsToEnd(columns, last.end, rowCount, thresholdMA)) return;
  const earlier = cycles.slice(0, -1).filter((c) => c.follow !== undefined);
  if (earlier.length === 0) return;
  const typical = median(earlier.map((c) => c.follow!.capacityMAh));
  if (last.follow.capacityMAh < params.incompleteCapacityFraction * typical) last.flags.push('incomplete');
}

function counterAgreement(cycles: CycleSegment[], hasCounter: boolean): { agrees: boolean; offset: number | null } {
  if (!hasCounter) return { agrees: false, offset: null };
  let offset: number | null = null;
  for (const c of cycles) {
    const min = Math.min(c.lead.counterMin, c.follow?.counterMin ?? Infinity);
    const max = Math.max(c.lead.counterMax, c.follow?.counterMax ?? -Infinity);
    if (!(min === max)) return { agrees: false, offset: null };
    const o = min - c.index;
    if (offset === null) offset = o;
    else if (o !== offset) return { agrees: false, offset: null };
  }
  return { agrees: offset !== null, offset };
}

/** The rows of a half-cycle or cycle as views of the columns (no copies). */
export function rangeColumns(columns: DatasetColumns, range: { start: number; end: number }): DatasetColumns {
  const { start, end } = range;
  const out: DatasetColumns = {
    timeS: columns.timeS.subarray(start, end),
    voltageV: columns.voltageV.subarray(start, end),
    currentMA: columns.currentMA.subarray(start, end),
    step: columns.step.subarray(start, end),
    stepType: columns.stepType.subarray(start, end),
  };
  if (columns.capacityMAh) out.capacityMAh = columns.capacityMAh.subarray(start, end);
  if (columns.cycle) out.cycle = columns.cycle.subarray(start, end);
  if (columns.temperatureC) out.temperatureC = columns.temperatureC.subarray(start, end);
  return out;
}

/** Per-cycle numbers of DOMAIN.md 'Cells and cycles'. NaN where undefined (no follow half-cycle, no mass). */
export interface CycleMetrics {
  readonly index: number;
  readonly segment: CycleSegment;
  /** Plating (asymmetric) or charge (full cell) capacity, mAh. */
  readonly leadCapacityMAh: number;
  /** Stripping (asymmetric) or discharge (full cell) capacity, mAh. */
  readonly followCapacityMAh: number;
  readonly leadArealCapacityMAhCm2: number;
  readonly followArealCapacityMAhCm2: number;
  readonly leadSpecificCapacityMAhG: number;
  readonly followSpecificCapacityMAhG: number;
  /** follow / lead: CE = Q_stripping / Q_plating (full cell: Q_discharge / Q_charge). */
  readonly ce: number;
  readonly leadPlateauV: number;
  readonly followPlateauV: number;
  /** plateau(positive current) − plateau(negative current), mV. */
  readonly voltageGapMV: number;
  /** plateau(plating) − min V in the first 10 % of plating, mV (asymmetric cells only). */
  readonly nucleationOverpotentialMV: number;
  /** Σ_{k ≤ n} Q_lead,k / A, mAh/cm². */
  readonly accumulatedArealCapacityMAhCm2: number;
  /** Mean |I| of the lead half-cycle / A, mA/cm². */
  readonly currentDensityMACm2: number;
  /** From the lead's first active row to the follow's last, s. */
  readonly durationS: number;
  /** Full cell: discharge capacity / the first cycle's; NaN for asymmetric cells. */
  readonly retention: number;
  /** Instrument cycle counter of the cycle when the counter agrees, else NaN. */
  readonly instrumentCycle: number;
  readonly flags: readonly string[];
}

export function computeCycleMetrics(
  segmentation: Segmentation,
  cell: { areaCm2: number; activeMassG?: number; isFullCell: boolean },
): CycleMetrics[] {
  const { areaCm2, activeMassG, isFullCell } = cell;
  const mass = activeMassG ?? NaN;
  let accumulated = 0;
  let firstFollow = NaN;
  return segmentation.cycles.map((segment) => {
    const { lead, follow } = segment;
    accumulated += lead.capacityMAh / areaCm2;
    const followQ = follow ? follow.capacityMAh : NaN;
    if (Number.isNaN(firstFollow) && follow && !segment.flags.includes('incomplete')) firstFollow = followQ;
    const positive = lead.sign > 0 ? lead : follow;
    const negative = lead.sign > 0 ? follow : lead;
    return {
      index: segment.index,
      segment,
      leadCapacityMAh: lead.capacityMAh,
      followCapacityMAh: followQ,
      leadArealCapacityMAhCm2: lead.capacityMAh / areaCm2,
      followArealCapacityMAhCm2: followQ / areaCm2,
      leadSpecificCapacityMAhG: lead.capacityMAh / mass,
      followSpecificCapacityMAhG: followQ / mass,
      ce: lead.capacityMAh > 0 ? followQ / lead.capacityMAh : NaN,
      leadPlateauV: lead.plateauV,
      followPlateauV: follow ? follow.plateauV : NaN,
      voltageGapMV: positive && negative ? (positive.plateauV - negative.plateauV) * 1000 : NaN,
      nucleationOverpotentialMV: isFullCell ? NaN : (lead.plateauV - lead.earlyMinVoltageV) * 1000,
      accumulatedArealCapacityMAhCm2: accumulated,
      currentDensityMACm2: lead.meanCurrentMA / areaCm2,
      durationS: (follow ?? lead).endTimeS - lead.startTimeS,
      retention: isFullCell ? followQ / firstFollow : NaN,
      instrumentCycle: segmentation.cycleCounterAgrees ? lead.counterMin : NaN,
      flags: segment.flags,
    };
  });
}
