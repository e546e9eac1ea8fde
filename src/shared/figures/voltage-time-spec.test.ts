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
    expect(trace.line?.color).toBe(OKABE_ITO[1]);
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

  it('shades selected and hovered time windows and marks linked evidence that a click can jump to', () => {
    const spec = buildVoltageTimeSpec([{ name: 'cell A', series, colorIndex: 0 }], undefined, {
      windows: [
        { startS: 3600, endS: 5400, emphasis: 'selected' },
        { startS: 0, endS: 1800, emphasis: 'hovered' },
      ],
      markers: [{ timeS: 7200, voltageV: 0.01, label: 'soft short: voltage drop in cycle 21', item: 21 }],
      markerName: 'Failure evidence',
    });
    expect(spec.data).toHaveLength(2);
    const marker = spec.data[1];
    expect(marker).toMatchObject({ mode: 'markers', name: 'Failure evidence', x: [2], y: [0.01], customdata: [21] });
    const shapes = (spec.layout as { shapes: { x0: number; x1: number; fillcolor: string }[] }).shapes;
    expect(shapes.map((s) => [s.x0, s.x1])).toEqual([
      [1, 1.5],
      [0, 0.5],
    ]);
    expect(shapes[0].fillcolor).not.toBe(shapes[1].fillcolor);
    expect(spec.layout.showlegend).toBe(true);
  });
});
