import { describe, expect, it } from 'vitest';
import { decimateMinMax } from '../analysis/decimate';
import { buildVoltageTimeSpec, OKABE_ITO } from './voltage-time-spec';

describe('buildVoltageTimeSpec', () => {
  const timeS = Float64Array.from({ length: 7201 }, (_, i) => i);
  const voltageV = Float32Array.from(timeS, (t) => 0.62 - 1e-6 * t);
  const series = decimateMinMax(timeS, voltageV, 0, 7200, 100);

  it('draws SVG line traces in hours and volts', () => {
    const spec = buildVoltageTimeSpec([{ name: 'cell A', series, colorIndex: 1 }]);
    expect(spec.data).toHaveLength(1);
    const [trace] = spec.data;
    expect(trace.type).toBe('scatter');
    expect(trace.x[trace.x.length - 1]).toBe(2);
    expect(trace.y[0]).toBeCloseTo(0.62, 6);
    expect(trace.line.color).toBe(OKABE_ITO[1]);
    expect(trace.x.length).toBeLessThanOrEqual(4 * 100 + 2);
    expect(spec.layout).toMatchObject({
      xaxis: { title: { text: 'Time (h)' }, autorange: true },
      yaxis: { title: { text: 'Voltage (V)' } },
      showlegend: false,
    });
  });

  it('pins the x-range when zoomed', () => {
    const spec = buildVoltageTimeSpec([{ name: 'a', series, colorIndex: 0 }], [1800, 3600]);
    expect(spec.layout).toMatchObject({ xaxis: { range: [0.5, 1], autorange: false } });
  });
});
