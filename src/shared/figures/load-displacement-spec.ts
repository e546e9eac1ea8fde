/**
 * Load against displacement of chosen indentation curves (the study's Fig. 4b–e) with each unloading's
 * Oliver–Pharr power law P = α (h − h_f)^m (Oliver & Pharr, J. Mater. Res. 7 (1992) 1564, eq. 11) drawn over
 * the load range it was fitted on (fitRange × P_max). `customdata` is the curve index.
 *
 * The fit lives in the analysis' depth frame: the raw depth minus the surface depth and minus frame
 * compliance C_f·P (indentation.ts prepareCurve); the raw curve is drawn in the same frame so the two overlay.
 * Thermal-drift correction is not replayed: with `correctDrift` on, the drawn points may sit off the fit by
 * the drift.
 */
import type { UnloadResult } from '../analysis/indentation';
import { AXIS_LABELS } from './axis-labels';
import {
  baseLayout,
  curveStyle,
  decimateParametric,
  emphasisOf,
  type FigureOptions,
  type FigureSpec,
  pixelColumns,
  type ScatterTrace,
} from './figure-spec';
import { colourFor, journalAxis } from './journal-style';

/** Points of each drawn fit curve. */
export const FIT_CURVE_POINTS = 48;
/** Up to this many curves the legend sits inside the axes' top-right corner; more go outside, to the right. */
export const LEGEND_INSIDE_MAX_CURVES = 4;

export interface LoadDisplacementCurve {
  readonly name: string;
  /** The curve index the selection store uses (default: its position). */
  readonly item?: number;
  /** Palette index of the curve's colour (default: its position); curves of one sample can share one. */
  readonly colourIndex?: number;
  readonly depthNm: ArrayLike<number>;
  readonly loadMN: ArrayLike<number>;
  /** CurveResult.surfaceDepthNm (0 when the file's zero is kept). */
  readonly surfaceDepthNm?: number;
  readonly unloads: readonly Pick<UnloadResult, 'alpha' | 'm' | 'hf_nm' | 'Pmax_mN'>[];
}

export interface LoadDisplacementData {
  readonly curves: readonly LoadDisplacementCurve[];
  /** OliverPharrParams.fitRange, fractions of P_max. */
  readonly fitRange: readonly [number, number];
  /** The tip's frame compliance C_f, nm/mN (default 0). */
  readonly frameComplianceNmPerMN?: number;
}

/** Points of P = α (h − h_f)^m for P uniform over [lo, hi] × P_max: h = h_f + (P/α)^(1/m). Empty for an unusable fit. */
export function powerLawFitPoints(
  fit: Pick<UnloadResult, 'alpha' | 'm' | 'hf_nm' | 'Pmax_mN'>,
  fitRange: readonly [number, number],
  points = FIT_CURVE_POINTS,
): { depthNm: number[]; loadMN: number[] } {
  const { alpha, m, hf_nm: hf, Pmax_mN: pmax } = fit;
  if (![alpha, m, hf, pmax].every(Number.isFinite) || !(alpha > 0 && m > 0 && pmax > 0)) return { depthNm: [], loadMN: [] };
  const depthNm: number[] = [];
  const loadMN: number[] = [];
  for (let k = 0; k < points; k++) {
    const p = pmax * (fitRange[0] + ((fitRange[1] - fitRange[0]) * k) / (points - 1));
    loadMN.push(p);
    depthNm.push(hf + Math.pow(p / alpha, 1 / m));
  }
  return { depthNm, loadMN };
}

export function buildLoadDisplacementSpec(data: LoadDisplacementData, options: FigureOptions = {}): FigureSpec {
  const [lo, hi] = data.fitRange;
  if (!(lo >= 0 && hi > lo && hi <= 1)) throw new RangeError(`fitRange must satisfy 0 ≤ low < high ≤ 1, got [${lo}, ${hi}]`);
  const cf = data.frameComplianceNmPerMN ?? 0;
  const columns = pixelColumns(options);
  const traces: ScatterTrace[] = [];
  data.curves.forEach((curve, k) => {
    const item = curve.item ?? k;
    const colour = colourFor(curve.colourIndex ?? k, options.colours);
    const style = curveStyle(colour, emphasisOf(item, options));
    const rows = decimateParametric(curve.depthNm, curve.loadMN, columns);
    const surface = curve.surfaceDepthNm ?? 0;
    const x: (number | null)[] = [];
    const y: (number | null)[] = [];
    for (const r of rows) {
      const h = curve.depthNm[r] - surface - cf * curve.loadMN[r];
      const p = curve.loadMN[r];
      x.push(Number.isFinite(h) ? h : null);
      y.push(Number.isFinite(p) ? p : null);
    }
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: curve.name,
      legendgroup: `curve-${item}`,
      x,
      y,
      customdata: new Array<number>(x.length).fill(item),
      ...style,
      hovertemplate: `%{x:.1f} nm<br>%{y:.4f} mN<extra>${curve.name}</extra>`,
      meta: { role: 'data', item },
    });
    curve.unloads.forEach((fit, u) => {
      const points = powerLawFitPoints(fit, data.fitRange);
      if (points.depthNm.length === 0) return;
      traces.push({
        type: 'scatter',
        mode: 'lines',
        name: `${curve.name} fit${curve.unloads.length > 1 ? ` ${u + 1}` : ''}`,
        legendgroup: `curve-${item}`,
        showlegend: false,
        x: points.depthNm,
        y: points.loadMN,
        customdata: new Array<number>(points.depthNm.length).fill(item),
        line: { color: '#000000', width: style.line.width + 0.6, dash: 'dot' },
        opacity: style.opacity,
        hovertemplate: `fit P = ${fit.alpha.toPrecision(3)} (h − ${fit.hf_nm.toFixed(1)})^${fit.m.toFixed(3)}<extra>${curve.name}</extra>`,
        meta: { role: 'fit', item },
      });
    });
  });
  const layout = baseLayout('Load vs displacement', journalAxis(AXIS_LABELS.displacementNm), journalAxis(AXIS_LABELS.loadMN), options, {
    showlegend: data.curves.length > 1,
    uirevision: `load-displacement:${data.curves.map((c) => c.name).join('|')}`,
  });
  // A long legend (many sites) inside the axes would hide the curves: put it to their right.
  if (data.curves.length > LEGEND_INSIDE_MAX_CURVES)
    layout.legend = { x: 1.02, y: 1, xanchor: 'left', yanchor: 'top', bgcolor: 'rgba(255,255,255,0.8)' };
  return { data: traces, layout };
}
