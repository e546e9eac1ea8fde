/**
 * The application shell: top bar (**Import files**, Undo, storage usage), the navigation bar of the
 * workspace views (Cell, Compare, Failure map, CCD, GITT, Indentation), the library sidebar, and the
 * view pages. It owns the open dataset, the one selection store, the undo history and the persisted
 * view state; the views get all of it through a ViewContext.
 *
 *   start: purge old deletes -> restore state -> (first start) load the demo experiment -> show the view
 *   import: queue (one progress bar + Cancel per file) -> worker -> one IndexedDB transaction -> refresh
 */
import type { ColumnMap } from '@shared/formats/column-map';
import { checkColumnMap } from '@shared/formats/column-map';
import { groupSplitExports } from '@shared/formats/import-split';
import type { ComputeHost, ImportInput } from '../host/compute-host';
import { SelectionStore, type Selection } from '../linking/selection-store';
import type { DatasetEdit, DatasetRecord, ExperimentRecord, Library, SaveOptions } from '../storage/library-db';
import { AnalysisService, defaultAnalysisKind } from '../workspace/analysis-service';
import { describeStorage, importStorageWarning, type StorageEstimate } from '../workspace/storage-usage';
import { UndoStack } from '../workspace/undo-stack';
import { CcdView } from './ccd-view';
import { CellView } from './cell-view';
import { CompareView } from './compare-view';
import { el } from './dom';
import { FailureMapView } from './failure-map-view';
import { GittView } from './gitt-view';
import { IndentationView } from './indentation-view';
import { LibraryPanel, type LibraryFilter } from './library-panel';
import { showMapColumnsDialog } from './map-columns-dialog';
import { VIEWS, isViewName, type ViewContext, type ViewName, type WorkspaceView } from './view-context';

/** Setting set once the first start has loaded the bundled demo (kept from v1: an old profile is not re-seeded). */
const FIRST_START_KEY = 'firstStartSamplesOpened';
/** Settings key prefix of remembered column mappings, per header signature. */
const COLUMN_MAP_KEY = 'columnMap:';
/** Settings key of the workspace state (view, open dataset, selection, library search). */
const WORKSPACE_KEY = 'workspace';
/** Settings key prefix of each view's own state. */
const VIEW_STATE_KEY = 'view:';
const SAVE_DELAY_MS = 300;

interface WorkspaceState {
  view: ViewName;
  datasetId?: string;
  library?: { query: string; filter: LibraryFilter };
  selection?: Pick<Selection, 'cycles' | 'pulses' | 'indents' | 'timeRangeS'>;
}

export interface AppOptions {
  /** Load the bundled demo experiment on first start (URL `?demo=off` turns it off). */
  isDemoOnFirstStart: boolean;
}

/** One file waiting for or running its import. */
interface ImportJob {
  input: ImportInput;
  parts?: ImportInput[];
  save: SaveOptions;
  controller: AbortController;
  row: HTMLLIElement;
  progress: HTMLProgressElement;
  label: HTMLSpanElement;
  /** Open the dataset once stored (a user's import); the demo's files are not each opened. */
  isOpened: boolean;
}

/** Lets the page handle input and paint before the next step of a long chain. */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The view a dataset opens in from the library. */
export function homeViewOf(record: Pick<DatasetRecord, 'kind' | 'meta'>): ViewName {
  const kind = defaultAnalysisKind(record);
  return kind === 'cycling' ? 'cell' : kind;
}

export class AppView {
  private records: DatasetRecord[] = [];
  private experimentList: ExperimentRecord[] = [];
  private currentId?: string;
  private activeView: ViewName = 'cell';
  private readonly views: Map<ViewName, WorkspaceView>;
  private readonly navLinks = new Map<ViewName, HTMLAnchorElement>();
  private readonly viewStates = new Map<string, unknown>();
  private readonly selection = new SelectionStore();
  private readonly undoStack = new UndoStack();
  private readonly analyses: AnalysisService;
  private readonly panel: LibraryPanel;
  private readonly notices: HTMLDivElement;
  private readonly importList: HTMLUListElement;
  private readonly storageLine: HTMLSpanElement;
  private readonly undoButton: HTMLButtonElement;
  private readonly fileInput: HTMLInputElement;
  private readonly jobs: ImportJob[] = [];
  private isImporting = false;
  private importsDone?: Promise<void>;
  private resolveImportsDone?: () => void;
  private saveTimer?: ReturnType<typeof setTimeout>;

  constructor(
    root: HTMLElement,
    private readonly host: ComputeHost,
    private readonly library: Library,
    private readonly options: AppOptions = { isDemoOnFirstStart: true },
  ) {
    this.analyses = new AnalysisService(host, library);
    const importButton = el('button', { type: 'button', className: 'primary', textContent: 'Import files' });
    importButton.addEventListener('click', () => void this.onImportClick());
    this.fileInput = el('input', { type: 'file', multiple: true, hidden: true });
    this.fileInput.setAttribute('aria-hidden', 'true');
    this.fileInput.addEventListener('change', () => {
      const files = Array.from(this.fileInput.files ?? []);
      this.fileInput.value = '';
      void this.enqueueImports(files.map((f) => this.host.fromFile(f)));
    });
    this.undoButton = el('button', { type: 'button', textContent: 'Undo', disabled: true });
    this.undoButton.addEventListener('click', () => void this.undo());
    this.undoStack.onChange(() => {
      const next = this.undoStack.next;
      this.undoButton.disabled = !next;
      this.undoButton.title = next ? `Undo: ${next.label}` : 'Nothing to undo';
    });
    this.storageLine = el('span', { className: 'storage' });
    this.storageLine.setAttribute('role', 'status');
    this.storageLine.setAttribute('aria-label', 'Storage usage');
    const mode = el('span', {
      className: 'mode',
      textContent: host.kind === 'electron' ? 'Desktop' : 'Browser mode: files stay on this computer',
    });
    const nav = el(
      'nav',
      { className: 'views' },
      VIEWS.map(({ name, label }) => {
        const link = el('a', { href: `#/${name}`, textContent: label });
        this.navLinks.set(name, link);
        return link;
      }),
    );
    nav.setAttribute('aria-label', 'Views');
    const header = el('header', { className: 'topbar' }, [
      el('h1', { textContent: 'Interphase' }),
      importButton,
      this.fileInput,
      this.undoButton,
      nav,
      this.storageLine,
      mode,
    ]);
    this.notices = el('div', { className: 'notices' });
    this.importList = el('ul', { className: 'imports', hidden: true });
    this.importList.setAttribute('aria-label', 'Imports');

    this.panel = new LibraryPanel({
      open: (id) => void this.openFromLibrary(id),
      remove: (ids) => void this.removeDatasets(ids),
      removeExperiment: (experiment) => void this.removeExperiment(experiment),
      restoreDemo: () => void this.restoreDemo(),
      // Saved at once (a put per keystroke is cheap): a quick restart keeps what was typed.
      changed: () => this.saveState(),
    });

    const context = this.context();
    const views: WorkspaceView[] = [
      new CellView(context),
      new CompareView(context),
      new FailureMapView(context),
      new CcdView(context),
      new GittView(context),
      new IndentationView(context),
    ];
    this.views = new Map(views.map((v) => [v.name, v]));
    for (const view of views) {
      view.element.hidden = true;
      view.element.classList.add('view-page');
      view.element.dataset.view = view.name;
    }
    const pane = el(
      'main',
      { className: 'pane' },
      views.map((v) => v.element),
    );
    root.append(header, this.notices, this.importList, el('div', { className: 'workspace' }, [this.panel.element, pane]));
    this.installDrop(root);
    window.addEventListener('hashchange', () => {
      const name = this.viewFromHash();
      if (name && name !== this.activeView) void this.showView(name);
    });
    document.addEventListener('keydown', (event) => {
      const target = event.target as HTMLElement | null;
      const isTyping = target?.closest('input, textarea, select, [contenteditable="true"]');
      if ((event.ctrlKey || event.metaKey) && event.key === 'z' && !isTyping) {
        event.preventDefault();
        void this.undo();
      }
    });
    this.selection.subscribe(() => this.scheduleSave());
  }

  /** The context every view gets. */
  private context(): ViewContext {
    return {
      host: this.host,
      library: this.library,
      analyses: this.analyses,
      selection: this.selection,
      records: () => this.records,
      experiments: () => this.experimentList,
      current: () => this.records.find((r) => r.id === this.currentId),
      open: (id, view) => this.open(id, view),
      editDataset: (id, edit, description) => this.editDataset(id, edit, description),
      viewState: <T>(view: ViewName) => this.viewStates.get(`${VIEW_STATE_KEY}${view}`) as T | undefined,
      saveViewState: (view, state) => {
        this.viewStates.set(`${VIEW_STATE_KEY}${view}`, state);
        void this.library.setSetting(`${VIEW_STATE_KEY}${view}`, state);
      },
      alert: (message) => this.showAlert(message),
      notice: (message) => this.showNotice(message),
    };
  }

  /** Loads the library and the saved state; on the very first start, loads the demo experiment. */
  async start(): Promise<void> {
    // Deletes of an earlier session can no longer be undone: free their space now.
    await this.library.purgeDeleted(Date.now() - 1000);
    for (const { name } of VIEWS) {
      const state = await this.library.getSetting<unknown>(`${VIEW_STATE_KEY}${name}`);
      if (state !== undefined) this.viewStates.set(`${VIEW_STATE_KEY}${name}`, state);
    }
    const saved = await this.library.getSetting<Partial<WorkspaceState>>(WORKSPACE_KEY);
    if (saved?.library) this.panel.setState(saved.library);
    await this.refresh(false);
    void this.updateStorageLine();
    const isFirstStart = this.records.length === 0 && !(await this.library.getSetting<boolean>(FIRST_START_KEY));
    if (isFirstStart && this.options.isDemoOnFirstStart) {
      try {
        await this.loadDemo();
        await this.library.setSetting(FIRST_START_KEY, true);
      } catch (error) {
        this.showAlert(`Could not load the demo experiment: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const savedView = this.viewFromHash() ?? (isViewName(saved?.view) ? saved.view : undefined);
    const savedRecord = this.records.find((r) => r.id === saved?.datasetId);
    const first = savedRecord ?? this.records.find((r) => r.kind === 'cycling' && r.meta.analysisKind !== 'gitt') ?? this.records[0];
    if (first) {
      this.currentId = first.id;
      this.selection.openDataset(first.id, 'shell', savedRecord ? (saved?.selection ?? {}) : {});
    }
    await this.refresh(false);
    await this.showView(savedView ?? (first ? homeViewOf(first) : 'cell'));
    document.body.dataset.appState = 'ready';
  }

  private viewFromHash(): ViewName | undefined {
    const name = location.hash.replace(/^#\/?/, '');
    return isViewName(name) ? name : undefined;
  }

  /** Shows a view page (and marks its link), hiding the others. */
  private async showView(name: ViewName): Promise<void> {
    const previous = this.views.get(this.activeView);
    if (previous && this.activeView !== name) previous.hide();
    this.activeView = name;
    if (location.hash !== `#/${name}`) history.replaceState(null, '', `#/${name}`);
    for (const [viewName, link] of this.navLinks) {
      if (viewName === name) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    for (const [viewName, view] of this.views) view.element.hidden = viewName !== name;
    document.body.dataset.view = name;
    this.scheduleSave();
    await this.showActive();
  }

  private async showActive(): Promise<void> {
    try {
      await this.views.get(this.activeView)?.show();
    } catch (error) {
      this.showAlert(error instanceof Error ? error.message : String(error));
    }
  }

  private async openFromLibrary(id: string): Promise<void> {
    const record = this.records.find((r) => r.id === id);
    if (record) await this.open(id, homeViewOf(record));
  }

  /** Opens a dataset (a new selection) in a view; the current view when none is given. */
  async open(id: string, view?: ViewName): Promise<void> {
    if (!this.records.some((r) => r.id === id)) return;
    if (id !== this.currentId) {
      this.currentId = id;
      this.selection.openDataset(id, 'shell');
      this.panel.markOpen(id);
    }
    if (view && view !== this.activeView) await this.showView(view);
    else await this.showActive();
  }

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.saveState(), SAVE_DELAY_MS);
  }

  private saveState(): void {
    clearTimeout(this.saveTimer);
    const { cycles, pulses, indents, timeRangeS } = this.selection.current;
    const state: WorkspaceState = {
      view: this.activeView,
      ...(this.currentId ? { datasetId: this.currentId } : {}),
      library: this.panel.state,
      selection: { cycles, pulses, indents, timeRangeS },
    };
    void this.library.setSetting(WORKSPACE_KEY, state);
  }

  /** Re-reads the library and (optionally) re-shows the active view. */
  private async refresh(isViewRefreshed = true): Promise<void> {
    this.records = await this.library.list();
    this.experimentList = await this.library.experiments();
    if (this.currentId && !this.records.some((r) => r.id === this.currentId)) {
      this.currentId = undefined;
      this.selection.openDataset(undefined, 'shell');
    }
    // Offered whenever the library holds no generated experiment; the samples are read only on click.
    const hasDemo = this.experimentList.some((e) => e.isGenerated);
    this.panel.update(this.records, this.experimentList, this.currentId, !hasDemo);
    if (isViewRefreshed) await this.showActive();
  }

  // --- Editing with undo ---------------------------------------------------------------------------

  private async editDataset(id: string, edit: DatasetEdit, description: string): Promise<void> {
    const previous = await this.library.update(id, edit);
    this.analyses.invalidate(id);
    this.undoStack.push({
      label: description,
      undo: async () => {
        await this.library.update(id, previous);
        this.analyses.invalidate(id);
        await this.refresh();
      },
    });
    await this.refresh();
    this.showNotice(`${description}.`, true);
  }

  private async removeDatasets(ids: string[]): Promise<void> {
    const names = ids.map((id) => this.records.find((r) => r.id === id)?.name ?? id);
    await this.library.remove(ids);
    for (const id of ids) this.analyses.forget(id);
    const label = ids.length === 1 ? `Delete ${names[0]}` : `Delete ${ids.length} datasets`;
    this.undoStack.push({
      label,
      undo: async () => {
        await this.library.restore(ids);
        await this.refresh();
      },
    });
    await this.refresh();
    this.showNotice(ids.length === 1 ? `Deleted ${names[0]}.` : `Deleted ${ids.length} datasets.`, true);
    void this.updateStorageLine();
  }

  private async removeExperiment(experiment: ExperimentRecord): Promise<void> {
    const ids = await this.library.removeExperiment(experiment.id);
    for (const id of ids) this.analyses.forget(id);
    this.undoStack.push({
      label: `Delete experiment ${experiment.name}`,
      undo: async () => {
        await this.library.restoreExperiment(experiment.id, ids);
        await this.refresh();
      },
    });
    await this.refresh();
    this.showNotice(`Deleted the experiment “${experiment.name}” and its ${ids.length} datasets.`, true);
  }

  private async undo(): Promise<void> {
    try {
      const label = await this.undoStack.undo();
      if (label) this.showNotice(`Undone: ${label}.`);
    } catch (error) {
      this.showAlert(`Could not undo: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // --- Demo experiment -----------------------------------------------------------------------------

  /** Imports the bundled demo experiment(s): every sample file that names an experiment. */
  private async loadDemo(): Promise<void> {
    const samples = await this.host.bundledSamples();
    const firstJobs: Promise<void>[] = [];
    for (const info of samples.index.experiments) {
      const files = samples.files.filter((f) => f.entry.experiment === info.name && f.entry.isOpenedOnFirstStart);
      if (files.length === 0) continue;
      const experiment =
        this.experimentList.find((e) => e.name === info.name) ??
        (await this.library.createExperiment(info.name, { description: info.description, isGenerated: info.isGenerated }));
      firstJobs.push(
        this.enqueueImports(
          files.map((f) => f.input),
          (k) => ({
            experimentId: experiment.id,
            ...(files[k].entry.cell ? { cell: files[k].entry.cell } : {}),
            ...(files[k].entry.params ? { params: files[k].entry.params } : {}),
            description: files[k].entry.description,
          }),
          { isOpened: false },
        ),
      );
    }
    await Promise.all(firstJobs);
    await this.refresh(false);
  }

  private async restoreDemo(): Promise<void> {
    let samples;
    try {
      samples = await this.host.bundledSamples();
    } catch (error) {
      this.showAlert(`Could not read the bundled demo: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (samples.index.experiments.length === 0) {
      this.showAlert('This installation has no bundled demo experiment (resources/samples is empty).');
      return;
    }
    for (const info of samples.index.experiments) {
      const deleted = await this.library.deletedExperiment(info.name);
      if (deleted) await this.library.restoreExperiment(deleted.id);
    }
    await this.refresh(false);
    if (!this.experimentList.some((e) => e.isGenerated)) await this.loadDemo();
    this.showNotice('The demo experiment is back in the library.');
    await this.refresh();
  }

  // --- Import --------------------------------------------------------------------------------------

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

  /**
   * Queues files for import, each with its own progress bar and Cancel at once (those waiting show
   * "waiting"); resolves when the queue is empty. The parts of a split NEWARE Excel export chosen
   * together (name.xlsx, name_1.xlsx …) are one dataset.
   */
  enqueueImports(
    inputs: ImportInput[],
    saveOf: (k: number) => SaveOptions = () => ({}),
    options: { isOpened?: boolean } = {},
  ): Promise<void> {
    for (const group of groupSplitExports(inputs.map((i) => i.name))) {
      const parts = group.map((k) => inputs[k]);
      this.jobs.push(this.createJob(parts[0], parts.length > 1 ? parts : undefined, saveOf(group[0]), options.isOpened !== false));
    }
    this.importList.hidden = this.jobs.length === 0;
    this.importsDone ??= new Promise((resolve) => (this.resolveImportsDone = resolve));
    const done = this.importsDone;
    if (!this.isImporting) void this.runImports();
    return done;
  }

  private createJob(input: ImportInput, parts: ImportInput[] | undefined, save: SaveOptions, isOpened: boolean): ImportJob {
    const controller = new AbortController();
    const progress = el('progress', { max: 1, value: 0 });
    progress.setAttribute('aria-label', `Import progress for ${input.name}`);
    const label = el('span', { textContent: `${input.name}: waiting` });
    const cancel = el('button', { type: 'button', textContent: 'Cancel' });
    cancel.setAttribute('aria-label', `Cancel import of ${input.name}`);
    const row = el('li', { className: 'status' }, [label, progress, cancel]);
    row.setAttribute('role', 'status');
    const job: ImportJob = { input, save, controller, row, progress, label, isOpened, ...(parts ? { parts } : {}) };
    cancel.addEventListener('click', () => {
      controller.abort();
      const waiting = this.jobs.indexOf(job);
      if (waiting >= 0) {
        // Not started yet: it leaves the queue.
        this.jobs.splice(waiting, 1);
        row.remove();
        this.showNotice(`Import of ${input.name} cancelled; nothing was stored.`);
      }
    });
    this.importList.append(row);
    return job;
  }

  private async runImports(): Promise<void> {
    this.isImporting = true;
    document.body.dataset.importing = 'true';
    try {
      let job: ImportJob | undefined;
      while ((job = this.jobs.shift())) {
        await this.importOne(job);
        job.row.remove();
        this.importList.hidden = this.jobs.length === 0;
      }
    } finally {
      this.isImporting = false;
      delete document.body.dataset.importing;
      const resolve = this.resolveImportsDone;
      this.importsDone = undefined;
      this.resolveImportsDone = undefined;
      resolve?.();
    }
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

  private async importOne(job: ImportJob): Promise<void> {
    const { input, parts, controller } = job;
    if (controller.signal.aborted) return;
    job.label.textContent = parts ? `Importing ${input.name} and ${parts.length - 1} continuation parts…` : `Importing ${input.name}…`;
    const columnMap = parts ? undefined : await this.columnMapFor(input);
    if (columnMap === null) {
      this.showNotice(`Import of ${input.name} cancelled; nothing was stored.`);
      return;
    }
    await this.warnIfStorageShort(input);
    try {
      const dataset = await this.host.importDataset(input, {
        signal: controller.signal,
        columnMap,
        parts,
        onProgress: (f) => (job.progress.value = f),
      });
      const outcome = await this.library.save(dataset, job.save);
      // What follows (refresh, open, first plot) is a new task: the page stays responsive after a big save.
      await yieldToPage();
      if (outcome.status === 'duplicate') this.showNotice(`${input.name} is already in the library as “${outcome.record.name}”.`);
      // The columns just imported are already in memory: opening the dataset reads nothing back.
      if (outcome.status === 'added' && dataset.kind !== 'indentation') this.analyses.remember(outcome.record.id, dataset.columns);
      await this.refresh(false);
      if (job.isOpened) {
        this.currentId = undefined; // a re-import of the open dataset still re-opens it
        await this.open(outcome.record.id, homeViewOf(outcome.record));
      }
      void this.updateStorageLine();
    } catch (error) {
      if (controller.signal.aborted) this.showNotice(`Import of ${input.name} cancelled; nothing was stored.`);
      else this.showAlert(error instanceof Error ? error.message : `${input.name}: ${String(error)}`);
    }
  }

  // --- Storage -------------------------------------------------------------------------------------

  private async estimate(): Promise<StorageEstimate | undefined> {
    const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
    if (!estimate || !estimate.quota) return undefined;
    return { usage: estimate.usage ?? 0, quota: estimate.quota };
  }

  private async updateStorageLine(): Promise<void> {
    const estimate = await this.estimate();
    if (!estimate) {
      this.storageLine.textContent = '';
      return;
    }
    const { text, isNearlyFull } = describeStorage(estimate);
    this.storageLine.textContent = text;
    this.storageLine.classList.toggle('warn', isNearlyFull);
    this.storageLine.title = isNearlyFull ? 'The library is close to the browser’s storage quota: delete datasets you no longer need.' : '';
  }

  /** Warns (before importing) when the file would take the library close to or past the quota. */
  private async warnIfStorageShort(input: ImportInput): Promise<void> {
    const estimate = input.kind === 'file' ? await this.estimate() : undefined;
    const warning = estimate && input.kind === 'file' ? importStorageWarning(estimate, input.name, input.file.size) : undefined;
    if (warning) this.showAlert(warning);
  }

  // --- Messages ------------------------------------------------------------------------------------

  showAlert(message: string): void {
    const dismiss = el('button', { type: 'button', className: 'dismiss', textContent: 'Dismiss' });
    const alert = el('div', { className: 'alert' }, [el('span', { textContent: message }), dismiss]);
    alert.setAttribute('role', 'alert');
    dismiss.addEventListener('click', () => alert.remove());
    this.notices.append(alert);
  }

  /** A passing notice; with `isUndoable`, it carries an Undo button for the last change. */
  private showNotice(message: string, isUndoable = false): void {
    const notice = el('div', { className: 'notice' }, [el('span', { textContent: message })]);
    if (isUndoable) {
      const undo = el('button', { type: 'button', className: 'link', textContent: 'Undo' });
      undo.addEventListener('click', () => {
        notice.remove();
        void this.undo();
      });
      notice.append(undo);
    }
    notice.setAttribute('role', 'status');
    this.notices.append(notice);
    setTimeout(() => notice.remove(), isUndoable ? 15000 : 8000);
  }
}
