import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { analyzeCcd, type CcdResultJson } from '@shared/analysis/analyze-cycling';
import { createAnalysisEndpoint } from '@shared/ipc/analysis-endpoint';
import type { AnalysisResult, AnalyzeRequest, CancelRequest, WorkerResponse } from '@shared/ipc/worker-protocol';
import { ccdScenario, stableScenario } from '@shared/synth/cycling-scenarios';
import type { Dataset } from '@shared/model/dataset';
import { createBrowserHost } from './browser-host';

/**
 * A stand-in for the module Web Worker: messages cross with structuredClone and their transfer list
 * (so a transferred buffer is detached on the sending side, as in a browser), and are served by the
 * real analysis endpoint when the test calls `deliver()`.
 */
class FakeWorker {
  static created: FakeWorker[] = [];
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: { message: string }) => void) | null = null;
  readonly inbox: (AnalyzeRequest | CancelRequest)[] = [];
  isTerminated = false;
  private readonly endpoint = createAnalysisEndpoint({
    post: (message: WorkerResponse<AnalysisResult>) => {
      const data = structuredClone(message);
      setTimeout(() => {
        if (!this.isTerminated) this.onmessage?.({ data });
      }, 0);
    },
  });

  constructor() {
    FakeWorker.created.push(this);
  }

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    this.inbox.push(structuredClone(message, { transfer }) as AnalyzeRequest | CancelRequest);
  }

  /** Serves every queued message, in order. */
  deliver(): void {
    for (const message of this.inbox.splice(0)) if (!this.isTerminated) this.endpoint(message);
  }

  terminate(): void {
    this.isTerminated = true;
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

beforeEach(() => {
  FakeWorker.created = [];
  vi.stubGlobal('Worker', FakeWorker);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('browser ComputeHost analyses', () => {
  it('runs in the worker on a copy: the page keeps its columns, the result matches a direct run', async () => {
    const host = createBrowserHost();
    const dataset = ccdScenario();
    const seen: number[] = [];
    const job = host.analyze({ kind: 'auto', dataset }, { onProgress: (f) => seen.push(f) });
    const [worker] = FakeWorker.created;
    // The copy was transferred; the page's own columns are untouched.
    expect(dataset.columns.timeS.length).toBe(dataset.rowCount);
    expect(worker.inbox[0]).toMatchObject({ type: 'analyze', payload: { kind: 'auto' } });
    expect('cancelFlag' in worker.inbox[0]).toBe(false);
    worker.deliver();
    const result = (await job) as CcdResultJson;
    expect(result.kind).toBe('ccd');
    expect(result).toEqual(analyzeCcd(dataset, { cellType: 'asymmetric' }));
    expect(seen.at(-1)).toBe(1);
  });

  /** A dataset over 2 MiB (the host's copy slice): 100,000 rows of the required columns. */
  function bigDataset(): Dataset {
    const small = stableScenario({ cycles: 2 });
    const rowCount = 100_000;
    return {
      ...small,
      rowCount,
      columns: {
        timeS: Float64Array.from({ length: rowCount }, (_, i) => i),
        voltageV: Float32Array.from({ length: rowCount }, (_, i) => Math.sin(i / 100)),
        currentMA: new Float32Array(rowCount).fill(0.1),
        step: new Int32Array(rowCount).fill(1),
        stepType: new Uint8Array(rowCount),
      },
    };
  }

  it('copies a big dataset in slices between page tasks, then posts the copy; the page keeps its columns', async () => {
    const host = createBrowserHost();
    const dataset = bigDataset();
    void host.analyze({ kind: 'cycling', dataset });
    const [worker] = FakeWorker.created;
    // Nothing is posted in the task that asked: the copy runs in slices.
    expect(worker.inbox).toHaveLength(0);
    await vi.waitFor(() => expect(worker.inbox).toHaveLength(1));
    const sent = (worker.inbox[0] as AnalyzeRequest).payload.dataset as Dataset;
    expect(sent.columns).toEqual(dataset.columns);
    expect(sent.columns.timeS.buffer).not.toBe(dataset.columns.timeS.buffer);
    expect(dataset.columns.timeS.length).toBe(dataset.rowCount);
  });

  it('cancelling while a big dataset is being copied posts nothing', async () => {
    const host = createBrowserHost();
    const controller = new AbortController();
    const job = host.analyze({ kind: 'cycling', dataset: bigDataset() }, { signal: controller.signal });
    const [worker] = FakeWorker.created;
    controller.abort();
    await expect(job).rejects.toMatchObject({ code: 'aborted' });
    await settle();
    await settle();
    expect(worker.inbox.filter((m) => m.type === 'analyze')).toHaveLength(0);
  });

  it('rejects bad parameters with the analysis error, name and code kept', async () => {
    const host = createBrowserHost();
    const job = host.analyze({ kind: 'cycling', dataset: stableScenario({ cycles: 2 }), params: { zeroCurrentFraction: 'x' } });
    FakeWorker.created[0].deliver();
    await expect(job).rejects.toMatchObject({ name: 'ImportError', code: 'invalid-parameter' });
  });

  it('cancels at once; without shared memory an otherwise idle worker is replaced', async () => {
    const host = createBrowserHost();
    const controller = new AbortController();
    const job = host.analyze({ kind: 'cycling', dataset: stableScenario() }, { signal: controller.signal });
    controller.abort();
    await expect(job).rejects.toMatchObject({ name: 'ImportError', code: 'aborted' });
    expect(FakeWorker.created[0].isTerminated).toBe(true);
    const next = host.analyze({ kind: 'cycling', dataset: stableScenario({ cycles: 2 }) });
    expect(FakeWorker.created).toHaveLength(2);
    FakeWorker.created[1].deliver();
    expect((await next).kind).toBe('cycling');
  });

  it('cancels through the shared flag in a cross-origin isolated page, keeping the worker', async () => {
    vi.stubGlobal('crossOriginIsolated', true);
    const host = createBrowserHost();
    const controller = new AbortController();
    const job = host.analyze({ kind: 'cycling', dataset: stableScenario() }, { signal: controller.signal });
    const [worker] = FakeWorker.created;
    const { cancelFlag } = worker.inbox[0] as AnalyzeRequest;
    expect(cancelFlag?.buffer).toBeInstanceOf(SharedArrayBuffer);
    controller.abort();
    await expect(job).rejects.toMatchObject({ code: 'aborted' });
    expect(Atomics.load(cancelFlag!, 0)).toBe(1);
    expect(worker.isTerminated).toBe(false);
    expect(worker.inbox[1]).toMatchObject({ type: 'cancel', payload: { target: worker.inbox[0].seq } });
    // The worker's own answer is 'aborted' too, and is dropped by the host.
    const answers: unknown[] = [];
    const hostListener = worker.onmessage;
    worker.onmessage = (event) => {
      answers.push(event.data);
      hostListener?.(event);
    };
    worker.deliver();
    await settle();
    expect(answers.at(-1)).toMatchObject({ type: 'error', payload: { code: 'aborted' } });
  });
});

describe('browser ComputeHost bundled samples', () => {
  const index = {
    version: 2,
    experiments: [{ name: 'Demo', description: 'generated', isGenerated: true }],
    files: [
      { fileName: 'Fig4_site1 0000LC.txt', description: 'indent', isOpenedOnFirstStart: true, experiment: 'Demo', cell: null },
      { fileName: 'generic.tsv', description: 'map me', isOpenedOnFirstStart: false },
    ],
  };

  /** Serves `routes` (URL → body, JSON for objects) and answers 404 elsewhere; records the URLs asked for. */
  function stubFetch(routes: Record<string, unknown>): string[] {
    const asked: string[] = [];
    vi.stubGlobal('fetch', (url: string) => {
      asked.push(url);
      if (!(url in routes)) return Promise.resolve(new Response('Not found', { status: 404, statusText: 'Not Found' }));
      const body = routes[url];
      return Promise.resolve(new Response(typeof body === 'string' ? body : JSON.stringify(body)));
    });
    return asked;
  }

  it('validates index.json and fetches every listed file (name URL-encoded) as a File, in index order', async () => {
    const asked = stubFetch({
      './samples/index.json': index,
      './samples/Fig4_site1%200000LC.txt': 'Load (µN)\tDepth (nm)\n',
      './samples/generic.tsv': 'Time (h)\tVoltage (V)\n',
    });
    const samples = await createBrowserHost().bundledSamples();
    expect(asked.sort()).toEqual(['./samples/Fig4_site1%200000LC.txt', './samples/generic.tsv', './samples/index.json']);
    expect(samples.index).toEqual(index);
    expect(samples.files.map((f) => f.entry)).toEqual(index.files);
    expect(samples.files.map((f) => f.input.name)).toEqual(['Fig4_site1 0000LC.txt', 'generic.tsv']);
    const [first] = samples.files;
    if (first.input.kind !== 'file') throw new Error('expected a File input');
    expect(first.input.file.name).toBe('Fig4_site1 0000LC.txt');
    expect(await first.input.file.text()).toBe('Load (µN)\tDepth (nm)\n');
  });

  it('has no samples when the build serves no index.json', async () => {
    stubFetch({});
    expect(await createBrowserHost().bundledSamples()).toEqual({ index: { version: 2, experiments: [], files: [] }, files: [] });
  });

  it('rejects an index that fails validation, naming the field, before fetching any file', async () => {
    const asked = stubFetch({ './samples/index.json': { ...index, files: [{ ...index.files[1], fileName: '../secret.tsv' }] } });
    await expect(createBrowserHost().bundledSamples()).rejects.toThrow(
      './samples/index.json: files[0].fileName "../secret.tsv" is not a plain file name.',
    );
    expect(asked).toEqual(['./samples/index.json']);
  });

  it('rejects an index that is not JSON, and a listed file the server does not have, naming the URL', async () => {
    stubFetch({ './samples/index.json': '<html>' });
    await expect(createBrowserHost().bundledSamples()).rejects.toThrow('./samples/index.json: not valid JSON');
    stubFetch({ './samples/index.json': index, './samples/generic.tsv': 'x' });
    await expect(createBrowserHost().bundledSamples()).rejects.toThrow('./samples/Fig4_site1%200000LC.txt: HTTP 404 Not Found.');
  });
});
