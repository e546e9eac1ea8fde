/**
 * The one selection store of the workspace (STYLE.md 'Linking', after Mosaic and uPlot): each plot or
 * table publishes a clause (selected cycles, hovered cycle, visible time range, selected or hovered GITT
 * pulse, selected or hovered indentation site) and redraws from the store; every change names its
 * source so a view can ignore its own echo. The store belongs to one open dataset: opening another
 * clears it.
 */

/** Time range in seconds since the test start, [start, end]. */
export type TimeRangeS = readonly [number, number];

export interface Selection {
  /** The dataset the clauses refer to; undefined when none is open. */
  readonly datasetId: string | undefined;
  /** Selected cycle numbers (1-based, DOMAIN.md numbering), ascending. */
  readonly cycles: readonly number[];
  /** The cycle under the pointer in any view, or null. */
  readonly hoveredCycle: number | null;
  /** Visible time window of the time plots; null = the whole test. */
  readonly timeRangeS: TimeRangeS | null;
  /** Selected GITT pulses (0-based pulse index of the analysis), ascending. */
  readonly pulses: readonly number[];
  readonly hoveredPulse: number | null;
  /** Selected indentation sites (0-based curve index in the file), ascending. */
  readonly indents: readonly number[];
  readonly hoveredIndent: number | null;
}

export type SelectionListener = (selection: Selection, source: string) => void;

/** Items a view can select: cycles, GITT pulses, indentation sites. */
export type SelectionItemKind = 'cycles' | 'pulses' | 'indents';

const EMPTY: Omit<Selection, 'datasetId'> = Object.freeze({
  cycles: [],
  hoveredCycle: null,
  timeRangeS: null,
  pulses: [],
  hoveredPulse: null,
  indents: [],
  hoveredIndent: null,
});

const sorted = (items: Iterable<number>): number[] => [...new Set(items)].sort((a, b) => a - b);

export class SelectionStore {
  private state: Selection = { datasetId: undefined, ...EMPTY };
  private readonly listeners = new Set<SelectionListener>();

  get current(): Selection {
    return this.state;
  }

  subscribe(listener: SelectionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens a dataset: every clause is cleared (a cycle number of one cell means nothing in another). */
  openDataset(datasetId: string | undefined, source: string, restored: Partial<Omit<Selection, 'datasetId'>> = {}): void {
    this.state = { datasetId, ...EMPTY, ...restored };
    this.emit(source);
  }

  /** Adds a cycle to the selection, or removes it when it is already selected. */
  toggleCycle(cycle: number, source: string): void {
    this.toggle('cycles', cycle, source);
  }

  setCycles(cycles: readonly number[], source: string): void {
    this.setItems('cycles', cycles, source);
  }

  /** Adds or removes one item of a kind (cycles, pulses, indents). */
  toggle(kind: SelectionItemKind, item: number, source: string): void {
    const items = new Set(this.state[kind]);
    if (items.has(item)) items.delete(item);
    else items.add(item);
    this.setItems(kind, [...items], source);
  }

  setItems(kind: SelectionItemKind, items: readonly number[], source: string): void {
    const next = sorted(items);
    const now = this.state[kind];
    if (next.length === now.length && next.every((v, k) => v === now[k])) return;
    this.state = { ...this.state, [kind]: next };
    this.emit(source);
  }

  /** The item under the pointer (null when the pointer leaves); no event when it did not change. */
  hover(kind: SelectionItemKind, item: number | null, source: string): void {
    const key = kind === 'cycles' ? 'hoveredCycle' : kind === 'pulses' ? 'hoveredPulse' : 'hoveredIndent';
    if (this.state[key] === item) return;
    this.state = { ...this.state, [key]: item };
    this.emit(source);
  }

  /** The visible time window shared by the time plots (null = whole test). */
  setTimeRange(range: TimeRangeS | null, source: string): void {
    const now = this.state.timeRangeS;
    if (range === null ? now === null : now !== null && now[0] === range[0] && now[1] === range[1]) return;
    this.state = { ...this.state, timeRangeS: range === null ? null : [range[0], range[1]] };
    this.emit(source);
  }

  /** Clears the selected cycles (kept for the cycle views' "clear" action). */
  clear(source: string): void {
    this.setItems('cycles', [], source);
  }

  private emit(source: string): void {
    const selection = this.state;
    for (const listener of this.listeners) listener(selection, source);
  }
}

/** The selection as the status line reads it: "Selected cycles: 12, 13" (or "No cycles selected"). */
export function describeSelection(selection: Pick<Selection, 'cycles'>): string {
  return selection.cycles.length === 0 ? 'No cycles selected' : `Selected cycles: ${selection.cycles.join(', ')}`;
}

/** "Selected pulses: 3, 4" with 1-based pulse numbers as the Pulses table shows them. */
export function describePulseSelection(selection: Pick<Selection, 'pulses'>): string {
  return selection.pulses.length === 0 ? 'No pulses selected' : `Selected pulses: ${selection.pulses.map((p) => p + 1).join(', ')}`;
}

/** "Selected indents: 1, 3" with 1-based numbers as the Indents table shows them. */
export function describeIndentSelection(selection: Pick<Selection, 'indents'>): string {
  return selection.indents.length === 0 ? 'No indents selected' : `Selected indents: ${selection.indents.map((p) => p + 1).join(', ')}`;
}
