import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readXlsx } from '../formats/containers/xlsx-reader';
import { columnLetters, writeXlsx } from './xlsx-writer';

describe('writeXlsx', () => {
  it('writes the same bytes for the same sheets (fixed timestamps and part order)', () => {
    const sheets = [
      {
        name: 'a',
        rows: [
          ['x', 1, true],
          [null, 2.5],
        ],
      },
    ];
    expect(Buffer.from(writeXlsx(sheets)).equals(Buffer.from(writeXlsx(sheets)))).toBe(true);
  });

  it('puts shared strings before the worksheets, and escapes text and control characters', () => {
    const bytes = writeXlsx([{ name: 'S & T', rows: [['<a>&"b"', 'tab\tnl\u0001', '_x0041_', ' pad ']] }]);
    const parts = unzipSync(bytes);
    const names = Object.keys(parts);
    expect(names.indexOf('xl/sharedStrings.xml')).toBeLessThan(names.indexOf('xl/worksheets/sheet1.xml'));
    const sst = new TextDecoder().decode(parts['xl/sharedStrings.xml']);
    expect(sst).toContain('&lt;a&gt;&amp;&quot;b&quot;');
    expect(sst).toContain('_x0001_');
    expect(sst).toContain('_x005F_x0041_');
    expect(sst).toContain('<t xml:space="preserve"> pad </t>');
    const rows = [...readXlsx(bytes, 'w.xlsx').sheet('S & T')!.rows()];
    expect(rows).toEqual([['<a>&"b"', 'tab\tnl\u0001', '_x0041_', ' pad ']]);
  });

  it('leaves non-finite numbers empty without shifting later cells', () => {
    for (const omitReferences of [false, true]) {
      const rows = [
        ...readXlsx(writeXlsx([{ name: 'n', rows: [[NaN, Infinity, 3]] }], { omitReferences }), 'n.xlsx')
          .sheet('n')!
          .rows(),
      ];
      expect(rows).toEqual([[null, null, 3]]);
    }
  });

  it('names columns as Excel does and refuses sheet names Excel refuses', () => {
    expect([0, 25, 26, 701, 702, 16383].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA', 'XFD']);
    expect(() => writeXlsx([])).toThrow(RangeError);
    expect(() => writeXlsx([{ name: 'a/b', rows: [] }])).toThrow(RangeError);
    expect(() => writeXlsx([{ name: 'x'.repeat(32), rows: [] }])).toThrow(RangeError);
    expect(() =>
      writeXlsx([
        { name: 'Dup', rows: [] },
        { name: 'dup', rows: [] },
      ]),
    ).toThrow(RangeError);
  });
});
