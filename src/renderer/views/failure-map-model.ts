/**
 * The Failure map view's pure part: which datasets are cells of the map, their order, and the class summary.
 */
import { FAILURE_CLASSES, type FailureClass } from '@shared/analysis/failure';
import type { FailureMapRow } from '@shared/analysis/failure-map';
import type { DatasetRecord } from '../storage/library-db';
import { defaultAnalysisKind } from '../workspace/analysis-service';

export interface MapEntry {
  record: DatasetRecord;
  row: FailureMapRow;
}

/** A cell of the map: a cycling dataset analysed as cycling (a CCD staircase or GITT run is not a cell here). */
export function isMapCell(record: DatasetRecord, includeFullCells: boolean): boolean {
  if (record.kind !== 'cycling' || defaultAnalysisKind(record) !== 'cycling') return false;
  return includeFullCells || record.cell?.cellType !== 'full';
}

/** Map rows in the map's reading order (j, then q; cells the map cannot place last), each with its dataset. */
export function orderMapEntries(entries: readonly MapEntry[]): MapEntry[] {
  return [...entries].sort(
    (a, b) =>
      Number(isPlaced(b.row)) - Number(isPlaced(a.row)) ||
      (a.row.currentDensity_mA_cm2 ?? 0) - (b.row.currentDensity_mA_cm2 ?? 0) ||
      (a.row.arealCapacity_mAh_cm2 ?? 0) - (b.row.arealCapacity_mAh_cm2 ?? 0) ||
      a.record.name.localeCompare(b.record.name),
  );
}

/** A row the map can place: positive j and q. */
export function isPlaced(row: FailureMapRow): boolean {
  return (row.currentDensity_mA_cm2 ?? 0) > 0 && (row.arealCapacity_mAh_cm2 ?? 0) > 0;
}

/** "16 cells: 9 stable, 3 polarization, 3 soft short, 1 hard short". */
export function describeClasses(rows: readonly Pick<FailureMapRow, 'class'>[]): string {
  const counts = FAILURE_CLASSES.map((c) => [c, rows.filter((r) => r.class === c).length] as const).filter(([, n]) => n > 0);
  const names: Record<FailureClass, string> = {
    stable: 'stable',
    polarization: 'polarization',
    'soft-short': 'soft short',
    'hard-short': 'hard short',
  };
  return `${rows.length} cell${rows.length === 1 ? '' : 's'}: ${counts.map(([c, n]) => `${n} ${names[c]}`).join(', ') || 'none'}`;
}
