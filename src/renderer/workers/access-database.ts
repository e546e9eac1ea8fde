/**
 * Web Worker host's Access (Jet) reader for the core's Arbin `.res` format. mdb-reader's browser build
 * calls the global `Buffer` when it reads, so this module (imported only by workers) provides the `buffer`
 * package's implementation on the worker's globalThis; the window's global scope is never touched.
 */
import './node-globals-shim';
import { Buffer } from 'buffer';
import MDBReader from 'mdb-reader';
import type { AccessDatabase, AccessTable } from '@shared/formats/binary-format';

const workerGlobal = globalThis as { Buffer?: typeof Buffer };
// mdb-reader reads `Buffer` at call time, not at import, so setting it here (after the imports) is in time.
workerGlobal.Buffer ??= Buffer;

function toCoreValue(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) return new Uint8Array(value);
  return value;
}

export function openAccessDatabase(bytes: Uint8Array): AccessDatabase {
  const reader = new MDBReader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
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
