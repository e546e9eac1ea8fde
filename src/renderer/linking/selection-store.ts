/**
 * The one selection store of the workspace (STYLE.md 'Linking'): views publish what the user picked
 * (cycles, a time range, a pulse, an indentation site) and redraw from the store; each change names
 * its source so a view can ignore its own echo.
 */
export interface Selection {
  /** Selected cycle numbers (1-based, DOMAIN.md numbering), ascending. */
  readonly cycles: readonly number[];
}

export type SelectionListener = (selection: Selection, source: string) => void;

export class SelectionStore {
  private cycles = new Set<number>();
  private readonly listeners = new Set<SelectionListener>();

  get current(): Selection {
    return { cycles: [...this.cycles].sort((a, b) => a - b) };
  }

  subscribe(listener: SelectionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds a cycle to the selection, or removes it when it is already selected. */
  toggleCycle(cycle: number, source: string): void {
    if (this.cycles.has(cycle)) this.cycles.delete(cycle);
    else this.cycles.add(cycle);
    this.emit(source);
  }

  setCycles(cycles: readonly number[], source: string): void {
    this.cycles = new Set(cycles);
    this.emit(source);
  }

  clear(source: string): void {
    if (this.cycles.size === 0) return;
    this.cycles.clear();
    this.emit(source);
  }

  private emit(source: string): void {
    const selection = this.current;
    for (const listener of this.listeners) listener(selection, source);
  }
}

/** The selection as the status line reads it: "Selected cycles: 12, 13" (or "No cycles selected"). */
export function describeSelection(selection: Selection): string {
  return selection.cycles.length === 0 ? 'No cycles selected' : `Selected cycles: ${selection.cycles.join(', ')}`;
}
