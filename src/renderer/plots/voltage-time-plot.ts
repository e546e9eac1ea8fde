/**
 * Mounts the voltage-vs-time plot: decimates the full columns to the plot's pixel width (min–max per
 * pixel column) and re-decimates from the full columns whenever the user zooms or pans, so Plotly
 * never holds more than ~4 points per pixel whatever the dataset's size.
 */
import type PlotlyModule from 'plotly.js-cartesian-dist-min';
import { decimateMinMax } from '@shared/analysis/decimate';
import { buildVoltageTimeSpec } from '@shared/figures/voltage-time-spec';

const SECONDS_PER_HOUR = 3600;
const MIN_PIXEL_COLUMNS = 200;

interface ShownSeries {
  name: string;
  timeS: Float64Array;
  voltageV: Float32Array;
  colorIndex: number;
}

type RelayoutEvent = Record<string, unknown>;
type Plotly = typeof PlotlyModule;

let plotlyLoading: Promise<Plotly> | undefined;

/**
 * plotly.js is the largest part of the page (~1.5 MB, ~2 s to evaluate on a lab PC): loaded on first
 * use so the library and Import files are usable while it loads.
 */
export function loadPlotly(): Promise<Plotly> {
  plotlyLoading ??= import('plotly.js-cartesian-dist-min').then((m) => m.default);
  return plotlyLoading;
}

export class VoltageTimePlot {
  private shown?: ShownSeries;
  private readonly plotArea: HTMLDivElement;
  private isMounted = false;
  private readonly resizeObserver: ResizeObserver;

  constructor(private readonly region: HTMLElement) {
    this.plotArea = document.createElement('div');
    this.plotArea.className = 'plot-area';
    region.append(this.plotArea);
    this.resizeObserver = new ResizeObserver(() => {
      if (this.isMounted) void loadPlotly().then((plotly) => plotly.Plots.resize(this.plotArea));
    });
    this.resizeObserver.observe(region);
  }

  /** Shows one dataset's full test. */
  async show(series: ShownSeries): Promise<void> {
    this.shown = series;
    await this.render(undefined);
  }

  clear(): void {
    this.shown = undefined;
    if (this.isMounted) void loadPlotly().then((plotly) => plotly.purge(this.plotArea));
    this.isMounted = false;
    this.region.dataset.state = 'empty';
  }

  private async render(visibleRangeS: [number, number] | undefined): Promise<void> {
    const shown = this.shown;
    if (!shown) return;
    const { timeS, voltageV } = shown;
    const n = timeS.length;
    const [t0, t1] = visibleRangeS ?? [timeS[0], timeS[n - 1]];
    const pixelColumns = Math.max(MIN_PIXEL_COLUMNS, Math.round(this.plotArea.clientWidth || 800));
    const series = decimateMinMax(timeS, voltageV, t0, Math.max(t0, t1), pixelColumns);
    const spec = buildVoltageTimeSpec([{ name: shown.name, series, colorIndex: shown.colorIndex }], visibleRangeS);
    this.region.dataset.state = 'drawing';
    const plotly = await loadPlotly();
    if (this.shown !== shown) return;
    await plotly.react(this.plotArea, spec.data, spec.layout, {
      displaylogo: false,
      responsive: true,
      modeBarButtonsToRemove: ['select2d', 'lasso2d'],
    });
    if (!this.isMounted) {
      this.isMounted = true;
      (this.plotArea as unknown as PlotlyModule.PlotlyHTMLElement).on('plotly_relayout', (event: PlotlyModule.PlotRelayoutEvent) =>
        this.onRelayout(event as unknown as RelayoutEvent),
      );
    }
    this.region.dataset.points = String(series.x.length);
    this.region.dataset.dataset = shown.name;
    this.region.dataset.state = 'ready';
  }

  private onRelayout(event: RelayoutEvent): void {
    const r0 = event['xaxis.range[0]'];
    const r1 = event['xaxis.range[1]'];
    const range = event['xaxis.range'];
    if (typeof r0 === 'number' && typeof r1 === 'number') {
      void this.render([r0 * SECONDS_PER_HOUR, r1 * SECONDS_PER_HOUR]);
    } else if (Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number') {
      void this.render([range[0] * SECONDS_PER_HOUR, range[1] * SECONDS_PER_HOUR]);
    } else if (event['xaxis.autorange'] === true) {
      void this.render(undefined);
    }
  }
}
