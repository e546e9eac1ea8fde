/**
 * Shared types and helpers of the pure Plotly spec builders (no plotly import: small local interfaces).
 * Each builder: (data, FigureOptions) -> FigureSpec. Traces are SVG `scatter` only (never `scattergl`, which
 * becomes a bitmap in an SVG/PDF export), decimated to the pixel columns of the plot so the full columns
 * never go to Plotly, and each point's `customdata` is the linked item (cycle, pulse, cell or curve index).
 */
import { decimateMinMax } from '../analysis/decimate';
import { DEFAULT_PLOT_HEIGHT_PX, DEFAULT_PLOT_WIDTH_PX, JOURNAL_FONT_FAMILY, SCREEN_FONT_SIZE_PX, type AxisSpec } from './journal-style';

/** Accessible names of the plot regions (issue 7's interface contract); `layout.meta.name`. */
export type FigureName =
  | 'Voltage vs time'
  | 'Voltage vs capacity'
  | 'Coulombic efficiency'
  | 'Voltage gap'
  | 'Nucleation overpotential'
  | 'dQ/dV'
  | 'Failure map'
  | 'Lifespan'
  | 'Critical current density'
  | 'Diffusion coefficient'
  | 'Relaxed voltage'
  | 'Load vs displacement';

/** What a trace stands for, so a view can tell data from overlays when it links clicks and hover. */
export type TraceRole = 'data' | 'selected' | 'hovered' | 'fit' | 'reference';

export interface ScatterTrace {
  type: 'scatter';
  mode: 'lines' | 'markers' | 'lines+markers' | 'markers+text' | 'text';
  name: string;
  x: (number | null)[];
  y: (number | null)[];
  /** The linked item of each point (cycle index, pulse index, cell row, curve index); -1 for none. */
  customdata?: number[];
  text?: string[];
  textposition?: 'top center' | 'middle right' | 'top right';
  line?: { color: string; width: number; dash?: 'solid' | 'dash' | 'dot' | 'dashdot'; shape?: 'linear' | 'hv' };
  marker?: { color: string; size: number; symbol?: string; line?: { color: string; width: number } };
  fill?: 'toself' | 'none';
  fillcolor?: string;
  opacity?: number;
  showlegend?: boolean;
  legendgroup?: string;
  /** Title shown above a legend group (set on the group's first trace). */
  legendgrouptitle?: { text: string };
  hovertemplate?: string;
  hoverinfo?: 'skip';
  meta: { role: TraceRole; item?: number };
}

export interface ShapeSpec {
  type: 'rect' | 'line';
  xref: 'x' | 'paper';
  yref: 'y' | 'paper';
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  layer?: 'below' | 'above';
  fillcolor?: string;
  opacity?: number;
  line: { color: string; width: number; dash?: 'solid' | 'dash' | 'dot' };
}

export interface AnnotationSpec {
  xref: 'x' | 'paper';
  yref: 'y' | 'paper';
  x: number;
  y: number;
  text: string;
  showarrow: false;
  xanchor?: 'left' | 'center' | 'right';
  yanchor?: 'top' | 'middle' | 'bottom';
  font?: { size?: number; color?: string };
}

export interface FigureLayout {
  meta: { name: FigureName };
  width: number;
  height: number;
  font: { family: string; size: number; color: string };
  xaxis: AxisSpec;
  yaxis: AxisSpec;
  margin: { l: number; r: number; t: number; b: number };
  showlegend: boolean;
  legend?: { x: number; y: number; xanchor: 'left' | 'right'; yanchor: 'top' | 'bottom'; bgcolor: string };
  hovermode: 'closest';
  /** Keeps the user's zoom across redraws of the same content (Plotly resets axes when it changes). */
  uirevision: string;
  shapes?: ShapeSpec[];
  annotations?: AnnotationSpec[];
  paper_bgcolor: string;
  plot_bgcolor: string;
  /** Drag gesture: zoom (default), or box/lasso selection of linked items. */
  dragmode?: 'zoom' | 'select' | 'lasso' | 'pan';
}

export interface FigureSpec {
  data: ScatterTrace[];
  layout: FigureLayout;
}

/** Linking and size options every builder takes. */
export interface FigureOptions {
  /** Items (cycle/pulse/cell/curve indices) highlighted by the selection store. */
  selected?: readonly number[];
  /** The item under the pointer anywhere in the app. */
  hovered?: number;
  /** Palette; default Okabe & Ito. */
  colours?: readonly string[];
  width?: number;
  height?: number;
}

export type Emphasis = 'hovered' | 'selected' | 'dimmed' | 'normal';

/** Hovered beats selected; with a non-empty selection the other items are dimmed so the chosen ones stand out. */
export function emphasisOf(item: number, options: FigureOptions): Emphasis {
  if (options.hovered === item) return 'hovered';
  const selected = options.selected ?? [];
  if (selected.includes(item)) return 'selected';
  return selected.length > 0 ? 'dimmed' : 'normal';
}

const LINE_WIDTH_PX: Readonly<Record<Emphasis, number>> = { hovered: 3, selected: 2.4, dimmed: 1, normal: 1.4 };
const OPACITY: Readonly<Record<Emphasis, number>> = { hovered: 1, selected: 1, dimmed: 0.35, normal: 1 };

/** Line and opacity of a per-item curve: the colour stays the item's (identity), width/opacity carry emphasis. */
export function curveStyle(colour: string, emphasis: Emphasis): { line: NonNullable<ScatterTrace['line']>; opacity: number } {
  return { line: { color: colour, width: LINE_WIDTH_PX[emphasis] }, opacity: OPACITY[emphasis] };
}

/** Overlay marker styles for per-point plots (CE, gap, D …): a ring for selected, a filled black dot for hovered. */
export const SELECTED_MARKER = Object.freeze({ size: 10, symbol: 'circle-open', line: { color: '#000000', width: 2 } });
export const HOVERED_MARKER = Object.freeze({ size: 12, symbol: 'circle-open', line: { color: '#000000', width: 3 } });

export function plotSize(options: FigureOptions): { width: number; height: number } {
  const width = options.width ?? DEFAULT_PLOT_WIDTH_PX;
  const height = options.height ?? DEFAULT_PLOT_HEIGHT_PX;
  if (!(width > 0 && height > 0)) throw new RangeError(`plot size must be positive, got ${width} × ${height}`);
  return { width, height };
}

/** Pixel columns of the plotting area (width minus the default margins), the decimation budget per trace. */
export function pixelColumns(options: FigureOptions): number {
  return Math.max(16, Math.floor(plotSize(options).width - 80));
}

export function baseLayout(
  name: FigureName,
  xaxis: AxisSpec,
  yaxis: AxisSpec,
  options: FigureOptions,
  extra: Partial<Pick<FigureLayout, 'showlegend' | 'shapes' | 'annotations' | 'uirevision'>> = {},
): FigureLayout {
  const { width, height } = plotSize(options);
  return {
    meta: { name },
    width,
    height,
    font: { family: JOURNAL_FONT_FAMILY, size: SCREEN_FONT_SIZE_PX, color: '#000000' },
    xaxis,
    yaxis,
    margin: { l: 64, r: 16, t: 16, b: 52 },
    showlegend: extra.showlegend ?? true,
    legend: { x: 0.99, y: 0.99, xanchor: 'right', yanchor: 'top', bgcolor: 'rgba(255,255,255,0.8)' },
    hovermode: 'closest',
    uirevision: extra.uirevision ?? name,
    ...(extra.shapes ? { shapes: extra.shapes } : {}),
    ...(extra.annotations ? { annotations: extra.annotations } : {}),
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
  };
}

/** Finite number or null (Plotly draws a gap at null; JSON has no NaN). */
export function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Rows to keep of a curve drawn as y against a monotone x (time, capacity): min–max per pixel column
 * (decimateMinMax). Returns indices into the given arrays.
 */
export function decimateMonotone(x: ArrayLike<number>, y: ArrayLike<number>, columns: number): Uint32Array {
  const n = x.length;
  if (n === 0) return new Uint32Array(0);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi >= lo)) return new Uint32Array(0);
  return decimateMinMax(x, y, lo, hi, columns).index;
}

/**
 * Rows to keep of a parametric curve (load–displacement, voltage–dQ/dV) whose x is not monotone: min–max per
 * column of the row index, once for x and once for y, merged, so the extremes of both coordinates survive.
 * At most 8 rows per column (+4).
 */
export function decimateParametric(x: ArrayLike<number>, y: ArrayLike<number>, columns: number): Uint32Array {
  const n = x.length;
  if (n <= 8 * columns) return Uint32Array.from({ length: n }, (_, i) => i);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) row[i] = i;
  const a = decimateMinMax(row, x, 0, n - 1, columns).index;
  const b = decimateMinMax(row, y, 0, n - 1, columns).index;
  const merged = new Set<number>([...a, ...b]);
  return Uint32Array.from([...merged].sort((p, q) => p - q));
}

/** Picks `rows` of a column into a plain array, NaN -> null. */
export function pick(values: ArrayLike<number>, rows: ArrayLike<number>, scale = 1): (number | null)[] {
  const out = new Array<number | null>(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]] * scale;
    out[k] = Number.isFinite(v) ? v : null;
  }
  return out;
}

/** [first, last] over several non-decreasing series (time or capacity axes); undefined when all are empty. */
export function spanOfSorted(series: readonly ArrayLike<number>[]): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of series) {
    if (x.length === 0) continue;
    lo = Math.min(lo, x[0]);
    hi = Math.max(hi, x[x.length - 1]);
  }
  return hi >= lo ? [lo, hi] : undefined;
}
