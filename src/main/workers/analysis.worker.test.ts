import { describe, expect, it, vi } from 'vitest';
import type { CyclingResultJson } from '@shared/analysis/analyze-cycling';
import type { GittResult } from '@shared/analysis/gitt';
import type { AnalysisResult, WorkerResponse } from '@shared/ipc/worker-protocol';
import { polarizationScenario, stableScenario } from '@shared/synth/cycling-scenarios';
import { generateGittRun } from '@shared/synth/gitt-run';
import { attachAnalysisEndpoint, type AnalysisWorkerPort } from './analysis.worker';

// Importing the entry must not attach to the test runner's own port.
vi.mock('node:worker_threads', () => ({ parentPort: null }));

type Response = WorkerResponse<AnalysisResult>;

/** A port that records what the endpoint posts; `onPost` may send messages back while a job runs. */
function fakePort(onPost?: (message: Response, send: (m: unknown) => void) => void) {
  let listener: ((message: unknown) => void) | undefined;
  const posted: { message: Response; transfer: readonly ArrayBuffer[] }[] = [];
  const send = (message: unknown): void => listener?.(message);
  const port: AnalysisWorkerPort = {
    on: (_event, l) => (listener = l),
    postMessage: (message, transfer) => {
      posted.push({ message: message as Response, transfer });
      onPost?.(message as Response, send);
    },
  };
  const final = (seq: number) => posted.filter((p) => p.message.seq === seq && p.message.type !== 'progress');
  return { port, posted, send, final };
}

describe('analysis worker entry', () => {
  it('analyses a cycling dataset and answers with the JSON result', () => {
    const { port, send, final, posted } = fakePort();
    attachAnalysisEndpoint(port);
    // The polarization scenario fails at cycle 8: the analysis must find it.
    send({ seq: 1, type: 'analyze', payload: { kind: 'cycling', dataset: polarizationScenario(8) } });
    const [answer] = final(1);
    expect(answer.message.type).toBe('result');
    const result = answer.message.payload as CyclingResultJson;
    expect(result.failure.class).toBe('polarization');
    expect(result.cycles.length).toBeGreaterThanOrEqual(8);
    expect(answer.transfer).toEqual([]);
    expect(posted.filter((p) => p.message.type === 'progress').at(-1)?.message.payload).toEqual({ fraction: 1 });
  });

  it('runs GITT with its parameters and stops on the shared cancel flag', () => {
    const run = generateGittRun({ pulsesPerRun: 10 });
    const params = { activeMaterialMol: run.truth.activeMaterialMol, areaCm2: run.truth.params.areaCm2 };
    const ok = fakePort();
    attachAnalysisEndpoint(ok.port);
    ok.send({ seq: 1, type: 'analyze', payload: { kind: 'gitt', dataset: run.dataset, params } });
    expect((ok.final(1)[0].message.payload as GittResult).pulses).toHaveLength(run.truth.pulses.length);

    const cancelFlag = new Int32Array(new SharedArrayBuffer(4));
    const cancelled = fakePort((message) => {
      if (message.type === 'progress') Atomics.store(cancelFlag, 0, 1);
    });
    attachAnalysisEndpoint(cancelled.port);
    cancelled.send({ seq: 2, type: 'analyze', payload: { kind: 'gitt', dataset: run.dataset, params }, cancelFlag });
    expect(cancelled.final(2)[0].message).toMatchObject({ type: 'error', payload: { name: 'GittError', code: 'aborted' } });
  });

  it('stops on a cancel message sent while the analysis reports progress', () => {
    let hasSent = false;
    const { port, send, final } = fakePort((message, reply) => {
      if (message.type === 'progress' && !hasSent) {
        hasSent = true;
        reply({ seq: 9, type: 'cancel', payload: { target: 3 } });
      }
    });
    attachAnalysisEndpoint(port);
    send({ seq: 3, type: 'analyze', payload: { kind: 'ccd', dataset: stableScenario() } });
    expect(final(3)[0].message).toMatchObject({ type: 'error', payload: { name: 'ImportError', code: 'aborted' } });
  });

  it('answers a malformed payload with an error naming the problem, and ignores non-requests', () => {
    const { port, posted, send, final } = fakePort();
    attachAnalysisEndpoint(port);
    for (const junk of [
      null,
      'analyze',
      { seq: 1, type: 'analyze' },
      { seq: '1', type: 'analyze', payload: {} },
      { seq: 1, type: 'cancel', payload: {} },
      { seq: 1, type: 'analyze', payload: {}, cancelFlag: [0] },
      { seq: 1, type: 'import', payload: { path: '/a.csv' } },
    ])
      send(junk);
    expect(posted).toEqual([]);
    send({
      seq: 4,
      type: 'analyze',
      payload: { kind: 'cycling', dataset: { meta: { name: 'x', source: { fileName: 'x' } }, rowCount: 1 } },
    });
    expect(final(4)[0].message).toEqual({
      seq: 4,
      type: 'error',
      payload: { name: 'ImportError', code: 'invalid-parameter', message: 'x: dataset.columns must be an object of typed arrays.' },
    });
  });
});
