import { describe, expect, it } from 'vitest';
import { analyzeCycling, FAILURE_REGION_COLOURS, failureMapRows, type FailureMapRow } from '../analysis/analyze-cycling';
import { hardShortScenario, polarizationScenario, softShortScenario, stableScenario } from '../synth/cycling-scenarios';
import { buildFailureMapSpec, failureRegions, lifespanLabel } from './failure-map-spec';

const META = { cellType: 'asymmetric' as const, areaCm2: 0.785 };

function row(j: number, q: number, cls: FailureMapRow['class'], lifespan: number, censored = false): FailureMapRow {
  return {
    file: `${j}-${q}`,
    currentDensity_mA_cm2: j,
    arealCapacity_mAh_cm2: q,
    class: cls,
    lifespan_mAh_cm2: lifespan,
    censored,
    failureCycle: null,
  };
}

describe('buildFailureMapSpec', () => {
  // The four classes from the project's scenarios, analysed by the core.
  const rows = failureMapRows([
    analyzeCycling(stableScenario({ cycles: 5 }), META),
    analyzeCycling(polarizationScenario(5, { cycles: 8, currentDensityMACm2: 0.2 }), META),
    analyzeCycling(softShortScenario(4, { cycles: 6, currentDensityMACm2: 0.5, arealCapacityMAhCm2: 0.5 }), META),
    analyzeCycling(hardShortScenario(3, { cycles: 5, currentDensityMACm2: 1, arealCapacityMAhCm2: 1 }), META),
  ]);

  it('places one marker per cell on log j × q axes, coloured and labelled by class and lifespan', () => {
    expect(rows.map((r) => r.class).sort()).toEqual(['hard-short', 'polarization', 'soft-short', 'stable']);
    const spec = buildFailureMapSpec(rows);
    expect(spec.layout.meta.name).toBe('Failure map');
    expect(spec.layout.xaxis).toMatchObject({ type: 'log', title: { text: 'Current density (mA cm⁻²)' } });
    expect(spec.layout.yaxis).toMatchObject({ type: 'log', title: { text: 'Areal capacity (mAh cm⁻²)' } });
    const markers = spec.data.filter((t) => t.meta.role === 'data');
    expect(markers.reduce((n, t) => n + t.x.length, 0)).toBe(rows.length);
    for (const t of markers) {
      for (const [i, k] of t.customdata!.entries()) {
        expect(t.marker!.color).toBe(FAILURE_REGION_COLOURS[rows[k].class]);
        expect(t.x[i]).toBe(rows[k].currentDensity_mA_cm2);
        expect(t.text![i]).toBe(lifespanLabel(rows[k]));
      }
    }
  });

  it('shades four class regions in FAILURE_REGION_COLOURS, each holding its cells', () => {
    const shapes = failureRegions(rows);
    expect(new Set(shapes.map((s) => s.fillcolor))).toEqual(new Set(Object.values(FAILURE_REGION_COLOURS)));
    for (const r of rows) {
      const holder = shapes.filter(
        (s) =>
          r.currentDensity_mA_cm2! > s.x0 &&
          r.currentDensity_mA_cm2! < s.x1 &&
          r.arealCapacity_mAh_cm2! > s.y0 &&
          r.arealCapacity_mAh_cm2! < s.y1,
      );
      expect(holder).toHaveLength(1);
      expect(holder[0].fillcolor).toBe(FAILURE_REGION_COLOURS[r.class]);
    }
  });

  it('shades a repeated condition with its most severe class', () => {
    const shapes = failureRegions([row(0.5, 1, 'stable', 40, true), row(0.5, 1, 'soft-short', 3)]);
    expect(shapes).toHaveLength(1);
    expect(shapes[0].fillcolor).toBe(FAILURE_REGION_COLOURS['soft-short']);
    // Geometric boundaries: a single condition spans a factor 2 either way.
    expect([shapes[0].x0, shapes[0].x1]).toEqual([0.25, 1]);
  });

  it('marks censored lifespans and rings selected and hovered cells', () => {
    expect(lifespanLabel(row(0.1, 0.2, 'stable', 123.4, true))).toBe('>123');
    expect(lifespanLabel(row(1, 1, 'hard-short', 2.5))).toBe('2.5');
    const spec = buildFailureMapSpec(rows, { selected: [0], hovered: 2 });
    expect(spec.data.find((t) => t.meta.role === 'selected')!.customdata).toEqual([0]);
    expect(spec.data.find((t) => t.meta.role === 'hovered')!.customdata).toEqual([2]);
  });

  it('snapshot of a small spec', () => {
    const small = [row(0.1, 0.2, 'stable', 64, true), row(1, 5, 'hard-short', 5)];
    expect(buildFailureMapSpec(small, { width: 320, height: 240 })).toMatchSnapshot();
  });
});
