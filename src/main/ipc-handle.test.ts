import { describe, expect, it, vi } from 'vitest';
import type { IpcResult, SampleList } from '@shared/ipc/contract';
import { stableScenario } from '@shared/synth/cycling-scenarios';
import { createHandle, senderRejection, validateRequest, type InvokeEventLike, type IpcMainLike, type TrustedRenderer } from './ipc-handle';

const ENTRY_URL = 'file:///opt/interphase/out/renderer/index.html';
const MAIN_ID = 7;
const trusted: TrustedRenderer = { webContentsId: () => MAIN_ID, entryUrl: ENTRY_URL };

function event(overrides: { id?: number; url?: string; frame?: null; parent?: unknown } = {}): InvokeEventLike {
  return {
    sender: { id: overrides.id ?? MAIN_ID },
    senderFrame: overrides.frame === null ? null : { url: overrides.url ?? `${ENTRY_URL}#/`, parent: overrides.parent ?? null },
  };
}

/** A stand-in for ipcMain that keeps the listeners so tests can invoke them. */
function fakeIpcMain(): IpcMainLike<InvokeEventLike> & {
  invoke(channel: string, e: InvokeEventLike, ...args: unknown[]): Promise<IpcResult<unknown>>;
} {
  const listeners = new Map<string, (e: InvokeEventLike, ...args: unknown[]) => unknown>();
  return {
    handle(channel, listener) {
      if (listeners.has(channel)) throw new Error(`second handler for ${channel}`);
      listeners.set(channel, listener);
    },
    async invoke(channel, e, ...args) {
      const listener = listeners.get(channel);
      if (!listener) throw new Error(`no handler for ${channel}`);
      return (await listener(e, ...args)) as IpcResult<unknown>;
    },
  };
}

function setup() {
  const ipcMain = fakeIpcMain();
  const rejected: string[] = [];
  const handle = createHandle(ipcMain, trusted, (m) => rejected.push(m));
  const importService = vi.fn((request: { jobId: number; path: string }) =>
    Promise.resolve({ rowCount: request.jobId, meta: { name: request.path } }),
  );
  // The dataset shape is irrelevant to the registrar; the cast keeps the fake small.
  handle('import:file', importService as never);
  const listService = vi.fn((): SampleList => ({
    index: { version: 2, experiments: [], files: [{ fileName: 'a.csv', description: 'a', isOpenedOnFirstStart: true }] },
    paths: ['/samples/a.csv'],
  }));
  handle('samples:list', listService);
  handle(
    'import:inspect',
    vi.fn(() => ({ fileName: 'a.csv', formatId: null, instrument: null })),
  );
  const analysisService = vi.fn((request: { jobId: number }) => ({ kind: 'ccd', jobId: request.jobId }));
  handle('analysis:run', analysisService as never);
  handle('analysis:cancel', () => null);
  return { ipcMain, rejected, importService, listService, analysisService };
}

const GOOD = stableScenario({ cycles: 2 });

describe('senderRejection', () => {
  it('accepts the top frame of the main window showing our page', () => {
    expect(senderRejection(event(), trusted)).toBeUndefined();
  });

  it('names the reason for each refusal', () => {
    expect(senderRejection(event({ id: 8 }), trusted)).toMatch(/not the main window/);
    expect(senderRejection(event({ frame: null }), trusted)).toMatch(/frame is gone/);
    expect(senderRejection(event({ parent: {} }), trusted)).toMatch(/sub-frame/);
    expect(senderRejection(event({ url: 'https://example.com/' }), trusted)).toMatch(/not the app/);
    expect(senderRejection(event(), { webContentsId: () => undefined, entryUrl: ENTRY_URL })).toMatch(/not the main window/);
  });
});

describe('validateRequest', () => {
  it('rejects more than one argument', () => {
    expect(() => validateRequest('samples:list', [null, 'x'])).toThrow(/at most one argument/);
  });
});

describe('handle', () => {
  it('refuses an unknown sender without calling the service', async () => {
    const { ipcMain, rejected, importService } = setup();
    const result = await ipcMain.invoke('import:file', event({ id: 99 }), { jobId: 1, path: '/data/a.csv' });
    expect(result).toEqual({
      ok: false,
      error: { name: 'IpcSenderError', message: expect.stringMatching(/^import:file: refused: webContents 99/) as unknown },
    });
    expect(importService).not.toHaveBeenCalled();
    expect(rejected).toHaveLength(1);
  });

  it('refuses a page of another origin in our window', async () => {
    const { ipcMain, importService } = setup();
    for (const url of ['https://evil.example/', 'file:///tmp/evil.html', 'http://localhost:5173/']) {
      const result = await ipcMain.invoke('import:file', event({ url }), { jobId: 1, path: '/data/a.csv' });
      expect(result.ok, url).toBe(false);
    }
    expect(importService).not.toHaveBeenCalled();
  });

  it('refuses malformed arguments with the problem named', async () => {
    const { ipcMain, importService, listService, analysisService } = setup();
    const shortVoltage = { ...GOOD, columns: { ...GOOD.columns, voltageV: GOOD.columns.voltageV.subarray(2) } };
    const plainCurrent = { ...GOOD, columns: { ...GOOD.columns, currentMA: Array.from(GOOD.columns.currentMA) } };
    const curve = { name: 'site', depthNm: new Float64Array(4), loadMN: new Float64Array(3) };
    const indent = { kind: 'indentation', meta: GOOD.meta, curves: [curve] };
    const bad: [string, unknown[], RegExp][] = [
      ['import:file', [{ jobId: 1, path: 'data/a.csv' }], /absolute/],
      ['import:file', [{ jobId: 1, path: '../a.csv' }], /absolute/],
      ['import:file', [{ jobId: 1, path: '/data/a.csv\0.png' }], /NUL/],
      ['import:file', [{ jobId: 1.5, path: '/data/a.csv' }], /jobId/],
      ['import:file', [{ jobId: -1, path: '/data/a.csv' }], /jobId/],
      ['import:file', [{ jobId: '1', path: '/data/a.csv' }], /jobId/],
      ['import:file', [{ jobId: 1, path: 42 }], /path/],
      ['import:file', [{ jobId: 1, path: ['/data/a.csv'] }], /path/],
      ['import:file', [[1, '/data/a.csv']], /expected/],
      ['import:file', ['/data/a.csv'], /expected/],
      ['import:file', [], /expected/],
      ['import:file', [{ jobId: 1, path: '/a.csv', columnMap: { time: 'T', colour: 'V' } }], /unknown role "colour"/],
      ['import:file', [{ jobId: 1, path: '/a.csv', columnMap: { time: 7 } }], /columnMap.time/],
      ['import:file', [{ jobId: 1, path: '/a.csv', columnMap: 'time=T' }], /columnMap must be an object/],
      ['import:inspect', [{ path: 'relative.csv' }], /absolute/],
      ['import:file', [{ jobId: 1, path: '/a.xlsx', parts: ['/a.xlsx', 'a_1.xlsx'] }], /absolute/],
      ['import:file', [{ jobId: 1, path: '/a.xlsx', parts: ['/a.xlsx'] }], /parts must list 2 to 64 paths/],
      ['samples:list', ['/etc'], /no argument/],
      ['samples:list', [null, null], /at most one/],
      ['analysis:run', [{ jobId: 1, kind: 'dqdv', dataset: GOOD }], /kind must be/],
      ['analysis:run', [{ jobId: 1, dataset: GOOD }], /kind must be/],
      ['analysis:run', [{ jobId: -2, kind: 'cycling', dataset: GOOD }], /jobId/],
      ['analysis:run', [{ jobId: 1, kind: 'cycling' }], /dataset must be an object/],
      ['analysis:run', [{ jobId: 1, kind: 'cycling', dataset: { ...GOOD, meta: null } }], /dataset.meta/],
      ['analysis:run', [{ jobId: 1, kind: 'cycling', dataset: shortVoltage }], /voltageV has \d+ values but rowCount/],
      ['analysis:run', [{ jobId: 1, kind: 'auto', dataset: plainCurrent }], /currentMA must be a Float32Array/],
      ['analysis:run', [{ jobId: 1, kind: 'indentation', dataset: indent }], /curves\[0\]\.loadMN has 3 values/],
      ['analysis:run', [{ jobId: 1, kind: 'gitt', dataset: GOOD, params: 'moles=1' }], /params must be an object/],
      ['analysis:run', [{ jobId: 1, kind: 'cycling', dataset: GOOD, cell: [] }], /cell must be an object/],
      ['analysis:run', ['cycling'], /expected/],
      ['analysis:cancel', [{ jobId: 'x' }], /jobId/],
    ];
    for (const [channel, args, message] of bad) {
      const result = await ipcMain.invoke(channel, event(), ...args);
      expect(result, `${channel} ${JSON.stringify(args)}`).toEqual({
        ok: false,
        error: { name: 'TypeError', message: expect.stringMatching(message) as unknown },
      });
    }
    expect(importService).not.toHaveBeenCalled();
    expect(listService).not.toHaveBeenCalled();
    expect(analysisService).not.toHaveBeenCalled();
  });

  it('passes a good analysis request on with only its own fields', async () => {
    const { ipcMain, analysisService } = setup();
    const e = event();
    const request = { jobId: 5, kind: 'auto', dataset: GOOD, cell: { cellType: 'full' }, params: { minCycles: 3 } };
    expect(await ipcMain.invoke('analysis:run', e, { ...request, extra: 'dropped' })).toEqual({
      ok: true,
      value: { kind: 'ccd', jobId: 5 },
    });
    expect(analysisService).toHaveBeenCalledWith(request, e);
    expect((analysisService.mock.calls[0][0] as unknown as { dataset: unknown }).dataset).toBe(GOOD);
  });

  it('passes a good request, validated, to the service and wraps the value', async () => {
    const { ipcMain, importService } = setup();
    const e = event();
    const result = await ipcMain.invoke('import:file', e, { jobId: 3, path: 'C:\\data\\a.csv', extra: 'dropped' });
    expect(result).toEqual({ ok: true, value: { rowCount: 3, meta: { name: 'C:\\data\\a.csv' } } });
    expect(importService).toHaveBeenCalledWith({ jobId: 3, path: 'C:\\data\\a.csv' }, e);
    const mapped = { jobId: 4, path: '/data/b.txt', columnMap: { time: 'Zeit (s)', voltage: 'U', current: 'I (mA)' } };
    await ipcMain.invoke('import:file', e, mapped);
    expect(importService).toHaveBeenLastCalledWith(mapped, e);
    expect(await ipcMain.invoke('samples:list', event())).toMatchObject({
      ok: true,
      value: { index: { version: 2, files: [{ fileName: 'a.csv' }] }, paths: ['/samples/a.csv'] },
    });
  });

  it('returns a service failure as data, keeping name and code', async () => {
    const ipcMain = fakeIpcMain();
    const handle = createHandle(ipcMain, trusted);
    handle('samples:list', () => {
      throw Object.assign(new Error('index.json: not JSON'), { name: 'ImportError', code: 'read-failed' });
    });
    handle('dialog:openFiles', () => Promise.reject(new Error('dialog failed')));
    expect(await ipcMain.invoke('samples:list', event())).toEqual({
      ok: false,
      error: { name: 'ImportError', message: 'index.json: not JSON', code: 'read-failed' },
    });
    expect(await ipcMain.invoke('dialog:openFiles', event())).toEqual({ ok: false, error: { name: 'Error', message: 'dialog failed' } });
  });
});
