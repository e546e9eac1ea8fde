import { describe, expect, it } from 'vitest';
import { FAILURE_REGION_COLOURS, type FailureMapRow } from '../analysis/failure-map';
import { buildLifespanSpec, conditionLabel, type LifespanBar } from './lifespan-spec';

const bar = (j: number, q: number, cls: FailureMapRow['class'], lifespan: number | null, censored = false): LifespanBar => ({
  label: conditionLabel({ currentDensity_mA_cm2: j, arealCapacity_mAh_cm2: q }),
  row: { class: cls, lifespan_mAh_cm2: lifespan, censored },
});

describe('buildLifespanSpec', () => {
  const bars = [bar(0.1, 1, 'stable', 150, true), bar(0.5, 1, 'soft-short', 12), bar(1, 5, 'hard-short', 5)];

  it('draws one filled bar per condition from 0 to its lifespan in its class colour', () => {
    const spec = buildLifespanSpec(bars);
    expect(spec.layout.meta.name).toBe('Lifespan');
    expect(spec.layout.xaxis.ticktext).toEqual(['0.1 mA cm⁻² · 1 mAh cm⁻²', '0.5 mA cm⁻² · 1 mAh cm⁻²', '1 mA cm⁻² · 5 mAh cm⁻²']);
    const data = spec.data.filter((t) => t.meta.role === 'data');
    expect(data).toHaveLength(3);
    for (const [k, t] of data.entries()) {
      expect(t.type).toBe('scatter');
      expect(t.fill).toBe('toself');
      expect(t.fillcolor).toBe(FAILURE_REGION_COLOURS[bars[k].row.class]);
      expect(Math.min(...(t.y as number[]))).toBe(0);
      expect(Math.max(...(t.y as number[]))).toBe(bars[k].row.lifespan_mAh_cm2);
      expect(t.customdata).toEqual([k, k, k, k, k]);
    }
  });

  it('marks only the censored bar with a ">" label', () => {
    const censored = buildLifespanSpec(bars).data.filter((t) => t.meta.role === 'reference');
    expect(censored).toHaveLength(1);
    expect(censored[0]).toMatchObject({ x: [0], y: [150], text: ['>150'] });
  });

  it('outlines the selected and hovered bars and dims the rest', () => {
    const data = buildLifespanSpec(bars, { selected: [1], hovered: 2 }).data.filter((t) => t.meta.role === 'data');
    expect(data[0].opacity).toBeLessThan(1);
    expect(data[1].line!.color).toBe('#000000');
    expect(data[2].line!.width).toBeGreaterThan(data[1].line!.width);
  });

  it('skips a condition with no lifespan but keeps its tick', () => {
    const spec = buildLifespanSpec([bar(0.2, 0.2, 'stable', null)]);
    expect(spec.data).toHaveLength(0);
    expect(spec.layout.xaxis.tickvals).toEqual([0]);
  });

  it('snapshot of a small spec', () => {
    expect(buildLifespanSpec(bars.slice(0, 2), { width: 320, height: 240 })).toMatchSnapshot();
  });
});
