import * as CFB from 'cfb';
import { describe, expect, it } from 'vitest';
import { writeXlsx } from '../../synth/xlsx-writer';
import { readWorkbook, workbookKind } from './read-workbook';

describe('readWorkbook', () => {
  it('reads an .xlsx by its ZIP signature even under an .xls name', () => {
    const wb = readWorkbook(writeXlsx([{ name: 'S', rows: [['a', 1]] }]), 'misnamed.xls');
    expect([...wb.sheet('S')!.rows()]).toEqual([['a', 1]]);
  });

  it('dispatches OLE2 bytes to the .xls reader', () => {
    const cfb = CFB.utils.cfb_new();
    CFB.utils.cfb_add(cfb, 'WordDocument', new Uint8Array([1]));
    const doc = Uint8Array.from(CFB.write(cfb, { type: 'array' }) as number[]);
    expect(workbookKind(doc)).toBe('xls');
    // Reaches readXls, which names what is missing.
    expect(() => readWorkbook(doc, 'd.xls')).toThrow(/d\.xls: OLE2 file without a Workbook stream/);
  });

  it('names text saved under a spreadsheet extension, and refuses empty files', () => {
    const text = new TextEncoder().encode('Segment\tLoad\n1\t2\n');
    expect(workbookKind(text)).toBeUndefined();
    expect(() => readWorkbook(text, 'export.xls')).toThrow(
      expect.objectContaining({ code: 'unsupported-format', message: expect.stringMatching(/the file is text/) as unknown }),
    );
    expect(() => readWorkbook(new Uint8Array(0), 'e.xlsx')).toThrow(expect.objectContaining({ code: 'empty-file' }));
    expect(() => readWorkbook(new Uint8Array([0, 1, 2, 3, 200, 201]), 'b.xlsx')).toThrow(
      expect.objectContaining({ code: 'unsupported-format', message: expect.stringMatching(/neither/) as unknown }),
    );
  });
});
