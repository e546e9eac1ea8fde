/**
 * The library sidebar: datasets grouped by experiment (the generated demo clearly marked), search and
 * filter by any field (library-search.ts), open, delete with undo, and remove or restore the demo.
 * It only renders and reports the user's intent; the shell does the work.
 */
import type { DatasetRecord, ExperimentRecord } from '../storage/library-db';
import { defaultAnalysisKind } from '../workspace/analysis-service';
import { matchesQuery, parseQuery } from '../workspace/library-search';
import { el } from './dom';

export type LibraryFilter = 'all' | 'cycling' | 'ccd' | 'gitt' | 'indentation';

const FILTERS: readonly { value: LibraryFilter; label: string }[] = [
  { value: 'all', label: 'All data' },
  { value: 'cycling', label: 'Cycling' },
  { value: 'ccd', label: 'CCD' },
  { value: 'gitt', label: 'GITT' },
  { value: 'indentation', label: 'Indentation' },
];

export interface LibraryPanelActions {
  open(id: string): void;
  remove(ids: string[]): void;
  removeExperiment(experiment: ExperimentRecord): void;
  /** Undefined when the demo is in the library (nothing to restore). */
  restoreDemo?: () => void;
  changed(state: { query: string; filter: LibraryFilter }): void;
}

/** "5,286 rows" for a record table, "3 curves · 12,000 points" for an indentation file. */
export function describeSize(record: DatasetRecord): string {
  if (record.kind === 'indentation') {
    const n = record.curves?.length ?? 0;
    return `${n} curve${n === 1 ? '' : 's'} · ${record.rowCount.toLocaleString('en')} points`;
  }
  return `${record.rowCount.toLocaleString('en')} rows`;
}

const KIND_LABEL: Record<LibraryFilter, string> = { all: '', cycling: 'cycling', ccd: 'CCD', gitt: 'GITT', indentation: 'indentation' };

export class LibraryPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly search: HTMLInputElement;
  private readonly filter: HTMLSelectElement;
  private readonly count: HTMLParagraphElement;
  private readonly restoreButton: HTMLButtonElement;
  private records: readonly DatasetRecord[] = [];
  private experiments: readonly ExperimentRecord[] = [];
  private openId?: string;

  constructor(private readonly actions: LibraryPanelActions) {
    this.search = el('input', { type: 'search', placeholder: 'Search, e.g. temperature:60 or j>=0.5' });
    this.search.setAttribute('aria-label', 'Search library');
    this.filter = el(
      'select',
      {},
      FILTERS.map((f) => el('option', { value: f.value, textContent: f.label })),
    );
    this.filter.setAttribute('aria-label', 'Show');
    for (const control of [this.search, this.filter])
      control.addEventListener('input', () => {
        this.render();
        this.actions.changed(this.state);
      });
    this.count = el('p', { className: 'library-count' });
    this.count.setAttribute('role', 'status');
    this.count.setAttribute('aria-label', 'Library count');
    this.list = el('ul');
    this.list.setAttribute('aria-label', 'Library');
    this.restoreButton = el('button', { type: 'button', className: 'link', textContent: 'Restore the demo experiment', hidden: true });
    this.restoreButton.addEventListener('click', () => this.actions.restoreDemo?.());
    this.element = el('aside', { className: 'library' }, [
      el('h2', { textContent: 'Library' }),
      el('div', { className: 'library-tools' }, [this.search, this.filter]),
      this.count,
      this.list,
      this.restoreButton,
    ]);
  }

  get state(): { query: string; filter: LibraryFilter } {
    return { query: this.search.value, filter: this.filter.value as LibraryFilter };
  }

  /** Restores the search and filter saved with the view state. */
  setState(state: { query?: string; filter?: LibraryFilter }): void {
    if (typeof state.query === 'string') this.search.value = state.query;
    if (state.filter && FILTERS.some((f) => f.value === state.filter)) this.filter.value = state.filter;
    this.render();
  }

  update(
    records: readonly DatasetRecord[],
    experiments: readonly ExperimentRecord[],
    openId: string | undefined,
    canRestoreDemo: boolean,
  ): void {
    this.records = records;
    this.experiments = experiments;
    this.openId = openId;
    this.restoreButton.hidden = !canRestoreDemo;
    this.render();
  }

  /** Marks the open dataset without rebuilding the list. */
  markOpen(openId: string | undefined): void {
    this.openId = openId;
    for (const button of this.list.querySelectorAll<HTMLButtonElement>('button.open'))
      button.setAttribute('aria-current', String(button.dataset.id === openId));
  }

  private render(): void {
    const clauses = parseQuery(this.search.value);
    const filter = this.filter.value as LibraryFilter;
    const experimentName = new Map(this.experiments.map((e) => [e.id, e.name]));
    const shown = this.records.filter(
      (r) =>
        (filter === 'all' || defaultAnalysisKind(r) === filter) && matchesQuery(r, experimentName.get(r.experimentId ?? '') ?? '', clauses),
    );
    const groups: { experiment?: ExperimentRecord; records: DatasetRecord[] }[] = [
      ...this.experiments.map((experiment) => ({ experiment, records: shown.filter((r) => r.experimentId === experiment.id) })),
      { records: shown.filter((r) => !r.experimentId || !experimentName.has(r.experimentId)) },
    ];
    const items: HTMLLIElement[] = [];
    for (const group of groups) {
      if (group.records.length === 0) continue;
      if (group.experiment) items.push(this.groupHeading(group.experiment, group.records.length));
      else if (this.experiments.length > 0) items.push(this.plainHeading('Not in an experiment'));
      for (const record of group.records) items.push(this.item(record));
    }
    // The empty-state lines are not datasets: role none keeps them out of the list's items.
    if (this.records.length === 0) items.push(this.plainLine('No datasets yet: use Import files or drop files here.'));
    else if (shown.length === 0) items.push(this.plainLine('No dataset matches the search.'));
    this.list.replaceChildren(...items);
    this.count.textContent =
      shown.length === this.records.length
        ? `${this.records.length} dataset${this.records.length === 1 ? '' : 's'}`
        : `${shown.length} of ${this.records.length} datasets`;
  }

  private plainLine(text: string): HTMLLIElement {
    const li = el('li', { className: 'empty', textContent: text });
    li.setAttribute('role', 'none');
    return li;
  }

  /** A heading row inside the list: not a list item for assistive technology (role none). */
  private plainHeading(text: string, children: (Node | string)[] = []): HTMLLIElement {
    const li = el('li', { className: 'group-heading' }, [el('h3', { textContent: text }), ...children]);
    li.setAttribute('role', 'none');
    return li;
  }

  private groupHeading(experiment: ExperimentRecord, count: number): HTMLLIElement {
    const remove = el('button', { type: 'button', className: 'icon', textContent: 'Delete' });
    remove.setAttribute('aria-label', `Delete experiment ${experiment.name}`);
    remove.title = `Delete the experiment and its ${count} datasets (undo is possible)`;
    remove.addEventListener('click', () => this.actions.removeExperiment(experiment));
    const children: (Node | string)[] = [];
    if (experiment.isGenerated) {
      const badge = el('span', { className: 'badge generated', textContent: 'Generated data' });
      badge.title = experiment.description ?? 'Synthetic data generated by Interphase';
      children.push(badge);
    }
    children.push(remove);
    const heading = this.plainHeading(experiment.name, children);
    heading.dataset.experiment = experiment.id;
    return heading;
  }

  private item(record: DatasetRecord): HTMLLIElement {
    const kind = defaultAnalysisKind(record);
    const open = el('button', { type: 'button', className: 'open' }, [
      el('span', { className: 'name', textContent: record.name }),
      el('span', {
        className: 'details',
        textContent: `${record.meta.instrument} · ${describeSize(record)}${kind === 'cycling' ? '' : ` · ${KIND_LABEL[kind]}`}`,
      }),
    ]);
    open.dataset.id = record.id;
    if (record.description) open.title = record.description;
    open.setAttribute('aria-current', String(record.id === this.openId));
    open.addEventListener('click', () => this.actions.open(record.id));
    const remove = el('button', { type: 'button', className: 'icon remove', textContent: '×' });
    remove.setAttribute('aria-label', `Delete ${record.name}`);
    remove.title = 'Delete (undo is possible)';
    remove.addEventListener('click', () => this.actions.remove([record.id]));
    const li = el('li', {}, [open, remove]);
    li.dataset.kind = kind;
    return li;
  }
}
