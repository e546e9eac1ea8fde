/**
 * Mounts a voltage-vs-time plot of one or more datasets: decimates each full column pair to the plot's
 * pixel width (min–max per pixel column) and re-decimates from the full columns whenever the visible
 * time range changes (the user's zoom, or a linked plot's through {@link VoltageTimePlot.setRange}), so
 * Plotly never holds more than ~4 points per pixel whatever the dataset's size. Overlays (selected or
 * hovered cycle windows, failure-evidence markers) are redrawn without re-decimating.
 */
import type PlotlyModule from 'plotly.js-cartesian-dist-min';
import { createMinMaxSummary, decimateMinMax, fillMinMaxSummary, MIN_MAX_BLOCK_SIZE, type MinMaxSummary } from '@shared/analysis/decimate';
import { buildVoltageTimeSpec, type VoltageTimeOverlay } from '@shared/figures/voltage-time-spec';
import { spanOfSorted } from '@shared/figures/figure-spec';

const SECONDS_PER_HOUR = 3600;
const MIN_PIXEL_COLUMNS = 200;
/** A click on the trace this close to a marker (px) counts as a click on the marker. */
const MARKER_CLICK_RADIUS_PX = 8;

/** The part of a Plotly full-layout axis used to map data to pixels. */
interface Axis {
  c2p(value: number): number;
}

export interface ShownSeries {
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

/** Columns shorter than this are decimated by a plain scan (a few ms); longer ones get a block summary. */
const SUMMARY_MIN_SAMPLES = 1 << 18;
/** Blocks summarised per slice: ~1.3 M samples, ~20 ms on a slow lab PC, so no slice is a long task. */
const SUMMARY_SLICE_BLOCKS = 20_000;
const summaries = new WeakMap<Float32Array, Promise<MinMaxSummary>>();

/**
 * The block summary of a long voltage column, built once in slices between page tasks (no long task):
 * decimating a 1e7-sample trace then reads ~n/64 blocks instead of n samples, for the first plot and
 * every zoom (measured with scripts/bench-ui.mjs). Columns are never written after import, so a summary
 * stays valid. Undefined for short columns (a plain scan takes a few ms).
 */
function minMaxSummaryOf(voltageV: Float32Array): Promise<MinMaxSummary> | undefined {
  if (voltageV.length < SUMMARY_MIN_SAMPLES) return undefined;
  let summary = summaries.get(voltageV);
  if (!summary) {
    summary = (async () => {
      const built = createMinMaxSummary(voltageV.length);
      const blocks = Math.ceil(voltageV.length / MIN_MAX_BLOCK_SIZE);
      for (let b = 0; b < blocks; b += SUMMARY_SLICE_BLOCKS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        fillMinMaxSummary(voltageV, built, b, b + SUMMARY_SLICE_BLOCKS);
      }
      return built;
    })();
    summaries.set(voltageV, summary);
  }
  return summary;
}

/**
 * Starts loading plotly.js once the page is idle: evaluating it is one ~0.5 s task (measured with
 * scripts/bench-ui.mjs), which should not land in the middle of the user's first import.
 */
export function preloadPlotlyWhenIdle(): void {
  if (plotlyLoading || typeof requestIdleCallback !== 'function') return;
  requestIdleCallback(
    () =>
      void loadPlotly().catch(() => {
        plotlyLoading = undefined; // the plot that needs it will try again and say what failed
      }),
    { timeout: 1000 },
  );
}

// Every view plots: start loading plotly.js when the page first idles, not when a view first needs it.
preloadPlotlyWhenIdle();

export class VoltageTimePlot {
  private shown: ShownSeries[] = [];
  private overlay: VoltageTimeOverlay = {};
  private rangeS: [number, number] | undefined;
  private readonly plotArea: HTMLDivElement;
  private isMounted = false;
  private generation = 0;
  private readonly resizeObserver: ResizeObserver;
  private onRangeChange?: (rangeS: [number, number] | null) => void;
  private onMarker?: (item: number) => void;

  constructor(private readonly region: HTMLElement) {
    this.plotArea = document.createElement('div');
    this.plotArea.className = 'plot-area';
    region.append(this.plotArea);
    region.dataset.state = 'empty';
    this.resizeObserver = new ResizeObserver(() => {
      if (this.isMounted) void loadPlotly().then((plotly) => plotly.Plots.resize(this.plotArea));
    });
    this.resizeObserver.observe(region);
    preloadPlotlyWhenIdle();
  }

  /** Calls `listener` when the user zooms or pans the time axis (seconds), or resets it (null). */
  onZoom(listener: (rangeS: [number, number] | null) => void): this {
    this.onRangeChange = listener;
    return this;
  }

  /** Calls `listener` with the item of a clicked marker (failure evidence, a flagged pulse). */
  onMarkerClick(listener: (item: number) => void): this {
    this.onMarker = listener;
    return this;
  }

  /** The visible time range in seconds; undefined = the whole test. */
  get visibleRangeS(): readonly [number, number] | undefined {
    return this.rangeS;
  }

  /** Shows one or more datasets' full tests (one colour each), zoomed to `rangeS` if given. */
  async show(
    series: ShownSeries | readonly ShownSeries[],
    options: { rangeS?: readonly [number, number] | null; overlay?: VoltageTimeOverlay } = {},
  ): Promise<void> {
    this.shown = Array.isArray(series) ? [...(series as readonly ShownSeries[])] : [series as ShownSeries];
    this.rangeS = options.rangeS ? [options.rangeS[0], options.rangeS[1]] : undefined;
    if (options.overlay) this.overlay = options.overlay;
    await this.render();
  }

  /** Zooms to a range set elsewhere (a linked time plot); null = the whole test. No zoom event is sent. */
  async setRange(rangeS: readonly [number, number] | null): Promise<void> {
    const next: [number, number] | undefined = rangeS ? [rangeS[0], rangeS[1]] : undefined;
    if (next?.[0] === this.rangeS?.[0] && next?.[1] === this.rangeS?.[1]) return;
    this.rangeS = next;
    await this.render();
  }

  /** Redraws the windows and markers over the same decimated data. */
  async setOverlay(overlay: VoltageTimeOverlay): Promise<void> {
    this.overlay = overlay;
    await this.render();
  }

  clear(): void {
    this.generation++;
    this.shown = [];
    this.overlay = {};
    this.rangeS = undefined;
    if (this.isMounted) void loadPlotly().then((plotly) => plotly.purge(this.plotArea));
    this.isMounted = false;
    this.region.dataset.state = 'empty';
  }

  private async render(): Promise<void> {
    const shown = this.shown;
    if (shown.length === 0) return;
    const generation = ++this.generation;
    const pixelColumns = Math.max(MIN_PIXEL_COLUMNS, Math.round(this.plotArea.clientWidth || 800));
    const [t0, t1] = this.rangeS ?? spanOfSorted(shown.map((s) => s.timeS)) ?? [0, 0];
    const drawn = shown.filter((s) => s.timeS.length > 0);
    const blockSummaries = await Promise.all(drawn.map((s) => minMaxSummaryOf(s.voltageV) ?? Promise.resolve(undefined)));
    if (generation !== this.generation) return;
    const traces = drawn.map((s, k) => ({
      name: s.name,
      colorIndex: s.colorIndex,
      series: decimateMinMax(s.timeS, s.voltageV, t0, Math.max(t0, t1), pixelColumns, blockSummaries[k]),
    }));
    const spec = buildVoltageTimeSpec(traces, this.rangeS, this.overlay);
    this.region.dataset.state = 'drawing';
    const plotly = await loadPlotly();
    if (generation !== this.generation) return;
    await plotly.react(this.plotArea, spec.data, spec.layout, {
      displaylogo: false,
      responsive: true,
      modeBarButtonsToRemove: ['select2d', 'lasso2d'],
    });
    if (generation !== this.generation) return;
    if (!this.isMounted) {
      this.isMounted = true;
      const area = this.plotArea as unknown as PlotlyModule.PlotlyHTMLElement;
      area.on('plotly_relayout', (event: PlotlyModule.PlotRelayoutEvent) => this.onRelayout(event as unknown as RelayoutEvent));
      area.on('plotly_click', (event: PlotlyModule.PlotMouseEvent) => {
        const item = event.points[0]?.customdata;
        if (typeof item === 'number') this.onMarker?.(item);
        else {
          const near = this.markerNear(event.points[0]);
          if (near !== undefined) this.onMarker?.(near);
        }
      });
    }
    this.region.dataset.points = String(traces.reduce((n, t) => n + t.series.x.length, 0));
    this.region.dataset.dataset = shown.map((s) => s.name).join(' | ');
    this.region.dataset.range = this.rangeS ? this.rangeS.map((t) => t.toFixed(1)).join(',') : 'all';
    this.region.dataset.state = 'ready';
  }

  /**
   * The marker within {@link MARKER_CLICK_RADIUS_PX} of a clicked trace point. A marker sits on the
   * trace, and Plotly's 'closest' hover prefers the line's point under it, so a click aimed at the
   * marker reports the line.
   */
  private markerNear(point: { x?: unknown; y?: unknown } | undefined): number | undefined {
    const markers = this.overlay.markers ?? [];
    const layout = (this.plotArea as unknown as { _fullLayout?: { xaxis: Axis; yaxis: Axis } })._fullLayout;
    if (!point || markers.length === 0 || !layout || typeof point.x !== 'number' || typeof point.y !== 'number') return undefined;
    const px = layout.xaxis.c2p(point.x);
    const py = layout.yaxis.c2p(point.y);
    let best: { item: number; distancePx: number } | undefined;
    for (const m of markers) {
      const distancePx = Math.hypot(layout.xaxis.c2p(m.timeS / SECONDS_PER_HOUR) - px, layout.yaxis.c2p(m.voltageV) - py);
      if (distancePx <= MARKER_CLICK_RADIUS_PX && (!best || distancePx < best.distancePx)) best = { item: m.item, distancePx };
    }
    return best?.item;
  }

  private onRelayout(event: RelayoutEvent): void {
    const r0 = event['xaxis.range[0]'];
    const r1 = event['xaxis.range[1]'];
    const range = event['xaxis.range'];
    let next: [number, number] | null | undefined;
    if (typeof r0 === 'number' && typeof r1 === 'number') next = [r0 * SECONDS_PER_HOUR, r1 * SECONDS_PER_HOUR];
    else if (Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number')
      next = [range[0] * SECONDS_PER_HOUR, range[1] * SECONDS_PER_HOUR];
    else if (event['xaxis.autorange'] === true) next = null;
    if (next === undefined) return;
    this.rangeS = next ?? undefined;
    void this.render();
    this.onRangeChange?.(next);
  }
}
