import { describe, expect, it } from 'vitest';
import { analyzeCycling } from '../analysis/analyze-cycling';
import { polarizationScenario, stableScenario } from '../synth/cycling-scenarios';
import {
  buildCoulombicEfficiencySpec,
  buildNucleationOverpotentialSpec,
  buildVoltageGapSpec,
  type CycleMetricCell,
} from './cycle-metric-spec';
import { pixelColumns } from './figure-spec';

const META = { cellType: 'asymmetric' as const, areaCm2: 0.785 };

describe('per-cycle metric specs', () => {
  const stable = analyzeCycling(stableScenario({ cycles: 6 }), META);
  const polarized = analyzeCycling(polarizationScenario(5, { cycles: 8 }), META);
  const cells: CycleMetricCell[] = [
    { name: 'stable', cycles: stable.cycles },
    { name: 'polarized', cycles: polarized.cycles, colourIndex: 3 },
  ];

  it('plots CE in percent against cycle number with the cycle index as customdata', () => {
    const spec = buildCoulombicEfficiencySpec(cells);
    expect(spec.layout.meta.name).toBe('Coulombic efficiency');
    expect(spec.layout.yaxis.title.text).toBe('Coulombic efficiency (%)');
    const [a] = spec.data;
    expect(a.customdata).toEqual(stable.cycles.map((c) => c.index));
    expect(a.x).toEqual(stable.cycles.map((c) => c.index));
    const ce = stable.cycles[0].ce;
    expect(a.y[0]).toBeCloseTo(100 * ce!, 9);
    expect(spec.layout.showlegend).toBe(true);
  });

  it('puts the gap against accumulated areal capacity on request', () => {
    const spec = buildVoltageGapSpec(cells, { xAxis: 'accumulated-capacity' });
    expect(spec.layout.meta.name).toBe('Voltage gap');
    expect(spec.layout.xaxis.title.text).toBe('Accumulated areal capacity (mAh cm⁻²)');
    expect(spec.data[1].x).toEqual(polarized.cycles.map((c) => c.accumulatedArealCapacity_mAh_cm2));
    expect(spec.data[1].y).toEqual(polarized.cycles.map((c) => c.voltageGap_mV));
    // The polarizing cell's gap grows: its last plotted gap is well above its first.
    const gaps = spec.data[1].y.filter((v): v is number => v !== null);
    expect(gaps[gaps.length - 1]).toBeGreaterThan(2 * gaps[0]);
  });

  it('rings the selected cycles and the hovered one in overlay traces', () => {
    const spec = buildNucleationOverpotentialSpec([cells[0]], { selected: [2, 4], hovered: 5 });
    expect(spec.layout.meta.name).toBe('Nucleation overpotential');
    const selected = spec.data.find((t) => t.meta.role === 'selected')!;
    const hovered = spec.data.find((t) => t.meta.role === 'hovered')!;
    expect(selected.customdata).toEqual([2, 4]);
    expect(selected.y).toEqual([stable.cycles[1].nucleationOverpotential_mV, stable.cycles[3].nucleationOverpotential_mV]);
    expect(hovered.customdata).toEqual([5]);
    expect(hovered.marker!.size).toBeGreaterThan(selected.marker!.size);
    expect(spec.data.every((t) => t.type === 'scatter')).toBe(true);
  });

  it('shades the cycles visible in the time plots', () => {
    const spec = buildCoulombicEfficiencySpec([cells[0]], { visibleCycles: [2, 4] });
    expect(spec.layout.shapes).toHaveLength(1);
    expect(spec.layout.shapes![0]).toMatchObject({ x0: 2, x1: 4, yref: 'paper' });
  });

  it('keeps a trace within the pixel budget for 1e6 cycles and keeps the outlier cycle', () => {
    const n = 1_000_000;
    const many = Array.from({ length: n }, (_, i) => ({
      index: i + 1,
      ce: i === 654_321 ? 0.5 : 0.995,
      voltageGap_mV: 40,
      nucleationOverpotential_mV: 10,
      accumulatedArealCapacity_mAh_cm2: 0.2 * (i + 1),
    }));
    const spec = buildCoulombicEfficiencySpec([{ name: 'long', cycles: many }], { width: 500 });
    expect(spec.data[0].x.length).toBeLessThanOrEqual(4 * pixelColumns({ width: 500 }) + 2);
    expect(spec.data[0].customdata).toContain(654_322);
    expect(Math.min(...(spec.data[0].y as number[]))).toBe(50);
  });

  it('snapshot of a small spec', () => {
    const cycles = [
      { index: 1, ce: 0.98, voltageGap_mV: 40, nucleationOverpotential_mV: 12, accumulatedArealCapacity_mAh_cm2: 0.2 },
      { index: 2, ce: null, voltageGap_mV: null, nucleationOverpotential_mV: null, accumulatedArealCapacity_mAh_cm2: 0.4 },
    ];
    expect(buildCoulombicEfficiencySpec([{ name: 'cell A', cycles }], { width: 320, height: 240, selected: [1] })).toMatchSnapshot();
  });
});
