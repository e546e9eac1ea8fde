/**
 * The study's journal style (DOMAIN.md 'The study's figures'): sans-serif labels, ticks inside and mirrored
 * on all four sides, a closed black frame, no grid, and one colour per cell/condition kept across panels.
 * Pure Plotly layout fragments; the issue-8 presets (mm widths, 7 pt fonts) override size and font only.
 */
import { OKABE_ITO } from './voltage-time-spec';

/** Arial/Helvetica as journals ask, with a metric-compatible open fallback. */
export const JOURNAL_FONT_FAMILY = 'Arial, Helvetica, "Liberation Sans", sans-serif';
/** On-screen font size, px (the export presets scale to 7 pt). */
export const SCREEN_FONT_SIZE_PX = 12;
export const DEFAULT_PLOT_WIDTH_PX = 640;
export const DEFAULT_PLOT_HEIGHT_PX = 420;
const FRAME_COLOUR = '#000000';

export interface AxisSpec {
  title: { text: string };
  type?: 'linear' | 'log';
  ticks: 'inside';
  /** 'allticks': the axis line and its ticks are repeated on the opposite side (ticks on all four sides). */
  mirror: 'allticks';
  showline: true;
  linecolor: string;
  linewidth: number;
  tickcolor: string;
  ticklen: number;
  /** Tick stroke, px (Plotly's default 1 on screen; the export presets set it from axisLineWidthPt). */
  tickwidth?: number;
  showgrid: false;
  zeroline: false;
  automargin: true;
  exponentformat?: 'power';
  range?: [number, number];
  autorange?: boolean;
  rangemode?: 'tozero' | 'normal';
  /** Category ticks (lifespan bars). */
  tickmode?: 'array';
  tickvals?: number[];
  ticktext?: string[];
}

/** A framed journal axis; `extra` adds type/range. */
export function journalAxis(
  title: string,
  extra: Partial<Pick<AxisSpec, 'type' | 'range' | 'autorange' | 'rangemode' | 'tickmode' | 'tickvals' | 'ticktext'>> = {},
): AxisSpec {
  return {
    title: { text: title },
    ticks: 'inside',
    mirror: 'allticks',
    showline: true,
    linecolor: FRAME_COLOUR,
    linewidth: 1,
    tickcolor: FRAME_COLOUR,
    ticklen: 4,
    showgrid: false,
    zeroline: false,
    automargin: true,
    // 10⁻¹⁰ rather than 1e-10 on log axes (D in cm² s⁻¹).
    ...(extra.type === 'log' ? { exponentformat: 'power' as const } : {}),
    ...extra,
  };
}

/**
 * The colour of item `index` (a cell, condition, cycle or curve in the order the caller keeps across panels).
 * Palette defaults to Okabe & Ito; it wraps around rather than failing on a ninth item.
 */
export function colourFor(index: number, colours: readonly string[] = OKABE_ITO): string {
  if (colours.length === 0) throw new RangeError('empty colour palette');
  const k = ((Math.trunc(index) % colours.length) + colours.length) % colours.length;
  return colours[k];
}

/**
 * One colour per condition, kept across panels: the keys are assigned palette colours in sorted order, so two
 * panels given the same set of conditions (in any order) colour them alike.
 */
export function conditionColours(keys: readonly string[], colours: readonly string[] = OKABE_ITO): Map<string, string> {
  const unique = [...new Set(keys)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return new Map(unique.map((key, i) => [key, colourFor(i, colours)]));
}
