/**
 * BaSyTec result files (text, tab-separated): header lines that start with `~` (`~Resultfile from Basytec
 * Battery Test System`, `~Start of Test: 19.06.2023 17:56:53`, …), the last of which names the columns
 * (`~Time[s]  DataSet  t-Step[s] … Line  Command  U[V]  I[A]  P[W]  Ah[Ah] … Ah-Step … T1[°C] … Cyc-Count
 * Count  State`), then one record per line.
 *
 * Canonical columns: time from `Time[s]` (test time), voltage `U`, current `I` (BaSyTec writes discharge
 * negative: + = charge as in DOMAIN.md), capacity the per-step `Ah-Step` (else the test's `Ah` counter,
 * named in a warning), step = `Line` (the test plan line), cycle `Cyc-Count`, temperature `T1`.
 * Step type from `Command` (`Pause` rest, `Charge`, `Discharge`); BaSyTec's Command does not say whether a
 * charge held a constant voltage, so charge/discharge map to cc_*. Other commands: from the current's sign.
 *
 * Pipeline: `~` header lines -> column roles + units -> per line pick fields -> RecordAccumulator.
 */
import type { SourceColumn } from '../model/dataset';
import { STEP_TYPE_CODE } from '../model/step-type';
import { splitHeaderUnit, type Quantity } from '../model/units';
import { bindFields, mapColumnRoles, pushRecord, type PickedFields, type RecordFields } from './cycler-text-common';
import { RecordAccumulator } from './record-accumulator';
import type { LineParser, ParsedRecords, TextFormat, TextHead } from './text-format';

type BasytecRole = 'time' | 'voltage' | 'current' | 'stepCapacity' | 'capacity' | 'line' | 'command' | 'cycle' | 'temperature';

const ROLE_NAMES: Readonly<Record<BasytecRole, readonly string[]>> = {
  time: ['time'],
  voltage: ['u'],
  current: ['i'],
  stepCapacity: ['ah-step'],
  capacity: ['ah'],
  line: ['line'],
  command: ['command'],
  cycle: ['cyc-count'],
  temperature: ['t1'],
};

const IMPLICIT_UNIT: Partial<Record<BasytecRole, string>> = {
  time: 's',
  voltage: 'V',
  current: 'A',
  stepCapacity: 'Ah',
  capacity: 'Ah',
  temperature: 'C',
};
const QUANTITY: Partial<Record<BasytecRole, Quantity>> = {
  time: 'time',
  voltage: 'voltage',
  current: 'current',
  stepCapacity: 'capacity',
  capacity: 'capacity',
  temperature: 'temperature',
};
const CANONICAL: Partial<Record<BasytecRole, string>> = {
  time: 'time',
  voltage: 'voltage',
  current: 'current',
  stepCapacity: 'capacity',
  line: 'step',
  command: 'stepType',
  cycle: 'cycle',
  temperature: 'temperature',
};

/** |I| at or below this (mA) under an unknown command counts as rest. */
const REST_CURRENT_MA = 1e-6;

function roleOf(header: string): BasytecRole | undefined {
  const name = splitHeaderUnit(header.replace(/^~/, '')).name.toLowerCase().trim();
  for (const role of Object.keys(ROLE_NAMES) as BasytecRole[]) if (ROLE_NAMES[role].includes(name)) return role;
  return undefined;
}

/** A header's unit, the `~` that marks BaSyTec's header line dropped. */
function headerUnit(header: string): string {
  return splitHeaderUnit(header.replace(/^~/, '')).unit;
}

/** Index of the `~Time[s] … U[V] … I[A]` column header among the head's lines. */
function findHeader(lines: readonly string[]): number {
  if (!(lines[0] ?? '').startsWith('~')) return -1;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    if (!line.startsWith('~')) return -1;
    if (!line.includes('\t')) continue;
    const roles = new Set(line.split('\t').map(roleOf));
    if (roles.has('time') && roles.has('voltage') && roles.has('current')) return k;
  }
  return -1;
}

/** `~Start of Test: 19.06.2023 17:56:53` (German day.month.year) as `YYYY-MM-DD HH:MM:SS`. */
function startOfTest(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const m = /^~\s*Start of Test:\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})/i.exec(line);
    if (m) return `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')} ${m[4].padStart(2, '0')}:${m[5]}:${m[6]}`;
  }
  return undefined;
}

const enum Field {
  Time,
  Line,
  Command,
  Voltage,
  Current,
  Capacity,
  Temperature,
  Cycle,
}

const RECORD_FIELDS: RecordFields<Field> = {
  step: Field.Line,
  cycle: Field.Cycle,
  capacity: Field.Capacity,
  temperature: Field.Temperature,
};

class BasytecTextParser implements LineParser {
  private readonly acc: RecordAccumulator;
  private readonly sourceColumns: SourceColumn[];
  private readonly fields: PickedFields<Field>;
  private readonly width: number;
  private readonly headerLine: number;
  private readonly startDateTime?: string;
  private readonly usesTestCapacity: boolean;

  constructor(fileName: string, head: TextHead, headerIndex: number) {
    this.headerLine = headerIndex + 1;
    this.startDateTime = startOfTest(head.lines.slice(0, headerIndex));
    const headers = head.lines[headerIndex].split('\t');
    this.width = headers.length;
    const hasStepCapacity = headers.some((h) => roleOf(h) === 'stepCapacity');
    this.usesTestCapacity = !hasStepCapacity && headers.some((h) => roleOf(h) === 'capacity');
    const { columns, sourceColumns } = mapColumnRoles(
      headers,
      roleOf,
      (role) => (role === 'capacity' ? (this.usesTestCapacity ? 'capacity' : undefined) : CANONICAL[role]),
      headerUnit,
    );
    this.sourceColumns = sourceColumns;
    const capacityRole: BasytecRole = this.usesTestCapacity ? 'capacity' : 'stepCapacity';
    const fields: [Field, BasytecRole][] = [
      [Field.Time, 'time'],
      [Field.Line, 'line'],
      [Field.Command, 'command'],
      [Field.Voltage, 'voltage'],
      [Field.Current, 'current'],
      [Field.Capacity, capacityRole],
      [Field.Temperature, 'temperature'],
      [Field.Cycle, 'cycle'],
    ];
    this.fields = bindFields(fileName, headers, columns, fields, QUANTITY, (role, header) => {
      const unit = headerUnit(header) || IMPLICIT_UNIT[role] || '';
      // The sample export writes `T1[\uFFFDC]`: its `°` was lost to a replacement character on the way.
      return QUANTITY[role] === 'temperature' ? unit.replace(/^\uFFFD(?=C$)/, '°') : unit;
    });
    this.acc = new RecordAccumulator({
      capacity: columns.has(capacityRole),
      cycle: columns.has('cycle'),
      temperature: columns.has('temperature'),
    });
  }

  onLine(line: string, lineNumber: number, isUnterminated: boolean): void {
    if (lineNumber <= this.headerLine || line.trim().length === 0 || line.startsWith('~')) return;
    if (isUnterminated && line.split('\t').length < this.width) return this.acc.rejectLine(lineNumber);
    if (!this.fields.pick(line, '\t')) return this.acc.rejectLine(lineNumber);
    const timeS = this.fields.value(Field.Time);
    const voltageV = this.fields.value(Field.Voltage);
    const currentMA = this.fields.value(Field.Current);
    if (!Number.isFinite(timeS) || !Number.isFinite(voltageV) || !Number.isFinite(currentMA)) return this.acc.rejectLine(lineNumber);
    const command = this.fields.cell(Field.Command).trim().toLowerCase();
    let code: number;
    if (command === 'pause') code = STEP_TYPE_CODE.rest;
    else if (command === 'charge') code = STEP_TYPE_CODE.cc_charge;
    else if (command === 'discharge') code = STEP_TYPE_CODE.cc_discharge;
    else
      code =
        Math.abs(currentMA) <= REST_CURRENT_MA
          ? STEP_TYPE_CODE.rest
          : currentMA > 0
            ? STEP_TYPE_CODE.cc_charge
            : STEP_TYPE_CODE.cc_discharge;
    pushRecord(this.acc, this.fields, RECORD_FIELDS, timeS, voltageV, currentMA, code);
  }

  finish(): ParsedRecords {
    const { columns, warnings } = this.acc.finish();
    if (this.usesTestCapacity) {
      warnings.push({
        code: 'capacity-not-per-step',
        message: "the file has no Ah-Step column: capacity is the test's Ah counter (magnitude), not per step.",
      });
    }
    return { columns, rowCount: columns.timeS.length, sourceColumns: this.sourceColumns, warnings, startDateTime: this.startDateTime };
  }
}

/** BaSyTec result files (`~` header lines, tab-separated). */
export const BASYTEC_TEXT: TextFormat = {
  id: 'basytec-text',
  instrument: 'BaSyTec Battery Test System (text result file)',
  detect: (head) => findHeader(head.lines) >= 0,
  createParser: (head) => new BasytecTextParser(head.fileName, head, findHeader(head.lines)),
};
