/**
 * The **Failure map** view (issue 7, view 3; the study's Fig. 2e and 2f): every cycled cell of the library on
 * current density × areal capacity with the failure-class regions and lifespans, the **Lifespan** chart and a
 * table **Cells**. Clicking a cell (point, bar or row) opens it in the Cell view.
 *
 *   library -> cycling cells (not CCD, GITT, indentation; full cells on request)
 *     -> cycling analysis of each, one at a time in the worker (cached) -> map rows (j, q order) -> plots + table
 *
 * The analyses run in the compute worker, one after another with a progress line "Analysing k of n cells", so
 * the page stays responsive; leaving the view stops starting new ones (the finished ones stay cached).
 */
import type { CyclingResultJson } from '@shared/analysis/analyze-cycling';
import { failureMapRow, FAILURE_REGION_LABELS } from '@shared/analysis/failure-map';
import type { FigureSpec } from '@shared/figures/figure-spec';
import { buildFailureMapSpec, lifespanLabel } from '@shared/figures/failure-map-spec';
import { LIFESPAN_LABEL_AXIS_TITLE, lifespanBarLabels } from '@shared/figures/lifespan-labels';
import { buildLifespanSpec, type LifespanBar } from '@shared/figures/lifespan-spec';
import { FigurePlot } from '../plots/figure-plot';
import { analysisInputKey } from '../workspace/analysis-service';
import { describeClasses, isMapCell, isPlaced, type MapEntry, orderMapEntries } from './failure-map-model';
import { el, fixed, itemTable, markTableRows, plotRegion } from './dom';
import type { ViewContext, WorkspaceView } from './view-context';
import './failure-map-view.css';

interface FailureMapViewState {
  includeFullCells?: boolean;
}

/** Bars of the lifespan chart: compact condition labels (lifespan-labels.ts); cells the map cannot place get none. */
function lifespanBars(entries: readonly MapEntry[]): LifespanBar[] {
  const labels = lifespanBarLabels(
    entries.map((e) => ({
      row: e.row,
      ...(e.record.cell?.temperatureC !== undefined ? { temperatureC: e.record.cell.temperatureC } : {}),
    })),
  );
  return entries.map((e, k) =>
    isPlaced(e.row) ? { label: labels[k], row: e.row } : { label: '', row: { ...e.row, lifespan_mAh_cm2: null } },
  );
}

export class FailureMapView implements WorkspaceView {
  readonly name = 'failure-map' as const;
  readonly element: HTMLElement;
  private readonly progress: HTMLParagraphElement;
  private readonly summary: HTMLParagraphElement;
  private readonly problems: HTMLParagraphElement;
  private readonly fullCells: HTMLInputElement;
  private readonly mapRegion: HTMLElement;
  private readonly lifespanRegion: HTMLElement;
  private readonly mapPlot: FigurePlot;
  private readonly lifespanPlot: FigurePlot;
  private readonly table: HTMLTableElement;
  private entries: MapEntry[] = [];
  private shownKey?: string;
  private runningKey?: string;
  private isVisible = false;
  private hovered: number | null = null;
  private isRestored = false;

  constructor(private readonly ctx: ViewContext) {
    this.fullCells = el('input', { type: 'checkbox', id: 'failure-map-full-cells' });
    this.fullCells.addEventListener('change', () => {
      this.ctx.saveViewState('failure-map', { includeFullCells: this.fullCells.checked } satisfies FailureMapViewState);
      void this.show();
    });
    this.progress = el('p', { className: 'failure-map-progress' });
    this.progress.setAttribute('role', 'status');
    this.progress.setAttribute('aria-label', 'Progress');
    this.summary = el('p', { className: 'verdict' });
    this.summary.setAttribute('role', 'status');
    this.summary.setAttribute('aria-label', 'Failure classes');
    this.problems = el('p', { className: 'failure-map-problems' });
    this.mapRegion = plotRegion('Failure map', 'plot failure-map-plot');
    this.lifespanRegion = plotRegion('Lifespan', 'plot failure-map-plot');
    const open = (k: number): void => {
      const entry = this.entries[k];
      if (entry) void this.ctx.open(entry.record.id, 'cell');
    };
    this.mapPlot = new FigurePlot(this.mapRegion).onClick(open);
    this.lifespanPlot = new FigurePlot(this.lifespanRegion).onClick(open);
    this.table = el('table', { className: 'cycles failure-map-cells' });
    this.table.setAttribute('aria-label', 'Cells');
    this.element = el('section', { className: 'view failure-map-view' }, [
      el('h2', { textContent: 'Failure map' }),
      el('div', { className: 'failure-map-controls' }, [
        this.fullCells,
        el('label', { htmlFor: 'failure-map-full-cells', textContent: 'Include full cells' }),
      ]),
      this.progress,
      this.summary,
      this.problems,
      el('div', { className: 'failure-map-plots' }, [this.mapRegion, this.lifespanRegion]),
      el('p', { className: 'hint', textContent: 'Click a cell (point, bar or row) to open it in the Cell view.' }),
      el('div', { className: 'table-wrap' }, [this.table]),
    ]);
    this.element.dataset.state = 'empty';
  }

  async show(): Promise<void> {
    this.isVisible = true;
    if (!this.isRestored) {
      // The shell restores saved view states after building the views: read ours on first show.
      this.isRestored = true;
      this.fullCells.checked = this.ctx.viewState<FailureMapViewState>('failure-map')?.includeFullCells === true;
    }
    const cells = this.ctx.records().filter((r) => isMapCell(r, this.fullCells.checked));
    const key = cells.map((r) => `${r.id}|${r.name}|${analysisInputKey(r, 'cycling')}`).join('\n');
    if (key === this.shownKey || key === this.runningKey) return;
    this.runningKey = key;
    if (cells.length === 0) {
      this.finish(key, [], []);
      this.progress.textContent = 'No cycled cells in the library: import cycler files to place them on the map.';
      return;
    }
    this.element.dataset.state = 'analysing';
    const results: MapEntry[] = [];
    const failed: string[] = [];
    for (const [k, record] of cells.entries()) {
      if (this.runningKey !== key) return;
      if (!this.isVisible) {
        // Left the view: stop starting analyses; the next show() resumes (finished ones are cached).
        this.runningKey = undefined;
        return;
      }
      this.progress.textContent = `Analysing ${k + 1} of ${cells.length} cells`;
      try {
        const result: CyclingResultJson = await this.ctx.analyses.run(record, 'cycling');
        results.push({ record, row: failureMapRow(result) });
      } catch {
        failed.push(record.name);
      }
    }
    if (this.runningKey !== key) return;
    this.finish(key, results, failed);
  }

  hide(): void {
    this.isVisible = false;
  }

  private finish(key: string, results: readonly MapEntry[], failed: readonly string[]): void {
    this.runningKey = undefined;
    this.shownKey = key;
    this.entries = orderMapEntries(results);
    const rows = this.entries.map((e) => e.row);
    const unplaced = this.entries.filter((e) => !isPlaced(e.row));
    this.progress.textContent = results.length === 0 ? '' : `Analysed ${results.length} cell${results.length === 1 ? '' : 's'}`;
    this.summary.textContent = rows.length === 0 ? '' : describeClasses(rows);
    this.problems.textContent = [
      failed.length > 0 ? `Could not analyse: ${failed.join(', ')}.` : '',
      unplaced.length > 0
        ? `Without current density or areal capacity (not on the map): ${unplaced.map((e) => e.record.name).join(', ')}.`
        : '',
    ]
      .filter(Boolean)
      .join(' ');
    this.element.dataset.classes = [...new Set(rows.map((r) => r.class))].sort().join(' ');
    this.fillTable();
    this.hovered = null;
    this.redraw();
    this.element.dataset.state = rows.length === 0 ? 'empty' : 'ready';
  }

  private fillTable(): void {
    itemTable(
      this.table,
      this.entries.map((e, k) => ({ ...e, k })),
      [
        { header: 'Cell', cell: (e) => e.record.name },
        { header: 'j (mA cm⁻²)', cell: (e) => fixed(e.row.currentDensity_mA_cm2, 2) },
        { header: 'q (mAh cm⁻²)', cell: (e) => fixed(e.row.arealCapacity_mAh_cm2, 2) },
        { header: 'Class', cell: (e) => FAILURE_REGION_LABELS[e.row.class] },
        { header: 'Failure cycle', cell: (e) => (e.row.failureCycle === null ? '–' : String(e.row.failureCycle)) },
        { header: 'Lifespan (mAh cm⁻²)', cell: (e) => lifespanLabel(e.row) },
      ],
      (e) => e.k,
      {
        toggle: (k) => {
          const entry = this.entries[k];
          if (entry) void this.ctx.open(entry.record.id, 'cell');
        },
        hover: (k) => {
          if (k === this.hovered) return;
          this.hovered = k;
          this.redraw();
        },
      },
    );
    for (const row of this.table.tBodies[0]?.rows ?? []) row.dataset.class = this.entries[Number(row.dataset.item)]?.row.class ?? '';
  }

  private redraw(): void {
    if (this.entries.length === 0) {
      this.mapPlot.clear();
      this.lifespanPlot.clear();
      return;
    }
    const rows = this.entries.map((e) => e.row);
    const hovered = this.hovered === null ? {} : { hovered: this.hovered };
    const width = (region: HTMLElement) => Math.max(320, Math.round(region.clientWidth || 640));
    // Legends right of the frame: the map's top-right corner (fast, large cycles) is where the hard shorts sit.
    const outsideLegend = (spec: FigureSpec): FigureSpec => ({
      ...spec,
      layout: { ...spec.layout, legend: { x: 1.02, y: 1, xanchor: 'left', yanchor: 'top', bgcolor: 'rgba(255,255,255,0)' } },
    });
    void this.mapPlot.show(outsideLegend(buildFailureMapSpec(rows, { width: width(this.mapRegion), height: 460, ...hovered })));
    // Bars only for cells on the map (a bar needs its condition); their index stays the entry's index.
    const lifespan = buildLifespanSpec(lifespanBars(this.entries), { width: width(this.lifespanRegion), height: 460, ...hovered });
    lifespan.layout.xaxis = { ...lifespan.layout.xaxis, title: { text: LIFESPAN_LABEL_AXIS_TITLE } };
    void this.lifespanPlot.show(lifespan);
    markTableRows(this.table, [], this.hovered);
  }
}
