import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { analyzeCcd, type CcdResultJson } from '@shared/analysis/analyze-cycling';
import { createAnalysisEndpoint } from '@shared/ipc/analysis-endpoint';
import type { AnalysisResult, AnalyzeRequest, CancelRequest, WorkerResponse } from '@shared/ipc/worker-protocol';
import { ccdScenario, stableScenario } from '@shared/synth/cycling-scenarios';
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
