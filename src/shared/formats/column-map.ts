/**
 * A user's column mapping for generic delimited text: which header feeds which canonical column.
 * Written by the Map columns dialog and the CLI (`--map time=Test Time,voltage=Ewe,current=I`), and
 * remembered per header signature so the next file with the same headers maps the same way.
 */
import { ImportError } from './import-error';

/** Roles a generic column can play (DOMAIN.md's canonical columns; `dateTime` = absolute time axis). */
export const MAPPABLE_ROLES = ['time', 'dateTime', 'voltage', 'current', 'capacity', 'step', 'stepType', 'cycle', 'temperature'] as const;
export type MappableRole = (typeof MAPPABLE_ROLES)[number];

/** Role -> header text exactly as in the file. */
export type ColumnMap = Partial<Record<MappableRole, string>>;

export function isMappableRole(value: string): value is MappableRole {
  return (MAPPABLE_ROLES as readonly string[]).includes(value);
}

/**
 * Parses the CLI form `time=ColA,voltage=ColB,current=ColC`. Header names may contain spaces and
 * parentheses; a comma inside a header name is written `\,`. Throws with the bad part named.
 */
export function parseColumnMapArgument(text: string, fileName = 'command line'): ColumnMap {
  const map: ColumnMap = {};
  const parts = text.split(/(?<!\\),/).map((p) => p.replace(/\\,/g, ','));
  for (const part of parts) {
    const eq = part.indexOf('=');
    const role = part.slice(0, eq).trim();
    const header = part.slice(eq + 1).trim();
    if (eq <= 0 || header === '') throw new ImportError('missing-column', fileName, `--map: "${part}" is not role=Header.`);
    if (!isMappableRole(role)) {
      throw new ImportError('missing-column', fileName, `--map: unknown role "${role}" (known: ${MAPPABLE_ROLES.join(', ')}).`);
    }
    map[role] = header;
  }
  return map;
}

/** The CLI form of a mapping (inverse of parseColumnMapArgument). */
export function formatColumnMapArgument(map: ColumnMap): string {
  return MAPPABLE_ROLES.filter((r) => map[r] !== undefined)
    .map((r) => `${r}=${map[r]!.replace(/,/g, '\\,')}`)
    .join(',');
}

/**
 * The signature a remembered mapping is stored under: the header cells, trimmed, in order. Two files
 * with the same headers (the same export settings) share it; any renamed or added column changes it.
 */
export function headerSignature(headers: readonly string[]): string {
  return headers.map((h) => h.trim()).join('\u241f');
}

/** Validates a mapping that crossed a process boundary (IPC, worker message); throws naming the bad entry. */
export function checkColumnMap(value: unknown, where: string): ColumnMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${where}: columnMap must be an object.`);
  const map: ColumnMap = {};
  for (const [role, header] of Object.entries(value as Record<string, unknown>)) {
    if (!isMappableRole(role)) throw new TypeError(`${where}: columnMap has an unknown role "${role}".`);
    if (typeof header !== 'string' || header.length === 0 || header.length > 500) {
      throw new TypeError(`${where}: columnMap.${role} must be a header name.`);
    }
    map[role] = header;
  }
  return map;
}
