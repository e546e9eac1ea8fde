import { describe, expect, it } from 'vitest';
import { accessDatabaseFrom, type MdbReaderLike } from './access-table';

/** A reader with one table, as mdb-reader returns it: Dates, bigints and binary cells as their JS types. */
function fakeReader(rows: Record<string, unknown>[]): MdbReaderLike {
  return {
    getTableNames: () => ['Channel_Normal_Table'],
    getTable: (name) => {
      if (name !== 'Channel_Normal_Table') throw new Error(`no table ${name}`);
      return { getColumnNames: () => Object.keys(rows[0] ?? {}), getData: () => rows };
    },
  };
}

describe('accessDatabaseFrom', () => {
  it("converts mdb-reader's values to the core's shapes: Date -> ms, bigint -> number, binary -> a Uint8Array copy", () => {
    const blob = new Uint8Array([1, 2, 3]);
    const db = accessDatabaseFrom(
      fakeReader([{ Test_Time: 3600.5, Date_Time: new Date(Date.UTC(2020, 0, 2, 3, 4, 5)), Data_Point: 7n, Blob: blob, Note: null }]),
    );
    expect(db.tableNames()).toEqual(['Channel_Normal_Table']);
    const table = db.table('Channel_Normal_Table');
    expect(table.columnNames).toEqual(['Test_Time', 'Date_Time', 'Data_Point', 'Blob', 'Note']);
    const row = table.rows[0];
    expect(row.Test_Time).toBe(3600.5);
    expect(row.Date_Time).toBe(Date.UTC(2020, 0, 2, 3, 4, 5));
    expect(row.Data_Point).toBe(7);
    expect(row.Blob).toEqual(new Uint8Array([1, 2, 3]));
    expect(row.Blob).not.toBe(blob);
    expect(row.Note).toBeNull();
  });

  it("passes the reader's errors through (the format turns them into an ImportError)", () => {
    expect(() => accessDatabaseFrom(fakeReader([])).table('Missing')).toThrow(/no table Missing/);
  });
});
