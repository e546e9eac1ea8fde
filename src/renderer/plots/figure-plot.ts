/**
 * Mounts a pure figure spec (src/shared/figures) in a named plot region: `Plotly.react` with the spec,
 * the region's state in `data-state` (empty | drawing | ready) for tests and assistive technology, and
 * the user's gestures reported as linked items (a point's `customdata`: a cycle, pulse or curve index):
 * click, hover, and box or lasso selection.
 */
import type PlotlyModule from 'plotly.js-cartesian-dist-min';
import type { FigureSpec } from '@shared/figures/figure-spec';
import { loadPlotly } from './voltage-time-plot';

/** The x range the user zoomed to, or null when they reset the axes. */
export type XRange = readonly [number, number] | null;

function itemOf(point: { customdata?: unknown } | undefined): number | undefined {
  const item = point?.customdata;
  return typeof item === 'number' && item >= 0 ? item : undefined;
}

export class FigurePlot {
  readonly plotArea: HTMLDivElement;
  private isMounted = false;
  private generation = 0;
  private onItemClick?: (item: number) => void;
  private onItemHover?: (item: number | null) => void;
  private onItemsSelected?: (items: number[]) => void;
  private onXRange?: (range: XRange) => void;
  private spec?: FigureSpec;

  constructor(readonly region: HTMLElement) {
    this.plotArea = document.createElement('div');
    this.plotArea.className = 'plot-area';
    region.append(this.plotArea);
    region.dataset.state = 'empty';
  }

  /** Calls `listener` with the linked item of a clicked point (ignoring points linked to none). */
  onClick(listener: (item: number) => void): this {
    this.onItemClick = listener;
    return this;
  }

  /** Calls `listener` with the item under the pointer, and null when the pointer leaves it. */
  onHover(listener: (item: number | null) => void): this {
    this.onItemHover = listener;
    return this;
  }

  /** Calls `listener` with the items inside a box or lasso selection. */
  onSelect(listener: (items: number[]) => void): this {
    this.onItemsSelected = listener;
    return this;
  }

  /** Calls `listener` when the user zooms or pans the x axis (in the axis' own units), or resets it. */
  onZoom(listener: (range: XRange) => void): this {
    this.onXRange = listener;
    return this;
  }

  /** The spec last drawn (for tests and exports). */
  get shown(): FigureSpec | undefined {
    return this.spec;
  }

  async show(spec: FigureSpec): Promise<void> {
    const generation = ++this.generation;
    this.spec = spec;
    this.region.dataset.state = 'drawing';
    const plotly = await loadPlotly();
    if (generation !== this.generation) return;
    const width = this.plotArea.clientWidth || spec.layout.width;
    const layout = { ...spec.layout, width, ...(this.onItemsSelected ? { dragmode: spec.layout.dragmode ?? 'zoom' } : {}) };
    await plotly.react(this.plotArea, spec.data as unknown as PlotlyModule.Data[], layout, {
      displaylogo: false,
      responsive: true,
      ...(this.onItemsSelected ? {} : { modeBarButtonsToRemove: ['select2d', 'lasso2d'] }),
    });
    if (generation !== this.generation) return;
    if (!this.isMounted) {
      this.isMounted = true;
      const area = this.plotArea as unknown as PlotlyModule.PlotlyHTMLElement;
      area.on('plotly_click', (event: PlotlyModule.PlotMouseEvent) => {
        const item = itemOf(event.points[0]);
        if (item !== undefined) this.onItemClick?.(item);
      });
      area.on('plotly_hover', (event: PlotlyModule.PlotHoverEvent) => {
        const item = itemOf(event.points[0]);
        if (item !== undefined) this.onItemHover?.(item);
      });
      area.on('plotly_unhover', () => this.onItemHover?.(null));
      area.on('plotly_selected', (event: PlotlyModule.PlotSelectionEvent | undefined) => {
        if (!event) return;
        const items = new Set<number>();
        for (const point of event.points) {
          const item = itemOf(point);
          if (item !== undefined) items.add(item);
        }
        this.onItemsSelected?.([...items]);
      });
      area.on('plotly_relayout', (event: PlotlyModule.PlotRelayoutEvent) => {
        const e = event as unknown as Record<string, unknown>;
        const r0 = e['xaxis.range[0]'];
        const r1 = e['xaxis.range[1]'];
        const range = e['xaxis.range'];
        if (typeof r0 === 'number' && typeof r1 === 'number') this.onXRange?.([r0, r1]);
        else if (Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number')
          this.onXRange?.([range[0], range[1]]);
        else if (e['xaxis.autorange'] === true) this.onXRange?.(null);
      });
    }
    this.region.dataset.points = String(spec.data.reduce((n, t) => n + t.x.length, 0));
    this.region.dataset.state = 'ready';
  }

  clear(): void {
    this.generation++;
    this.spec = undefined;
    if (this.isMounted) void loadPlotly().then((plotly) => plotly.purge(this.plotArea));
    this.isMounted = false;
    this.region.dataset.state = 'empty';
  }
}
