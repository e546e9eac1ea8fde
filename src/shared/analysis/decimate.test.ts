import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../synth/seeded-random';
import { decimateMinMax, lowerBound, upperBound } from './decimate';

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
