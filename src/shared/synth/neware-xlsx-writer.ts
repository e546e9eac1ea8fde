/**
 * NEWARE BTSDA Excel exports made from synthetic records, as BTSDA writes them: sheets unit, test, cycle,
 * step and record; numbers numeric, `Time` / `Total Time` / `Date` as text, A/V/Ah units. A record layer
 * split over several files (`name_1.xlsx` …) holds only a `record` sheet whose DataPoint keeps counting.
 */
import type { CellValue } from '../formats/containers/workbook';
import type { SynthRecord } from './asymmetric-cell';
import { formatDateTime, formatDuration } from './neware-csv-writer';
import { writeXlsx, type XlsxSheetInput } from './xlsx-writer';

export const NEWARE_XLSX_RECORD_HEADER: readonly string[] = [
  'DataPoint',
  'Cycle Index',
  'Step Index',
  'Step Type',
  'Time',
  'Total Time',
  'Current(A)',
  'Voltage(V)',
  'Capacity(Ah)',
  'Chg. Cap.(Ah)',
  'DChg. Cap.(Ah)',
  'Date',
  'T1(℃)',
];

const DEFAULT_START_MS = Date.UTC(2026, 2, 2, 9, 0, 0);

/** Record rows from `firstDataPoint` on (1 in a first file; the next number in a continuation part). */
export function newareXlsxRecordRows(records: readonly SynthRecord[], firstDataPoint = 1, startMs = DEFAULT_START_MS): CellValue[][] {
  return records.map((r, k) => [
    firstDataPoint + k,
    r.cycle,
    r.stepIndex,
    r.stepLabel,
    formatDuration(r.stepTimeS),
    formatDuration(r.totalTimeS),
    r.currentMA / 1000,
    r.voltageV,
    r.capacityMAh / 1000,
    r.stepLabel === 'CC Chg' ? r.capacityMAh / 1000 : 0,
    r.stepLabel === 'CC DChg' ? r.capacityMAh / 1000 : 0,
    formatDateTime(startMs, r.totalTimeS),
    25 + (k % 7) * 0.1,
  ]);
}

/** A whole BTSDA workbook (first file of an export). */
export function formatNewareXlsx(records: readonly SynthRecord[]): Uint8Array {
  const sheets: XlsxSheetInput[] = [
    { name: 'unit', rows: [['device', 37, 2, 1]] },
    { name: 'test', rows: [['Test information']] },
    { name: 'cycle', rows: [['Cycle Index', 'Chg. Cap.(Ah)']] },
    { name: 'step', rows: [['Cycle Index', 'Step Index', 'Step Type']] },
    { name: 'record', rows: [[...NEWARE_XLSX_RECORD_HEADER], ...newareXlsxRecordRows(records)] },
  ];
  return writeXlsx(sheets, { application: 'BTSDALib BTS Client', company: 'NEWARE', dimension: 'A1' });
}

/** A continuation part: only a record sheet, DataPoint continuing from `firstDataPoint`. */
export function formatNewareXlsxPart(records: readonly SynthRecord[], firstDataPoint: number): Uint8Array {
  return writeXlsx([{ name: 'record', rows: [[...NEWARE_XLSX_RECORD_HEADER], ...newareXlsxRecordRows(records, firstDataPoint)] }]);
}
