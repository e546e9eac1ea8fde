/**
 * The **CCD** view (issue 7, view 4): a critical-current-density staircase with each step's verdict and the CCD.
 *
 *   CCD dataset (the open one, else the chosen one) -> ccd analysis (steps, CCD) + cycling analysis (cycle timing)
 *     -> region **CCD** (ccd-spec: trace, step spans shaded by verdict) + status line + table **Steps**
 *
 * Clicking a step (in the plot or the table) selects it and zooms the trace to it; clicking it again, or
 * **Show whole test**, zooms back out. The zoom re-decimates the visible rows from the full columns. The zoom
 * stays in this view: the staircase's steps are not cycles of the selection store.
 */
import type { CcdResultJson, CyclingResultJson } from '@shared/analysis/analyze-cycling';
import { lowerBound, upperBound } from '@shared/analysis/decimate';
import { buildCcdSpec, ccdStepSpans, type CcdStepSpan } from '@shared/figures/ccd-spec';
import type { DatasetColumns } from '@shared/model/dataset';
import { FigurePlot } from '../plots/figure-plot';
import type { DatasetRecord } from '../storage/library-db';
import { analysisInputKey } from '../workspace/analysis-service';
import { describeCcd } from './ccd-model';
import { el, fixed, itemTable, markTableRows, plotRegion } from './dom';
import type { ViewContext, WorkspaceView } from './view-context';
import './ccd-view.css';

const SECONDS_PER_HOUR = 3600;

interface CcdViewState {
  datasetId?: string;
}

interface Shown {
  key: string;
  record: DatasetRecord;
  columns: DatasetColumns;
  ccd: CcdResultJson;
  cycling: CyclingResultJson;
  spans: CcdStepSpan[];
}

function isCcd(record: DatasetRecord): boolean {
  return record.kind === 'cycling' && record.meta.analysisKind === 'ccd';
}

export class CcdView implements WorkspaceView {
  readonly name = 'ccd' as const;
  readonly element: HTMLElement;
  private readonly picker: HTMLSelectElement;
  private readonly status: HTMLParagraphElement;
  private readonly region: HTMLElement;
  private readonly plot: FigurePlot;
  private readonly table: HTMLTableElement;
  private readonly resetButton: HTMLButtonElement;
  private shown?: Shown;
  private loadingKey?: string;
  private chosenId?: string;
  private isRestored = false;
  private selectedStep: number | null = null;
  private hoveredStep: number | null = null;
  /** Visible time range, s; null = the whole test. */
  private rangeS: readonly [number, number] | null = null;

  constructor(private readonly ctx: ViewContext) {
    this.picker = el('select', { id: 'ccd-test' });
    this.picker.addEventListener('change', () => {
      this.chosenId = this.picker.value;
      this.ctx.saveViewState('ccd', { datasetId: this.chosenId } satisfies CcdViewState);
      void this.show();
    });
    this.resetButton = el('button', { type: 'button', textContent: 'Show whole test', disabled: true });
    this.resetButton.addEventListener('click', () => this.zoomTo(null));
    this.status = el('p', { className: 'verdict ccd-status' });
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-label', 'CCD result');
    this.region = plotRegion('CCD', 'plot ccd-plot');
    this.plot = new FigurePlot(this.region)
      .onClick((step) => this.toggleStep(step))
      .onZoom((rangeH) => {
        this.rangeS = rangeH ? [rangeH[0] * SECONDS_PER_HOUR, rangeH[1] * SECONDS_PER_HOUR] : null;
        this.resetButton.disabled = this.rangeS === null;
        this.redraw();
      });
    this.table = el('table', { className: 'cycles ccd-steps' });
    this.table.setAttribute('aria-label', 'Steps');
    this.element = el('section', { className: 'view ccd-view' }, [
      el('h2', { textContent: 'Critical current density' }),
      el('div', { className: 'ccd-controls' }, [
        el('label', { htmlFor: 'ccd-test', textContent: 'CCD test' }),
        this.picker,
        this.resetButton,
      ]),
      this.status,
      this.region,
      el('div', { className: 'table-wrap' }, [this.table]),
    ]);
    this.element.dataset.state = 'empty';
  }

  /** The dataset shown: the open one if it is a CCD test, else the user's last choice, else the library's first. */
  private target(tests: readonly DatasetRecord[]): DatasetRecord | undefined {
    const current = this.ctx.current();
    if (current && isCcd(current)) return current;
    return tests.find((r) => r.id === this.chosenId) ?? tests[0];
  }

  async show(): Promise<void> {
    if (!this.isRestored) {
      // The shell restores saved view states after building the views: read ours on first show.
      this.isRestored = true;
      this.chosenId ??= this.ctx.viewState<CcdViewState>('ccd')?.datasetId;
    }
    const tests = this.ctx.records().filter(isCcd);
    const record = this.target(tests);
    this.fillPicker(tests, record);
    if (!record) {
      this.shown = undefined;
      this.loadingKey = undefined;
      this.plot.clear();
      this.table.replaceChildren();
      this.status.textContent = 'No CCD test in the library: import a staircase of increasing current densities.';
      this.element.dataset.state = 'empty';
      return;
    }
    const key = `${record.id}|${analysisInputKey(record, 'ccd')}|${analysisInputKey(record, 'cycling')}`;
    if (this.shown?.key === key || this.loadingKey === key) return;
    this.loadingKey = key;
    this.element.dataset.state = 'analysing';
    this.status.textContent = `Analysing ${record.name}…`;
    try {
      const [ccd, cycling, columns] = await Promise.all([
        this.ctx.analyses.run(record, 'ccd'),
        this.ctx.analyses.run(record, 'cycling'),
        this.ctx.analyses.columns(record),
      ]);
      if (this.loadingKey !== key) return;
      this.loadingKey = undefined;
      const spans = ccdStepSpans({ ccd, cycles: cycling.cycles });
      this.shown = { key, record, columns, ccd, cycling, spans };
      this.selectedStep = null;
      this.hoveredStep = null;
      this.rangeS = null;
      this.resetButton.disabled = true;
      this.status.textContent = describeCcd(ccd);
      this.fillTable();
      this.redraw();
      this.element.dataset.state = 'ready';
    } catch (error) {
      if (this.loadingKey !== key) return;
      this.loadingKey = undefined;
      this.shown = undefined;
      this.plot.clear();
      this.status.textContent = `The CCD analysis of ${record.name} failed: ${error instanceof Error ? error.message : String(error)}`;
      this.element.dataset.state = 'failed';
    }
  }

  hide(): void {
    this.hoveredStep = null;
  }

  private fillPicker(tests: readonly DatasetRecord[], record: DatasetRecord | undefined): void {
    const wanted = tests.map((r) => `${r.id}\u0000${r.name}`).join('\u0001');
    if (this.picker.dataset.options !== wanted) {
      this.picker.replaceChildren(...tests.map((r) => el('option', { value: r.id, textContent: r.name })));
      this.picker.dataset.options = wanted;
    }
    this.picker.disabled = tests.length === 0;
    if (record) this.picker.value = record.id;
  }

  private fillTable(): void {
    const shown = this.shown;
    if (!shown) return;
    const rows = shown.ccd.steps.map((s, step) => ({ s, step }));
    itemTable(
      this.table,
      rows,
      [
        { header: 'Step', cell: (r) => String(r.step + 1) },
        { header: 'Current density (mA cm⁻²)', cell: (r) => fixed(r.s.currentDensity_mA_cm2, 2) },
        { header: 'Cycles', cell: (r) => (r.s.cycles.length === 0 ? '–' : `${r.s.cycles[0]}–${r.s.cycles[r.s.cycles.length - 1]}`) },
        {
          header: 'Verdict',
          cell: (r) =>
            r.s.shorted
              ? `shorted (${r.s.evidence[0]?.class ?? 'short'}${r.s.evidence[0] ? `, cycle ${r.s.evidence[0].cycle}` : ''})`
              : 'passed',
        },
      ],
      (r) => r.step,
      { toggle: (step) => this.toggleStep(step), hover: (step) => this.hover(step) },
    );
    for (const row of this.table.tBodies[0]?.rows ?? []) {
      const step = shown.ccd.steps[Number(row.dataset.item)];
      row.dataset.verdict = step?.shorted ? 'shorted' : 'passed';
    }
  }

  /** Selects a step and zooms to it; the selected step again zooms back out. */
  private toggleStep(step: number): void {
    const shown = this.shown;
    if (!shown || step < 0) return;
    if (this.selectedStep === step) {
      this.selectedStep = null;
      this.zoomTo(null);
      return;
    }
    this.selectedStep = step;
    const span = shown.spans.find((s) => s.step === step);
    if (span) {
      const pad = 0.05 * (span.endS - span.startS);
      this.zoomTo([span.startS - pad, span.endS + pad]);
    } else this.redraw();
  }

  private zoomTo(rangeS: readonly [number, number] | null): void {
    this.rangeS = rangeS;
    this.resetButton.disabled = rangeS === null;
    if (rangeS === null) this.selectedStep = null;
    this.redraw();
  }

  private hover(step: number | null): void {
    const next = step !== null && step >= 0 ? step : null;
    if (next === this.hoveredStep) return;
    this.hoveredStep = next;
    this.redraw();
  }

  private redraw(): void {
    const shown = this.shown;
    if (!shown) return;
    const { timeS, voltageV } = shown.columns;
    let rows = { timeS: timeS as ArrayLike<number>, voltageV: voltageV as ArrayLike<number> };
    if (this.rangeS) {
      // The visible rows only (plus one each side), so the zoomed trace is decimated at full resolution.
      const start = Math.max(0, lowerBound(timeS, this.rangeS[0]) - 1);
      const end = Math.min(timeS.length, upperBound(timeS, this.rangeS[1]) + 1);
      rows = { timeS: timeS.subarray(start, end), voltageV: voltageV.subarray(start, end) };
    }
    const width = Math.max(320, Math.round(this.region.clientWidth || 800));
    const spec = buildCcdSpec(
      { timeS: rows.timeS, voltageV: rows.voltageV, ccd: shown.ccd, cycles: shown.cycling.cycles },
      {
        width,
        height: 420,
        ...(this.selectedStep !== null ? { selected: [this.selectedStep] } : {}),
        ...(this.hoveredStep !== null ? { hovered: this.hoveredStep } : {}),
      },
    );
    if (this.rangeS) {
      spec.layout.xaxis = {
        ...spec.layout.xaxis,
        range: [this.rangeS[0] / SECONDS_PER_HOUR, this.rangeS[1] / SECONDS_PER_HOUR],
        autorange: false,
      };
    }
    spec.layout.uirevision = `ccd:${shown.key}:${this.rangeS?.join(',') ?? 'all'}`;
    this.region.dataset.range = this.rangeS ? this.rangeS.map((t) => t.toFixed(1)).join(',') : 'all';
    this.region.dataset.dataset = shown.record.name;
    void this.plot.show(spec);
    markTableRows(this.table, this.selectedStep === null ? [] : [this.selectedStep], this.hoveredStep);
  }
}
