/**
 * Arbin CSV exports, three flavours seen in the wild (MANIFEST.md, "Arbin"):
 * - beep / MITS Pro: `Data_Point,Test_Time,DateTime,Step_Time,Step_Index,Cycle_Index,Current,Voltage,
 *   Charge_Capacity,Discharge_Capacity,…`, `DateTime` as Unix epoch seconds (float or int), units implicit
 *   (s, A, V, Ah, Wh);
 * - MITS Pro 8 / ArbinDataWatcher: UTF-8 BOM, units in the headers (`Current (A)`), and a TAB in front
 *   of every `Date Time` value (`MM/DD/YYYY HH:MM:SS.fff`);
 * - either of the above with `Step_Index` / `Cycle_Index` left empty in every row.
 * The `_Metadata.csv` side files (one row of Test_ID, Schedule_File_Name, …) are recognised and refused
 * with a message that says which file to import instead.
 *
 * Pipeline: header -> column roles + units (Arbin's implicit A/V/Ah when none) -> per line pick fields
 * -> RecordAccumulator -> per-step capacity and step types derived from the Arbin counters and current
 * ({@link finishArbinColumns}, shared with the `.res` reader).
 */
import { ColumnBuilder } from '../model/column-builder';
import type { DatasetColumns, ImportWarning, SourceColumn } from '../model/dataset';
import { STEP_TYPE_CODE } from '../model/step-type';
import { splitHeaderUnit, type Quantity } from '../model/units';
import { bindFields, headerUnitOr, mapColumnRoles, type PickedFields } from './cycler-text-common';
import { parseDateTimeMs, parseNumber } from './field-parsing';
import { ImportError } from './import-error';
import { RecordAccumulator } from './record-accumulator';
import type { LineParser, ParsedRecords, TextFormat, TextHead } from './text-format';

export type ArbinRole =
  | 'dataPoint'
  | 'testTime'
  | 'dateTime'
  | 'stepIndex'
  | 'cycle'
  | 'current'
  | 'voltage'
  | 'chargeCapacity'
  | 'dischargeCapacity'
  | 'temperature';

/** Header names, unit stripped, lower case, `_` read as a space. */
const ROLE_NAMES: Readonly<Record<ArbinRole, readonly string[]>> = {
  dataPoint: ['data point'],
  testTime: ['test time'],
  dateTime: ['datetime', 'date time'],
  stepIndex: ['step index'],
  cycle: ['cycle index'],
  current: ['current'],
  voltage: ['voltage'],
  chargeCapacity: ['charge capacity'],
  dischargeCapacity: ['discharge capacity'],
  temperature: ['temperature', 'aux temperature 1'],
};

/**
 * The units Arbin means when a header has none (beep/MITS Pro exports): the instrument's SI-ish
 * defaults, s, A, V, Ah, °C. Shared with the Excel reader (arbin-xlsx.ts).
 */
export const ARBIN_IMPLICIT_UNIT: Partial<Record<ArbinRole, string>> = {
  testTime: 's',
  current: 'A',
  voltage: 'V',
  chargeCapacity: 'Ah',
  dischargeCapacity: 'Ah',
  temperature: 'C',
};

/** The quantity each role's unit converts into (CSV and Excel readers). */
export const ARBIN_QUANTITY: Partial<Record<ArbinRole, Quantity>> = {
  testTime: 'time',
  current: 'current',
  voltage: 'voltage',
  chargeCapacity: 'capacity',
  dischargeCapacity: 'capacity',
  temperature: 'temperature',
};

const CANONICAL: Partial<Record<ArbinRole, string>> = {
  testTime: 'time',
  current: 'current',
  voltage: 'voltage',
  chargeCapacity: 'capacity',
  dischargeCapacity: 'capacity',
  stepIndex: 'step',
  cycle: 'cycle',
  temperature: 'temperature',
};

function normaliseName(header: string): string {
  return splitHeaderUnit(header.replace(/^\uFEFF/, ''))
    .name.toLowerCase()
    .replace(/_/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function roleOf(header: string): ArbinRole | undefined {
  const name = normaliseName(header);
  for (const role of Object.keys(ROLE_NAMES) as ArbinRole[]) {
    if (ROLE_NAMES[role].includes(name)) return role;
  }
  return undefined;
}

function splitHeader(line: string): string[] {
  return line.replace(/^\uFEFF/, '').split(',');
}

/** An Arbin data CSV: Data_Point first, Test_Time, Current, Voltage and both capacity counters. */
function isArbinDataHeader(line: string | undefined): boolean {
  if (line === undefined) return false;
  const cells = splitHeader(line);
  if (roleOf(cells[0] ?? '') !== 'dataPoint') return false;
  const roles = new Set(cells.map(roleOf));
  return (['testTime', 'current', 'voltage', 'chargeCapacity', 'dischargeCapacity'] as const).every((r) => roles.has(r));
}

/**
 * An Arbin `_Metadata.csv` (beep): an index column with an empty header, then Test_ID, Device_ID, …,
 * Schedule_File_Name; lower-case in some files, Capitalised in others.
 */
function isArbinMetadataHeader(line: string | undefined): boolean {
  if (line === undefined) return false;
  const cells = splitHeader(line).map((c) => c.trim().toLowerCase());
  return cells[0] === '' && cells.includes('test_id') && cells.includes('schedule_file_name') && cells.includes('iv_ch_id');
}

/** |I| at or below this fraction of the file's largest |I| is rest (Arbin logs offsets of ~1e-4 A at rest). */
export const ARBIN_REST_CURRENT_FRACTION = 1e-3;
/** Floor of the rest threshold, mA, for files whose current is zero throughout. */
const MIN_REST_CURRENT_MA = 1e-6;
/** A charge/discharge step whose voltage stays within this span while |I| decays is constant-voltage. */
export const CV_VOLTAGE_SPAN_V = 0.005;
/** |I| at a step's end below this fraction of its largest |I| counts as a decaying (CV) current. */
const CV_CURRENT_DECAY_FRACTION = 0.5;
/** The CC part of a CCCV step runs within this fraction of the step's largest |I|. */
const CC_CURRENT_BAND = 0.95;
/** A step is charge (discharge) when at least this fraction of its non-rest records have I > 0 (< 0). */
const SIGN_MAJORITY = 0.9;

/**
 * Step types from the current and the voltage, per step (Arbin files write no step type):
 * - a step is a run of equal (`step`, `cycle`) when the file has a step counter, else a run of records of
 *   the same class (rest / I > 0 / I < 0), numbered 1, 2, 3 … into `step`;
 * - rest when every |I| ≤ max(ARBIN_REST_CURRENT_FRACTION × the file's max |I|, 1 nA);
 * - charge (discharge) when ≥ 90 % of the non-rest records have I > 0 (< 0) (DOMAIN.md: + = charge),
 *   else `other`;
 * - constant voltage when the voltage stays within CV_VOLTAGE_SPAN_V while |I| decays below half its
 *   largest value: `cv_*` when the whole step does so, `ccv` when it begins at constant current and
 *   then holds the voltage (Arbin's CCCV control); otherwise `cc_*`.
 * Returns how many steps of each kind were found (for the warning that says they were inferred).
 */
export function inferArbinStepTypes(
  columns: Pick<DatasetColumns, 'currentMA' | 'voltageV' | 'step' | 'stepType' | 'cycle'>,
  hasStepIndex: boolean,
): { steps: number; cv: number } {
  const { currentMA, voltageV, step, stepType, cycle } = columns;
  const n = currentMA.length;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(currentMA[i]));
  const restMA = Math.max(maxAbs * ARBIN_REST_CURRENT_FRACTION, MIN_REST_CURRENT_MA);
  const classOf = (i: number) => (Math.abs(currentMA[i]) <= restMA ? 0 : currentMA[i] > 0 ? 1 : 2);

  const classify = (from: number, to: number): number => {
    let positive = 0;
    let negative = 0;
    let maxStepMA = 0;
    let lastActive = -1;
    for (let i = from; i < to; i++) {
      const c = classOf(i);
      if (c === 0) continue;
      if (c === 1) positive++;
      else negative++;
      maxStepMA = Math.max(maxStepMA, Math.abs(currentMA[i]));
      lastActive = i;
    }
    const active = positive + negative;
    if (active === 0) return STEP_TYPE_CODE.rest;
    const isCharge = positive >= SIGN_MAJORITY * active;
    if (!isCharge && negative < SIGN_MAJORITY * active) return STEP_TYPE_CODE.other;
    const cc = isCharge ? STEP_TYPE_CODE.cc_charge : STEP_TYPE_CODE.cc_discharge;
    if (active < 3 || Math.abs(currentMA[lastActive]) >= CV_CURRENT_DECAY_FRACTION * maxStepMA) return cc;
    // The records below the CC band are the held-voltage part: their voltage span decides.
    let vMin = Infinity;
    let vMax = -Infinity;
    let held = 0;
    for (let i = from; i < to; i++) {
      if (classOf(i) === 0 || Math.abs(currentMA[i]) >= CC_CURRENT_BAND * maxStepMA) continue;
      held++;
      vMin = Math.min(vMin, voltageV[i]);
      vMax = Math.max(vMax, voltageV[i]);
    }
    if (held < 2 || vMax - vMin > CV_VOLTAGE_SPAN_V) return cc;
    if (held >= active - 1) return isCharge ? STEP_TYPE_CODE.cv_charge : STEP_TYPE_CODE.cv_discharge;
    return STEP_TYPE_CODE.ccv;
  };

  let steps = 0;
  let cv = 0;
  let start = 0;
  for (let i = 1; i <= n; i++) {
    const isBoundary =
      i === n ||
      (hasStepIndex ? step[i] !== step[i - 1] || (cycle !== undefined && cycle[i] !== cycle[i - 1]) : classOf(i) !== classOf(i - 1));
    if (!isBoundary) continue;
    steps++;
    const code = classify(start, i);
    if (code === STEP_TYPE_CODE.cv_charge || code === STEP_TYPE_CODE.cv_discharge || code === STEP_TYPE_CODE.ccv) cv++;
    stepType.fill(code, start, i);
    if (!hasStepIndex) step.fill(steps, start, i);
    start = i;
  }
  return { steps, cv };
}

/** A counter that falls by more than this (Ah) has been reset (Arbin resets at every new cycle). */
const COUNTER_RESET_AH = 1e-12;

/**
 * The instrument's per-step capacity magnitude (mAh) from Arbin's cumulative counters.
 *
 * Arbin writes `Charge_Capacity` and `Discharge_Capacity` (Ah), two non-negative counters that grow
 * during charge and discharge respectively and restart at 0 when `Cycle_Index` increments (MANIFEST.md).
 * DOMAIN.md's `capacity` is the per-step magnitude, so each step's capacity is the growth of both counters
 * since the step began: (Q_chg − Q_chg,0) + (Q_dchg − Q_dchg,0), × 1000 for mAh. The baseline Q_·,0 is
 * the previous record's counter (the value at the step boundary), or 0 when the counter fell (it was reset);
 * for the file's first record it is the record's own value (the test may have started before the file).
 */
export function arbinStepCapacityMAh(
  step: Int32Array,
  cycle: Int32Array | undefined,
  chargeAh: Float64Array,
  dischargeAh: Float64Array,
): Float32Array {
  const n = step.length;
  const out = new Float32Array(n);
  let baseC = n > 0 ? chargeAh[0] : 0;
  let baseD = n > 0 ? dischargeAh[0] : 0;
  for (let i = 0; i < n; i++) {
    const c = chargeAh[i];
    const d = dischargeAh[i];
    if (i > 0) {
      const isNewStep = step[i] !== step[i - 1] || (cycle !== undefined && cycle[i] !== cycle[i - 1]);
      if (isNewStep) {
        baseC = chargeAh[i - 1];
        baseD = dischargeAh[i - 1];
      }
      if (c < chargeAh[i - 1] - COUNTER_RESET_AH) baseC = 0;
      if (d < dischargeAh[i - 1] - COUNTER_RESET_AH) baseD = 0;
      // A missing counter cell must not poison the rest of the step.
      if (!Number.isFinite(baseC)) baseC = 0;
      if (!Number.isFinite(baseD)) baseD = 0;
    }
    out[i] = (Math.max(0, c - baseC) + Math.max(0, d - baseD)) * 1000;
  }
  return out;
}

/**
 * Completes the columns of an Arbin file (CSV or `.res`): per-step capacity from the counters and
 * step types from the current ({@link inferArbinStepTypes}); appends the warning that says how.
 */
export function finishArbinColumns(
  columns: DatasetColumns,
  chargeAh: Float64Array,
  dischargeAh: Float64Array,
  hasStepIndex: boolean,
  hasCapacity: boolean,
  warnings: ImportWarning[],
): void {
  const { steps, cv } = inferArbinStepTypes(columns, hasStepIndex);
  if (hasCapacity) columns.capacityMAh = arbinStepCapacityMAh(columns.step, columns.cycle, chargeAh, dischargeAh);
  warnings.push({
    code: 'step-types-inferred',
    message:
      `Arbin files have no step-type column: rest / charge / discharge of ${steps} steps were inferred from the current ` +
      `(|I| ≤ ${ARBIN_REST_CURRENT_FRACTION} × max |I| is rest), ${cv} of them constant-voltage (voltage within ` +
      `${CV_VOLTAGE_SPAN_V * 1000} mV while |I| decays)` +
      (hasStepIndex ? '.' : '; the file has no Step_Index, so steps were numbered by these runs.'),
    count: steps,
  });
}

/** Milliseconds of an Arbin `DateTime` cell: Unix epoch seconds (beep) or a `MM/DD/YYYY …` string (MITS Pro 8). */
function dateTimeMs(cell: string): number {
  const epochS = parseNumber(cell);
  if (Number.isFinite(epochS)) return epochS * 1000;
  return parseDateTimeMs(cell);
}

/** `YYYY-MM-DD HH:MM:SS.fff` of a time-zone-free millisecond axis. */
export function formatWallClock(ms: number): string {
  return new Date(Math.round(ms)).toISOString().replace('T', ' ').replace('Z', '');
}

const enum Field {
  TestTime,
  DateTime,
  StepIndex,
  Cycle,
  Current,
  Voltage,
  ChargeCapacity,
  DischargeCapacity,
  Temperature,
}

const FIELD_ROLES: readonly [Field, ArbinRole][] = [
  [Field.TestTime, 'testTime'],
  [Field.DateTime, 'dateTime'],
  [Field.StepIndex, 'stepIndex'],
  [Field.Cycle, 'cycle'],
  [Field.Current, 'current'],
  [Field.Voltage, 'voltage'],
  [Field.ChargeCapacity, 'chargeCapacity'],
  [Field.DischargeCapacity, 'dischargeCapacity'],
  [Field.Temperature, 'temperature'],
];

class ArbinCsvParser implements LineParser {
  private readonly acc: RecordAccumulator;
  private readonly sourceColumns: SourceColumn[];
  private readonly fields: PickedFields<Field>;
  private readonly width: number;
  private readonly chargeAh = new ColumnBuilder(Float64Array);
  private readonly dischargeAh = new ColumnBuilder(Float64Array);
  private rowsWithStep = 0;
  private rowsWithCycle = 0;
  private startDateTime?: string;

  constructor(
    private readonly fileName: string,
    head: TextHead,
  ) {
    const headers = splitHeader(head.lines[0]);
    this.width = headers.length;
    const { columns, sourceColumns } = mapColumnRoles(headers, roleOf, (role) => CANONICAL[role]);
    this.sourceColumns = sourceColumns;
    this.fields = bindFields(fileName, headers, columns, FIELD_ROLES, ARBIN_QUANTITY, headerUnitOr(ARBIN_IMPLICIT_UNIT));
    this.acc = new RecordAccumulator({ capacity: false, cycle: columns.has('cycle'), temperature: columns.has('temperature') });
  }

  onLine(line: string, lineNumber: number, isUnterminated: boolean): void {
    if (lineNumber === 1 || line.length === 0) return;
    // A last line without a line break that is short of cells was cut mid-write: drop it (counted).
    if (isUnterminated && line.split(',').length < this.width) return this.acc.rejectLine(lineNumber);
    if (!this.fields.pick(line, ',')) return this.acc.rejectLine(lineNumber);
    const hasDate = this.fields.has(Field.DateTime);
    const hasTestTime = this.fields.has(Field.TestTime);
    // The date is parsed per row only when it is the time axis; otherwise once, for the start.
    const needsDate = hasDate && (!hasTestTime || this.startDateTime === undefined);
    const dateMs = needsDate ? dateTimeMs(this.fields.cell(Field.DateTime)) : NaN;
    const timeS = hasTestTime ? this.fields.value(Field.TestTime) : dateMs / 1000;
    const voltageV = this.fields.value(Field.Voltage);
    const currentMA = this.fields.value(Field.Current);
    if (!Number.isFinite(timeS) || !Number.isFinite(voltageV) || !Number.isFinite(currentMA)) return this.acc.rejectLine(lineNumber);
    if (this.startDateTime === undefined && hasDate) {
      // MITS Pro 8 writes the wall clock (TAB-prefixed): keep it as written; beep's epoch seconds are UTC.
      const cell = this.fields.cell(Field.DateTime).trim();
      const isEpoch = Number.isFinite(parseNumber(cell));
      this.startDateTime = isEpoch ? `${formatWallClock(dateMs)} UTC` : cell || undefined;
    }
    const step = this.fields.value(Field.StepIndex);
    const cycle = this.fields.value(Field.Cycle);
    if (Number.isFinite(step)) this.rowsWithStep++;
    if (Number.isFinite(cycle)) this.rowsWithCycle++;
    // Capacities are kept in Ah (the counters): the per-step mAh is derived at the end.
    const chargeMAh = this.fields.value(Field.ChargeCapacity);
    const dischargeMAh = this.fields.value(Field.DischargeCapacity);
    this.chargeAh.push(Number.isFinite(chargeMAh) ? chargeMAh / 1000 : 0);
    this.dischargeAh.push(Number.isFinite(dischargeMAh) ? dischargeMAh / 1000 : 0);
    // Step type `other` for now (no sign flips): the types are inferred per step in finish().
    this.acc.push(
      timeS,
      voltageV,
      currentMA,
      Number.isFinite(step) ? step : 0,
      STEP_TYPE_CODE.other,
      NaN,
      Number.isFinite(cycle) ? cycle : 0,
      this.fields.value(Field.Temperature),
    );
  }

  finish(): ParsedRecords {
    const { columns, warnings } = this.acc.finish();
    const rows = columns.timeS.length;
    const hasStepIndex = this.rowsWithStep > 0;
    if (this.rowsWithCycle === 0) delete columns.cycle;
    finishArbinColumns(
      columns,
      this.chargeAh.finish(),
      this.dischargeAh.finish(),
      hasStepIndex,
      this.fields.has(Field.ChargeCapacity) || this.fields.has(Field.DischargeCapacity),
      warnings,
    );
    if (rows > 0 && this.rowsWithStep > 0 && this.rowsWithStep < rows) {
      warnings.push({
        code: 'step-index-missing',
        message: `${rows - this.rowsWithStep} records have an empty Step_Index; they were given step 0.`,
        count: rows - this.rowsWithStep,
      });
    }
    return { columns, rowCount: rows, sourceColumns: this.sourceColumns, warnings, startDateTime: this.startDateTime };
  }
}

/** Arbin CSV exports (beep/MITS Pro and MITS Pro 8/DataWatcher); refuses the `_Metadata.csv` side files. */
export const ARBIN_CSV: TextFormat = {
  id: 'arbin-csv',
  instrument: 'Arbin MITS Pro (CSV export)',
  detect: (head) => isArbinDataHeader(head.lines[0]) || isArbinMetadataHeader(head.lines[0]),
  createParser: (head) => {
    if (isArbinMetadataHeader(head.lines[0])) {
      throw new ImportError(
        'unsupported-format',
        head.fileName,
        'this is an Arbin test metadata file (Test_ID, channel, schedule; beep "_Metadata.csv"), not data: import the data CSV of the same name without "_Metadata".',
      );
    }
    return new ArbinCsvParser(head.fileName, head);
  },
};
