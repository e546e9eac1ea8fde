/**
 * Arbin `.res` result files: Microsoft Access (Jet 4) databases (MANIFEST.md, "Arbin").
 * - `Channel_Normal_Table`: one row per record (Data_Point, Test_Time s, DateTime, Step_Index, Cycle_Index,
 *   Current A, Voltage V, Charge_Capacity / Discharge_Capacity Ah, …). Rows are NOT stored in Data_Point
 *   order (the GITT file has 59 backward jumps), so they are sorted by Data_Point first.
 * - `Global_Table`: Start_DateTime (OLE Automation date: days since 1899-12-30, tester's local time),
 *   MASS (g), Schedule_File_Name, Test_Name.
 * The Access reader (mdb-reader) needs a Buffer, so the host injects it as `services.openAccessDatabase`.
 *
 * Pipeline: magic `Standard Jet DB` -> host opens the database -> Channel_Normal_Table rows sorted by
 * (Test_ID, Data_Point) -> A -> mA -> RecordAccumulator -> per-step capacity and step types
 * ({@link finishArbinColumns}, as for Arbin CSV).
 */
import { STEP_TYPE_CODE } from '../model/step-type';
import { finishArbinColumns, formatWallClock } from './arbin-csv';
import type { AccessDatabase, AccessTable, BinaryFormat, ParseContext, ParsedCycling } from './binary-format';
import { ImportError } from './import-error';
import { RecordAccumulator } from './record-accumulator';

const JET_MAGIC = 'Standard Jet DB';
const RECORDS_TABLE = 'Channel_Normal_Table';
const GLOBAL_TABLE = 'Global_Table';
const REQUIRED_COLUMNS = ['Data_Point', 'Test_Time', 'Current', 'Voltage'] as const;
/** 1899-12-30, the OLE Automation epoch, in ms on the Unix axis (read as UTC: a time-zone-free axis). */
const OLE_EPOCH_MS = Date.UTC(1899, 11, 30);
const MS_PER_DAY = 86_400_000;
const PROGRESS_EVERY_ROWS = 16_384;

/** What Global_Table says about the test (first row). */
export interface ArbinTestInfo {
  readonly testName?: string;
  readonly scheduleFileName?: string;
  /** Wall clock of the test start, `YYYY-MM-DD HH:MM:SS.fff` (tester's local time). */
  readonly startDateTime?: string;
  /** OLE Automation date of the start (days since 1899-12-30). */
  readonly startOleDays?: number;
  /** Active mass, g (Arbin's MASS field; 0 when not entered). */
  readonly massG?: number;
}

/** Milliseconds on a time-zone-free axis of an OLE Automation date (days since 1899-12-30, fraction = time of day). */
export function oleDaysToMs(days: number): number {
  return OLE_EPOCH_MS + days * MS_PER_DAY;
}

function hasJetMagic(head: Uint8Array): boolean {
  const n = Math.min(head.length, 32);
  let ascii = '';
  for (let i = 0; i < n; i++) ascii += String.fromCharCode(head[i]);
  return ascii.includes(JET_MAGIC);
}

function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return NaN;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Reads Global_Table's first row; missing fields stay undefined. */
export function readArbinTestInfo(db: AccessDatabase): ArbinTestInfo {
  if (!db.tableNames().includes(GLOBAL_TABLE)) return {};
  const row = db.table(GLOBAL_TABLE).rows[0];
  if (!row) return {};
  const startOleDays = num(row.Start_DateTime);
  const massG = num(row.MASS);
  return {
    testName: text(row.Test_Name),
    scheduleFileName: text(row.Schedule_File_Name),
    startOleDays: Number.isFinite(startOleDays) ? startOleDays : undefined,
    startDateTime: Number.isFinite(startOleDays) && startOleDays > 0 ? formatWallClock(oleDaysToMs(startOleDays)) : undefined,
    massG: Number.isFinite(massG) ? massG : undefined,
  };
}

function openDatabase(bytes: Uint8Array, context: ParseContext): AccessDatabase {
  const open = context.services.openAccessDatabase;
  if (!open) {
    throw new ImportError(
      'unsupported-format',
      context.fileName,
      'this is an Arbin .res file (Access database), and this host cannot read Access databases.',
    );
  }
  try {
    return open(bytes);
  } catch (error) {
    throw new ImportError(
      'read-failed',
      context.fileName,
      `the Access database (Arbin .res) could not be opened: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
}

function readTable(db: AccessDatabase, name: string, fileName: string): AccessTable {
  try {
    return db.table(name);
  } catch (error) {
    throw new ImportError(
      'read-failed',
      fileName,
      `the table ${name} could not be read: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
}

/** Parses an Arbin `.res` into canonical columns; throws ImportError on anything unreadable. */
export function parseArbinRes(bytes: Uint8Array, context: ParseContext): ParsedCycling {
  const { fileName } = context;
  const db = openDatabase(bytes, context);
  let names: string[];
  try {
    names = db.tableNames();
  } catch (error) {
    throw new ImportError(
      'read-failed',
      fileName,
      `the Access database's tables could not be listed: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
  if (!names.includes(RECORDS_TABLE)) {
    throw new ImportError(
      'unsupported-format',
      fileName,
      `this Access database has no ${RECORDS_TABLE}: it is not an Arbin .res result file.`,
    );
  }
  const table = readTable(db, RECORDS_TABLE, fileName);
  const missing = REQUIRED_COLUMNS.filter((c) => !table.columnNames.includes(c));
  if (missing.length > 0) throw new ImportError('missing-column', fileName, `${RECORDS_TABLE} has no ${missing.join(', ')} column.`);
  let info: ArbinTestInfo = {};
  try {
    info = readArbinTestInfo(db);
  } catch {
    // Global_Table only adds the start time and mass: a damaged one must not lose the records.
  }
  const rows = table.rows;
  if (rows.length === 0) throw new ImportError('no-data-rows', fileName, `${RECORDS_TABLE} has no rows.`);

  // Sort by (Test_ID, Data_Point): Arbin stores rows out of order.
  const order = Array.from(rows.keys());
  const testId = rows.map((r) => num(r.Test_ID) || 0);
  const point = rows.map((r) => num(r.Data_Point));
  order.sort((a, b) => testId[a] - testId[b] || point[a] - point[b] || a - b);
  let backwardJumps = 0;
  for (let k = 1; k < point.length; k++) if (point[k] < point[k - 1]) backwardJumps++;
  const testIds = new Set(testId);

  const hasStep = table.columnNames.includes('Step_Index');
  const hasCycle = table.columnNames.includes('Cycle_Index');
  const hasCapacity = table.columnNames.includes('Charge_Capacity') || table.columnNames.includes('Discharge_Capacity');
  const acc = new RecordAccumulator({ capacity: false, cycle: hasCycle, temperature: false });
  const chargeAh = new Float64Array(rows.length);
  const dischargeAh = new Float64Array(rows.length);
  let kept = 0;
  let firstDateTimeDays = NaN;
  let firstTestTimeS = NaN;
  for (let k = 0; k < order.length; k++) {
    if (k % PROGRESS_EVERY_ROWS === 0) {
      if (context.signal?.aborted) throw new ImportError('aborted', fileName, 'import cancelled.');
      context.onProgress?.(k / order.length);
    }
    const row = rows[order[k]];
    const timeS = num(row.Test_Time);
    const voltageV = num(row.Voltage);
    const currentA = num(row.Current);
    if (!Number.isFinite(timeS) || !Number.isFinite(voltageV) || !Number.isFinite(currentA) || !Number.isFinite(point[order[k]])) {
      acc.rejectLine(k + 1);
      continue;
    }
    if (kept === 0) {
      firstDateTimeDays = num(row.DateTime);
      firstTestTimeS = timeS;
    }
    const step = num(row.Step_Index);
    const cycle = num(row.Cycle_Index);
    const c = num(row.Charge_Capacity);
    const d = num(row.Discharge_Capacity);
    chargeAh[kept] = Number.isFinite(c) ? c : 0;
    dischargeAh[kept] = Number.isFinite(d) ? d : 0;
    kept++;
    // Step type `other` for now: Arbin writes none, it is inferred per step after all rows.
    acc.push(
      timeS,
      voltageV,
      currentA * 1000,
      Number.isFinite(step) ? step : 0,
      STEP_TYPE_CODE.other,
      NaN,
      Number.isFinite(cycle) ? cycle : 0,
    );
  }
  context.onProgress?.(1);
  if (kept === 0)
    throw new ImportError(
      'no-data-rows',
      fileName,
      `none of the ${rows.length} rows of ${RECORDS_TABLE} has a readable time, voltage and current.`,
    );
  const { columns, warnings } = acc.finish();
  finishArbinColumns(columns, chargeAh.subarray(0, kept), dischargeAh.subarray(0, kept), hasStep, hasCapacity, warnings);
  if (backwardJumps > 0) {
    warnings.push({
      code: 'rows-reordered',
      message: `${RECORDS_TABLE} stores its rows out of order (${backwardJumps} backward jumps of Data_Point); they were sorted by Data_Point.`,
      count: backwardJumps,
    });
  }
  if (testIds.size > 1) {
    warnings.push({
      code: 'several-tests',
      message: `the file holds ${testIds.size} tests (Test_ID); their records follow one another by Test_ID.`,
      count: testIds.size,
    });
  }

  // Wall clock of the first record: its own DateTime, else Global_Table's start plus its test time.
  let startDateTime: string | undefined;
  if (Number.isFinite(firstDateTimeDays) && firstDateTimeDays > 0) startDateTime = formatWallClock(oleDaysToMs(firstDateTimeDays));
  else if (info.startOleDays !== undefined && Number.isFinite(firstTestTimeS)) {
    startDateTime = formatWallClock(oleDaysToMs(info.startOleDays) + firstTestTimeS * 1000);
  }

  const mapped: Record<string, string> = {
    Test_Time: 'time',
    Voltage: 'voltage',
    Current: 'current',
    Step_Index: 'step',
    Cycle_Index: 'cycle',
    Charge_Capacity: 'capacity',
    Discharge_Capacity: 'capacity',
  };
  const units: Record<string, string> = { Test_Time: 's', Voltage: 'V', Current: 'A', Charge_Capacity: 'Ah', Discharge_Capacity: 'Ah' };
  const sourceColumns = table.columnNames.map((header) => {
    const unit = units[header] ?? '';
    const mappedTo = mapped[header];
    return mappedTo ? { header, unit, mappedTo } : { header, unit };
  });
  const mass = info.massG !== undefined && info.massG > 0 ? `, active mass ${info.massG} g` : '';
  const schedule = info.scheduleFileName ? `, schedule ${info.scheduleFileName}` : '';
  return {
    kind: 'cycling',
    encoding: 'binary',
    instrument: `Arbin MITS Pro (.res Access database${schedule}${mass})`,
    columns,
    rowCount: columns.timeS.length,
    sourceColumns,
    warnings,
    startDateTime,
  };
}

/** Arbin `.res` (Access/Jet database) result files. */
export const ARBIN_RES: BinaryFormat = {
  id: 'arbin-res',
  instrument: 'Arbin MITS Pro (.res Access database)',
  detect: (head) => hasJetMagic(head),
  parse: parseArbinRes,
};
