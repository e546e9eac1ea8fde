import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dataset } from '@shared/model/dataset';
import { STEP_TYPE_CODE } from '@shared/model/step-type';
import Dexie from 'dexie';
import type { IndentationDataset } from '@shared/model/indentation';
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

function indentation(sha256: string): IndentationDataset {
  const curve = (k: number) => {
    const depthNm = Float64Array.from({ length: 200 }, (_, i) => (i < 100 ? i * 10 : (200 - i) * 8 + 200) + k);
    return {
      name: `site ${k + 1}`,
      depthNm,
      loadMN: Float64Array.from(depthNm, (h) => 1e-4 * h * h),
      timeS: Float64Array.from(depthNm, (_, i) => i * 0.1),
      segment: Uint8Array.from(depthNm, (_, i) => (i < 100 ? 2 : 4)),
      instrumentResults: { E_GPa: 38.7 + k },
    };
  };
  return {
    kind: 'indentation',
    curves: [curve(0), curve(1), curve(2)],
    instrumentSettings: { poissonRatio: 0.45 },
    meta: {
      name: `In-${sha256}.txt`,
      source: { fileName: `In-${sha256}.txt`, sizeBytes: 99, sha256 },
      format: 'hysitron-txt',
      instrument: 'Hysitron TriboScan',
      encoding: 'windows-1252',
      sourceColumns: [],
      warnings: [],
    },
  };
}

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

  it('stores indentation curves and reads them back bit for bit, with their names and instrument results', async () => {
    const library = freshLibrary();
    const source = indentation('ind1');
    const outcome = await library.save(source);
    expect(outcome.status).toBe('added');
    expect(outcome.record.kind).toBe('indentation');
    expect(outcome.record.rowCount).toBe(600);
    const [record] = await library.list();
    const curves = await library.loadCurves(record);
    expect(curves.map((c) => c.name)).toEqual(['site 1', 'site 2', 'site 3']);
    curves.forEach((c, k) => {
      expect(c.depthNm).toEqual(source.curves[k].depthNm);
      expect(c.loadMN).toEqual(source.curves[k].loadMN);
      expect(c.timeS).toEqual(source.curves[k].timeS);
      expect(c.segment).toEqual(source.curves[k].segment);
      expect(c.instrumentResults).toEqual({ E_GPa: 38.7 + k });
    });
    expect(record.instrumentSettings).toEqual({ poissonRatio: 0.45 });
    await expect(library.loadCurves((await library.save(dataset('cyc1'))).record)).rejects.toThrow(/not an indentation dataset/);
  });

  it('groups datasets into experiments', async () => {
    const library = freshLibrary();
    const demo = await library.createExperiment('Demo: indium anode study', { isGenerated: true });
    const a = await library.save(dataset('e1'), { experimentId: demo.id });
    const b = await library.save(dataset('e2'));
    expect(a.record.experimentId).toBe(demo.id);
    expect(b.record.experimentId).toBeNull();
    await library.assignToExperiment([b.record.id], demo.id);
    const inDemo = await library.db.datasets.where('experimentId').equals(demo.id).toArray();
    expect(inDemo.map((r) => r.sha256).sort()).toEqual(['e1', 'e2']);
    expect((await library.experiments()).map((e) => [e.name, e.isGenerated])).toEqual([['Demo: indium anode study', true]]);
  });

  it('upgrades a version-1 library: its datasets become cycling datasets in no experiment, columns intact', async () => {
    const name = `test-library-v1-${++dbCount}`;
    const v1 = new Dexie(name);
    v1.version(1).stores({ datasets: 'id, name, importedAt, sha256', columns: '[datasetId+key], datasetId', settings: 'key' });
    const old = dataset('v1');
    await v1.table('datasets').add({
      id: 'old-1',
      name: old.meta.name,
      meta: old.meta,
      rowCount: old.rowCount,
      importedAt: 1,
      sha256: 'v1',
      columnKeys: ['timeS', 'voltageV', 'currentMA', 'step', 'stepType'],
    });
    for (const [key, array, dtype] of [
      ['timeS', old.columns.timeS, 'float64'],
      ['voltageV', old.columns.voltageV, 'float32'],
      ['currentMA', old.columns.currentMA, 'float32'],
      ['step', old.columns.step, 'int32'],
      ['stepType', old.columns.stepType, 'uint8'],
    ] as const) {
      await v1.table('columns').add({ datasetId: 'old-1', key, dtype, blob: new Blob([array as Uint8Array<ArrayBuffer>]) });
    }
    await v1.table('settings').put({ key: 'firstStartSamplesOpened', value: true });
    v1.close();

    const db = new LibraryDb(name);
    opened.push(db);
    const library = new Library(db);
    const [record] = await library.list();
    expect(record.kind).toBe('cycling');
    expect(record.experimentId).toBeNull();
    const columns = await library.loadColumns(record);
    expect(columns.voltageV).toEqual(old.columns.voltageV);
    expect(await library.getSetting('firstStartSamplesOpened')).toBe(true);
    expect(await library.experiments()).toEqual([]);
  });

  it('upgrades a version-2 library: datasets and experiments become live, with no cached analyses', async () => {
    const name = `test-library-v2-${++dbCount}`;
    const v2 = new Dexie(name);
    v2.version(2).stores({
      datasets: 'id, name, importedAt, sha256, kind, experimentId',
      columns: '[datasetId+key], datasetId',
      settings: 'key',
      experiments: 'id, name, createdAt',
    });
    const old = dataset('v2');
    await v2.table('experiments').add({ id: 'x1', name: 'Old', createdAt: 1 });
    await v2.table('datasets').add({
      id: 'old-2',
      kind: 'cycling',
      experimentId: 'x1',
      name: old.meta.name,
      meta: old.meta,
      rowCount: old.rowCount,
      importedAt: 1,
      sha256: 'v2',
      columnKeys: ['timeS', 'voltageV'],
    });
    v2.close();
    const db = new LibraryDb(name);
    opened.push(db);
    const library = new Library(db);
    const [record] = await library.list();
    expect(record.id).toBe('old-2');
    expect(record.deletedAt).toBeNull();
    expect((await library.experiments()).map((e) => [e.name, e.deletedAt])).toEqual([['Old', null]]);
    expect(await db.analyses.count()).toBe(0);
  });

  it('edits metadata in one step that undo reverses, and drops the analyses cached for the old metadata', async () => {
    const library = freshLibrary();
    const { record } = await library.save(dataset('m1'), { cell: { cellType: 'asymmetric', areaCm2: 0.785 } });
    await library.cacheAnalysis(record.id, 'cycling', 'key-1', { cycles: 3 });
    expect(await library.cachedAnalysis(record.id, 'cycling', 'key-1')).toEqual({ cycles: 3 });
    expect(await library.cachedAnalysis(record.id, 'cycling', 'other-key')).toBeUndefined();
    const previous = await library.update(record.id, {
      cell: { cellType: 'asymmetric', areaCm2: 1.13, temperatureC: 60 },
      name: 'hot cell',
    });
    expect(previous).toEqual({ cell: { cellType: 'asymmetric', areaCm2: 0.785 }, name: record.name });
    expect((await library.get(record.id))?.cell?.temperatureC).toBe(60);
    expect(await library.cachedAnalysis(record.id, 'cycling', 'key-1')).toBeUndefined();
    await library.update(record.id, previous);
    const undone = await library.get(record.id);
    expect([undone?.name, undone?.cell]).toEqual([record.name, { cellType: 'asymmetric', areaCm2: 0.785 }]);
    await expect(library.update('missing', { name: 'x' })).rejects.toThrow(/not in the library/);
  });

  it('deletes with undo, purges later, and revives a deleted file imported again', async () => {
    const library = freshLibrary();
    const a = (await library.save(dataset('d1'))).record;
    const b = (await library.save(dataset('d2'))).record;
    await library.remove([a.id]);
    expect((await library.list()).map((r) => r.id)).toEqual([b.id]);
    await library.restore([a.id]);
    expect((await library.list()).map((r) => r.id)).toEqual([a.id, b.id]);

    await library.remove([a.id]);
    expect(await library.purgeDeleted(0)).toBe(0); // deleted after the cut-off: kept for undo
    const again = await library.save(dataset('d1'));
    expect([again.status, again.record.id]).toEqual(['added', a.id]);
    expect((await library.loadColumns(again.record)).timeS.length).toBe(1000);

    await library.remove([b.id]);
    expect(await library.purgeDeleted(Date.now() + 1)).toBe(1);
    expect(await library.get(b.id)).toBeUndefined();
    expect(await library.db.columns.where('datasetId').equals(b.id).count()).toBe(0);
  });

  it('deletes an experiment with its datasets and restores both', async () => {
    const library = freshLibrary();
    const demo = await library.createExperiment('Demo: indium anode study', { isGenerated: true });
    const a = (await library.save(dataset('x1'), { experimentId: demo.id })).record;
    const loose = (await library.save(dataset('x2'))).record;
    const removed = await library.removeExperiment(demo.id);
    expect(removed).toEqual([a.id]);
    expect(await library.experiments()).toEqual([]);
    expect((await library.list()).map((r) => r.id)).toEqual([loose.id]);
    expect((await library.deletedExperiment('Demo: indium anode study'))?.id).toBe(demo.id);
    await library.restoreExperiment(demo.id, removed);
    expect((await library.experiments()).map((e) => e.name)).toEqual(['Demo: indium anode study']);
    expect((await library.list()).length).toBe(2);
  });
});
