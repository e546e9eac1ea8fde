import { describe, expect, it } from 'vitest';
import { analyzeCycling } from '../analysis/analyze-cycling';
import { stableScenario } from '../synth/cycling-scenarios';
import { pixelColumns } from './figure-spec';
import { buildVoltageCapacitySpec, halfCycleCurves } from './voltage-capacity-spec';

const AREA_CM2 = 0.785;

describe('buildVoltageCapacitySpec', () => {
  const dataset = stableScenario({ cycles: 4 });
  const result = analyzeCycling(dataset, { cellType: 'asymmetric', areaCm2: AREA_CM2 });
  const curves = halfCycleCurves(dataset.columns, result, [2, 3]);

  it('draws plating and stripping of each chosen cycle on an areal-capacity axis', () => {
    const spec = buildVoltageCapacitySpec({ areaCm2: AREA_CM2, curves });
    expect(spec.layout.meta.name).toBe('Voltage vs capacity');
    expect(spec.layout.xaxis.title.text).toBe('Areal capacity (mAh cm⁻²)');
    expect(spec.data.map((t) => t.name)).toEqual(['Cycle 2 plating', 'Cycle 2 stripping', 'Cycle 3 plating', 'Cycle 3 stripping']);
    for (const t of spec.data) expect(t.type).toBe('scatter');
    // Each half-cycle ends at the cycle's areal capacity (Q / A), as the analysis measured it.
    const plating2 = spec.data[0];
    const lastX = plating2.x[plating2.x.length - 1]!;
    expect(lastX).toBeCloseTo(result.cycles[1].plateArealCapacity_mAh_cm2!, 3);
    // Same colour for both halves of a cycle; a different one for the next cycle.
    expect(spec.data[0].line!.color).toBe(spec.data[1].line!.color);
    expect(spec.data[0].line!.color).not.toBe(spec.data[2].line!.color);
    expect(new Set(spec.data[2].customdata)).toEqual(new Set([3]));
  });

  it('styles the selected and the hovered cycle distinctly', () => {
    const spec = buildVoltageCapacitySpec({ areaCm2: AREA_CM2, curves }, { selected: [3], hovered: 2 });
    const [hovered, , selected] = spec.data;
    expect(hovered.line!.width).toBeGreaterThan(selected.line!.width);
    expect(selected.opacity).toBe(1);
    const other = buildVoltageCapacitySpec({ areaCm2: AREA_CM2, curves }, { selected: [3] }).data[0];
    expect(other.opacity).toBeLessThan(1);
    expect(other.line!.width).toBeLessThan(selected.line!.width);
  });

  it('keeps every trace within the pixel budget when fed 1e6 points', () => {
    const n = 1_000_000;
    const capacityMAh = Float64Array.from({ length: n }, (_, i) => i / n);
    const voltageV = Float64Array.from({ length: n }, (_, i) => 0.62 - 0.01 * Math.sin(i / 7));
    const options = { width: 500 };
    const spec = buildVoltageCapacitySpec({ areaCm2: 1, curves: [{ cycle: 1, half: 'plating', capacityMAh, voltageV }] }, options);
    expect(spec.data[0].x.length).toBeLessThanOrEqual(4 * pixelColumns(options) + 2);
    expect(Math.min(...(spec.data[0].y as number[]))).toBeCloseTo(0.61, 4);
  });

  it('snapshot of a small spec', () => {
    const spec = buildVoltageCapacitySpec(
      {
        areaCm2: 0.5,
        curves: [
          { cycle: 7, half: 'plating', capacityMAh: [0, 0.05, 0.1], voltageV: [0.58, 0.6, 0.6] },
          { cycle: 7, half: 'stripping', capacityMAh: [0, 0.05, 0.1], voltageV: [0.66, 0.64, 0.65] },
        ],
      },
      { width: 320, height: 240 },
    );
    expect(spec).toMatchSnapshot();
  });

  it('rejects a non-positive area', () => {
    expect(() => buildVoltageCapacitySpec({ areaCm2: 0, curves })).toThrow(/area/);
  });
});
