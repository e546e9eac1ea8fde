/**
 * Journal presets (issue 8 §2): a figure's physical size in millimetres at the journals' column widths, its font,
 * line and marker sizes in points, the study's tick style (inside, mirrored on all four sides) and a palette.
 * `applyPreset` restyles a pure FigureSpec for export without touching its data.
 *
 * Units: 1 in = 25.4 mm = 72 pt = 96 CSS px (CSS Values 4), so vector layouts are sized at 96 px/in and an
 * SVG/PDF of W px is W / 96 in wide. Raster exports scale the same layout to `dpi`.
 */
import { SCREEN_FONT_SIZE_PX, type AxisSpec } from './journal-style';
import type { FigureSpec, ScatterTrace } from './figure-spec';
import { OKABE_ITO } from './voltage-time-spec';

export type PaletteName = 'okabe-ito' | 'viridis' | 'per-cell';
export type RasterDpi = 300 | 600 | 1200;

export const MM_PER_INCH = 25.4;
export const CSS_PX_PER_INCH = 96;
export const PT_PER_INCH = 72;
export const PX_PER_MM = CSS_PX_PER_INCH / MM_PER_INCH;
export const PX_PER_PT = CSS_PX_PER_INCH / PT_PER_INCH;

/** Column widths most journals print (Elsevier, ACS, RSC, Nature family within a few mm). */
export const COLUMN_WIDTH_MM = Object.freeze({ single: 85, oneAndHalf: 114, double: 174 });
export const PALETTES: readonly PaletteName[] = ['okabe-ito', 'viridis', 'per-cell'];
export const RASTER_DPI: readonly RasterDpi[] = [300, 600, 1200];
export const DEFAULT_FIGURE_FONT_FAMILY = 'Arial, Helvetica, "Liberation Sans", sans-serif';

/** Limits of an editable preset: wide enough for any journal, narrow enough to catch a unit mix-up (inches, px). */
const SIZE_MM_RANGE: readonly [number, number] = [20, 400];
const FONT_PT_RANGE: readonly [number, number] = [4, 24];
const LINE_PT_RANGE: readonly [number, number] = [0.1, 6];
const MARKER_PT_RANGE: readonly [number, number] = [0.5, 20];
const TICK_PT_RANGE: readonly [number, number] = [0, 12];

export interface FigurePreset {
  name: string;
  /** Figure width, mm: 85 (single column), 114 (1.5 column), 174 (double) or any custom width. */
  widthMm: number;
  heightMm: number;
  /** CSS font list; the first installed one is used (Arial/Helvetica, then the open Liberation Sans). */
  fontFamily: string;
  fontSizePt: number;
  /** Width of a normal data line, pt (emphasised and dimmed curves keep their ratio to it). */
  lineWidthPt: number;
  /** Width of the axis frame and ticks, pt. */
  axisLineWidthPt: number;
  /** Diameter of a normal marker, pt (overlay rings keep their ratio to it). */
  markerSizePt: number;
  tickLengthPt: number;
  /** The study's style (journal-style.ts): ticks inside the frame … */
  ticks: 'inside';
  /** … and repeated on the opposite axis, so all four sides carry ticks. */
  mirror: 'allticks';
  palette: PaletteName;
  /** Resolution of PNG/TIFF exports. */
  dpi: RasterDpi;
}

function journalPreset(name: string, widthMm: number, heightMm: number): FigurePreset {
  return {
    name,
    widthMm,
    heightMm,
    fontFamily: DEFAULT_FIGURE_FONT_FAMILY,
    fontSizePt: 7,
    lineWidthPt: 1,
    axisLineWidthPt: 0.75,
    markerSizePt: 4,
    tickLengthPt: 3,
    ticks: 'inside',
    mirror: 'allticks',
    palette: 'per-cell',
    dpi: 600,
  };
}

/** The built-in presets (editable copies are saved in the library). Heights keep roughly a 3:4 to 4:7 panel. */
export const JOURNAL_PRESETS: readonly Readonly<FigurePreset>[] = Object.freeze([
  Object.freeze(journalPreset('Single column (85 mm)', COLUMN_WIDTH_MM.single, 64)),
  Object.freeze(journalPreset('1.5 column (114 mm)', COLUMN_WIDTH_MM.oneAndHalf, 80)),
  Object.freeze(journalPreset('Double column (174 mm)', COLUMN_WIDTH_MM.double, 100)),
]);

function checkRange(field: keyof FigurePreset, value: unknown, [lo, hi]: readonly [number, number], unit: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi)
    throw new RangeError(`preset ${field} must be ${lo}–${hi} ${unit}, got ${JSON.stringify(value)}`);
}

/**
 * Checks a preset (a built-in one, one edited in the UI, or one read back from the library); throws a
 * RangeError naming the first bad field and its value. Returns the preset for chaining.
 */
export function validatePreset(preset: FigurePreset): FigurePreset {
  if (typeof preset.name !== 'string' || preset.name.trim() === '')
    throw new RangeError(`preset name must be a non-empty string, got ${JSON.stringify(preset.name)}`);
  checkRange('widthMm', preset.widthMm, SIZE_MM_RANGE, 'mm');
  checkRange('heightMm', preset.heightMm, SIZE_MM_RANGE, 'mm');
  if (typeof preset.fontFamily !== 'string' || preset.fontFamily.trim() === '' || /[<>;{}]/.test(preset.fontFamily))
    throw new RangeError(`preset fontFamily must be a CSS font list, got ${JSON.stringify(preset.fontFamily)}`);
  checkRange('fontSizePt', preset.fontSizePt, FONT_PT_RANGE, 'pt');
  checkRange('lineWidthPt', preset.lineWidthPt, LINE_PT_RANGE, 'pt');
  checkRange('axisLineWidthPt', preset.axisLineWidthPt, LINE_PT_RANGE, 'pt');
  checkRange('markerSizePt', preset.markerSizePt, MARKER_PT_RANGE, 'pt');
  checkRange('tickLengthPt', preset.tickLengthPt, TICK_PT_RANGE, 'pt');
  if (preset.ticks !== 'inside') throw new RangeError(`preset ticks must be 'inside', got ${JSON.stringify(preset.ticks)}`);
  if (preset.mirror !== 'allticks') throw new RangeError(`preset mirror must be 'allticks', got ${JSON.stringify(preset.mirror)}`);
  if (!PALETTES.includes(preset.palette))
    throw new RangeError(`preset palette must be one of ${PALETTES.join(', ')}, got ${JSON.stringify(preset.palette)}`);
  if (!RASTER_DPI.includes(preset.dpi))
    throw new RangeError(`preset dpi must be one of ${RASTER_DPI.join(', ')}, got ${JSON.stringify(preset.dpi)}`);
  return preset;
}

/** The layout size in CSS px (96 px/in) of a figure `widthMm` × `heightMm`; not rounded (vector output). */
export function vectorSizePx(preset: Pick<FigurePreset, 'widthMm' | 'heightMm'>): { width: number; height: number } {
  return { width: preset.widthMm * PX_PER_MM, height: preset.heightMm * PX_PER_MM };
}

/** The raster size in device pixels: round(mm / 25.4 × dpi) on each side (what a journal's checker computes). */
export function rasterSizePx(preset: Pick<FigurePreset, 'widthMm' | 'heightMm' | 'dpi'>): { width: number; height: number } {
  return {
    width: Math.round((preset.widthMm / MM_PER_INCH) * preset.dpi),
    height: Math.round((preset.heightMm / MM_PER_INCH) * preset.dpi),
  };
}

/**
 * Viridis (Smith & van der Walt 2015, matplotlib) at 10 evenly spaced stops, as R's viridisLite prints them.
 * Sampled only up to VIRIDIS_MAX so the last colour (yellow) stays visible on a white page.
 */
const VIRIDIS_STOPS = [
  '#440154',
  '#482878',
  '#3E4A89',
  '#31688E',
  '#26828E',
  '#1F9E89',
  '#35B779',
  '#6DCD59',
  '#B4DE2C',
  '#FDE725',
] as const;
const VIRIDIS_MAX = 0.85;

function hexToRgb(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

/** Viridis at t ∈ [0, 1], linear in RGB between the stops. */
export function viridis(t: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const at = clamped * (VIRIDIS_STOPS.length - 1);
  const i = Math.min(VIRIDIS_STOPS.length - 2, Math.floor(at));
  const f = at - i;
  const a = hexToRgb(VIRIDIS_STOPS[i]);
  const b = hexToRgb(VIRIDIS_STOPS[i + 1]);
  const channel = (k: number) =>
    Math.round(a[k] + (b[k] - a[k]) * f)
      .toString(16)
      .padStart(2, '0');
  return `#${channel(0)}${channel(1)}${channel(2)}`.toUpperCase();
}

/**
 * Old colour -> new colour for the data traces. The builders already give each cell/condition/cycle its Okabe–Ito
 * colour by item index (kept across panels), so:
 * - 'per-cell' keeps every colour;
 * - 'okabe-ito' keeps Okabe–Ito colours and maps any other (a custom palette) onto Okabe–Ito in order;
 * - 'viridis' spreads the colours in use, in Okabe–Ito order, over viridis — two panels showing the same cells
 *   get the same colours.
 */
function paletteMap(traces: readonly ScatterTrace[], palette: PaletteName): Map<string, string> {
  const used: string[] = [];
  for (const t of traces) {
    if (t.meta.role !== 'data') continue;
    for (const c of [t.line?.color, t.marker?.color]) if (c !== undefined && !used.includes(c.toUpperCase())) used.push(c.toUpperCase());
  }
  const okabe: readonly string[] = OKABE_ITO.map((c) => c.toUpperCase());
  const rank = (c: string) => (okabe.includes(c) ? okabe.indexOf(c) : okabe.length + used.indexOf(c));
  const ordered = [...used].sort((a, b) => rank(a) - rank(b));
  const map = new Map<string, string>();
  if (palette === 'per-cell') return map;
  if (palette === 'okabe-ito') {
    const foreign = ordered.filter((c) => !okabe.includes(c));
    foreign.forEach((c, k) => map.set(c, okabe[k % okabe.length]));
    return map;
  }
  ordered.forEach((c, k) => map.set(c, viridis(ordered.length === 1 ? 0 : (k / (ordered.length - 1)) * VIRIDIS_MAX)));
  return map;
}

/** Screen sizes the builders use for a normal curve and marker (figure-spec.ts curveStyle, per-point builders). */
const SCREEN_LINE_WIDTH_PX = 1.4;
const SCREEN_MARKER_SIZE_PX = 6;
const SCREEN_AXIS_WIDTH_PX = 1;

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Restyles `spec` for the preset: layout width/height in px for the physical size (96 px/in), font in px
 * (pt × 4/3), line widths, marker sizes, axis frame and tick style, margins scaled with the font, and colours
 * by the palette. Every x, y, customdata and text array is the caller's own (shared, never mutated): the data
 * do not change, nor does the input spec.
 */
export function applyPreset(spec: FigureSpec, preset: FigurePreset): FigureSpec {
  validatePreset(preset);
  const { width, height } = vectorSizePx(preset);
  const fontPx = preset.fontSizePt * PX_PER_PT;
  const fontRatio = fontPx / SCREEN_FONT_SIZE_PX;
  const lineRatio = (preset.lineWidthPt * PX_PER_PT) / SCREEN_LINE_WIDTH_PX;
  const markerRatio = (preset.markerSizePt * PX_PER_PT) / SCREEN_MARKER_SIZE_PX;
  const axisPx = preset.axisLineWidthPt * PX_PER_PT;
  const axisRatio = axisPx / SCREEN_AXIS_WIDTH_PX;
  const colours = paletteMap(spec.data, preset.palette);
  const recolour = (trace: ScatterTrace, c: string) => (trace.meta.role === 'data' ? (colours.get(c.toUpperCase()) ?? c) : c);

  const data = spec.data.map((t): ScatterTrace => {
    const out: ScatterTrace = { ...t, meta: { ...t.meta } };
    if (t.line) out.line = { ...t.line, color: recolour(t, t.line.color), width: round3(t.line.width * lineRatio) };
    if (t.marker) {
      out.marker = { ...t.marker, color: recolour(t, t.marker.color), size: round3(t.marker.size * markerRatio) };
      if (t.marker.line) out.marker.line = { ...t.marker.line, width: round3(t.marker.line.width * lineRatio) };
    }
    return out;
  });

  const axis = (a: AxisSpec): AxisSpec => ({
    ...a,
    title: { ...a.title },
    ticks: preset.ticks,
    mirror: preset.mirror,
    showline: true,
    linewidth: round3(axisPx),
    tickwidth: round3(axisPx),
    ticklen: round3(preset.tickLengthPt * PX_PER_PT),
  });
  const m = spec.layout.margin;
  const layout = {
    ...spec.layout,
    width,
    height,
    font: { ...spec.layout.font, family: preset.fontFamily, size: round3(fontPx) },
    xaxis: axis(spec.layout.xaxis),
    yaxis: axis(spec.layout.yaxis),
    margin: {
      l: Math.round(m.l * fontRatio),
      r: Math.round(m.r * fontRatio),
      t: Math.round(m.t * fontRatio),
      b: Math.round(m.b * fontRatio),
    },
  };
  if (spec.layout.legend) layout.legend = { ...spec.layout.legend };
  if (spec.layout.shapes)
    layout.shapes = spec.layout.shapes.map((s) => ({ ...s, line: { ...s.line, width: round3(s.line.width * axisRatio) } }));
  if (spec.layout.annotations)
    layout.annotations = spec.layout.annotations.map((a) => ({
      ...a,
      ...(a.font ? { font: { ...a.font, ...(a.font.size !== undefined ? { size: round3(a.font.size * fontRatio) } : {}) } } : {}),
    }));
  return { data, layout };
}
