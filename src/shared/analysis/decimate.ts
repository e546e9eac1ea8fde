/**
 * Min–max decimation to the pixel columns of a plot ("M4": first, min, max and last sample of each
 * pixel column; Jugel et al., "M4: A Visualization-Oriented Time Series Data Aggregation", PVLDB 7(10),
 * 2014). A line drawn through these points is pixel-identical to one drawn through all samples, so the
 * full columns never go to the plotting library.
 */

export interface DecimatedSeries {
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Indices into the source columns of the kept samples (for linking hover/selection to rows). */
  readonly index: Uint32Array;
}

/** First index i with x[i] >= value (x sorted ascending). */
export function lowerBound(x: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i with x[i] > value (x sorted ascending). */
export function upperBound(x: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Decimates (x, y) over the visible x-range [x0, x1] to at most 4 samples per pixel column, plus one
 * sample on each side of the range so lines run to the plot's edges. `x` must be non-decreasing.
 * NaN y values are skipped.
 */
export function decimateMinMax(x: ArrayLike<number>, y: ArrayLike<number>, x0: number, x1: number, pixelColumns: number): DecimatedSeries {
  if (x.length !== y.length) throw new RangeError(`x and y differ in length: ${x.length} vs ${y.length}`);
  if (!(pixelColumns >= 1)) throw new RangeError(`pixelColumns must be >= 1, got ${pixelColumns}`);
  if (!(x1 >= x0)) throw new RangeError(`empty x-range [${x0}, ${x1}]`);
  const start = Math.max(0, lowerBound(x, x0) - 1);
  const end = Math.min(x.length, upperBound(x, x1) + 1);
  const count = end - start;
  const kept: number[] = [];
  if (count <= 4 * pixelColumns) {
    for (let i = start; i < end; i++) if (y[i] === y[i]) kept.push(i);
  } else {
    const columns = Math.floor(pixelColumns);
    const scale = x1 > x0 ? columns / (x1 - x0) : 0;
    let i = start;
    while (i < end) {
      const column = Math.min(columns - 1, Math.max(0, Math.floor((x[i] - x0) * scale)));
      let first = -1;
      let last = -1;
      let minI = -1;
      let maxI = -1;
      let j = i;
      for (; j < end; j++) {
        const c = Math.min(columns - 1, Math.max(0, Math.floor((x[j] - x0) * scale)));
        if (c !== column) break;
        const v = y[j];
        if (v !== v) continue;
        if (first === -1) first = minI = maxI = j;
        last = j;
        if (v < y[minI]) minI = j;
        if (v > y[maxI]) maxI = j;
      }
      if (first !== -1) {
        const four = [first, minI, maxI, last].sort((a, b) => a - b);
        for (let k = 0; k < 4; k++) if (k === 0 || four[k] !== four[k - 1]) kept.push(four[k]);
      }
      i = j;
    }
  }
  const outX = new Float64Array(kept.length);
  const outY = new Float64Array(kept.length);
  const index = new Uint32Array(kept.length);
  for (let k = 0; k < kept.length; k++) {
    outX[k] = x[kept[k]];
    outY[k] = y[kept[k]];
    index[k] = kept[k];
  }
  return { x: outX, y: outY, index };
}
