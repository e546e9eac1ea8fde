/**
 * ARBIN_RES against an in-memory AccessDatabase (the host's reader is tested with the real .res files
 * in src/main/access-database.test.ts): sort order, units, dates, the missing-reader and bad-table paths.
 */
import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { ARBIN_RES, oleDaysToMs } from './arbin-res';
import type { AccessDatabase, ParseContext } from './binary-format';
import { ImportError } from './import-error';

function fakeDb(tables: Record<string, Record<string, unknown>[]>): AccessDatabase {
  return {
    tableNames: () => Object.keys(tables),
    table: (name) => {
      const rows = tables[name];
      if (!rows) throw new Error(`no table ${name}`);
      return { columnNames: rows.length > 0 ? Object.keys(rows[0]) : [], rows };
    },
  };
}

const context = (db: AccessDatabase | (() => never)): ParseContext => ({
  fileName: 't.res',
  services: { openAccessDatabase: typeof db === 'function' ? db : () => db },
});

const record = (point: number, t: number, step: number, cycle: number, currentA: number, v: number, chgAh: number, dchgAh: number) => ({
  Test_ID: 1,
  Data_Point: point,
  Test_Time: t,
  DateTime: 42587.67804398148 + t / 86400,
  Step_Index: step,
  Cycle_Index: cycle,
  Current: currentA,
  Voltage: v,
  Charge_Capacity: chgAh,
  Discharge_Capacity: dchgAh,
});

describe('ARBIN_RES', () => {
  it('detects the Jet magic and nothing else', () => {
    const head = new Uint8Array(64);
    head.set(Array.from('\u0000\u0001\u0000\u0000Standard Jet DB', (c) => c.charCodeAt(0)));
    expect(ARBIN_RES.detect(head, 'a.res')).toBe(true);
    expect(ARBIN_RES.detect(new TextEncoder().encode('PK\u0003\u0004 Standard'), 'a.res')).toBe(false);
    expect(ARBIN_RES.detect(new Uint8Array(0), 'a.res')).toBe(false);
  });

  it('sorts rows by Data_Point, converts A -> mA, derives per-step mAh and the start from OLE dates', () => {
    // Stored out of order, as Arbin does: 1 mA for 3600 s is 1 mAh (0.001 Ah on the counter).
    const rows = [
      record(3, 3900, 2, 1, 0.001, 3.5, 0.001, 0),
      record(1, 300, 1, 1, 0, 3.0, 0, 0),
      record(2, 2100, 2, 1, 0.001, 3.4, 0.0005, 0),
      record(4, 4200, 3, 1, 0, 3.45, 0.001, 0),
    ];
    const db = fakeDb({
      Channel_Normal_Table: rows,
      Global_Table: [{ Start_DateTime: 42587.67804398148, MASS: 0.000853, Schedule_File_Name: 'a.sdu' }],
    });
    const parsed = ARBIN_RES.parse(new Uint8Array(8), context(db));
    if (parsed.kind !== 'cycling') throw new Error('not cycling');
    expect(parsed.rowCount).toBe(4);
    expect(Array.from(parsed.columns.timeS)).toEqual([0, 1800, 3600, 3900]);
    expect(Array.from(parsed.columns.currentMA)).toEqual([0, 1, 1, 0]);
    expect(Array.from(parsed.columns.capacityMAh!).map((v) => +v.toFixed(6))).toEqual([0, 0.5, 1, 0]);
    expect(Array.from(parsed.columns.stepType)).toEqual([
      STEP_TYPE_CODE.rest,
      STEP_TYPE_CODE.cc_charge,
      STEP_TYPE_CODE.cc_charge,
      STEP_TYPE_CODE.rest,
    ]);
    expect(parsed.startDateTime).toBe('2016-08-05 16:21:23.000');
    expect(parsed.warnings.find((w) => w.code === 'rows-reordered')?.count).toBe(1);
    expect(parsed.instrument).toContain('0.000853 g');
  });

  it('OLE Automation dates count days from 1899-12-30', () => {
    expect(new Date(oleDaysToMs(0)).toISOString()).toBe('1899-12-30T00:00:00.000Z');
    expect(new Date(oleDaysToMs(42587.5)).toISOString()).toBe('2016-08-05T12:00:00.000Z');
  });

  it('refuses with ImportError when the host has no Access reader, the reader fails, or the tables are not Arbin', () => {
    const noReader: ParseContext = { fileName: 't.res', services: {} };
    expect(() => ARBIN_RES.parse(new Uint8Array(8), noReader)).toThrow(/cannot read Access databases/);
    const failing = context(() => {
      throw new RangeError('offset out of bounds');
    });
    expect(() => ARBIN_RES.parse(new Uint8Array(8), failing)).toThrow(ImportError);
    expect(() => ARBIN_RES.parse(new Uint8Array(8), context(fakeDb({ Other: [] })))).toThrow(/no Channel_Normal_Table/);
    expect(() => ARBIN_RES.parse(new Uint8Array(8), context(fakeDb({ Channel_Normal_Table: [] })))).toThrow(ImportError);
    const noVoltage = fakeDb({ Channel_Normal_Table: [{ Data_Point: 1, Test_Time: 0, Current: 0 }] });
    expect(() => ARBIN_RES.parse(new Uint8Array(8), context(noVoltage))).toThrow(/Voltage/);
    const garbage = fakeDb({ Channel_Normal_Table: [{ Data_Point: 'x', Test_Time: null, Current: 'a', Voltage: {} }] });
    expect(() => ARBIN_RES.parse(new Uint8Array(8), context(garbage))).toThrow(ImportError);
  });
});
