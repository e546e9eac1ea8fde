/**
 * Per-cycle metrics against cycle number or accumulated areal capacity (the study's Fig. 2g voltage gap,
 * S3/S5 CE and nucleation overpotential): one line+marker trace per cell in the cell's colour, plus overlay
 * traces ringing the selected cycles and the hovered one. Definitions of the metrics: DOMAIN.md 'Cells and cycles'.
 */
import type { CycleJson } from '../analysis/analyze-cycling';
import { AXIS_LABELS } from './axis-labels';
import {
  baseLayout,
  decimateMonotone,
  finiteOrNull,
  type FigureName,
  type FigureOptions,
  type FigureSpec,
  HOVERED_MARKER,
  pixelColumns,
  type ScatterTrace,
  SELECTED_MARKER,
  type ShapeSpec,
} from './figure-spec';
import { colourFor, journalAxis } from './journal-style';

export type CycleMetricRow = Pick<
  CycleJson,
  'index' | 'ce' | 'voltageGap_mV' | 'nucleationOverpotential_mV' | 'accumulatedArealCapacity_mAh_cm2'
>;

export interface CycleMetricCell {
  readonly name: string;
  /** The cell's colour index, kept across panels (default: its position). */
  readonly colourIndex?: number;
  /** An explicit colour (Compare's group shades); wins over `colourIndex`. */
  readonly colour?: string;
  /** Legend group (Compare's "Group by" value); the group's first cell carries its title. */
  readonly legendGroup?: string;
  readonly cycles: readonly CycleMetricRow[];
}

export interface CycleMetricOptions extends FigureOptions {
  /** x axis: cycle number (default) or accumulated areal capacity (lifespan plots). */
  readonly xAxis?: 'cycle' | 'accumulated-capacity';
  /** Cycles visible in the time plots, [first, last]: shaded (issue 7 'the per-cycle plots shade the visible cycles'). */
  readonly visibleCycles?: readonly [number, number];
}

interface Metric {
  readonly name: FigureName;
  readonly yTitle: string;
  readonly value: (c: CycleMetricRow) => number | null;
  readonly format: string;
}

const METRICS = {
  ce: {
    name: 'Coulombic efficiency',
    yTitle: AXIS_LABELS.coulombicEfficiencyPct,
    value: (c) => (c.ce === null ? null : 100 * c.ce),
    format: '%{y:.2f} %',
  },
  gap: { name: 'Voltage gap', yTitle: AXIS_LABELS.voltageGapMV, value: (c) => c.voltageGap_mV, format: '%{y:.1f} mV' },
  nucleation: {
    name: 'Nucleation overpotential',
    yTitle: AXIS_LABELS.nucleationOverpotentialMV,
    value: (c) => c.nucleationOverpotential_mV,
    format: '%{y:.1f} mV',
  },
} as const satisfies Record<string, Metric>;

/**
 * All cycles while they fit the plot (a user clicks individual cycles); beyond 4 per pixel column, min–max per
 * column of x (cycle number and accumulated capacity both grow with the cycle), so outlier cycles stay visible.
 * Cycles without an x (no accumulated capacity) are left out, and so are cycles without a value once decimated.
 */
function decimateCycles(
  cycles: readonly CycleMetricRow[],
  xOf: (c: CycleMetricRow) => number | null,
  value: (c: CycleMetricRow) => number | null,
  columns: number,
): readonly CycleMetricRow[] {
  const placed = cycles.filter((c) => xOf(c) !== null);
  if (placed.length <= 4 * columns) return placed;
  const x = Float64Array.from(placed, (c) => xOf(c)!);
  const y = Float64Array.from(placed, (c) => value(c) ?? Number.NaN);
  return Array.from(decimateMonotone(x, y, columns), (r) => placed[r]);
}

function buildCycleMetricSpec(metric: Metric, cells: readonly CycleMetricCell[], options: CycleMetricOptions): FigureSpec {
  const byCapacity = options.xAxis === 'accumulated-capacity';
  const xOf = (c: CycleMetricRow): number | null => (byCapacity ? finiteOrNull(c.accumulatedArealCapacity_mAh_cm2) : c.index);
  const xFormat = byCapacity ? '%{x:.2f} mAh cm⁻²' : 'cycle %{customdata}';
  const columns = pixelColumns(options);
  const titled = new Set<string>();
  const data: ScatterTrace[] = cells.map((cell, k) => {
    const colour = cell.colour ?? colourFor(cell.colourIndex ?? k, options.colours);
    const shown = decimateCycles(cell.cycles, xOf, metric.value, columns);
    const group = cell.legendGroup;
    const isFirstOfGroup = group !== undefined && group !== '' && !titled.has(group);
    if (isFirstOfGroup) titled.add(group);
    return {
      ...(group ? { legendgroup: group } : {}),
      ...(isFirstOfGroup ? { legendgrouptitle: { text: group } } : {}),
      type: 'scatter',
      mode: 'lines+markers',
      name: cell.name,
      x: shown.map(xOf),
      y: shown.map((c) => finiteOrNull(metric.value(c))),
      customdata: shown.map((c) => c.index),
      line: { color: colour, width: 1 },
      marker: { color: colour, size: 5 },
      hovertemplate: `${xFormat}<br>${metric.format}<extra>${cell.name}</extra>`,
      meta: { role: 'data' },
    };
  });
  const overlay = (role: 'selected' | 'hovered', wanted: readonly number[]): ScatterTrace[] => {
    if (wanted.length === 0) return [];
    const set = new Set(wanted);
    const points = cells.flatMap((cell) => cell.cycles.filter((c) => set.has(c.index)));
    return [
      {
        type: 'scatter',
        mode: 'markers',
        name: role === 'selected' ? 'Selected cycles' : 'Hovered cycle',
        x: points.map(xOf),
        y: points.map((c) => finiteOrNull(metric.value(c))),
        customdata: points.map((c) => c.index),
        marker: { color: 'rgba(0,0,0,0)', ...(role === 'selected' ? SELECTED_MARKER : HOVERED_MARKER) },
        showlegend: false,
        hoverinfo: 'skip',
        meta: { role },
      },
    ];
  };
  data.push(...overlay('selected', options.selected ?? []), ...overlay('hovered', options.hovered === undefined ? [] : [options.hovered]));
  const shapes: ShapeSpec[] = [];
  if (options.visibleCycles) {
    const [first, last] = options.visibleCycles;
    const all = cells.flatMap((c) => c.cycles);
    const xs = all
      .filter((c) => c.index >= first && c.index <= last)
      .map(xOf)
      .filter((x): x is number => x !== null);
    if (xs.length > 0)
      shapes.push({
        type: 'rect',
        xref: 'x',
        yref: 'paper',
        x0: Math.min(...xs),
        x1: Math.max(...xs),
        y0: 0,
        y1: 1,
        layer: 'below',
        fillcolor: '#000000',
        opacity: 0.06,
        line: { color: 'rgba(0,0,0,0)', width: 0 },
      });
  }
  return {
    data,
    layout: baseLayout(
      metric.name,
      journalAxis(byCapacity ? AXIS_LABELS.accumulatedArealCapacity : AXIS_LABELS.cycle),
      journalAxis(metric.yTitle),
      options,
      {
        showlegend: cells.length > 1,
        shapes,
        uirevision: `${metric.name}:${options.xAxis ?? 'cycle'}:${cells.map((c) => c.name).join('|')}`,
      },
    ),
  };
}

/** CE (%) = 100 · Q_stripping / Q_plating per cycle. */
export function buildCoulombicEfficiencySpec(cells: readonly CycleMetricCell[], options: CycleMetricOptions = {}): FigureSpec {
  return buildCycleMetricSpec(METRICS.ce, cells, options);
}

/** Voltage gap = plateau(stripping) − plateau(plating), mV. */
export function buildVoltageGapSpec(cells: readonly CycleMetricCell[], options: CycleMetricOptions = {}): FigureSpec {
  return buildCycleMetricSpec(METRICS.gap, cells, options);
}

/** Nucleation overpotential = plateau(plating) − min V in the first 10 % of the plating, mV. */
export function buildNucleationOverpotentialSpec(cells: readonly CycleMetricCell[], options: CycleMetricOptions = {}): FigureSpec {
  return buildCycleMetricSpec(METRICS.nucleation, cells, options);
}
