import { describe, expect, it } from 'vitest';
import { analyzeIndentation, DEFAULT_OLIVER_PHARR } from '../analysis/indentation';
import { generateIndentationCurve, INDIUM_LIKE_MATERIALS, reducedModulusOnDiamond } from '../synth/indentation-curve';
import { pixelColumns } from './figure-spec';
import { buildLoadDisplacementSpec, FIT_CURVE_POINTS, type LoadDisplacementData, powerLawFitPoints } from './load-displacement-spec';
import { syntheticIndentationDataset } from '../test-support/indentation-dataset';

describe('buildLoadDisplacementSpec', () => {
  const curves = (['In', 'In2Li3'] as const).map((name, k) => {
    const material = INDIUM_LIKE_MATERIALS[name];
    return generateIndentationCurve({
      name,
      hardnessGPa: material.hardnessGPa,
      reducedModulusGPa: reducedModulusOnDiamond(material.modulusGPa, material.nu),
      seed: k + 1,
    }).curve;
  });
  const result = analyzeIndentation(syntheticIndentationDataset(curves), { nu: 0.45 });
  const data: LoadDisplacementData = {
    curves: result.curves.map((r, k) => ({
      name: r.name,
      depthNm: curves[k].depthNm,
      loadMN: curves[k].loadMN,
      surfaceDepthNm: r.surfaceDepthNm,
      unloads: r.unloads,
    })),
    fitRange: result.parameters.fitRange,
  };

  it('draws each curve and its unloading fit, linked by the curve index', () => {
    const spec = buildLoadDisplacementSpec(data);
    expect(spec.layout.meta.name).toBe('Load vs displacement');
    expect(spec.layout.xaxis.title.text).toBe('Displacement (nm)');
    expect(spec.layout.yaxis.title.text).toBe('Load (mN)');
    expect(spec.data.map((t) => `${t.meta.role}:${t.meta.item}`)).toEqual(['data:0', 'fit:0', 'data:1', 'fit:1']);
    expect(new Set(spec.data[3].customdata)).toEqual(new Set([1]));
  });

  it('numbers curves by their item and colours them by their colour index (curves of one sample share a colour)', () => {
    const spec = buildLoadDisplacementSpec({
      ...data,
      curves: data.curves.map((c, k) => ({ ...c, item: 10 + k, colourIndex: 3 })),
    });
    const measured = spec.data.filter((t) => t.meta.role === 'data');
    expect(measured.map((t) => t.meta.item)).toEqual([10, 11]);
    expect(new Set(measured[1].customdata)).toEqual(new Set([11]));
    expect(measured[0].line?.color).toBe(measured[1].line?.color);
    const byPosition = buildLoadDisplacementSpec(data).data.filter((t) => t.meta.role === 'data');
    expect(byPosition[0].line?.color).not.toBe(byPosition[1].line?.color);
    expect(spec.layout.legend?.x).toBeLessThan(1);
    // Many sites: the legend moves outside the axes so it does not hide the curves.
    const many = buildLoadDisplacementSpec({ ...data, curves: Array.from({ length: 6 }, (_, k) => ({ ...data.curves[k % 2], item: k })) });
    expect(many.layout.legend).toMatchObject({ x: 1.02, xanchor: 'left' });
    // Emphasis follows the item, not the position.
    const hovered = buildLoadDisplacementSpec({ ...data, curves: data.curves.map((c, k) => ({ ...c, item: 10 + k })) }, { hovered: 11 });
    const widths = hovered.data.filter((t) => t.meta.role === 'data').map((t) => t.line?.width ?? 0);
    expect(widths[1]).toBeGreaterThan(widths[0]);
  });

  it('fit curve satisfies P = α (h − h_f)^m at its points and spans the fit range of P_max', () => {
    const spec = buildLoadDisplacementSpec(data);
    for (const [k, r] of result.curves.entries()) {
      const fit = spec.data.filter((t) => t.meta.role === 'fit')[k];
      expect(fit.x).toHaveLength(FIT_CURVE_POINTS);
      for (let i = 0; i < fit.x.length; i++) {
        const h = fit.x[i]!;
        const p = fit.y[i]!;
        expect(r.alpha * Math.pow(h - r.hf_nm, r.m)).toBeCloseTo(p, 9);
      }
      const [lo, hi] = DEFAULT_OLIVER_PHARR.fitRange;
      expect(fit.y[0]).toBeCloseTo(lo * r.Pmax_mN, 12);
      expect(fit.y[fit.y.length - 1]).toBeCloseTo(hi * r.Pmax_mN, 12);
    }
  });

  it('overlays the fit on the measured unloading (same depth frame)', () => {
    const spec = buildLoadDisplacementSpec(data);
    const raw = spec.data[0];
    const fit = spec.data[1];
    // Nearest measured unloading point at the fit's top load lies within a few nm of the fit's depth there.
    const topLoad = fit.y[fit.y.length - 1]!;
    const topDepth = fit.x[fit.x.length - 1]!;
    const peak = (raw.y as number[]).indexOf(Math.max(...(raw.y as number[])));
    let best = Infinity;
    for (let i = peak; i < raw.x.length; i++)
      if (Math.abs(raw.y[i]! - topLoad) < 0.02 * topLoad) best = Math.min(best, Math.abs(raw.x[i]! - topDepth));
    expect(best).toBeLessThan(5);
  });

  it('styles selected and hovered curves and their fits', () => {
    const spec = buildLoadDisplacementSpec(data, { selected: [0], hovered: 1 });
    expect(spec.data[2].line!.width).toBeGreaterThan(spec.data[0].line!.width);
    expect(spec.data[0].opacity).toBe(1);
    const dimmed = buildLoadDisplacementSpec(data, { selected: [0] });
    expect(dimmed.data[2].opacity).toBeLessThan(1);
    expect(dimmed.data[3].opacity).toBeLessThan(1);
  });

  it('keeps every trace within the pixel budget when fed 1e6 points', () => {
    const n = 1_000_000;
    const depthNm = Float64Array.from({ length: n }, (_, i) => 1000 * Math.sin((Math.PI * i) / n));
    const loadMN = Float64Array.from({ length: n }, (_, i) => 10 * Math.sin((Math.PI * i) / n) ** 2);
    const spec = buildLoadDisplacementSpec(
      { curves: [{ name: 'big', depthNm, loadMN, unloads: [] }], fitRange: [0.2, 0.95] },
      { width: 400 },
    );
    expect(spec.data[0].x.length).toBeLessThanOrEqual(8 * pixelColumns({ width: 400 }) + 4);
    expect(Math.max(...(spec.data[0].y as number[]))).toBeCloseTo(10, 6);
  });

  it('skips unusable fits and rejects a bad fit range', () => {
    expect(powerLawFitPoints({ alpha: Number.NaN, m: 1.5, hf_nm: 0, Pmax_mN: 1 }, [0.2, 0.95]).depthNm).toHaveLength(0);
    expect(() => buildLoadDisplacementSpec({ ...data, fitRange: [0.9, 0.2] })).toThrow(/fitRange/);
  });

  it('snapshot of a small spec', () => {
    const small: LoadDisplacementData = {
      curves: [
        {
          name: 'site 1',
          depthNm: [0, 50, 100, 80, 60],
          loadMN: [0, 0.5, 1, 0.5, 0],
          unloads: [{ alpha: 0.001, m: 1.5, hf_nm: 60, Pmax_mN: 1 }],
        },
      ],
      fitRange: [0.2, 0.95],
    };
    const spec = buildLoadDisplacementSpec(small, { width: 320, height: 240 });
    // Round the fit's computed depths so the snapshot does not depend on the last bit of Math.pow.
    const rounded = { ...spec, data: spec.data.map((t) => ({ ...t, x: t.x.map((v) => (v === null ? null : Number(v.toFixed(9)))) })) };
    expect(rounded).toMatchSnapshot();
  });
});
