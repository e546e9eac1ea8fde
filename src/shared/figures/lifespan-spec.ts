/**
 * Lifespan chart (the study's Fig. 2f): accumulated areal capacity at failure per condition, as bars. Bars are
 * closed `scatter` polygons (fill 'toself') rather than Plotly `bar` traces so every builder stays on the one
 * trace type the export path handles; a censored lifespan (cell still running) gets an open upward triangle on
 * top of its bar and a ">" label: the true lifespan is longer.
 */
import type { FailureMapRow } from '../analysis/failure-map';
import { FAILURE_REGION_COLOURS, FAILURE_REGION_LABELS } from '../analysis/failure-map';
import { AXIS_LABELS } from './axis-labels';
import { baseLayout, emphasisOf, type FigureOptions, type FigureSpec, type ScatterTrace } from './figure-spec';
import { lifespanLabel } from './failure-map-spec';
import { journalAxis } from './journal-style';

const BAR_HALF_WIDTH = 0.35;

export interface LifespanBar {
  /** Condition label, e.g. "0.5 mA cm⁻², 1 mAh cm⁻²". */
  readonly label: string;
  readonly row: Pick<FailureMapRow, 'class' | 'lifespan_mAh_cm2' | 'censored'>;
}

/** "0.5 mA cm⁻² · 1 mAh cm⁻²" for a map row, the default bar label. */
export function conditionLabel(row: Pick<FailureMapRow, 'currentDensity_mA_cm2' | 'arealCapacity_mAh_cm2'>): string {
  const j = row.currentDensity_mA_cm2 === null ? '?' : String(Number(row.currentDensity_mA_cm2.toPrecision(3)));
  const q = row.arealCapacity_mAh_cm2 === null ? '?' : String(Number(row.arealCapacity_mAh_cm2.toPrecision(3)));
  return `${j} mA cm⁻² · ${q} mAh cm⁻²`;
}

/**
 * One bar per entry at x = 0, 1, 2 … (tick labels = the conditions), coloured by failure class; `customdata`
 * and `meta.item` are the entry's index.
 */
export function buildLifespanSpec(bars: readonly LifespanBar[], options: FigureOptions = {}): FigureSpec {
  const data: ScatterTrace[] = [];
  const legendShown = new Set<string>();
  bars.forEach(({ label, row }, k) => {
    const value = row.lifespan_mAh_cm2;
    if (value === null || !Number.isFinite(value)) return;
    const emphasis = emphasisOf(k, options);
    const colour = FAILURE_REGION_COLOURS[row.class];
    const first = !legendShown.has(row.class);
    legendShown.add(row.class);
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: FAILURE_REGION_LABELS[row.class],
      legendgroup: row.class,
      showlegend: first,
      x: [k - BAR_HALF_WIDTH, k + BAR_HALF_WIDTH, k + BAR_HALF_WIDTH, k - BAR_HALF_WIDTH, k - BAR_HALF_WIDTH],
      y: [0, 0, value, value, 0],
      customdata: [k, k, k, k, k],
      fill: 'toself',
      fillcolor: colour,
      line: {
        color: emphasis === 'hovered' || emphasis === 'selected' ? '#000000' : colour,
        width: emphasis === 'hovered' ? 3 : emphasis === 'selected' ? 2 : 1,
      },
      opacity: emphasis === 'dimmed' ? 0.35 : 1,
      hovertemplate: `${label}<br>lifespan ${lifespanLabel(row)} mAh cm⁻²<extra></extra>`,
      meta: { role: 'data', item: k },
    });
    if (row.censored)
      data.push({
        type: 'scatter',
        mode: 'markers+text',
        name: 'censored (still running)',
        legendgroup: 'censored',
        showlegend: !legendShown.has('censored'),
        x: [k],
        y: [value],
        customdata: [k],
        text: [lifespanLabel(row)],
        textposition: 'top center',
        marker: { color: '#000000', size: 9, symbol: 'triangle-up-open', line: { color: '#000000', width: 1.5 } },
        hoverinfo: 'skip',
        meta: { role: 'reference', item: k },
      });
    if (row.censored) legendShown.add('censored');
  });
  // Category ticks at the bar centres; the y axis starts at 0 (a bar's length is its value).
  const xaxis = journalAxis('', {
    tickmode: 'array',
    tickvals: bars.map((_, k) => k),
    ticktext: bars.map((b) => b.label),
    range: [-0.6, bars.length - 0.4],
  });
  const layout = baseLayout('Lifespan', xaxis, journalAxis(AXIS_LABELS.lifespan, { rangemode: 'tozero' }), options, {
    uirevision: `lifespan:${bars.map((b) => b.label).join('|')}`,
  });
  return { data, layout };
}
