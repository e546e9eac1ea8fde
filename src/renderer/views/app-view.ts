/**
 * The application shell: top bar with **Import files**, the **Library** list, and the main pane with
 * the **Voltage vs time** plot. Imports run through the ComputeHost (off the UI thread) with a progress
 * bar and Cancel; each finished import is stored in one IndexedDB transaction before it appears.
 */
import type { DatasetColumns } from '@shared/model/dataset';
import type { FileHealthReport } from '@shared/model/file-health';
import type { DatasetRecord, Library } from '../storage/library-db';
import type { ComputeHost, ImportInput } from '../host/compute-host';
import { VoltageTimePlot } from '../plots/voltage-time-plot';
import type { ColumnMap } from '@shared/formats/column-map';
import { checkColumnMap } from '@shared/formats/column-map';
import { groupSplitExports } from '@shared/formats/import-split';
import { CellAnalysisPanel } from './cell-analysis-panel';
import { IndentationPanel } from './indentation-panel';
import { showMapColumnsDialog } from './map-columns-dialog';

const FIRST_START_KEY = 'firstStartSamplesOpened';
/** Settings key prefix of remembered column mappings, per header signature. */
const COLUMN_MAP_KEY = 'columnMap:';

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}

function formatDuration(seconds: number): string {
  const h = seconds / 3600;
  return h >= 1 ? `${h.toFixed(1)} h` : `${(seconds / 60).toFixed(1)} min`;
}

/** The file-health report as sentences: what was converted, what looks wrong, what was not used. */
export function fileHealthLines(health: FileHealthReport): string[] {
  const lines: string[] = [];
  for (const c of health.conversions) lines.push(`Converted ${c}.`);
  if (health.gaps.count > 0) {
    const at = health.gaps.firstAtS === null ? '' : `, the first at ${formatDuration(health.gaps.firstAtS)}`;
    lines.push(
      `${health.gaps.count} gap${health.gaps.count === 1 ? '' : 's'} longer than ${formatDuration(health.gaps.thresholdS)} (the longest ${formatDuration(health.gaps.largestS)}${at}).`,
    );
  }
  if (health.duplicateRows > 0)
    lines.push(
      `${health.duplicateRows} duplicate record${health.duplicateRows === 1 ? '' : 's'} (same time, voltage and current as the one before).`,
    );
  if (health.timeBackwards > 0)
    lines.push(`Time runs backwards at ${health.timeBackwards} record${health.timeBackwards === 1 ? '' : 's'}.`);
  if (health.unusedColumns.length > 0) lines.push(`Columns not used: ${health.unusedColumns.join(', ')}.`);
  return lines;
}

/** "5,286 rows" for a record table, "3 curves · 12,000 points" for an indentation file. */
function describeSize(record: DatasetRecord): string {
  if (record.kind === 'indentation') {
    const n = record.curves?.length ?? 0;
    return `${n} curve${n === 1 ? '' : 's'} · ${record.rowCount.toLocaleString('en')} points`;
  }
  return `${record.rowCount.toLocaleString('en')} rows`;
}

export class AppView {
  private records: DatasetRecord[] = [];
  private selectedId?: string;
  private readonly libraryList: HTMLUListElement;
  private readonly notices: HTMLDivElement;
  private readonly title: HTMLHeadingElement;
  private readonly info: HTMLDivElement;
  private readonly plot: VoltageTimePlot;
  private readonly analysis: CellAnalysisPanel;
  private readonly indentation: IndentationPanel;
  private readonly voltageRegion: HTMLElement;
  private readonly fileInput: HTMLInputElement;
  private importQueue: Promise<void> = Promise.resolve();

  constructor(
    root: HTMLElement,
    private readonly host: ComputeHost,
    private readonly library: Library,
  ) {
    const importButton = element('button', { type: 'button', className: 'primary', textContent: 'Import files' });
    importButton.addEventListener('click', () => void this.onImportClick());
    this.fileInput = element('input', { type: 'file', multiple: true, hidden: true });
    this.fileInput.setAttribute('aria-hidden', 'true');
    this.fileInput.addEventListener('change', () => {
      const files = Array.from(this.fileInput.files ?? []);
      this.fileInput.value = '';
      void this.enqueueImports(files.map((f) => this.host.fromFile(f)));
    });
    const mode = element('span', {
      className: 'mode',
      textContent: host.kind === 'electron' ? 'Desktop' : 'Browser mode: files stay on this computer',
    });
    const header = element('header', { className: 'topbar' }, [
      element('h1', { textContent: 'Interphase' }),
      importButton,
      this.fileInput,
      mode,
    ]);
    this.notices = element('div', { className: 'notices' });

    this.libraryList = element('ul');
    this.libraryList.setAttribute('aria-label', 'Library');
    const aside = element('aside', { className: 'library' }, [element('h2', { textContent: 'Library' }), this.libraryList]);

    this.title = element('h2', { textContent: 'No dataset selected' });
    this.info = element('div', { className: 'dataset-info' });
    const region = element('section', { className: 'plot' });
    region.setAttribute('role', 'region');
    region.setAttribute('aria-label', 'Voltage vs time');
    region.dataset.state = 'empty';
    this.plot = new VoltageTimePlot(region);
    this.voltageRegion = region;
    this.analysis = new CellAnalysisPanel(host);
    this.indentation = new IndentationPanel(host);
    const pane = element('main', { className: 'pane' }, [this.title, this.info, region, this.analysis.element, this.indentation.element]);

    root.append(header, this.notices, element('div', { className: 'workspace' }, [aside, pane]));
    this.installDrop(root);
  }

  /** Loads the library; on the very first start, opens the bundled samples. */
  async start(): Promise<void> {
    await this.refresh();
    if (this.records.length === 0 && !(await this.library.getSetting<boolean>(FIRST_START_KEY))) {
      try {
        const samples = await this.host.firstStartSamples();
        await this.enqueueImports(samples);
        await this.library.setSetting(FIRST_START_KEY, true);
      } catch (error) {
        this.showAlert(`Could not open the bundled sample data: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (!this.selectedId && this.records.length > 0) await this.select(this.records[this.records.length - 1].id);
    document.body.dataset.appState = 'ready';
  }

  private async onImportClick(): Promise<void> {
    if (this.host.chooseFiles) {
      try {
        await this.enqueueImports(await this.host.chooseFiles());
      } catch (error) {
        this.showAlert(error instanceof Error ? error.message : String(error));
      }
    } else this.fileInput.click();
  }

  private installDrop(root: HTMLElement): void {
    root.addEventListener('dragover', (event) => {
      event.preventDefault();
      root.classList.add('drop-hint');
    });
    root.addEventListener('dragleave', () => root.classList.remove('drop-hint'));
    root.addEventListener('drop', (event) => {
      event.preventDefault();
      root.classList.remove('drop-hint');
      const files = Array.from(event.dataTransfer?.files ?? []);
      void this.enqueueImports(files.map((f) => this.host.fromFile(f)));
    });
  }

  /** Imports one file after another (each with its own progress and Cancel). */
  enqueueImports(inputs: ImportInput[]): Promise<void> {
    // The parts of a split NEWARE Excel export chosen together (name.xlsx, name_1.xlsx …) are one dataset.
    for (const group of groupSplitExports(inputs.map((i) => i.name))) {
      const parts = group.map((k) => inputs[k]);
      this.importQueue = this.importQueue.then(() => this.importOne(parts[0], parts.length > 1 ? parts : undefined));
    }
    return this.importQueue;
  }

  /**
   * The column mapping a file needs, if any: generic delimited text (or delimited text that no format
   * recognises) is mapped by the user once per header signature, then remembered. Undefined = no mapping
   * needed; null = the user cancelled.
   */
  private async columnMapFor(input: ImportInput): Promise<ColumnMap | undefined | null> {
    let inspection;
    try {
      inspection = await this.host.inspect(input);
    } catch {
      return undefined; // The import itself will say what is wrong with the file.
    }
    const delimited = inspection.delimited;
    const isGeneric = inspection.formatId === 'delimited-text' || (inspection.formatId === null && delimited !== undefined);
    if (!delimited || !isGeneric) return undefined;
    const key = `${COLUMN_MAP_KEY}${delimited.signature}`;
    const remembered = await this.library.getSetting<unknown>(key);
    if (remembered !== undefined) {
      try {
        return checkColumnMap(remembered, 'remembered mapping');
      } catch {
        // A damaged setting: ask again.
      }
    }
    const reason =
      inspection.formatId === null
        ? 'no instrument format recognises these columns: choose which column is which.'
        : 'a generic delimited file: check which column is which.';
    const result = await showMapColumnsDialog(input.name, delimited, reason);
    if (!result) return null;
    if (result.isRemembered) await this.library.setSetting(key, result.columnMap);
    return result.columnMap;
  }

  private async importOne(input: ImportInput, parts?: ImportInput[]): Promise<void> {
    const columnMap = parts ? undefined : await this.columnMapFor(input);
    if (columnMap === null) {
      this.showNotice(`Import of ${input.name} cancelled; nothing was stored.`);
      return;
    }
    const controller = new AbortController();
    const progress = element('progress', { max: 1, value: 0 });
    progress.setAttribute('aria-label', `Import progress for ${input.name}`);
    const cancel = element('button', { type: 'button', textContent: 'Cancel' });
    cancel.addEventListener('click', () => controller.abort());
    const status = element('div', { className: 'status' }, [
      element('span', {
        textContent: parts ? `Importing ${input.name} and ${parts.length - 1} continuation parts…` : `Importing ${input.name}…`,
      }),
      progress,
      cancel,
    ]);
    status.setAttribute('role', 'status');
    this.notices.append(status);
    try {
      const dataset = await this.host.importDataset(input, {
        signal: controller.signal,
        columnMap,
        parts,
        onProgress: (f) => (progress.value = f),
      });
      const outcome = await this.library.save(dataset);
      await this.refresh();
      if (outcome.status === 'duplicate') this.showNotice(`${input.name} is already in the library as “${outcome.record.name}”.`);
      // The columns just imported are already in memory: no need to read them back from IndexedDB.
      await this.select(outcome.record.id, outcome.status === 'added' && dataset.kind !== 'indentation' ? dataset.columns : undefined);
    } catch (error) {
      if (controller.signal.aborted) this.showNotice(`Import of ${input.name} cancelled; nothing was stored.`);
      else this.showAlert(error instanceof Error ? error.message : `${input.name}: ${String(error)}`);
    } finally {
      status.remove();
    }
  }

  private async refresh(): Promise<void> {
    this.records = await this.library.list();
    this.libraryList.replaceChildren(
      ...this.records.map((record) => {
        const button = element('button', { type: 'button' }, [
          element('span', { className: 'name', textContent: record.name }),
          element('span', {
            className: 'details',
            textContent: `${record.meta.instrument} · ${describeSize(record)}`,
          }),
        ]);
        button.dataset.id = record.id;
        button.setAttribute('aria-current', String(record.id === this.selectedId));
        button.addEventListener('click', () => void this.select(record.id));
        return element('li', {}, [button]);
      }),
    );
    if (this.records.length === 0)
      this.libraryList.append(element('li', { className: 'empty', textContent: 'No datasets yet: use Import files or drop files here.' }));
  }

  /** A nanoindentation dataset: its curves and their Oliver–Pharr analysis instead of a voltage trace. */
  private async selectIndentation(record: DatasetRecord): Promise<void> {
    this.plot.clear();
    this.analysis.hide();
    this.voltageRegion.hidden = true;
    this.info.replaceChildren(`${record.meta.instrument} · ${describeSize(record)}`);
    try {
      const curves = await this.library.loadCurves(record);
      await this.indentation.show({ kind: 'indentation', meta: record.meta, curves, instrumentSettings: record.instrumentSettings });
    } catch (error) {
      this.indentation.hide();
      this.showAlert(error instanceof Error ? error.message : String(error));
    }
  }

  private async select(id: string, inMemory?: DatasetColumns): Promise<void> {
    const record = this.records.find((r) => r.id === id);
    if (!record) return;
    this.selectedId = id;
    for (const button of this.libraryList.querySelectorAll('button')) button.setAttribute('aria-current', String(button.dataset.id === id));
    this.title.textContent = record.name;
    if (record.kind === 'indentation') return this.selectIndentation(record);
    this.indentation.hide();
    this.voltageRegion.hidden = false;
    try {
      const columns = inMemory ?? (await this.library.loadColumns(record));
      const last = columns.timeS.length > 0 ? columns.timeS[columns.timeS.length - 1] : 0;
      this.info.replaceChildren(`${record.meta.instrument} · ${record.rowCount.toLocaleString('en')} rows · ${formatDuration(last)}`);
      if (record.meta.warnings.length > 0) {
        // What the importer converted or skipped stays visible with the data it concerns.
        const list = element(
          'ul',
          {},
          record.meta.warnings.map((w) => element('li', { textContent: w.message })),
        );
        const summary = element('summary', {
          textContent: `${record.meta.warnings.length} import warning${record.meta.warnings.length === 1 ? '' : 's'}`,
        });
        this.info.append(element('details', { className: 'import-warnings' }, [summary, list]));
      }
      const health = record.meta.health;
      if (health) {
        const lines = fileHealthLines(health);
        this.info.append(
          element('details', { className: 'file-health' }, [
            element('summary', {
              textContent: `File health: ${lines.length === 0 ? 'nothing to report' : `${lines.length} note${lines.length === 1 ? '' : 's'}`}`,
            }),
            element(
              'ul',
              {},
              lines.map((text) => element('li', { textContent: text })),
            ),
          ]),
        );
      }
      await this.plot.show({
        name: record.name,
        timeS: columns.timeS,
        voltageV: columns.voltageV,
        colorIndex: this.records.indexOf(record),
      });
      // The analysis runs in the worker while the trace is already on screen.
      void this.analysis.show({ kind: 'cycling', meta: record.meta, rowCount: record.rowCount, columns });
    } catch (error) {
      this.plot.clear();
      this.analysis.hide();
      this.showAlert(error instanceof Error ? error.message : String(error));
    }
  }

  showAlert(message: string): void {
    const dismiss = element('button', { type: 'button', className: 'dismiss', textContent: 'Dismiss' });
    const alert = element('div', { className: 'alert' }, [element('span', { textContent: message }), dismiss]);
    alert.setAttribute('role', 'alert');
    dismiss.addEventListener('click', () => alert.remove());
    this.notices.append(alert);
  }

  private showNotice(message: string): void {
    const notice = element('div', { className: 'notice', textContent: message });
    notice.setAttribute('role', 'status');
    this.notices.append(notice);
    setTimeout(() => notice.remove(), 8000);
  }
}
