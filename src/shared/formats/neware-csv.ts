/**
 * NEWARE BTSDA CSV exports (BTS 7/8), both layouts:
 * - record layer only: one header line (`DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,
 *   Current(µA),Voltage(mV),Capacity(mAs),…`), units as chosen at export time;
 * - "regular" nested export: three header lines (cycle, step, record layers) and rows indented the same
 *   way (`1,…` cycle row, `,2,…` step row, `,,…` record row). The first cycle row can carry its first
 *   step's fields after its own.
 * Headers are read in English and Chinese (BTSDA's UI language decides). Latin-1 files write `µ` as 0xB5;
 * one export writes `?` for `℃`.
 *
 * Pipeline: header(s) -> column map with unit conversions -> per line pick fields -> RecordAccumulator.
 */
import type { SourceColumn } from '../model/dataset';
import { STEP_TYPE_CODE, stepTypeFromLabel } from '../model/step-type';
import { splitHeaderUnit, type UnitConversion } from '../model/units';
import { bytesEqual, parseDurationBytes, parseNumberBytes, pickFieldsBytes } from './byte-fields';
import { parseDateTimeMs, parseDurationS, parseNumber, pickFields } from './field-parsing';
import { mapHeaders, roleOfHeader, type MappedColumn } from './header-mapping';
import { ImportError } from './import-error';
import { NEWARE_HEADERS, type NewareRole } from './neware-headers';
import { RecordAccumulator } from './record-accumulator';
import { estimateRowCount, type LineParser, type ParsedRecords, type TextFormat, type TextHead } from './text-format';

function roleOf(header: string): NewareRole | undefined {
  return roleOfHeader(NEWARE_HEADERS, header);
}

/** Maps the headers of one layer to roles, starting at `offset` (leading empty cells of the layer). */
function mapLayer(fileName: string, headers: readonly string[], offset: number) {
  return mapHeaders(NEWARE_HEADERS, fileName, headers, offset);
}

function splitCsv(line: string): string[] {
  return line.split(',');
}

function hasRoles(headers: readonly string[], needed: readonly NewareRole[]): boolean {
  const found = new Set(headers.map(roleOf));
  return needed.every((r) => found.has(r));
}

function isNestedHead(lines: readonly string[]): boolean {
  if (lines.length < 3) return false;
  const [l1, l2, l3] = lines.map(splitCsv);
  return (
    roleOf(l1[0] ?? '') === 'cycle' &&
    l2[0] === '' &&
    roleOf(l2[1] ?? '') === 'stepIndex' &&
    l3[0] === '' &&
    l3[1] === '' &&
    roleOf(l3[2] ?? '') === 'record' &&
    hasRoles(l3, ['current', 'voltage'])
  );
}

function isRecordHead(lines: readonly string[]): boolean {
  if (lines.length < 1) return false;
  const h = splitCsv(lines[0]);
  return roleOf(h[0] ?? '') === 'record' && hasRoles(h, ['stepType', 'current', 'voltage']);
}

/** Record fields read from one data line, in canonical units. */
const enum Field {
  TotalTime,
  Date,
  Voltage,
  Current,
  Capacity,
  Temperature,
  Cycle,
  StepIndex,
  StepType,
}

class NewareCsvParser implements LineParser {
  private readonly acc: RecordAccumulator;
  private wanted: number[] = [];
  private readonly slot: Partial<Record<Field, number>> = {};
  private readonly cells: string[] = [];
  private readonly conv: Partial<Record<Field, UnitConversion>> = {};
  private readonly sourceColumns: SourceColumn[];
  private readonly headerLineCount: number;
  /** Cells in a complete record row (its header's width). */
  private readonly recordWidth: number;
  private useDateForTime = false;
  private startDateTime?: string;
  private hasReadStartDate = false;
  private dateSlot?: number;
  /** Column of `Date` in a record row, read once for the test's start time. */
  private dateColumn?: number;
  // Nested layout: context from the latest cycle and step rows.
  private readonly nested?: {
    cycleWidth: number;
    stepRoles: Map<NewareRole, MappedColumn>;
  };
  private cycle = 0;
  private step = 0;
  private stepTypeCode: number = STEP_TYPE_CODE.other;
  private readonly stepTypeCache = new Map<string, number>();
  // Byte fast path (record layer): field offsets, the last step-type label's bytes and its code.
  // Structural type: @types/node declares TextDecoder as a value only.
  private readonly decoder: { decode(input?: Uint8Array): string };
  private starts = new Int32Array(0);
  private ends = new Int32Array(0);
  private lastLabel = new Uint8Array(64);
  private lastLabelLength = -1;
  private lastLabelCode: number = STEP_TYPE_CODE.other;

  constructor(
    private readonly fileName: string,
    head: TextHead,
    isNested: boolean,
  ) {
    this.decoder = new TextDecoder(head.encoding);
    if (isNested) {
      const cycleHeaders = splitCsv(head.lines[0]);
      const stepLayer = mapLayer(fileName, splitCsv(head.lines[1]), 1);
      this.headerLineCount = 3;
      this.nested = { cycleWidth: cycleHeaders.length, stepRoles: stepLayer.roles };
      const recordHeaders = splitCsv(head.lines[2]);
      this.recordWidth = recordHeaders.length;
      const recordLayer = mapLayer(fileName, recordHeaders, 2);
      this.sourceColumns = [
        ...cycleHeaders.map((header) => ({ header, unit: splitHeaderUnit(header).unit })),
        ...stepLayer.sourceColumns,
        ...recordLayer.sourceColumns,
      ];
      this.setUp(recordLayer.roles);
    } else {
      this.headerLineCount = 1;
      const recordHeaders = splitCsv(head.lines[0]);
      this.recordWidth = recordHeaders.length;
      const layer = mapLayer(fileName, recordHeaders, 0);
      this.sourceColumns = layer.sourceColumns;
      this.setUp(layer.roles);
    }
    if (this.useDateForTime && this.dateSlot === undefined) {
      throw new ImportError(
        'missing-column',
        fileName,
        'NEWARE export without a "Total Time" or "Date" column: cannot place records in time.',
      );
    }
    this.acc = new RecordAccumulator(
      {
        capacity: this.slot[Field.Capacity] !== undefined,
        cycle: this.nested !== undefined || this.slot[Field.Cycle] !== undefined,
        temperature: this.slot[Field.Temperature] !== undefined,
      },
      isNested ? undefined : estimateRowCount(head, this.headerLineCount),
    );
  }

  private setUp(roles: Map<NewareRole, MappedColumn>): void {
    const want: [Field, NewareRole][] = [
      [Field.TotalTime, 'totalTime'],
      [Field.Date, 'date'],
      [Field.Voltage, 'voltage'],
      [Field.Current, 'current'],
      [Field.Capacity, 'capacity'],
      [Field.Temperature, 'temperature'],
      [Field.Cycle, 'cycle'],
      [Field.StepIndex, 'stepIndex'],
      [Field.StepType, 'stepType'],
    ];
    if (!roles.has('voltage') || !roles.has('current')) {
      throw new ImportError('missing-column', this.fileName, 'NEWARE export without a Voltage or Current column.');
    }
    this.dateColumn = roles.get('date')?.index;
    // The Date cell sits far right in BTSDA exports: pick it per row only when it is the time axis
    // (picking scans every field up to the last one wanted).
    this.useDateForTime = !roles.has('totalTime');
    const picked = want
      .filter(([field]) => field !== Field.Date || this.useDateForTime)
      .filter(([, role]) => roles.has(role))
      .map(([field, role]) => ({ field, col: roles.get(role)! }));
    picked.sort((a, b) => a.col.index - b.col.index);
    picked.forEach(({ field, col }, k) => {
      this.slot[field] = k;
      if (col.conversion) this.conv[field] = col.conversion;
    });
    this.wanted = picked.map(({ col }) => col.index);
    this.dateSlot = this.slot[Field.Date];
    this.starts = new Int32Array(this.wanted.length);
    this.ends = new Int32Array(this.wanted.length);
  }

  onLineBytes(bytes: Uint8Array, start: number, end: number, lineNumber: number, isUnterminated: boolean): void {
    if (lineNumber > this.headerLineCount && !this.nested && !isUnterminated && this.hasReadStartDate && !this.useDateForTime) {
      if (start === end || this.fastRecordRow(bytes, start, end)) return;
    }
    this.onLine(this.decoder.decode(bytes.subarray(start, end)), lineNumber, isUnterminated);
  }

  /** An optional numeric field from bytes: NaN when empty; undefined when present but not a plain number. */
  private optionalBytes(field: Field, bytes: Uint8Array): number | undefined {
    const slot = this.slot[field];
    if (slot === undefined) return NaN;
    const s = this.starts[slot];
    const e = this.ends[slot];
    if (s === e) return NaN;
    const v = parseNumberBytes(bytes, s, e);
    if (v !== v) return undefined;
    const c = this.conv[field];
    return c ? v * c.factor + c.offset : v;
  }

  /**
   * One record row read from bytes, exactly as onRecordRow would read it; false (nothing pushed) for
   * any row the byte path cannot read with certainty, which then takes the string path.
   */
  private fastRecordRow(bytes: Uint8Array, start: number, end: number): boolean {
    const starts = this.starts;
    const ends = this.ends;
    if (pickFieldsBytes(bytes, start, end, 44, this.wanted, starts, ends) < this.wanted.length) return false;
    const timeSlot = this.slot[Field.TotalTime]!;
    const timeS = parseDurationBytes(bytes, starts[timeSlot], ends[timeSlot]);
    const voltageV = this.optionalBytes(Field.Voltage, bytes);
    const currentMA = this.optionalBytes(Field.Current, bytes);
    if (timeS !== timeS || voltageV === undefined || voltageV !== voltageV || currentMA === undefined || currentMA !== currentMA) {
      return false;
    }
    const capacity = this.optionalBytes(Field.Capacity, bytes);
    const temperature = this.optionalBytes(Field.Temperature, bytes);
    const stepIndex = this.optionalBytes(Field.StepIndex, bytes);
    const cycle = this.optionalBytes(Field.Cycle, bytes);
    if (capacity === undefined || temperature === undefined || stepIndex === undefined || cycle === undefined) return false;
    const typeSlot = this.slot[Field.StepType];
    let code: number = STEP_TYPE_CODE.other;
    if (typeSlot !== undefined) {
      const ls = starts[typeSlot];
      const le = ends[typeSlot];
      if (bytesEqual(bytes, ls, le, this.lastLabel, 0, this.lastLabelLength)) code = this.lastLabelCode;
      else {
        code = this.stepTypeCodeOf(this.decoder.decode(bytes.subarray(ls, le)));
        if (le - ls <= this.lastLabel.length) {
          this.lastLabel.set(bytes.subarray(ls, le));
          this.lastLabelLength = le - ls;
          this.lastLabelCode = code;
        }
      }
    }
    this.acc.push(
      timeS,
      voltageV,
      currentMA,
      Number.isFinite(stepIndex) ? stepIndex : 0,
      code,
      capacity,
      Number.isFinite(cycle) ? cycle : 0,
      temperature,
    );
    return true;
  }

  onLine(line: string, lineNumber: number, isUnterminated: boolean): void {
    if (lineNumber <= this.headerLineCount) return;
    if (line.length === 0) return;
    if (this.nested) {
      if (line.charCodeAt(0) !== 44 /* , */) return this.onCycleRow(line, lineNumber);
      if (line.charCodeAt(1) !== 44) return this.onStepRow(line.split(','), 0, lineNumber);
      // record row: fall through with its two leading empty cells
    }
    this.onRecordRow(line, lineNumber, isUnterminated);
  }

  private onCycleRow(line: string, lineNumber: number): void {
    const cells = line.split(',');
    const cycle = parseNumber(cells[0]);
    if (!Number.isInteger(cycle)) return this.acc.rejectLine(lineNumber);
    this.cycle = cycle;
    // The first cycle row of an export carries its first step row's cells after its own.
    if (cells.length > this.nested!.cycleWidth) this.onStepRow(cells, this.nested!.cycleWidth - 1, lineNumber);
  }

  /** A step row; `shift` is where its layer starts minus 1 (its header had one leading empty cell). */
  private onStepRow(cells: readonly string[], shift: number, lineNumber: number): void {
    const roles = this.nested!.stepRoles;
    const at = (role: NewareRole) => {
      const col = roles.get(role);
      return col === undefined ? '' : (cells[col.index + shift] ?? '');
    };
    const stepIndex = parseNumber(at('stepIndex'));
    if (!Number.isFinite(stepIndex)) return this.acc.rejectLine(lineNumber);
    this.step = stepIndex;
    this.stepTypeCode = this.stepTypeCodeOf(at('stepType'));
  }

  private stepTypeCodeOf(label: string): number {
    let code = this.stepTypeCache.get(label);
    if (code === undefined) {
      code = STEP_TYPE_CODE[stepTypeFromLabel(label)];
      this.stepTypeCache.set(label, code);
    }
    return code;
  }

  private value(field: Field): number {
    const slot = this.slot[field];
    if (slot === undefined) return NaN;
    const v = parseNumber(this.cells[slot]);
    const c = this.conv[field];
    return c ? v * c.factor + c.offset : v;
  }

  private onRecordRow(line: string, lineNumber: number, isUnterminated: boolean): void {
    // A last record without a line break that is also short of cells was cut mid-write: its last cell
    // may be a truncated number, so the whole record is dropped (and counted).
    if (isUnterminated && line.split(',').length < this.recordWidth) return this.acc.rejectLine(lineNumber);
    const cells = this.cells;
    const seen = pickFields(line, ',', this.wanted, cells);
    if (seen < this.wanted.length) return this.acc.rejectLine(lineNumber);
    let timeS: number;
    if (this.useDateForTime) timeS = parseDateTimeMs(cells[this.dateSlot!]) / 1000;
    else timeS = parseDurationS(cells[this.slot[Field.TotalTime]!]);
    const voltageV = this.value(Field.Voltage);
    const currentMA = this.value(Field.Current);
    if (!Number.isFinite(timeS) || !Number.isFinite(voltageV) || !Number.isFinite(currentMA)) {
      return this.acc.rejectLine(lineNumber);
    }
    if (!this.hasReadStartDate && this.dateColumn !== undefined) {
      // The first record's wall-clock date only: one full split per file, not per row.
      this.hasReadStartDate = true;
      this.startDateTime = (line.split(',')[this.dateColumn] ?? '').trim() || undefined;
    }
    if (!this.nested) {
      const typeSlot = this.slot[Field.StepType];
      this.stepTypeCode = typeSlot === undefined ? STEP_TYPE_CODE.other : this.stepTypeCodeOf(cells[typeSlot]);
      const stepIndex = this.value(Field.StepIndex);
      this.step = Number.isFinite(stepIndex) ? stepIndex : 0;
      const cycle = this.value(Field.Cycle);
      this.cycle = Number.isFinite(cycle) ? cycle : 0;
    }
    this.acc.push(
      timeS,
      voltageV,
      currentMA,
      this.step,
      this.stepTypeCode,
      this.value(Field.Capacity),
      this.cycle,
      this.value(Field.Temperature),
    );
  }

  finish(): ParsedRecords {
    const { columns, warnings } = this.acc.finish();
    return {
      columns,
      rowCount: columns.timeS.length,
      sourceColumns: this.sourceColumns,
      warnings,
      startDateTime: this.startDateTime,
    };
  }
}

export const NEWARE_CSV_NESTED: TextFormat = {
  id: 'neware-csv-nested',
  instrument: 'NEWARE BTSDA (CSV export, cycle/step/record layers)',
  detect: (head) => isNestedHead(head.lines),
  createParser: (head) => new NewareCsvParser(head.fileName, head, true),
};

export const NEWARE_CSV: TextFormat = {
  id: 'neware-csv',
  instrument: 'NEWARE BTSDA (CSV export, record layer)',
  detect: (head) => isRecordHead(head.lines),
  createParser: (head) => new NewareCsvParser(head.fileName, head, false),
};
