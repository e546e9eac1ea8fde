import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dataset } from '@shared/model/dataset';
import { STEP_TYPE_CODE } from '@shared/model/step-type';
import { Library, LibraryDb } from './library-db';

let dbCount = 0;
const opened: LibraryDb[] = [];
function freshLibrary(): Library {
  const db = new LibraryDb(`test-library-${++dbCount}`);
  opened.push(db);
  return new Library(db);
}

afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete();
});

function dataset(sha256: string, rows = 1000): Dataset {
  const timeS = Float64Array.from({ length: rows }, (_, i) => i * 1.5);
  return {
    rowCount: rows,
    columns: {
      timeS,
      voltageV: Float32Array.from(timeS, (t) => 0.62 + Math.sin(t) * 1e-3),
      currentMA: Float32Array.from(timeS, (_, i) => (i < rows / 2 ? -0.0785 : 0.0785)),
      step: Int32Array.from(timeS, (_, i) => (i < rows / 2 ? 2 : 4)),
      stepType: Uint8Array.from(timeS, (_, i) => (i < rows / 2 ? STEP_TYPE_CODE.cc_discharge : STEP_TYPE_CODE.cc_charge)),
      cycle: new Int32Array(rows).fill(1),
    },
    meta: {
      name: `cell-${sha256}.csv`,
      source: { fileName: `cell-${sha256}.csv`, sizeBytes: 123, sha256 },
      format: 'neware-csv',
      instrument: 'NEWARE BTSDA (CSV export, record layer)',
      encoding: 'utf-8',
      sourceColumns: [{ header: 'Voltage(V)', unit: 'V', mappedTo: 'voltage' }],
      warnings: [],
    },
  };
}

describe('Library (IndexedDB through Dexie)', () => {
  it('stores each column as one Blob and reads it back bit for bit', async () => {
    const library = freshLibrary();
    const original = dataset('a'.repeat(64));
    const outcome = await library.save(original);
    expect(outcome.status).toBe('added');
    expect(await library.db.columns.count()).toBe(6);
    const [record] = await library.list();
    expect(record.rowCount).toBe(1000);
    expect(record.meta.sourceColumns).toEqual(original.meta.sourceColumns);
    const columns = await library.loadColumns(record);
    expect(columns.timeS).toEqual(original.columns.timeS);
    expect(columns.voltageV).toEqual(original.columns.voltageV);
    expect(columns.currentMA).toBeInstanceOf(Float32Array);
    expect(columns.stepType).toEqual(original.columns.stepType);
    expect(columns.cycle).toEqual(original.columns.cycle);
    expect(columns.capacityMAh).toBeUndefined();
  });

  it('does not store the same file twice (same SHA-256)', async () => {
    const library = freshLibrary();
    const first = await library.save(dataset('b'.repeat(64)));
    const second = await library.save(dataset('b'.repeat(64)));
    expect(second).toEqual({ status: 'duplicate', record: first.record });
    expect(await library.db.datasets.count()).toBe(1);
  });

  it('writes an import in one transaction: a failure leaves neither metadata nor columns behind', async () => {
    const library = freshLibrary();
    await library.save(dataset('c'.repeat(64)));
    library.db.columns.hook('creating', (_key, column) => {
      if (column.key === 'stepType') throw new Error('disk full');
    });
    await expect(library.save(dataset('d'.repeat(64)))).rejects.toThrow('disk full');
    expect(await library.db.datasets.count()).toBe(1);
    expect(await library.db.columns.count()).toBe(6);
  });

  it('keeps settings', async () => {
    const library = freshLibrary();
    expect(await library.getSetting('x')).toBeUndefined();
    await library.setSetting('x', true);
    expect(await library.getSetting<boolean>('x')).toBe(true);
  });
});
