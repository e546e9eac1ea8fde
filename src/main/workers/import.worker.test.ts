import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { columnBuffers, type Dataset } from '@shared/model/dataset';
import type { WorkerResponse } from '@shared/ipc/worker-protocol';
import { generateAsymmetricCell } from '@shared/synth/asymmetric-cell';
import { formatNewareCsv } from '@shared/synth/neware-csv-writer';
import { attachImportEndpoint, type ImportWorkerPort } from './import.worker';

// Importing the entry must not attach to the test runner's own port.
vi.mock('node:worker_threads', () => ({ parentPort: null }));

const dir = mkdtempSync(join(tmpdir(), 'interphase-import-worker-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A port that records what the endpoint posts and lets the test send requests. */
function fakePort() {
  let listener: ((message: unknown) => void) | undefined;
  const posted: { message: WorkerResponse; transfer: readonly ArrayBuffer[] }[] = [];
  const waiters: (() => void)[] = [];
  const port: ImportWorkerPort = {
    on: (_event, l) => (listener = l),
    postMessage: (message, transfer) => {
      posted.push({ message: message as WorkerResponse, transfer });
      waiters.splice(0).forEach((w) => {
        w();
      });
    },
  };
  const send = (message: unknown): void => listener?.(message);
  /** Resolves with the final message (result or error) for `seq`. */
  const settled = async (seq: number): Promise<{ message: WorkerResponse; transfer: readonly ArrayBuffer[] }> => {
    for (;;) {
      const found = posted.find((p) => p.message.seq === seq && p.message.type !== 'progress');
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { port, posted, send, settled };
}

describe('import worker entry', () => {
  it('imports a file from disk and transfers the column buffers', async () => {
    const path = join(dir, 'cell.csv');
    writeFileSync(path, formatNewareCsv(generateAsymmetricCell()));
    const { port, posted, send, settled } = fakePort();
    attachImportEndpoint(port);
    send({ seq: 1, type: 'import', payload: { path } });
    const { message, transfer } = await settled(1);

    expect(message.type).toBe('result');
    const dataset = message.payload as Dataset;
    expect(dataset.rowCount).toBeGreaterThan(0);
    expect(dataset.meta.source.fileName).toBe('cell.csv');
    expect(transfer.length).toBeGreaterThanOrEqual(5);
    expect(transfer).toEqual(columnBuffers(dataset));
    expect(posted.filter((p) => p.message.type === 'progress').at(-1)?.message.payload).toEqual({ fraction: 1 });
  });

  it('answers a missing file with a serialised ImportError', async () => {
    const { port, send, settled } = fakePort();
    attachImportEndpoint(port);
    send({ seq: 2, type: 'import', payload: { path: join(dir, 'missing.csv') } });
    const { message, transfer } = await settled(2);
    expect(message).toEqual({
      seq: 2,
      type: 'error',
      payload: { name: 'ImportError', code: 'read-failed', message: 'missing.csv: no such file.' },
    });
    expect(transfer).toEqual([]);
  });

  it('ignores messages that are not requests', () => {
    const { port, posted, send } = fakePort();
    attachImportEndpoint(port);
    for (const junk of [
      null,
      'import',
      { seq: 1, type: 'import' },
      { seq: '1', type: 'import', payload: { path: '/a' } },
      { seq: 1, type: 'cancel', payload: {} },
    ])
      send(junk);
    expect(posted).toEqual([]);
  });
});
