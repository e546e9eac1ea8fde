/**
 * Row and column plumbing shared by the delimited cycler text formats (BaSyTec, Maccor, Novonix, Arbin
 * CSV): map a header line to roles, bind the roles each parser reads to fields with their unit
 * conversions, then pick only those cells from every data line.
 *
 * header cells -> {@link mapColumnRoles} (roles + SourceColumns) -> {@link bindFields} (unit check) ->
 * per line {@link PickedFields.pick} -> {@link PickedFields.value} in canonical units -> {@link pushRecord}.
 */
import type { SourceColumn } from '../model/dataset';
import { splitHeaderUnit, unitConversion, type Quantity, type UnitConversion } from '../model/units';
import { parseNumber, pickFields } from './field-parsing';
import { ImportError } from './import-error';
import type { RecordAccumulator } from './record-accumulator';

/**
 * Maps header cells to roles: the first header of each role wins, later ones and unknown ones are kept as
 * unmapped SourceColumns. `mappedTo` names the canonical column a role feeds, if any.
 */
export function mapColumnRoles<R extends string>(
  headers: readonly string[],
  roleOf: (header: string) => R | undefined,
  mappedTo: (role: R) => string | undefined,
  unitOf: (header: string) => string = (header) => splitHeaderUnit(header).unit,
): { columns: Map<R, number>; sourceColumns: SourceColumn[] } {
  const columns = new Map<R, number>();
  const sourceColumns: SourceColumn[] = [];
  headers.forEach((header, index) => {
    const role = roleOf(header);
    const unit = unitOf(header);
    if (role === undefined || columns.has(role)) return void sourceColumns.push({ header, unit });
    columns.set(role, index);
    const canonical = mappedTo(role);
    sourceColumns.push(canonical ? { header, unit, mappedTo: canonical } : { header, unit });
  });
  return { columns, sourceColumns };
}

/** The header's own unit, else the format's implicit unit for the role, else none. */
export function headerUnitOr<R extends string>(implicit: Partial<Record<R, string>>): (role: R, header: string) => string {
  return (role, header) => splitHeaderUnit(header).unit || implicit[role] || '';
}

/**
 * Binds each `[field, role]` whose role has a column to that column, with the unit conversion of the
 * roles that carry a quantity. Throws an ImportError naming the column when its unit is not one we know:
 * reading µA as mA silently would be worse than refusing the file.
 */
export function bindFields<F extends number, R extends string>(
  fileName: string,
  headers: readonly string[],
  columns: ReadonlyMap<R, number>,
  fieldRoles: readonly (readonly [F, R])[],
  quantities: Partial<Record<R, Quantity>>,
  unitOf: (role: R, header: string) => string,
): PickedFields<F> {
  const conv: Partial<Record<F, UnitConversion>> = {};
  for (const [field, role] of fieldRoles) {
    const index = columns.get(role);
    const quantity = quantities[role];
    if (index === undefined || !quantity) continue;
    const unit = unitOf(role, headers[index]);
    const conversion = unitConversion(quantity, unit);
    if (!conversion)
      throw new ImportError(
        'unsupported-format',
        fileName,
        `column "${headers[index]}" has a unit "${unit}" that is not a ${quantity} unit.`,
      );
    conv[field] = conversion;
  }
  const picked = fieldRoles.filter(([, role]) => columns.has(role)).map(([field, role]) => ({ field, index: columns.get(role)! }));
  picked.sort((a, b) => a.index - b.index);
  const slot: Partial<Record<F, number>> = {};
  picked.forEach(({ field }, k) => (slot[field] = k));
  return new PickedFields(
    slot,
    conv,
    picked.map((p) => p.index),
  );
}

/** The bound fields of a header and the cells of the current line picked for them (in column order). */
export class PickedFields<F extends number> {
  private readonly cells: string[] = [];

  constructor(
    /** Position of each bound field in the picked cells. */
    private readonly slot: Partial<Record<F, number>>,
    private readonly conv: Partial<Record<F, UnitConversion>>,
    /** Column indexes to pick, ascending. */
    private readonly wanted: readonly number[],
  ) {}

  /** Picks the wanted cells of `line`; false when the line is short of them. */
  pick(line: string, delimiter: string): boolean {
    return pickFields(line, delimiter, this.wanted, this.cells) >= this.wanted.length;
  }

  has(field: F): boolean {
    return this.slot[field] !== undefined;
  }

  /** The field's raw cell on the current line; '' when the header has no such column. */
  cell(field: F): string {
    const slot = this.slot[field];
    return slot === undefined ? '' : this.cells[slot];
  }

  /** The field's number in canonical units; NaN when absent, blank or not a number. */
  value(field: F): number {
    const slot = this.slot[field];
    if (slot === undefined) return NaN;
    const v = parseNumber(this.cells[slot]);
    const c = this.conv[field];
    return c ? v * c.factor + c.offset : v;
  }
}

/** The fields of a format that feed a record's step, cycle, capacity and temperature. */
export interface RecordFields<F extends number> {
  readonly step: F;
  readonly cycle: F;
  readonly capacity: F;
  readonly temperature: F;
}

/**
 * Pushes the current line's record: a blank step or cycle cell counts as 0 (the accumulator's
 * default), a missing capacity or temperature stays NaN.
 */
export function pushRecord<F extends number>(
  acc: RecordAccumulator,
  fields: PickedFields<F>,
  record: RecordFields<F>,
  timeS: number,
  voltageV: number,
  currentMA: number,
  stepTypeCode: number,
): void {
  const step = fields.value(record.step);
  const cycle = fields.value(record.cycle);
  acc.push(
    timeS,
    voltageV,
    currentMA,
    Number.isFinite(step) ? step : 0,
    stepTypeCode,
    fields.value(record.capacity),
    Number.isFinite(cycle) ? cycle : 0,
    fields.value(record.temperature),
  );
}
