import { describe, expect, it } from 'vitest';
import { analyzeCycling, dqdvOfCycle } from '../analysis/analyze-cycling';
import { stableScenario } from '../synth/cycling-scenarios';
import { buildDqdvSpec } from './dqdv-spec';
import { pixelColumns } from './figure-spec';

describe('buildDqdvSpec', () => {
  it('draws both branches of the chosen cycles as the analysis computed them', () => {
    const dataset = stableScenario({ cycles: 3 });
    const result = analyzeCycling(dataset, { cellType: 'asymmetric', areaCm2: 0.785 });
    const curves = [2].flatMap((cycle) =>
      (['plate', 'strip'] as const).map((which) => ({
        cycle,
        half: which === 'plate' ? ('plating' as const) : ('stripping' as const),
        curve: dqdvOfCycle(dataset, result, cycle, which),
      })),
    );
    const spec = buildDqdvSpec(curves, { selected: [2] });
    expect(spec.layout.meta.name).toBe('dQ/dV');
    expect(spec.layout.yaxis.title.text).toBe('dQ/dV (mAh V⁻¹)');
    expect(spec.data).toHaveLength(2);
    // 500 grid points fit the budget: the points are the analysis' own, NaN (flat plateau) as gaps.
    for (const [k, { curve }] of curves.entries()) {
      expect(spec.data[k].x).toEqual(Array.from(curve.voltageV));
      expect(spec.data[k].y).toEqual(Array.from(curve.dqdvMAhPerV, (v) => (Number.isFinite(v) ? v : null)));
    }
    expect(spec.data[0].line!.width).toBe(spec.data[1].line!.width);
    expect(spec.data[0].line!.dash).toBe('solid');
    expect(spec.data[1].line!.dash).toBe('dash');
    expect(new Set(spec.data[1].customdata)).toEqual(new Set([2]));
  });

  it('keeps traces within budget for 1e6 points', () => {
    const n = 1_000_000;
    const voltageV = Float64Array.from({ length: n }, (_, i) => 0.5 + (0.2 * i) / n);
    const dqdvMAhPerV = Float64Array.from({ length: n }, (_, i) => Math.exp(-(((i - n / 2) / 1000) ** 2)));
    const spec = buildDqdvSpec([{ cycle: 1, half: 'stripping', curve: { voltageV, dqdvMAhPerV } }], { width: 400 });
    expect(spec.data[0].x.length).toBeLessThanOrEqual(8 * pixelColumns({ width: 400 }) + 4);
    // The peak survives decimation.
    expect(Math.max(...(spec.data[0].y as number[]))).toBe(1);
  });

  it('snapshot of a small spec', () => {
    const spec = buildDqdvSpec([{ cycle: 4, half: 'plating', curve: { voltageV: [0.6, 0.61, 0.62], dqdvMAhPerV: [-1, Number.NaN, -3] } }], {
      width: 320,
      height: 240,
      hovered: 4,
    });
    expect(spec).toMatchSnapshot();
  });
});
