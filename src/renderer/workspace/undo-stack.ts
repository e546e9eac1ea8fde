/**
 * The workspace's undo history: each metadata edit, delete or experiment removal pushes how to reverse
 * it. Undo pops the last one. Kept in memory only: a restart starts with an empty history (deleted
 * datasets are purged at the next start, so there is nothing left to undo).
 */
export interface UndoEntry {
  /** What undo will reverse, as the Undo button's tooltip and the notice say it: "Delete 3 datasets". */
  readonly label: string;
  undo(): Promise<void>;
}

/** History depth: older entries fall off. */
export const UNDO_DEPTH = 50;

export class UndoStack {
  private readonly entries: UndoEntry[] = [];
  private readonly listeners = new Set<() => void>();

  push(entry: UndoEntry): void {
    this.entries.push(entry);
    if (this.entries.length > UNDO_DEPTH) this.entries.shift();
    this.emit();
  }

  /** The entry undo would reverse next, or undefined. */
  get next(): UndoEntry | undefined {
    return this.entries[this.entries.length - 1];
  }

  /** Reverses the last entry; returns its label, or undefined when there is nothing to undo. */
  async undo(): Promise<string | undefined> {
    const entry = this.entries.pop();
    if (!entry) return undefined;
    try {
      await entry.undo();
    } finally {
      this.emit();
    }
    return entry.label;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
