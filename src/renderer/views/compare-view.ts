/**
 * The **Compare** view (issue 7, view 2; the study's Fig. 2d/2g): several cells overlaid, one colour per cell kept
 * across the panels **Voltage vs time** (or vs accumulated areal capacity), **Coulombic efficiency** and
 * **Voltage gap**, grouped by a metadata field (each group one hue, its cells shades of it: compare-groups.ts).
 *
 *   picked cells ("Cells to compare") -> cycling analysis + columns of each (one at a time, cached)
 *     -> group by metadata -> colours -> three panels
 *
 * Zoom: the voltage panel re-decimates the visible range from each cell's columns. Cells have their own clocks,
 * so the zoom stays in this view, except when the open dataset is among the compared cells and the x axis is
 * time: then the zoom is the open dataset's time range (ctx.selection.timeRangeS), shared with the Cell view.
 */
import type { CyclingResultJson } from '@shared/analysis/analyze-cycling';
import { decimateMonotone, type FigureSpec } from '@shared/figures/figure-spec';
import {
  COMPARE_GROUP_BY,
  type CompareCellInfo,
  type CompareGroupBy,
  defaultCompareCells,
  groupCompareCells,
  isCompareGroupBy,
} from '@shared/figures/compare-groups';
import {
  buildCompareVoltageSpec,
  type CompareVoltageCell,
  type CompareXAxis,
  halfThroughputArealCapacity,
  hoursOf,
} from '@shared/figures/compare-voltage-spec';
import { buildCoulombicEfficiencySpec, buildVoltageGapSpec, type CycleMetricCell } from '@shared/figures/cycle-metric-spec';
import { DEFAULT_AREA_CM2 } from '@shared/model/cell-metadata';
import type { Selection } from '../linking/selection-store';
import { FigurePlot, type XRange } from '../plots/figure-plot';
import type { DatasetRecord } from '../storage/library-db';
import { analysisInputKey, defaultAnalysisKind } from '../workspace/analysis-service';
import { el, plotRegion } from './dom';
import type { ViewContext, WorkspaceView } from './view-context';
import './compare-view.css';

const SECONDS_PER_HOUR = 3600;
const SOURCE = 'compare';
/** Above this many rows a cell keeps a min–max overview of its trace (this many pixel columns), not every row. */
const MAX_ROWS_KEPT = 2_000_000;
const OVERVIEW_COLUMNS = 20_000;

interface CompareViewState {
  /** The user's picked cells; absent = the default (follows the open dataset). */
  cells?: string[];
  groupBy?: CompareGroupBy;
  xAxis?: CompareXAxis;
}

/** What Compare keeps of one cell: its analysis and the two x columns of its voltage trace. */
interface LoadedCell {
  key: string;
  result: CyclingResultJson;
  hours: Float64Array;
  capacity: Float64Array;
  voltageV: Float32Array;
}

/** A cycled cell Compare can overlay (not a CCD staircase, GITT run or indentation file). */
export function isComparableCell(record: DatasetRecord): boolean {
  return record.kind === 'cycling' && defaultAnalysisKind(record) === 'cycling';
}

function shortName(name: string): string {
  return name.replace(/\.[^.]+$/, '');
}

export class CompareView implements WorkspaceView {
  readonly name = 'compare' as const;
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly groupBy: HTMLSelectElement;
  private readonly xAxis: HTMLSelectElement;
  private readonly status: HTMLParagraphElement;
  private readonly voltageRegion: HTMLElement;
  private readonly ceRegion: HTMLElement;
  private readonly gapRegion: HTMLElement;
  private readonly voltagePlot: FigurePlot;
  private readonly cePlot: FigurePlot;
  private readonly gapPlot: FigurePlot;
  private readonly loaded = new Map<string, LoadedCell>();
  private picked?: string[];
  private shownKey?: string;
  private loadingKey?: string;
  /** Zoom of the voltage panel in its axis units; null = everything. */
  private range: readonly [number, number] | null = null;
  private drawn: { record: DatasetRecord; cell: LoadedCell; colour: string; group: string }[] = [];
  private unsubscribe?: () => void;
  private isRestored = false;

  constructor(private readonly ctx: ViewContext) {
    this.list = el('ul', { className: 'compare-cells' });
    this.list.setAttribute('aria-label', 'Cells to compare');
    this.groupBy = el(
      'select',
      { id: 'compare-group-by' },
      COMPARE_GROUP_BY.map((g) => el('option', { value: g.value, textContent: g.label })),
    );
    this.xAxis = el('select', { id: 'compare-x-axis' }, [
      el('option', { value: 'time', textContent: 'Time' }),
      el('option', { value: 'accumulated-capacity', textContent: 'Accumulated areal capacity' }),
    ]);
    this.groupBy.addEventListener('change', () => {
      this.save();
      this.redraw();
    });
    this.xAxis.addEventListener('change', () => {
      this.range = null;
      this.save();
      this.redraw();
    });
    this.status = el('p', { className: 'compare-status' });
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-label', 'Compare');
    this.voltageRegion = plotRegion('Voltage vs time', 'plot compare-voltage');
    this.ceRegion = plotRegion('Coulombic efficiency');
    this.gapRegion = plotRegion('Voltage gap');
    this.voltagePlot = new FigurePlot(this.voltageRegion).onZoom((range) => this.zoomed(range));
    this.cePlot = new FigurePlot(this.ceRegion);
    this.gapPlot = new FigurePlot(this.gapRegion);
    this.element = el('section', { className: 'view compare-view' }, [
      el('h2', { textContent: 'Compare cells' }),
      el('div', { className: 'compare-layout' }, [
        el('div', { className: 'compare-side' }, [
          el('h3', { textContent: 'Cells to compare' }),
          this.list,
          el('button', { type: 'button', textContent: 'Default cells', className: 'compare-default' }),
        ]),
        el('div', { className: 'compare-main' }, [
          el('div', { className: 'compare-controls' }, [
            el('label', { htmlFor: 'compare-group-by', textContent: 'Group by' }),
            this.groupBy,
            el('label', { htmlFor: 'compare-x-axis', textContent: 'X axis' }),
            this.xAxis,
          ]),
          this.status,
          this.voltageRegion,
          el('div', { className: 'plot-row' }, [this.ceRegion, this.gapRegion]),
        ]),
      ]),
    ]);
    this.element.querySelector('.compare-default')!.addEventListener('click', () => {
      this.picked = undefined;
      this.save();
      void this.show();
    });
    this.element.dataset.state = 'empty';
  }

  async show(): Promise<void> {
    if (!this.isRestored) {
      // The shell restores saved view states after building the views: read ours on first show.
      this.isRestored = true;
      const saved = this.ctx.viewState<CompareViewState>('compare');
      if (saved?.cells) this.picked = [...saved.cells];
      if (isCompareGroupBy(saved?.groupBy)) this.groupBy.value = saved.groupBy;
      if (saved?.xAxis === 'accumulated-capacity') this.xAxis.value = 'accumulated-capacity';
    }
    this.unsubscribe ??= this.ctx.selection.subscribe((selection, source) => this.onSelection(selection, source));
    const candidates = this.ctx.records().filter(isComparableCell);
    const ids = this.chosenIds(candidates);
    this.fillList(candidates, ids);
    const chosen = ids.map((id) => candidates.find((r) => r.id === id)!).filter(Boolean);
    const key = chosen.map((r) => `${r.id}|${r.name}|${analysisInputKey(r, 'cycling')}`).join('\n') + `\n@${this.ctx.current()?.id ?? ''}`;
    if (key === this.shownKey || key === this.loadingKey) return;
    this.loadingKey = key;
    if (chosen.length === 0) {
      this.finish(key, [], []);
      this.status.textContent = candidates.length === 0 ? 'No cycled cells in the library to compare.' : 'Pick cells to compare.';
      return;
    }
    this.element.dataset.state = 'loading';
    const ready: { record: DatasetRecord; cell: LoadedCell }[] = [];
    const failed: string[] = [];
    for (const [k, record] of chosen.entries()) {
      if (this.loadingKey !== key) return;
      this.status.textContent = `Loading ${k + 1} of ${chosen.length} cells`;
      try {
        ready.push({ record, cell: await this.load(record) });
      } catch {
        failed.push(record.name);
      }
    }
    if (this.loadingKey !== key) return;
    // Forget cells no longer compared (their columns can be large).
    for (const id of [...this.loaded.keys()]) if (!ids.includes(id)) this.loaded.delete(id);
    this.finish(key, ready, failed);
  }

  hide(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** The user's picked cells that still exist, else the default cells of the open dataset. */
  private chosenIds(candidates: readonly DatasetRecord[]): string[] {
    if (this.picked) return this.picked.filter((id) => candidates.some((r) => r.id === id));
    return defaultCompareCells(candidates, this.ctx.current()?.id);
  }

  private save(): void {
    this.ctx.saveViewState('compare', {
      ...(this.picked ? { cells: this.picked } : {}),
      groupBy: this.groupBy.value as CompareGroupBy,
      xAxis: this.xAxis.value as CompareXAxis,
    } satisfies CompareViewState);
  }

  private fillList(candidates: readonly DatasetRecord[], ids: readonly string[]): void {
    const wanted = candidates.map((r) => `${r.id}\u0000${r.name}`).join('\u0001');
    if (this.list.dataset.options !== wanted) {
      this.list.replaceChildren(
        ...candidates.map((r) => {
          const box = el('input', { type: 'checkbox', value: r.id, id: `compare-cell-${r.id}` });
          box.addEventListener('change', () => this.toggle(r.id, box.checked));
          const swatch = el('span', { className: 'compare-swatch' });
          swatch.setAttribute('aria-hidden', 'true');
          return el('li', {}, [box, swatch, el('label', { htmlFor: box.id, textContent: r.name })]);
        }),
      );
      this.list.dataset.options = wanted;
    }
    for (const box of this.list.querySelectorAll<HTMLInputElement>('input[type=checkbox]')) box.checked = ids.includes(box.value);
  }

  private toggle(id: string, isChecked: boolean): void {
    const candidates = this.ctx.records().filter(isComparableCell);
    const now = this.chosenIds(candidates);
    const next = isChecked ? [...now.filter((x) => x !== id), id] : now.filter((x) => x !== id);
    // Library order, so colours do not depend on the order of clicks.
    this.picked = candidates.filter((r) => next.includes(r.id)).map((r) => r.id);
    this.save();
    void this.show();
  }

  private async load(record: DatasetRecord): Promise<LoadedCell> {
    const key = analysisInputKey(record, 'cycling');
    const kept = this.loaded.get(record.id);
    if (kept?.key === key) return kept;
    const [result, columns] = await Promise.all([this.ctx.analyses.run(record, 'cycling'), this.ctx.analyses.columns(record)]);
    const area = result.area_cm2 > 0 ? result.area_cm2 : (record.cell?.areaCm2 ?? DEFAULT_AREA_CM2);
    const fullCapacity = halfThroughputArealCapacity(columns.timeS, columns.currentMA, area);
    let timeS: ArrayLike<number> = columns.timeS;
    let voltageV = columns.voltageV;
    let capacity = fullCapacity;
    if (columns.timeS.length > MAX_ROWS_KEPT) {
      const rows = decimateMonotone(columns.timeS, columns.voltageV, OVERVIEW_COLUMNS);
      timeS = Float64Array.from(rows, (r) => columns.timeS[r]);
      voltageV = Float32Array.from(rows, (r) => columns.voltageV[r]);
      capacity = Float64Array.from(rows, (r) => fullCapacity[r]);
    }
    const cell: LoadedCell = { key, result, hours: hoursOf(timeS), capacity, voltageV };
    this.loaded.set(record.id, cell);
    return cell;
  }

  private finish(key: string, ready: { record: DatasetRecord; cell: LoadedCell }[], failed: readonly string[]): void {
    this.loadingKey = undefined;
    this.shownKey = key;
    this.drawn = ready.map((r) => ({ ...r, colour: '', group: '' }));
    this.element.dataset.failed = failed.join(' | ');
    // A zoom shared with the open dataset's time plots starts where the Cell view left it.
    const linked = this.linkedRangeH();
    this.range = linked === undefined ? null : linked;
    this.redraw();
    if (failed.length > 0) this.ctx.notice(`Compare could not analyse: ${failed.join(', ')}.`);
  }

  private experimentName(record: DatasetRecord): string | undefined {
    return record.experimentId === null ? undefined : this.ctx.experiments().find((e) => e.id === record.experimentId)?.name;
  }

  private redraw(): void {
    const by = this.groupBy.value as CompareGroupBy;
    const xAxis = this.xAxis.value as CompareXAxis;
    if (this.drawn.length === 0) {
      for (const plot of [this.voltagePlot, this.cePlot, this.gapPlot]) plot.clear();
      this.element.dataset.state = 'empty';
      this.paintSwatches(new Map());
      return;
    }
    const infos: CompareCellInfo[] = this.drawn.map(({ record, cell }) => ({
      id: record.id,
      name: record.name,
      ...(record.cell ? { cell: record.cell } : {}),
      detectedCurrentDensityMACm2: cell.result.detectedCurrentDensity_mA_cm2,
      detectedArealCapacityMAhCm2: cell.result.detectedArealCapacity_mAh_cm2,
      ...(this.experimentName(record) ? { experiment: this.experimentName(record) } : {}),
    }));
    const groups = groupCompareCells(infos, by);
    const colourOf = new Map<string, { colour: string; group: string }>();
    for (const g of groups) for (const c of g.cells) colourOf.set(c.id, { colour: c.colour, group: g.label });
    // Draw in group order, so each group's cells sit together in the legend.
    const order = groups.flatMap((g) => g.cells.map((c) => c.id));
    this.drawn = order.map((id) => {
      const d = this.drawn.find((x) => x.record.id === id)!;
      return { ...d, ...colourOf.get(id)! };
    });
    this.paintSwatches(colourOf);
    const width = (region: HTMLElement) => Math.max(320, Math.round(region.clientWidth || 640));
    const voltageCells: CompareVoltageCell[] = this.drawn.map(({ record, cell, colour, group }) => ({
      name: shortName(record.name),
      colour,
      ...(group ? { legendGroup: group } : {}),
      x: xAxis === 'time' ? cell.hours : cell.capacity,
      voltageV: cell.voltageV,
    }));
    void this.voltagePlot.show(
      buildCompareVoltageSpec(voltageCells, { xAxis, range: this.range, width: width(this.voltageRegion), height: 420 }),
    );
    const metricCells: CycleMetricCell[] = this.drawn.map(({ record, cell, colour, group }) => ({
      name: shortName(record.name),
      colour,
      ...(group ? { legendGroup: group } : {}),
      cycles: cell.result.cycles,
    }));
    const metricAxis = xAxis === 'time' ? 'cycle' : 'accumulated-capacity';
    // The voltage panel's legend (and the swatches of the list) name the colours: the small panels keep their room.
    const withoutLegend = (spec: FigureSpec): FigureSpec => ({ ...spec, layout: { ...spec.layout, showlegend: false } });
    void this.cePlot.show(withoutLegend(buildCoulombicEfficiencySpec(metricCells, { xAxis: metricAxis, width: width(this.ceRegion) })));
    void this.gapPlot.show(withoutLegend(buildVoltageGapSpec(metricCells, { xAxis: metricAxis, width: width(this.gapRegion) })));
    this.voltageRegion.dataset.colours = this.drawn.map((d) => d.colour).join(' ');
    this.voltageRegion.dataset.cells = this.drawn.map((d) => d.record.name).join(' | ');
    this.voltageRegion.dataset.range = this.range ? this.range.map((v) => v.toFixed(3)).join(',') : 'all';
    const groupName = COMPARE_GROUP_BY.find((g) => g.value === by)?.label.toLowerCase();
    this.status.textContent =
      `Comparing ${this.drawn.length} cell${this.drawn.length === 1 ? '' : 's'}` +
      (by === 'none'
        ? ''
        : ` in ${groups.length} group${groups.length === 1 ? '' : 's'} by ${groupName}: ${groups.map((g) => g.label).join('; ')}`);
    this.element.dataset.state = 'ready';
  }

  private paintSwatches(colourOf: ReadonlyMap<string, { colour: string }>): void {
    for (const li of this.list.children) {
      const box = li.querySelector('input');
      const swatch = li.querySelector<HTMLElement>('.compare-swatch');
      if (!box || !swatch) continue;
      const colour = colourOf.get(box.value)?.colour;
      swatch.style.background = colour ?? 'transparent';
      swatch.dataset.colour = colour ?? '';
    }
  }

  /** The open dataset's time range in hours when it is compared on a time axis; undefined = not linked. */
  private linkedRangeH(): readonly [number, number] | null | undefined {
    const open = this.ctx.current();
    if (this.xAxis.value !== 'time' || !open || !this.drawn.some((d) => d.record.id === open.id)) return undefined;
    const r = this.ctx.selection.current.datasetId === open.id ? this.ctx.selection.current.timeRangeS : null;
    return r ? [r[0] / SECONDS_PER_HOUR, r[1] / SECONDS_PER_HOUR] : null;
  }

  private zoomed(range: XRange): void {
    this.range = range ? [range[0], range[1]] : null;
    this.redraw();
    if (this.linkedRangeH() !== undefined)
      this.ctx.selection.setTimeRange(range ? [range[0] * SECONDS_PER_HOUR, range[1] * SECONDS_PER_HOUR] : null, SOURCE);
  }

  private onSelection(selection: Selection, source: string): void {
    if (source === SOURCE || this.drawn.length === 0) return;
    const linked = this.linkedRangeH();
    if (linked === undefined) return;
    const same = linked === null ? this.range === null : this.range !== null && this.range[0] === linked[0] && this.range[1] === linked[1];
    if (same || selection.datasetId !== this.ctx.current()?.id) return;
    this.range = linked;
    this.redraw();
  }
}
