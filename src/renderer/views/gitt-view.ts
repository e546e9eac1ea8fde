/**
 * The **GITT** view: one GITT run's voltage trace with its pulses, D against areal capacity (log axis),
 * the relaxed voltage with the Li–In phase plateaus, and the **Pulses** table with each pulse's flags.
 *
 *   run (open GITT dataset | "GITT run" choice | first run) -> parameters (saved | cell) -> worker analysis
 *   -> trace + D + relaxed voltage + table, linked through the selection store's pulses / hoveredPulse
 *
 * Linking: hovering or selecting a pulse in the D plot, the relaxed-voltage plot or the table shades its
 * segment (the pulse and the rest after it) in the trace and marks its row; a flag marker's click zooms
 * the trace to its pulse and selects that pulse; zooming the trace publishes the time range (when the
 * shown run is the open dataset, whose store the clause belongs to). The store's pulse items are
 * 0-based (gitt-model.ts); the table and the status line show 1-based pulse numbers.
 */
import './gitt-view.css';
import type { GittPulse, GittResult } from '@shared/analysis/gitt';
import { buildDiffusionSpec, buildRelaxedVoltageSpec, gittFigureData } from '@shared/figures/gitt-spec';
import type { DatasetColumns } from '@shared/model/dataset';
import { describePulseSelection, type Selection } from '../linking/selection-store';
import { FigurePlot } from '../plots/figure-plot';
import { VoltageTimePlot } from '../plots/voltage-time-plot';
import type { DatasetRecord } from '../storage/library-db';
import { el, fixed, itemTable, markTableRows, plotRegion, revealRow, scientific } from './dom';
import {
  chooseGittRecord,
  flagMarkers,
  GITT_FORM_FIELDS,
  type GittFormKey,
  gittParamsFromForm,
  gittRecords,
  pulseIndexOfItem,
  pulseItem,
  pulseWindows,
  pulseZoomRangeS,
  resolveGittParams,
  type ResolvedGittParams,
} from './gitt-model';
import type { ViewContext, WorkspaceView } from './view-context';

/** The selection store's source name of this view's clauses. */
const SOURCE = 'gitt';
/** Hover clauses from a plot name it, so that plot is not redrawn under the pointer (a redraw drops Plotly's hover, and the click that follows). */
const HOVER_SOURCE = { diffusion: 'gitt:diffusion', relaxed: 'gitt:relaxed' } as const;

interface GittViewState {
  datasetId?: string;
}

interface Shown {
  record: DatasetRecord;
  resolved: ResolvedGittParams;
  result?: GittResult;
  columns?: DatasetColumns;
}

export class GittView implements WorkspaceView {
  readonly name = 'gitt' as const;
  readonly element: HTMLElement;
  private readonly info: HTMLParagraphElement;
  private readonly runSelect: HTMLSelectElement;
  private readonly form: HTMLFormElement;
  private readonly inputs = new Map<GittFormKey, HTMLInputElement>();
  private readonly formNote: HTMLParagraphElement;
  private readonly verdict: HTMLParagraphElement;
  private readonly status: HTMLParagraphElement;
  private readonly trace: VoltageTimePlot;
  private readonly traceRegion: HTMLElement;
  private readonly diffusion: FigurePlot;
  private readonly relaxed: FigurePlot;
  private readonly table: HTMLTableElement;
  private readonly content: HTMLElement;
  private shown?: Shown;
  /** What the page shows now (run, its parameters and cell, the list of runs): show() is a no-op when unchanged. */
  private shownKey = '';
  private running?: AbortController;
  private isVisible = false;
  /** The selected pulses the plots were last drawn with (a change from a plot's hover alone skips that plot). */
  private drawnSelection = '';

  constructor(private readonly ctx: ViewContext) {
    this.info = el('p', { className: 'dataset-info' });
    this.runSelect = el('select', { name: 'gitt-run' });
    this.runSelect.addEventListener('change', () => void this.chooseRun(this.runSelect.value));
    const runLabel = el('label', { className: 'gitt-run' }, ['GITT run ', this.runSelect]);
    this.runSelect.setAttribute('aria-label', 'GITT run');

    this.form = el('form', { className: 'cell-form gitt-form' });
    this.form.setAttribute('aria-label', 'GITT parameters');
    const fields = GITT_FORM_FIELDS.map(({ key, label }) => {
      const input = el('input', { type: 'text', name: key, inputMode: 'decimal', autocomplete: 'off' });
      this.inputs.set(key, input);
      return el('label', {}, [`${label} `, input]);
    });
    this.formNote = el('p', { className: 'gitt-form-note' });
    this.form.append(...fields, el('button', { type: 'submit', textContent: 'Save parameters' }), this.formNote);
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.saveParameters();
    });

    this.verdict = el('p', { className: 'verdict' });
    this.verdict.setAttribute('role', 'status');
    this.verdict.setAttribute('aria-label', 'GITT analysis');
    this.status = el('p', { className: 'selection-status', textContent: describePulseSelection({ pulses: [] }) });
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-label', 'Pulse selection');

    this.traceRegion = plotRegion('Voltage vs time', 'plot gitt-trace');
    this.trace = new VoltageTimePlot(this.traceRegion);
    this.trace.onZoom((range) => {
      if (this.isBound()) this.ctx.selection.setTimeRange(range, SOURCE);
    });
    this.trace.onMarkerClick((item) => this.jumpToPulse(item));

    const dRegion = plotRegion('Diffusion coefficient');
    this.diffusion = new FigurePlot(dRegion);
    const vRegion = plotRegion('Relaxed voltage');
    this.relaxed = new FigurePlot(vRegion);
    for (const [plot, hoverSource] of [
      [this.diffusion, HOVER_SOURCE.diffusion],
      [this.relaxed, HOVER_SOURCE.relaxed],
    ] as const) {
      // Specs carry the 1-based GittPulse.index; the store holds 0-based items.
      plot.onClick((index) => this.ctx.selection.toggle('pulses', index - 1, SOURCE));
      plot.onHover((index) => this.ctx.selection.hover('pulses', index === null ? null : index - 1, hoverSource));
      plot.onSelect((indices) =>
        this.ctx.selection.setItems(
          'pulses',
          indices.map((i) => i - 1),
          SOURCE,
        ),
      );
    }

    this.table = el('table', { className: 'cycles pulses' });
    this.table.setAttribute('aria-label', 'Pulses');

    this.content = el('div', { className: 'gitt-content' }, [
      this.verdict,
      this.traceRegion,
      el('div', { className: 'plot-row' }, [dRegion, vRegion]),
      this.status,
      el('div', { className: 'table-wrap' }, [this.table]),
    ]);
    this.element = el('section', { className: 'view gitt-view' }, [
      el('h2', { textContent: 'GITT' }),
      this.info,
      el('div', { className: 'gitt-controls' }, [runLabel]),
      this.form,
      this.content,
    ]);
    this.ctx.selection.subscribe((selection, source) => this.onSelection(selection, source));
  }

  async show(): Promise<void> {
    this.isVisible = true;
    const records = this.ctx.records();
    const saved = this.ctx.viewState<GittViewState>('gitt');
    const record = chooseGittRecord(records, this.ctx.current(), saved?.datasetId);
    const runs = gittRecords(records);
    const key = JSON.stringify([
      record?.id,
      record?.name,
      record?.cell ?? null,
      record?.params?.gitt ?? null,
      runs.map((r) => [r.id, r.name]),
    ]);
    if (key === this.shownKey) {
      this.syncSelection();
      return;
    }
    this.shownKey = key;
    this.fillRunSelect(runs, record);
    if (!record) {
      this.showNothing();
      return;
    }
    const isNewRun = this.shown?.record.id !== record.id;
    if (isNewRun && !this.isBoundTo(record.id)) {
      // The store's pulses belong to the run shown before (or to another dataset): start clean.
      this.ctx.selection.setItems('pulses', [], SOURCE);
      this.ctx.selection.hover('pulses', null, SOURCE);
    }
    const resolved = resolveGittParams(record);
    this.shown = { record, resolved };
    this.info.textContent = record.description ?? record.name;
    this.fillForm(resolved);
    await this.analyse(this.shown, isNewRun);
  }

  hide(): void {
    this.isVisible = false;
    this.running?.abort();
    this.running = undefined;
    // A run aborted half-way must be started again on the next show.
    if (this.shown && !this.shown.result) this.shownKey = '';
  }

  // --- Run and parameters ------------------------------------------------------------------------

  private fillRunSelect(runs: readonly DatasetRecord[], record: DatasetRecord | undefined): void {
    this.runSelect.replaceChildren(...runs.map((r) => el('option', { value: r.id, textContent: r.name, selected: r.id === record?.id })));
    this.runSelect.disabled = runs.length === 0;
  }

  private async chooseRun(id: string): Promise<void> {
    this.ctx.saveViewState('gitt', { datasetId: id } satisfies GittViewState);
    await this.ctx.open(id, 'gitt');
  }

  private fillForm(resolved: ResolvedGittParams): void {
    for (const { key } of GITT_FORM_FIELDS) {
      const value = resolved.params[key];
      this.inputs.get(key)!.value = typeof value === 'number' ? String(value) : '';
    }
    this.formNote.textContent =
      resolved.source === 'saved'
        ? 'Saved parameters.'
        : resolved.source === 'cell'
          ? "From the cell's metadata (area, active mass); In molar mass and density unless given."
          : 'D needs the amount of active material: enter the active mass (g) or n (mol), then Save parameters.';
  }

  private async saveParameters(): Promise<void> {
    const record = this.shown?.record;
    if (!record) return;
    const values: Partial<Record<GittFormKey, string>> = {};
    for (const [key, input] of this.inputs) values[key] = input.value;
    const out = gittParamsFromForm(values, record.params?.gitt ?? {});
    if ('problem' in out) {
      this.ctx.alert(out.problem);
      return;
    }
    await this.ctx.editDataset(record.id, { params: { ...record.params, gitt: { ...out.params } } }, 'GITT parameters');
  }

  // --- Analysis ----------------------------------------------------------------------------------

  private showNothing(): void {
    this.running?.abort();
    this.shown = undefined;
    this.info.textContent = 'No GITT run in the library: import one (a pulse/rest protocol is detected on import).';
    this.form.hidden = true;
    this.content.hidden = true;
    this.trace.clear();
    this.diffusion.clear();
    this.relaxed.clear();
  }

  private async analyse(shown: Shown, isNewRun: boolean): Promise<void> {
    this.form.hidden = false;
    this.content.hidden = false;
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    const { record, resolved } = shown;
    const columns = this.ctx.analyses.columns(record);
    void this.drawTrace(shown, columns, isNewRun);
    if (resolved.source === 'none') {
      this.verdict.textContent = `${record.name}: enter the amount of active material in GITT parameters to compute D.`;
      this.diffusion.clear();
      this.relaxed.clear();
      this.table.replaceChildren();
      this.traceRegion.dataset.pulses = '0';
      return;
    }
    this.verdict.textContent = 'Analysing…';
    try {
      const analysed = { ...record, params: { ...record.params, gitt: { ...resolved.params } } };
      const result = await this.ctx.analyses.run(analysed, 'gitt', { signal: controller.signal });
      if (controller.signal.aborted || this.shown !== shown) return;
      shown.result = result;
      shown.columns = await columns;
      if (this.shown !== shown) return;
      this.verdict.textContent = summarise(result, resolved);
      this.fillTable(result.pulses);
      this.syncSelection();
    } catch (error) {
      if (controller.signal.aborted || this.shown !== shown) return;
      this.shownKey = '';
      this.verdict.textContent = `The GITT analysis failed: ${error instanceof Error ? error.message : String(error)}`;
      this.diffusion.clear();
      this.relaxed.clear();
      this.table.replaceChildren();
    }
  }

  private async drawTrace(shown: Shown, columnsLoading: Promise<DatasetColumns>, isNewRun: boolean): Promise<void> {
    try {
      const columns = await columnsLoading;
      if (this.shown !== shown) return;
      const selection = this.ctx.selection.current;
      const range = this.isBoundTo(shown.record.id) ? selection.timeRangeS : null;
      await this.trace.show(
        { name: shown.record.name, timeS: columns.timeS, voltageV: columns.voltageV, colorIndex: 0 },
        { rangeS: isNewRun ? range : (this.trace.visibleRangeS ?? range), overlay: this.overlay(selection) },
      );
    } catch (error) {
      if (this.shown === shown)
        this.ctx.alert(`Could not read ${shown.record.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // --- Linking -----------------------------------------------------------------------------------

  /** True when the shown run is the open dataset, whose selection store the view writes to. */
  private isBound(): boolean {
    return this.shown !== undefined && this.isBoundTo(this.shown.record.id);
  }

  private isBoundTo(id: string): boolean {
    return this.ctx.selection.current.datasetId === id;
  }

  private onSelection(selection: Selection, source: string): void {
    if (!this.isVisible || !this.shown) return;
    if (!source.startsWith(SOURCE) && this.isBound()) void this.trace.setRange(selection.timeRangeS);
    this.syncSelection(source);
  }

  private overlay(selection: Selection): Parameters<VoltageTimePlot['setOverlay']>[0] {
    const pulses = this.shown?.result?.pulses ?? [];
    const voltage = this.shown?.columns?.voltageV;
    return {
      windows: pulseWindows(pulses, selection.pulses, selection.hoveredPulse),
      markers: voltage ? flagMarkers(pulses, voltage) : [],
      markerName: 'Flagged pulses',
    };
  }

  /** Redraws everything that shows the selection: plots' rings, trace windows, table rows, status line. */
  private syncSelection(source = ''): void {
    const selection = this.ctx.selection.current;
    this.status.textContent = describePulseSelection(selection);
    const result = this.shown?.result;
    if (!result) return;
    const options = {
      selected: selection.pulses.map(pulseIndexOfItem),
      ...(selection.hoveredPulse === null ? {} : { hovered: pulseIndexOfItem(selection.hoveredPulse) }),
    };
    const data = gittFigureData(result);
    const selected = selection.pulses.join(',');
    const isHoverOnly = selected === this.drawnSelection;
    this.drawnSelection = selected;
    if (!(isHoverOnly && source === HOVER_SOURCE.diffusion)) void this.diffusion.show(buildDiffusionSpec(data, options));
    if (!(isHoverOnly && source === HOVER_SOURCE.relaxed)) void this.relaxed.show(buildRelaxedVoltageSpec(data, options));
    this.diffusion.region.dataset.pulses = String(result.pulses.length);
    this.traceRegion.dataset.pulses = String(result.pulses.length);
    void this.trace.setOverlay(this.overlay(selection));
    markTableRows(this.table, selection.pulses, selection.hoveredPulse);
    this.traceRegion.dataset.selectedPulses = selection.pulses.map(pulseIndexOfItem).join(',');
  }

  /** A flag marker's click: select the pulse, zoom the trace to it, show its row. */
  private jumpToPulse(item: number): void {
    const pulse = this.shown?.result?.pulses[item];
    if (!pulse) return;
    const range = pulseZoomRangeS(pulse);
    this.ctx.selection.setItems('pulses', [item], SOURCE);
    void this.trace.setRange(range);
    if (this.isBound()) this.ctx.selection.setTimeRange(range, SOURCE);
    revealRow(this.table, item);
  }

  private fillTable(pulses: readonly GittPulse[]): void {
    itemTable(
      this.table,
      pulses,
      [
        { header: 'Pulse', cell: (p) => String(p.index) },
        { header: 'Start (h)', cell: (p) => fixed(p.start_s / 3600, 3) },
        { header: 'τ (s)', cell: (p) => fixed(p.tau_s, 1) },
        { header: 'ΔEs (mV)', cell: (p) => fixed(p.dEs_V * 1000, 2) },
        { header: 'ΔEt (mV)', cell: (p) => fixed(p.dEt_V * 1000, 2) },
        { header: 'D (cm² s⁻¹)', cell: (p) => scientific(p.D_cm2_s) },
        { header: 'R²', cell: (p) => fixed(p.sqrtFitR2, 4) },
        { header: 'Flags', cell: (p) => p.flags.join(', ') },
      ],
      pulseItem,
      {
        toggle: (item) => this.ctx.selection.toggle('pulses', item, SOURCE),
        hover: (item) => this.ctx.selection.hover('pulses', item, SOURCE),
      },
    );
  }
}

/** The verdict line: pulses, runs, D range and where the amount of active material came from. */
function summarise(result: GittResult, resolved: ResolvedGittParams): string {
  const d = result.pulses.map((p) => p.D_cm2_s).filter((v) => Number.isFinite(v) && v > 0);
  const flagged = result.pulses.filter((p) => p.flags.length > 0).length;
  const range = d.length > 0 ? `D ${scientific(Math.min(...d))} to ${scientific(Math.max(...d))} cm² s⁻¹` : 'no D';
  const n = result.parameters.activeMaterialMol;
  const from = resolved.source === 'cell' ? "the cell's active mass" : 'the saved parameters';
  return (
    `${result.pulses.length} pulses in ${result.runCount} run${result.runCount === 1 ? '' : 's'}, ${range}, ` +
    `${flagged} flagged; n = ${scientific(n, 3)} mol from ${from}, S = ${fixed(result.parameters.areaCm2, 3)} cm².`
  );
}
