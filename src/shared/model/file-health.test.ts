import { describe, expect, it } from 'vitest';
import type { Dataset } from './dataset';
import { computeFileHealth, GAP_MIN_S } from './file-health';

function dataset(timeS: number[], voltageV: number[], currentMA: number[]): Dataset {
  const n = timeS.length;
  return {
    kind: 'cycling',
    rowCount: n,
    columns: {
      timeS: Float64Array.from(timeS),
      voltageV: Float32Array.from(voltageV),
      currentMA: Float32Array.from(currentMA),
      step: new Int32Array(n),
      stepType: new Uint8Array(n),
    },
    meta: {
      name: 'h.csv',
      source: { fileName: 'h.csv', sizeBytes: 0, sha256: '' },
      format: 'test',
      instrument: 'test',
      encoding: 'utf-8',
      sourceColumns: [
        { header: 'Time(h)', unit: 'h', mappedTo: 'time' },
        { header: 'Voltage(V)', unit: 'V', mappedTo: 'voltage' },
        { header: 'Current(µA)', unit: 'µA', mappedTo: 'current' },
        { header: 'Power(mW)', unit: 'mW' },
      ],
      warnings: [],
    },
  };
}

describe('computeFileHealth', () => {
  it('reports unit conversions, unused columns, a gap, a duplicate and a backwards step', () => {
    // 1 s logging, then a 2 h pause, a repeated record, and a clock set back by 0.5 s.
    const t = [0, 1, 2, 3, 7203, 7203, 7204, 7203.5, 7205];
    const v = [0.6, 0.6, 0.61, 0.61, 0.62, 0.62, 0.62, 0.63, 0.63];
    const i = [-1, -1, -1, -1, 1, 1, 1, 1, 1];
    const health = computeFileHealth(dataset(t, v, i));
    expect(health.conversions).toEqual(['Time(h): h → s', 'Current(µA): µA → mA']);
    expect(health.unusedColumns).toEqual(['Power(mW)']);
    expect(health.medianIntervalS).toBe(1);
    expect(health.gaps).toEqual({ count: 1, largestS: 7200, thresholdS: GAP_MIN_S, firstAtS: 3 });
    expect(health.duplicateRows).toBe(1);
    expect(health.timeBackwards).toBe(1);
  });

  it('finds nothing wrong in an evenly logged record', () => {
    const t = Array.from({ length: 100 }, (_, k) => k * 10);
    const health = computeFileHealth(
      dataset(
        t,
        t.map(() => 0.6),
        t.map(() => -0.1),
      ),
    );
    expect(health.gaps.count).toBe(0);
    expect(health.duplicateRows).toBe(0);
    expect(health.timeBackwards).toBe(0);
    expect(health.gaps.thresholdS).toBe(100);
  });
});
