/**
 * NEWARE BTSDA Excel exports (.xlsx), MANIFEST.md "BTSDA Excel export":
 * - a full workbook has the sheets `unit`, `test`, `cycle`, `step`, `record`, `log`, `idle`, `curve`;
 * - when the record layer passes Excel's 1,048,576 rows, BTSDA splits it: `name.xlsx` (full workbook)
 *   then `name_1.xlsx`, `name_2.xlsx` … holding only a `record` sheet, `DataPoint` counting on;
 * - the record sheet has numeric cells, except `Time`, `Total Time` and `Date`, which are text
 *   (`288:21:34.500`: hours go past 24); units sit in the headers (`Current(A)`, `T1(℃)`), as chosen
 *   at export time; headers are English or Chinese (BTSDA's UI language).
 * Current is signed by Neware (+ charge, DOMAIN.md's convention); capacity restarts at each step and is
 * a magnitude, as the canonical column wants.
 *
 * Pipeline: workbook (containers/read-workbook) -> `record` sheet -> header roles + units -> rows ->
 * RecordAccumulator; continuation parts -> {@link mergeContinuationParts}.
 */
import { stepTypeFromLabel } from '../model/step-type';
import type { BinaryFormat, ParseContext, ParsedCycling } from './binary-format';
import { cellNumber, cellText, dateCellMs, readWorkbook } from './containers/read-workbook';
import type { CellValue, Workbook, WorkbookSheet } from './containers/workbook';
import { isZip, probeXlsxHead } from './containers/xlsx-reader';
import { parseDurationS } from './field-parsing';
import { mapHeaders, roleOfHeader } from './header-mapping';
import { ImportError } from './import-error';
import { NEWARE_XLSX_HEADERS, type NewareRole } from './neware-headers';
import {
  checkAbort,
  pushRow,
  recordAccumulatorFor,
  recordFieldCells,
  scaledCell,
  StepCodeCache,
  workbookCycling,
} from './workbook-cycler-common';

/** A record sheet's name: `record` in English exports; Chinese BTSDA names it 记录 / 记录层. */
function isRecordSheetName(name: string): boolean {
  return /^\s*record\s*$/i.test(name) || name.includes('记录');
}

/** True when these header strings hold NEWARE's record-layer columns. */
function hasRecordHeaders(headers: readonly string[]): boolean {
  const roles = new Set(headers.map((h) => roleOfHeader(NEWARE_XLSX_HEADERS, h)));
  // `(unit)` in parentheses is BTSDA's spelling; Landt writes `Current/mA`.
  const hasParenUnits = headers.some((h) => /^(current|电流)\s*\(/i.test(h.trim()));
  return roles.has('record') && roles.has('stepType') && roles.has('voltage') && roles.has('current') && hasParenUnits;
}

/**
 * Detects from the head: a ZIP whose workbook lists a record sheet and whose strings or properties are
 * BTSDA's, or (when the workbook part lies beyond the head) BTSDA's app properties or record headers.
 */
function detectNewareXlsx(head: Uint8Array): boolean {
  if (!isZip(head)) return false;
  const probe = probeXlsxHead(head);
  const isBtsdaApp = /neware|btsda/i.test(probe.application ?? '');
  const hasHeaders = hasRecordHeaders(probe.strings);
  if (probe.sheetNames) {
    if (!probe.sheetNames.some(isRecordSheetName)) return false;
    const hasBtsdaSheets = ['unit', 'test', 'step', 'cycle'].every((n) => probe.sheetNames!.includes(n));
    return isBtsdaApp || hasHeaders || hasBtsdaSheets;
  }
  return isBtsdaApp || hasHeaders;
}

/** Where a continuation part sits in the whole test (for {@link mergeContinuationParts}). */
export interface NewareXlsxContinuation {
  readonly firstDataPoint: number;
  readonly lastDataPoint: number;
  /** `Total Time` of the part's first record, s, before rebasing (the part's offset in the test). */
  readonly firstTotalTimeS: number;
}

/** A parsed NEWARE workbook: ParsedCycling plus where its records sit in the test. */
export interface ParsedNewareXlsx extends ParsedCycling {
  readonly continuation?: NewareXlsxContinuation;
}

function findRecordSheet(wb: Workbook, fileName: string): { sheet: WorkbookSheet; rows: Iterator<CellValue[]> } {
  const candidates = [...wb.sheetNames.filter(isRecordSheetName), ...wb.sheetNames.filter((n) => !isRecordSheetName(n))];
  for (const name of candidates) {
    const sheet = wb.sheet(name);
    if (!sheet) continue;
    const rows = sheet.rows()[Symbol.iterator]();
    const first = rows.next();
    if (!first.done && hasRecordHeaders(first.value.map(cellText))) {
      // Restart: the iterator has consumed the header, which the caller reads again.
      return { sheet, rows: sheet.rows()[Symbol.iterator]() };
    }
  }
  throw new ImportError(
    'missing-column',
    fileName,
    `no record sheet with DataPoint, Step Type, Current and Voltage columns (sheets: ${wb.sheetNames.join(', ')}); export the record layer from BTSDA.`,
  );
}

/** Time of a `Total Time` cell, s: BTSDA text `HH:MM:SS.mmm` (hours past 24) or plain seconds. */
function durationCellS(value: CellValue | undefined): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? parseDurationS(value) : NaN;
}

/** Parses a BTSDA .xlsx export (full workbook or continuation part). Throws ImportError only. */
export function parseNewareXlsx(bytes: Uint8Array, context: ParseContext): ParsedNewareXlsx {
  const fileName = context.fileName;
  const wb = readWorkbook(bytes, fileName);
  const { sheet, rows } = findRecordSheet(wb, fileName);
  const header = rows.next();
  const headers = header.done ? [] : header.value.map(cellText);
  const { roles, sourceColumns } = mapHeaders(NEWARE_XLSX_HEADERS, fileName, headers);
  const col = (role: NewareRole) => roles.get(role)?.index ?? -1;
  const conv = (role: NewareRole) => roles.get(role)?.conversion ?? { factor: 1, offset: 0 };
  const iTotal = col('totalTime');
  const iDate = col('date');
  if (iTotal < 0 && iDate < 0)
    throw new ImportError('missing-column', fileName, `sheet "${sheet.name}" has no "Total Time" or "Date" column.`);
  const [iV, iI, iType, iRecord] = (['voltage', 'current', 'stepType', 'record'] as const).map(col);
  const cV = conv('voltage');
  const cI = conv('current');

  const fields = recordFieldCells(roles);
  const acc = recordAccumulatorFor(fields);
  const typeCodes = new StepCodeCache(stepTypeFromLabel);
  let startDateTime: string | undefined;
  let firstDataPoint = NaN;
  let lastDataPoint = NaN;
  let firstTotalTimeS = NaN;
  let rowNumber = 1;
  for (let r = rows.next(); !r.done; r = rows.next()) {
    rowNumber++;
    checkAbort(rowNumber, context);
    const cells = r.value;
    if (cells.length === 0) continue;
    const timeS = iTotal >= 0 ? durationCellS(cells[iTotal]) : dateCellMs(cells[iDate]) / 1000;
    const first = acc.rowCount === 0;
    const stepTypeCode = () => typeCodes.code(iType >= 0 ? cellText(cells[iType]) : '');
    if (!pushRow(acc, rowNumber, cells, fields, timeS, scaledCell(cells, iV, cV), scaledCell(cells, iI, cI), stepTypeCode)) continue;
    if (first) {
      if (iDate >= 0) startDateTime = cellText(cells[iDate]) || undefined;
      firstTotalTimeS = timeS;
      firstDataPoint = iRecord >= 0 ? cellNumber(cells[iRecord]) : NaN;
    }
    if (iRecord >= 0) lastDataPoint = cellNumber(cells[iRecord]);
  }
  if (acc.rowCount === 0) throw new ImportError('no-data-rows', fileName, `sheet "${sheet.name}" has a header but no readable records.`);
  const { columns, warnings } = acc.finish();
  context.onProgress?.(1);
  if (iTotal < 0)
    warnings.push({
      code: 'time-from-date',
      message: 'no "Total Time" column: time was taken from the wall-clock "Date" column.',
    });
  return {
    ...workbookCycling(columns, sourceColumns, warnings, startDateTime),
    continuation: Number.isFinite(firstDataPoint) ? { firstDataPoint, lastDataPoint, firstTotalTimeS } : undefined,
  };
}

export const NEWARE_XLSX: BinaryFormat = {
  id: 'neware-xlsx',
  instrument: 'NEWARE BTSDA (Excel export)',
  detect: (head) => detectNewareXlsx(head),
  parse: parseNewareXlsx,
};

// ---------------------------------------------------------------------------------------------------
// Continuation parts

/** `name_1.xlsx` → part 1 of `name`; a suffix is `_` + 1–3 digits (BTSDA's own names end in long ids). */
const PART_SUFFIX = /^(.*)_(\d{1,3})$/;

function stemOf(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '');
  return base.replace(/\.[^.]*$/, '');
}

/**
 * The key that the parts of one split export share: the file name without folder, extension and
 * `_<n>` suffix, lower-cased. `X.xlsx`, `X_1.xlsx`, `X_2.xlsx` → `x`.
 */
export function continuationGroupKey(fileName: string): string {
  const stem = stemOf(fileName);
  const m = PART_SUFFIX.exec(stem);
  return (m ? m[1] : stem).toLowerCase();
}

/** 0 for the first part (no suffix), n for `_n`. */
export function continuationPartIndex(fileName: string): number {
  const m = PART_SUFFIX.exec(stemOf(fileName));
  return m ? Number(m[2]) : 0;
}

function concatTyped<T extends Float64Array | Float32Array | Int32Array | Uint8Array>(arrays: readonly T[], make: (n: number) => T): T {
  const out = make(arrays.reduce((s, a) => s + a.length, 0));
  let p = 0;
  for (const a of arrays) {
    out.set(a, p);
    p += a.length;
  }
  return out;
}

/**
 * Joins the parts of one split BTSDA export (`name.xlsx`, `name_1.xlsx`, …, each parsed by
 * {@link parseNewareXlsx}) into one record table, ordered by suffix. Each part's time is placed at its
 * first record's `Total Time` (the parser rebases each part to 0), so the joined time axis is the test
 * time from the first part's first record. Optional columns missing from a part are filled with NaN.
 * Throws ImportError('unsupported-format') when the files are not parts of one export: a part without
 * DataPoint, or a part whose first DataPoint does not follow the previous part's last.
 */
export function mergeContinuationParts(parts: readonly ParsedCycling[], names: readonly string[]): ParsedCycling {
  const label = names.join(', ');
  if (parts.length === 0 || parts.length !== names.length)
    throw new ImportError('unsupported-format', label || 'continuation parts', 'no parts, or not one name per part.');
  // A ParsedCycling from another reader has no `continuation` and is refused below.
  const order: { part: ParsedNewareXlsx; name: string; index: number }[] = parts
    .map((part, k) => ({ part, name: names[k], index: continuationPartIndex(names[k]) }))
    .sort((a, b) => a.index - b.index);
  const keys = new Set(order.map((o) => continuationGroupKey(o.name)));
  if (keys.size > 1) throw new ImportError('unsupported-format', label, 'these files are not parts of one export (their names differ).');
  for (let k = 0; k < order.length; k++) {
    const c = order[k].part.continuation;
    if (!c)
      throw new ImportError('unsupported-format', order[k].name, 'no DataPoint column: cannot check that it continues the previous part.');
    if (k > 0) {
      const prev = order[k - 1].part.continuation!;
      if (c.firstDataPoint !== prev.lastDataPoint + 1)
        throw new ImportError(
          'unsupported-format',
          order[k].name,
          `DataPoint starts at ${c.firstDataPoint}, but ${order[k - 1].name} ends at ${prev.lastDataPoint}: not its continuation.`,
        );
    }
  }
  const first = order[0].part;
  const t0 = first.continuation!.firstTotalTimeS;
  const times = order.map(({ part }) => {
    const offset = part.continuation!.firstTotalTimeS - t0;
    const t = Float64Array.from(part.columns.timeS);
    for (let i = 0; i < t.length; i++) t[i] += offset;
    return t;
  });
  const optional = <T extends Float32Array | Int32Array>(
    pick: (p: ParsedCycling) => T | undefined,
    make: (n: number) => T,
    fill: number,
  ): T | undefined => {
    if (!order.some(({ part }) => pick(part))) return undefined;
    return concatTyped(
      order.map(({ part }) => {
        const own = pick(part);
        if (own) return own;
        const blank = make(part.rowCount);
        blank.fill(fill);
        return blank;
      }),
      make,
    );
  };
  const columns: ParsedCycling['columns'] = {
    timeS: concatTyped(times, (n) => new Float64Array(n)),
    voltageV: concatTyped(
      order.map(({ part }) => part.columns.voltageV),
      (n) => new Float32Array(n),
    ),
    currentMA: concatTyped(
      order.map(({ part }) => part.columns.currentMA),
      (n) => new Float32Array(n),
    ),
    step: concatTyped(
      order.map(({ part }) => part.columns.step),
      (n) => new Int32Array(n),
    ),
    stepType: concatTyped(
      order.map(({ part }) => part.columns.stepType),
      (n) => new Uint8Array(n),
    ),
  };
  const capacity = optional(
    (p) => p.columns.capacityMAh,
    (n) => new Float32Array(n),
    NaN,
  );
  const cycle = optional(
    (p) => p.columns.cycle,
    (n) => new Int32Array(n),
    0,
  );
  const temperature = optional(
    (p) => p.columns.temperatureC,
    (n) => new Float32Array(n),
    NaN,
  );
  if (capacity) columns.capacityMAh = capacity;
  if (cycle) columns.cycle = cycle;
  if (temperature) columns.temperatureC = temperature;
  const rowCount = columns.timeS.length;
  const warnings = order.flatMap(({ part, name }) =>
    part.warnings.map((w) => (order.length > 1 ? { ...w, message: `${name}: ${w.message}` } : w)),
  );
  if (order.length > 1)
    warnings.unshift({
      code: 'continuation-merged',
      message: `joined ${order.length} parts of one BTSDA export in this order: ${order.map((o) => o.name).join(', ')} (DataPoint ${first.continuation!.firstDataPoint}–${order[order.length - 1].part.continuation!.lastDataPoint}).`,
      count: order.length,
    });
  const last = order[order.length - 1].part.continuation!;
  const merged: ParsedNewareXlsx = {
    kind: 'cycling',
    encoding: first.encoding,
    instrument: first.instrument,
    columns,
    rowCount,
    sourceColumns: first.sourceColumns,
    warnings,
    startDateTime: first.startDateTime,
    continuation: { firstDataPoint: first.continuation!.firstDataPoint, lastDataPoint: last.lastDataPoint, firstTotalTimeS: t0 },
  };
  return merged;
}
