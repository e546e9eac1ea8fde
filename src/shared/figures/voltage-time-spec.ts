/**
 * Pure Plotly spec for the voltage-vs-time plot: decimated series in, `{data, layout}` out.
 * SVG `scatter` traces only (no WebGL): decimation keeps them small, and SVG stays true vector on export.
 */
import type { DecimatedSeries } from '../analysis/decimate';

const SECONDS_PER_HOUR = 3600;

export interface PlotTrace {
  type: 'scatter';
  mode: 'lines';
  name: string;
  x: number[];
  y: number[];
  line: { width: number; color: string };
  hovertemplate: string;
}

export interface PlotSpec {
  data: PlotTrace[];
  layout: Record<string, unknown>;
}

/** Okabe & Ito (2008) colour-blind-safe palette; one colour per dataset, kept across plots. */
export const OKABE_ITO = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'] as const;

export interface VoltageTimeSeries {
  readonly name: string;
  readonly series: DecimatedSeries;
  readonly colorIndex: number;
}

/**
 * @param visibleRangeS the zoomed time range in seconds, or undefined for the full test (autorange).
 */
export function buildVoltageTimeSpec(traces: readonly VoltageTimeSeries[], visibleRangeS?: readonly [number, number]): PlotSpec {
  return {
    data: traces.map(({ name, series, colorIndex }) => ({
      type: 'scatter',
      mode: 'lines',
      name,
      x: Array.from(series.x, (t) => t / SECONDS_PER_HOUR),
      y: Array.from(series.y),
      line: { width: 1.2, color: OKABE_ITO[colorIndex % OKABE_ITO.length] },
      hovertemplate: '%{x:.3f} h<br>%{y:.4f} V<extra>%{fullData.name}</extra>',
    })),
    layout: {
      // Keeps the user's zoom across data updates (Plotly resets axes when uirevision changes).
      uirevision: traces.map((t) => t.name).join('|'),
      margin: { l: 64, r: 16, t: 16, b: 48 },
      showlegend: traces.length > 1,
      xaxis: {
        title: { text: 'Time (h)' },
        ticks: 'inside',
        mirror: 'ticks',
        showline: true,
        zeroline: false,
        ...(visibleRangeS
          ? { range: [visibleRangeS[0] / SECONDS_PER_HOUR, visibleRangeS[1] / SECONDS_PER_HOUR], autorange: false }
          : { autorange: true }),
      },
      yaxis: { title: { text: 'Voltage (V)' }, ticks: 'inside', mirror: 'ticks', showline: true, zeroline: false },
      font: { family: 'Arial, Helvetica, "Liberation Sans", sans-serif', size: 12 },
      paper_bgcolor: '#ffffff',
      plot_bgcolor: '#ffffff',
    },
  };
}
