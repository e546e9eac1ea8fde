import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RemoteError } from '@shared/ipc/worker-protocol';
import type { Dataset } from '@shared/model/dataset';
import { createWorkerPool, defaultPoolSize, type WorkerPool } from './worker-pool';

/**
 * A stand-in for the import worker that speaks the same envelope. `payload.mode` picks a behaviour;
 * results carry the thread id (to see replacements) and how many cancels the worker received.
 */
const FAKE_WORKER = String.raw`
const { parentPort, threadId } = require('node:worker_threads');
let cancels = 0;
const waiting = new Map();
parentPort.on('message', (message) => {
  if (message.type === 'cancel') {
    cancels += 1;
    const job = waiting.get(message.payload.target);
    if (job && !job.ignoresCancel) {
      waiting.delete(message.payload.target);
      parentPort.postMessage({ seq: message.payload.target, type: 'error', payload: { name: 'ImportError', message: job.name + ': import cancelled.', code: 'aborted' } });
    }
    return;
  }
  const { seq, payload } = message;
  switch (payload.mode) {
    case 'ok': {
      parentPort.postMessage({ seq: seq + 1000, type: 'result', payload: 'not this job' });
      parentPort.postMessage({ hello: 'not the protocol' });
      parentPort.postMessage({ seq, type: 'progress', payload: { fraction: 0.5 } });
      parentPort.postMessage({ seq, type: 'progress', payload: { fraction: 1 } });
      const timeS = new Float64Array([0, 1.5, 3]);
      const dataset = { rowCount: 3, meta: { name: payload.name, threadId, cancels }, columns: { timeS } };
      parentPort.postMessage({ seq, type: 'result', payload: dataset }, [timeS.buffer]);
      if (timeS.byteLength !== 0) throw new Error('buffer was copied, not transferred');
      return;
    }
    case 'wait':
    case 'hang':
      waiting.set(seq, { name: payload.name, ignoresCancel: payload.mode === 'hang' });
      parentPort.postMessage({ seq, type: 'progress', payload: { fraction: 0.1 } });
      return;
    case 'fail':
      parentPort.postMessage({ seq, type: 'error', payload: { name: 'ImportError', message: payload.name + ': not a recognised instrument file.', code: 'unrecognised-format' } });
      return;
    case 'throw':
      setTimeout(() => { throw new Error('boom'); }, 0);
      return;
    case 'exit':
      process.exit(3);
  }
});
`;

interface FakePayload {
  mode: 'ok' | 'wait' | 'hang' | 'fail' | 'throw' | 'exit';
  name: string;
}

interface FakeMeta {
  name: string;
  threadId: number;
  cancels: number;
}

const dir = mkdtempSync(join(tmpdir(), 'interphase-pool-'));
const workerFile = join(dir, 'fake-import.worker.cjs');
writeFileSync(workerFile, FAKE_WORKER);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const pools: WorkerPool<FakePayload, Dataset>[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function pool(size: number, cancelGraceMs?: number, file = workerFile): WorkerPool<FakePayload, Dataset> {
  const created = createWorkerPool<FakePayload, Dataset>({ workerFile: file, size, cancelGraceMs, describeJob: (p) => p.name });
  pools.push(created);
  return created;
}

async function meta(promise: Promise<unknown>): Promise<FakeMeta> {
  return ((await promise) as { meta: FakeMeta }).meta;
}

/** Starts a job that runs until cancelled, resolving `started` once the worker has it. */
function startWaiting(p: WorkerPool<FakePayload>, name: string, mode: 'wait' | 'hang' = 'wait') {
  const controller = new AbortController();
  let onStarted!: () => void;
  const started = new Promise<void>((resolve) => (onStarted = resolve));
  const done = p.run(
    { mode, name },
    {
      signal: controller.signal,
      onProgress: () => {
        onStarted();
      },
    },
  );
  return { controller, started, done };
}

describe('defaultPoolSize', () => {
  it('leaves a core to main, keeps at least one worker and at most four', () => {
    expect([1, 2, 3, 4, 5, 8, 64].map((cpus) => defaultPoolSize(cpus))).toEqual([1, 1, 2, 3, 4, 4, 4]);
    expect(defaultPoolSize()).toBeGreaterThanOrEqual(1);
  });

  it('rejects a nonsensical size', () => {
    expect(() => createWorkerPool({ workerFile, size: 0 })).toThrow(RangeError);
  });
});

describe('createWorkerPool', () => {
  it('runs a job, reports progress and returns the transferred columns intact', async () => {
    const progress: number[] = [];
    const dataset = await pool(1).run({ mode: 'ok', name: 'a.csv' }, { onProgress: (f) => progress.push(f) });
    expect(progress).toEqual([0.5, 1]);
    expect(dataset.rowCount).toBe(3);
    expect(dataset.columns.timeS).toBeInstanceOf(Float64Array);
    expect([...dataset.columns.timeS]).toEqual([0, 1.5, 3]);
    expect((dataset.meta as unknown as FakeMeta).name).toBe('a.csv');
  });

  it('runs jobs in parallel up to its size and queues the rest', async () => {
    const p = pool(2);
    const first = startWaiting(p, 'first.csv');
    const second = startWaiting(p, 'second.csv');
    await Promise.all([first.started, second.started]);
    let isThirdDone = false;
    const third = p.run({ mode: 'ok', name: 'third.csv' }).finally(() => (isThirdDone = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isThirdDone).toBe(false);
    first.controller.abort();
    await expect(first.done).rejects.toMatchObject({ name: 'ImportError', code: 'aborted' });
    expect((await meta(third)).name).toBe('third.csv');
    second.controller.abort();
    await expect(second.done).rejects.toMatchObject({ name: 'ImportError', code: 'aborted' });
  });

  it('cancels a running job through the worker and drops a queued one', async () => {
    const p = pool(1);
    const running = startWaiting(p, 'running.csv');
    await running.started;
    const queuedController = new AbortController();
    const queued = p.run({ mode: 'ok', name: 'queued.csv' }, { signal: queuedController.signal });
    const after = p.run({ mode: 'ok', name: 'after.csv' });

    queuedController.abort();
    await expect(queued).rejects.toMatchObject({ name: 'ImportError', code: 'aborted', message: 'queued.csv: import cancelled.' });
    running.controller.abort();
    await expect(running.done).rejects.toMatchObject({ name: 'ImportError', code: 'aborted', message: 'running.csv: import cancelled.' });

    // The same worker ran the next job once it acknowledged: it saw exactly one cancel.
    expect(await meta(after)).toMatchObject({ name: 'after.csv', cancels: 1 });
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(pool(1).run({ mode: 'ok', name: 'a.csv' }, { signal: controller.signal })).rejects.toMatchObject({
      name: 'ImportError',
      code: 'aborted',
    });
  });

  it('replaces a worker that ignores a cancel', async () => {
    const p = pool(1, 50);
    const before = await meta(p.run({ mode: 'ok', name: 'a.csv' }));
    const stuck = startWaiting(p, 'stuck.csv', 'hang');
    await stuck.started;
    stuck.controller.abort();
    await expect(stuck.done).rejects.toMatchObject({ code: 'aborted' });
    const after = await meta(p.run({ mode: 'ok', name: 'b.csv' }));
    expect(after.threadId).not.toBe(before.threadId);
  });

  it('rebuilds a worker error with its name and code', async () => {
    const error = await pool(1)
      .run({ mode: 'fail', name: 'odd.txt' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({
      name: 'ImportError',
      code: 'unrecognised-format',
      message: 'odd.txt: not a recognised instrument file.',
    });
  });

  it('rejects the job of a crashing worker and keeps working with a new one', async () => {
    const p = pool(1);
    const before = await meta(p.run({ mode: 'ok', name: 'a.csv' }));
    await expect(p.run({ mode: 'throw', name: 'crash.csv' })).rejects.toThrow('Import worker crashed while importing crash.csv: boom');
    await expect(p.run({ mode: 'exit', name: 'exit.csv' })).rejects.toThrow(
      /stopped unexpectedly \(exit code 3\) while importing exit\.csv/,
    );
    const after = await meta(p.run({ mode: 'ok', name: 'b.csv' }));
    expect(after.threadId).not.toBe(before.threadId);
  });

  it('fails jobs clearly when the worker file is missing', async () => {
    await expect(pool(1, undefined, join(dir, 'missing.cjs')).run({ mode: 'ok', name: 'a.csv' })).rejects.toThrow(
      /Import worker crashed while importing a\.csv: Cannot find module/,
    );
    await expect(pool(1, undefined, 'relative.js').run({ mode: 'ok', name: 'a.csv' })).rejects.toThrow(/Import worker could not start/);
  });

  it('rejects pending and later jobs once closed', async () => {
    const p = pool(1);
    const running = startWaiting(p, 'running.csv');
    await running.started;
    const queued = p.run({ mode: 'ok', name: 'queued.csv' });
    const outcomes = Promise.allSettled([running.done, queued]);
    await p.close();
    for (const outcome of await outcomes)
      expect(outcome).toMatchObject({ status: 'rejected', reason: { message: 'The import worker pool is closed.' } });
    await expect(p.run({ mode: 'ok', name: 'late.csv' })).rejects.toThrow('The import worker pool is closed.');
  });
});

/**
 * A stand-in for the analysis worker: 'analyze' requests; `sum` adds the transferred values,
 * `spin` blocks its thread (as a synchronous analysis does) until the shared cancel flag is set.
 */
const FAKE_ANALYSIS_WORKER = String.raw`
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (message) => {
  if (message.type !== 'analyze') return;
  const { seq, payload, cancelFlag } = message;
  if (payload.mode === 'sum') {
    let sum = 0;
    for (const v of payload.values) sum += v;
    parentPort.postMessage({ seq, type: 'result', payload: { kind: 'sum', sum, hasFlag: cancelFlag instanceof Int32Array } });
    return;
  }
  parentPort.postMessage({ seq, type: 'progress', payload: { fraction: 0.1 } });
  const started = Date.now();
  while (Atomics.load(cancelFlag, 0) === 0) {
    if (Date.now() - started > 5000) {
      parentPort.postMessage({ seq, type: 'result', payload: { kind: 'never cancelled' } });
      return;
    }
  }
  parentPort.postMessage({ seq, type: 'error', payload: { name: 'GittError', message: payload.name + ': GITT analysis cancelled.', code: 'aborted' } });
});
`;

interface FakeAnalysisPayload {
  mode: 'sum' | 'spin';
  name: string;
  values: Float64Array;
}

describe('createWorkerPool for analyses', () => {
  const analysisFile = join(dir, 'fake-analysis.worker.cjs');
  writeFileSync(analysisFile, FAKE_ANALYSIS_WORKER);
  const analysisPool = (cancelGraceMs?: number) => {
    const created = createWorkerPool<FakeAnalysisPayload, { kind: string; sum?: number; hasFlag?: boolean }>({
      workerFile: analysisFile,
      size: 1,
      requestType: 'analyze',
      hasCancelFlag: true,
      cancelGraceMs,
      describeJob: (p) => p.name,
      transferOf: (p) => [p.values.buffer as ArrayBuffer],
    });
    pools.push(created as unknown as WorkerPool<FakePayload, Dataset>);
    return created;
  };

  it('moves the payload buffers into the worker and returns its result', async () => {
    const values = new Float64Array([1, 2, 3.5]);
    const result = await analysisPool().run({ mode: 'sum', name: 'a', values });
    expect(result).toEqual({ kind: 'sum', sum: 6.5, hasFlag: true });
    // Transferred, not copied: the sender's view is detached.
    expect(values.length).toBe(0);
  });

  it('cancels a job that blocks its thread through the shared flag, and the worker serves the next job', async () => {
    const p = analysisPool(10_000);
    const controller = new AbortController();
    let onStarted!: () => void;
    const started = new Promise<void>((resolve) => (onStarted = resolve));
    const running = p.run(
      { mode: 'spin', name: 'gitt.csv', values: new Float64Array(1) },
      { signal: controller.signal, onProgress: () => onStarted() },
    );
    await started;
    controller.abort();
    await expect(running).rejects.toMatchObject({ name: 'ImportError', code: 'aborted', message: 'gitt.csv: analysis cancelled.' });
    // Well inside the 10 s grace: the worker saw the flag, acknowledged, and is free again.
    const t0 = Date.now();
    expect(await p.run({ mode: 'sum', name: 'next', values: new Float64Array([4]) })).toMatchObject({ sum: 4 });
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
