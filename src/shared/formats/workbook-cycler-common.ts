/**
 * Pieces the workbook cycler readers (neware-xlsx.ts, landt-xlsx.ts, arbin-xlsx.ts) share: reading an
 * optional cell through its unit conversion, reading an index cell, caching step-type codes per label,
 * the periodic abort check and the `ParsedCycling` they all return. Each reader keeps what is its own
 * (which sheet, which headers, how time is read).
 */
import type { DatasetColumns, ImportWarning, SourceColumn } from '../model/dataset';
import { STEP_TYPE_CODE, type StepType } from '../model/step-type';
import type { ParseContext, ParsedCycling } from './binary-format';
import { cellNumber } from './containers/read-workbook';
import type { CellValue } from './containers/workbook';
import type { MappedColumn } from './header-mapping';
import { ImportError } from './import-error';
import { RecordAccumulator } from './record-accumulator';

/** Rows between abort checks: often enough to cancel promptly, rarely enough to cost nothing. */
const ABORT_CHECK_ROWS = 8192;

/** The linear part of a unit conversion (`value × factor + offset`), as header-mapping gives it. */
export interface CellConversion {
  readonly factor: number;
  readonly offset: number;
}

/** A cell in canonical units (`cellNumber × factor + offset`); NaN when the column is absent (`index < 0`). */
export function scaledCell(cells: readonly CellValue[], index: number, conversion: CellConversion): number {
  return index >= 0 ? cellNumber(cells[index]) * conversion.factor + conversion.offset : NaN;
}

/** An index cell (step, cycle): its number, or 0 when the column is absent or the cell is not a finite number. */
function indexCell(cells: readonly CellValue[], index: number): number {
  const v = index >= 0 ? cellNumber(cells[index]) : 0;
  return Number.isFinite(v) ? v : 0;
}

/** Where a record's optional fields sit in a row (index −1: the column is absent) and how capacity and temperature convert. */
export interface RecordFieldCells {
  readonly step: number;
  readonly cycle: number;
  readonly capacity: number;
  readonly capacityConversion: CellConversion;
  readonly temperature: number;
  readonly temperatureConversion: CellConversion;
}

/**
 * The optional record fields of a header mapping whose roles are named `stepIndex`, `cycle`,
 * `capacity` and `temperature` (NEWARE's and Landt's tables); an unmapped quantity converts as 1:1.
 */
export function recordFieldCells(roles: ReadonlyMap<string, MappedColumn>): RecordFieldCells {
  const at = (role: string) => roles.get(role)?.index ?? -1;
  const conversion = (role: string) => roles.get(role)?.conversion ?? { factor: 1, offset: 0 };
  return {
    step: at('stepIndex'),
    cycle: at('cycle'),
    capacity: at('capacity'),
    capacityConversion: conversion('capacity'),
    temperature: at('temperature'),
    temperatureConversion: conversion('temperature'),
  };
}

/** An accumulator that keeps the optional columns the sheet has (capacity, cycle, temperature). */
export function recordAccumulatorFor(fields: RecordFieldCells): RecordAccumulator {
  return new RecordAccumulator({ capacity: fields.capacity >= 0, cycle: fields.cycle >= 0, temperature: fields.temperature >= 0 });
}

/**
 * Appends one sheet row as a record, or rejects it (counted under its 1-based `rowNumber`) when its
 * time, voltage or current is not a finite number. `stepTypeCode` is asked only for rows that are
 * appended. Returns whether the row was appended.
 */
export function pushRow(
  acc: RecordAccumulator,
  rowNumber: number,
  cells: readonly CellValue[],
  fields: RecordFieldCells,
  timeS: number,
  voltageV: number,
  currentMA: number,
  stepTypeCode: () => number,
): boolean {
  if (!Number.isFinite(timeS) || !Number.isFinite(voltageV) || !Number.isFinite(currentMA)) {
    acc.rejectLine(rowNumber);
    return false;
  }
  acc.push(
    timeS,
    voltageV,
    currentMA,
    indexCell(cells, fields.step),
    stepTypeCode(),
    scaledCell(cells, fields.capacity, fields.capacityConversion),
    indexCell(cells, fields.cycle),
    scaledCell(cells, fields.temperature, fields.temperatureConversion),
  );
  return true;
}

/** Step-type codes by label, each label classified once (a workbook repeats a handful of labels per row). */
export class StepCodeCache {
  private readonly codes = new Map<string, number>();

  constructor(private readonly classify: (label: string) => StepType) {}

  code(label: string): number {
    let code = this.codes.get(label);
    if (code === undefined) {
      code = STEP_TYPE_CODE[this.classify(label)];
      this.codes.set(label, code);
    }
    return code;
  }
}

/** Throws ImportError('aborted') when the import was cancelled; checked every {@link ABORT_CHECK_ROWS} rows. */
export function checkAbort(rowCounter: number, context: ParseContext): void {
  if (rowCounter % ABORT_CHECK_ROWS === 0 && context.signal?.aborted)
    throw new ImportError('aborted', context.fileName, 'import cancelled.');
}

/** The result every workbook cycler returns (workbook text is UTF-8: XML parts or BIFF8 strings). */
export function workbookCycling(
  columns: DatasetColumns,
  sourceColumns: SourceColumn[],
  warnings: ImportWarning[],
  startDateTime: string | undefined,
): ParsedCycling {
  return {
    kind: 'cycling',
    encoding: 'utf-8',
    columns,
    rowCount: columns.timeS.length,
    sourceColumns,
    warnings,
    startDateTime,
  };
}
