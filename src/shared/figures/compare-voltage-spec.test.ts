import { describe, expect, it } from 'vitest';
import { analyzeCycling } from '../analysis/analyze-cycling';
import { stableScenario } from '../synth/cycling-scenarios';
import { buildVoltageGapSpec } from './cycle-metric-spec';
import { buildCompareVoltageSpec, halfThroughputArealCapacity, hoursOf } from './compare-voltage-spec';

describe('half charge throughput per area', () => {
  it('is 1 mAh cm⁻² after 1 mA for 1 h each way on 1 cm² (one cycle at CE = 1)', () => {
    const timeS = Float64Array.from({ length: 7201 }, (_, i) => i);
    const currentMA = Float32Array.from(timeS, (t) => (t <= 3600 ? -1 : 1));
    const q = halfThroughputArealCapacity(timeS, currentMA, 1);
    expect(q[3600]).toBeCloseTo(0.5, 9);
    expect(q[7200]).toBeCloseTo(1, 9);
    for (let i = 1; i < q.length; i++) expect(q[i]).toBeGreaterThanOrEqual(q[i - 1]);
  });

  it('scales with 1/A, ignores backward time steps and NaN currents', () => {
    const q = halfThroughputArealCapacity([0, 3600, 1800, 5400], [2, 2, Number.NaN, 2], 0.5);
    expect(q[1]).toBeCloseTo(2, 9);
    expect(q[2]).toBeCloseTo(2, 9);
    expect(q[3]).toBeCloseTo(3, 9);
    expect(() => halfThroughputArealCapacity([0], [0], 0)).toThrow(/areaCm2/);
  });
});

describe('voltage of several cells overlaid', () => {
  const n = 100_000;
  const x = hoursOf(Float64Array.from({ length: n }, (_, i) => i * 10));
  const wave = Float32Array.from({ length: n }, (_, i) => Math.sin(i / 50));
  const cells = [
    { name: 'a', colour: '#0072b2', legendGroup: '0.2 mA cm⁻²', x, voltageV: wave },
    { name: 'b', colour: '#66aad1', legendGroup: '0.2 mA cm⁻²', x, voltageV: wave },
    { name: 'c', colour: '#d55e00', legendGroup: '0.5 mA cm⁻²', x, voltageV: wave },
  ];

  it('draws one decimated trace per cell in its colour, grouped in the legend', () => {
    const spec = buildCompareVoltageSpec(cells, { width: 600 });
    expect(spec.layout.meta.name).toBe('Voltage vs time');
    expect(spec.layout.xaxis.title.text).toBe('Time (h)');
    expect(spec.data.map((t) => t.line!.color)).toEqual(['#0072b2', '#66aad1', '#d55e00']);
    expect(spec.data.map((t) => t.legendgroup)).toEqual(['0.2 mA cm⁻²', '0.2 mA cm⁻²', '0.5 mA cm⁻²']);
    expect(spec.data.map((t) => t.legendgrouptitle?.text)).toEqual(['0.2 mA cm⁻²', undefined, '0.5 mA cm⁻²']);
    for (const t of spec.data) expect(t.x.length).toBeLessThanOrEqual(4 * (600 - 80) + 2);
    expect(spec.layout.showlegend).toBe(true);
  });

  it('re-decimates the visible range from the full columns on zoom', () => {
    const spec = buildCompareVoltageSpec([cells[0]], { width: 600, range: [10, 11] });
    const xs = spec.data[0].x as number[];
    // 1 h at one row per 10 s is 361 rows: all of them fit the pixel budget, plus one on each side.
    expect(xs.length).toBe(363);
    expect(spec.layout.xaxis.range).toEqual([10, 11]);
    expect(spec.layout.xaxis.autorange).toBe(false);
  });

  it('labels the accumulated-capacity axis', () => {
    const spec = buildCompareVoltageSpec(cells, { xAxis: 'accumulated-capacity' });
    expect(spec.layout.xaxis.title.text).toBe('Accumulated areal capacity (mAh cm⁻²)');
  });
});

describe('per-cycle panels in Compare colours', () => {
  it('uses the given colour and legend group of each cell', () => {
    const r = analyzeCycling(stableScenario({ cycles: 4 }), { cellType: 'asymmetric', areaCm2: 0.785 });
    const spec = buildVoltageGapSpec([
      { name: 'a', cycles: r.cycles, colour: '#123456', legendGroup: 'G' },
      { name: 'b', cycles: r.cycles, colour: '#654321', legendGroup: 'G' },
    ]);
    expect(spec.data.map((t) => t.line!.color)).toEqual(['#123456', '#654321']);
    expect(spec.data.map((t) => t.legendgrouptitle?.text)).toEqual(['G', undefined]);
  });
});
