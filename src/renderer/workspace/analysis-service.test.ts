import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Dataset } from '@shared/model/dataset';
import type { AnalysisRequest, AnalysisResult, ComputeHost } from '../host/compute-host';
import { Library, LibraryDb } from '../storage/library-db';
import { AnalysisService, analysisInputKey, defaultAnalysisKind } from './analysis-service';

let count = 0;
const dbs: LibraryDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

function dataset(sha256: string): Dataset {
  const timeS = Float64Array.from({ length: 100 }, (_, i) => i);
  return {
    kind: 'cycling',
    rowCount: 100,
    columns: {
      timeS,
      voltageV: new Float32Array(100),
      currentMA: new Float32Array(100),
      step: new Int32Array(100),
      stepType: new Uint8Array(100),
    },
    meta: {
      name: `${sha256}.csv`,
      source: { fileName: `${sha256}.csv`, sizeBytes: 1, sha256 },
      format: 'neware-csv',
      instrument: 'NEWARE',
      encoding: 'utf-8',
      sourceColumns: [],
      warnings: [],
      analysisKind: 'ccd',
    },
  };
}

/** A host whose analysis echoes what it was asked (area and row count), counting the calls. */
function fakeHost(): ComputeHost & { analyze: ReturnType<typeof vi.fn> } {
  const analyze = vi.fn((request: AnalysisRequest): Promise<AnalysisResult> => {
    if (request.cell?.areaCm2 === 0) return Promise.reject(new Error('area must be positive'));
    const rows = request.dataset.kind === 'indentation' ? 0 : request.dataset.rowCount;
    return Promise.resolve({ kind: request.kind, rows, area: request.cell?.areaCm2 ?? null } as unknown as AnalysisResult);
  });
  return { analyze } as unknown as ComputeHost & { analyze: ReturnType<typeof vi.fn> };
}

describe('AnalysisService', () => {
  it('computes once per inputs, recomputes when the cell changes, and keeps results across a restart', async () => {
    const db = new LibraryDb(`analysis-service-${++count}`);
    dbs.push(db);
    const library = new Library(db);
    const host = fakeHost();
    const { record } = await library.save(dataset('a1'), { cell: { cellType: 'asymmetric', areaCm2: 0.785 } });
    expect(defaultAnalysisKind(record)).toBe('ccd');

    const service = new AnalysisService(host, library);
    const [first, second] = await Promise.all([service.run(record, 'ccd'), service.run(record, 'ccd')]);
    expect(first).toEqual({ kind: 'ccd', rows: 100, area: 0.785 });
    expect(second).toBe(first);
    expect(host.analyze).toHaveBeenCalledTimes(1);

    await library.update(record.id, { cell: { cellType: 'asymmetric', areaCm2: 1.13 } });
    const edited = (await library.get(record.id))!;
    expect(analysisInputKey(edited, 'ccd')).not.toBe(analysisInputKey(record, 'ccd'));
    expect(await service.run(edited, 'ccd')).toMatchObject({ area: 1.13 });
    expect(host.analyze).toHaveBeenCalledTimes(2);

    // A restart: a new service reads the stored result; the worker is not asked again.
    const restarted = new AnalysisService(host, library);
    expect(await restarted.cached(edited, 'ccd')).toMatchObject({ area: 1.13 });
    expect(await restarted.run(edited, 'ccd')).toMatchObject({ area: 1.13 });
    expect(host.analyze).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed analysis: the next call tries again', async () => {
    const db = new LibraryDb(`analysis-service-${++count}`);
    dbs.push(db);
    const library = new Library(db);
    const host = fakeHost();
    const { record } = await library.save(dataset('b1'), { cell: { cellType: 'asymmetric', areaCm2: 0 } });
    const service = new AnalysisService(host, library);
    await expect(service.run(record, 'cycling')).rejects.toThrow('area must be positive');
    await expect(service.run(record, 'cycling')).rejects.toThrow('area must be positive');
    expect(host.analyze).toHaveBeenCalledTimes(2);
    expect(await service.cached(record, 'cycling')).toBeUndefined();
  });

  it('reads the trace columns alone first, then only the other columns, reusing the trace arrays', async () => {
    const db = new LibraryDb(`analysis-service-${++count}`);
    dbs.push(db);
    const library = new Library(db);
    const stored = dataset('c1');
    stored.columns.voltageV = Float32Array.from({ length: 100 }, (_, i) => 3 + i / 100);
    stored.columns.currentMA = Float32Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    const { record } = await library.save(stored, {});
    const load = vi.spyOn(library, 'loadColumns');
    const service = new AnalysisService(fakeHost(), library);

    const trace = await service.traceColumns(record);
    expect(load).toHaveBeenCalledTimes(1);
    expect(load.mock.calls[0][1]).toEqual(['timeS', 'voltageV']);
    expect(Object.keys(trace).sort()).toEqual(['timeS', 'voltageV']);
    expect(Array.from(trace.voltageV)).toEqual(Array.from(stored.columns.voltageV));
    expect(await service.traceColumns(record)).toBe(trace);

    const full = await service.columns(record);
    expect(load).toHaveBeenCalledTimes(2);
    expect(load.mock.calls[1][1]).not.toContain('timeS');
    expect(load.mock.calls[1][1]).not.toContain('voltageV');
    expect(full.timeS).toBe(trace.timeS);
    expect(full.voltageV).toBe(trace.voltageV);
    expect(Array.from(full.currentMA)).toEqual(Array.from(stored.columns.currentMA));
    expect(Array.from(full.step)).toEqual(Array.from(stored.columns.step));
    // Full columns in memory answer a later trace request without reading.
    expect((await service.traceColumns(record)).timeS).toBe(full.timeS);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('checks only the requested columns of a dataset with a required column missing', async () => {
    const db = new LibraryDb(`analysis-service-${++count}`);
    dbs.push(db);
    const library = new Library(db);
    const { record } = await library.save(dataset('d1'), {});
    await db.columns.delete([record.id, 'currentMA']);
    const service = new AnalysisService(fakeHost(), library);
    expect((await service.traceColumns(record)).timeS.length).toBe(100);
    await expect(service.columns(record)).rejects.toThrow('missing');
  });
});
