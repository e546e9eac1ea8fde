/**
 * Search and filter of the library by any field: free words match any field's text; `field:value`
 * matches one field (text: contains, case-insensitive; numbers: equal), and numeric fields also take
 * comparisons (`temperature>30`, `j<=0.2`). Words combine with AND.
 *
 *   "neware temperature:60"   "coating:al2o3"   "j>=0.5 q<1"   "experiment:demo kind:gitt"
 */
import type { DatasetRecord } from '../storage/library-db';
import { defaultAnalysisKind } from './analysis-service';

export interface SearchableField {
  /** Names the user may type before the colon. */
  readonly names: readonly string[];
  readonly value: (record: DatasetRecord, experimentName: string) => string | number | undefined;
}

/** Every field search knows, with the short names a battery scientist would type. */
export const SEARCH_FIELDS: readonly SearchableField[] = [
  { names: ['name'], value: (r) => r.name },
  { names: ['file'], value: (r) => r.meta.source.fileName },
  { names: ['instrument'], value: (r) => r.meta.instrument },
  { names: ['format'], value: (r) => r.meta.format },
  { names: ['experiment', 'exp'], value: (_, e) => e },
  { names: ['kind', 'type'], value: (r) => defaultAnalysisKind(r) },
  { names: ['cell', 'celltype'], value: (r) => r.cell?.cellType },
  { names: ['description', 'desc'], value: (r) => r.description },
  { names: ['temperature', 'temp', 't'], value: (r) => r.cell?.temperatureC },
  { names: ['pressure', 'p'], value: (r) => r.cell?.stackPressureMPa },
  { names: ['coating'], value: (r) => r.cell?.coating },
  { names: ['area'], value: (r) => r.cell?.areaCm2 },
  { names: ['mass'], value: (r) => r.cell?.activeMassG },
  { names: ['j', 'current', 'currentdensity'], value: (r) => r.cell?.currentDensityMACm2 },
  { names: ['q', 'capacity', 'arealcapacity'], value: (r) => r.cell?.arealCapacityMAhCm2 },
  { names: ['notes', 'note'], value: (r) => r.cell?.notes },
  { names: ['rows'], value: (r) => r.rowCount },
];

type Clause =
  { kind: 'word'; text: string } | { kind: 'field'; field: SearchableField; op: ':' | '=' | '<' | '<=' | '>' | '>='; text: string };

const FIELD_CLAUSE = /^([a-z]+)(:|<=|>=|=|<|>)(.+)$/;

/** Splits a query into clauses; an unknown `name:` is treated as a plain word (so "Li:In" still searches). */
export function parseQuery(query: string): Clause[] {
  return query
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((word): Clause => {
      const m = FIELD_CLAUSE.exec(word.toLowerCase());
      const field = m ? SEARCH_FIELDS.find((f) => f.names.includes(m[1])) : undefined;
      if (m && field) return { kind: 'field', field, op: m[2] as Extract<Clause, { kind: 'field' }>['op'], text: m[3] };
      return { kind: 'word', text: word.toLowerCase() };
    });
}

function compare(value: string | number | undefined, op: Extract<Clause, { kind: 'field' }>['op'], text: string): boolean {
  if (value === undefined) return false;
  if (typeof value === 'number') {
    const target = Number(text);
    if (!Number.isFinite(target)) return String(value).includes(text);
    switch (op) {
      case ':':
      case '=':
        return Math.abs(value - target) <= 1e-9 * Math.max(1, Math.abs(target));
      case '<':
        return value < target;
      case '<=':
        return value <= target;
      case '>':
        return value > target;
      case '>=':
        return value >= target;
    }
  }
  return op === ':' || op === '=' ? value.toLowerCase().includes(text) : false;
}

/** Whether a record matches every clause of the query (an empty query matches all). */
export function matchesQuery(record: DatasetRecord, experimentName: string, query: string | readonly Clause[]): boolean {
  const clauses = typeof query === 'string' ? parseQuery(query) : query;
  if (clauses.length === 0) return true;
  let haystack: string | undefined;
  return clauses.every((clause) => {
    if (clause.kind === 'field') return compare(clause.field.value(record, experimentName), clause.op, clause.text);
    haystack ??= SEARCH_FIELDS.map((f) => f.value(record, experimentName))
      .filter((v) => v !== undefined)
      .join(' ')
      .toLowerCase();
    return haystack.includes(clause.text);
  });
}
