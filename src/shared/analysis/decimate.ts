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
 * Per-block extremes of a y column (blocks of {@link MIN_MAX_BLOCK_SIZE} samples), so decimating a wide
 * x-range reads ~n/64 block entries instead of n samples (a zoom of a 1e7-row trace). Built once per
 * column by {@link summarizeMinMax} (or in slices, {@link fillMinMaxSummary}); valid only while the column
 * is unchanged. Indices are -1 where a
 * block holds no such sample (all NaN; for min/max also all +/-Infinity, as in the sample scan).
 */
export interface MinMaxSummary {
  readonly length: number;
  readonly firstI: Int32Array;
  readonly lastI: Int32Array;
  readonly minI: Int32Array;
  readonly maxI: Int32Array;
}

export const MIN_MAX_BLOCK_SIZE = 64;

/** A summary of `length` samples with no block filled yet (see {@link fillMinMaxSummary}). */
export function createMinMaxSummary(length: number): MinMaxSummary {
  const blocks = Math.ceil(length / MIN_MAX_BLOCK_SIZE);
  const none = (): Int32Array => new Int32Array(blocks).fill(-1);
  return { length, firstI: none(), lastI: none(), minI: none(), maxI: none() };
}

/**
 * Fills blocks [fromBlock, toBlock) of `summary` from `y`: first and last non-NaN sample, and the first
 * minimum and maximum, of each block. Lets a UI thread build the summary of a long column in slices.
 */
export function fillMinMaxSummary(y: ArrayLike<number>, summary: MinMaxSummary, fromBlock: number, toBlock: number): void {
  if (summary.length !== y.length) throw new RangeError(`summary of ${summary.length} samples given for ${y.length}`);
  const { firstI, lastI, minI, maxI } = summary;
  const blocks = Math.min(toBlock, firstI.length);
  for (let b = Math.max(0, fromBlock); b < blocks; b++) {
    const end = Math.min(y.length, (b + 1) * MIN_MAX_BLOCK_SIZE);
    let minV = Infinity;
    let maxV = -Infinity;
    for (let k = b * MIN_MAX_BLOCK_SIZE; k < end; k++) {
      const v = y[k];
      if (v !== v) continue;
      if (firstI[b] === -1) firstI[b] = k;
      lastI[b] = k;
      if (v < minV) {
        minV = v;
        minI[b] = k;
      }
      if (v > maxV) {
        maxV = v;
        maxI[b] = k;
      }
    }
  }
}

/** The whole summary of `y` in one pass. */
export function summarizeMinMax(y: ArrayLike<number>): MinMaxSummary {
  const summary = createMinMaxSummary(y.length);
  fillMinMaxSummary(y, summary, 0, summary.firstI.length);
  return summary;
}

/** Running extremes of one pixel column, fed in index order (strict comparisons keep the first). */
class ColumnExtremes {
  first = -1;
  last = -1;
  minI = -1;
  maxI = -1;
  minV = Infinity;
  maxV = -Infinity;

  constructor(private readonly y: ArrayLike<number>) {}

  reset(): void {
    this.first = this.last = this.minI = this.maxI = -1;
    this.minV = Infinity;
    this.maxV = -Infinity;
  }

  scan(from: number, to: number): void {
    const y = this.y;
    for (let k = from; k < to; k++) {
      const v = y[k];
      if (v !== v) continue;
      if (this.first === -1) this.first = k;
      this.last = k;
      if (v < this.minV) {
        this.minV = v;
        this.minI = k;
      }
      if (v > this.maxV) {
        this.maxV = v;
        this.maxI = k;
      }
    }
  }

  blocks(summary: MinMaxSummary, fromBlock: number, toBlock: number): void {
    const y = this.y;
    for (let b = fromBlock; b < toBlock; b++) {
      if (summary.firstI[b] === -1) continue;
      if (this.first === -1) this.first = summary.firstI[b];
      this.last = summary.lastI[b];
      const lo = summary.minI[b];
      if (lo !== -1 && y[lo] < this.minV) {
        this.minV = y[lo];
        this.minI = lo;
      }
      const hi = summary.maxI[b];
      if (hi !== -1 && y[hi] > this.maxV) {
        this.maxV = y[hi];
        this.maxI = hi;
      }
    }
  }
}

/**
 * Decimates (x, y) over the visible x-range [x0, x1] to at most 4 samples per pixel column, plus one
 * sample on each side of the range so lines run to the plot's edges. `x` must be non-decreasing.
 * NaN y values are skipped. With `summary` (of this `y`), whole blocks inside a pixel column are read
 * from it: the same samples are kept, in O(pixelColumns · log n + n / MIN_MAX_BLOCK_SIZE).
 */
export function decimateMinMax(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  x0: number,
  x1: number,
  pixelColumns: number,
  summary?: MinMaxSummary,
): DecimatedSeries {
  if (x.length !== y.length) throw new RangeError(`x and y differ in length: ${x.length} vs ${y.length}`);
  if (summary && summary.length !== y.length) throw new RangeError(`summary of ${summary.length} samples given for ${y.length}`);
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
    const extremes = new ColumnExtremes(y);
    const columnOf = (k: number): number => Math.min(columns - 1, Math.max(0, Math.floor((x[k] - x0) * scale)));
    let i = start;
    while (i < end) {
      const column = columnOf(i);
      // The column's last sample by binary search on the same rounding as columnOf (x is sorted, so
      // columnOf is non-decreasing): the scan below then reads only y, once per sample.
      let lo = i + 1;
      let hi = end;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (columnOf(mid) === column) lo = mid + 1;
        else hi = mid;
      }
      const j = lo;
      extremes.reset();
      const fromBlock = Math.ceil(i / MIN_MAX_BLOCK_SIZE);
      const toBlock = Math.floor(j / MIN_MAX_BLOCK_SIZE);
      if (summary && toBlock > fromBlock) {
        extremes.scan(i, fromBlock * MIN_MAX_BLOCK_SIZE);
        extremes.blocks(summary, fromBlock, toBlock);
        extremes.scan(toBlock * MIN_MAX_BLOCK_SIZE, j);
      } else extremes.scan(i, j);
      const { first, last } = extremes;
      if (first !== -1) {
        // A column of only +/-Infinity has no strict extreme: its first sample stands in.
        const minI = extremes.minI === -1 ? first : extremes.minI;
        const maxI = extremes.maxI === -1 ? first : extremes.maxI;
        const four = [first, minI, maxI, last].sort((p, q) => p - q);
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
