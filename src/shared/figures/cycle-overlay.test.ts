import { describe, expect, it } from 'vitest';
import type { FailureEvidenceJson } from '../analysis/analyze-cycling';
import { curveCycles, cycleTimeRangeS, cycleWindows, evidenceWindowS, failureEvidenceMarkers, visibleCycleSpan } from './cycle-overlay';

/** Ten cycles of 100 rows each, one row per second: cycle k spans rows [100(k−1), 100k), t = row. */
const ROWS_PER_CYCLE = 100;
const CYCLES = Array.from({ length: 10 }, (_, k) => ({
  index: k + 1,
  sampleStart: k * ROWS_PER_CYCLE,
  sampleEnd: (k + 1) * ROWS_PER_CYCLE,
}));
const TIME_S = Float64Array.from({ length: 10 * ROWS_PER_CYCLE }, (_, i) => i);
const VOLTAGE_V = Float32Array.from(TIME_S, (t) => 0.6 + t / 10_000);

describe('cycleTimeRangeS', () => {
  it('spans the first to the last row of the half-open row range', () => {
    expect(cycleTimeRangeS(CYCLES[2], TIME_S)).toEqual([200, 299]);
  });
  it('is undefined for rows outside the column', () => {
    expect(cycleTimeRangeS({ index: 99, sampleStart: 5000, sampleEnd: 5100 }, TIME_S)).toBeUndefined();
  });
});

describe('cycleWindows', () => {
  it('merges consecutive selected cycles into one window and adds the hovered one', () => {
    const windows = cycleWindows(CYCLES, TIME_S, [5, 2, 3], 8);
    expect(windows).toEqual([
      { startS: 100, endS: 299, emphasis: 'selected' },
      { startS: 400, endS: 499, emphasis: 'selected' },
      { startS: 700, endS: 799, emphasis: 'hovered' },
    ]);
  });
  it('skips unknown cycles', () => {
    expect(cycleWindows(CYCLES, TIME_S, [42], null)).toEqual([]);
  });
});

describe('visibleCycleSpan', () => {
  it('is undefined for the whole test', () => {
    expect(visibleCycleSpan(CYCLES, TIME_S, null)).toBeUndefined();
  });
  it('gives the first and last cycle overlapping the window', () => {
    // 250 s is inside cycle 3, 420 s inside cycle 5.
    expect(visibleCycleSpan(CYCLES, TIME_S, [250, 420])).toEqual([3, 5]);
    expect(visibleCycleSpan(CYCLES, TIME_S, [420, 250])).toEqual([3, 5]);
  });
  it('is undefined when the window holds no cycle', () => {
    expect(visibleCycleSpan(CYCLES, TIME_S, [5000, 6000])).toBeUndefined();
  });
});

describe('failure evidence', () => {
  const evidence: FailureEvidenceJson[] = [
    {
      criterion: 'soft-short-voltage-drops',
      class: 'soft-short',
      cycle: 7,
      halfCycle: 'stripping',
      timeS: 650.5,
      sampleStart: 650,
      sampleEnd: 700,
      value: 0.05,
      threshold: 0.01,
    },
    {
      criterion: 'polarization-low-ce',
      class: 'polarization',
      cycle: 7,
      halfCycle: 'stripping',
      timeS: null,
      sampleStart: 650,
      sampleEnd: 700,
      value: 0.8,
      threshold: 0.9,
    },
  ];

  it('puts a marker at the first row at or after the evidence time, with the voltage recorded there', () => {
    const markers = failureEvidenceMarkers(evidence, { timeS: TIME_S, voltageV: VOLTAGE_V });
    expect(markers.map((m) => [m.timeS, m.item])).toEqual([
      [651, 0],
      [650, 1],
    ]);
    expect(markers[0].voltageV).toBeCloseTo(0.6 + 651 / 10_000, 6);
    expect(markers[0].label).toContain('Cycle 7');
  });

  it('zooms to the failing cycle, padded by a quarter of it on each side', () => {
    // Cycle 7 spans 600..699 s (99 s): pad 24.75 s.
    expect(evidenceWindowS(evidence[0], CYCLES, TIME_S)).toEqual([600 - 24.75, 699 + 24.75]);
  });
});

describe('curveCycles', () => {
  const all = CYCLES.map((c) => c.index);
  it('shows the selected cycles', () => {
    expect(curveCycles([4, 2], all)).toEqual({ cycles: [2, 4], reason: 'selected' });
  });
  it('shows the first and last cycle when none is selected', () => {
    expect(curveCycles([], all)).toEqual({ cycles: [1, 10], reason: 'first-last' });
    expect(curveCycles([], [])).toEqual({ cycles: [], reason: 'none' });
  });
  it('samples a large selection evenly, keeping its ends', () => {
    const picked = curveCycles(all, all, 4);
    expect(picked.reason).toBe('sampled');
    expect(picked.cycles).toHaveLength(4);
    expect(picked.cycles[0]).toBe(1);
    expect(picked.cycles[3]).toBe(10);
  });
});
