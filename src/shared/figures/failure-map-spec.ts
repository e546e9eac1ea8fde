/**
 * Failure-mechanism map (the study's Fig. 2e; DOMAIN.md 'Failure'): cells placed by current density j and
 * areal capacity q on log axes, one marker per cell coloured by its failure class and labelled with its
 * lifespan (">" when censored), over shaded class regions.
 *
 * Regions: the study draws them by hand; here they are derived from the cells so they never contradict the
 * markers. The distinct j and q values form a grid of test conditions; each condition owns the rectangle
 * between the geometric means of its neighbouring values (a Voronoi cell on log axes), shaded with the most
 * severe class found there (hard short > soft short > polarization > stable: one short among repeats is what
 * a user must see).
 */
import type { FailureMapRow } from '../analysis/failure-map';
import { FAILURE_REGION_COLOURS, FAILURE_REGION_LABELS } from '../analysis/failure-map';
import { FAILURE_CLASSES, type FailureClass } from '../analysis/failure';
import { AXIS_LABELS } from './axis-labels';
import {
  baseLayout,
  type FigureOptions,
  type FigureSpec,
  HOVERED_MARKER,
  type ScatterTrace,
  SELECTED_MARKER,
  type ShapeSpec,
} from './figure-spec';
import { journalAxis } from './journal-style';

const SEVERITY: Readonly<Record<FailureClass, number>> = { stable: 0, polarization: 1, 'soft-short': 2, 'hard-short': 3 };
const REGION_OPACITY = 0.22;

/** "63" or ">120" (censored: the cell was still running), mAh cm⁻². */
export function lifespanLabel(row: Pick<FailureMapRow, 'lifespan_mAh_cm2' | 'censored'>): string {
  if (row.lifespan_mAh_cm2 === null || !Number.isFinite(row.lifespan_mAh_cm2)) return '–';
  const v = row.lifespan_mAh_cm2;
  const text = v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toPrecision(2);
  return row.censored ? `>${text}` : text;
}

/** Boundaries between sorted distinct positive values: geometric means, extended by the same ratio at the ends. */
function logEdges(values: readonly number[]): number[] {
  if (values.length === 1) return [values[0] / 2, values[0] * 2];
  const mids = values.slice(1).map((v, i) => Math.sqrt(v * values[i]));
  return [(values[0] * values[0]) / mids[0], ...mids, (values[values.length - 1] * values[values.length - 1]) / mids[mids.length - 1]];
}

function distinctSorted(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/** Rows placed on the map: finite positive j and q. Index k in the result is the row's index in `rows`. */
function isPlaced(row: FailureMapRow): row is FailureMapRow & { currentDensity_mA_cm2: number; arealCapacity_mAh_cm2: number } {
  return (row.currentDensity_mA_cm2 ?? 0) > 0 && (row.arealCapacity_mAh_cm2 ?? 0) > 0;
}

/** Region rectangles (layout shapes, drawn below the markers), one per tested condition. */
export function failureRegions(rows: readonly FailureMapRow[]): ShapeSpec[] {
  const placed = rows.filter(isPlaced);
  if (placed.length === 0) return [];
  const js = distinctSorted(placed.map((r) => r.currentDensity_mA_cm2));
  const qs = distinctSorted(placed.map((r) => r.arealCapacity_mAh_cm2));
  const jEdges = logEdges(js);
  const qEdges = logEdges(qs);
  const worst = new Map<string, FailureClass>();
  for (const r of placed) {
    const key = `${js.indexOf(r.currentDensity_mA_cm2)},${qs.indexOf(r.arealCapacity_mAh_cm2)}`;
    const seen = worst.get(key);
    if (seen === undefined || SEVERITY[r.class] > SEVERITY[seen]) worst.set(key, r.class);
  }
  return [...worst].map(([key, cls]) => {
    const [a, b] = key.split(',').map(Number);
    return {
      type: 'rect',
      xref: 'x',
      yref: 'y',
      // Log axes: shape coordinates are data values (Plotly converts them for type 'log').
      x0: jEdges[a],
      x1: jEdges[a + 1],
      y0: qEdges[b],
      y1: qEdges[b + 1],
      layer: 'below',
      fillcolor: FAILURE_REGION_COLOURS[cls],
      opacity: REGION_OPACITY,
      line: { color: 'rgba(0,0,0,0)', width: 0 },
    };
  });
}

/**
 * @param rows failureMapRows(...) of the library's cells; `customdata` is the row index (click opens the cell).
 */
export function buildFailureMapSpec(rows: readonly FailureMapRow[], options: FigureOptions = {}): FigureSpec {
  const indexed = rows.map((row, k) => ({ row, k })).filter(({ row }) => isPlaced(row));
  const data: ScatterTrace[] = [];
  for (const cls of FAILURE_CLASSES) {
    const members = indexed.filter(({ row }) => row.class === cls);
    if (members.length === 0) continue;
    data.push({
      type: 'scatter',
      mode: 'markers+text',
      name: FAILURE_REGION_LABELS[cls],
      x: members.map(({ row }) => row.currentDensity_mA_cm2),
      y: members.map(({ row }) => row.arealCapacity_mAh_cm2),
      customdata: members.map(({ k }) => k),
      text: members.map(({ row }) => lifespanLabel(row)),
      textposition: 'top center',
      marker: { color: FAILURE_REGION_COLOURS[cls], size: 10, symbol: 'circle', line: { color: '#000000', width: 1 } },
      hovertemplate: `%{x} mA cm⁻², %{y} mAh cm⁻²<br>lifespan %{text} mAh cm⁻²<extra>${FAILURE_REGION_LABELS[cls]}</extra>`,
      meta: { role: 'data' },
    });
  }
  const overlay = (role: 'selected' | 'hovered', wanted: readonly number[]): void => {
    const members = indexed.filter(({ k }) => wanted.includes(k));
    if (members.length === 0) return;
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: role === 'selected' ? 'Selected cells' : 'Hovered cell',
      x: members.map(({ row }) => row.currentDensity_mA_cm2),
      y: members.map(({ row }) => row.arealCapacity_mAh_cm2),
      customdata: members.map(({ k }) => k),
      marker: { color: 'rgba(0,0,0,0)', ...(role === 'selected' ? { ...SELECTED_MARKER, size: 16 } : { ...HOVERED_MARKER, size: 18 }) },
      showlegend: false,
      hoverinfo: 'skip',
      meta: { role },
    });
  };
  overlay('selected', options.selected ?? []);
  overlay('hovered', options.hovered === undefined ? [] : [options.hovered]);
  return {
    data,
    layout: baseLayout(
      'Failure map',
      journalAxis(AXIS_LABELS.currentDensity, { type: 'log' }),
      journalAxis(AXIS_LABELS.arealCapacity, { type: 'log' }),
      options,
      { shapes: failureRegions(rows), uirevision: `failure-map:${rows.length}` },
    ),
  };
}
