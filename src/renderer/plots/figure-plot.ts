/**
 * Mounts a pure figure spec (src/shared/figures) in a named plot region: `Plotly.react` with the spec,
 * the region's state in `data-state` (empty | drawing | ready) for tests and assistive technology, and
 * clicks on a point reported as the point's linked item (its `customdata`: a cycle, pulse or curve index).
 */
import type PlotlyModule from 'plotly.js-cartesian-dist-min';
import type { FigureSpec } from '@shared/figures/figure-spec';
import { loadPlotly } from './voltage-time-plot';

export class FigurePlot {
  private readonly plotArea: HTMLDivElement;
  private isMounted = false;
  private generation = 0;
  private onItemClick?: (item: number) => void;

  constructor(readonly region: HTMLElement) {
    this.plotArea = document.createElement('div');
    this.plotArea.className = 'plot-area';
    region.append(this.plotArea);
    region.dataset.state = 'empty';
  }

  /** Calls `listener` with the linked item of a clicked point (ignoring points linked to none). */
  onClick(listener: (item: number) => void): void {
    this.onItemClick = listener;
  }

  async show(spec: FigureSpec): Promise<void> {
    const generation = ++this.generation;
    this.region.dataset.state = 'drawing';
    const plotly = await loadPlotly();
    if (generation !== this.generation) return;
    const width = this.plotArea.clientWidth || spec.layout.width;
    await plotly.react(
      this.plotArea,
      spec.data as unknown as PlotlyModule.Data[],
      { ...spec.layout, width },
      {
        displaylogo: false,
        responsive: true,
      },
    );
    if (!this.isMounted) {
      this.isMounted = true;
      (this.plotArea as unknown as PlotlyModule.PlotlyHTMLElement).on('plotly_click', (event: PlotlyModule.PlotMouseEvent) => {
        const item = event.points[0]?.customdata;
        if (typeof item === 'number' && item >= 0) this.onItemClick?.(item);
      });
    }
    this.region.dataset.points = String(spec.data.reduce((n, t) => n + t.x.length, 0));
    this.region.dataset.state = 'ready';
  }

  clear(): void {
    this.generation++;
    if (this.isMounted) void loadPlotly().then((plotly) => plotly.purge(this.plotArea));
    this.isMounted = false;
    this.region.dataset.state = 'empty';
  }
}
