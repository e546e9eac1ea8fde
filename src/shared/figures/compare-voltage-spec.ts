/**
 * Voltage of several cells overlaid (the study's Fig. 2d: cells at 0.2/0.5/1 mA cm⁻²), against time or against
 * accumulated areal capacity, one colour per cell kept across the Compare panels. Each cell's full columns go in;
 * the builder keeps min–max per pixel column of the visible x range (decimateMinMax), so a zoom re-decimates from
 * the full data and Plotly never holds more than ~4 points per pixel per cell.
 */
import { decimateMinMax } from '../analysis/decimate';
import { AXIS_LABELS } from './axis-labels';
import { baseLayout, type FigureOptions, type FigureSpec, pixelColumns, type ScatterTrace, spanOfSorted } from './figure-spec';
import { journalAxis } from './journal-style';

const SECONDS_PER_HOUR = 3600;

export type CompareXAxis = 'time' | 'accumulated-capacity';

export interface CompareVoltageCell {
  readonly name: string;
  readonly colour: string;
  /** Legend group (the "Group by" value); the first cell of a group carries its title. */
  readonly legendGroup?: string;
  /** x in the axis' units: hours (time) or mAh cm⁻² (accumulated capacity); non-decreasing. */
  readonly x: ArrayLike<number>;
  readonly voltageV: ArrayLike<number>;
}

export interface CompareVoltageOptions extends FigureOptions {
  readonly xAxis?: CompareXAxis;
  /** Visible x range in axis units; undefined/null = everything (autorange). */
  readonly range?: readonly [number, number] | null;
}

/**
 * Half the charge passed in either direction per area, mAh cm⁻², at each row: ½ ∫|I| dt / A (trapezoid rule).
 * At the end of a cycle with CE = 1 it equals DOMAIN.md's accumulated areal capacity Σ Q_plating / A, and unlike
 * that sum it also advances during stripping, so a voltage curve drawn against it keeps each half-cycle's width.
 * Time steps backwards (an export quirk) add nothing; NaN currents count as zero. Non-decreasing by construction.
 * @param currentMA current, mA (either sign)
 */
export function halfThroughputArealCapacity(timeS: ArrayLike<number>, currentMA: ArrayLike<number>, areaCm2: number): Float64Array {
  if (timeS.length !== currentMA.length) throw new RangeError(`time and current differ in length: ${timeS.length} vs ${currentMA.length}`);
  if (!(areaCm2 > 0)) throw new RangeError(`areaCm2 must be positive, got ${areaCm2}`);
  const out = new Float64Array(timeS.length);
  let sumMAs = 0;
  for (let i = 1; i < timeS.length; i++) {
    const dt = timeS[i] - timeS[i - 1];
    const a = Math.abs(currentMA[i - 1]);
    const b = Math.abs(currentMA[i]);
    if (dt > 0) sumMAs += ((a === a ? a : 0) + (b === b ? b : 0)) * 0.5 * dt;
    out[i] = sumMAs / SECONDS_PER_HOUR / 2 / areaCm2;
  }
  return out;
}

/** Hours from seconds, as the x column of the time axis. */
export function hoursOf(timeS: ArrayLike<number>): Float64Array {
  const out = new Float64Array(timeS.length);
  for (let i = 0; i < timeS.length; i++) out[i] = timeS[i] / SECONDS_PER_HOUR;
  return out;
}

export function buildCompareVoltageSpec(cells: readonly CompareVoltageCell[], options: CompareVoltageOptions = {}): FigureSpec {
  const byCapacity = options.xAxis === 'accumulated-capacity';
  const columns = pixelColumns(options);
  const all = spanOfSorted(cells.map((c) => c.x));
  const [x0, x1] = options.range ?? all ?? [0, 1];
  const titled = new Set<string>();
  const data: ScatterTrace[] = cells.map((cell) => {
    const kept = cell.x.length === 0 || !(x1 >= x0) ? { x: [], y: [] } : decimateMinMax(cell.x, cell.voltageV, x0, x1, columns);
    const group = cell.legendGroup;
    const isFirstOfGroup = group !== undefined && group !== '' && !titled.has(group);
    if (isFirstOfGroup) titled.add(group);
    return {
      type: 'scatter',
      mode: 'lines',
      name: cell.name,
      x: Array.from(kept.x),
      y: Array.from(kept.y),
      line: { color: cell.colour, width: 1.2 },
      ...(group ? { legendgroup: group } : {}),
      ...(isFirstOfGroup ? { legendgrouptitle: { text: group } } : {}),
      hovertemplate: `${byCapacity ? '%{x:.2f} mAh cm⁻²' : '%{x:.3f} h'}<br>%{y:.4f} V<extra>${cell.name}</extra>`,
      meta: { role: 'data' },
    };
  });
  const range = options.range ? { range: [options.range[0], options.range[1]] as [number, number], autorange: false } : {};
  const layout = baseLayout(
    'Voltage vs time',
    journalAxis(byCapacity ? AXIS_LABELS.accumulatedArealCapacity : AXIS_LABELS.timeH, range),
    journalAxis(AXIS_LABELS.voltageV),
    options,
    { showlegend: cells.length > 1, uirevision: `compare:${options.xAxis ?? 'time'}:${cells.map((c) => c.name).join('|')}` },
  );
  // Many overlaid cells: the legend goes right of the frame rather than over the curves.
  return { data, layout: { ...layout, legend: { x: 1.02, y: 1, xanchor: 'left', yanchor: 'top', bgcolor: 'rgba(255,255,255,0)' } } };
}
