import type { TypedColumn } from './dataset';

type TypedCtor<T extends TypedColumn> = { new (length: number): T };

const INITIAL_CAPACITY_ROWS = 4096;

/**
 * A growable typed array: amortised O(1) push, and `finish()` returns an array with its own
 * exactly-sized buffer so it can be moved through a transfer list.
 */
export class ColumnBuilder<T extends TypedColumn> {
  private data: T;
  private length = 0;

  constructor(
    private readonly ctor: TypedCtor<T>,
    capacityHint = INITIAL_CAPACITY_ROWS,
  ) {
    this.data = new ctor(Math.max(16, capacityHint));
  }

  get size(): number {
    return this.length;
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }

  /** The value at `index` (< size). */
  at(index: number): number {
    return this.data[index];
  }

  private grow(): void {
    const next = new this.ctor(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }

  finish(): T {
    const out = new this.ctor(this.length);
    out.set(this.data.subarray(0, this.length));
    this.data = new this.ctor(16);
    this.length = 0;
    return out;
  }
}
