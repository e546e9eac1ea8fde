/**
 * Every BioLogic file in ../shared/data/real/biologic against its references (MANIFEST.md):
 * - each .mpr against its .mpt twin (EC-Lab's own text export of the same run), raw column by raw column
 *   and canonical column by canonical column, rtol 1e-5 / atol 1e-8 as yadg's test_x_eclab.py;
 * - the German-locale export against the en_US one, the old-EC-Lab OCV export against the current one;
 * - the manifest's ranges and PyProBE's reference values for the BT-Lab exports;
 * - truncated real .mpr files fail with ImportError only.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { DatasetColumns } from '../model/dataset';
import { STEP_TYPE_CODE } from '../model/step-type';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON, readReal } from '../test-support/real-data';
import { BIOLOGIC_MPR, readMprTable } from './biologic-mpr';
import { BIOLOGIC_MPT } from './biologic-mpt';
import { isImportError } from './import-error';
import { guessEncoding } from './text-decoding';
import type { ParsedRecords } from './text-format';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

const RTOL = 1e-5;
const ATOL = 1e-8;

/** The pipeline's steps for a text file, driven by hand: decode, head, detect, line by line. */
function parseText(name: string, bytes: Uint8Array): ParsedRecords {
  const guess = guessEncoding(bytes);
  const text = new TextDecoder(guess.encoding).decode(bytes.subarray(guess.bomLength));
  const lines = text.split(/\r\n|\n|\r/);
  const endsWithBreak = /[\r\n]$/.test(text);
  if (endsWithBreak) lines.pop();
  const head = { fileName: name, encoding: guess.encoding, lines: lines.slice(0, 60) };
  expect(BIOLOGIC_MPT.detect(head)).toBe(true);
  const parser = BIOLOGIC_MPT.createParser(head);
  lines.forEach((line, i) => parser.onLine(line, i + 1, i === lines.length - 1 && !endsWithBreak));
  return parser.finish();
}

const parseReal = (name: string) => parseText(name, readReal(`biologic/${name}`));
const parseRealMpr = (name: string) => {
  const parsed = BIOLOGIC_MPR.parse(readReal(`biologic/${name}`), { fileName: name, services: {} });
  if (parsed.kind !== 'cycling') throw new Error('expected cycling');
  return parsed;
};

/** An independent, minimal reading of an .mpt's table: header line N, tab split, decimal comma → point. */
function readMptTable(name: string): { headers: string[]; rows: number[][] } {
  const bytes = readReal(`biologic/${name}`);
  const text = new TextDecoder(guessEncoding(bytes).encoding).decode(bytes);
  const lines = text.split(/\r?\n/);
  const n = Number(/Nb header lines : (\d+)/.exec(lines[1])![1]);
  const headers = lines[n - 1].split('\t');
  const rows = lines
    .slice(n)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t').map((c) => Number(c.replace(',', '.'))));
  return { headers, rows };
}

/** Largest violation of |a − b| ≤ atol + rtol·|b| (≤ 0 means all close), and where. */
function worstClose(a: ArrayLike<number>, b: ArrayLike<number>): { excess: number; at: number; maxAbs: number } {
  let excess = -Infinity;
  let at = -1;
  let maxAbs = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    maxAbs = Math.max(maxAbs, d);
    const e = d - (ATOL + RTOL * Math.abs(b[i]));
    if (e > excess) {
      excess = e;
      at = i;
    }
  }
  return { excess, at, maxAbs };
}

function expectAllClose(a: ArrayLike<number>, b: ArrayLike<number>, label: string): number {
  expect(a.length, label).toBe(b.length);
  const { excess, at, maxAbs } = worstClose(a, b);
  expect(excess, `${label}: row ${at}: ${a[at]} vs ${b[at]}`).toBeLessThanOrEqual(0);
  return maxAbs;
}

const TWINS = [
  'yadg_gcpl.issue_149',
  'yadg_gcpl.issue_226.CxN',
  'yadg_gcpl.pr_182.1',
  'yadg_mb.issue_95',
  'yadg_mb.issue_223',
  'yadg_cp',
  'yadg_cp.issue_61',
  'yadg_ocv',
] as const;

const CANONICAL_FLOAT: readonly (keyof DatasetColumns)[] = ['timeS', 'voltageV', 'currentMA', 'capacityMAh', 'temperatureC'];
const CANONICAL_INT: readonly (keyof DatasetColumns)[] = ['step', 'stepType', 'cycle'];

describeReal('BioLogic .mpr against its .mpt twin (../shared/data/real/biologic)', () => {
  it.each(TWINS)('%s.mpr decodes every raw column the .mpt also has to the same numbers', (stem) => {
    const table = readMprTable(readReal(`biologic/${stem}.mpr`), { fileName: `${stem}.mpr` });
    const mpt = readMptTable(`${stem}.mpt`);
    expect(table.pointCount).toBe(mpt.rows.length);
    let compared = 0;
    table.headers.forEach((header, k) => {
      const j = mpt.headers.indexOf(header);
      if (j === -1) return;
      expectAllClose(
        table.values[k],
        mpt.rows.map((r) => r[j]),
        `${stem} "${header}"`,
      );
      compared++;
    });
    // Every decoded column (named from MPR_COLUMNS) has its namesake in the export: the id table is right.
    expect(table.headers.filter((h) => !mpt.headers.includes(h))).toEqual([]);
    expect(compared).toBe(table.headers.length);
  });

  it.each(TWINS)('%s.mpr imports to the same canonical columns as %s.mpt', (stem) => {
    const fromMpr = parseRealMpr(`${stem}.mpr`);
    const fromMpt = parseReal(`${stem}.mpt`);
    expect(fromMpr.rowCount).toBe(fromMpt.rowCount);
    expect(fromMpr.rowCount).toBeGreaterThan(0);
    for (const key of CANONICAL_FLOAT) {
      const a = fromMpr.columns[key];
      const b = fromMpt.columns[key];
      expect(a === undefined, `${stem} ${key} presence`).toBe(b === undefined);
      if (a && b) expectAllClose(a, b, `${stem} ${key}`);
    }
    for (const key of CANONICAL_INT) {
      const a = fromMpr.columns[key];
      const b = fromMpt.columns[key];
      expect(a === undefined, `${stem} ${key} presence`).toBe(b === undefined);
      if (a && b) expect(Array.from(a), `${stem} ${key}`).toEqual(Array.from(b));
    }
    // The .mpr's log start + first time/s is the .mpt's "Acquisition started on" + first time/s.
    expect(fromMpr.startDateTime).toBe(fromMpt.startDateTime);
  });
});

describeReal('BioLogic text exports in ../shared/data/real/biologic', () => {
  it('the German-locale export (decimal commas) equals the en_US export of the same run', () => {
    const de = parseReal('yadg_mb.issue_95.de.mpt');
    const en = parseReal('yadg_mb.issue_95.mpt');
    expect(de.rowCount).toBe(33);
    expect(en.rowCount).toBe(33);
    for (const key of [...CANONICAL_FLOAT, ...CANONICAL_INT]) {
      const a = de.columns[key];
      const b = en.columns[key];
      expect(a === undefined).toBe(b === undefined);
      if (a && b) expect(Array.from(a), key).toEqual(Array.from(b));
    }
  });

  it('the old-EC-Lab OCV export (shorter header) equals the current one', () => {
    const old = parseReal('yadg_ocv.old.mpt');
    const cur = parseReal('yadg_ocv.mpt');
    expect(old.rowCount).toBe(602);
    expectAllClose(old.columns.timeS, cur.columns.timeS, 'time');
    expectAllClose(old.columns.voltageV, cur.columns.voltageV, 'voltage');
  });

  it('yadg_gcpl.issue_149.mpt (de_DE, cp1252, 81 header lines): manifest ranges, cycles from 1, signed current', () => {
    const r = parseReal('yadg_gcpl.issue_149.mpt');
    const { voltageV, currentMA, cycle, step, stepType, capacityMAh } = r.columns;
    expect(r.rowCount).toBe(132);
    expect(Math.min(...voltageV)).toBeCloseTo(3.414, 3);
    expect(Math.max(...voltageV)).toBeCloseTo(3.447, 3);
    expect(Math.max(...currentMA)).toBeCloseTo(0.03, 4);
    expect(Math.min(...currentMA)).toBeCloseTo(-0.03, 4);
    expect([Math.min(...cycle!), Math.max(...cycle!)]).toEqual([1, 4]);
    expect([Math.min(...step), Math.max(...step)]).toEqual([0, 2]);
    // Ns 1 is the charge (positive, oxidation), Ns 2 the discharge; rests are mode 3.
    for (let i = 0; i < r.rowCount; i++) {
      if (stepType[i] === STEP_TYPE_CODE.cc_charge) expect(currentMA[i]).toBeGreaterThan(0);
      if (stepType[i] === STEP_TYPE_CODE.cc_discharge) expect(currentMA[i]).toBeLessThan(0);
      if (stepType[i] === STEP_TYPE_CODE.rest) expect(currentMA[i]).toBe(0);
    }
    // 0.030 mA for 10 s is 8.33e-5 mAh per half cycle.
    expect(Math.max(...capacityMAh!)).toBeCloseTo((0.03 * 10) / 3600, 6);
    expect(r.warnings.map((w) => w.code)).toContain('time-origin');
  });

  it('yadg_gcpl.pr_182.1.mpt ("Nb header lines : 3"): 2533 rows, ±0.25 mA, 0.0038–2.355 V, cycles 1–5, 84 h', () => {
    const r = parseReal('yadg_gcpl.pr_182.1.mpt');
    const { timeS, voltageV, currentMA, cycle } = r.columns;
    expect(r.rowCount).toBe(2533);
    expect(Math.min(...voltageV)).toBeCloseTo(0.0038, 4);
    expect(Math.max(...voltageV)).toBeCloseTo(2.355, 3);
    expect(Math.max(...currentMA.map(Math.abs))).toBeCloseTo(0.25, 3);
    expect([Math.min(...cycle!), Math.max(...cycle!)]).toEqual([1, 5]);
    expect(timeS[r.rowCount - 1] / 3600).toBeCloseTo(84, 0);
  });

  it('yadg_cp.mpt: −99.9 mA galvanostatic, <Ewe> −3.59…−3.25 V, time/s 328–447 s rebased with a warning', () => {
    const r = parseReal('yadg_cp.mpt');
    const { timeS, voltageV, currentMA, stepType } = r.columns;
    expect(r.rowCount).toBe(121);
    expect(currentMA.every((i) => Math.abs(i + 99.9) < 0.1)).toBe(true);
    expect(stepType.every((s) => s === STEP_TYPE_CODE.cc_discharge)).toBe(true);
    expect(Math.min(...voltageV)).toBeCloseTo(-3.59, 2);
    expect(Math.max(...voltageV)).toBeCloseTo(-3.25, 2);
    expect(timeS[0]).toBe(0);
    expect(timeS[120]).toBeCloseTo(447 - 328, 0);
    expect(r.warnings.find((w) => w.code === 'time-origin')?.message).toContain('328.36');
    expect(r.sourceColumns.find((c) => c.mappedTo === 'voltage')?.header).toBe('<Ewe>/V');
  });

  it('yadg_cp.issue_61.mpt: 11 current steps (Ns 0–10) from 249 to 4500 mA, 1.66–2.20 V', () => {
    const r = parseReal('yadg_cp.issue_61.mpt');
    const { voltageV, currentMA, step } = r.columns;
    expect(r.rowCount).toBe(312);
    expect(Math.min(...currentMA)).toBeCloseTo(249.5, 0);
    expect(Math.max(...currentMA)).toBeCloseTo(4500, -1);
    expect(new Set(step).size).toBe(11);
    expect(Math.min(...voltageV)).toBeCloseTo(1.66, 2);
    expect(Math.max(...voltageV)).toBeCloseTo(2.2, 2);
  });

  it('yadg_mb.issue_223.mpt (en_GB, impedance columns): 108 rows, −0.363…0 mA, 3.697–3.700 V, Ns 0–8', () => {
    const r = parseReal('yadg_mb.issue_223.mpt');
    const { voltageV, currentMA, step } = r.columns;
    expect(r.rowCount).toBe(108);
    expect(Math.min(...currentMA)).toBeCloseTo(-0.363, 3);
    expect(Math.max(...currentMA)).toBeLessThan(0.005);
    expect(Math.min(...voltageV)).toBeCloseTo(3.697, 3);
    expect(Math.max(...voltageV)).toBeCloseTo(3.7, 3);
    expect([Math.min(...step), Math.max(...step)]).toEqual([0, 8]);
  });

  it('yadg_ocv.mpt: an OCV run has no current column: 0 mA, all rest, with a warning', () => {
    const r = parseReal('yadg_ocv.mpt');
    expect(r.rowCount).toBe(602);
    expect(r.columns.currentMA.every((i) => i === 0)).toBe(true);
    expect(r.columns.stepType.every((s) => s === STEP_TYPE_CODE.rest)).toBe(true);
    expect(Math.min(...r.columns.voltageV)).toBeCloseTo(0.256, 3);
    expect(Math.max(...r.columns.voltageV)).toBeCloseTo(0.467, 3);
    expect(r.columns.timeS[601]).toBeCloseTo(36000, 3);
    expect(r.warnings.find((w) => w.code === 'current-missing-open-circuit')?.count).toBe(602);
  });

  it("Sample_data_biologic_CA1.txt (BT-Lab, UTF-8 with U+FFFD in °C) matches PyProBE's reference values", () => {
    const r = parseReal('Sample_data_biologic_CA1.txt');
    const { timeS, voltageV, currentMA, temperatureC, step } = r.columns;
    const last = r.rowCount - 1;
    expect(r.rowCount).toBe(1397);
    expect(timeS[last]).toBeCloseTo(139.524007, 5);
    expect(currentMA[last]).toBeCloseTo(-899.826, 2);
    expect(voltageV[last]).toBeCloseTo(3.4854481, 6);
    expect(temperatureC![last]).toBeCloseTo(23.029291, 5);
    expect(step[last]).toBe(1);
    expect(r.startDateTime).toBe('2024-05-13 11:19:51.602');
    expect(r.sourceColumns.find((c) => c.mappedTo === 'temperature')).toBeDefined();
    expect(r.warnings.map((w) => w.code)).toContain('step-type-from-current');
  });

  it("Sample_data_biologic_timestamped.txt (date-times in time/s) gives PyProBE's times", () => {
    const r = parseReal('Sample_data_biologic_timestamped.txt');
    const expected = [0, 6.464, 7.464, 8.464, 9.464, 10.464, 11.464, 12.464];
    expect(r.rowCount).toBe(8);
    expected.forEach((t, i) => expect(r.columns.timeS[i]).toBeCloseTo(t, 6));
    expect(Math.max(...r.columns.currentMA)).toBeCloseTo(450, 0);
    expect(Math.min(...r.columns.voltageV)).toBeCloseTo(4.147, 3);
    expect(Math.max(...r.columns.voltageV)).toBeCloseTo(4.155, 3);
    expect(r.startDateTime).toBe('2024-11-20 11:38:41.707');
  });

  it("Sample_data_biologic_no_header.mpt (no header block, cp1252) matches PyProBE's last row", () => {
    const r = parseReal('Sample_data_biologic_no_header.mpt');
    const last = r.rowCount - 1;
    expect(r.rowCount).toBe(13);
    expect(r.columns.timeS[last]).toBeCloseTo(281792.50213 - 281672.3801174285, 5);
    expect(r.columns.currentMA[last]).toBe(0);
    expect(r.columns.voltageV[last]).toBeCloseTo(2.9814022, 6);
    expect(r.columns.temperatureC![last]).toBeCloseTo(24.506462, 5);
    expect(r.columns.step[last]).toBe(0);
    expect(r.columns.stepType.every((s) => s === STEP_TYPE_CODE.rest)).toBe(true);
  });

  it('test_loopsnewoutput_MB_CE1_short10k.csv (";", packed flags in mode/ox, dates in time/s): manifest ranges', () => {
    const r = parseReal('test_loopsnewoutput_MB_CE1_short10k.csv');
    const { timeS, voltageV, currentMA, cycle, stepType } = r.columns;
    expect(r.rowCount).toBe(9999);
    expect(Math.min(...currentMA)).toBeCloseTo(-362, 0);
    expect(Math.max(...currentMA)).toBeCloseTo(2498, 0);
    expect(Math.min(...voltageV)).toBeCloseTo(3.0, 2);
    expect(Math.max(...voltageV)).toBeCloseTo(4.28, 2);
    expect([Math.min(...cycle!), Math.max(...cycle!)]).toEqual([1, 3]);
    expect(r.startDateTime).toBe('2021-05-05 15:36:22.757');
    expect(timeS[1]).toBeCloseTo(22.756, 3);
    // The packed byte decodes to the three modes: rest, CC and CV all occur, CV only while charging here.
    const kinds = new Set(stepType);
    expect(kinds.has(STEP_TYPE_CODE.rest) && kinds.has(STEP_TYPE_CODE.cc_charge) && kinds.has(STEP_TYPE_CODE.cv_charge)).toBe(true);
    for (let i = 0; i < r.rowCount; i++) {
      if (stepType[i] === STEP_TYPE_CODE.cc_charge || stepType[i] === STEP_TYPE_CODE.cv_charge) expect(currentMA[i]).toBeGreaterThan(0);
    }
  });
});

describeReal('BioLogic .mpr files without a text twin', () => {
  it('jdb11-1 GCPL (2.4 MB, the largest): 46102 records in 2.0–3.8 V, timed', () => {
    const bytes = readReal('biologic/jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr');
    const t0 = performance.now();
    const r = BIOLOGIC_MPR.parse(bytes, { fileName: 'jdb11-1.mpr', services: {} });
    const ms = performance.now() - t0;
    if (r.kind !== 'cycling') throw new Error('expected cycling');
    console.warn(`jdb11-1 .mpr (${bytes.length} bytes, ${r.rowCount} records) parsed in ${ms.toFixed(1)} ms`);
    expect(r.rowCount).toBe(46102);
    expect(Math.min(...r.columns.voltageV)).toBeCloseTo(2.0, 2);
    expect(Math.max(...r.columns.voltageV)).toBeCloseTo(3.8, 2);
    expect(r.startDateTime?.startsWith('2020-10-26')).toBe(true);
  });

  it('00_test_02_MB_C01.mpr (new module header, big-endian column ids) reads its 11 records', () => {
    const r = parseRealMpr('00_test_02_MB_C01.mpr');
    expect(r.rowCount).toBe(11);
    expect(r.columns.timeS[10]).toBeCloseTo(10, 0);
  });

  it.each(['yadg_cp.mpr', 'yadg_gcpl.issue_149.mpr', 'yadg_ocv.mpr'])('%s cut short anywhere fails with an ImportError only', (name) => {
    const bytes = readReal(`biologic/${name}`);
    const cuts = [0, 10, 52, 60, 100, 200, 1000, 5000, bytes.length - 5000, bytes.length - 100, bytes.length - 1];
    for (const cut of cuts) {
      let error: unknown;
      try {
        BIOLOGIC_MPR.parse(bytes.subarray(0, cut), { fileName: name, services: {} });
      } catch (e) {
        error = e;
      }
      expect(isImportError(error), `cut at ${cut}: ${String(error)}`).toBe(true);
    }
  });
});
