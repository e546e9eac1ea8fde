import { describe, expect, it } from 'vitest';
import { analyzeCcd, analyzeCycling } from '../analysis/analyze-cycling';
import { FAILURE_REGION_COLOURS } from '../analysis/failure-map';
import { ccdScenario } from '../synth/cycling-scenarios';
import { buildCcdSpec, ccdStepSpans } from './ccd-spec';
import { pixelColumns } from './figure-spec';

const META = { cellType: 'asymmetric' as const, areaCm2: 0.785 };

describe('buildCcdSpec', () => {
  const dataset = ccdScenario();
  const ccd = analyzeCcd(dataset, META);
  const { cycles } = analyzeCycling(dataset, META);
  const data = { timeS: dataset.columns.timeS, voltageV: dataset.columns.voltageV, ccd, cycles };

  it('shades each step with its verdict and draws the CCD line at 0.8 mA cm⁻²', () => {
    expect(ccd.ccd_mA_cm2).toBeCloseTo(0.8, 2);
    const spec = buildCcdSpec(data);
    expect(spec.layout.meta.name).toBe('Critical current density');
    const spans = ccdStepSpans(data);
    expect(spans).toHaveLength(ccd.steps.length);
    const rects = spec.layout.shapes!.filter((s) => s.type === 'rect');
    expect(rects.map((r) => r.fillcolor)).toEqual(
      ccd.steps.map((s) => (s.shorted ? FAILURE_REGION_COLOURS[s.evidence[0].class] : FAILURE_REGION_COLOURS.stable)),
    );
    const line = spec.layout.shapes!.find((s) => s.type === 'line')!;
    const ccdSpan = spans.find((s) => s.shorted)!;
    expect(line.x0).toBeCloseTo(ccdSpan.startS / 3600, 9);
    expect(spec.layout.annotations!.some((a) => a.text.startsWith('CCD 0.8 mA cm⁻²'))).toBe(true);
    expect(spec.layout.annotations!.filter((a) => a.text.endsWith('✗')).length).toBe(ccd.steps.filter((s) => s.shorted).length);
  });

  it('links each trace point to its step', () => {
    const spec = buildCcdSpec(data);
    const [trace] = spec.data;
    const spans = ccdStepSpans(data);
    for (const [k, step] of trace.customdata!.entries()) {
      if (step < 0) continue;
      const tS = (trace.x[k] as number) * 3600;
      const span = spans.find((s) => s.step === step)!;
      expect(tS).toBeGreaterThanOrEqual(span.startS - 1e-6);
      expect(tS).toBeLessThanOrEqual(span.endS + 1e-6);
    }
    expect(new Set(trace.customdata)).toContain(ccd.steps.length - 1);
  });

  it('emphasises the selected and hovered steps', () => {
    const rects = buildCcdSpec(data, { selected: [1], hovered: 2 }).layout.shapes!.filter((s) => s.type === 'rect');
    expect(rects[2].opacity).toBeGreaterThan(rects[1].opacity!);
    expect(rects[1].opacity).toBeGreaterThan(rects[0].opacity!);
  });

  it('keeps the voltage trace within the pixel budget when fed 1e6 points', () => {
    const n = 1_000_000;
    const timeS = Float64Array.from({ length: n }, (_, i) => i);
    const voltageV = Float64Array.from({ length: n }, (_, i) => 0.62 + 0.01 * Math.sin(i));
    const spec = buildCcdSpec({ timeS, voltageV, ccd, cycles }, { width: 500 });
    expect(spec.data[0].x.length).toBeLessThanOrEqual(4 * pixelColumns({ width: 500 }) + 2);
  });

  it('snapshot of a small spec', () => {
    const small = {
      timeS: [0, 1800, 3600, 5400, 7200],
      voltageV: [0.62, 0.63, 0.61, 0.5, 0.64],
      ccd: {
        ccd_mA_cm2: 0.2,
        lastStable_mA_cm2: 0.1,
        steps: [
          { currentDensity_mA_cm2: 0.1, shorted: false, cycles: [1], evidence: [] },
          { currentDensity_mA_cm2: 0.2, shorted: true, cycles: [2], evidence: [] },
        ],
      },
      cycles: [
        { index: 1, startTime_s: 0, duration_s: 3600 },
        { index: 2, startTime_s: 3600, duration_s: 3600 },
      ],
    };
    expect(buildCcdSpec(small, { width: 320, height: 240 })).toMatchSnapshot();
  });
});
