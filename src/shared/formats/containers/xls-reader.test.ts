import * as CFB from 'cfb';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../import-error';
import { readXls } from './xls-reader';
import type { Workbook } from './workbook';

/** Builds BIFF8 records by hand ([MS-XLS] 2.4), to test every record type with known values. */
function record(type: number, ...parts: (number[] | Uint8Array)[]): number[] {
  const data = parts.flatMap((p) => [...p]);
  return [type & 0xff, type >> 8, data.length & 0xff, data.length >> 8, ...data];
}
const u16 = (v: number) => [v & 0xff, (v >> 8) & 0xff];
const u32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];
const f64 = (v: number) => [...new Uint8Array(new Float64Array([v]).buffer)];
const latin1 = (s: string) => [...s].map((c) => c.charCodeAt(0));
const utf16 = (s: string) => [...s].flatMap((c) => u16(c.charCodeAt(0)));
const BOF = (kind: number) => record(0x0809, u16(0x0600), u16(kind), u16(0), u16(0), u32(0), u32(0));
const EOF = record(0x000a);
const cell = (row: number, col: number) => [...u16(row), ...u16(col), ...u16(15)];
/** RK of an integer (bit 1) or of a double's top 30 bits; bit 0 divides by 100. */
const rkInt = (v: number, div100 = false) => ((v << 2) | 2 | (div100 ? 1 : 0)) >>> 0;
const rkDouble = (v: number) => {
  const b = new DataView(new Float64Array([v]).buffer);
  return b.getUint32(4, true) & 0xfffffffc;
};

interface BuildOptions {
  encrypted?: boolean;
  version?: number;
}

function buildXls(opts: BuildOptions = {}): Uint8Array {
  // SST: 3 strings; the second (16-bit) is split across a CONTINUE, the remainder re-flagged 8-bit.
  const s2a = utf16('Temp ℃ ');
  const sst = record(0x00fc, u32(4), u32(3), u16(5), [0], latin1('Hello'), u16(11), [1], s2a);
  const cont = record(0x003c, [0], latin1('rise'), u16(3), [0x08], u16(1), latin1('abc'), u32(0x00010002));
  const globalsHead = [
    ...record(0x0809, u16(opts.version ?? 0x0600), u16(5), u16(0), u16(0), u32(0), u32(0)),
    ...(opts.encrypted ? record(0x002f, u16(0)) : []),
  ];
  const boundsheet = (offset: number, name: string, type = 0) => record(0x0085, u32(offset), [0, type], [name.length, 1], utf16(name));
  // Sheet 1 with all cell types.
  const sheet1 = [
    ...BOF(0x10),
    ...record(0x00fd, cell(0, 0), u32(0)), // LABELSST "Hello"
    ...record(0x00fd, cell(0, 2), u32(1)), // LABELSST "Temp ℃ rise"
    ...record(0x0203, cell(1, 0), f64(-1.25e-7)), // NUMBER
    ...record(0x027e, cell(1, 1), u32(rkInt(-12345))), // RK integer
    ...record(0x027e, cell(1, 2), u32(rkInt(12345, true))), // RK integer / 100
    ...record(0x00bd, u16(2), u16(1), u16(15), u32(rkDouble(0.5)), u16(15), u32(rkInt(7)), u16(3)), // MULRK B3:C3
    ...record(0x0204, cell(3, 0), u16(4), [0], latin1('µlab')), // LABEL (8-bit)
    ...record(0x0205, cell(3, 1), [1, 0]), // BOOLERR true
    ...record(0x0205, cell(3, 2), [0x07, 1]), // BOOLERR #DIV/0!
    ...record(0x0006, cell(4, 0), f64(2.5), u16(0), u32(0), u16(0)), // FORMULA number
    ...record(0x0006, cell(4, 1), [0, 0, 0, 0, 0, 0, 0xff, 0xff], u16(0), u32(0), u16(0)), // FORMULA string ->
    ...record(0x0207, u16(7), [0], latin1('for')), // STRING, continued:
    ...record(0x003c, [1], utf16('mula')),
    ...record(0x0006, cell(4, 2), [1, 0, 1, 0, 0, 0, 0xff, 0xff], u16(0), u32(0), u16(0)), // FORMULA boolean
    ...record(0x0006, cell(6, 3), [2, 0, 0x2a, 0, 0, 0, 0xff, 0xff], u16(0), u32(0), u16(0)), // FORMULA #N/A
    // An embedded chart substream: its records are not cells of this sheet.
    ...BOF(0x20),
    ...record(0x0203, cell(9, 9), f64(99)),
    ...EOF,
    ...EOF,
  ];
  const sheet2 = [...BOF(0x10), ...record(0x0203, cell(0, 0), f64(42)), ...EOF];
  const chartSheet = [...BOF(0x20), ...EOF];
  const namesLength = (n: string) => 4 + 8 + n.length * 2;
  const globalsLength =
    globalsHead.length + namesLength('Test 001') + namesLength('Chart') + namesLength('Two') + sst.length + cont.length + EOF.length;
  const o1 = globalsLength;
  const o2 = o1 + sheet1.length;
  const o3 = o2 + chartSheet.length;
  const stream = [
    ...globalsHead,
    ...boundsheet(o1, 'Test 001'),
    ...boundsheet(o2, 'Chart', 2),
    ...boundsheet(o3, 'Two'),
    ...sst,
    ...cont,
    ...EOF,
    ...sheet1,
    ...chartSheet,
    ...sheet2,
  ];
  const cfb = CFB.utils.cfb_new();
  CFB.utils.cfb_add(cfb, 'Workbook', Uint8Array.from(stream));
  return Uint8Array.from(CFB.write(cfb, { type: 'array' }) as number[]);
}

function rowsOf(wb: Workbook, name: string) {
  return [...wb.sheet(name)!.rows()];
}

describe('readXls on hand-built BIFF8', () => {
  it('reads sheet names (worksheets only), SST across CONTINUE, and every cell record type', () => {
    const wb = readXls(buildXls(), 'synthetic.xls');
    expect(wb.sheetNames).toEqual(['Test 001', 'Two']);
    const rows = rowsOf(wb, 'Test 001');
    expect(rows).toEqual([
      ['Hello', null, 'Temp ℃ rise'],
      [-1.25e-7, -12345, 123.45],
      [null, 0.5, 7],
      ['µlab', true, '#DIV/0!'],
      [2.5, 'formula', true],
      [],
      [null, null, null, '#N/A'],
    ]);
    expect(wb.sheet('Test 001')!.rowCount).toBe(7);
    expect(rowsOf(wb, 'Two')).toEqual([[42]]);
  });

  it('refuses encrypted and pre-BIFF8 workbooks as unsupported-format', () => {
    expect(() => readXls(buildXls({ encrypted: true }), 'e.xls')).toThrow(
      expect.objectContaining({ code: 'unsupported-format', message: expect.stringMatching(/encrypted/) as unknown }),
    );
    expect(() => readXls(buildXls({ version: 0x0500 }), 'old.xls')).toThrow(expect.objectContaining({ code: 'unsupported-format' }));
  });

  it('refuses a non-OLE2 file and an OLE2 file without a Workbook stream', () => {
    expect(() => readXls(new TextEncoder().encode('a\tb\n1\t2\n'), 'text.xls')).toThrow(
      expect.objectContaining({ code: 'unsupported-format' }),
    );
    const cfb = CFB.utils.cfb_new();
    CFB.utils.cfb_add(cfb, 'WordDocument', new Uint8Array([1, 2, 3]));
    const doc = Uint8Array.from(CFB.write(cfb, { type: 'array' }) as number[]);
    expect(() => readXls(doc, 'letter.xls')).toThrow(expect.objectContaining({ code: 'unsupported-format' }));
  });

  it('reports truncated and corrupted files as ImportError only', () => {
    const good = buildXls();
    const codes = new Set<string>();
    const tryRead = (bytes: Uint8Array) => {
      try {
        const wb = readXls(bytes, 'bad.xls');
        for (const n of wb.sheetNames) rowsOf(wb, n);
      } catch (error) {
        expect(error).toBeInstanceOf(ImportError);
        codes.add((error as ImportError).code);
      }
    };
    for (let cut = 8; cut < good.length; cut += 97) tryRead(good.subarray(0, cut));
    for (let k = 0; k < 300; k++) {
      const bad = good.slice();
      bad[(k * 7919) % bad.length] ^= 0xa5;
      tryRead(bad);
    }
    expect(codes.has('read-failed')).toBe(true);
  });
});
