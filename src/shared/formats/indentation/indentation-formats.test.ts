/**
 * The nanoindentation readers on synthetic files with known contents: unit conversions, segment
 * markers, instrument results, warnings, detection boundaries, and bad input (ImportError only).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INDENT_SEGMENT_CODE } from '../../model/indentation';
import { utf8 } from '../../test-support/real-data';
import type { BinaryFormat, ParsedIndentation } from '../binary-format';
import type { CellValue, Workbook } from '../containers/workbook';
import { ImportError } from '../import-error';
import { encodeLatin1 } from '../../synth/hysitron-txt-writer';
import {
  agilentXlsFormat,
  fischerscopeTxtFormat,
  genericTwoColumnFormat,
  hysitronDmaFormat,
  hysitronHldFormat,
  hysitronTxtFormat,
  INDENTATION_FORMATS,
  klaXlsxFormat,
  micromaterialsTxtFormat,
} from './index';
import { readWorkbookCurves } from './workbook-curves';

const context = (fileName: string) => ({ fileName, services: {} });

function parse(format: BinaryFormat, bytes: Uint8Array, fileName = 'test.txt'): ParsedIndentation {
  const parsed = format.parse(bytes, context(fileName));
  if (parsed.kind !== 'indentation') throw new Error('expected indentation');
  return parsed;
}

/** The code of the ImportError `run` throws ('none' when it returns; rethrows anything else). */
function importErrorCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportError) return error.code;
    throw error;
  }
  return 'none';
}

/** Formats (in registry order) whose detect() claims the bytes. */
const claimedBy = (bytes: Uint8Array, fileName = 'test.txt'): string[] =>
  INDENTATION_FORMATS.filter((f) => f.detect(bytes, fileName)).map((f) => f.id);

/** Three-segment curve with a known peak: loading to 10 mN at 500 nm, unloading to 300 nm. */
const LOAD_CURVE = Array.from({ length: 30 }, (_, k) => {
  const up = k < 20;
  const depthNm = up ? 25 * (k + 1) : 500 - 20 * (k - 19);
  const loadMN = up ? 10 * ((k + 1) / 20) ** 2 : 10 * ((depthNm - 300) / 200) ** 1.5;
  return { depthNm, loadMN, timeS: 0.5 * k };
});

describe('Hysitron LC.txt', () => {
  const text = [
    'Mon Apr 29 10:41:06 2019',
    '',
    'Number of Points = 3',
    'Depth (nm)\tLoad (µN)\tTime (s)\tDepth (V)\tLoad (V)',
    '1.5\t2000\t0.0\t-0.1\t0.4',
    '10.25\t3000.5\t0.5\t-0.1\t0.5',
    '20\t1000\t1.0\t-0.1\t0.6',
  ].join('\r\n');

  it('reads depth nm, load µN -> mN, time s from a Latin-1 file', () => {
    const bytes = encodeLatin1(text);
    expect(claimedBy(bytes)).toEqual(['hysitron-txt']);
    const parsed = parse(hysitronTxtFormat, bytes, 'Steel0001LC.txt');
    const [c] = parsed.curves;
    expect(c.name).toBe('Steel0001LC');
    expect([...c.depthNm]).toEqual([1.5, 10.25, 20]);
    expect([...c.loadMN]).toEqual([2, 3.0005, 1]);
    expect([...c.timeS!]).toEqual([0, 0.5, 1]);
    expect(parsed.encoding).toBe('windows-1252');
    expect(parsed.warnings).toEqual([]);
    expect(parsed.instrumentSettings).toEqual({ testDate: 'Mon Apr 29 10:41:06 2019' });
  });

  it('warns when fewer rows than "Number of Points" arrive (file cut short)', () => {
    const cut = text.replace('Number of Points = 3', 'Number of Points = 5');
    const parsed = parse(hysitronTxtFormat, utf8(cut));
    expect(parsed.warnings.map((w) => [w.code, w.count])).toEqual([['point-count-mismatch', 2]]);
  });

  it('refuses a header whose load is not in a force unit', () => {
    const bad = text.replace('Load (µN)', 'Load (mV)');
    expect(importErrorCode(() => parse(hysitronTxtFormat, utf8(bad)))).toBe('missing-column');
  });
});

describe('Hysitron .hld', () => {
  const hld = [
    'File Version: Hysitron HighLoad FBControls 6.1 Release',
    'Time Stamp: Mon Dec 03 15:13:34 2018',
    'Tip C0: 24.5 nm^2/nm^2',
    'Maximum Demand: 2000 µN',
    'Number of Segments: 3',
    'Segment Begin Time: 0 s',
    'Segment End Time: 1 s',
    'Segment Begin Demand: 0 µN',
    'Segment End Demand: 2000 µN',
    'Segment Begin Time: 1 s',
    'Segment End Time: 2 s',
    'Segment Begin Demand: 2000 µN',
    'Segment End Demand: 2000 µN',
    'Segment Begin Time: 2 s',
    'Segment End Time: 3 s',
    'Segment Begin Demand: 2000 µN',
    'Segment End Demand: 0 µN',
    'Sample Approach Data Points: 2',
    'Time_s\tMotorDisp_mm\tPiezo Extension_nm',
    '0.1\t0\t-8',
    '0.2\t0\t-9',
    'Drift Measurement Data Points: 1',
    'Time_s\tDisp_nm',
    '1.0\t0.0',
    'Test Data Points: 4',
    'Time_s\tDisp_nm\tForce_µN\tLoadCell_nm',
    '0.5\t10\t1000\t0',
    '1.5\t20\t2000\t0',
    '2.5\t15\t1000\t0',
    '2.9\t12\t100\t0',
  ].join('\r\n');

  it('reads the Test block only, µN -> mN, and segments from the load function', () => {
    const bytes = encodeLatin1(hld);
    expect(claimedBy(bytes, 'a.hld')).toEqual(['hysitron-hld']);
    const parsed = parse(hysitronHldFormat, bytes, 'a.hld');
    const [c] = parsed.curves;
    expect([...c.depthNm]).toEqual([10, 20, 15, 12]);
    expect([...c.loadMN]).toEqual([1, 2, 1, 0.1]);
    const { loading, hold, unloading } = INDENT_SEGMENT_CODE;
    expect([...c.segment!]).toEqual([loading, hold, unloading, unloading]);
    expect(parsed.instrumentSettings).toMatchObject({ 'Tip C0 (nm^2/nm^2)': 24.5, 'Maximum Demand (mN)': 2 });
  });

  it('warns when the test block is cut short and refuses a file without it', () => {
    const cut = hld.split('\r\n').slice(0, -2).join('\r\n');
    const parsed = parse(hysitronHldFormat, utf8(cut), 'a.hld');
    expect(parsed.warnings.map((w) => w.code)).toEqual(['point-count-mismatch']);
    const noTest = hld.split('\r\n').slice(0, 24).join('\r\n');
    expect(() => parse(hysitronHldFormat, utf8(noTest), 'a.hld')).toThrow(/Test Data Points/);
  });
});

describe('Hysitron nanoDMA export', () => {
  const header = ' Test Time (s)\t Indent Disp. (nm)\t Indent Act. Load (µN)\t Indent Load (µN)\t Hardness (GPa)\t';
  const rows = ['1.0\t0.5\t120\t10\t0.0\t', '2.0\t5.0\t220\t100\t1.5\t'];

  it('uses the load on the sample (Indent Load), not the actuator load', () => {
    const bytes = encodeLatin1(['nanoDMA Text Export Version 1.00', '', header, ...rows].join('\n'));
    expect(claimedBy(bytes)).toEqual(['hysitron-dma']);
    const parsed = parse(hysitronDmaFormat, bytes);
    expect([...parsed.curves[0].loadMN]).toEqual([0.01, 0.1]);
    expect([...parsed.curves[0].depthNm]).toEqual([0.5, 5]);
    expect(parsed.warnings).toEqual([]);
  });

  it('falls back to the actuator load with a warning', () => {
    const noSample = header.replace('\t Indent Load (µN)', '\t Other (µN)');
    const parsed = parse(hysitronDmaFormat, utf8(['nanoDMA Text Export Version 1.00', '', noSample, ...rows].join('\n')));
    expect([...parsed.curves[0].loadMN]).toEqual([0.12, 0.22]);
    expect(parsed.warnings.map((w) => w.code)).toEqual(['actuator-load-used']);
  });
});

describe('FISCHERSCOPE text export', () => {
  const indent = (n: number, hmaxUm: string, block = 1) => [
    `T.hap   26.05.2020  15:1${n}:54`,
    'Indenter shape correction: Hardness',
    `HM  0.299995/    117.0/      0.0=   39${n}8.6`,
    `Block : ${block}   Value : ${n}`,
    'x=    44.65  y=     6.01\r',
    'We\t[µJ]\t      0.1\t    79.01%',
    'EIT/(1-vs^2)\t[GPa]\t     8' + n + '.7',
    'HIT\t[N/mm²]\t   8553.6',
    `hmax\t[µm]\t    ${hmaxUm}`,
    'hr\t[µm]\t    1.053',
    ' ',
    '20.95%  -  95.33% Fmax     Epsilon = 0.750\r',
    '\r',
    'F\th\tt\r',
    '0,5\t0,01\t0,1\r',
    '300\t1,5\t60\r',
    '30,25\t1,25\t120\r',
  ];
  const file = (indents: string[][]) =>
    encodeLatin1(
      [
        'T.hap\tName of the application',
        '\tApplication comment',
        'F = ESP n 300.000mN/120s/37s',
        '1\tNumber of block',
        '3928,59\t44,652\t6,01398\tHM\tx\ty',
        ...indents.flat(),
      ].join('\n'),
    );

  it('reads each indent: decimal commas, µm -> nm, unit-named instrument results', () => {
    const bytes = file([indent(1, '1.535'), indent(2, '1.554')]);
    expect(claimedBy(bytes)).toEqual(['fischerscope-txt']);
    const parsed = parse(fischerscopeTxtFormat, bytes);
    expect(parsed.curves.map((c) => c.name)).toEqual(['Indent 1', 'Indent 2']);
    const [a, b] = parsed.curves;
    expect([...a.loadMN]).toEqual([0.5, 300, 30.25]);
    expect([...a.depthNm]).toEqual([10, 1500, 1250]);
    expect([...a.timeS!]).toEqual([0.1, 60, 120]);
    expect(a.instrumentResults).toEqual({
      HM_N_mm2: 3918.6,
      We_uJ: 0.1,
      We_percent: 79.01,
      EIT_GPa: 81.7,
      HIT_N_mm2: 8553.6,
      hmax_um: 1.535,
      hr_um: 1.053,
    });
    expect(b.instrumentResults?.hmax_um).toBe(1.554);
    expect(b.instrumentResults?.EIT_GPa).toBe(82.7);
    expect(parsed.instrumentSettings).toMatchObject({
      testParameterF: 'ESP n 300.000mN/120s/37s',
      tangentFitRange: '20.95% - 95.33% Fmax',
      epsilon: 0.75,
    });
  });

  it('names indents by block when the file holds several blocks', () => {
    const parsed = parse(fischerscopeTxtFormat, file([indent(1, '1.5', 1), indent(1, '1.6', 2)]));
    expect(parsed.curves.map((c) => c.name)).toEqual(['Block 1 indent 1', 'Block 2 indent 1']);
  });

  it('refuses a file with the banner but no indent', () => {
    expect(() => parse(fischerscopeTxtFormat, file([]))).toThrow(ImportError);
  });
});

describe('Micro Materials NanoTest', () => {
  const rows = [
    '0.000000\t-300.0\t-0.010',
    '0.000000\t-100.0\t-0.005',
    '0.000000\t0.0\t0.000',
    ...Array.from({ length: 30 }, (_, k) => `${(0.5 * (k + 1)).toFixed(6)}\t${(10 * (k + 1)).toFixed(6)}\t${k.toFixed(6)}`),
  ];

  it('reads time, depth nm, load mN and marks the leading pre-contact rows as approach', () => {
    const bytes = utf8(rows.join('\r\n'));
    expect(claimedBy(bytes, 'site 1.txt')).toEqual(['micromaterials-txt']);
    const parsed = parse(micromaterialsTxtFormat, bytes, 'C:\\data\\site 1.txt');
    const [c] = parsed.curves;
    expect(c.name).toBe('site 1');
    expect(c.depthNm[0]).toBe(-300);
    expect(c.depthNm[32]).toBe(300);
    expect(c.loadMN[32]).toBe(29);
    expect(c.timeS![32]).toBe(15);
    expect(c.segment![0]).toBe(INDENT_SEGMENT_CODE.approach);
    expect(c.segment![2]).toBe(INDENT_SEGMENT_CODE.approach);
    expect(c.segment![3]).toBe(INDENT_SEGMENT_CODE.unknown);
  });

  it('is not claimed when the first column runs backwards (not a clock)', () => {
    const shuffled = [...rows.slice(5), rows[4]].join('\n');
    expect(micromaterialsTxtFormat.detect(utf8(shuffled), 'x.txt')).toBe(false);
  });
});

describe('generic two-column load–displacement text', () => {
  const rows = LOAD_CURVE.map((p) => [p.depthNm / 1000, p.loadMN * 1000, p.timeS]);

  it('tells columns apart by their units and converts µm and µN', () => {
    const text = ['Load (µN)\tDepth (µm)\tTime (s)', ...rows.map(([h, p, t]) => `${p}\t${h}\t${t}`)].join('\n');
    const bytes = utf8(text);
    expect(claimedBy(bytes)).toEqual(['indentation-two-column']);
    const parsed = parse(genericTwoColumnFormat, bytes);
    const [c] = parsed.curves;
    c.depthNm.forEach((v, k) => expect(v).toBeCloseTo(LOAD_CURVE[k].depthNm, 9));
    c.loadMN.forEach((v, k) => expect(v).toBeCloseTo(LOAD_CURVE[k].loadMN, 9));
    expect(c.timeS![29]).toBe(14.5);
    expect(parsed.warnings).toEqual([]);
  });

  it('reads N and nm with semicolons and decimal commas', () => {
    const text = ['h [nm];F [N]', '100,5;0,001', '200;0,004', '300;0,009', '250;0,004', '200;0,001', '190;0'].join('\n');
    const parsed = parse(genericTwoColumnFormat, utf8(text));
    expect([...parsed.curves[0].depthNm]).toEqual([100.5, 200, 300, 250, 200, 190]);
    expect([...parsed.curves[0].loadMN]).toEqual([1, 4, 9, 4, 1, 0]);
  });

  it('reads a headerless two-column file as nm and mN, with a warning', () => {
    const text = LOAD_CURVE.map((p) => `${p.depthNm} ${p.loadMN}`).join('\n');
    const parsed = parse(genericTwoColumnFormat, utf8(text), 'curve.dat');
    expect(parsed.curves[0].depthNm[19]).toBe(500);
    expect(parsed.curves[0].loadMN[19]).toBe(10);
    expect(parsed.warnings.map((w) => w.code)).toEqual(['units-assumed']);
  });

  it('does not claim cycler exports', () => {
    const cycler = [
      'Time(s),Voltage(V),Current(mA)',
      ...Array.from({ length: 20 }, (_, k) => `${k},${3 + k / 100},${k % 2 ? 1 : -1}`),
    ].join('\n');
    expect(claimedBy(utf8(cycler), 'cell.csv')).toEqual([]);
    const twoCol = ['Time (s)\tVoltage (V)', ...Array.from({ length: 20 }, (_, k) => `${k}\t3.${k}`)].join('\n');
    expect(claimedBy(utf8(twoCol), 'ocv.txt')).toEqual([]);
  });
});

/** An in-memory Workbook of the given sheets. */
function fakeWorkbook(sheets: Record<string, CellValue[][]>): Workbook {
  return {
    sheetNames: Object.keys(sheets),
    sheet: (name) => (sheets[name] === undefined ? undefined : { name, rowCount: sheets[name].length, rows: () => sheets[name] }),
  };
}

describe('indentation workbooks (NanoSuite / InView layouts)', () => {
  const INVALID = 1.7976931348623157e308;
  const test = (scale: number): CellValue[][] => [
    ['Segment', 'Displacement Into Surface', 'Load On Sample', 'Time On Sample', 'Modulus'],
    [null, 'µm', 'µN', 's', 'GPa'],
    ['Cycle Begin Marker 1', 0, 0, 0, INVALID],
    [null, 0.1 * scale, 1000, 1, INVALID],
    [null, INVALID, 1500, 1.5, 1],
    ['Cycle Unload Marker 1', 0.2 * scale, 4000, 2, 2],
    [null, 0.15, 1000, 3, 3],
    ['END', null, null, null, null],
    [null, 99, 99, 99, 99],
  ];
  const sheets = {
    Results: [
      ['Test', 'E', 'H', 'Tip Name', 'Time'],
      [null, 'GPa', 'GPa', null, null],
      ['1', null, null, 'Tip A', 0.5],
      ['1-1', 70.5, 9.1, null, null],
      [2, 71, 9.2, 'Tip A', 0.6],
      ['Mean', 70.7, 9.15, null, null],
    ],
    'Required Inputs': [
      ['Test', 'Poissons Ratio', 'Y Test Position'],
      [null, null, 'um'],
      [1, 0.18, 10],
      [2, 0.18, 20],
    ],
    'Inputs Editable Post Test': [
      ['Test', 'Frame Stiffness Correction'],
      [null, 'N/m'],
      [1, 3.6e6],
      [2, 3.6e6],
    ],
    'Test 002': test(2),
    'Test 001': test(1),
    Sheet1: [],
  };

  it('reads curves in test order, drops 1.797e308 points with a count, maps markers and Results', () => {
    const read = readWorkbookCurves(fakeWorkbook(sheets), context('FQ.xls'), ['Required Inputs', 'Inputs Editable Post Test']);
    expect(read.curves.map((c) => c.name)).toEqual(['Test 001', 'Test 002']);
    const [a, b] = read.curves;
    expect([...a.depthNm]).toEqual([0, 100, 200, 150]);
    expect([...a.loadMN]).toEqual([0, 1, 4, 1]);
    expect([...b.depthNm]).toEqual([0, 200, 400, 150]);
    const { loading, unloading } = INDENT_SEGMENT_CODE;
    expect([...a.segment!]).toEqual([loading, loading, unloading, unloading]);
    expect(read.warnings.map((w) => [w.code, w.count])).toEqual([['invalid-points-dropped', 2]]);
    expect(read.warnings[0].message).toContain('2 point(s)');
    expect(a.instrumentResults).toEqual({ unload1_E_GPa: 70.5, unload1_H_GPa: 9.1 });
    expect(b.instrumentResults).toEqual({ E_GPa: 71, H_GPa: 9.2 });
    expect(read.instrumentSettings).toEqual({
      Poissons_Ratio: 0.18,
      Frame_Stiffness_Correction_N_m: 3.6e6,
      Tip_Name: 'Tip A',
      poissonRatio: 0.18,
      frameStiffness_N_m: 3.6e6,
      tipName: 'Tip A',
    });
    expect(read.sourceColumns.filter((c) => c.mappedTo).map((c) => [c.header, c.unit, c.mappedTo])).toEqual([
      ['Displacement Into Surface', 'µm', 'depth'],
      ['Load On Sample', 'µN', 'load'],
      ['Time On Sample', 's', 'time'],
    ]);
  });

  it('reads InView sheets: any column order, mojibake units repaired', () => {
    const wb = fakeWorkbook({
      Results: [
        ['Test', 'Pmax'],
        [null, 'mN'],
        [1, 47.6],
      ],
      'Test 1': [
        ['Markers', 'Time', 'Load', 'Depth'],
        [null, 's', 'mN', 'Âµm'],
        ['Surface Index', 10, 0, 0],
        [null, 11, 5, 0.5],
        ['End Of Loading Index', 12, 10, 1],
        ['End Of Hold At Load Index', 13, 10, 1.01],
        [null, 14, 2, 0.8],
      ],
    });
    const read = readWorkbookCurves(wb, context('k.xlsx'), ['Pre-Test Inputs']);
    const [c] = read.curves;
    expect([...c.depthNm]).toEqual([0, 500, 1000, 1010, 800]);
    expect([...c.timeS!]).toEqual([10, 11, 12, 13, 14]);
    const { loading, hold, unloading } = INDENT_SEGMENT_CODE;
    expect([...c.segment!]).toEqual([loading, loading, hold, unloading, unloading]);
    expect(c.instrumentResults).toEqual({ Pmax_mN: 47.6 });
  });

  it('refuses a workbook without curve sheets and a unit of the wrong kind', () => {
    expect(() => readWorkbookCurves(fakeWorkbook({ Results: [] }), context('x.xls'), [])).toThrow(ImportError);
    const wrongUnit = fakeWorkbook({
      'Test 1': [
        ['Depth', 'Load'],
        ['V', 'mN'],
        [1, 1],
      ],
    });
    expect(() => readWorkbookCurves(wrongUnit, context('x.xls'), [])).toThrow(/unit "V"/);
  });
});

describe('bad input', () => {
  const textFormats = [
    hysitronTxtFormat,
    hysitronHldFormat,
    hysitronDmaFormat,
    fischerscopeTxtFormat,
    micromaterialsTxtFormat,
    genericTwoColumnFormat,
  ];

  it('every format throws ImportError (never anything else) on empty, garbage and binary bytes', () => {
    const inputs = [
      new Uint8Array(0),
      utf8('hello\nworld\n'),
      new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 1, 2]),
      new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0]),
    ];
    for (const format of INDENTATION_FORMATS) {
      for (const bytes of inputs) {
        expect(() => format.parse(bytes, context('bad.dat')), `${format.id}`).toThrow(ImportError);
      }
    }
  });

  it('workbook formats do not claim text, and text formats do not claim workbooks', () => {
    const ole = new Uint8Array(512);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(claimedBy(ole, 'x.xls')).toEqual([]);
    expect(agilentXlsFormat.detect(utf8('Displacement Into Surface\tLoad On Sample\n'), 'x.xls')).toBe(false);
    expect(klaXlsxFormat.detect(utf8('Test 1\tResults\n'), 'x.xlsx')).toBe(false);
  });

  it('truncated or corrupted text exports give curves or ImportError, nothing else', () => {
    const samples = [
      encodeLatin1(
        [
          'Mon Apr 29 10:41:06 2019',
          '',
          'Number of Points = 4',
          'Depth (nm)\tLoad (µN)\tTime (s)',
          '1\t2\t3',
          '4\t5\t6',
          '7\t8\t9',
          '1\t1\t1',
        ].join('\n'),
      ),
      utf8(['h (nm)\tP (mN)', '1\t2', '2\t3', '3\t4', '4\t5', '5\t6', '6\t7'].join('\n')),
      utf8(Array.from({ length: 25 }, (_, k) => `${k}\t${k * 2}\t${k * 3}`).join('\r\n')),
      encodeLatin1(
        [
          'T.hap\tName of the application',
          'T.hap   26.05.2020  15:17:54',
          'EIT/(1-vs^2)\t[GPa]\t 83.7',
          'F\th\tt',
          '0,5\t0,01\t0,1',
          '1,5\t0,02\t0,2',
        ].join('\n'),
      ),
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: samples.length - 1 }),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        (which, cutAt, edits) => {
          const source = samples[which];
          const bytes = source.slice(0, cutAt % (source.length + 1));
          for (const [at, value] of edits) if (bytes.length > 0) bytes[at % bytes.length] = value;
          for (const format of textFormats) {
            try {
              const parsed = format.parse(bytes, context('fuzz.txt'));
              if (parsed.kind !== 'indentation') return false;
              for (const c of parsed.curves) if (c.depthNm.length === 0 || c.loadMN.length !== c.depthNm.length) return false;
            } catch (error) {
              if (!(error instanceof ImportError)) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 300, seed: 20260304 },
    );
  });
});
