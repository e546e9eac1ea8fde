/**
 * The core's view of an Access (Jet) database, built over an mdb-reader-like reader that a host opens
 * (Node: src/main/access-database.ts; Web Worker: src/renderer/workers/access-database.ts). The reader is
 * taken by the small structural interface below, so src/shared depends neither on mdb-reader nor on Buffer.
 */
import type { AccessDatabase, AccessTable } from './binary-format';

/** The part of mdb-reader's `Table` the core reads. */
export interface MdbTableLike {
  getColumnNames(): string[];
  getData(): Record<string, unknown>[];
}

/** The part of mdb-reader's `MDBReader` the core reads. */
export interface MdbReaderLike {
  getTableNames(): string[];
  getTable(name: string): MdbTableLike;
}

/**
 * Core's value shapes: Dates as ms since epoch, bigints as numbers, binary cells (Node's Buffer or the
 * `buffer` package's, both Uint8Array subclasses) as plain Uint8Array copies.
 */
function toCoreValue(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) return new Uint8Array(value);
  return value;
}

/** Wraps an opened reader as the core's AccessDatabase; each table is read and converted when asked for. */
export function accessDatabaseFrom(reader: MdbReaderLike): AccessDatabase {
  return {
    tableNames: () => reader.getTableNames(),
    table: (name: string): AccessTable => {
      const table = reader.getTable(name);
      const rows = table.getData().map((row) => {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(row)) out[key] = toCoreValue(row[key]);
        return out;
      });
      return { columnNames: table.getColumnNames(), rows };
    },
  };
}
