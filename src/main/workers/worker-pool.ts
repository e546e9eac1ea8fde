/**
 * A small pool of worker_threads running one worker file that speaks the worker envelope
 * (`{seq, type, payload}`, see worker-protocol.ts): imports (the default) or analyses. One job per
 * worker at a time; extra jobs wait in a FIFO queue.
 *
 *   run -> queue -> idle (or new) worker -> progress* -> result | error -> next queued job
 *
 * Workers start lazily, up to the pool size, and a crashed worker is simply dropped: the next job
 * starts a fresh one. That keeps a broken worker file from turning into a respawn loop.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ImportedDataset } from '@shared/formats/import-dataset';
import { ImportError } from '@shared/formats/import-error';
import { RemoteError, type WorkerRequest, type WorkerResponse } from '@shared/ipc/worker-protocol';

/** Upper bound on workers: imports are I/O-bound past a few threads and each holds a parser's memory. */
export const MAX_POOL_SIZE = 4;

/** How long a cancelled worker may take to acknowledge before it is terminated and replaced. */
export const CANCEL_GRACE_MS = 5_000;

/** The words of a pool's error messages, so an analysis failure does not read as an import one. */
interface JobWords {
  readonly worker: string;
  readonly doing: string;
  readonly cancelled: string;
}

const JOB_WORDS: Readonly<Record<'import' | 'analyze', JobWords>> = {
  import: { worker: 'Import worker', doing: 'importing', cancelled: 'import cancelled.' },
  analyze: { worker: 'Analysis worker', doing: 'analysing', cancelled: 'analysis cancelled.' },
};

export interface WorkerPoolOptions<TPayload> {
  /** Absolute path of the built worker entry (a .js file worker_threads can load). */
  readonly workerFile: string;
  /** Number of workers; defaults to {@link defaultPoolSize}. */
  readonly size?: number;
  /** Short name of a job for error messages, e.g. the file name. */
  readonly describeJob?: (payload: TPayload) => string;
  readonly cancelGraceMs?: number;
  /** The envelope's request type the worker serves; 'import' by default. */
  readonly requestType?: 'import' | 'analyze';
  /** Buffers of a payload to move into the worker rather than copy (e.g. a dataset's columns). */
  readonly transferOf?: (payload: TPayload) => ArrayBuffer[];
  /**
   * Give each job a shared-memory cancel flag (`cancelFlag` of the envelope, see AnalyzeRequest):
   * a synchronous job cannot read the 'cancel' message until it ends, but it reads the flag mid-loop.
   */
  readonly hasCancelFlag?: boolean;
}

export interface RunOptions {
  readonly onProgress?: (fraction: number) => void;
  readonly signal?: AbortSignal;
}

export interface WorkerPool<TPayload, TResult = ImportedDataset> {
  /** Number of workers the pool may run at once. */
  readonly size: number;
  /**
   * Runs one job. Rejects with the worker's error (rebuilt as RemoteError, name and code kept),
   * with an ImportError of code `aborted` when `signal` aborts, or with an Error saying the worker
   * crashed.
   */
  run(payload: TPayload, options?: RunOptions): Promise<TResult>;
  /** Rejects pending jobs and terminates every worker. */
  close(): Promise<void>;
}

/**
 * Workers for `cpus` logical processors: one is left to the main process (UI and IPC), at least
 * one, at most {@link MAX_POOL_SIZE}.
 */
export function defaultPoolSize(cpus: number = availableParallelism()): number {
  return Math.min(MAX_POOL_SIZE, Math.max(1, cpus - 1));
}

interface Job<TPayload, TResult> {
  readonly seq: number;
  readonly payload: TPayload;
  readonly options: RunOptions;
  /** Set to 1 on cancel, when the pool has cancel flags. */
  readonly cancelFlag?: Int32Array;
  readonly resolve: (result: TResult) => void;
  readonly reject: (error: Error) => void;
  isSettled: boolean;
  removeAbortListener?: () => void;
}

interface Slot<TPayload, TResult> {
  readonly worker: Worker;
  job?: Job<TPayload, TResult>;
  /** Set once the worker is known dead or being terminated; its events are then ignored. */
  isRetired: boolean;
  cancelTimer?: NodeJS.Timeout;
}

function isWorkerResponse(message: unknown): message is WorkerResponse<unknown> {
  if (typeof message !== 'object' || message === null) return false;
  const { seq, type } = message as { seq?: unknown; type?: unknown };
  return typeof seq === 'number' && (type === 'progress' || type === 'result' || type === 'error');
}

/** Starts a pool running `options.workerFile`; see {@link WorkerPool}. */
export function createWorkerPool<TPayload, TResult = ImportedDataset>(options: WorkerPoolOptions<TPayload>): WorkerPool<TPayload, TResult> {
  const size = options.size ?? defaultPoolSize();
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`worker pool size must be a positive integer, got ${String(size)}`);
  const cancelGraceMs = options.cancelGraceMs ?? CANCEL_GRACE_MS;
  const describe = (payload: TPayload): string => options.describeJob?.(payload) ?? 'job';
  const requestType = options.requestType ?? 'import';
  const words = JOB_WORDS[requestType];
  type PoolJob = Job<TPayload, TResult>;
  type PoolSlot = Slot<TPayload, TResult>;

  const slots = new Set<PoolSlot>();
  const queue: PoolJob[] = [];
  let nextSeq = 1;
  let isClosed = false;

  const settle = (job: PoolJob, outcome: { result: TResult } | { error: Error }): void => {
    if (job.isSettled) return;
    job.isSettled = true;
    job.removeAbortListener?.();
    if ('result' in outcome) job.resolve(outcome.result);
    else job.reject(outcome.error);
  };

  const abortError = (job: PoolJob): ImportError => new ImportError('aborted', describe(job.payload), words.cancelled);

  /** Frees a slot whose worker answered its job, and hands it the next queued job. */
  const release = (slot: PoolSlot): void => {
    clearTimeout(slot.cancelTimer);
    slot.cancelTimer = undefined;
    slot.job = undefined;
    // An idle worker must not keep a CLI process alive.
    slot.worker.unref();
    pump();
  };

  /** Takes a slot out of service (crash, hang or close), failing its job with `error`. */
  const retire = (slot: PoolSlot, error: Error): Promise<unknown> => {
    if (slot.isRetired) return Promise.resolve();
    slot.isRetired = true;
    slots.delete(slot);
    clearTimeout(slot.cancelTimer);
    if (slot.job) settle(slot.job, { error });
    slot.job = undefined;
    const terminated = slot.worker.terminate();
    pump();
    return terminated;
  };

  const onMessage = (slot: PoolSlot, message: unknown): void => {
    const job = slot.job;
    if (slot.isRetired || !job || !isWorkerResponse(message) || message.seq !== job.seq) return;
    switch (message.type) {
      case 'progress':
        if (!job.isSettled) job.options.onProgress?.(message.payload.fraction);
        return;
      case 'result':
        settle(job, { result: message.payload as TResult });
        release(slot);
        return;
      case 'error':
        settle(job, { error: new RemoteError(message.payload) });
        release(slot);
        return;
    }
  };

  const spawn = (): PoolSlot => {
    const worker = new Worker(options.workerFile);
    const slot: PoolSlot = { worker, isRetired: false };
    const jobName = (): string => (slot.job ? ` while ${words.doing} ${describe(slot.job.payload)}` : '');
    worker.on('message', (message: unknown) => {
      onMessage(slot, message);
    });
    worker.on('messageerror', (error: Error) => {
      void retire(slot, new Error(`${words.worker} sent a message that could not be read${jobName()}: ${error.message}`));
    });
    worker.on('error', (error: Error) => {
      void retire(slot, new Error(`${words.worker} crashed${jobName()}: ${error.message}`));
    });
    worker.on('exit', (code: number) => {
      void retire(slot, new Error(`${words.worker} stopped unexpectedly (exit code ${String(code)})${jobName()}.`));
    });
    slots.add(slot);
    return slot;
  };

  const cancel = (job: PoolJob): void => {
    if (job.isSettled) return;
    const queued = queue.indexOf(job);
    if (queued >= 0) queue.splice(queued, 1);
    settle(job, { error: abortError(job) });
    if (job.cancelFlag) Atomics.store(job.cancelFlag, 0, 1);
    const slot = [...slots].find((s) => s.job === job);
    if (!slot) return;
    // The worker stays busy until it acknowledges, so the next job never shares it with a
    // half-cancelled import; a worker that never answers (a stuck read) is replaced.
    const request: WorkerRequest<TPayload> = { seq: nextSeq++, type: 'cancel', payload: { target: job.seq } };
    slot.worker.postMessage(request);
    slot.cancelTimer = setTimeout(() => {
      void retire(slot, abortError(job));
    }, cancelGraceMs);
  };

  function pump(): void {
    while (!isClosed && queue.length > 0) {
      let slot = [...slots].find((s) => !s.job);
      if (!slot && slots.size < size) {
        try {
          slot = spawn();
        } catch (error) {
          // A bad worker path fails every job the same way; fail them now rather than hang.
          const reason = error instanceof Error ? error.message : String(error);
          for (const job of queue.splice(0)) settle(job, { error: new Error(`${words.worker} could not start: ${reason}`) });
          return;
        }
      }
      const job = slot && queue.shift();
      if (!slot || !job) return;
      const request = { seq: job.seq, type: requestType, payload: job.payload, ...(job.cancelFlag ? { cancelFlag: job.cancelFlag } : {}) };
      try {
        slot.worker.postMessage(request, options.transferOf?.(job.payload) ?? []);
      } catch (error) {
        // A payload that cannot be cloned fails its own job only; the worker stays free.
        settle(job, { error: error instanceof Error ? error : new Error(String(error)) });
        continue;
      }
      slot.job = job;
      slot.worker.ref();
    }
  }

  return {
    size,
    run(payload, runOptions = {}) {
      return new Promise<TResult>((resolve, reject) => {
        const cancelFlag = options.hasCancelFlag ? new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)) : undefined;
        const job: PoolJob = { seq: nextSeq++, payload, options: runOptions, cancelFlag, resolve, reject, isSettled: false };
        if (isClosed) {
          reject(new Error(`The ${requestType === 'import' ? 'import' : 'analysis'} worker pool is closed.`));
          return;
        }
        const { signal } = runOptions;
        if (signal?.aborted) {
          reject(abortError(job));
          return;
        }
        if (signal) {
          const onAbort = (): void => {
            cancel(job);
          };
          signal.addEventListener('abort', onAbort, { once: true });
          job.removeAbortListener = () => {
            signal.removeEventListener('abort', onAbort);
          };
        }
        queue.push(job);
        pump();
      });
    },
    async close() {
      isClosed = true;
      const closed = new Error(`The ${requestType === 'import' ? 'import' : 'analysis'} worker pool is closed.`);
      for (const job of queue.splice(0)) settle(job, { error: closed });
      await Promise.all([...slots].map((slot) => retire(slot, closed)));
    },
  };
}
