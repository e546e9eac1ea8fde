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
import { splitHeaderUnit, unitConversion, type Quantity, type UnitConversion } from '../model/units';
import { parseNumber, pickFields } from './field-parsing';
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

class NovonixCsvParser implements LineParser {
  private acc?: RecordAccumulator;
  private readonly sourceColumns: SourceColumn[] = [];
  private readonly slot: Partial<Record<Field, number>> = {};
  private readonly conv: Partial<Record<Field, UnitConversion>> = {};
  private wanted: number[] = [];
  private readonly cells: string[] = [];
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
    const columns = new Map<NovonixRole, number>();
    headers.forEach((header, index) => {
      const role = roleOf(header);
      const { unit } = splitHeaderUnit(header);
      if (role === undefined || columns.has(role)) return void this.sourceColumns.push({ header, unit });
      columns.set(role, index);
      const mappedTo = CANONICAL[role];
      this.sourceColumns.push(mappedTo ? { header, unit, mappedTo } : { header, unit });
    });
    const missing = (['runTime', 'current', 'potential'] as const).filter((r) => !columns.has(r));
    if (missing.length > 0) {
      throw new ImportError(
        'missing-column',
        this.fileName,
        `the Novonix [Data] header has no ${missing.map((r) => ROLE_NAMES[r][0]).join(', ')} column.`,
      );
    }
    for (const [field, role] of FIELD_ROLES) {
      const index = columns.get(role);
      const quantity = QUANTITY[role];
      if (index === undefined || !quantity) continue;
      const unit = splitHeaderUnit(headers[index]).unit || IMPLICIT_UNIT[role] || '';
      const conversion = unitConversion(quantity, unit);
      if (!conversion)
        throw new ImportError(
          'unsupported-format',
          this.fileName,
          `column "${headers[index]}" has a unit "${unit}" that is not a ${quantity} unit.`,
        );
      this.conv[field] = conversion;
    }
    const picked = FIELD_ROLES.filter(([, role]) => columns.has(role)).map(([field, role]) => ({ field, index: columns.get(role)! }));
    picked.sort((a, b) => a.index - b.index);
    picked.forEach(({ field }, k) => (this.slot[field] = k));
    this.wanted = picked.map((p) => p.index);
    this.acc = new RecordAccumulator({
      capacity: columns.has('capacity'),
      cycle: columns.has('cycle'),
      temperature: columns.has('temperature'),
    });
  }

  private value(field: Field): number {
    const slot = this.slot[field];
    if (slot === undefined) return NaN;
    const v = parseNumber(this.cells[slot]);
    const c = this.conv[field];
    return c ? v * c.factor + c.offset : v;
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
    if (line.trim() === '') return;
    if (isUnterminated && line.split(',').length < this.width) return acc.rejectLine(lineNumber);
    if (pickFields(line, ',', this.wanted, this.cells) < this.wanted.length) return acc.rejectLine(lineNumber);
    const timeS = this.value(Field.RunTime);
    const voltageV = this.value(Field.Potential);
    const currentMA = this.value(Field.Current);
    if (!Number.isFinite(timeS) || !Number.isFinite(voltageV) || !Number.isFinite(currentMA)) return acc.rejectLine(lineNumber);
    if (this.startDateTime === undefined && this.slot[Field.DateTime] !== undefined) {
      this.startDateTime = this.cells[this.slot[Field.DateTime]].trim() || undefined;
    }
    const typeCode = this.value(Field.StepType);
    let code = NOVONIX_STEP_TYPES[typeCode];
    if (code === undefined) {
      code = STEP_TYPE_CODE.other;
      this.unknownStepTypes++;
    }
    const step = this.value(Field.Step);
    const cycle = this.value(Field.Cycle);
    acc.push(
      timeS,
      voltageV,
      currentMA,
      Number.isFinite(step) ? step : 0,
      code,
      this.value(Field.Capacity),
      Number.isFinite(cycle) ? cycle : 0,
      this.value(Field.Temperature),
    );
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
