/**
 * The **Indentation** view: load–displacement curves of the chosen nanoindentation files with their
 * Oliver–Pharr unloading fits, the **Indents** table (one row per curve) and the **Per-sample means**.
 *
 *   files (open indentation dataset + "Indentation files" ticks, saved as view state)
 *   -> per file: curves (IndexedDB) + analysis (worker, cached) -> numbered indents (indentation-model.ts)
 *   -> plot + table + means, linked through the selection store's indents / hoveredIndent
 *
 * Indents are numbered through the shown files in library order, curves in file order (0-based in the
 * store, 1-based on screen; see indentation-model.ts). Curves of one sample share a colour.
 */
import './indentation-view.css';
import { type IndentationResult, summariseBySample, type UnloadResult } from '@shared/analysis/indentation';
import { buildLoadDisplacementSpec, type LoadDisplacementCurve } from '@shared/figures/load-displacement-spec';
import type { IndentationDataset } from '@shared/model/indentation';
import { describeIndentSelection, type Selection } from '../linking/selection-store';
import { FigurePlot } from '../plots/figure-plot';
import type { DatasetRecord } from '../storage/library-db';
import { el, fixed, itemTable, markTableRows, plotRegion, revealRow } from './dom';
import {
  indentationRecords,
  type IndentationViewState,
  type IndentItem,
  indentRows,
  type IndentRow,
  isIndentationViewState,
  numberIndents,
  shownIndentationRecords,
} from './indentation-model';
import type { ViewContext, WorkspaceView } from './view-context';

const SOURCE = 'indentation';
/** Hover clauses from the plot name it, so the plot is not redrawn under the pointer (a redraw drops Plotly's hover, and the click that follows). */
const PLOT_HOVER_SOURCE = 'indentation:plot';

interface FileData {
  dataset: IndentationDataset;
  result: IndentationResult;
  /** The parameters the result was computed with (record.params.indentation as JSON). */
  paramsKey: string;
}

const paramsKeyOf = (record: DatasetRecord): string => JSON.stringify(record.params?.indentation ?? null);

export class IndentationView implements WorkspaceView {
  readonly name = 'indentation' as const;
  readonly element: HTMLElement;
  private readonly info: HTMLParagraphElement;
  private readonly fileList: HTMLUListElement;
  private readonly verdict: HTMLParagraphElement;
  private readonly status: HTMLParagraphElement;
  private readonly region: HTMLElement;
  private readonly plot: FigurePlot;
  private readonly table: HTMLTableElement;
  private readonly means: HTMLTableElement;
  private readonly content: HTMLElement;
  private files: DatasetRecord[] = [];
  private items: IndentItem[] = [];
  private rows: IndentRow[] = [];
  private readonly data = new Map<string, FileData>();
  private shownKey = '';
  private running?: AbortController;
  private isVisible = false;
  /** The selected indents the plot was last drawn with (a change from the plot's own hover alone skips it). */
  private drawnSelection = '';
  private state?: IndentationViewState;
  private isStateRead = false;

  constructor(private readonly ctx: ViewContext) {
    this.info = el('p', { className: 'dataset-info' });
    this.fileList = el('ul', { className: 'indentation-files' });
    this.fileList.setAttribute('aria-label', 'Indentation files');
    const selectAll = el('button', { type: 'button', textContent: 'Select all' });
    selectAll.addEventListener('click', () => this.tick(indentationRecords(this.ctx.records()).map((r) => r.id)));
    const clear = el('button', { type: 'button', textContent: 'Only the open file' });
    clear.addEventListener('click', () => this.tick([]));
    const picker = el('details', { className: 'indentation-picker', open: true }, [
      el('summary', { textContent: 'Indentation files' }),
      el('div', { className: 'indentation-picker-actions' }, [selectAll, clear]),
      this.fileList,
    ]);

    this.verdict = el('p', { className: 'verdict' });
    this.verdict.setAttribute('role', 'status');
    this.verdict.setAttribute('aria-label', 'Indentation analysis');
    this.status = el('p', { className: 'selection-status', textContent: describeIndentSelection({ indents: [] }) });
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-label', 'Indent selection');

    this.region = plotRegion('Load vs displacement', 'plot indentation-curves');
    this.plot = new FigurePlot(this.region);
    this.plot.onClick((item) => this.ctx.selection.toggle('indents', item, SOURCE));
    this.plot.onHover((item) => this.ctx.selection.hover('indents', item, PLOT_HOVER_SOURCE));
    this.plot.onSelect((items) => this.ctx.selection.setItems('indents', items, SOURCE));

    this.table = el('table', { className: 'cycles indents' });
    this.table.setAttribute('aria-label', 'Indents');
    this.means = el('table', { className: 'cycles sample-means' });
    this.means.setAttribute('aria-label', 'Per-sample means');

    this.content = el('div', { className: 'indentation-content' }, [
      this.verdict,
      this.region,
      this.status,
      el('div', { className: 'table-wrap' }, [this.table]),
      el('h3', { textContent: 'Per-sample means' }),
      el('div', { className: 'table-wrap' }, [this.means]),
    ]);
    this.element = el('section', { className: 'view indentation-view' }, [
      el('h2', { textContent: 'Indentation' }),
      this.info,
      picker,
      this.content,
    ]);
    this.ctx.selection.subscribe((selection, source) => this.onSelection(selection, source));
  }

  async show(): Promise<void> {
    this.isVisible = true;
    const records = this.ctx.records();
    const current = this.ctx.current();
    const state = this.savedState();
    const all = indentationRecords(records);
    const files = shownIndentationRecords(records, current, state);
    const key = JSON.stringify([
      current?.kind === 'indentation' ? current.id : null,
      all.map((r) => [r.id, r.name]),
      files.map((r) => [r.id, r.params?.indentation ?? null]),
    ]);
    if (key === this.shownKey) {
      this.syncSelection();
      return;
    }
    const isNewSet = files.map((f) => f.id).join('|') !== this.files.map((f) => f.id).join('|');
    this.shownKey = key;
    this.files = files;
    this.fillFileList(all, files, current);
    if (files.length === 0) {
      this.info.textContent = 'No nanoindentation file in the library: import one (Hysitron, Agilent/KLA workbooks, FischerScope …).';
      this.content.hidden = true;
      this.plot.clear();
      return;
    }
    this.content.hidden = false;
    if (isNewSet) {
      // Indent numbers run through the shown files: another set renumbers them.
      this.ctx.selection.setItems('indents', [], SOURCE);
      this.ctx.selection.hover('indents', null, SOURCE);
    }
    this.items = numberIndents(files);
    this.info.textContent =
      files.length === 1
        ? (files[0].description ?? files[0].name)
        : `${files.length} files, ${this.items.length} indents; tick files below to add or remove them.`;
    await this.analyse(files);
  }

  hide(): void {
    this.isVisible = false;
    this.running?.abort();
    this.running = undefined;
    if (this.files.some((f) => this.data.get(f.id)?.paramsKey !== paramsKeyOf(f))) this.shownKey = '';
  }

  // --- Files -------------------------------------------------------------------------------------

  /** The ticked files: read once from the saved view state, then kept here (saving is debounced). */
  private savedState(): IndentationViewState | undefined {
    if (!this.isStateRead) {
      const state = this.ctx.viewState<unknown>('indentation');
      this.state = isIndentationViewState(state) ? state : undefined;
      this.isStateRead = true;
    }
    return this.state;
  }

  private fillFileList(all: readonly DatasetRecord[], shown: readonly DatasetRecord[], current: DatasetRecord | undefined): void {
    const shownIds = new Set(shown.map((r) => r.id));
    this.fileList.replaceChildren(
      ...all.map((r) => {
        const box = el('input', { type: 'checkbox', value: r.id, checked: shownIds.has(r.id) });
        const isOpen = current?.id === r.id;
        // The open file is always shown: it is what the user opened this view for.
        box.disabled = isOpen;
        box.addEventListener('change', () => this.tick(this.tickedIds()));
        return el('li', {}, [el('label', {}, [box, ` ${r.name}${isOpen ? ' (open)' : ''}`])]);
      }),
    );
  }

  private tickedIds(): string[] {
    return [...this.fileList.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')].filter((b) => b.checked).map((b) => b.value);
  }

  private tick(ids: readonly string[]): void {
    this.state = { datasetIds: [...ids] };
    this.isStateRead = true;
    this.ctx.saveViewState('indentation', this.state);
    void this.show();
  }

  // --- Analysis ----------------------------------------------------------------------------------

  private async analyse(files: readonly DatasetRecord[]): Promise<void> {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    const missing = files.filter((f) => this.data.get(f.id)?.paramsKey !== paramsKeyOf(f));
    this.verdict.textContent = `Analysing ${files.length} file${files.length === 1 ? '' : 's'}…`;
    const failures: string[] = [];
    await Promise.all(
      missing.map(async (record) => {
        try {
          const [dataset, result] = await Promise.all([
            this.ctx.analyses.indentationDataset(record),
            this.ctx.analyses.run(record, 'indentation', { signal: controller.signal }),
          ]);
          this.data.set(record.id, { dataset, result, paramsKey: paramsKeyOf(record) });
        } catch (error) {
          if (!controller.signal.aborted) failures.push(`${record.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
    if (controller.signal.aborted || files !== this.files) return;
    const results = new Map<string, IndentationResult>();
    for (const f of files) {
      const d = this.data.get(f.id);
      if (d) results.set(f.id, d.result);
    }
    this.rows = indentRows(this.items, results);
    const analysed = this.rows.filter((r) => r.result).length;
    this.verdict.textContent =
      `${analysed} of ${this.rows.length} indents analysed (Oliver–Pharr, ${describeParameters(results)}).` +
      (failures.length > 0 ? ` Failed: ${failures.join('; ')}` : '');
    this.fillTable();
    this.fillMeans();
    this.syncSelection();
  }

  // --- Linking -----------------------------------------------------------------------------------

  private onSelection(selection: Selection, source: string): void {
    if (!this.isVisible) return;
    this.syncSelection(source);
    if (!source.startsWith(SOURCE) && selection.indents.length > 0) revealRow(this.table, selection.indents[selection.indents.length - 1]);
  }

  private syncSelection(source = ''): void {
    const selection = this.ctx.selection.current;
    this.status.textContent = describeIndentSelection(selection);
    if (this.rows.length === 0) return;
    const samples = [...new Set(this.items.map((i) => i.sample))];
    const curves: LoadDisplacementCurve[] = [];
    for (const row of this.rows) {
      const d = this.data.get(row.indent.datasetId);
      const curve = d?.dataset.curves[row.indent.curve];
      if (!d || !curve || !row.result) continue;
      curves.push({
        name: `${row.indent.item + 1}: ${row.indent.site}`,
        item: row.indent.item,
        colourIndex: samples.indexOf(row.indent.sample),
        depthNm: curve.depthNm,
        loadMN: curve.loadMN,
        surfaceDepthNm: row.result.surfaceDepthNm,
        unloads: row.result.unloads,
      });
    }
    const selected = selection.indents.join(',');
    const isHoverOnly = selected === this.drawnSelection;
    this.drawnSelection = selected;
    if (isHoverOnly && source === PLOT_HOVER_SOURCE) {
      markTableRows(this.table, selection.indents, selection.hoveredIndent);
      return;
    }
    // Drawn in the first file's depth frame (its tip's frame compliance): files analysed with different
    // tips (a user's per-file parameters) would sit off their fits by C_f·P.
    const first = this.data.get(this.rows[0].indent.datasetId)?.result.parameters;
    if (!first) return;
    void this.plot.show(
      buildLoadDisplacementSpec(
        { curves, fitRange: first.fitRange, frameComplianceNmPerMN: first.tip.frameComplianceNmPerMN },
        { selected: selection.indents, ...(selection.hoveredIndent === null ? {} : { hovered: selection.hoveredIndent }) },
      ),
    );
    this.region.dataset.indents = String(curves.length);
    this.region.dataset.selectedIndents = selection.indents.map((i) => i + 1).join(',');
    markTableRows(this.table, selection.indents, selection.hoveredIndent);
  }

  private fillTable(): void {
    const r = (row: IndentRow): UnloadResult | undefined => row.result;
    itemTable(
      this.table,
      this.rows,
      [
        { header: 'Indent', cell: (row) => String(row.indent.item + 1) },
        { header: 'Site', cell: (row) => row.indent.site },
        { header: 'Sample', cell: (row) => row.indent.sample },
        { header: 'Pmax (mN)', cell: (row) => fixed(r(row)?.Pmax_mN, 3) },
        { header: 'hmax (nm)', cell: (row) => fixed(r(row)?.hmax_nm, 1) },
        { header: 'S (mN nm⁻¹)', cell: (row) => fixed(r(row)?.S_mN_nm, 4) },
        { header: 'hc (nm)', cell: (row) => fixed(r(row)?.hc_nm, 1) },
        { header: 'Er (GPa)', cell: (row) => fixed(r(row)?.Er_GPa, 2) },
        { header: 'E (GPa)', cell: (row) => fixed(r(row)?.E_GPa, 2) },
        { header: 'H (GPa)', cell: (row) => fixed(r(row)?.H_GPa, 3) },
        { header: 'Fit R²', cell: (row) => fixed(r(row)?.fitR2, 4) },
        { header: 'Flags', cell: (row) => (row.result ? row.result.flags.join(', ') : 'not analysed') },
      ],
      (row) => row.indent.item,
      {
        toggle: (item) => this.ctx.selection.toggle('indents', item, SOURCE),
        hover: (item) => this.ctx.selection.hover('indents', item, SOURCE),
      },
    );
  }

  private fillMeans(): void {
    const sampleOf = new Map<UnloadResult, string>();
    for (const row of this.rows) if (row.result) sampleOf.set(row.result, row.indent.sample);
    const summaries = summariseBySample([...sampleOf.keys()], (result) => sampleOf.get(result) ?? '');
    const pm = (s: { mean: number; sd: number }, digits: number): string =>
      Number.isFinite(s.sd) ? `${fixed(s.mean, digits)} ± ${fixed(s.sd, digits)}` : fixed(s.mean, digits);
    const headers = ['Sample', 'n', 'E (GPa)', 'H (GPa)', 'Er (GPa)'];
    this.means.replaceChildren(
      el('thead', {}, [
        el(
          'tr',
          {},
          headers.map((h) => el('th', { scope: 'col', textContent: h })),
        ),
      ]),
      el(
        'tbody',
        {},
        summaries.map((s) =>
          el('tr', {}, [
            el('td', { textContent: s.sample }),
            el('td', { textContent: String(s.count) }),
            el('td', { textContent: pm(s.E_GPa, 2) }),
            el('td', { textContent: pm(s.H_GPa, 3) }),
            el('td', { textContent: pm(s.Er_GPa, 2) }),
          ]),
        ),
      ),
    );
  }
}

/** "ν 0.3 (default), tip ideal Berkovich" over the files' parameters (listing each distinct value). */
function describeParameters(results: ReadonlyMap<string, IndentationResult>): string {
  const nus = new Set<string>();
  const tips = new Set<string>();
  for (const r of results.values()) {
    nus.add(`ν ${r.parameters.nu} (${r.parameters.nuSource})`);
    tips.add(r.parameters.tip.name);
  }
  return `${[...nus].join(', ')}, tip ${[...tips].join(', ')}`;
}
