import { describe, expect, it } from 'vitest';
import type { DatasetRecord } from '../storage/library-db';
import { matchesQuery, parseQuery } from './library-search';

function record(name: string, cell: DatasetRecord['cell'], instrument = 'NEWARE BTSDA (CSV export)', analysisKind?: 'gitt'): DatasetRecord {
  return {
    id: name,
    kind: 'cycling',
    name,
    rowCount: 10,
    importedAt: 0,
    sha256: name,
    experimentId: null,
    columnKeys: [],
    cell,
    meta: {
      name,
      source: { fileName: `${name}.csv`, sizeBytes: 1, sha256: name },
      format: instrument.startsWith('BioLogic') ? 'biologic-mpt' : 'neware-csv',
      instrument,
      encoding: 'utf-8',
      sourceColumns: [],
      warnings: [],
      ...(analysisKind ? { analysisKind } : {}),
    },
  };
}

const hot = record('Li-In_60C', { cellType: 'asymmetric', temperatureC: 60, currentDensityMACm2: 0.1, coating: 'ALD Al2O3' });
const cold = record('Li-In_-10C', { cellType: 'asymmetric', temperatureC: -10, currentDensityMACm2: 0.5 });
const gitt = record('GITT_1h', { cellType: 'asymmetric' }, 'BioLogic EC-Lab (.mpt)', 'gitt');

const names = (query: string, experiment = 'Demo') =>
  [hot, cold, gitt].filter((r) => matchesQuery(r, experiment, query)).map((r) => r.name);

describe('library search', () => {
  it('matches free words against any field, all words together', () => {
    expect(names('')).toEqual(['Li-In_60C', 'Li-In_-10C', 'GITT_1h']);
    expect(names('neware')).toEqual(['Li-In_60C', 'Li-In_-10C']);
    expect(names('biologic gitt')).toEqual(['GITT_1h']);
    expect(names('al2o3')).toEqual(['Li-In_60C']);
    expect(names('demo', 'Demo: indium anode study')).toHaveLength(3);
    expect(names('nothing-like-this')).toEqual([]);
  });

  it('matches one field by name, with numeric comparisons', () => {
    expect(names('temperature:60')).toEqual(['Li-In_60C']);
    expect(names('temp<0')).toEqual(['Li-In_-10C']);
    expect(names('j>=0.5')).toEqual(['Li-In_-10C']);
    expect(names('j<=0.5 temperature>0')).toEqual(['Li-In_60C']);
    expect(names('kind:gitt')).toEqual(['GITT_1h']);
    expect(names('coating:al2o3')).toEqual(['Li-In_60C']);
    // A cell without the field never matches a field clause.
    expect(names('pressure>0')).toEqual([]);
  });

  it('reads an unknown field name as a plain word', () => {
    expect(parseQuery('Li:In')).toEqual([{ kind: 'word', text: 'li:in' }]);
    expect(parseQuery('temperature:60')[0].kind).toBe('field');
  });
});
