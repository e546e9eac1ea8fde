import { describe, expect, it } from 'vitest';
import { roleOfHeader } from './header-mapping';
import { NEWARE_HEADERS, NEWARE_XLSX_HEADERS } from './neware-headers';

describe('NEWARE header roles', () => {
  it('reads BTSDA column names in English and Chinese, units stripped, in both tables', () => {
    for (const table of [NEWARE_HEADERS, NEWARE_XLSX_HEADERS]) {
      expect(roleOfHeader(table, 'DataPoint')).toBe('record');
      expect(roleOfHeader(table, 'Cycle Index')).toBe('cycle');
      expect(roleOfHeader(table, 'Current(mA)')).toBe('current');
      expect(roleOfHeader(table, '电压(V)')).toBe('voltage');
      expect(roleOfHeader(table, 'Total  Time')).toBe('totalTime');
      expect(roleOfHeader(table, 'T1(℃)')).toBe('temperature');
    }
  });

  it("leaves Landt's bare Record / Cycle to Landt in the Excel table only", () => {
    expect(roleOfHeader(NEWARE_HEADERS, 'Record')).toBe('record');
    expect(roleOfHeader(NEWARE_HEADERS, 'Cycle')).toBe('cycle');
    expect(roleOfHeader(NEWARE_XLSX_HEADERS, 'Record')).toBeUndefined();
    expect(roleOfHeader(NEWARE_XLSX_HEADERS, 'Cycle')).toBeUndefined();
  });
});
