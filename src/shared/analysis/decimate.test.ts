import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../synth/seeded-random';
import {
  createMinMaxSummary,
  decimateMinMax,
  fillMinMaxSummary,
  lowerBound,
  MIN_MAX_BLOCK_SIZE,
  summarizeMinMax,
  upperBound,
} from './decimate';

function noisySignal(n: number) {
  const rng = createSeededRandom(42);
  const x = new Float64Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i * 0.5;
    y[i] = Math.sin(i / 5000) + 0.1 * rng.normal();
  }
  return { x, y };
}

describe('decimateMinMax', () => {
  it('keeps at most 4 samples per pixel column plus the two edge samples', () => {
    const { x, y } = noisySignal(200_000);
    const d = decimateMinMax(x, y, 0, x[x.length - 1], 800);
    expect(d.x.length).toBeLessThanOrEqual(4 * 800 + 2);
    expect(d.x.length).toBeGreaterThan(800);
  });

  it('preserves the exact min and max of every pixel column (what a line plot draws)', () => {
    const { x, y } = noisySignal(100_000);
    const x0 = 1000;
    const x1 = 40_000;
    const columns = 300;
    const d = decimateMinMax(x, y, x0, x1, columns);
    const colOf = (v: number) => Math.min(columns - 1, Math.floor(((v - x0) / (x1 - x0)) * columns));
    const trueMin = new Array<number>(columns).fill(Infinity);
    const trueMax = new Array<number>(columns).fill(-Infinity);
    for (let i = 0; i < x.length; i++) {
      if (x[i] < x0 || x[i] > x1) continue;
      const c = colOf(x[i]);
      trueMin[c] = Math.min(trueMin[c], y[i]);
      trueMax[c] = Math.max(trueMax[c], y[i]);
    }
    const gotMin = new Array<number>(columns).fill(Infinity);
    const gotMax = new Array<number>(columns).fill(-Infinity);
    for (let k = 0; k < d.x.length; k++) {
      if (d.x[k] < x0 || d.x[k] > x1) continue;
      const c = colOf(d.x[k]);
      gotMin[c] = Math.min(gotMin[c], d.y[k]);
      gotMax[c] = Math.max(gotMax[c], d.y[k]);
      expect(y[d.index[k]]).toBe(d.y[k]);
    }
    expect(gotMin).toEqual(trueMin);
    expect(gotMax).toEqual(trueMax);
    // one sample either side of the range so the line reaches the plot's edges
    expect(d.x[0]).toBeLessThan(x0);
    expect(d.x[d.x.length - 1]).toBeGreaterThan(x1);
  });

  it('returns the raw samples, in order, when there are fewer than the pixels can show', () => {
    const x = Float64Array.from([0, 1, 2, 3, 4]);
    const y = Float64Array.from([5, NaN, 7, 8, 9]);
    const d = decimateMinMax(x, y, 1, 3, 100);
    expect(Array.from(d.x)).toEqual([0, 2, 3, 4]);
    expect(Array.from(d.index)).toEqual([0, 2, 3, 4]);
  });

  it('rejects bad arguments with the bad value named', () => {
    expect(() => decimateMinMax([0], [0, 1], 0, 1, 10)).toThrow(/1 vs 2/);
    expect(() => decimateMinMax([0], [0], 0, 1, 0)).toThrow(/pixelColumns/);
    expect(() => decimateMinMax([0], [0], 2, 1, 10)).toThrow(/\[2, 1\]/);
  });

  it('binary-searches sorted x with duplicates', () => {
    const x = [0, 1, 1, 1, 2];
    expect(lowerBound(x, 1)).toBe(1);
    expect(upperBound(x, 1)).toBe(4);
    expect(lowerBound(x, 5)).toBe(5);
  });
});

/** The M4 samples of each pixel column by a plain scan of every sample (the definition, no shortcuts). */
function referenceDecimation(x: ArrayLike<number>, y: ArrayLike<number>, x0: number, x1: number, columns: number): number[] {
  const start = Math.max(0, lowerBound(x, x0) - 1);
  const end = Math.min(x.length, upperBound(x, x1) + 1);
  const kept: number[] = [];
  if (end - start <= 4 * columns) {
    for (let i = start; i < end; i++) if (!Number.isNaN(y[i])) kept.push(i);
    return kept;
  }
  const scale = x1 > x0 ? columns / (x1 - x0) : 0;
  const byColumn = new Map<number, number[]>();
  for (let i = start; i < end; i++) {
    if (Number.isNaN(y[i])) continue;
    const c = Math.min(columns - 1, Math.max(0, Math.floor((x[i] - x0) * scale)));
    const list = byColumn.get(c) ?? [];
    list.push(i);
    byColumn.set(c, list);
  }
  for (const c of [...byColumn.keys()].sort((a, b) => a - b)) {
    const rows = byColumn.get(c)!;
    let minI = rows[0];
    let maxI = rows[0];
    for (const i of rows) {
      if (y[i] < y[minI]) minI = i;
      if (y[i] > y[maxI]) maxI = i;
    }
    kept.push(...new Set([rows[0], minI, maxI, rows[rows.length - 1]].sort((a, b) => a - b)));
  }
  return kept;
}

describe('decimateMinMax with a block summary (zooms of big traces)', () => {
  /** A trace with NaN gaps, repeated values (ties) and a plateau, on uneven time steps. */
  function awkwardTrace(n: number) {
    const rng = createSeededRandom(7);
    const x = new Float64Array(n);
    const y = new Float32Array(n);
    let t = 0;
    for (let i = 0; i < n; i++) {
      t += rng.uniform() < 0.01 ? 50 : 1 + rng.uniform();
      x[i] = t;
      y[i] = i % 997 < 40 ? NaN : Math.round(4 * Math.sin(i / 3000) + rng.normal()) / 4;
    }
    return { x, y };
  }

  it('keeps exactly the samples of a plain scan, for wide and narrow ranges', () => {
    const { x, y } = awkwardTrace(300_000);
    const summary = summarizeMinMax(y);
    const last = x[x.length - 1];
    for (const [f0, f1, columns] of [
      [0, 1, 800],
      [0.1, 0.6, 1200],
      [0.333, 0.3341, 500],
      [0.5, 0.9, 37],
    ]) {
      const x0 = f0 * last;
      const x1 = f1 * last;
      const expected = referenceDecimation(x, y, x0, x1, columns);
      expect(Array.from(decimateMinMax(x, y, x0, x1, columns, summary).index)).toEqual(expected);
      expect(Array.from(decimateMinMax(x, y, x0, x1, columns).index)).toEqual(expected);
    }
  });

  it('decimating a visible sub-range equals decimating the slice of the columns it covers', () => {
    const { x, y } = noisySignal(250_000);
    const x0 = 20_000.25;
    const x1 = 71_000.5;
    const from = Math.max(0, lowerBound(x, x0) - 1);
    const to = Math.min(x.length, upperBound(x, x1) + 1);
    const whole = decimateMinMax(x, y, x0, x1, 640, summarizeMinMax(y));
    const slice = decimateMinMax(x.slice(from, to), y.slice(from, to), x0, x1, 640);
    expect(Array.from(whole.index)).toEqual(Array.from(slice.index, (i) => i + from));
    expect(whole.y).toEqual(slice.y);
  });

  it('summarizes blocks of only NaN or +Infinity as having no extreme, as the plain scan does', () => {
    const y = new Float64Array(3 * MIN_MAX_BLOCK_SIZE).fill(NaN);
    y.fill(Infinity, MIN_MAX_BLOCK_SIZE, 2 * MIN_MAX_BLOCK_SIZE);
    y[2 * MIN_MAX_BLOCK_SIZE + 5] = -1;
    const s = summarizeMinMax(y);
    expect(Array.from(s.firstI)).toEqual([-1, MIN_MAX_BLOCK_SIZE, 2 * MIN_MAX_BLOCK_SIZE + 5]);
    expect(Array.from(s.minI)).toEqual([-1, -1, 2 * MIN_MAX_BLOCK_SIZE + 5]);
    expect(Array.from(s.maxI)).toEqual([-1, MIN_MAX_BLOCK_SIZE, 2 * MIN_MAX_BLOCK_SIZE + 5]);
    const x = Float64Array.from(y, (_, i) => i);
    expect(Array.from(decimateMinMax(x, y, 0, y.length - 1, 2, s).index)).toEqual(referenceDecimation(x, y, 0, y.length - 1, 2));
  });

  it('refuses a summary of another column', () => {
    const { x, y } = noisySignal(1000);
    expect(() => decimateMinMax(x, y, 0, 100, 10, summarizeMinMax(y.subarray(1)))).toThrow(/summary of 999 samples/);
  });
});

describe('fillMinMaxSummary', () => {
  it('filled in slices equals the one-pass summary', () => {
    const { y } = noisySignal(10_000);
    const whole = summarizeMinMax(y);
    const sliced = createMinMaxSummary(y.length);
    const blocks = sliced.firstI.length;
    for (let b = 0; b < blocks; b += 7) fillMinMaxSummary(y, sliced, b, b + 7);
    expect(sliced).toEqual(whole);
  });
});
