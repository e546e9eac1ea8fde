import { describe, expect, it } from 'vitest';
import type { IpcEvents, RendererApi } from '@shared/ipc/contract';
import type { AnalysisResult } from '@shared/ipc/worker-protocol';
import type { Dataset } from '@shared/model/dataset';
import type { SampleIndex } from '@shared/model/sample-index';
import { stableScenario } from '@shared/synth/cycling-scenarios';
import { createElectronHost } from './electron-host';

/** A stand-in for the preload's window.api: records calls and lets the test drive progress and results. */
function fakeApi(
  listSamples: RendererApi['listSamples'] = () =>
    Promise.resolve({ ok: false, error: { name: 'Error', message: 'index.json: not valid JSON' } }),
) {
  const calls: { channel: string; request: unknown }[] = [];
  let progressListener: ((e: IpcEvents['import:progress']) => void) | undefined;
  let finishImport: ((value: Awaited<ReturnType<RendererApi['importFile']>>) => void) | undefined;
  let analysisProgressListener: ((e: IpcEvents['analysis:progress']) => void) | undefined;
  let finishAnalysis: ((value: Awaited<ReturnType<RendererApi['runAnalysis']>>) => void) | undefined;
  const api: RendererApi = {
    openFiles: () => Promise.resolve({ ok: true, value: ['/data/cell 1.csv', 'C:\\data\\cell2.csv'] }),
    importFile: (request) => {
      calls.push({ channel: 'import:file', request });
      return new Promise((resolve) => (finishImport = resolve));
    },
    cancelImport: (request) => {
      calls.push({ channel: 'import:cancel', request });
      return Promise.resolve({ ok: true, value: null });
    },
    inspectFile: (request) => {
      calls.push({ channel: 'import:inspect', request });
      return Promise.resolve({
        ok: true,
        value: { fileName: 'file.csv', formatId: 'delimited-text', instrument: 'generic delimited text' },
      });
    },
    listSamples,
    onImportProgress: (listener) => {
      progressListener = listener;
      return () => (progressListener = undefined);
    },
    getPathForFile: () => '/dropped/file.csv',
    runAnalysis: (request) => {
      calls.push({ channel: 'analysis:run', request });
      return new Promise((resolve) => (finishAnalysis = resolve));
    },
    cancelAnalysis: (request) => {
      calls.push({ channel: 'analysis:cancel', request });
      return Promise.resolve({ ok: true, value: null });
    },
    onAnalysisProgress: (listener) => {
      analysisProgressListener = listener;
      return () => (analysisProgressListener = undefined);
    },
  };
  return {
    api,
    calls,
    progress: (e: IpcEvents['import:progress']) => progressListener?.(e),
    finish: (v: Parameters<NonNullable<typeof finishImport>>[0]) => finishImport?.(v),
    analysisProgress: (e: IpcEvents['analysis:progress']) => analysisProgressListener?.(e),
    finishAnalysis: (v: Parameters<NonNullable<typeof finishAnalysis>>[0]) => finishAnalysis?.(v),
  };
}

describe('Electron ComputeHost', () => {
  it('turns dialog paths into named inputs (POSIX and Windows paths)', async () => {
    const host = createElectronHost(fakeApi().api);
    expect(await host.chooseFiles!()).toEqual([
      { kind: 'path', name: 'cell 1.csv', path: '/data/cell 1.csv' },
      { kind: 'path', name: 'cell2.csv', path: 'C:\\data\\cell2.csv' },
    ]);
    expect(host.fromFile(new File(['x'], 'file.csv'))).toEqual({ kind: 'path', name: 'file.csv', path: '/dropped/file.csv' });
  });

  it('routes progress events to their own job, cancels by job id, and unwraps results', async () => {
    const fake = fakeApi();
    const host = createElectronHost(fake.api);
    const seen: number[] = [];
    const controller = new AbortController();
    const job = host.importDataset(
      { kind: 'path', name: 'a.csv', path: '/a.csv' },
      { signal: controller.signal, onProgress: (f) => seen.push(f) },
    );
    const { jobId } = fake.calls[0].request as { jobId: number };
    fake.progress({ jobId, fraction: 0.5 });
    fake.progress({ jobId: jobId + 99, fraction: 0.9 });
    controller.abort();
    expect(fake.calls[1]).toEqual({ channel: 'import:cancel', request: { jobId } });
    const dataset = { rowCount: 1 } as Dataset;
    fake.finish({ ok: true, value: dataset });
    expect(await job).toBe(dataset);
    expect(seen).toEqual([0.5]);
    // after the job ended, its progress events go nowhere
    fake.progress({ jobId, fraction: 1 });
    expect(seen).toEqual([0.5]);
  });

  it('rejects with the main process error, name and code kept', async () => {
    const fake = fakeApi();
    const host = createElectronHost(fake.api);
    const job = host.importDataset(
      { kind: 'path', name: 'bad.bin', path: '/bad.bin' },
      { signal: new AbortController().signal, onProgress: () => {} },
    );
    fake.finish({ ok: false, error: { name: 'ImportError', code: 'binary-file', message: 'bad.bin: this is a binary file' } });
    await expect(job).rejects.toMatchObject({ name: 'ImportError', code: 'binary-file', message: 'bad.bin: this is a binary file' });
    await expect(host.bundledSamples()).rejects.toThrow('index.json: not valid JSON');
  });

  it("pairs main's validated index entries with their paths as path inputs, in index order", async () => {
    const index: SampleIndex = {
      version: 2,
      experiments: [{ name: 'Demo', description: 'generated', isGenerated: true }],
      files: [
        { fileName: 'b cell.csv', description: 'b', isOpenedOnFirstStart: true, experiment: 'Demo', cell: { cellType: 'asymmetric' } },
        { fileName: 'a.tsv', description: 'a', isOpenedOnFirstStart: false },
      ],
    };
    const paths = ['C:\\samples\\b cell.csv', 'C:\\samples\\a.tsv'];
    const host = createElectronHost(fakeApi(() => Promise.resolve({ ok: true, value: { index, paths } })).api);
    const samples = await host.bundledSamples();
    expect(samples.index).toBe(index);
    expect(samples.files).toEqual([
      { entry: index.files[0], input: { kind: 'path', name: 'b cell.csv', path: paths[0] } },
      { entry: index.files[1], input: { kind: 'path', name: 'a.tsv', path: paths[1] } },
    ]);
    const short = createElectronHost(fakeApi(() => Promise.resolve({ ok: true, value: { index, paths: paths.slice(1) } })).api);
    await expect(short.bundledSamples()).rejects.toThrow('samples:list: 1 paths for 2 index entries.');
  });

  it('runs an analysis in main: request with its job id, progress by job, result unwrapped', async () => {
    const fake = fakeApi();
    const host = createElectronHost(fake.api);
    const dataset = stableScenario({ cycles: 2 });
    const seen: number[] = [];
    const job = host.analyze(
      { kind: 'cycling', dataset, cell: { cellType: 'asymmetric' } },
      { signal: new AbortController().signal, onProgress: (f) => seen.push(f) },
    );
    expect(fake.calls).toHaveLength(1);
    const { channel, request } = fake.calls[0] as { channel: string; request: { jobId: number; kind: string; dataset: Dataset } };
    expect(channel).toBe('analysis:run');
    expect(request.kind).toBe('cycling');
    // IPC clones the dataset itself: the page's columns are neither copied here nor detached.
    expect(request.dataset).toBe(dataset);
    fake.analysisProgress({ jobId: request.jobId, fraction: 0.25 });
    fake.analysisProgress({ jobId: request.jobId + 1, fraction: 0.5 });
    const result = { kind: 'ccd', ccd_mA_cm2: 0.8 } as unknown as AnalysisResult;
    fake.finishAnalysis({ ok: true, value: result });
    expect(await job).toBe(result);
    expect(seen).toEqual([0.25]);
    expect(dataset.columns.timeS.length).toBe(dataset.rowCount);
  });

  it('rejects at once on abort, asks main to cancel, and drops the late answer', async () => {
    const fake = fakeApi();
    const host = createElectronHost(fake.api);
    const controller = new AbortController();
    const seen: number[] = [];
    const job = host.analyze(
      { kind: 'gitt', dataset: stableScenario({ cycles: 2 }) },
      { signal: controller.signal, onProgress: (f) => seen.push(f) },
    );
    const { jobId } = fake.calls[0].request as { jobId: number };
    controller.abort();
    await expect(job).rejects.toMatchObject({ name: 'ImportError', code: 'aborted' });
    expect(fake.calls[1]).toEqual({ channel: 'analysis:cancel', request: { jobId } });
    fake.analysisProgress({ jobId, fraction: 0.9 });
    fake.finishAnalysis({ ok: false, error: { name: 'GittError', code: 'aborted', message: 'x: GITT analysis cancelled.' } });
    expect(seen).toEqual([]);
    const again = new AbortController();
    again.abort();
    await expect(host.analyze({ kind: 'cycling', dataset: stableScenario({ cycles: 2 }) }, { signal: again.signal })).rejects.toMatchObject(
      {
        code: 'aborted',
      },
    );
    expect(fake.calls).toHaveLength(2);
  });

  it('rejects with the analysis error from main, name and code kept', async () => {
    const fake = fakeApi();
    const host = createElectronHost(fake.api);
    const job = host.analyze({ kind: 'gitt', dataset: stableScenario({ cycles: 2 }) });
    const error = { name: 'GittError', code: 'invalid-parameter', message: 'stable: activeMaterialMol or activeMassG is required.' };
    fake.finishAnalysis({ ok: false, error });
    await expect(job).rejects.toMatchObject(error);
    await expect(job).rejects.toBeInstanceOf(Error);
  });
});
