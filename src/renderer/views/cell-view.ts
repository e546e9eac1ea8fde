/**
 * The **Cell** view (issue 7, view 1): one cycling dataset in linked plots.
 *
 *   open record -> columns -> Voltage vs time (drawn at once, before any analysis)
 *                          \-> cycling analysis (worker, cached by ctx.analyses) -> per-cycle plots, Cycles table,
 *                              verdict, failure markers, Voltage vs capacity and dQ/dV of the chosen cycles
 *
 * Linking goes through the one selection store (ctx.selection): every gesture (click, box or lasso in a
 * per-cycle plot, a table row, a failure marker) publishes a clause there, and every plot redraws from the
 * store, so another view's selection of the same dataset shows here too. Time zooms of Voltage vs time set
 * the store's time range; the per-cycle plots shade the cycles visible in it. Redraws are coalesced to one per
 * animation frame; the curve plots only recompute when the cycles they show change.
 */
import './cell-view.css';
import { type CyclingResultJson, dqdvOfCycle } from '@shared/analysis/analyze-cycling';
import {
  curveCycles,
  type CurveCycles,
  cycleWindows,
  evidenceWindowS,
  failureEvidenceMarkers,
  visibleCycleSpan,
} from '@shared/figures/cycle-overlay';
import {
  buildCoulombicEfficiencySpec,
  buildNucleationOverpotentialSpec,
  buildVoltageGapSpec,
  type CycleMetricCell,
  type CycleMetricOptions,
} from '@shared/figures/cycle-metric-spec';
import { buildDqdvSpec, type DqdvCycleCurve } from '@shared/figures/dqdv-spec';
import type { FigureOptions, FigureSpec } from '@shared/figures/figure-spec';
import { buildVoltageCapacitySpec, halfCycleCurves, type HalfCycleCurve } from '@shared/figures/voltage-capacity-spec';
import type { VoltageTimeOverlay } from '@shared/figures/voltage-time-spec';
import type { CellMetadata } from '@shared/model/cell-metadata';
import type { DatasetColumns } from '@shared/model/dataset';
import { describeSelection, type Selection } from '../linking/selection-store';
import { FigurePlot } from '../plots/figure-plot';
import { VoltageTimePlot } from '../plots/voltage-time-plot';
import type { DatasetRecord } from '../storage/library-db';
import { analysisInputKey, defaultAnalysisKind, type TraceColumns } from '../workspace/analysis-service';
import { CellMetadataForm } from './cell-metadata-form';
import { describeFailure } from './cell-verdict';
import { el, fixed, itemTable, markTableRows, plotRegion, type TableColumn } from './dom';
import { datasetNotes } from './file-health';
import type { ViewContext, ViewName, WorkspaceView } from './view-context';

export type CellXAxis = 'cycle' | 'accumulated-capacity';

/** What the view keeps across restarts (ctx.saveViewState('cell', …)). */
export interface CellViewState {
  xAxis?: CellXAxis;
  /** The dataset the cycles and time range belong to. */
  datasetId?: string;
  cycles?: number[];
  timeRangeS?: [number, number] | null;
}

/** Curves drawn at most in Voltage vs capacity and dQ/dV (a larger selection is sampled evenly). */
const MAX_CURVE_CYCLES = 12;

/** Cycles table rows built per task (a 1e7-row test has ~700 cycles: one frame for all is too long). */
const TABLE_ROWS_PER_TASK = 100;

/** Height of the small plots (their regions are this tall in cell-view.css). */
const SMALL_PLOT_HEIGHT_PX = 300;

const SOURCE = {
  time: 'cell:time',
  plot: 'cell:plot',
  table: 'cell:table',
  evidence: 'cell:evidence',
  restore: 'cell:restore',
  clear: 'cell:clear',
} as const;

const OTHER_VIEW: Readonly<Record<'gitt' | 'ccd', { view: ViewName; label: string; what: string }>> = {
  gitt: { view: 'gitt', label: 'GITT', what: 'a GITT test' },
  ccd: { view: 'ccd', label: 'CCD', what: 'a critical-current-density staircase' },
};

interface LoadedCell {
  record: DatasetRecord;
  /** Time and voltage: read first, for the trace (issue 7: first plot within 2 s). */
  columns: TraceColumns;
  /** Every column, read after the trace is drawn: for Voltage vs capacity and dQ/dV. */
  full?: DatasetColumns;
}

/** Lets the page handle input and paint: scheduler.yield() where the browser has it, else a macrotask. */
function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function sameRange(a: readonly [number, number] | null | undefined, b: readonly [number, number] | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a[0] === b[0] && a[1] === b[1];
}

export class CellView implements WorkspaceView {
  readonly name = 'cell' as const;
  readonly element: HTMLElement;

  private readonly title: HTMLHeadingElement;
  private readonly subtitle: HTMLParagraphElement;
  private readonly empty: HTMLElement;
  private readonly content: HTMLElement;
  private readonly kindNote: HTMLParagraphElement;
  private readonly analysisPart: HTMLElement;
  private readonly verdict: HTMLParagraphElement;
  private readonly jumpButton: HTMLButtonElement;
  private readonly selectionLine: HTMLParagraphElement;
  private readonly xAxisSelect: HTMLSelectElement;
  private readonly timeRegion: HTMLElement;
  private readonly vqRegion: HTMLElement;
  private readonly dqdvRegion: HTMLElement;
  private readonly curveCaption: HTMLParagraphElement;
  private readonly metricRegions: HTMLElement[];
  private readonly timePlot: VoltageTimePlot;
  private readonly vqPlot: FigurePlot;
  private readonly dqdvPlot: FigurePlot;
  private readonly metricPlots: { plot: FigurePlot; build: (cells: CycleMetricCell[], o: CycleMetricOptions) => FigureSpec }[];
  private readonly table: HTMLTableElement;
  private readonly form: CellMetadataForm;
  private readonly healthSlot: HTMLElement;

  private isVisible = false;
  private isStateRestored = false;
  private loadGeneration = 0;
  private loadingId?: string;
  private loaded?: LoadedCell;
  private analysisKey?: string;
  private result?: CyclingResultJson;
  private running?: AbortController;
  private xAxis: CellXAxis;
  private readonly restoredFor = new Set<string>();
  private readonly curveCache = new Map<number, { vq: HalfCycleCurve[]; dqdv: DqdvCycleCurve[] }>();
  private frame?: number;
  private overlayKey?: string;
  private curvesKey?: string;
  /** What each small plot last drew (skips redraws that would change nothing). */
  private readonly plotKeys = new Map<FigurePlot, string>();
  /**
   * The plot the pointer hovers, if the hover came from one: it is not redrawn for hover changes, because
   * Plotly.react under the pointer ends Plotly's own hover (an unhover event) and its label already marks the point.
   */
  private hoverSource?: FigurePlot;
  private savedKey?: string;
  private shownCycles: readonly number[] = [];
  /**
   * Plot draws waiting, one per plot (a newer draw of a plot replaces the waiting one), run one per task
   * so that no frame holds several Plotly calls (issue 7: no main-thread task over 100 ms).
   */
  private readonly draws = new Map<object, () => Promise<void>>();
  private isDrawing = false;
  private tableGeneration = 0;

  constructor(private readonly ctx: ViewContext) {
    this.xAxis = 'cycle';

    this.title = el('h2', { textContent: 'Cell' });
    this.subtitle = el('p', { className: 'cell-subtitle' });
    this.empty = el('div', { className: 'cell-empty' });
    this.kindNote = el('p', { className: 'cell-kind-note' });
    this.kindNote.hidden = true;

    this.verdict = el('p', { className: 'verdict', textContent: 'Not analysed yet.' });
    this.verdict.setAttribute('role', 'status');
    this.verdict.setAttribute('aria-label', 'Analysis');
    this.jumpButton = el('button', { type: 'button', textContent: 'Show the failure evidence' });
    this.jumpButton.hidden = true;
    this.jumpButton.addEventListener('click', () => this.jumpToEvidence(0));
    this.selectionLine = el('p', { className: 'selection', textContent: describeSelection(ctx.selection.current) });
    this.selectionLine.setAttribute('role', 'status');
    this.selectionLine.setAttribute('aria-label', 'Selection');
    const clearButton = el('button', { type: 'button', textContent: 'Clear selection' });
    clearButton.addEventListener('click', () => ctx.selection.clear(SOURCE.clear));

    this.xAxisSelect = el('select', { id: 'cell-x-axis' }, [
      el('option', { value: 'cycle', textContent: 'Cycle number' }),
      el('option', { value: 'accumulated-capacity', textContent: 'Accumulated areal capacity' }),
    ]);
    this.xAxisSelect.value = this.xAxis;
    this.xAxisSelect.addEventListener('change', () => {
      this.xAxis = this.xAxisSelect.value === 'accumulated-capacity' ? 'accumulated-capacity' : 'cycle';
      this.saveState();
      this.schedule();
    });

    this.timeRegion = plotRegion('Voltage vs time', 'plot cell-time');
    this.timePlot = new VoltageTimePlot(this.timeRegion)
      .onZoom((rangeS) => ctx.selection.setTimeRange(rangeS, SOURCE.time))
      .onMarkerClick((item) => this.jumpToEvidence(item));

    this.vqRegion = plotRegion('Voltage vs capacity');
    this.dqdvRegion = plotRegion('dQ/dV');
    this.vqPlot = this.linkedPlot(this.vqRegion, false);
    this.dqdvPlot = this.linkedPlot(this.dqdvRegion, false);
    this.curveCaption = el('p', { className: 'cell-caption' });

    const ceRegion = plotRegion('Coulombic efficiency');
    const gapRegion = plotRegion('Voltage gap');
    const nucleationRegion = plotRegion('Nucleation overpotential');
    this.metricRegions = [ceRegion, gapRegion, nucleationRegion];
    this.metricPlots = [
      { plot: this.linkedPlot(ceRegion, true), build: buildCoulombicEfficiencySpec },
      { plot: this.linkedPlot(gapRegion, true), build: buildVoltageGapSpec },
      { plot: this.linkedPlot(nucleationRegion, true), build: buildNucleationOverpotentialSpec },
    ];

    this.table = el('table', { className: 'cycles' });
    this.table.setAttribute('aria-label', 'Cycles');

    this.form = new CellMetadataForm((cell) => this.saveMetadata(cell));
    this.healthSlot = el('div', { className: 'cell-health' });

    this.analysisPart = el('div', { className: 'cell-analysis-part' }, [
      el('div', { className: 'cell-controls' }, [
        el('label', { htmlFor: 'cell-x-axis', textContent: 'X axis' }),
        this.xAxisSelect,
        clearButton,
      ]),
      el('div', { className: 'plot-row cell-metrics' }, this.metricRegions),
      el('div', { className: 'plot-row cell-curves' }, [this.vqRegion, this.dqdvRegion]),
      this.curveCaption,
      el('div', { className: 'table-wrap' }, [this.table]),
    ]);

    this.content = el('div', { className: 'cell-content' }, [
      this.subtitle,
      this.kindNote,
      el('div', { className: 'cell-status' }, [this.verdict, this.jumpButton]),
      this.selectionLine,
      this.timeRegion,
      this.analysisPart,
      el('div', { className: 'cell-meta' }, [el('h3', { textContent: 'Cell metadata' }), this.form.element, this.healthSlot]),
    ]);
    this.content.hidden = true;
    this.element = el('section', { className: 'view cell-view' }, [this.title, this.empty, this.content]);
    this.element.dataset.state = 'empty';

    ctx.selection.subscribe((selection, source) => this.onSelection(selection, source));
  }

  async show(): Promise<void> {
    this.isVisible = true;
    if (!this.isStateRestored) {
      // The shell reads the saved view states after building the views: restored on the first show.
      this.isStateRestored = true;
      if (this.ctx.viewState<CellViewState>('cell')?.xAxis === 'accumulated-capacity') {
        this.xAxis = 'accumulated-capacity';
        this.xAxisSelect.value = this.xAxis;
      }
    }
    const record = this.ctx.current();
    if (!record || record.kind !== 'cycling') {
      this.showEmpty(record);
      return;
    }
    this.empty.hidden = true;
    this.content.hidden = false;
    this.title.textContent = record.name;
    this.subtitle.textContent = [record.description, `${record.rowCount.toLocaleString('en')} rows`].filter(Boolean).join(' · ');
    this.form.fill(record.cell);
    if (this.loaded?.record.id !== record.id) {
      if (this.loadingId === record.id) return;
      await this.load(record);
      return;
    }
    this.loaded.record = record;
    this.timeRegion.dataset.dataset = record.name;
    if (this.isCycling(record)) void this.analyse(record);
    this.selectionLine.textContent = describeSelection(this.ctx.selection.current);
    if (!sameRange(this.ctx.selection.current.timeRangeS, this.timePlot.visibleRangeS ?? null))
      void this.timePlot.setRange(this.ctx.selection.current.timeRangeS);
    this.schedule();
  }

  hide(): void {
    this.isVisible = false;
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }

  /**
   * A small plot linked to the cycle selection: click toggles, box or lasso selects (per-cycle plots), hover
   * highlights. Plotly.react under a resting pointer (our redraw after the hover it reported) makes Plotly
   * send an unhover without any pointer movement: such an unhover is not the user's and is ignored; leaving
   * the plot always ends the hover.
   */
  private linkedPlot(region: HTMLElement, selectable: boolean): FigurePlot {
    let moves = 0;
    let movesAtHover = -1;
    const plot = new FigurePlot(region)
      .onClick((cycle) => this.ctx.selection.toggleCycle(cycle, SOURCE.plot))
      .onHover((cycle) => {
        if (cycle === null && moves === movesAtHover) return;
        movesAtHover = moves;
        this.hoverSource = plot;
        this.ctx.selection.hover('cycles', cycle, SOURCE.plot);
      });
    region.addEventListener('pointermove', () => moves++, { capture: true, passive: true });
    region.addEventListener('pointerleave', () => {
      moves++;
      if (this.hoverSource === plot) this.ctx.selection.hover('cycles', null, SOURCE.plot);
    });
    if (selectable) plot.onSelect((cycles) => this.ctx.selection.setCycles(cycles, SOURCE.plot));
    return plot;
  }

  private isCycling(record: DatasetRecord): boolean {
    return defaultAnalysisKind(record) === 'cycling';
  }

  private showEmpty(record: DatasetRecord | undefined): void {
    this.cancel();
    this.loaded = undefined;
    this.loadingId = undefined;
    this.content.hidden = true;
    this.empty.hidden = false;
    this.title.textContent = 'Cell';
    this.element.dataset.state = 'empty';
    const first = this.ctx.records().find((r) => r.kind === 'cycling');
    const message = record ? `${record.name} is not a cycling dataset: no cycling dataset is open.` : 'No cycling dataset is open.';
    const children: (Node | string)[] = [el('p', { textContent: message })];
    if (first) {
      const open = el('button', { type: 'button', className: 'primary', textContent: `Open ${first.name}` });
      open.addEventListener('click', () => void this.ctx.open(first.id, 'cell'));
      children.push(open);
    } else children.push(el('p', { textContent: 'Import a cycler file to see it here.' }));
    this.empty.replaceChildren(...children);
  }

  private cancel(): void {
    this.running?.abort();
    this.running = undefined;
    this.loadGeneration++;
  }

  /** A new dataset: the trace as soon as its columns are read, the analysis behind it. */
  private async load(record: DatasetRecord): Promise<void> {
    this.cancel();
    const generation = this.loadGeneration;
    this.loadingId = record.id;
    this.loaded = undefined;
    this.result = undefined;
    this.analysisKey = undefined;
    this.curveCache.clear();
    this.overlayKey = this.curvesKey = undefined;
    this.plotKeys.clear();
    this.draws.clear();
    this.tableGeneration++;
    this.element.dataset.state = 'loading';
    this.content.dataset.analysis = 'none';
    this.table.replaceChildren();
    this.curveCaption.textContent = '';
    this.jumpButton.hidden = true;
    for (const plot of [this.vqPlot, this.dqdvPlot, ...this.metricPlots.map((m) => m.plot)]) plot.clear();
    this.healthSlot.replaceChildren(...datasetNotes(record));
    this.restoreSelection(record);
    const cycling = this.isCycling(record);
    this.analysisPart.hidden = !cycling;
    this.showKindNote(record);
    this.verdict.textContent = cycling ? 'Reading the data…' : 'The cycling analysis applies to cycling tests only.';
    try {
      const columns = await this.ctx.analyses.traceColumns(record);
      if (generation !== this.loadGeneration) return;
      const loaded: LoadedCell = { record, columns };
      this.loaded = loaded;
      this.loadingId = undefined;
      if (cycling) void this.analyse(record);
      await this.timePlot.show(
        { name: record.name, timeS: columns.timeS, voltageV: columns.voltageV, colorIndex: 0 },
        { rangeS: this.ctx.selection.current.timeRangeS, overlay: {} },
      );
      if (generation !== this.loadGeneration) return;
      this.element.dataset.state = 'ready';
      this.schedule();
      if (cycling) void this.loadFull(loaded, generation);
    } catch (error) {
      if (generation !== this.loadGeneration) return;
      this.loadingId = undefined;
      this.element.dataset.state = 'failed';
      this.verdict.textContent = `The data could not be read: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** The other columns, once the trace is drawn: then Voltage vs capacity and dQ/dV can be drawn. */
  private async loadFull(loaded: LoadedCell, generation: number): Promise<void> {
    try {
      const full = await this.ctx.analyses.columns(loaded.record);
      if (generation !== this.loadGeneration) return;
      loaded.full = full;
      this.curveCache.clear();
      this.curvesKey = undefined;
      this.plotKeys.delete(this.vqPlot);
      this.plotKeys.delete(this.dqdvPlot);
      this.schedule();
    } catch (error) {
      if (generation !== this.loadGeneration) return;
      this.curveCaption.textContent = `The data could not be read: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  private showKindNote(record: DatasetRecord): void {
    const kind = defaultAnalysisKind(record);
    if (kind !== 'gitt' && kind !== 'ccd') {
      this.kindNote.hidden = true;
      return;
    }
    const other = OTHER_VIEW[kind];
    const link = el('button', { type: 'button', className: 'link', textContent: `Open it in the ${other.label} view` });
    link.addEventListener('click', () => void this.ctx.open(record.id, other.view));
    this.kindNote.replaceChildren(`This dataset is ${other.what}: its analysis is in the ${other.label} view. `, link);
    this.kindNote.hidden = false;
  }

  /** The saved cycles and time window of this dataset, once per session (after a restart). */
  private restoreSelection(record: DatasetRecord): void {
    if (this.restoredFor.has(record.id)) return;
    this.restoredFor.add(record.id);
    const saved = this.ctx.viewState<CellViewState>('cell');
    if (saved?.datasetId !== record.id) return;
    const store = this.ctx.selection;
    if (store.current.datasetId !== record.id && store.current.datasetId !== undefined) return;
    if (store.current.cycles.length === 0 && Array.isArray(saved.cycles) && saved.cycles.length > 0)
      store.setCycles(
        saved.cycles.filter((c) => Number.isInteger(c)),
        SOURCE.restore,
      );
    if (store.current.timeRangeS === null && Array.isArray(saved.timeRangeS)) store.setTimeRange(saved.timeRangeS, SOURCE.restore);
  }

  private saveState(): void {
    const selection = this.ctx.selection.current;
    const id = this.loaded?.record.id;
    const state: CellViewState = {
      xAxis: this.xAxis,
      ...(id && (selection.datasetId === undefined || selection.datasetId === id)
        ? { datasetId: id, cycles: [...selection.cycles], timeRangeS: selection.timeRangeS ? [...selection.timeRangeS] : null }
        : (() => {
            const saved = this.ctx.viewState<CellViewState>('cell');
            return saved ? { datasetId: saved.datasetId, cycles: saved.cycles, timeRangeS: saved.timeRangeS } : {};
          })()),
    };
    this.ctx.saveViewState('cell', state);
  }

  /** The record's cycling analysis (cached by its metadata and parameters); a no-op when it is shown. */
  private async analyse(record: DatasetRecord): Promise<void> {
    const key = `${record.id}|${analysisInputKey(record, 'cycling')}`;
    if (this.analysisKey === key) return;
    this.analysisKey = key;
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    this.content.dataset.analysis = 'running';
    this.verdict.textContent = 'Analysing…';
    try {
      const result = await this.ctx.analyses.run(record, 'cycling', {
        signal: controller.signal,
        onProgress: (fraction) => {
          if (this.analysisKey === key) this.verdict.textContent = `Analysing… ${Math.round(fraction * 100)} %`;
        },
      });
      if (controller.signal.aborted || this.analysisKey !== key) return;
      this.result = result;
      this.curveCache.clear();
      this.overlayKey = this.curvesKey = undefined;
      this.plotKeys.clear();
      this.verdict.textContent = describeFailure(result);
      this.jumpButton.hidden = result.failure.evidence.length === 0;
      this.schedule();
      const isFilled = await this.fillTable(result);
      if (!isFilled || controller.signal.aborted || this.analysisKey !== key) return;
      this.content.dataset.analysis = 'ready';
    } catch (error) {
      if (controller.signal.aborted || this.analysisKey !== key) return;
      this.analysisKey = undefined;
      this.result = undefined;
      this.content.dataset.analysis = 'failed';
      this.verdict.textContent = `The analysis failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  private async saveMetadata(cell: CellMetadata): Promise<void> {
    const record = this.loaded?.record ?? this.ctx.current();
    if (!record) return;
    await this.ctx.editDataset(record.id, { cell }, `Cell metadata of ${record.name}`);
  }

  private onSelection(selection: Selection, source: string): void {
    if (!this.isVisible) return;
    const id = this.loaded?.record.id;
    if (!id || (selection.datasetId !== undefined && selection.datasetId !== id)) return;
    this.selectionLine.textContent = describeSelection(selection);
    if (source !== SOURCE.time && !sameRange(selection.timeRangeS, this.timePlot.visibleRangeS ?? null))
      void this.timePlot.setRange(selection.timeRangeS);
    const added = selection.cycles.filter((c) => !this.shownCycles.includes(c));
    this.shownCycles = selection.cycles;
    // A cycle picked in a plot comes into view in the table (the table scrolls inside its box).
    if (source === SOURCE.plot && added.length > 0) this.revealInTable(added[added.length - 1]);
    const stateKey = `${id}|${selection.cycles.join(',')}|${selection.timeRangeS?.join(',') ?? ''}`;
    if (source !== SOURCE.restore && stateKey !== this.savedKey) {
      this.savedKey = stateKey;
      this.saveState();
    }
    this.schedule();
  }

  /** A failure marker (or the verdict's button): selects the failing cycle and zooms the trace to it. */
  private jumpToEvidence(item: number): void {
    const evidence = this.result?.failure.evidence[item];
    const loaded = this.loaded;
    if (!evidence || !loaded || !this.result) return;
    const range = evidenceWindowS(evidence, this.result.cycles, loaded.columns.timeS);
    this.ctx.selection.setCycles([evidence.cycle], SOURCE.evidence);
    if (range) {
      void this.timePlot.setRange(range);
      this.ctx.selection.setTimeRange(range, SOURCE.evidence);
    }
    this.revealInTable(evidence.cycle);
  }

  /** Scrolls the table's own box (never the page) to a cycle's row. */
  private revealInTable(cycle: number): void {
    const wrap = this.table.parentElement;
    const row = this.table.querySelector<HTMLTableRowElement>(`tbody tr[data-item="${cycle}"]`);
    if (!wrap || !row) return;
    const box = wrap.getBoundingClientRect();
    const at = row.getBoundingClientRect();
    const head = this.table.tHead?.getBoundingClientRect().height ?? 0;
    if (at.top < box.top + head || at.bottom > box.bottom) wrap.scrollTop += at.top - box.top - head;
  }

  private schedule(): void {
    if (!this.isVisible || this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.redraw();
    });
  }

  private redraw(): void {
    const loaded = this.loaded;
    if (!loaded || !this.isVisible) return;
    const selection = this.ctx.selection.current;
    this.selectionLine.textContent = describeSelection(selection);
    this.timeRegion.dataset.selectedCycles = selection.cycles.join(',');
    this.timeRegion.dataset.hoveredCycle = selection.hoveredCycle === null ? '' : String(selection.hoveredCycle);
    const result = this.result;
    if (!result) return;
    this.redrawOverlay(loaded, result, selection);
    this.redrawMetrics(loaded, result, selection);
    this.redrawCurves(loaded, result, selection);
    markTableRows(this.table, selection.cycles, selection.hoveredCycle);
  }

  private redrawOverlay(loaded: LoadedCell, result: CyclingResultJson, selection: Selection): void {
    const key = `${selection.cycles.join(',')}|${selection.hoveredCycle}`;
    if (key === this.overlayKey) return;
    this.overlayKey = key;
    const overlay: VoltageTimeOverlay = {
      windows: cycleWindows(result.cycles, loaded.columns.timeS, selection.cycles, selection.hoveredCycle),
      markers: failureEvidenceMarkers(result.failure.evidence, loaded.columns),
      markerName: 'Failure evidence',
    };
    this.timeRegion.dataset.markers = String(overlay.markers?.length ?? 0);
    // At once, not queued: a zoom or marker click in the trace must not meet an older overlay draw.
    void this.timePlot.setOverlay(overlay);
  }

  private redrawMetrics(loaded: LoadedCell, result: CyclingResultJson, selection: Selection): void {
    const visible = visibleCycleSpan(result.cycles, loaded.columns.timeS, selection.timeRangeS);
    const cells: CycleMetricCell[] = [{ name: loaded.record.name, cycles: result.cycles }];
    for (const [k, { plot, build }] of this.metricPlots.entries()) {
      const region = this.metricRegions[k];
      const hovered = this.hoveredFor(plot, selection.hoveredCycle);
      const key = [selection.cycles.join(','), hovered, this.xAxis, visible?.join('-') ?? 'all'].join('|');
      if (this.plotKeys.get(plot) === key) continue;
      this.plotKeys.set(plot, key);
      const width = region.clientWidth;
      const options: CycleMetricOptions = {
        selected: selection.cycles,
        ...(hovered === null ? {} : { hovered }),
        xAxis: this.xAxis,
        ...(visible ? { visibleCycles: visible } : {}),
        ...(width > 0 ? { width } : {}),
        height: SMALL_PLOT_HEIGHT_PX,
      };
      const xAxis = this.xAxis;
      this.enqueue(plot, async () => {
        region.dataset.visibleCycles = visible ? visible.join('-') : 'all';
        region.dataset.xAxis = xAxis;
        await plot.show(build(cells, options));
      });
    }
  }

  private curvesOf(
    loaded: LoadedCell,
    full: DatasetColumns,
    result: CyclingResultJson,
    cycle: number,
  ): { vq: HalfCycleCurve[]; dqdv: DqdvCycleCurve[] } {
    let curves = this.curveCache.get(cycle);
    if (curves) return curves;
    const dataset = { kind: 'cycling' as const, meta: loaded.record.meta, rowCount: loaded.record.rowCount, columns: full };
    const dqdv: DqdvCycleCurve[] = [];
    for (const [which, half] of [
      ['plate', 'plating'],
      ['strip', 'stripping'],
    ] as const) {
      try {
        dqdv.push({ cycle, half, curve: dqdvOfCycle(dataset, result, cycle, which) });
      } catch {
        // A half-cycle that passes no charge (the last, interrupted cycle) has no dQ/dV: left out.
      }
    }
    curves = { vq: halfCycleCurves(full, result, [cycle]), dqdv };
    this.curveCache.set(cycle, curves);
    return curves;
  }

  private redrawCurves(loaded: LoadedCell, result: CyclingResultJson, selection: Selection): void {
    const full = loaded.full;
    // Drawn once every column is read (loadFull).
    if (!full) return;
    const chosen = curveCycles(
      selection.cycles,
      result.cycles.map((c) => c.index),
      MAX_CURVE_CYCLES,
    );
    const shownHover = selection.hoveredCycle !== null && chosen.cycles.includes(selection.hoveredCycle) ? selection.hoveredCycle : null;
    const key = chosen.cycles.join(',');
    if (key !== this.curvesKey) {
      this.curvesKey = key;
      this.curveCaption.textContent = this.captionOf(chosen, selection.cycles.length);
      for (const region of [this.vqRegion, this.dqdvRegion]) region.dataset.cycles = key;
    }
    if (chosen.cycles.length === 0) {
      this.vqPlot.clear();
      this.dqdvPlot.clear();
      this.plotKeys.delete(this.vqPlot);
      this.plotKeys.delete(this.dqdvPlot);
      return;
    }
    const curvesOf = (): { vq: HalfCycleCurve[]; dqdv: DqdvCycleCurve[] }[] =>
      chosen.cycles.map((c) => this.curvesOf(loaded, full, result, c));
    const optionsFor = (plot: FigurePlot, region: HTMLElement): FigureOptions | undefined => {
      const hovered = this.hoveredFor(plot, shownHover);
      const plotKey = `${key}|${hovered}`;
      if (this.plotKeys.get(plot) === plotKey) return undefined;
      this.plotKeys.set(plot, plotKey);
      return {
        ...(chosen.reason === 'first-last' ? {} : { selected: chosen.cycles }),
        ...(hovered === null ? {} : { hovered }),
        height: SMALL_PLOT_HEIGHT_PX,
        ...(region.clientWidth > 0 ? { width: region.clientWidth } : {}),
      };
    };
    const vqOptions = optionsFor(this.vqPlot, this.vqRegion);
    if (vqOptions)
      this.enqueue(this.vqPlot, () =>
        this.vqPlot.show(buildVoltageCapacitySpec({ areaCm2: result.area_cm2, curves: curvesOf().flatMap((c) => c.vq) }, vqOptions)),
      );
    const dqdvOptions = optionsFor(this.dqdvPlot, this.dqdvRegion);
    if (dqdvOptions)
      this.enqueue(this.dqdvPlot, () =>
        this.dqdvPlot.show(
          buildDqdvSpec(
            curvesOf().flatMap((c) => c.dqdv),
            dqdvOptions,
          ),
        ),
      );
  }

  /** Queues a plot's draw (replacing one of the same plot still waiting); the queue runs one draw per task. */
  private enqueue(plot: object, draw: () => Promise<void>): void {
    this.draws.delete(plot);
    this.draws.set(plot, draw);
    if (!this.isDrawing) void this.drainDraws();
  }

  private async drainDraws(): Promise<void> {
    this.isDrawing = true;
    try {
      for (let next = this.draws.entries().next(); !next.done; next = this.draws.entries().next()) {
        const [plot, draw] = next.value;
        this.draws.delete(plot);
        try {
          await draw();
        } catch (error) {
          console.error('Cell view: a plot could not be drawn', error);
        }
        await yieldToPage();
      }
    } finally {
      this.isDrawing = false;
    }
  }

  /** The hovered cycle a plot shows: none in the plot under the pointer (see {@link hoverSource}). */
  private hoveredFor(plot: FigurePlot, hovered: number | null): number | null {
    return plot === this.hoverSource ? null : hovered;
  }

  private captionOf(chosen: CurveCycles, selectedCount: number): string {
    switch (chosen.reason) {
      case 'none':
        return 'No complete cycle to draw.';
      case 'first-last':
        return `No cycles selected: showing the first and the last cycle (${chosen.cycles.join(' and ')}).`;
      case 'sampled':
        return `Showing ${chosen.cycles.length} of the ${selectedCount} selected cycles, evenly spaced: ${chosen.cycles.join(', ')}.`;
      case 'selected':
        return `Showing the selected cycle${chosen.cycles.length === 1 ? '' : 's'}: ${chosen.cycles.join(', ')}.`;
    }
  }

  /**
   * The Cycles table, {@link TABLE_ROWS_PER_TASK} rows per task; resolves false when a newer table (or
   * dataset) replaced it before it was complete.
   */
  private async fillTable(result: CyclingResultJson): Promise<boolean> {
    const generation = ++this.tableGeneration;
    const isFull = result.cellType === 'full';
    type Row = CyclingResultJson['cycles'][number];
    const columns: TableColumn<Row>[] = [
      { header: 'Cycle', cell: (c) => String(c.index) },
      { header: isFull ? 'Charge (mAh)' : 'Plating (mAh)', cell: (c) => fixed(c.plateCapacity_mAh, 4) },
      { header: isFull ? 'Discharge (mAh)' : 'Stripping (mAh)', cell: (c) => fixed(c.stripCapacity_mAh, 4) },
      { header: isFull ? 'Charge (mAh cm⁻²)' : 'Plating (mAh cm⁻²)', cell: (c) => fixed(c.plateArealCapacity_mAh_cm2, 3) },
      { header: 'CE (%)', cell: (c) => fixed(c.ce === null ? null : c.ce * 100, 2) },
      { header: 'Voltage gap (mV)', cell: (c) => fixed(c.voltageGap_mV, 1) },
      { header: 'Nucleation (mV)', cell: (c) => fixed(c.nucleationOverpotential_mV, 1) },
      { header: 'Accumulated (mAh cm⁻²)', cell: (c) => fixed(c.accumulatedArealCapacity_mAh_cm2, 2) },
      { header: 'Flags', cell: (c) => c.flags.join(', ') },
    ];
    const handlers = {
      toggle: (cycle: number) => this.ctx.selection.toggleCycle(cycle, SOURCE.table),
      hover: (cycle: number | null) => {
        this.hoverSource = undefined;
        this.ctx.selection.hover('cycles', cycle, SOURCE.table);
      },
    };
    const failing = result.failure.cycle;
    const scratch = el('table');
    for (let start = 0; start === 0 || start < result.cycles.length; start += TABLE_ROWS_PER_TASK) {
      if (start > 0) {
        await yieldToPage();
        if (generation !== this.tableGeneration) return false;
      }
      const chunk = result.cycles.slice(start, start + TABLE_ROWS_PER_TASK);
      if (start === 0) itemTable(this.table, chunk, columns, (c) => c.index, handlers);
      else {
        // The same rows itemTable makes, built in a detached table and moved into this one.
        itemTable(scratch, chunk, columns, (c) => c.index, handlers);
        this.table.tBodies[0].append(...scratch.tBodies[0].rows);
      }
      if (failing !== null) this.table.querySelector<HTMLTableRowElement>(`tbody tr[data-item="${failing}"]`)?.classList.add('failure');
      const selection = this.ctx.selection.current;
      markTableRows(this.table, selection.cycles, selection.hoveredCycle);
    }
    return true;
  }
}
