/**
 * Maccor text exports (MANIFEST.md, "Maccor"): a metadata block of variable length, then a header row
 * found by its first cell (`Rec#` or `Rec`), then records. Layouts seen:
 * 1. MIMS/beep: `Today's Date … Date of Test: … Filename: … Procedure: …`, then `Rec# Cyc# Step Test (Sec)
 *    Step (Sec) Amp-hr Watt-hr Amps Volts State ES DPt Time …`; variants write `TestTime` as `  0d 00:00:00.0000`
 *    or `Test (Min)` in minutes.
 * 2. Key/value lines (`Today's Date:`, `Filename:`, …), then `Rec Cycle Step Test Time Step Time Capacity
 *    Energy Current Voltage MD ES DPT Time Aux #1 " Units"` with times like `  0d 00:00:0`.
 * 3. `Name:`/`Channel:`/`Tester`/`Procedure`/`Description`/`Started`/`SCap`/… block, `Rec Cycle P Cycle C
 *    Step TestTime StepTime Cap. [Ah] … Current [A] Voltage [V] Md ES DPT Time …`, a blank line, then data with
 *    `TestTime` in MINUTES, possibly decimal commas and a Description padded with 0xFF bytes (not UTF-8: the
 *    pipeline decodes such files as windows-1252).
 * 4. CSV (`Rec,Cycle C,Step,Test Time (sec),…,Current,Voltage,DPT Time,Temp 1`), without a State column.
 * Maccor's AC impedance files (`MACCOR, INC. AC Impedance Test`, `.EDAnnnn.nnn`) are recognised and refused.
 *
 * Units: Maccor's headers mostly carry none; Amps/Current are A, Volts/Voltage V, Amp-hr/Capacity Ah.
 * Sign (DOMAIN.md, + = charge): `State`/`Md` C = charge, D = discharge, R = rest. Some exports already write
 * negative discharge current, others magnitudes: the sign is taken from the State (a warning counts the
 * records whose sign was set). Without a State column (CSV) step types are inferred from the current.
 * Capacity: `Amp-hr` restarts at every change of State (R -> C -> D); it is used as the per-step capacity
 * (consecutive steps of the same State, e.g. a CC then a CV charge step, continue one count). Maccor's State says nothing about constant-voltage holds, so C and D map to cc_charge/cc_discharge.
 *
 * Pipeline: find header row -> column roles + units -> per line pick fields -> sign from State ->
 * RecordAccumulator -> time unit of an unlabelled numeric TestTime from the DPT Time span.
 */
import type { SourceColumn } from '../model/dataset';
import { STEP_TYPE_CODE } from '../model/step-type';
import { splitHeaderUnit, type Quantity } from '../model/units';
import { formatWallClock, inferArbinStepTypes } from './arbin-csv';
import { bindFields, mapColumnRoles, pushRecord, type PickedFields, type RecordFields } from './cycler-text-common';
import { parseDurationS } from './field-parsing';
import { ImportError } from './import-error';
import { RecordAccumulator } from './record-accumulator';
import type { LineParser, ParsedRecords, TextFormat, TextHead } from './text-format';

type MaccorRole = 'rec' | 'cycle' | 'step' | 'testTime' | 'capacity' | 'current' | 'voltage' | 'state' | 'dptTime' | 'temperature';

/** Header names, unit stripped and lower case. `Cycle C` (cycle count) is preferred over `Cycle P` by leaving the latter out. */
const ROLE_NAMES: Readonly<Record<MaccorRole, readonly string[]>> = {
  rec: ['rec#', 'rec'],
  cycle: ['cycle c', 'cyc#', 'cycle'],
  step: ['step'],
  testTime: ['test', 'testtime', 'test time'],
  capacity: ['amp-hr', 'capacity', 'cap.'],
  current: ['amps', 'current'],
  voltage: ['volts', 'voltage'],
  state: ['state', 'md'],
  dptTime: ['dpt time'],
  temperature: ['temp 1', 'temp1', 'temperature'],
};

const IMPLICIT_UNIT: Partial<Record<MaccorRole, string>> = { capacity: 'Ah', current: 'A', voltage: 'V', temperature: 'C' };
const QUANTITY: Partial<Record<MaccorRole, Quantity>> = {
  testTime: 'time',
  capacity: 'capacity',
  current: 'current',
  voltage: 'voltage',
  temperature: 'temperature',
};
const CANONICAL: Partial<Record<MaccorRole, string>> = {
  testTime: 'time',
  capacity: 'capacity',
  current: 'current',
  voltage: 'voltage',
  state: 'stepType',
  step: 'step',
  cycle: 'cycle',
  temperature: 'temperature',
};

/** Lines of the head searched for the header row (metadata blocks are ~15 lines). */
const HEADER_SEARCH_LINES = 40;

function roleOf(header: string): MaccorRole | undefined {
  const { name: rawName, unit } = splitHeaderUnit(header);
  const name = rawName.toLowerCase().replace(/\s+/g, ' ').trim();
  for (const role of Object.keys(ROLE_NAMES) as MaccorRole[]) {
    // `Step (Sec)` is the step time, not the step counter.
    if (ROLE_NAMES[role].includes(name)) return role === 'step' && unit !== '' ? undefined : role;
  }
  return undefined;
}

interface MaccorHeader {
  readonly index: number;
  readonly delimiter: '\t' | ',';
  readonly cells: string[];
}

function findHeader(lines: readonly string[]): MaccorHeader | undefined {
  const n = Math.min(lines.length, HEADER_SEARCH_LINES);
  for (let index = 0; index < n; index++) {
    const line = lines[index];
    const delimiter = line.includes('\t') ? '\t' : ',';
    const cells = line.split(delimiter);
    if (roleOf(cells[0] ?? '') !== 'rec') continue;
    const roles = new Set(cells.map(roleOf));
    if (roles.has('voltage') && roles.has('current') && roles.has('testTime') && roles.has('step')) return { index, delimiter, cells };
  }
  return undefined;
}

/** `MACCOR, INC.    AC Impedance Test` in the first lines: an EIS (FRA) sweep, not cycling data. */
function isMaccorImpedance(lines: readonly string[]): boolean {
  return lines.slice(0, 3).some((l) => /maccor/i.test(l) && /ac impedance/i.test(l));
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const NUMERIC_DATE = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})/;
const NAMED_MONTH_DATE = /^(\d{1,2})[-\s]+([A-Za-z]{3,})[-\s,]+(\d{2,4})/;
const TIME_OF_DAY = /(\d{1,2}):(\d{2})(?::(\d{2}(?:[.,]\d+)?))?\s*([AaPp][Mm])?/;

interface CalendarDate {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

function fullYear(y: number): number {
  return y < 100 ? 2000 + y : y;
}

/**
 * A date at the start of `text`: `MM/DD/YYYY` (or `DD/MM/YYYY` when `isDayFirst`; a field above 12 decides
 * by itself), `YYYY-MM-DD`, `DD-Mon-YY`, `28 november 2023`.
 */
function parseDate(text: string, isDayFirst: boolean): CalendarDate | undefined {
  const s = text.trim();
  let m = NUMERIC_DATE.exec(s);
  if (m) {
    const [a, b, c] = [+m[1], +m[2], +m[3]];
    if (m[1].length === 4) return { y: a, m: b, d: c };
    const dayFirst = a > 12 ? true : b > 12 ? false : isDayFirst;
    return dayFirst ? { y: fullYear(c), m: b, d: a } : { y: fullYear(c), m: a, d: b };
  }
  m = NAMED_MONTH_DATE.exec(s);
  if (m) {
    const month = MONTHS.indexOf(m[2].slice(0, 3).toLowerCase());
    if (month >= 0) return { y: fullYear(+m[3]), m: month + 1, d: +m[1] };
  }
  return undefined;
}

/** Milliseconds (time-zone-free axis) of a DPT Time cell; `fallbackDate` for cells with a time only. */
export function parseMaccorDateTimeMs(cell: string, isDayFirst: boolean, fallbackDate?: CalendarDate): number {
  const s = cell.trim();
  const date = parseDate(s, isDayFirst) ?? fallbackDate;
  const t = TIME_OF_DAY.exec(s);
  if (!date || !t) return NaN;
  let hour = +t[1];
  const ampm = t[4]?.toLowerCase();
  if (ampm === 'pm' && hour < 12) hour += 12;
  if (ampm === 'am' && hour === 12) hour = 0;
  const sec = t[3] === undefined ? 0 : Number(t[3].replace(',', '.'));
  if (date.m < 1 || date.m > 12 || date.d < 1 || date.d > 31 || hour > 23 || +t[2] > 59 || !(sec < 61)) return NaN;
  return Date.UTC(date.y, date.m - 1, date.d, hour, +t[2], 0) + sec * 1000;
}

/** The test date from the metadata block (`Date of Test:`, `Started`), for DPT Time cells without a date. */
function headerDate(lines: readonly string[], isDayFirst: boolean): CalendarDate | undefined {
  for (const line of lines) {
    const m = /(?:date of test:?|started)\s*[\t,:]?\s*(.*)$/i.exec(line);
    if (!m) continue;
    const date = parseDate(m[1].replace(/^[\s\t,:]+/, ''), isDayFirst);
    if (date) return date;
  }
  return undefined;
}

/** Where TestTime's unit comes from: the header, or (unlabelled) `d hh:mm:ss` strings or the DPT Time span. */
type TimeUnitSource = 'header' | 'unlabelled';

const enum Field {
  Cycle,
  Step,
  TestTime,
  Capacity,
  Current,
  Voltage,
  State,
  DptTime,
  Temperature,
}

const FIELD_ROLES: readonly [Field, MaccorRole][] = [
  [Field.Cycle, 'cycle'],
  [Field.Step, 'step'],
  [Field.TestTime, 'testTime'],
  [Field.Capacity, 'capacity'],
  [Field.Current, 'current'],
  [Field.Voltage, 'voltage'],
  [Field.State, 'state'],
  [Field.DptTime, 'dptTime'],
  [Field.Temperature, 'temperature'],
];

/** TestTime/DPT-span ratios accepted as seconds or minutes when the header gives no unit. */
const SECONDS_RATIO: readonly [number, number] = [0.5, 2];
const MINUTES_RATIO: readonly [number, number] = [30, 120];

const RECORD_FIELDS: RecordFields<Field> = {
  step: Field.Step,
  cycle: Field.Cycle,
  capacity: Field.Capacity,
  temperature: Field.Temperature,
};

class MaccorTextParser implements LineParser {
  private readonly acc: RecordAccumulator;
  private readonly sourceColumns: SourceColumn[];
  private readonly fields: PickedFields<Field>;
  private readonly width: number;
  private readonly headerLine: number;
  private readonly delimiter: '\t' | ',';
  private readonly timeUnitSource: TimeUnitSource;
  /** Layout 3 (`Cycle P`/`Cycle C`, `Md`) writes TestTime in minutes: the fallback when DPT Time cannot tell. */
  private readonly isMinutesLayout: boolean;
  private readonly metadataLines: readonly string[];
  private isDayFirst?: boolean;
  private fallbackDate?: CalendarDate;
  private firstRaw = NaN;
  private lastRaw = NaN;
  private firstDptMs = NaN;
  private lastDptCell = '';
  private startDateTime?: string;
  private signedFromState = 0;
  /** Records whose TestTime is a `d hh:mm:ss` duration (already seconds). */
  private durationRows = 0;
  private readonly stateCodes = new Map<string, number>();

  constructor(
    private readonly fileName: string,
    head: TextHead,
    header: MaccorHeader,
  ) {
    this.headerLine = header.index + 1;
    this.delimiter = header.delimiter;
    this.metadataLines = head.lines.slice(0, header.index);
    const headers = header.cells;
    // A trailing delimiter leaves an empty last header: no column.
    const named = headers.length > 0 && headers[headers.length - 1].trim() === '' ? headers.slice(0, -1) : headers;
    this.width = named.length;
    // `Rec#` only counts records: kept as a source column, mapped to no role.
    const { columns, sourceColumns } = mapColumnRoles(
      named,
      (h) => {
        const role = roleOf(h);
        return role === 'rec' ? undefined : role;
      },
      (role) => CANONICAL[role],
    );
    this.sourceColumns = sourceColumns;
    const timeUnit = splitHeaderUnit(headers[columns.get('testTime')!]).unit;
    this.timeUnitSource = timeUnit !== '' ? 'header' : 'unlabelled';
    this.isMinutesLayout = headers.some((h) => h.trim().toLowerCase() === 'cycle p');
    this.fields = bindFields(fileName, headers, columns, FIELD_ROLES, QUANTITY, (role, header) =>
      role === 'testTime' ? timeUnit || 's' : splitHeaderUnit(header).unit || IMPLICIT_UNIT[role] || '',
    );
    this.acc = new RecordAccumulator({
      capacity: columns.has('capacity'),
      cycle: columns.has('cycle'),
      temperature: columns.has('temperature'),
    });
  }

  private stateCode(state: string): number {
    let code = this.stateCodes.get(state);
    if (code === undefined) {
      const s = state.trim().toUpperCase();
      code =
        s === 'C'
          ? STEP_TYPE_CODE.cc_charge
          : s === 'D'
            ? STEP_TYPE_CODE.cc_discharge
            : s === 'R'
              ? STEP_TYPE_CODE.rest
              : STEP_TYPE_CODE.other;
      this.stateCodes.set(state, code);
    }
    return code;
  }

  onLine(line: string, lineNumber: number, isUnterminated: boolean): void {
    if (lineNumber <= this.headerLine || line.trim().length === 0) return;
    if (isUnterminated && line.split(this.delimiter).length < this.width) return this.acc.rejectLine(lineNumber);
    if (!this.fields.pick(line, this.delimiter)) return this.acc.rejectLine(lineNumber);
    const timeCell = this.fields.cell(Field.TestTime);
    let raw: number;
    if (timeCell.includes(':')) {
      // `  0d 00:00:00.0000`: a duration in seconds whatever the header says.
      raw = parseDurationS(timeCell.replace(',', '.'));
    } else {
      raw = this.fields.value(Field.TestTime);
    }
    const voltageV = this.fields.value(Field.Voltage);
    let currentMA = this.fields.value(Field.Current);
    if (!Number.isFinite(raw) || !Number.isFinite(voltageV) || !Number.isFinite(currentMA)) return this.acc.rejectLine(lineNumber);
    if (this.isDayFirst === undefined) {
      // Decimal commas go with a European locale, whose DPT Time is day/month.
      this.isDayFirst = this.fields.cell(Field.Voltage).includes(',');
      this.fallbackDate = headerDate(this.metadataLines, this.isDayFirst);
    }
    if (Number.isNaN(this.firstRaw)) this.firstRaw = raw;
    this.lastRaw = raw;
    if (timeCell.includes(':')) this.durationRows++;
    const dpt = this.fields.cell(Field.DptTime);
    if (dpt !== '') {
      // Only the first and the last DPT Time are needed (start, and the span that tells the time unit):
      // the last is kept as text and parsed once in finish().
      if (Number.isNaN(this.firstDptMs)) {
        this.firstDptMs = parseMaccorDateTimeMs(dpt, this.isDayFirst, this.fallbackDate);
        if (Number.isFinite(this.firstDptMs)) this.startDateTime = formatWallClock(this.firstDptMs).slice(0, 19);
      }
      this.lastDptCell = dpt;
    }
    let code: number = STEP_TYPE_CODE.other;
    if (this.fields.has(Field.State)) {
      code = this.stateCode(this.fields.cell(Field.State));
      // Magnitudes in a discharge (or, rarely, negatives in a charge): the State decides the sign.
      if ((code === STEP_TYPE_CODE.cc_discharge && currentMA > 0) || (code === STEP_TYPE_CODE.cc_charge && currentMA < 0)) {
        currentMA = -currentMA;
        this.signedFromState++;
      }
    }
    pushRecord(this.acc, this.fields, RECORD_FIELDS, raw, voltageV, currentMA, code);
  }

  /** Seconds per unit of an unlabelled numeric TestTime: from the DPT Time span, else the layout's convention. */
  private unlabelledTimeFactor(): { factor: number; how: string } {
    const rawSpan = this.lastRaw - this.firstRaw;
    const lastDptMs = parseMaccorDateTimeMs(this.lastDptCell, this.isDayFirst ?? false, this.fallbackDate);
    const wallSpanS = (lastDptMs - this.firstDptMs) / 1000;
    if (rawSpan > 0 && wallSpanS > 0) {
      const ratio = wallSpanS / rawSpan;
      if (ratio >= MINUTES_RATIO[0] && ratio <= MINUTES_RATIO[1])
        return { factor: 60, how: `minutes (DPT Time advances ${ratio.toFixed(1)} s per TestTime unit)` };
      if (ratio >= SECONDS_RATIO[0] && ratio <= SECONDS_RATIO[1])
        return { factor: 1, how: `seconds (DPT Time advances ${ratio.toFixed(2)} s per TestTime unit)` };
    }
    return this.isMinutesLayout
      ? { factor: 60, how: 'minutes (this export layout writes minutes; DPT Time could not confirm it)' }
      : { factor: 1, how: 'seconds (DPT Time could not confirm it)' };
  }

  finish(): ParsedRecords {
    const { columns, warnings } = this.acc.finish();
    const rows = columns.timeS.length;
    if (rows > 0 && this.timeUnitSource === 'unlabelled' && this.durationRows === 0) {
      const { factor, how } = this.unlabelledTimeFactor();
      if (factor !== 1) for (let i = 0; i < rows; i++) columns.timeS[i] *= factor;
      warnings.push({ code: 'time-unit-inferred', message: `TestTime has no unit in its header: read as ${how}.` });
    }
    if (this.signedFromState > 0) {
      warnings.push({
        code: 'current-sign-from-state',
        message: `${this.signedFromState} records had a current sign that disagreed with their State (this export writes magnitudes); the sign was taken from the State (D = discharge, negative).`,
        count: this.signedFromState,
      });
    }
    if (rows > 0 && !this.fields.has(Field.State)) {
      const { steps, cv } = inferArbinStepTypes(columns, true);
      warnings.push({
        code: 'step-types-inferred',
        message: `the file has no State column: rest / charge / discharge of ${steps} steps were inferred from the current (${cv} constant-voltage).`,
        count: steps,
      });
    }
    return { columns, rowCount: rows, sourceColumns: this.sourceColumns, warnings, startDateTime: this.startDateTime };
  }
}

/** Maccor text and CSV exports; refuses Maccor AC impedance (EIS) files. */
export const MACCOR_TEXT: TextFormat = {
  id: 'maccor-text',
  instrument: 'Maccor (text export)',
  detect: (head) => isMaccorImpedance(head.lines) || findHeader(head.lines) !== undefined,
  createParser: (head) => {
    if (isMaccorImpedance(head.lines)) {
      throw new ImportError(
        'unsupported-format',
        head.fileName,
        "this is a Maccor AC Impedance Test file (an EIS frequency sweep: Freq(Hz), Z', Z'' …), not cycling data; impedance files cannot be imported.",
      );
    }
    const header = findHeader(head.lines);
    if (!header) throw new ImportError('unrecognised-format', head.fileName, 'no Maccor header row (Rec# / Rec …) was found.');
    return new MaccorTextParser(head.fileName, head, header);
  },
};
