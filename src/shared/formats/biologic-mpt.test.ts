/**
 * BioLogic text exports written here with analytic answers (a rest, a +1 mA charge and a −1 mA
 * discharge of 1 mAh each), in every variant EC-Lab and BT-Lab write: header block of any length, no
 * header block, German decimal commas, the ";" CSV with packed flags; and the files that must be refused.
 */
import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { BIOLOGIC_MPT } from './biologic-mpt';
import { isImportError } from './import-error';
import type { ParsedRecords, TextHead } from './text-format';
import { errorOf } from '../test-support/errors';

const HEAD_LINES = 60;

function headOf(text: string, fileName = 'synthetic.mpt'): { head: TextHead; lines: string[]; endsWithBreak: boolean } {
  const lines = text.split(/\r\n|\n|\r/);
  const endsWithBreak = /[\r\n]$/.test(text);
  if (endsWithBreak) lines.pop();
  return { head: { fileName, encoding: 'utf-8', lines: lines.slice(0, HEAD_LINES) }, lines, endsWithBreak };
}

/** Drives the format as the pipeline does: detect on the head, then every line in order. */
function parseText(text: string, fileName = 'synthetic.mpt'): ParsedRecords {
  const { head, lines, endsWithBreak } = headOf(text, fileName);
  expect(BIOLOGIC_MPT.detect(head)).toBe(true);
  const parser = BIOLOGIC_MPT.createParser(head);
  lines.forEach((line, i) => parser.onLine(line, i + 1, i === lines.length - 1 && !endsWithBreak));
  return parser.finish();
}

interface Row {
  mode: number;
  ox: number;
  ns: number;
  timeS: number;
  ewe: number;
  iMA: number;
  qHalf: number;
  half: number;
  cycleNumber: number;
}

/** Rest 600 s, +1 mA for 3600 s, −1 mA for 3600 s, one record per minute, time/s from 1000 s. */
function gcplRows(): Row[] {
  const rows: Row[] = [];
  const add = (mode: number, ns: number, iMA: number, half: number, durationS: number, ewe: (f: number) => number) => {
    for (let t = 60; t <= durationS; t += 60) {
      const timeS = 1000 + rows.length * 60;
      rows.push({
        mode,
        ox: iMA >= 0 ? 1 : 0,
        ns,
        timeS,
        ewe: ewe(t / durationS),
        iMA,
        qHalf: (iMA * t) / 3600,
        half,
        cycleNumber: Math.floor(half / 2),
      });
    }
  };
  add(3, 0, 0, 0, 600, () => 0.62);
  add(1, 1, 1, 0, 3600, (f) => 0.65 + 0.1 * f);
  add(1, 2, -1, 1, 3600, (f) => 0.6 - 0.1 * f);
  return rows;
}

const COLUMNS = ['mode', 'ox/red', 'Ns', 'time/s', 'Ewe/V', 'I/mA', 'Q charge/discharge/mA.h', 'half cycle', 'cycle number'];

/** EC-Lab's number format: scientific with a 3-digit exponent, e.g. 3.4228721E+000. */
function sci(v: number, digits = 7, comma = false): string {
  const [mantissa, exponent] = v.toExponential(digits).split('e');
  const e = Number(exponent);
  const text = `${mantissa}E${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(3, '0')}`;
  return comma ? text.replace('.', ',') : text;
}

function cellsOf(r: Row, comma: boolean): string[] {
  return [
    String(r.mode),
    String(r.ox),
    String(r.ns),
    sci(r.timeS, 15, comma),
    sci(r.ewe, 7, comma),
    sci(r.iMA, 7, comma),
    sci(r.qHalf, 15, comma),
    String(r.half),
    sci(r.cycleNumber, 15, comma),
  ];
}

interface MptOptions {
  comma?: boolean;
  /** Lines of settings between line 2 and the column header (0: "Nb header lines : 3"). */
  settingsLines?: number;
  banner?: boolean;
  technique?: string;
  columns?: readonly string[];
  rows?: readonly string[][];
}

function writeMpt(options: MptOptions = {}): string {
  const comma = options.comma ?? false;
  const columns = options.columns ?? COLUMNS;
  const rows = options.rows ?? gcplRows().map((r) => cellsOf(r, comma));
  const table = [`${columns.join('\t')}\t`, ...rows.map((cells) => cells.join('\t'))];
  if (options.banner === false) return `${table.join('\r\n')}\r\n`;
  const settings = [
    '',
    options.technique ?? 'Galvanostatic Cycling with Potential Limitation',
    '',
    'Acquisition started on : 01/10/2024 11:02:29.886',
  ];
  while (settings.length < (options.settingsLines ?? 4)) settings.push(`Setting ${settings.length} : ${comma ? '3,00' : '3.00'} V`);
  settings.length = options.settingsLines ?? 4;
  const lines = ['EC-Lab ASCII FILE', `Nb header lines : ${settings.length + 3}                          `, ...settings, ...table];
  return `${lines.join('\r\n')}\r\n`;
}

describe('BIOLOGIC_MPT on synthetic exports with analytic answers', () => {
  const rows = gcplRows();
  const endOfCharge = 10 + 60 - 1;
  const last = rows.length - 1;

  it('a GCPL export: signs, step types, capacities of 1 mAh, cycles from 1, time rebased, start date', () => {
    const r = parseText(writeMpt());
    const { timeS, currentMA, stepType, step, cycle, capacityMAh, voltageV } = r.columns;
    expect(r.rowCount).toBe(rows.length);
    expect(timeS[0]).toBe(0);
    expect(timeS[last]).toBe((rows.length - 1) * 60);
    expect([stepType[0], stepType[endOfCharge], stepType[last]]).toEqual([
      STEP_TYPE_CODE.rest,
      STEP_TYPE_CODE.cc_charge,
      STEP_TYPE_CODE.cc_discharge,
    ]);
    expect([currentMA[0], currentMA[endOfCharge], currentMA[last]]).toEqual([0, 1, -1]);
    expect(capacityMAh![endOfCharge]).toBeCloseTo(1, 6);
    expect(capacityMAh![last]).toBeCloseTo(1, 6);
    expect(voltageV[endOfCharge]).toBeCloseTo(0.75, 6);
    expect([step[0], step[endOfCharge], step[last]]).toEqual([0, 1, 2]);
    expect(new Set(cycle)).toEqual(new Set([1]));
    // Acquisition start + the first record's 1000 s.
    expect(r.startDateTime).toBe('2024-01-10 11:19:09.886');
    const codes = r.warnings.map((w) => w.code);
    expect(codes).toContain('time-origin');
    expect(codes).toContain('cycle-renumbered');
    expect(r.sourceColumns.find((c) => c.header === 'I/mA')?.mappedTo).toBe('current');
  });

  it('German decimal commas (also in 3,4228721E+000) give the very same numbers', () => {
    const en = parseText(writeMpt());
    const de = parseText(writeMpt({ comma: true }));
    for (const key of ['timeS', 'voltageV', 'currentMA', 'capacityMAh', 'cycle', 'stepType'] as const) {
      expect(Array.from(de.columns[key]!), key).toEqual(Array.from(en.columns[key]!));
    }
  });

  it('any header length: 3 lines (settings left out) and 150 lines (beyond the detection head)', () => {
    const reference = parseText(writeMpt());
    for (const settingsLines of [0, 147]) {
      const r = parseText(writeMpt({ settingsLines }));
      expect(r.rowCount).toBe(rows.length);
      expect(Array.from(r.columns.currentMA)).toEqual(Array.from(reference.columns.currentMA));
    }
  });

  it('an export without a header block (first line = BioLogic column names)', () => {
    const r = parseText(writeMpt({ banner: false }));
    expect(r.rowCount).toBe(rows.length);
    expect(r.columns.currentMA[last]).toBe(-1);
    expect(r.startDateTime).toBeUndefined();
  });

  it('units in the header are converted: I/A, Ecell/mV, (Q-Qo)/C', () => {
    const text = writeMpt({
      columns: ['mode', 'time/s', 'Ecell/mV', 'I/A', '(Q-Qo)/C'],
      rows: [
        ['3', '0', '620', '0', '0'],
        ['1', '1', '650', '0.001', '0'],
        ['1', '3601', '750', '0.001', '3.6'],
      ],
    });
    const r = parseText(text);
    expect(Array.from(r.columns.voltageV)).toEqual([0.62, 0.65, 0.75].map(Math.fround));
    expect(Array.from(r.columns.currentMA)).toEqual([0, 1, 1]);
    // 3.6 C = 1 mAh, counted from the start of the CC step.
    expect(r.columns.capacityMAh![2]).toBeCloseTo(1, 6);
    expect(r.warnings.map((w) => w.code)).toContain('capacity-from-cumulative-charge');
  });

  it('the ";" CSV conversion: unnamed index column, packed flags byte in mode/ox, date-times in time/s', () => {
    const text = [
      ';mode;ox;error;time/s;Ecell/V;I/mA;cycle number;Ns',
      '0;7;7;7;05/05/2021 15:36:22.757;3.8;0.0;0;0',
      '1;53;53;53;05/05/2021 15:36:45.513;4.2;2500.0;0;1',
      '2;150;150;150;05/05/2021 15:37:45.513;4.2;1200.0;0;2',
      '3;17;17;17;05/05/2021 15:38:45.513;4.0;-500.0;1;3',
      '',
    ].join('\n');
    const r = parseText(text, 'export.csv');
    expect(Array.from(r.columns.stepType)).toEqual([
      STEP_TYPE_CODE.rest,
      STEP_TYPE_CODE.cc_charge,
      STEP_TYPE_CODE.cv_charge,
      STEP_TYPE_CODE.cc_discharge,
    ]);
    expect(Array.from(r.columns.timeS)).toEqual([0, 22.756, 82.756, 142.756]);
    expect(Array.from(r.columns.cycle!)).toEqual([1, 1, 1, 2]);
    expect(r.startDateTime).toBe('2021-05-05 15:36:22.757');
  });

  it('time/s wins over an absolute Date column; a Date column alone gives the times', () => {
    const rowsWithDate = [
      ['2024-05-13 11:19:51.602', '0', '3.5', '0'],
      ['2024-05-13 11:19:52.602', '1', '3.49', '-900'],
    ];
    const both = parseText(writeMpt({ banner: false, columns: ['Date', 'time/s', 'Ecell/V', 'I/mA'], rows: rowsWithDate }));
    expect(Array.from(both.columns.timeS)).toEqual([0, 1]);
    const dateOnly = parseText(
      writeMpt({ banner: false, columns: ['Date', 'Ecell/V', 'I/mA'], rows: rowsWithDate.map(([d, , v, i]) => [d, v, i]) }),
    );
    expect(Array.from(dateOnly.columns.timeS)).toEqual([0, 1]);
    expect(dateOnly.startDateTime).toBe('2024-05-13 11:19:51.602');
    expect(Array.from(dateOnly.columns.stepType)).toEqual([STEP_TYPE_CODE.rest, STEP_TYPE_CODE.cc_discharge]);
  });

  it('without I, <I> or dq the set-point is used: control/mA, or control/V/mA in CC rows only', () => {
    const rows = [
      ['3', '0', '3.5', '0'],
      ['1', '1', '3.6', '0.5'],
    ];
    const control = parseText(writeMpt({ columns: ['mode', 'time/s', 'Ewe/V', 'control/mA'], rows }));
    expect(Array.from(control.columns.currentMA)).toEqual([0, 0.5]);
    expect(control.warnings.map((w) => w.code)).toContain('current-from-control');
    const both = parseText(writeMpt({ columns: ['mode', 'time/s', 'Ewe/V', 'control/V/mA'], rows: [...rows, ['2', '2', '4.2', '4.2']] }));
    // The CV row's control/V/mA is a voltage: that record has no current and is skipped, counted.
    expect(Array.from(both.columns.currentMA)).toEqual([0, 0.5]);
    expect(both.warnings.find((w) => w.code === 'rows-skipped')?.count).toBe(1);
  });

  it('an OCV export has no current column: 0 mA with a warning', () => {
    const text = writeMpt({
      technique: 'Open Circuit Voltage',
      columns: ['mode', 'error', 'time/s', 'Ewe/V'],
      rows: [
        ['3', '0', '0', '0.256'],
        ['3', '0', '60', '0.300'],
      ],
    });
    const r = parseText(text);
    expect(Array.from(r.columns.currentMA)).toEqual([0, 0]);
    expect(r.warnings.find((w) => w.code === 'current-missing-open-circuit')?.count).toBe(2);
  });

  it('a last line cut mid-number is dropped and counted; a complete one without a line break is kept', () => {
    const whole = writeMpt();
    const cut = whole.slice(0, whole.trimEnd().length - 3);
    const r = parseText(cut);
    expect(r.rowCount).toBe(rows.length - 1);
    expect(r.warnings.find((w) => w.code === 'rows-skipped')?.count).toBe(1);
    expect(parseText(whole.trimEnd()).rowCount).toBe(rows.length);
  });
});

describe('BIOLOGIC_MPT refuses what it cannot read, with an ImportError', () => {
  it('no potential column: missing-column when the parser is created', () => {
    const { head } = headOf(writeMpt({ columns: ['mode', 'time/s', 'I/mA'], rows: [['1', '0', '1']] }));
    const error = errorOf(() => BIOLOGIC_MPT.createParser(head));
    expect(isImportError(error) && error.code).toBe('missing-column');
  });

  it('no current column and no mode column (not an OCV technique): missing-column', () => {
    const { head } = headOf(writeMpt({ columns: ['time/s', 'Ewe/V'], rows: [['0', '1']] }));
    const error = errorOf(() => BIOLOGIC_MPT.createParser(head));
    expect(isImportError(error) && error.code).toBe('missing-column');
  });

  it('no current column while records are under current control (mode 1): missing-column at the end', () => {
    const text = writeMpt({
      columns: ['mode', 'time/s', 'Ewe/V'],
      rows: [
        ['3', '0', '1'],
        ['1', '1', '1.1'],
      ],
    });
    const error = errorOf(() => parseText(text));
    expect(isImportError(error) && error.code).toBe('missing-column');
    expect(String(error)).toContain('mode CC/CV');
  });

  it('a banner without "Nb header lines"', () => {
    const { head } = headOf('EC-Lab ASCII FILE\r\nsomething else\r\n');
    expect(isImportError(errorOf(() => BIOLOGIC_MPT.createParser(head)))).toBe(true);
  });

  it('does not claim generic or NEWARE CSVs', () => {
    for (const first of [
      'time,voltage,current',
      'Time (s)\tVoltage (V)\tCurrent (mA)',
      'DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,Current(mA),Voltage(V)',
    ]) {
      expect(BIOLOGIC_MPT.detect({ fileName: 'x.csv', encoding: 'utf-8', lines: [first, '1,2,3'] })).toBe(false);
    }
  });
});
