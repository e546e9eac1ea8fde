/**
 * What the linked Cell view draws over its plots, from an analysed cell's cycle row ranges and its time
 * column: the time windows of the selected / hovered cycles (shaded in Voltage vs time), the cycles visible
 * in a zoomed time window (shaded in the per-cycle plots), the failure-evidence markers and the time window a
 * marker jumps to, and which cycles the curve plots (Voltage vs capacity, dQ/dV) show.
 *
 * Row ranges are half-open, [sampleStart, sampleEnd) (cycles.ts); times are seconds since the test start.
 */
import type { CycleJson, FailureEvidenceJson } from '../analysis/analyze-cycling';
import type { TimeMarker, TimeWindow } from './voltage-time-spec';

export type CycleRows = Pick<CycleJson, 'index' | 'sampleStart' | 'sampleEnd'>;

/** [start, end] time of a cycle's rows, s; undefined when its rows are outside the column. */
export function cycleTimeRangeS(cycle: CycleRows, timeS: ArrayLike<number>): [number, number] | undefined {
  const first = Math.max(0, cycle.sampleStart);
  const last = Math.min(timeS.length, cycle.sampleEnd) - 1;
  if (!(last >= first)) return undefined;
  return [timeS[first], timeS[last]];
}

/**
 * Shaded windows of the selected cycles (consecutive cycle numbers merged into one window, so a box
 * selection of 500 cycles is a few shapes, not 500) and of the hovered cycle.
 */
export function cycleWindows(
  cycles: readonly CycleRows[],
  timeS: ArrayLike<number>,
  selected: readonly number[],
  hovered: number | null,
): TimeWindow[] {
  const byIndex = new Map(cycles.map((c) => [c.index, c]));
  const windows: TimeWindow[] = [];
  let run: { last: number; startS: number; endS: number } | undefined;
  const flush = (): void => {
    if (run) windows.push({ startS: run.startS, endS: run.endS, emphasis: 'selected' });
    run = undefined;
  };
  for (const index of [...new Set(selected)].sort((a, b) => a - b)) {
    const cycle = byIndex.get(index);
    const range = cycle ? cycleTimeRangeS(cycle, timeS) : undefined;
    if (!range) continue;
    if (run && index === run.last + 1) {
      run.last = index;
      run.endS = Math.max(run.endS, range[1]);
    } else {
      flush();
      run = { last: index, startS: range[0], endS: range[1] };
    }
  }
  flush();
  const hoveredCycle = hovered === null ? undefined : byIndex.get(hovered);
  const hoveredRange = hoveredCycle ? cycleTimeRangeS(hoveredCycle, timeS) : undefined;
  if (hoveredRange) windows.push({ startS: hoveredRange[0], endS: hoveredRange[1], emphasis: 'hovered' });
  return windows;
}

/**
 * The first and last cycle whose time span overlaps [t0, t1] (issue 7: "the per-cycle plots shade the
 * visible cycles"); undefined for the whole test (null range) or when no cycle is in the window.
 */
export function visibleCycleSpan(
  cycles: readonly CycleRows[],
  timeS: ArrayLike<number>,
  rangeS: readonly [number, number] | null,
): [number, number] | undefined {
  if (!rangeS) return undefined;
  const [t0, t1] = rangeS[0] <= rangeS[1] ? rangeS : [rangeS[1], rangeS[0]];
  let first = Infinity;
  let last = -Infinity;
  for (const c of cycles) {
    const range = cycleTimeRangeS(c, timeS);
    if (!range || range[1] < t0 || range[0] > t1) continue;
    first = Math.min(first, c.index);
    last = Math.max(last, c.index);
  }
  return first <= last ? [first, last] : undefined;
}

/** First row in [start, end) whose time is ≥ t (binary search; time is non-decreasing). */
function rowAtTime(timeS: ArrayLike<number>, t: number, start: number, end: number): number {
  let lo = start;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timeS[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, end - 1);
}

const CRITERION_LABELS: Readonly<Record<FailureEvidenceJson['criterion'], string>> = {
  'hard-short-low-voltage': 'hard short: voltage near 0 V',
  'soft-short-voltage-drops': 'soft short: recovered voltage drops',
  'soft-short-no-cutoff': 'soft short: cut-off never reached',
  'polarization-voltage-gap': 'polarization: voltage gap grows',
  'polarization-low-ce': 'polarization: CE falls',
};

/**
 * One marker per piece of failure evidence, at the evidence's time (or its half-cycle's first row) and the
 * voltage recorded there; the marker's item is the evidence's position in `evidence`.
 */
export function failureEvidenceMarkers(
  evidence: readonly FailureEvidenceJson[],
  columns: { readonly timeS: ArrayLike<number>; readonly voltageV: ArrayLike<number> },
): TimeMarker[] {
  const n = columns.timeS.length;
  const markers: TimeMarker[] = [];
  evidence.forEach((e, item) => {
    const start = Math.max(0, Math.min(e.sampleStart, n - 1));
    const end = Math.max(start + 1, Math.min(e.sampleEnd, n));
    if (n === 0) return;
    const row = e.timeS === null ? start : rowAtTime(columns.timeS, e.timeS, start, end);
    const what = CRITERION_LABELS[e.criterion];
    markers.push({
      timeS: columns.timeS[row],
      voltageV: columns.voltageV[row],
      label: `Cycle ${e.cycle} (${e.halfCycle}): ${what}`,
      item,
    });
  });
  return markers;
}

/**
 * The time window a failure-evidence click zooms to: the failing cycle's span, widened by `padFraction` of
 * it on each side so its neighbours' edges show; the evidence's own rows when the cycle is unknown.
 */
export function evidenceWindowS(
  evidence: Pick<FailureEvidenceJson, 'cycle' | 'sampleStart' | 'sampleEnd'>,
  cycles: readonly CycleRows[],
  timeS: ArrayLike<number>,
  padFraction = 0.25,
): [number, number] | undefined {
  const cycle = cycles.find((c) => c.index === evidence.cycle);
  const range =
    (cycle && cycleTimeRangeS(cycle, timeS)) ??
    cycleTimeRangeS({ index: evidence.cycle, sampleStart: evidence.sampleStart, sampleEnd: evidence.sampleEnd }, timeS);
  if (!range) return undefined;
  const pad = Math.max((range[1] - range[0]) * padFraction, 1);
  return [range[0] - pad, range[1] + pad];
}

export interface CurveCycles {
  /** The cycles whose curves are drawn, ascending. */
  readonly cycles: readonly number[];
  /** Why these: the user's selection, a sample of a large selection, or the first and last cycle. */
  readonly reason: 'selected' | 'sampled' | 'first-last' | 'none';
}

/**
 * The cycles Voltage vs capacity and dQ/dV draw: the selected ones (at most `max`, evenly spaced when more
 * are selected, so a box selection of hundreds of cycles stays readable and cheap), or the first and the
 * last cycle when none is selected.
 */
export function curveCycles(selected: readonly number[], all: readonly number[], max = 12): CurveCycles {
  if (!(Number.isInteger(max) && max >= 2)) throw new RangeError(`max must be an integer ≥ 2, got ${max}`);
  const known = new Set(all);
  const chosen = [...new Set(selected)].filter((c) => known.has(c)).sort((a, b) => a - b);
  if (chosen.length > max) {
    const step = (chosen.length - 1) / (max - 1);
    const picked = new Set<number>();
    for (let k = 0; k < max; k++) picked.add(chosen[Math.round(k * step)]);
    return { cycles: [...picked].sort((a, b) => a - b), reason: 'sampled' };
  }
  if (chosen.length > 0) return { cycles: chosen, reason: 'selected' };
  if (all.length === 0) return { cycles: [], reason: 'none' };
  const sorted = [...all].sort((a, b) => a - b);
  const ends = [...new Set([sorted[0], sorted[sorted.length - 1]])];
  return { cycles: ends, reason: 'first-last' };
}
