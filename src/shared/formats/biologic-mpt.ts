/**
 * BioLogic EC-Lab / BT-Lab text exports:
 * - `.mpt` / `.txt` with a header block: line 1 `EC-Lab ASCII FILE` or `BT-Lab ASCII FILE`, line 2
 *   `Nb header lines : N`, the settings in between (technique, `Acquisition started on : MM/DD/YYYY …`),
 *   the column header on line N (any N: 3 when the settings were left out, > 100 for Modulo Bat);
 * - exports without the header block: line 1 is the column header with BioLogic names;
 * - EC-Lab's ";"-separated CSV conversion (first column an unnamed index, the packed flags byte in
 *   `mode`/`ox`, absolute `MM/DD/YYYY HH:MM:SS.fff` date-times in `time/s`).
 * Tab-separated with a trailing tab; the decimal separator follows the exporting PC's locale (German:
 * `3,4228721E+000`); cp1252 or UTF-8 (the pipeline decodes). Column roles and every convention of the
 * canonical record are in biologic-columns.ts.
 *
 * Pipeline: line 1–2 -> header line number -> settings lines (technique, start date) -> column header
 * -> roles -> per line pick fields -> BiologicRecordBuilder -> RecordAccumulator.
 */
import type { ImportWarning, SourceColumn } from '../model/dataset';
import {
  BiologicRecordBuilder,
  biologicRoleOf,
  emptyBiologicRecord,
  formatWallClock,
  mapBiologicColumns,
  normaliseBiologicHeader,
  type BiologicRecord,
  type BiologicRole,
} from './biologic-columns';
import { parseDateTimeMs, parseNumber, pickFields } from './field-parsing';
import { ImportError } from './import-error';
import type { LineParser, ParsedRecords, TextFormat, TextHead } from './text-format';

const BANNER = /^\s*(EC|BT)-Lab ASCII FILE\s*$/i;
const HEADER_COUNT = /^\s*Nb header lines\s*:\s*(\d+)\s*$/i;
const ACQUISITION_START = /^\s*Acquisition started on\s*:\s*(.+?)\s*$/i;
/** Techniques during which the cell is at open circuit: no current column is expected. */
const OPEN_CIRCUIT_TECHNIQUE = /^\s*open circuit voltage\s*$/i;

/** The column delimiter of a header line: tab (EC-Lab) or ";" (the CSV conversion). */
function delimiterOf(line: string): '\t' | ';' {
  return line.split('\t').length >= line.split(';').length ? '\t' : ';';
}

/** True for a line of BioLogic column names: time/s (or Date), a BioLogic potential, and ≥ 3 columns. */
function isBiologicColumnHeader(line: string | undefined): boolean {
  if (!line) return false;
  const cells = line.split(delimiterOf(line));
  if (cells.length < 3) return false;
  const roles = new Set<BiologicRole | undefined>(cells.map(biologicRoleOf));
  return (roles.has('time') || roles.has('date')) && roles.has('voltage');
}

/** Fields read from one data line, in `wanted` order. */
const RECORD_ROLES: readonly BiologicRole[] = [
  'time',
  'date',
  'voltage',
  'current',
  'controlCurrent',
  'controlVoltageOrCurrent',
  'dq',
  'halfCycleCharge',
  'cumulativeCharge',
  'halfCycle',
  'cycleNumber',
  'ns',
  'mode',
  'oxRed',
  'temperature',
];

class BiologicMptParser implements LineParser {
  /** Line number (1-based) of the column header. */
  private readonly headerLine: number;
  private technique = '';
  private acquisitionStart = '';
  private builder?: BiologicRecordBuilder;
  private sourceColumns: SourceColumn[] = [];
  private delimiter: '\t' | ';' = '\t';
  private wanted: number[] = [];
  private slots: { role: BiologicRole; slot: number; factor: number; offset: number }[] = [];
  private readonly cells: string[] = [];
  private readonly record: BiologicRecord = emptyBiologicRecord();
  private firstDateCell?: string;
  private readonly warnings: ImportWarning[] = [];
  private timeIsAbsolute = false;
  private firstDateMs = 0;
  /** Delimiters and final-cell shape of the first terminated data line (-1 before it). */
  private completeLineDelimiters = -1;
  private completeLineShape: FinalCellShape = 'other';

  constructor(
    private readonly fileName: string,
    head: TextHead,
  ) {
    if (BANNER.test(head.lines[0] ?? '')) {
      const m = HEADER_COUNT.exec(head.lines[1] ?? '');
      if (!m) {
        throw new ImportError(
          'unsupported-format',
          fileName,
          `BioLogic ASCII file without "Nb header lines : N" on line 2 (found "${(head.lines[1] ?? '').slice(0, 60)}").`,
        );
      }
      this.headerLine = Number(m[1]);
      if (this.headerLine < 3) {
        throw new ImportError(
          'unsupported-format',
          fileName,
          `BioLogic ASCII file declares ${this.headerLine} header lines; at least 3 are needed.`,
        );
      }
    } else this.headerLine = 1;
    // Set up now when the header is in the head, so an unusable file fails at detection time.
    const lastFullHeadLine = head.lines.length - 1;
    if (this.headerLine <= lastFullHeadLine) {
      for (let n = 1; n < this.headerLine; n++) this.readSettingsLine(head.lines[n - 1]);
      this.setUp(head.lines[this.headerLine - 1]);
    }
  }

  private readSettingsLine(line: string): void {
    const start = ACQUISITION_START.exec(line);
    if (start && this.acquisitionStart === '') this.acquisitionStart = start[1];
    if (OPEN_CIRCUIT_TECHNIQUE.test(line)) this.technique = line.trim();
  }

  private setUp(headerLine: string): void {
    this.delimiter = delimiterOf(headerLine);
    const headers = headerLine.split(this.delimiter);
    const { map, sourceColumns } = mapBiologicColumns(this.fileName, headers);
    this.sourceColumns = sourceColumns;
    const hasPackedFlags = map.oxRed !== undefined && normaliseBiologicHeader(map.oxRed.header) === 'ox';
    this.builder = new BiologicRecordBuilder({
      fileName: this.fileName,
      map,
      isOpenCircuit: this.technique !== '',
      hasPackedFlags,
    });
    // time/s (test time) wins over an absolute Date column when a file has both.
    const roles = RECORD_ROLES.filter((role) => map[role] !== undefined && !(role === 'date' && map.time));
    const picked = roles.map((role) => ({ role, col: map[role]! }));
    picked.sort((a, b) => a.col.index - b.col.index);
    this.wanted = picked.map(({ col }) => col.index);
    this.slots = picked.map(({ role, col }, slot) => ({ role, slot, factor: col.factor, offset: col.offset }));
  }

  onLine(line: string, lineNumber: number, isUnterminated: boolean): void {
    if (lineNumber < this.headerLine) {
      if (!this.builder) this.readSettingsLine(line);
      return;
    }
    if (lineNumber === this.headerLine) {
      if (!this.builder) this.setUp(line);
      return;
    }
    if (line.length === 0) return;
    const builder = this.builder!;
    if (!isUnterminated && this.completeLineDelimiters < 0) this.learnCompleteLine(line);
    if (isUnterminated && !this.looksComplete(line)) return builder.rejectLine(lineNumber);
    const seen = pickFields(line, this.delimiter, this.wanted, this.cells);
    if (seen < this.wanted.length) return builder.rejectLine(lineNumber);
    const r = this.record;
    for (const { role, slot, factor, offset } of this.slots) {
      const cell = this.cells[slot];
      if (role === 'time' || role === 'date') {
        r.timeS = this.timeOf(cell, role === 'date' ? 1 : factor);
        continue;
      }
      const v = parseNumber(cell) * factor + offset;
      assign(r, role, v);
    }
    builder.push(r, lineNumber);
  }

  /**
   * EC-Lab often ends a file without a line break, and a tester that lost power leaves a line cut short,
   * perhaps inside a number that still parses ("2.5594452E-0"). The last line is kept when it has as
   * many cells as the first data line and its final cell has the same shape (empty after a trailing
   * tab, or a complete `E±ddd` exponent).
   */
  private looksComplete(line: string): boolean {
    if (this.completeLineDelimiters < 0) return false;
    return (
      countChar(line, this.delimiter) >= this.completeLineDelimiters && finalCellShape(line, this.delimiter) === this.completeLineShape
    );
  }

  private learnCompleteLine(line: string): void {
    this.completeLineDelimiters = countChar(line, this.delimiter);
    this.completeLineShape = finalCellShape(line, this.delimiter);
  }

  /** Seconds from `time/s`; a date-time there (BT-Lab, the CSV) is read as absolute seconds. */
  private timeOf(cell: string, factor: number): number {
    const v = parseNumber(cell);
    if (!Number.isNaN(v)) return v * factor;
    if (cell.indexOf(':') === -1) return NaN;
    const ms = parseDateTimeMs(cell);
    if (Number.isNaN(ms)) return NaN;
    if (!this.timeIsAbsolute) {
      this.timeIsAbsolute = true;
      this.firstDateCell = cell.trim();
      this.firstDateMs = ms;
    }
    // Relative to the first date-time in whole ms, so seconds keep their ms digits exactly.
    return (ms - this.firstDateMs) / 1000;
  }

  finish(): ParsedRecords {
    if (!this.builder) {
      throw new ImportError(
        'no-data-rows',
        this.fileName,
        `the BioLogic header declares its column names on line ${this.headerLine}, but the file ends before it.`,
      );
    }
    let startDateTime: string | undefined;
    const firstTimeS = this.builder.firstTimeS;
    if (this.timeIsAbsolute) {
      startDateTime = formatWallClock(this.firstDateMs + firstTimeS * 1000);
      this.warnings.push({
        code: 'time-from-date',
        message: `time is read from date-times (first "${this.firstDateCell}"), rebased to the first record.`,
      });
    } else if (this.acquisitionStart !== '') {
      // EC-Lab writes the acquisition start as MM/DD/YYYY whatever the locale; time/s counts from it.
      const startMs = parseDateTimeMs(this.acquisitionStart);
      const firstMs = startMs + (Number.isFinite(firstTimeS) ? firstTimeS * 1000 : 0);
      startDateTime = formatWallClock(firstMs);
    }
    return this.builder.finish(this.sourceColumns, this.warnings, startDateTime, this.timeIsAbsolute);
  }
}

type FinalCellShape = 'empty' | 'scientific' | 'other';

function finalCellShape(line: string, delimiter: string): FinalCellShape {
  const cell = line.slice(line.lastIndexOf(delimiter) + 1).trim();
  if (cell === '') return 'empty';
  return /\d[eE][+-]\d{3}$/.test(cell) ? 'scientific' : 'other';
}

function countChar(line: string, ch: string): number {
  let n = 0;
  for (let at = line.indexOf(ch); at !== -1; at = line.indexOf(ch, at + 1)) n++;
  return n;
}

function assign(r: BiologicRecord, role: BiologicRole, v: number): void {
  switch (role) {
    case 'voltage':
      r.voltageV = v;
      break;
    case 'current':
      r.currentMA = v;
      break;
    case 'controlCurrent':
    case 'controlVoltageOrCurrent':
      r.controlCurrentMA = v;
      break;
    case 'dq':
      r.dqMAh = v;
      break;
    case 'halfCycleCharge':
      r.halfCycleChargeMAh = v;
      break;
    case 'cumulativeCharge':
      r.cumulativeChargeMAh = v;
      break;
    case 'halfCycle':
      r.halfCycle = v;
      break;
    case 'cycleNumber':
      r.cycleNumber = v;
      break;
    case 'ns':
      r.ns = v;
      break;
    case 'mode':
      r.mode = v;
      break;
    case 'oxRed':
      r.oxRed = v;
      break;
    case 'temperature':
      r.temperatureC = v;
      break;
    case 'time':
    case 'date':
      r.timeS = v;
      break;
  }
}

/**
 * BioLogic text exports. Detection is specific (the ASCII banner, or a first line of BioLogic column
 * names such as `time/s` with `Ewe/V`/`Ecell/V`), so it must be registered before the generic
 * delimited-text format.
 */
export const BIOLOGIC_MPT: TextFormat = {
  id: 'biologic-mpt',
  instrument: 'BioLogic EC-Lab / BT-Lab (text export)',
  detect: (head) => BANNER.test(head.lines[0] ?? '') || isBiologicColumnHeader(head.lines[0]),
  createParser: (head) => new BiologicMptParser(head.fileName, head),
};
