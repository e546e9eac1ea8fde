import { describe, expect, it } from 'vitest';
import type { FailureMapRow } from '@shared/analysis/failure-map';
import type { DatasetRecord } from '../storage/library-db';
import { describeClasses, isMapCell, isPlaced, orderMapEntries } from './failure-map-model';

const record = (name: string, extra: Partial<DatasetRecord> = {}): DatasetRecord =>
  ({ id: name, kind: 'cycling', name, meta: { analysisKind: 'cycling' }, experimentId: null, ...extra }) as DatasetRecord;

const row = (j: number | null, q: number | null, cls: FailureMapRow['class'] = 'stable'): FailureMapRow => ({
  file: 'f',
  currentDensity_mA_cm2: j,
  arealCapacity_mAh_cm2: q,
  class: cls,
  lifespan_mAh_cm2: 1,
  censored: false,
  failureCycle: null,
});

describe('cells of the failure map', () => {
  it('takes cycled cells, not CCD staircases, GITT runs or indentation files; full cells on request', () => {
    expect(isMapCell(record('a'), false)).toBe(true);
    expect(isMapCell(record('b', { meta: { analysisKind: 'ccd' } } as Partial<DatasetRecord>), true)).toBe(false);
    expect(isMapCell(record('c', { meta: { analysisKind: 'gitt' } } as Partial<DatasetRecord>), true)).toBe(false);
    expect(isMapCell(record('d', { kind: 'indentation' }), true)).toBe(false);
    const full = record('e', { cell: { cellType: 'full' } });
    expect(isMapCell(full, false)).toBe(false);
    expect(isMapCell(full, true)).toBe(true);
  });

  it('orders by j, then q, then name, with cells the map cannot place last', () => {
    const entries = [
      { record: record('z'), row: row(0.5, 1) },
      { record: record('y'), row: row(null, 1) },
      { record: record('x'), row: row(0.1, 5) },
      { record: record('w'), row: row(0.1, 0.2) },
      { record: record('v'), row: row(0.1, 0.2) },
    ];
    expect(orderMapEntries(entries).map((e) => e.record.name)).toEqual(['v', 'w', 'x', 'z', 'y']);
    expect(isPlaced(row(0.1, 0))).toBe(false);
  });

  it('counts the classes in severity order', () => {
    expect(describeClasses([row(1, 1, 'hard-short'), row(1, 1), row(1, 1, 'soft-short'), row(1, 1)])).toBe(
      '4 cells: 2 stable, 1 soft short, 1 hard short',
    );
    expect(describeClasses([])).toBe('0 cells: none');
  });
});
