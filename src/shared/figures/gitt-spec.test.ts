import { describe, expect, it } from 'vitest';
import { analyzeGitt } from '../analysis/gitt';
import { LI_IN_PLATEAUS } from '../analysis/gitt-plateaus';
import { generateGittRun } from '../synth/gitt-run';
import { buildDiffusionSpec, buildRelaxedVoltageSpec, gittFigureData, type GittFigurePulse } from './gitt-spec';

describe('GITT specs', () => {
  const run = generateGittRun({ directions: ['lithiation', 'delithiation'], pulsesPerRun: 20 });
  const result = analyzeGitt(run.dataset, { activeMaterialMol: run.truth.activeMaterialMol, areaCm2: run.truth.params.areaCm2 });
  const data = gittFigureData(result);

  it('plots D on a log axis against areal capacity, one trace per run, pulse index as customdata', () => {
    const spec = buildDiffusionSpec(data);
    expect(spec.layout.meta.name).toBe('Diffusion coefficient');
    expect(spec.layout.yaxis).toMatchObject({ type: 'log', title: { text: 'D (cm² s⁻¹)' } });
    expect(spec.layout.xaxis.title.text).toBe('Areal capacity (mAh cm⁻²)');
    const runs = spec.data.filter((t) => t.meta.role === 'data');
    expect(runs).toHaveLength(2);
    const run1 = result.pulses.filter((p) => p.run === 1);
    expect(runs[0].customdata).toEqual(run1.map((p) => p.index));
    expect(runs[0].x).toEqual(run1.map((p) => p.arealCapacity_mAh_cm2));
    for (const [k, p] of run1.entries()) expect(runs[0].y[k]).toBe(p.D_cm2_s > 0 && Number.isFinite(p.D_cm2_s) ? p.D_cm2_s : null);
    // The study's range: ~1e-10 on plateaus, peaks far above at transitions.
    const ys = runs[0].y.filter((v): v is number => v !== null);
    expect(Math.min(...ys)).toBeLessThan(1e-9);
    expect(Math.max(...ys)).toBeGreaterThan(1e-8);
  });

  it('never hands a log axis a zero or NaN D', () => {
    const pulses: GittFigurePulse[] = [
      { index: 1, run: 1, direction: 'discharge', D_cm2_s: 0, arealCapacity_mAh_cm2: 0.1, relaxedVoltage_V: 0.62, flags: [] },
      { index: 2, run: 1, direction: 'discharge', D_cm2_s: Number.NaN, arealCapacity_mAh_cm2: 0.2, relaxedVoltage_V: 0.62, flags: [] },
      {
        index: 3,
        run: 1,
        direction: 'discharge',
        D_cm2_s: 2e-10,
        arealCapacity_mAh_cm2: 0.3,
        relaxedVoltage_V: 0.61,
        flags: ['tau-not-small'],
      },
    ];
    const spec = buildDiffusionSpec({ pulses });
    expect(spec.data[0].y).toEqual([null, null, 2e-10]);
    expect(spec.data.find((t) => t.name === 'Flagged pulses')!.customdata).toEqual([3]);
  });

  it('draws the relaxed voltage with the 0.62 / 0.29 / 0.01 V plateau lines', () => {
    const spec = buildRelaxedVoltageSpec(data);
    expect(spec.layout.meta.name).toBe('Relaxed voltage');
    expect(spec.layout.shapes!.map((s) => s.y0)).toEqual([0.62, 0.29, 0.01]);
    expect(spec.layout.shapes!.every((s) => s.y0 === s.y1 && s.xref === 'paper')).toBe(true);
    expect(spec.layout.annotations!.map((a) => a.text)).toEqual(LI_IN_PLATEAUS.map((p) => `${p.voltageV.toFixed(2)} V ${p.label}`));
    const run1 = result.pulses.filter((p) => p.run === 1);
    expect(spec.data[0].y).toEqual(run1.map((p) => (Number.isFinite(p.relaxedVoltage_V) ? p.relaxedVoltage_V : null)));
  });

  it('rings the selected and hovered pulses in both panels', () => {
    for (const build of [buildDiffusionSpec, buildRelaxedVoltageSpec]) {
      const spec = build(data, { selected: [3, 4], hovered: 10 });
      expect(spec.data.find((t) => t.meta.role === 'selected')!.customdata).toEqual([3, 4]);
      expect(spec.data.find((t) => t.meta.role === 'hovered')!.customdata).toEqual([10]);
      expect(spec.data.every((t) => t.type === 'scatter')).toBe(true);
    }
  });

  it('snapshot of a small spec', () => {
    const pulses: GittFigurePulse[] = [
      { index: 1, run: 1, direction: 'discharge', D_cm2_s: 1e-10, arealCapacity_mAh_cm2: 0.05, relaxedVoltage_V: 0.62, flags: [] },
      { index: 2, run: 1, direction: 'discharge', D_cm2_s: 3e-8, arealCapacity_mAh_cm2: 0.1, relaxedVoltage_V: 0.45, flags: [] },
    ];
    expect(buildDiffusionSpec({ pulses }, { width: 320, height: 240, selected: [2] })).toMatchSnapshot();
    expect(buildRelaxedVoltageSpec({ pulses }, { width: 320, height: 240 })).toMatchSnapshot();
  });
});
