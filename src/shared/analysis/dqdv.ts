/**
 * Differential capacity dQ/dV of one half-cycle: V is interpolated linearly onto a uniform grid of the
 * half-cycle's capacity Q (magnitude, growing from 0), then a Savitzky–Golay filter (ml-savitzky-golay;
 * Savitzky & Golay, Anal. Chem. 36 (1964) 1627) gives the smoothed derivative dV/dQ, and dQ/dV = 1 / (dV/dQ).
 *
 * Sign: Q is the magnitude passed in the half-cycle, so dQ/dV > 0 where V rises with Q (charge / stripping)
 * and < 0 where it falls (discharge / plating), the usual way of drawing both branches on one plot.
 * On a perfectly flat plateau dV/dQ → 0; where |dV/dQ| is below `minSlopeVPerMAh` the value is NaN
 * rather than a huge number.
 * The filter has no padding: the first and last `windowSize / 2` grid points are not returned.
 */
import savitzkyGolay from 'ml-savitzky-golay';
import { ImportError } from '../formats/import-error';
import type { DatasetColumns } from '../model/dataset';
import { STEP_TYPE_CODE } from '../model/step-type';
import type { HalfCycle } from './cycles';

export interface DqdvParams {
  /** Points of the uniform capacity grid. */
  gridPoints: number;
  /** Savitzky–Golay window, grid points (odd, ≥ 5). */
  windowSize: number;
  polynomial: number;
  /** |dV/dQ| below this gives NaN, V/mAh. */
  minSlopeVPerMAh: number;
}

export const DEFAULT_DQDV_PARAMS: Readonly<DqdvParams> = Object.freeze({
  gridPoints: 500,
  windowSize: 21,
  polynomial: 3,
  minSlopeVPerMAh: 1e-9,
});

export interface DqdvCurve {
  /** Capacity grid, mAh. */
  capacityMAh: Float64Array;
  /** Smoothed voltage at the grid points, V. */
  voltageV: Float64Array;
  /** dQ/dV, mAh/V. */
  dqdvMAhPerV: Float64Array;
}

export interface HalfCycleProfile {
  /** Capacity passed since the half-cycle's first active row, mAh (trapezoid, as in cycles.ts). */
  capacityMAh: Float64Array;
  voltageV: Float64Array;
  /** Row of each point in the dataset. */
  row: Uint32Array;
}

/**
 * Voltage against capacity over a half-cycle's active rows (the study's voltage-vs-areal-capacity profiles:
 * divide by the area). Allocates per half-cycle, not per row.
 */
export function halfCycleProfile(
  columns: DatasetColumns,
  half: Pick<HalfCycle, 'start' | 'end' | 'sign'>,
  thresholdMA: number,
): HalfCycleProfile {
  const { timeS, voltageV, currentMA, stepType } = columns;
  const start = Math.max(0, half.start);
  const end = Math.min(half.end, timeS.length);
  const q = new Float64Array(Math.max(0, end - start));
  const v = new Float64Array(q.length);
  const rows = new Uint32Array(q.length);
  let n = 0;
  let cumulative = 0;
  let previous = -2;
  for (let i = start; i < end; i++) {
    const current = currentMA[i];
    if (stepType[i] === STEP_TYPE_CODE.rest || !(Math.abs(current) >= thresholdMA) || (current > 0 ? 1 : -1) !== half.sign) continue;
    if (previous === i - 1) cumulative += ((Math.abs(current) + Math.abs(currentMA[i - 1])) / 2) * (timeS[i] - timeS[i - 1]);
    previous = i;
    q[n] = cumulative / 3600;
    v[n] = voltageV[i];
    rows[n] = i;
    n++;
  }
  return { capacityMAh: q.subarray(0, n), voltageV: v.subarray(0, n), row: rows.subarray(0, n) };
}

/** dQ/dV of a half-cycle (a range of rows with one current sign) of the dataset's columns. */
export function dqdvHalfCycle(
  columns: DatasetColumns,
  half: Pick<HalfCycle, 'start' | 'end' | 'sign'>,
  thresholdMA: number,
  overrides: Partial<DqdvParams> = {},
  fileName = 'dataset',
): DqdvCurve {
  const p: DqdvParams = { ...DEFAULT_DQDV_PARAMS, ...overrides };
  if (!(Number.isInteger(p.windowSize) && p.windowSize >= 5 && p.windowSize % 2 === 1))
    throw new ImportError('invalid-parameter', fileName, `dQ/dV: windowSize must be an odd integer ≥ 5, got ${p.windowSize}.`);
  if (!(Number.isInteger(p.gridPoints) && p.gridPoints >= p.windowSize))
    throw new ImportError('invalid-parameter', fileName, `dQ/dV: gridPoints must be an integer ≥ windowSize, got ${p.gridPoints}.`);
  const { capacityMAh: q, voltageV: v } = halfCycleProfile(columns, half, thresholdMA);
  const n = q.length;
  const total = n > 0 ? q[n - 1] : 0;
  if (!(total > 0) || n < 2) throw new ImportError('no-data-rows', fileName, 'dQ/dV: the half-cycle passes no charge.');
  const h = total / (p.gridPoints - 1);
  const grid = new Array<number>(p.gridPoints);
  let k = 0;
  for (let g = 0; g < p.gridPoints; g++) {
    const x = g * h;
    while (k < n - 2 && q[k + 1] < x) k++;
    const dx = q[k + 1] - q[k];
    grid[g] = dx > 0 ? v[k] + ((v[k + 1] - v[k]) * (x - q[k])) / dx : v[k + 1];
  }
  const options = { windowSize: p.windowSize, polynomial: p.polynomial, pad: 'none' as const };
  const slope = savitzkyGolay(grid, h, { ...options, derivative: 1 });
  const smooth = savitzkyGolay(grid, h, { ...options, derivative: 0 });
  const half0 = (p.windowSize - 1) / 2;
  const out: DqdvCurve = {
    capacityMAh: new Float64Array(slope.length),
    voltageV: new Float64Array(slope.length),
    dqdvMAhPerV: new Float64Array(slope.length),
  };
  for (let g = 0; g < slope.length; g++) {
    out.capacityMAh[g] = (g + half0) * h;
    out.voltageV[g] = smooth[g];
    out.dqdvMAhPerV[g] = Math.abs(slope[g]) >= p.minSlopeVPerMAh ? 1 / slope[g] : NaN;
  }
  return out;
}
