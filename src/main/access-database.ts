/**
 * Node host's Access (Jet) reader for the core's Arbin `.res` format: mdb-reader over a Buffer that
 * shares the bytes' memory. Injected as `ParseServices.openAccessDatabase` so src/shared stays pure.
 */
import MDBReader from 'mdb-reader';
import type { AccessDatabase, AccessTable } from '@shared/formats/binary-format';

/** Core's value shapes: Dates as ms since epoch, bigints as numbers, binary cells as Uint8Array. */
function toCoreValue(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') return Number(value);
  if (Buffer.isBuffer(value)) return new Uint8Array(value);
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
