/**
 * Indentation curves from instrument workbooks (Agilent/Keysight NanoSuite .xls, KLA InView .xlsx, MTS
 * Analyst averaged .xls), read through the format-neutral {@link Workbook}:
 *
 *   sheet names -> test sheets (`Test 001` / `Test 1`, in test order) or, without them, every sheet whose
 *   first row names a displacement and a load -> per sheet: row 1 names, row 2 units -> curve points
 *   (invalid 1.797e308 values dropped and counted; markers -> segment codes; `END` stops)
 *   -> Results sheet rows matched to tests by number -> instrumentResults
 *   -> input sheets (Poisson's ratio, frame stiffness …) -> instrumentSettings when equal for all tests.
 */
import type { ImportWarning, SourceColumn } from '../../model/dataset';
import type { IndentationCurve } from '../../model/indentation';
import { splitHeaderUnit } from '../../model/units';
import type { ParseContext } from '../binary-format';
import type { CellValue, Workbook, WorkbookSheet } from '../containers/workbook';
import { ImportError } from '../import-error';
import {
  checkAbort,
  CurveBuilder,
  droppedPointsWarning,
  mNPerUnit,
  nmPerUnit,
  repairMojibake,
  segmentCode,
  sourceColumn,
  sPerUnit,
} from './common';

/**
 * Agilent writes invalid values (no stiffness yet, failed calculation) as the largest double,
 * 1.7976931348623157e308; anything this large is not a measurement.
 */
const INVALID_VALUE_THRESHOLD = 1e300;

const TEST_SHEET = /^Test\s+(\d+)$/i;
const DEPTH_NAMES = /^(Displacement Into Surface|Depth|DEPTH)$/i;
const LOAD_NAMES = /^(Load On Sample|Load|LOAD)$/i;
const TIME_NAMES = /^(Time On Sample|Time|TIME)$/i;
const MARKER_NAMES = /^(Segment|Markers?|)$/i;

/** Marker text -> the segment that starts at that row (undefined: the marker does not change it). */
function segmentOfMarker(marker: string): number | undefined {
  const m = marker.trim().toLowerCase();
  if (/unload|end of hold at load|end drift data/.test(m)) return segmentCode('unloading');
  if (/hold|end of loading|begin drift data/.test(m)) return segmentCode('hold');
  if (/cycle begin|surface|load segment/.test(m)) return segmentCode('loading');
  return undefined;
}

/** Text of a cell ('' for empty), mojibake repaired. */
function cellText(cell: CellValue | undefined): string {
  if (cell === null || cell === undefined) return '';
  return repairMojibake(String(cell)).trim();
}

/** A numeric cell, NaN for text, empty and invalid-marker values. */
function cellNumber(cell: CellValue | undefined): number {
  if (typeof cell === 'number') return Math.abs(cell) >= INVALID_VALUE_THRESHOLD ? NaN : cell;
  if (typeof cell === 'string' && cell.trim().length > 0) {
    const v = Number(cell.trim());
    return Number.isFinite(v) && Math.abs(v) < INVALID_VALUE_THRESHOLD ? v : NaN;
  }
  return NaN;
}

/** True when a numeric cell holds the instrument's invalid-value marker. */
const isInvalidMarker = (cell: CellValue | undefined): boolean => typeof cell === 'number' && Math.abs(cell) >= INVALID_VALUE_THRESHOLD;

const isBlankRow = (row: readonly CellValue[]): boolean => row.every((c) => cellText(c) === '');

/** `N/m` -> `N_m`, `µm` -> `um`, `nm²` -> `nm2`. */
export function unitSuffix(unit: string): string {
  // InView writes `None` / `Integer` / `Index` for dimensionless inputs.
  if (/^\s*(none|integer|index|-+)\s*$/i.test(unit)) return '';
  return repairMojibake(unit)
    .trim()
    .replace(/[µμ]/g, 'u')
    .replace(/²/g, '2')
    .replace(/%/g, 'percent')
    .replace(/\//g, '_')
    .replace(/[^A-Za-z0-9_]/g, '');
}

/** A key with its unit: `Avg E` + `GPa` -> `Avg_E_GPa`; `Poissons Ratio` + `` -> `Poissons_Ratio`. */
export function keyWithUnit(name: string, unit: string): string {
  const base = repairMojibake(name)
    .trim()
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const suffix = unitSuffix(unit);
  return suffix.length > 0 ? `${base}_${suffix}` : base;
}

/** The first `count` rows of a sheet (the iterator stops early). */
function firstRows(sheet: WorkbookSheet, count: number): CellValue[][] {
  const out: CellValue[][] = [];
  for (const row of sheet.rows()) {
    out.push(row);
    if (out.length >= count) break;
  }
  return out;
}

interface CurveColumns {
  depth: number;
  load: number;
  time: number;
  marker: number;
  names: string[];
  units: string[];
  /** Index of the first data row (1 without a units row, 2 with one). */
  firstDataRow: number;
}

/** Where a sheet's depth/load/time/marker columns are, or undefined when it holds no curve. */
function curveColumns(sheet: WorkbookSheet): CurveColumns | undefined {
  const [header, second] = firstRows(sheet, 2);
  if (!header) return undefined;
  const texts = header.map(cellText);
  const split = texts.map((t) => splitHeaderUnit(t));
  // Names as split from an inline unit (`Depth (nm)`), else the whole cell.
  const find = (re: RegExp): number => {
    const k = split.findIndex((s) => re.test(s.name));
    return k >= 0 ? k : texts.findIndex((t) => re.test(t));
  };
  const depth = find(DEPTH_NAMES);
  const load = find(LOAD_NAMES);
  if (depth < 0 || load < 0) return undefined;
  const time = find(TIME_NAMES);
  const markerIdx = find(MARKER_NAMES);
  // Row 2 holds units when its depth and load cells are text, not numbers.
  const hasUnitRow = second !== undefined && typeof second[depth] !== 'number' && typeof second[load] !== 'number';
  // An inline "unit" counts only when it is one: `STANDARD DEVIATION (Load On Sample)` names a channel.
  const isUnit = (u: string): boolean => nmPerUnit(u) !== undefined || mNPerUnit(u) !== undefined || sPerUnit(u) !== undefined;
  const units = split.map((s, k) => {
    const row2 = hasUnitRow ? cellText(second[k]) : '';
    return row2 !== '' ? row2 : isUnit(s.unit) ? s.unit : '';
  });
  return {
    depth,
    load,
    time,
    marker: markerIdx,
    names: texts,
    units,
    firstDataRow: hasUnitRow ? 2 : 1,
  };
}

/** A unit's factor, the default when the file leaves it empty; throws for a unit of the wrong kind. */
function factorOf(unit: string, toCanonical: (u: string) => number | undefined, what: string, sheet: string, fileName: string): number {
  if (unit === '') return 1;
  const f = toCanonical(unit);
  if (f === undefined) {
    throw new ImportError('missing-column', fileName, `sheet "${sheet}": the ${what} column's unit "${unit}" is not understood.`);
  }
  return f;
}

/** One sheet's curve; `dropped` counts the points removed for invalid values. */
function readCurve(
  sheet: WorkbookSheet,
  columns: CurveColumns,
  name: string,
  fileName: string,
): { curve: IndentationCurve; dropped: number } {
  const builder = new CurveBuilder(
    factorOf(columns.units[columns.depth], nmPerUnit, 'depth', sheet.name, fileName),
    factorOf(columns.units[columns.load], mNPerUnit, 'load', sheet.name, fileName),
    columns.time < 0 ? 1 : factorOf(columns.units[columns.time], sPerUnit, 'time', sheet.name, fileName),
  );
  const hasMarkers = columns.marker >= 0 && columns.marker !== columns.depth && columns.marker !== columns.load;
  let segment = segmentCode('unknown');
  let rowIndex = 0;
  let dropped = 0;
  for (const row of sheet.rows()) {
    if (rowIndex++ < columns.firstDataRow) continue;
    if (hasMarkers) {
      const marker = cellText(row[columns.marker]);
      if (/^END$/i.test(marker)) break;
      if (marker !== '') segment = segmentOfMarker(marker) ?? segment;
    }
    const d = row[columns.depth];
    const p = row[columns.load];
    const t = columns.time < 0 ? null : row[columns.time];
    if (isBlankRow([d, p, t ?? null])) continue;
    if (isInvalidMarker(d) || isInvalidMarker(p) || isInvalidMarker(t ?? null)) {
      dropped++;
      continue;
    }
    builder.push(cellNumber(d), cellNumber(p), t === null ? NaN : cellNumber(t), hasMarkers ? segment : undefined);
  }
  dropped += builder.droppedPoints;
  return { curve: builder.finish(name, fileName), dropped };
}

/** A Results / inputs table: header names, units, and the data rows below them. */
interface Table {
  names: string[];
  units: string[];
  rows: CellValue[][];
}

function readTable(sheet: WorkbookSheet | undefined): Table | undefined {
  if (!sheet) return undefined;
  const all: CellValue[][] = [];
  for (const row of sheet.rows()) all.push(row);
  if (all.length < 2) return undefined;
  const names = all[0].map(cellText);
  const units = all[1].map(cellText);
  return { names, units, rows: all.slice(2) };
}

/**
 * The test a Results row belongs to: `1`, or `1-3` (NanoSuite) / `1:3` (InView Cycles sheets) for
 * unload 3 of test 1; undefined for Mean / Std. Dev. rows and headings.
 */
function testOfRow(cell: CellValue | undefined): { test: number; sub?: number } | undefined {
  if (typeof cell === 'number' && Number.isInteger(cell)) return { test: cell };
  const m = /^\s*(\d+)\s*(?:[-:]\s*(\d+))?\s*$/.exec(cellText(cell));
  if (!m) return undefined;
  return m[2] === undefined ? { test: Number(m[1]) } : { test: Number(m[1]), sub: Number(m[2]) };
}

/**
 * Instrument results per test number: numeric cells keyed `name_unit`; an unload's row (`1-3`) gets
 * the prefix `unload3_`. Text cells (tip name) go to `textByKey`. Clock-time columns are skipped.
 */
function resultsByTest(
  table: Table | undefined,
  textByKey: Map<string, Set<string>>,
  out = new Map<number, Record<string, number>>(),
): Map<number, Record<string, number>> {
  if (!table) return out;
  for (const row of table.rows) {
    const id = testOfRow(row[0]);
    if (!id) continue;
    const results = out.get(id.test) ?? {};
    out.set(id.test, results);
    for (let k = 1; k < table.names.length; k++) {
      const name = table.names[k];
      if (name === '') continue;
      const cell = row[k];
      // `Time` / `Time At Start Of Approach` are Excel clock times (fractions of a day), not results.
      if (/^Time\b/i.test(name) && (table.units[k] ?? '') === '') continue;
      // InView's per-cycle columns are `Cycle Pmax`, `Cycle Su` …: the unload prefix says it already.
      const key = keyWithUnit(id.sub === undefined ? name : name.replace(/^Cycle\s+/i, ''), table.units[k] ?? '');
      if (typeof cell === 'string' && cellText(cell) !== '' && !Number.isFinite(cellNumber(cell))) {
        const set = textByKey.get(key) ?? new Set<string>();
        set.add(cellText(cell));
        textByKey.set(key, set);
        continue;
      }
      const v = cellNumber(cell ?? null);
      if (!Number.isFinite(v)) continue;
      results[id.sub === undefined ? key : `unload${id.sub}_${key}`] = v;
    }
  }
  return out;
}

/** Input-sheet values that are the same for every test row (per-test values such as positions are skipped). */
function constantInputs(table: Table | undefined, into: Record<string, string | number>): void {
  if (!table) return;
  for (let k = 1; k < table.names.length; k++) {
    const name = table.names[k];
    if (name === '') continue;
    const values = table.rows.filter((r) => testOfRow(r[0]) !== undefined).map((r) => r[k]);
    if (values.length === 0) continue;
    const numbers = values.map((v) => cellNumber(v ?? null));
    const key = keyWithUnit(name, table.units[k] ?? '');
    if (numbers.every((v) => Number.isFinite(v) && v === numbers[0])) into[key] = numbers[0];
    else {
      const texts = values.map((v) => cellText(v));
      if (texts[0] !== '' && texts.every((t) => t === texts[0]) && !numbers.some(Number.isFinite)) into[key] = texts[0];
    }
  }
}

/**
 * Area-function coefficients repeated on every Results row (NanoSuite `Area Coefficient n`) describe the
 * tip, not a test: when equal for all curves they move to the settings.
 */
function moveTipCoefficients(curves: IndentationCurve[], settings: Record<string, string | number>): void {
  const first = curves[0]?.instrumentResults;
  if (!first) return;
  for (const key of Object.keys(first)) {
    if (!/coefficient/i.test(key)) continue;
    const value = first[key];
    if (!curves.every((c) => c.instrumentResults?.[key] === value)) continue;
    settings[key] = value;
    for (const c of curves) delete c.instrumentResults![key];
  }
}

/** Adds the names analysis looks for (`poissonRatio`, `frameStiffness_N_m`, `tipName`) from the raw keys. */
function addCanonicalSettings(settings: Record<string, string | number>): void {
  for (const [key, value] of Object.entries(settings)) {
    if (typeof value === 'number' && /poisson/i.test(key)) settings.poissonRatio = value;
    if (typeof value === 'number' && /^Frame_Stiffness(_Correction)?_N_m$/i.test(key)) settings.frameStiffness_N_m = value;
    if (typeof value === 'string' && /^Tip_Name$/i.test(key)) settings.tipName = value;
  }
}

export interface WorkbookCurves {
  curves: IndentationCurve[];
  instrumentSettings: Record<string, string | number>;
  warnings: ImportWarning[];
  sourceColumns: SourceColumn[];
  /** 'tests' for per-test sheets, 'averaged' for an averaged-curve sheet (MTS Analyst). */
  layout: 'tests' | 'averaged';
}

/** Reads every curve of an indentation workbook; throws ImportError when it holds none. */
export function readWorkbookCurves(workbook: Workbook, context: ParseContext, settingsSheets: readonly string[]): WorkbookCurves {
  const { fileName } = context;
  const testSheets = workbook.sheetNames
    .map((name) => ({ name, m: TEST_SHEET.exec(name.trim()) }))
    .filter((s): s is { name: string; m: RegExpExecArray } => s.m !== null)
    .map((s) => ({ name: s.name, test: Number(s.m[1]) }))
    .sort((a, b) => a.test - b.test);
  const layout: WorkbookCurves['layout'] = testSheets.length > 0 ? 'tests' : 'averaged';
  const candidates = testSheets.length > 0 ? testSheets : workbook.sheetNames.map((name) => ({ name, test: NaN }));
  const textByKey = new Map<string, Set<string>>();
  const results = resultsByTest(readTable(workbook.sheet('Results')), textByKey);
  // InView multi-cycle tests: the instrument's Oliver–Pharr results of every unload, rows `test:cycle`.
  resultsByTest(readTable(workbook.sheet('Cycles-GroupedByTest')), textByKey, results);
  const curves: IndentationCurve[] = [];
  let sourceColumns: SourceColumn[] = [];
  let dropped = 0;
  const skipped: string[] = [];
  for (const [index, { name, test }] of candidates.entries()) {
    checkAbort(context);
    context.onProgress?.(index / candidates.length);
    const sheet = workbook.sheet(name);
    if (!sheet) continue;
    const columns = curveColumns(sheet);
    if (!columns) {
      if (layout === 'tests') skipped.push(name);
      continue;
    }
    const curveName = layout === 'averaged' ? `${name.replace(/\.xlsx?$/i, '')} (average)` : name;
    const read = readCurve(sheet, columns, curveName, fileName);
    dropped += read.dropped;
    const r = Number.isFinite(test) ? results.get(test) : undefined;
    if (r && Object.keys(r).length > 0) read.curve.instrumentResults = r;
    curves.push(read.curve);
    if (sourceColumns.length === 0) {
      sourceColumns = columns.names
        .map((h, k) =>
          sourceColumn(
            h,
            columns.units[k] ?? '',
            k === columns.depth ? 'depth' : k === columns.load ? 'load' : k === columns.time ? 'time' : undefined,
          ),
        )
        .filter((c) => c.header !== '');
    }
  }
  if (curves.length === 0) {
    throw new ImportError(
      'no-data-rows',
      fileName,
      'no sheet with a displacement and a load column was found (expected "Test 001" / "Test 1" sheets).',
    );
  }
  const warnings: ImportWarning[] = droppedPointsWarning(dropped, 'invalid values such as 1.797e308');
  if (skipped.length > 0) {
    warnings.push({
      code: 'test-sheets-skipped',
      message: `sheets without displacement and load columns were skipped: ${skipped.join(', ')}.`,
      count: skipped.length,
    });
  }
  const settings: Record<string, string | number> = {};
  for (const name of settingsSheets) constantInputs(readTable(workbook.sheet(name)), settings);
  // Results columns that hold one text for all tests (tip name) or constants (area coefficients).
  for (const [key, set] of textByKey) if (set.size === 1) settings[key] = [...set][0];
  moveTipCoefficients(curves, settings);
  addCanonicalSettings(settings);
  return { curves, instrumentSettings: settings, warnings, sourceColumns, layout };
}
