import { describe, expect, it } from 'vitest';
import { decimateMonotone, decimateParametric, emphasisOf, pixelColumns, spanOfSorted } from './figure-spec';

describe('figure-spec helpers', () => {
  it('ranks emphasis: hovered over selected, others dimmed only when something is selected', () => {
    expect(emphasisOf(3, { selected: [3], hovered: 3 })).toBe('hovered');
    expect(emphasisOf(3, { selected: [3] })).toBe('selected');
    expect(emphasisOf(4, { selected: [3] })).toBe('dimmed');
    expect(emphasisOf(4, { hovered: 3 })).toBe('normal');
  });

  it('decimates a parametric loop keeping the extremes of both coordinates', () => {
    const n = 200_000;
    // A loop: x goes out and back, y has one spike; neither is monotone in the row index.
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin((Math.PI * i) / (n - 1)));
    const y = Float64Array.from({ length: n }, (_, i) => (i === 123_457 ? 5 : Math.cos((Math.PI * i) / (n - 1))));
    const rows = decimateParametric(x, y, 100);
    expect(rows.length).toBeLessThanOrEqual(8 * 100 + 4);
    expect([...rows].some((r) => r === 123_457)).toBe(true);
    expect(Math.max(...Array.from(rows, (r) => x[r]))).toBeCloseTo(1, 6);
    for (let k = 1; k < rows.length; k++) expect(rows[k]).toBeGreaterThan(rows[k - 1]);
  });

  it('decimates a monotone series to the pixel budget', () => {
    const x = Float64Array.from({ length: 100_000 }, (_, i) => i);
    const rows = decimateMonotone(x, x, pixelColumns({ width: 400 }));
    expect(rows.length).toBeLessThanOrEqual(4 * pixelColumns({ width: 400 }) + 2);
    expect(decimateMonotone([], [], 10)).toHaveLength(0);
  });
});

describe('spanOfSorted', () => {
  it('spans the first to the last value over several sorted series, skipping empty ones', () => {
    expect(spanOfSorted([Float64Array.of(2, 3, 9), [], [1, 4]])).toEqual([1, 9]);
    expect(spanOfSorted([[], new Float32Array(0)])).toBeUndefined();
  });
});
