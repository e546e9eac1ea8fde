/**
 * Pure Plotly spec for the voltage-vs-time plot: decimated series in, `{data, layout}` out.
 * SVG `scatter` traces only (no WebGL): decimation keeps them small, and SVG stays true vector on export.
 */
import type { DecimatedSeries } from '../analysis/decimate';

const SECONDS_PER_HOUR = 3600;

export interface PlotTrace {
  type: 'scatter';
  mode: 'lines' | 'markers';
  name: string;
  x: number[];
  y: number[];
  line?: { width: number; color: string };
  marker?: { size: number; symbol: string; color: string; line?: { color: string; width: number } };
  /** Linked item of each point (markers: the failure cycle, the flagged pulse …). */
  customdata?: number[];
  text?: string[];
  showlegend?: boolean;
  hovertemplate: string;
}

/** A shaded time window: a selected cycle or pulse (`selected`) or the one under the pointer (`hovered`). */
export interface TimeWindow {
  readonly startS: number;
  readonly endS: number;
  readonly emphasis: 'selected' | 'hovered';
}

/** A marker on the trace that links to an item (failure evidence, a flagged pulse): clicking it jumps there. */
export interface TimeMarker {
  readonly timeS: number;
  readonly voltageV: number;
  readonly label: string;
  readonly item: number;
}

export interface VoltageTimeOverlay {
  readonly windows?: readonly TimeWindow[];
  readonly markers?: readonly TimeMarker[];
  /** Legend name of the markers (e.g. "Failure evidence"). */
  readonly markerName?: string;
}

const WINDOW_FILL = { selected: 'rgba(0, 114, 178, 0.16)', hovered: 'rgba(213, 94, 0, 0.22)' } as const;

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
export function buildVoltageTimeSpec(
  traces: readonly VoltageTimeSeries[],
  visibleRangeS?: readonly [number, number],
  overlay: VoltageTimeOverlay = {},
): PlotSpec {
  const markers = overlay.markers ?? [];
  const markerTraces: PlotTrace[] =
    markers.length === 0
      ? []
      : [
          {
            type: 'scatter',
            mode: 'markers',
            name: overlay.markerName ?? 'Markers',
            x: markers.map((m) => m.timeS / SECONDS_PER_HOUR),
            y: markers.map((m) => m.voltageV),
            customdata: markers.map((m) => m.item),
            text: markers.map((m) => m.label),
            marker: { size: 11, symbol: 'x-thin-open', color: '#B3261E', line: { color: '#B3261E', width: 2.5 } },
            showlegend: true,
            hovertemplate: '%{text}<extra></extra>',
          },
        ];
  const windows = overlay.windows ?? [];
  return {
    data: [
      ...traces.map(({ name, series, colorIndex }): PlotTrace => ({
        type: 'scatter',
        mode: 'lines',
        name,
        x: Array.from(series.x, (t) => t / SECONDS_PER_HOUR),
        y: Array.from(series.y),
        line: { width: 1.2, color: OKABE_ITO[colorIndex % OKABE_ITO.length] },
        hovertemplate: '%{x:.3f} h<br>%{y:.4f} V<extra>%{fullData.name}</extra>',
      })),
      ...markerTraces,
    ],
    layout: {
      ...(windows.length > 0
        ? {
            shapes: windows.map((w) => ({
              type: 'rect',
              xref: 'x',
              yref: 'paper',
              x0: w.startS / SECONDS_PER_HOUR,
              x1: w.endS / SECONDS_PER_HOUR,
              y0: 0,
              y1: 1,
              fillcolor: WINDOW_FILL[w.emphasis],
              line: { width: 0 },
              layer: 'below',
            })),
          }
        : {}),
      // Keeps the user's zoom across data updates (Plotly resets axes when uirevision changes).
      uirevision: traces.map((t) => t.name).join('|'),
      margin: { l: 64, r: 16, t: 16, b: 48 },
      showlegend: traces.length > 1 || markerTraces.length > 0,
      hovermode: 'closest',
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
