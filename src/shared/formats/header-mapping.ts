/**
 * Shared by every header-driven parser: which role a header plays (by name, from a per-format table of
 * spellings) and how its unit converts to the canonical one. Each format keeps its own table of names;
 * the mapping, the unit check and the record of every source column are done here once.
 */
import type { SourceColumn } from '../model/dataset';
import { splitHeaderUnit, unitConversion, type Quantity, type UnitConversion } from '../model/units';
import { ImportError } from './import-error';

export interface MappedColumn {
  readonly index: number;
  /** Present for roles that carry a physical quantity. */
  readonly conversion?: UnitConversion;
}

export interface HeaderRoles<R extends string> {
  /** Accepted header names per role, unit stripped and normalised by `normalise`. */
  readonly names: Readonly<Record<R, readonly string[]>>;
  /** Roles whose unit converts into a canonical quantity. */
  readonly quantities: Partial<Record<R, Quantity>>;
  /** Canonical column each role feeds, for the dataset's record of source columns. */
  readonly canonical: Partial<Record<R, string>>;
  readonly normalise: (name: string) => string;
}

/** The role of one header, or undefined when it plays none. */
export function roleOfHeader<R extends string>(table: HeaderRoles<R>, header: string): R | undefined {
  const name = table.normalise(splitHeaderUnit(header).name);
  for (const role of Object.keys(table.names) as R[]) {
    if (table.names[role].includes(name)) return role;
  }
  return undefined;
}

/**
 * Maps headers[offset…] to roles (the first header of each role wins) and records every header as a
 * SourceColumn. Throws an ImportError naming the column when a quantity's unit is not one we know:
 * reading µA as mA silently would be worse than refusing the file.
 */
export function mapHeaders<R extends string>(
  table: HeaderRoles<R>,
  fileName: string,
  headers: readonly string[],
  offset = 0,
): { roles: Map<R, MappedColumn>; sourceColumns: SourceColumn[] } {
  const roles = new Map<R, MappedColumn>();
  const sourceColumns: SourceColumn[] = [];
  for (let index = offset; index < headers.length; index++) {
    const header = headers[index];
    if (header.trim() === '') continue;
    const { unit } = splitHeaderUnit(header);
    const role = roleOfHeader(table, header);
    if (role === undefined || roles.has(role)) {
      sourceColumns.push({ header, unit });
      continue;
    }
    const quantity = table.quantities[role];
    let conversion: UnitConversion | undefined;
    if (quantity) {
      conversion = unitConversion(quantity, unit);
      if (!conversion)
        throw new ImportError('unsupported-format', fileName, `column "${header}" has a unit "${unit}" that is not a ${quantity} unit.`);
    }
    roles.set(role, { index, conversion });
    const mappedTo = table.canonical[role];
    sourceColumns.push(mappedTo ? { header, unit, mappedTo } : { header, unit });
  }
  return { roles, sourceColumns };
}
