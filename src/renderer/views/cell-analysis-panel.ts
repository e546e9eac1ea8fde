/**
 * The cycling analysis of the selected cell: its metadata (area, cell type: changing them re-runs the
 * analysis in the worker without re-reading the file), the failure verdict, the **Coulombic efficiency**
 * and **Voltage gap** plots and the **Cycles** table, linked through one selection store: a click on a
 * point or a row selects that cycle everywhere, and the status line reads "Selected cycles: …".
 */
import type { CyclingResultJson } from '@shared/analysis/analyze-cycling';
import { buildCoulombicEfficiencySpec, buildVoltageGapSpec, type CycleMetricCell } from '@shared/figures/cycle-metric-spec';
import { DEFAULT_AREA_CM2, type CellMetadata, type CellType } from '@shared/model/cell-metadata';
import type { Dataset } from '@shared/model/dataset';
import type { ComputeHost } from '../host/compute-host';
import { describeSelection, SelectionStore } from '../linking/selection-store';
import { FigurePlot } from '../plots/figure-plot';

const CELL_TYPES: readonly { value: CellType; label: string }[] = [
  { value: 'asymmetric', label: 'Li | SE | In (asymmetric)' },
  { value: 'li-in-asymmetric', label: 'Li-In | SE | In' },
  { value: 'full', label: 'Full cell (LCO | SE | In)' },
];

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function plotRegion(name: string): HTMLElement {
  const region = el('section', { className: 'plot small' });
  region.setAttribute('role', 'region');
  region.setAttribute('aria-label', name);
  return region;
}

const fixed = (v: number | null | undefined, digits: number): string =>
  typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '–';

/** One line on the cell's fate, in the study's words. */
export function describeFailure(result: CyclingResultJson): string {
  const j = fixed(result.currentDensity_mA_cm2, 2);
  const q = fixed(result.arealCapacity_mAh_cm2, 2);
  const { failure } = result;
  const fate =
    failure.class === 'stable'
      ? `stable (lifespan ≥ ${fixed(failure.lifespan_mAh_cm2, 1)} mAh cm⁻², still running)`
      : `${failure.class} at cycle ${failure.cycle ?? '–'} (lifespan ${fixed(failure.lifespan_mAh_cm2, 1)} mAh cm⁻²)`;
  return `${result.cycles.length} cycles at ${j} mA cm⁻² and ${q} mAh cm⁻² per cycle: ${fate}.`;
}

export class CellAnalysisPanel {
  readonly element: HTMLElement;
  private readonly verdict: HTMLParagraphElement;
  private readonly selectionLine: HTMLParagraphElement;
  private readonly areaInput: HTMLInputElement;
  private readonly cellTypeSelect: HTMLSelectElement;
  private readonly cePlot: FigurePlot;
  private readonly gapPlot: FigurePlot;
  private readonly table: HTMLTableElement;
  private readonly selection = new SelectionStore();
  private dataset?: Dataset;
  private result?: CyclingResultJson;
  private running?: AbortController;

  constructor(private readonly host: ComputeHost) {
    this.areaInput = el('input', { type: 'number', id: 'cell-area', min: '0.001', step: '0.001', value: String(DEFAULT_AREA_CM2) });
    this.cellTypeSelect = el(
      'select',
      { id: 'cell-type' },
      CELL_TYPES.map((t) => el('option', { value: t.value, textContent: t.label })),
    );
    for (const input of [this.areaInput, this.cellTypeSelect]) input.addEventListener('change', () => void this.analyse());
    const form = el('div', { className: 'cell-form' }, [
      el('label', { htmlFor: 'cell-area', textContent: 'Electrode area (cm²)' }),
      this.areaInput,
      el('label', { htmlFor: 'cell-type', textContent: 'Cell type' }),
      this.cellTypeSelect,
    ]);
    this.verdict = el('p', { className: 'verdict' });
    this.verdict.setAttribute('role', 'status');
    this.verdict.setAttribute('aria-label', 'Analysis');
    this.selectionLine = el('p', { className: 'selection', textContent: describeSelection(this.selection.current) });
    this.selectionLine.setAttribute('role', 'status');
    this.selectionLine.setAttribute('aria-label', 'Selection');
    const ceRegion = plotRegion('Coulombic efficiency');
    const gapRegion = plotRegion('Voltage gap');
    this.cePlot = new FigurePlot(ceRegion);
    this.gapPlot = new FigurePlot(gapRegion);
    for (const plot of [this.cePlot, this.gapPlot]) plot.onClick((cycle) => this.selection.toggleCycle(cycle, 'plot'));
    this.table = el('table', { className: 'cycles' });
    this.table.setAttribute('aria-label', 'Cycles');
    this.selection.subscribe((selection) => {
      this.selectionLine.textContent = describeSelection(selection);
      this.redraw();
    });
    this.element = el('section', { className: 'cell-analysis' }, [
      el('h3', { textContent: 'Cycling analysis' }),
      form,
      this.verdict,
      this.selectionLine,
      el('div', { className: 'plot-row' }, [ceRegion, gapRegion]),
      el('div', { className: 'table-wrap' }, [this.table]),
    ]);
    this.element.hidden = true;
  }

  /** Analyses a cycling dataset (in the worker) and shows the result. */
  async show(dataset: Dataset): Promise<void> {
    this.dataset = dataset;
    this.selection.clear('dataset');
    this.element.hidden = false;
    await this.analyse();
  }

  hide(): void {
    this.running?.abort();
    this.dataset = undefined;
    this.element.hidden = true;
  }

  private cell(): CellMetadata {
    const area = Number(this.areaInput.value);
    return { cellType: this.cellTypeSelect.value as CellType, ...(Number.isFinite(area) && area > 0 ? { areaCm2: area } : {}) };
  }

  private async analyse(): Promise<void> {
    const dataset = this.dataset;
    if (!dataset) return;
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    this.verdict.textContent = 'Analysing…';
    this.element.dataset.state = 'analysing';
    try {
      const result = await this.host.analyze({ kind: 'cycling', dataset, cell: this.cell() }, { signal: controller.signal });
      if (controller.signal.aborted || result.kind !== 'cycling') return;
      this.result = result;
      this.verdict.textContent = describeFailure(result);
      this.fillTable(result);
      this.redraw();
      this.element.dataset.state = 'ready';
    } catch (error) {
      if (controller.signal.aborted) return;
      this.result = undefined;
      this.verdict.textContent = `The analysis failed: ${error instanceof Error ? error.message : String(error)}`;
      this.element.dataset.state = 'failed';
    }
  }

  private redraw(): void {
    const result = this.result;
    if (!result) return;
    const { cycles } = this.selection.current;
    const cells: CycleMetricCell[] = [{ name: result.file, cycles: result.cycles }];
    void this.cePlot.show(buildCoulombicEfficiencySpec(cells, { selected: cycles }));
    void this.gapPlot.show(buildVoltageGapSpec(cells, { selected: cycles }));
    for (const row of this.table.tBodies[0]?.rows ?? []) {
      row.setAttribute('aria-selected', String(cycles.includes(Number(row.dataset.cycle))));
    }
  }

  private fillTable(result: CyclingResultJson): void {
    const isFull = result.cycles.length > 0 && this.cellTypeSelect.value === 'full';
    const headers = [
      'Cycle',
      isFull ? 'Charge (mAh)' : 'Plating (mAh)',
      isFull ? 'Discharge (mAh)' : 'Stripping (mAh)',
      'CE (%)',
      'Voltage gap (mV)',
      'Nucleation (mV)',
      'Accumulated (mAh cm⁻²)',
      'Flags',
    ];
    const head = el('thead', {}, [
      el(
        'tr',
        {},
        headers.map((h) => el('th', { scope: 'col', textContent: h })),
      ),
    ]);
    const body = el(
      'tbody',
      {},
      result.cycles.map((c) => {
        const row = el('tr', {}, [
          el('td', { textContent: String(c.index) }),
          el('td', { textContent: fixed(c.plateCapacity_mAh, 4) }),
          el('td', { textContent: fixed(c.stripCapacity_mAh, 4) }),
          el('td', { textContent: fixed(c.ce === null ? null : c.ce * 100, 2) }),
          el('td', { textContent: fixed(c.voltageGap_mV, 1) }),
          el('td', { textContent: fixed(c.nucleationOverpotential_mV, 1) }),
          el('td', { textContent: fixed(c.accumulatedArealCapacity_mAh_cm2, 2) }),
          el('td', { textContent: c.flags.join(', ') }),
        ]);
        row.dataset.cycle = String(c.index);
        row.tabIndex = 0;
        const toggle = () => this.selection.toggleCycle(c.index, 'table');
        row.addEventListener('click', toggle);
        row.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            toggle();
          }
        });
        return row;
      }),
    );
    this.table.replaceChildren(head, body);
  }
}
