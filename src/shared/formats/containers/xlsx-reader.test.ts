import fc from 'fast-check';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { writeXlsx } from '../../synth/xlsx-writer';
import { ImportError } from '../import-error';
import type { CellValue, Workbook } from './workbook';
import { openZip, probeXlsxHead, readXlsx, scanSheetXml, unescapeXmlText } from './xlsx-reader';

const enc = new TextEncoder();

function allRows(wb: Workbook, name: string): CellValue[][] {
  const sheet = wb.sheet(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  return [...sheet.rows()];
}

/** A minimal package around hand-written sheet XML, to test what our writer never emits. */
function packageWith(sheetXml: string, sharedStringsXml?: string): Uint8Array {
  const files: Record<string, Uint8Array> = {
    '_rels/.rels': enc.encode(
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>',
    ),
    'xl/workbook.xml': enc.encode(
      '<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="Data &amp; more" sheetId="1" rel:id="rIdA"/></x:sheets></x:workbook>',
    ),
    'xl/_rels/workbook.xml.rels': enc.encode(
      '\ufeff<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdA" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/../worksheets/s.xml"/><Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/></Relationships>',
    ),
    'xl/worksheets/s.xml': enc.encode(sheetXml),
  };
  if (sharedStringsXml !== undefined) files['xl/strings.xml'] = enc.encode(sharedStringsXml);
  return zipSync(files);
}

describe('readXlsx on workbooks from our writer', () => {
  const rows: CellValue[][] = [
    ['DataPoint', 'Time', 'Current(A)', 'Flag'],
    [1, '288:21:34.500', -0.00123, true],
    [2, 'a < b & "c"', 1e-300, false],
    [],
    [4, '  padded  ', 3.5, null, 'after gap'],
  ];

  for (const strings of ['shared', 'inline'] as const) {
    for (const omitReferences of [false, true]) {
      it(`round-trips values (${strings} strings, references ${omitReferences ? 'omitted' : 'written'})`, () => {
        const bytes = writeXlsx(
          [
            { name: 'record', rows },
            { name: 'second', rows: [[1], [2]] },
          ],
          { strings, omitReferences, dimension: 'A1' },
        );
        const wb = readXlsx(bytes, 'w.xlsx');
        expect(wb.sheetNames).toEqual(['record', 'second']);
        expect(allRows(wb, 'record')).toEqual(rows);
        expect(wb.sheet('record')!.rowCount).toBe(rows.length);
        expect(allRows(wb, 'second')).toEqual([[1], [2]]);
        expect(wb.sheet('Record')).toBeUndefined();
      });
    }
  }

  it('keeps row gaps and leading empty rows as empty arrays', () => {
    const wb = readXlsx(writeXlsx([{ name: 'S', rows: [[], [], ['x'], [], [null, 2]] }]), 'g.xlsx');
    expect(allRows(wb, 'S')).toEqual([[], [], ['x'], [], [null, 2]]);
    expect(wb.sheet('S')!.rowCount).toBe(5);
  });

  it('reads a sheet larger than one inflate chunk, row by row, with every value exact', () => {
    const n = 25_000;
    const big: CellValue[][] = [['i', 'v', 's']];
    for (let i = 0; i < n; i++) big.push([i, Math.sin(i) * 1e3, `t${i % 97}`]);
    const wb = readXlsx(writeXlsx([{ name: 'big', rows: big }]), 'big.xlsx');
    let k = 0;
    let mismatches = 0;
    for (const row of wb.sheet('big')!.rows()) {
      const want = big[k++];
      if (row[0] !== want[0] || row[1] !== want[1] || row[2] !== want[2]) mismatches++;
    }
    expect(k).toBe(n + 1);
    expect(mismatches).toBe(0);
    expect(wb.sheet('big')!.rowCount).toBe(n + 1);
  });

  it('is deterministic: the same sheets give the same bytes', () => {
    const a = writeXlsx([{ name: 'x', rows }]);
    const b = writeXlsx([{ name: 'x', rows }]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe('readXlsx on hand-written XML', () => {
  it('reads prefixed tags, rich and phonetic strings, formula text, errors, booleans, gaps in references', () => {
    const sst =
      '<sst xmlns="x"><si><t>plain</t></si><si><r><t>ri</t></r><r><rPr/><t xml:space="preserve">ch </t></r><rPh><t>PHONETIC</t></rPh></si><si><t>tab_x0009_here &#x2103;</t></si></sst>';
    const sheet =
      '<?xml version="1.0"?><x:worksheet xmlns:x="m"><x:dimension ref="A1"/><!-- a comment with <tags> --><x:sheetData>' +
      '<x:row r="2"><x:c r="B2" t="s"><x:v>0</x:v></x:c><x:c r="D2" t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c></x:row>' +
      '<x:row r="3" spans="1:5"><x:c r="A3" t="str"><x:f>A1&amp;"x"</x:f><x:v>joined</x:v></x:c><x:c r="B3" t="e"><x:v>#DIV/0!</x:v></x:c>' +
      '<x:c r="C3" t="b"><x:v>1</x:v></x:c><x:c r="D3"/><x:c r="E3" s="4"><x:f>1/3</x:f><x:v>0.33333333333333331</x:v></x:c></x:row>' +
      '<x:row r="4"/>' +
      '<x:row r="6"><x:c r="AA6" t="inlineStr"><x:is><x:r><x:t>in</x:t></x:r><x:r><x:t>line</x:t></x:r></x:is></x:c></x:row>' +
      '</x:sheetData></x:worksheet>';
    const wb = readXlsx(packageWith(sheet, sst), 'h.xlsx');
    expect(wb.sheetNames).toEqual(['Data & more']);
    const rows = allRows(wb, 'Data & more');
    expect(rows.length).toBe(6);
    expect(rows[0]).toEqual([]);
    expect(rows[1]).toEqual([null, 'plain', null, 'rich ', 'tab\there ℃']);
    expect(rows[2]).toEqual(['joined', '#DIV/0!', true, null, 0.3333333333333333]);
    expect(rows[3]).toEqual([]);
    expect(rows[4]).toEqual([]);
    expect(rows[5].length).toBe(27);
    expect(rows[5][26]).toBe('inline');
    expect(wb.sheet('Data & more')!.rowCount).toBe(6);
  });

  it('gives the same rows wherever the XML is split between chunks', () => {
    const xml = enc.encode(
      '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1"><v>-1.5E-3</v></c></row>' +
        '<row r="3"><c r="B3" t="inlineStr"><is><t>x&amp;y ℃</t></is></c><c r="C3" t="b"><v>0</v></c></row></sheetData></worksheet>',
    );
    const want = [['s0', null, -0.0015], [], [null, 'x&y ℃', false]];
    expect(scanSheetXml([xml], ['s0'], 'w.xlsx')).toEqual(want);
    for (let cut = 1; cut < xml.length; cut++) {
      expect(scanSheetXml([xml.subarray(0, cut), xml.subarray(cut)], ['s0'], 'w.xlsx')).toEqual(want);
    }
    const bytes = [...xml].map((b) => new Uint8Array([b]));
    expect(scanSheetXml(bytes, ['s0'], 'w.xlsx')).toEqual(want);
  });

  it('reads every number exactly as Number() does (fast decimal path and its fallback)', () => {
    const cellOf = (text: string) =>
      scanSheetXml([enc.encode(`<sheetData><row><c><v>${text}</v></c></row></sheetData>`)], [], 'n.xlsx')[0][0];
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 21 }), (x, k) => {
        for (const text of [String(x), x.toPrecision(k), x.toExponential(k - 1), x.toFixed(Math.min(k, 20))]) {
          if (!Object.is(cellOf(text), Number(text))) return false;
        }
        return true;
      }),
      { seed: 42, numRuns: 2000 },
    );
    expect(cellOf('1.0009999999999999')).toBe(1.0009999999999999);
    expect(cellOf('007')).toBe(7);
    expect(cellOf('-0')).toBe(-0);
    expect(cellOf('1e400')).toBe(Infinity);
    expect(cellOf('12abc')).toBe('12abc');
  });

  it('unescapes entities and _xHHHH_ escapes, leaving an escaped underscore literal', () => {
    expect(unescapeXmlText('a&lt;b&gt;&amp;&quot;&apos;&#65;&#x42;_x000D__x005F_x0041_')).toBe('a<b>&"\'AB\r_x0041_');
  });

  it('throws read-failed for a shared-string index out of range, naming the cell', () => {
    const bytes = packageWith(
      '<worksheet><sheetData><row r="1"><c r="C1" t="s"><v>5</v></c></row></sheetData></worksheet>',
      '<sst><si><t>a</t></si></sst>',
    );
    const wb = readXlsx(bytes, 'bad.xlsx');
    expect(() => allRows(wb, 'Data & more')).toThrow(/bad\.xlsx: .*cell C1 refers to shared string 5/);
  });

  it('throws read-failed for a row number beyond Excel’s limit and for XML cut inside a tag', () => {
    const tooFar = readXlsx(packageWith('<worksheet><sheetData><row r="99999999"><c><v>1</v></c></row></sheetData></worksheet>'), 'r.xlsx');
    expect(() => allRows(tooFar, 'Data & more')).toThrow(ImportError);
    const cut = readXlsx(packageWith('<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2'), 'c.xlsx');
    expect(() => allRows(cut, 'Data & more')).toThrow(/c\.xlsx: .*truncated/);
  });
});

describe('readXlsx errors', () => {
  const good = writeXlsx([{ name: 'a', rows: [[1, 2, 3]] }]);

  it('refuses bytes that are not a ZIP', () => {
    expect(() => readXlsx(enc.encode('Time,Voltage\n1,2\n'), 't.xlsx')).toThrow(
      expect.objectContaining({ code: 'unsupported-format', message: expect.stringMatching(/^t\.xlsx: /) as unknown }),
    );
  });

  it('refuses a ZIP that is not a spreadsheet package', () => {
    const zip = zipSync({ 'data.ndc': new Uint8Array([1, 2, 3]) });
    expect(() => readXlsx(zip, 'n.ndax')).toThrow(expect.objectContaining({ code: 'unsupported-format' }));
  });

  it('reports a truncated file as read-failed at every cut, never with another error type', () => {
    const failures = new Set<string>();
    for (let cut = 4; cut < good.length; cut += 7) {
      try {
        const wb = readXlsx(good.subarray(0, cut), 'cut.xlsx');
        for (const n of wb.sheetNames) void [...wb.sheet(n)!.rows()];
      } catch (error) {
        expect(error).toBeInstanceOf(ImportError);
        failures.add((error as ImportError).code);
      }
    }
    expect([...failures]).toEqual(['read-failed']);
  });

  it('reports corrupted bytes as ImportError, never another error type', () => {
    for (let k = 0; k < 200; k++) {
      const bad = good.slice();
      // Deterministic corruption spread over the whole file.
      const at = (k * 7919) % bad.length;
      bad[at] ^= 0x5a;
      try {
        const wb = readXlsx(bad, 'flip.xlsx');
        for (const n of wb.sheetNames) void [...wb.sheet(n)!.rows()];
      } catch (error) {
        expect(error).toBeInstanceOf(ImportError);
      }
    }
  });
});

describe('openZip and probeXlsxHead', () => {
  it('lists members and streams one in chunks equal to the whole', () => {
    const payload = new Uint8Array(3_000_000);
    let x = 2463534242;
    for (let i = 0; i < payload.length; i++) {
      // xorshift32: incompressible bytes, so the member spans many inflate chunks
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      payload[i] = x & 0xff;
    }
    const zip = openZip(zipSync({ 'a.txt': enc.encode('hello'), 'big.bin': payload }), 'z.zip');
    expect(zip.names).toEqual(['a.txt', 'big.bin']);
    const chunks = [...zip.stream('BIG.BIN')];
    expect(chunks.length).toBeGreaterThan(1);
    const joined = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
    let p = 0;
    for (const c of chunks) joined.set(c, (p += c.length) - c.length);
    expect(Buffer.from(joined).equals(Buffer.from(payload))).toBe(true);
    expect(new TextDecoder().decode(zip.read('a.txt'))).toBe('hello');
  });

  it('finds sheet names, application and first strings in the head only', () => {
    const bytes = writeXlsx([{ name: 'record', rows: [['DataPoint', 'Step Type']] }], { application: 'BTSDA', company: 'NEWARE' });
    const probe = probeXlsxHead(bytes.subarray(0, Math.min(bytes.length, 65536)));
    expect(probe.sheetNames).toEqual(['record']);
    expect(probe.application).toBe('BTSDA NEWARE');
    expect(probe.strings).toEqual(['DataPoint', 'Step Type']);
    expect(probeXlsxHead(enc.encode('not a zip')).memberNames).toEqual([]);
  });

  it('never throws on cut or corrupted heads', () => {
    const bytes = writeXlsx([
      {
        name: 'record',
        rows: [
          ['DataPoint', 'Step Type'],
          [1, 'Rest'],
        ],
      },
    ]);
    for (let cut = 0; cut <= bytes.length; cut += 13) expect(() => probeXlsxHead(bytes.subarray(0, cut))).not.toThrow();
    for (let k = 0; k < 300; k++) {
      const bad = bytes.slice();
      bad[(k * 4099) % bad.length] ^= 0xff;
      expect(() => probeXlsxHead(bad)).not.toThrow();
    }
  });
});
