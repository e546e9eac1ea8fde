/**
 * Novonix UHPC CSV files: sections `[Summary]` … `[End Summary]`, `[Protocol]` (one JSON line) …
 * `[End Protocol]`, then `[Data]` followed by the column header (`Date and Time,Cycle Number,Step Type,
 * Run Time (h),Step Time (h),Current (A),Potential (V),Capacity (Ah),Temperature (°C),…,Step Number,…`)
 * and the records.
 *
 * Canonical columns: time from `Run Time (h)` (× 3600), voltage `Potential`, current `Current` (+ = charge,
 * signed by the step type when the file writes a magnitude), capacity `Capacity` (Novonix counts it per
 * step), step `Step Number`, cycle `Cycle Number`, temperature `Temperature`.
 * `Step Type` is a numeric code. The codes used (BatLabLancaster/preparenovonix, novonix_variables.py):
 * 0 open-circuit storage (rest), 1 CC charge, 2 CC discharge, 7 CC part of CC-CV charge, 8 its CV part,
 * 9 CC part of CC-CV discharge, 10 its CV part. Other codes map to `other`.
 *
 * Pipeline: `[Summary]` head -> skip to `[Data]` -> header -> column roles + units -> per line pick fields
 * -> RecordAccumulator.
 */
import type { SourceColumn } from '../model/dataset';
import { STEP_TYPE_CODE } from '../model/step-type';
import { splitHeaderUnit, type Quantity } from '../model/units';
import { bindFields, headerUnitOr, mapColumnRoles, pushRecord, type PickedFields, type RecordFields } from './cycler-text-common';
import { ImportError } from './import-error';
import { RecordAccumulator } from './record-accumulator';
import type { LineParser, ParsedRecords, TextFormat, TextHead } from './text-format';

type NovonixRole = 'dateTime' | 'cycle' | 'stepType' | 'runTime' | 'current' | 'potential' | 'capacity' | 'temperature' | 'step';

const ROLE_NAMES: Readonly<Record<NovonixRole, readonly string[]>> = {
  dateTime: ['date and time'],
  cycle: ['cycle number'],
  stepType: ['step type'],
  runTime: ['run time'],
  current: ['current'],
  potential: ['potential'],
  capacity: ['capacity'],
  temperature: ['temperature'],
  step: ['step number'],
};

const QUANTITY: Partial<Record<NovonixRole, Quantity>> = {
  runTime: 'time',
  current: 'current',
  potential: 'voltage',
  capacity: 'capacity',
  temperature: 'temperature',
};
const IMPLICIT_UNIT: Partial<Record<NovonixRole, string>> = {
  runTime: 'h',
  current: 'A',
  potential: 'V',
  capacity: 'Ah',
  temperature: 'C',
};
const CANONICAL: Partial<Record<NovonixRole, string>> = {
  runTime: 'time',
  current: 'current',
  potential: 'voltage',
  capacity: 'capacity',
  temperature: 'temperature',
  stepType: 'stepType',
  step: 'step',
  cycle: 'cycle',
};

/** Novonix `Step Type` codes (preparenovonix) -> canonical step types. */
const NOVONIX_STEP_TYPES: Readonly<Record<number, number>> = {
  0: STEP_TYPE_CODE.rest,
  1: STEP_TYPE_CODE.cc_charge,
  2: STEP_TYPE_CODE.cc_discharge,
  7: STEP_TYPE_CODE.cc_charge,
  8: STEP_TYPE_CODE.cv_charge,
  9: STEP_TYPE_CODE.cc_discharge,
  10: STEP_TYPE_CODE.cv_discharge,
};

function roleOf(header: string): NovonixRole | undefined {
  const name = splitHeaderUnit(header).name.toLowerCase().replace(/\s+/g, ' ').trim();
  for (const role of Object.keys(ROLE_NAMES) as NovonixRole[]) if (ROLE_NAMES[role].includes(name)) return role;
  return undefined;
}

/** `[Summary]` first and Novonix named in the summary block. */
function isNovonixHead(lines: readonly string[]): boolean {
  if ((lines[0] ?? '').trim() !== '[Summary]') return false;
  const end = lines.findIndex((l) => l.trim() === '[End Summary]');
  return lines.slice(1, end === -1 ? 20 : end).some((l) => /novonix/i.test(l));
}

function summaryStarted(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const m = /^Started:\s*(.+)$/.exec(line.trim());
    if (m) return m[1].trim();
    if (line.trim() === '[End Summary]') break;
  }
  return undefined;
}

const enum Field {
  DateTime,
  Cycle,
  StepType,
  RunTime,
  Current,
  Potential,
  Capacity,
  Temperature,
  Step,
}

const FIELD_ROLES: readonly [Field, NovonixRole][] = [
  [Field.DateTime, 'dateTime'],
  [Field.Cycle, 'cycle'],
  [Field.StepType, 'stepType'],
  [Field.RunTime, 'runTime'],
  [Field.Current, 'current'],
  [Field.Potential, 'potential'],
  [Field.Capacity, 'capacity'],
  [Field.Temperature, 'temperature'],
  [Field.Step, 'step'],
];

const RECORD_FIELDS: RecordFields<Field> = {
  step: Field.Step,
  cycle: Field.Cycle,
  capacity: Field.Capacity,
  temperature: Field.Temperature,
};

class NovonixCsvParser implements LineParser {
  private acc?: RecordAccumulator;
  private sourceColumns: SourceColumn[] = [];
  private fields?: PickedFields<Field>;
  private width = 0;
  /** 'preamble' until `[Data]`, then 'header' for one line, then 'records'. */
  private phase: 'preamble' | 'header' | 'records' = 'preamble';
  private startDateTime?: string;
  private unknownStepTypes = 0;

  constructor(
    private readonly fileName: string,
    head: TextHead,
  ) {
    this.startDateTime = summaryStarted(head.lines);
  }

  private readHeader(line: string): void {
    const headers = line.split(',');
    this.width = headers.length;
    const mapped = mapColumnRoles(headers, roleOf, (role) => CANONICAL[role]);
    const columns = mapped.columns;
    this.sourceColumns = mapped.sourceColumns;
    const missing = (['runTime', 'current', 'potential'] as const).filter((r) => !columns.has(r));
    if (missing.length > 0) {
      throw new ImportError(
        'missing-column',
        this.fileName,
        `the Novonix [Data] header has no ${missing.map((r) => ROLE_NAMES[r][0]).join(', ')} column.`,
      );
    }
    this.fields = bindFields(this.fileName, headers, columns, FIELD_ROLES, QUANTITY, headerUnitOr(IMPLICIT_UNIT));
    this.acc = new RecordAccumulator({
      capacity: columns.has('capacity'),
      cycle: columns.has('cycle'),
      temperature: columns.has('temperature'),
    });
  }

  onLine(line: string, lineNumber: number, isUnterminated: boolean): void {
    if (this.phase === 'preamble') {
      if (line.trim() === '[Data]') this.phase = 'header';
      return;
    }
    if (this.phase === 'header') {
      if (line.trim() === '') return;
      this.readHeader(line);
      this.phase = 'records';
      return;
    }
    const acc = this.acc!;
    const fields = this.fields!;
    if (line.trim() === '') return;
    if (isUnterminated && line.split(',').length < this.width) return acc.rejectLine(lineNumber);
    if (!fields.pick(line, ',')) return acc.rejectLine(lineNumber);
    const timeS = fields.value(Field.RunTime);
    const voltageV = fields.value(Field.Potential);
    const currentMA = fields.value(Field.Current);
    if (!Number.isFinite(timeS) || !Number.isFinite(voltageV) || !Number.isFinite(currentMA)) return acc.rejectLine(lineNumber);
    if (this.startDateTime === undefined && fields.has(Field.DateTime)) {
      this.startDateTime = fields.cell(Field.DateTime).trim() || undefined;
    }
    const typeCode = fields.value(Field.StepType);
    let code = NOVONIX_STEP_TYPES[typeCode];
    if (code === undefined) {
      code = STEP_TYPE_CODE.other;
      this.unknownStepTypes++;
    }
    pushRecord(acc, fields, RECORD_FIELDS, timeS, voltageV, currentMA, code);
  }

  finish(): ParsedRecords {
    if (!this.acc) {
      throw new ImportError('no-data-rows', this.fileName, 'the Novonix file has no [Data] section with a column header.');
    }
    const { columns, warnings } = this.acc.finish();
    if (this.unknownStepTypes > 0) {
      warnings.push({
        code: 'unknown-step-type',
        message: `${this.unknownStepTypes} records have a Novonix Step Type code other than 0, 1, 2, 7–10; they were given the step type "other".`,
        count: this.unknownStepTypes,
      });
    }
    return { columns, rowCount: columns.timeS.length, sourceColumns: this.sourceColumns, warnings, startDateTime: this.startDateTime };
  }
}

/** Novonix UHPC CSV (`[Summary]` … `[Data]`). */
export const NOVONIX_CSV: TextFormat = {
  id: 'novonix-csv',
  instrument: 'Novonix UHPC (CSV)',
  detect: (head) => isNovonixHead(head.lines),
  createParser: (head) => new NovonixCsvParser(head.fileName, head),
};
