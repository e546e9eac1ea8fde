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
import type { ImportWarning, SourceColumn } from '../model/dataset';
import { STEP_TYPE_CODE, stepTypeFromLabel } from '../model/step-type';
import { splitHeaderUnit, unitConversion } from '../model/units';
import { headerSignature, MAPPABLE_ROLES, type ColumnMap } from './column-map';
import { parseDateTimeMs, parseDurationS, parseNumber } from './field-parsing';
import { mapHeaders, roleOfHeader, type HeaderRoles, type MappedColumn } from './header-mapping';
import { ImportError } from './import-error';
import { RecordAccumulator } from './record-accumulator';
import type { LineParser, ParsedRecords, TextFormat, TextHead, TextParseSettings } from './text-format';

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

/** The header line that holds every header a user's mapping names (time or dateTime, voltage, current). */
function findMappedHeader(lines: readonly string[], map: ColumnMap): HeaderLocation | undefined {
  const timeHeader = map.time ?? map.dateTime;
  if (timeHeader === undefined || map.voltage === undefined || map.current === undefined) return undefined;
  const wanted = [timeHeader, map.voltage, map.current].map((h) => h.trim());
  const n = Math.min(lines.length, HEADER_SEARCH_LINES);
  for (let i = 0; i < n; i++) {
    for (const delimiter of DELIMITERS) {
      if (!lines[i].includes(delimiter)) continue;
      const headers = splitLine(lines[i], delimiter).map((h) => h.trim());
      if (wanted.every((w) => headers.includes(w))) return { lineIndex: i, delimiter, headers };
    }
  }
  return undefined;
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

  private readonly mappingWarnings: ImportWarning[] = [];

  constructor(
    fileName: string,
    private readonly header: HeaderLocation,
    columnMap?: ColumnMap,
  ) {
    if (columnMap) {
      ({ roles: this.roles, sourceColumns: this.sourceColumns } = mapByColumnMap(
        fileName,
        header.headers,
        columnMap,
        this.mappingWarnings,
      ));
    } else {
      ({ roles: this.roles, sourceColumns: this.sourceColumns } = mapHeaders(GENERIC_HEADERS, fileName, header.headers));
    }
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
    warnings.unshift(...this.mappingWarnings);
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

const QUANTITY_OF_ROLE: Partial<Record<GenericRole, 'time' | 'voltage' | 'current' | 'capacity' | 'temperature'>> =
  GENERIC_HEADERS.quantities;

/**
 * Roles from the user's mapping: each named header must exist; its unit is read from the header
 * (`Current(µA)`), and a header without a unit is taken in the canonical unit, said in a warning.
 */
function mapByColumnMap(
  fileName: string,
  headers: readonly string[],
  map: ColumnMap,
  warnings: ImportWarning[],
): { roles: Map<GenericRole, MappedColumn>; sourceColumns: SourceColumn[] } {
  const roles = new Map<GenericRole, MappedColumn>();
  const mappedTo = new Map<number, string>();
  for (const role of MAPPABLE_ROLES) {
    const wanted = map[role];
    if (wanted === undefined) continue;
    const index = headers.findIndex((h) => h.trim() === wanted.trim());
    if (index < 0) throw new ImportError('missing-column', fileName, `the column "${wanted}" mapped to ${role} is not in the header.`);
    const quantity = QUANTITY_OF_ROLE[role];
    let conversion: MappedColumn['conversion'];
    if (quantity) {
      const { unit } = splitHeaderUnit(headers[index]);
      conversion = unitConversion(quantity, unit);
      if (!conversion) {
        throw new ImportError(
          'unsupported-format',
          fileName,
          `column "${headers[index]}" has a unit "${unit}" that is not a ${quantity} unit.`,
        );
      }
      if (unit === '' && quantity !== 'time' && quantity !== 'voltage') {
        warnings.push({ code: 'unit-assumed', message: `"${headers[index]}" names no unit: read as ${conversion.unit} (${role}).` });
      }
    }
    roles.set(role, { index, conversion });
    mappedTo.set(index, GENERIC_HEADERS.canonical[role] ?? role);
  }
  warnings.push({
    code: 'columns-mapped-by-user',
    message: `columns mapped as chosen: ${MAPPABLE_ROLES.filter((r) => map[r])
      .map((r) => `${r} = "${map[r]}"`)
      .join(', ')}.`,
  });
  const sourceColumns = headers
    .map((header, index) => ({ header, unit: splitHeaderUnit(header).unit, mappedTo: mappedTo.get(index) }))
    .filter((c) => c.header.trim() !== '')
    .map((c) => (c.mappedTo ? c : { header: c.header, unit: c.unit }));
  return { roles, sourceColumns };
}

function locateHeader(head: TextHead, settings?: TextParseSettings): HeaderLocation | undefined {
  return settings?.columnMap ? findMappedHeader(head.lines, settings.columnMap) : findHeader(head.lines);
}

export const DELIMITED_TEXT: TextFormat = {
  id: 'delimited-text',
  instrument: 'generic delimited text',
  detect: (head: TextHead, settings?: TextParseSettings) => locateHeader(head, settings) !== undefined,
  createParser: (head: TextHead, settings?: TextParseSettings) =>
    new DelimitedTextParser(head.fileName, locateHeader(head, settings)!, settings?.columnMap),
};

/** What the Map columns dialog shows for a delimited file: its header, a proposal and a few rows. */
export interface DelimitedInspection {
  readonly headerLineIndex: number;
  readonly delimiter: string;
  readonly headers: string[];
  /** The mapping proposed from header names and units (may lack roles the file does not name). */
  readonly proposed: ColumnMap;
  /** Key a confirmed mapping is remembered under. */
  readonly signature: string;
  /** Up to five data rows, split, for the preview. */
  readonly sampleRows: string[][];
}

/**
 * Finds the most likely header of a delimited file even when its names are not recognised: the last
 * line, among the first 40, that is followed by at least two lines of the same field count whose cells
 * are mostly numbers. Undefined when the head is not delimited text at all.
 */
export function inspectDelimited(head: TextHead): DelimitedInspection | undefined {
  const known = findHeader(head.lines);
  let location: HeaderLocation | undefined = known;
  if (!location) {
    const n = Math.min(head.lines.length - 2, HEADER_SEARCH_LINES);
    for (let i = 0; i < n && !location; i++) {
      for (const delimiter of DELIMITERS) {
        if (!head.lines[i].includes(delimiter)) continue;
        const headers = splitLine(head.lines[i], delimiter);
        if (headers.length < 2 || headers.every((h) => Number.isFinite(parseNumber(h.replace(',', '.'))))) continue;
        const next = [head.lines[i + 1], head.lines[i + 2]].map((l) => splitLine(l, delimiter));
        const numeric = next.every(
          (cells) => cells.length === headers.length && cells.filter((c) => Number.isFinite(parseNumber(c.replace(',', '.')))).length >= 2,
        );
        if (numeric) {
          location = { lineIndex: i, delimiter, headers };
          break;
        }
      }
    }
  }
  if (!location) return undefined;
  const proposed: ColumnMap = {};
  for (const header of location.headers) {
    const role = roleOf(header);
    if (role && proposed[role] === undefined) proposed[role] = header.trim();
  }
  if (proposed.time !== undefined && proposed.dateTime !== undefined) delete proposed.dateTime;
  const sampleRows = head.lines
    .slice(location.lineIndex + 1, location.lineIndex + 6)
    .filter((l) => l.trim() !== '')
    .map((l) => splitLine(l, location.delimiter));
  return {
    headerLineIndex: location.lineIndex,
    delimiter: location.delimiter,
    headers: location.headers.map((h) => h.trim()),
    proposed,
    signature: headerSignature(location.headers),
    sampleRows,
  };
}
