/**
 * Generic delimited text (CSV, TSV, `;`-separated) whose header names time, voltage and current,
 * with units in the header (`Time (h)`, `Voltage/V`, `Current(µA)`). Metadata lines above the header
 * are allowed. Fields are parsed by papaparse (quotes, escaped delimiters), fed in batches of complete
 * lines so that the file is never held whole.
 *
 * Pipeline: find header line + delimiter -> map columns by name and unit -> batches of lines ->
 * papaparse -> canonical records -> step types inferred from the current when the file has none.
 */
import Papa from 'papaparse';
import type { SourceColumn } from '../model/dataset';
import { STEP_TYPE_CODE, stepTypeFromLabel } from '../model/step-type';
import { parseDateTimeMs, parseDurationS, parseNumber } from './field-parsing';
import { mapHeaders, roleOfHeader, type HeaderRoles, type MappedColumn } from './header-mapping';
import { RecordAccumulator } from './record-accumulator';
import type { LineParser, ParsedRecords, TextFormat, TextHead } from './text-format';

type GenericRole = 'time' | 'dateTime' | 'voltage' | 'current' | 'capacity' | 'step' | 'stepType' | 'cycle' | 'temperature';

const ROLE_NAMES: Readonly<Record<GenericRole, readonly string[]>> = {
  time: ['time', 'test time', 'total time', 'elapsed time', 'run time', 'cumulative time', 'testtime', 't', 'time s'],
  dateTime: ['date', 'datetime', 'date time', 'timestamp', 'absolute time', 'realtime'],
  voltage: ['voltage', 'potential', 'ewe', 'ecell', 'e', 'u', 'cell voltage', 'volts', 'v'],
  current: ['current', 'i', 'curr', 'amps', 'cell current'],
  capacity: ['capacity', 'cap', 'q'],
  step: ['step', 'step index', 'step number', 'ns'],
  stepType: ['step type', 'step name'],
  cycle: ['cycle', 'cycle index', 'cycle number', 'cycle id'],
  temperature: ['temperature', 'temp', 't1'],
};

const DELIMITERS = [',', '\t', ';', '|'] as const;
const HEADER_SEARCH_LINES = 40;
const LINES_PER_BATCH = 4096;
/** |I| below this fraction of the file's largest |I| counts as rest when step types are inferred. */
const REST_CURRENT_FRACTION = 1e-3;

const GENERIC_HEADERS: HeaderRoles<GenericRole> = {
  names: ROLE_NAMES,
  quantities: { time: 'time', voltage: 'voltage', current: 'current', capacity: 'capacity', temperature: 'temperature' },
  canonical: {
    time: 'time',
    dateTime: 'time',
    voltage: 'voltage',
    current: 'current',
    capacity: 'capacity',
    step: 'step',
    stepType: 'stepType',
    cycle: 'cycle',
    temperature: 'temperature',
  },
  // `<Ewe>`, `Test_Time`, `Cyc#`: brackets, underscores and punctuation are not part of the name.
  normalise: (name) =>
    name
      .toLowerCase()
      .replace(/[<>_]/g, ' ')
      .replace(/[^\p{L}\p{N} ]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
};

function roleOf(header: string): GenericRole | undefined {
  return roleOfHeader(GENERIC_HEADERS, header);
}

function splitLine(line: string, delimiter: string): string[] {
  const parsed = Papa.parse<string[]>(line, { delimiter, header: false });
  return parsed.data[0] ?? [];
}

interface HeaderLocation {
  readonly lineIndex: number;
  readonly delimiter: string;
  readonly headers: string[];
}

function findHeader(lines: readonly string[]): HeaderLocation | undefined {
  const n = Math.min(lines.length, HEADER_SEARCH_LINES);
  for (let i = 0; i < n; i++) {
    for (const delimiter of DELIMITERS) {
      if (!lines[i].includes(delimiter)) continue;
      const headers = splitLine(lines[i], delimiter);
      const roles = new Set(headers.map(roleOf));
      const hasTime = roles.has('time') || roles.has('dateTime');
      if (hasTime && roles.has('voltage') && roles.has('current')) return { lineIndex: i, delimiter, headers };
    }
  }
  return undefined;
}

class DelimitedTextParser implements LineParser {
  private readonly acc: RecordAccumulator;
  private readonly roles: Map<GenericRole, MappedColumn>;
  private readonly sourceColumns: SourceColumn[];
  private readonly hasStepType: boolean;
  private readonly isDecimalComma: boolean;
  private batch: string[] = [];
  private batchFirstLine = 0;
  private pendingQuoted = '';
  private timeMode: 'number' | 'duration' | 'dateTime' | undefined;
  private startDateTime?: string;
  private readonly minFields: number;

  constructor(
    fileName: string,
    private readonly header: HeaderLocation,
  ) {
    ({ roles: this.roles, sourceColumns: this.sourceColumns } = mapHeaders(GENERIC_HEADERS, fileName, header.headers));
    const dateTimeColumn = this.roles.get('dateTime');
    if (this.roles.has('time') && dateTimeColumn) {
      // Both present: the elapsed-time column is the time axis; the date-time is only metadata.
      const dateHeader = header.headers[dateTimeColumn.index];
      this.sourceColumns = this.sourceColumns.map((c) => (c.header === dateHeader ? { header: c.header, unit: c.unit } : c));
    }
    this.hasStepType = this.roles.has('stepType');
    this.isDecimalComma = header.delimiter !== ',';
    this.minFields = Math.max(...[...this.roles.values()].map((c) => c.index)) + 1;
    this.acc = new RecordAccumulator({
      capacity: this.roles.has('capacity'),
      cycle: this.roles.has('cycle'),
      temperature: this.roles.has('temperature'),
    });
  }

  onLine(line: string, lineNumber: number, isUnterminated: boolean): void {
    if (lineNumber <= this.header.lineIndex + 1) return;
    let text = line;
    if (this.pendingQuoted.length > 0) {
      text = `${this.pendingQuoted}\n${line}`;
      this.pendingQuoted = '';
    }
    if (countQuotes(text) % 2 === 1) {
      this.pendingQuoted = text;
      return;
    }
    if (text.trim().length === 0) return;
    if (isUnterminated && splitLine(text, this.header.delimiter).length < this.header.headers.length) {
      // The file's last record, cut mid-write: its last cell may be a truncated number.
      return this.acc.rejectLine(lineNumber);
    }
    if (this.batch.length === 0) this.batchFirstLine = lineNumber;
    this.batch.push(text);
    if (this.batch.length >= LINES_PER_BATCH) this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const rows = Papa.parse<string[]>(this.batch.join('\n'), { delimiter: this.header.delimiter, header: false }).data;
    for (let r = 0; r < rows.length; r++) this.onRow(rows[r], this.batchFirstLine + r);
    this.batch = [];
  }

  private num(role: GenericRole, row: readonly string[]): number {
    const col = this.roles.get(role);
    if (!col) return NaN;
    let cell = row[col.index] ?? '';
    if (this.isDecimalComma) cell = cell.replace(',', '.');
    const v = parseNumber(cell);
    return col.conversion ? v * col.conversion.factor + col.conversion.offset : v;
  }

  private timeOf(row: readonly string[]): number {
    const timeCol = this.roles.get('time');
    const dateCol = this.roles.get('dateTime');
    const cell = ((timeCol ? row[timeCol.index] : row[dateCol!.index]) ?? '').trim();
    if (this.timeMode === undefined) {
      if (!timeCol || !Number.isNaN(parseDateTimeMs(cell))) this.timeMode = 'dateTime';
      else if (cell.includes(':')) this.timeMode = 'duration';
      else this.timeMode = 'number';
    }
    if (this.timeMode === 'dateTime') return parseDateTimeMs(cell) / 1000;
    if (this.timeMode === 'duration') return parseDurationS(cell);
    return this.num('time', row);
  }

  private onRow(row: readonly string[], lineNumber: number): void {
    if (row.length < this.minFields) return this.acc.rejectLine(lineNumber);
    const timeS = this.timeOf(row);
    const voltageV = this.num('voltage', row);
    const currentMA = this.num('current', row);
    if (!Number.isFinite(timeS) || !Number.isFinite(voltageV) || !Number.isFinite(currentMA)) {
      return this.acc.rejectLine(lineNumber);
    }
    if (this.startDateTime === undefined) {
      const dateCol = this.roles.get('dateTime');
      if (dateCol) this.startDateTime = (row[dateCol.index] ?? '').trim() || undefined;
    }
    const stepTypeCol = this.roles.get('stepType');
    const stepTypeCode = stepTypeCol ? STEP_TYPE_CODE[stepTypeFromLabel(row[stepTypeCol.index] ?? '')] : STEP_TYPE_CODE.other;
    const step = this.num('step', row);
    const cycle = this.num('cycle', row);
    this.acc.push(
      timeS,
      voltageV,
      currentMA,
      Number.isFinite(step) ? step : 0,
      stepTypeCode,
      this.num('capacity', row),
      Number.isFinite(cycle) ? cycle : 0,
      this.num('temperature', row),
    );
  }

  finish(): ParsedRecords {
    if (this.pendingQuoted.length > 0) {
      this.batch.push(this.pendingQuoted);
      this.pendingQuoted = '';
    }
    this.flush();
    const { columns, warnings } = this.acc.finish();
    if (!this.hasStepType && columns.timeS.length > 0) {
      inferStepTypes(columns.currentMA, columns.stepType, this.roles.has('step') ? undefined : columns.step);
      warnings.push({
        code: 'step-types-inferred',
        message: `the file has no step-type column: rest / charge / discharge were inferred from the current (|I| < ${REST_CURRENT_FRACTION} × max |I| is rest).`,
      });
    }
    return { columns, rowCount: columns.timeS.length, sourceColumns: this.sourceColumns, warnings, startDateTime: this.startDateTime };
  }
}

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n++;
  return n;
}

/**
 * Fills `stepType` from the sign of the current (positive = charge) and, when `step` is given, numbers
 * the runs of equal type 1, 2, 3 … as the step counter.
 */
export function inferStepTypes(currentMA: Float32Array, stepType: Uint8Array, step?: Int32Array): void {
  let maxAbs = 0;
  for (let i = 0; i < currentMA.length; i++) maxAbs = Math.max(maxAbs, Math.abs(currentMA[i]));
  const restBelow = maxAbs * REST_CURRENT_FRACTION;
  let stepNumber = 0;
  let previous = -1;
  for (let i = 0; i < currentMA.length; i++) {
    const c = currentMA[i];
    const code = Math.abs(c) <= restBelow ? STEP_TYPE_CODE.rest : c > 0 ? STEP_TYPE_CODE.cc_charge : STEP_TYPE_CODE.cc_discharge;
    stepType[i] = code;
    if (code !== previous) stepNumber++;
    previous = code;
    if (step) step[i] = stepNumber;
  }
}

export const DELIMITED_TEXT: TextFormat = {
  id: 'delimited-text',
  instrument: 'generic delimited text',
  detect: (head: TextHead) => findHeader(head.lines) !== undefined,
  createParser: (head: TextHead) => new DelimitedTextParser(head.fileName, findHeader(head.lines)!),
};
