import { describe, expect, it } from 'vitest';
import { analyzeCycling, type CcdResultJson, type CyclingResultJson } from '../analysis/analyze-cycling';
import type { GittResult } from '../analysis/gitt';
import type { IndentationResult } from '../analysis/indentation';
import type { Dataset } from '../model/dataset';
import type { IndentationDataset } from '../model/indentation';
import { ccdScenario, stableScenario } from '../synth/cycling-scenarios';
import { generateGittRun } from '../synth/gitt-run';
import { generateIndentationCurve } from '../synth/indentation-curve';
import {
  analysisRequestProblem,
  copyImportedDataset,
  copyImportedDatasetInSlices,
  createAnalysisEndpoint,
  datasetBuffers,
  datasetByteLength,
} from './analysis-endpoint';
import { RemoteError, type AnalysisRequest, type AnalysisResult, type AnalyzeRequest, type WorkerResponse } from './worker-protocol';
import { syntheticIndentationDataset } from '../test-support/indentation-dataset';

type Response = WorkerResponse<AnalysisResult>;

/** An endpoint whose posts are recorded; `onPost` may react (e.g. cancel) while the analysis runs. */
function endpoint(onPost?: (message: Response, handle: ReturnType<typeof createAnalysisEndpoint>) => void) {
  const posted: Response[] = [];
  const handle = createAnalysisEndpoint({
    post: (message, transfer) => {
      expect(transfer).toEqual([]);
      posted.push(message);
      onPost?.(message, handle);
    },
  });
  const run = (seq: number, payload: AnalysisRequest, cancelFlag?: Int32Array): Response => {
    const request: AnalyzeRequest = cancelFlag ? { seq, type: 'analyze', payload, cancelFlag } : { seq, type: 'analyze', payload };
    handle(request);
    const final = posted.filter((m) => m.seq === seq && m.type !== 'progress');
    expect(final).toHaveLength(1);
    return final[0];
  };
  return { posted, handle, run };
}

function resultOf<T extends AnalysisResult>(response: Response): T {
  if (response.type !== 'result')
    throw new RemoteError(response.type === 'error' ? response.payload : { name: 'Error', message: 'progress' });
  return response.payload as T;
}

function indentationDataset(): { dataset: IndentationDataset; hardnessGPa: number; reducedModulusGPa: number } {
  const { curve } = generateIndentationCurve({ name: 'site 1' });
  return { dataset: syntheticIndentationDataset([curve]), hardnessGPa: 9.25, reducedModulusGPa: 69.6 };
}

describe('analysis endpoint', () => {
  it('runs a cycling analysis and streams progress up to 1, same numbers as a direct call', () => {
    const dataset = stableScenario();
    const { posted, run } = endpoint();
    const result = resultOf<CyclingResultJson>(run(1, { kind: 'cycling', dataset, cell: { cellType: 'asymmetric', areaCm2: 0.785 } }));
    expect(result.kind).toBe('cycling');
    // The scenario: 30 cycles at 0.1 mA/cm², 0.2 mAh/cm² each, never failing.
    expect(result.cycleCount).toBe(30);
    expect(result.currentDensity_mA_cm2).toBeCloseTo(0.1, 3);
    expect(result.arealCapacity_mAh_cm2).toBeCloseTo(0.2, 3);
    expect(result.failure.class).toBe('stable');
    expect(result).toEqual(analyzeCycling(dataset, { cellType: 'asymmetric', areaCm2: 0.785 }));
    const fractions = posted.filter((m) => m.type === 'progress').map((m) => m.payload.fraction);
    expect(fractions.length).toBeGreaterThan(2);
    expect(fractions.at(-1)).toBe(1);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
  });

  it('picks the kind under auto: CCD staircase, GITT run, indentation curves', () => {
    const { run } = endpoint();
    const ccd = resultOf<CcdResultJson>(run(1, { kind: 'auto', dataset: ccdScenario() }));
    expect(ccd.kind).toBe('ccd');
    // The staircase shorts at 0.8 mA/cm², after a stable 0.7.
    expect(ccd.ccd_mA_cm2).toBeCloseTo(0.8, 6);
    expect(ccd.lastStable_mA_cm2).toBeCloseTo(0.7, 6);

    const gittRun = generateGittRun({ noiseV: 0 });
    const params = { activeMaterialMol: gittRun.truth.activeMaterialMol, areaCm2: gittRun.truth.params.areaCm2 };
    const gitt = resultOf<GittResult>(run(2, { kind: 'auto', dataset: gittRun.dataset, params }));
    expect(gitt.kind).toBe('gitt');
    expect(gitt.pulses).toHaveLength(gittRun.truth.pulses.length);
    const worst = Math.max(...gitt.pulses.map((p) => Math.abs(p.D_cm2_s / gittRun.truth.pulses[p.index - 1].dCm2S - 1)));
    expect(worst).toBeLessThan(1e-3);

    const indent = indentationDataset();
    const ind = resultOf<IndentationResult>(run(3, { kind: 'auto', dataset: indent.dataset }));
    expect(ind.kind).toBe('indentation');
    expect(ind.curves[0].H_GPa).toBeCloseTo(indent.hardnessGPa, 2);
    expect(ind.curves[0].Er_GPa).toBeCloseTo(indent.reducedModulusGPa, 1);
  });

  it('stops a running analysis on a cancel message received mid-run', () => {
    let cancelsSent = 0;
    const { posted, run } = endpoint((message, handle) => {
      if (message.type === 'progress' && message.seq === 5 && cancelsSent++ === 0)
        handle({ seq: 6, type: 'cancel', payload: { target: 5 } });
    });
    const response = run(5, { kind: 'cycling', dataset: stableScenario() });
    expect(response).toMatchObject({ type: 'error', payload: { name: 'ImportError', code: 'aborted' } });
    expect(cancelsSent).toBe(1);
    // It stopped at the first abort check after the cancel, far from the end.
    expect(posted.filter((m) => m.type === 'progress').length).toBeLessThan(5);
  });

  it('stops on the shared cancel flag (the way a thread cancels a synchronous analysis)', () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const { posted, run } = endpoint((message) => {
      if (message.type === 'progress') Atomics.store(flag, 0, 1);
    });
    const gittRun = generateGittRun();
    const params = { activeMaterialMol: gittRun.truth.activeMaterialMol };
    const response = run(1, { kind: 'gitt', dataset: gittRun.dataset, params }, flag);
    expect(response).toMatchObject({ type: 'error', payload: { name: 'GittError', code: 'aborted' } });
    expect(posted.filter((m) => m.type === 'progress').length).toBeLessThan(gittRun.truth.pulses.length);
  });

  it('answers bad parameters with a serialised error, name and code kept', () => {
    const { run } = endpoint();
    const gittRun = generateGittRun({ pulsesPerRun: 4 });
    const noAmount = run(1, { kind: 'gitt', dataset: gittRun.dataset });
    expect(noAmount).toMatchObject({ type: 'error', payload: { name: 'GittError', code: 'invalid-parameter' } });
    const remote = new RemoteError((noAmount as Extract<Response, { type: 'error' }>).payload);
    expect(remote).toBeInstanceOf(Error);
    expect(remote.code).toBe('invalid-parameter');

    expect(run(2, { kind: 'cycling', dataset: stableScenario({ cycles: 2 }), params: { zeroCurrentFraction: 'high' } })).toMatchObject({
      type: 'error',
      payload: { name: 'ImportError', code: 'invalid-parameter' },
    });
    expect(
      run(3, { kind: 'cycling', dataset: stableScenario({ cycles: 2 }), cell: { cellType: 'asymmetric', areaCm2: -1 } }),
    ).toMatchObject({
      type: 'error',
      payload: { name: 'ImportError', code: 'invalid-parameter', message: expect.stringMatching(/areaCm2/) as unknown },
    });
    expect(run(4, { kind: 'indentation', dataset: indentationDataset().dataset, params: { nu: 0.7 } })).toMatchObject({
      type: 'error',
      payload: { name: 'IndentationAnalysisError' },
    });
    expect(run(5, { kind: 'indentation', dataset: stableScenario({ cycles: 2 }) })).toMatchObject({
      type: 'error',
      payload: { name: 'ImportError', code: 'invalid-parameter', message: expect.stringMatching(/not load–displacement/) as unknown },
    });
  });

  it('refuses malformed datasets before analysing, naming the problem', () => {
    const good = stableScenario({ cycles: 2 });
    const shortColumn: Dataset = { ...good, columns: { ...good.columns, voltageV: good.columns.voltageV.subarray(1) } };
    const wrongType = { ...good, columns: { ...good.columns, currentMA: Array.from(good.columns.currentMA) } };
    const noTime: Partial<Dataset['columns']> = { ...good.columns };
    delete noTime.timeS;
    const indent = indentationDataset().dataset;
    const badCurve = { ...indent, curves: [{ ...indent.curves[0], loadMN: indent.curves[0].loadMN.subarray(3) }] };
    const cases: [unknown, RegExp][] = [
      [null, /expected/],
      [{ kind: 'dqdv', dataset: good }, /kind must be/],
      [{ kind: 'cycling', dataset: { ...good, meta: {} } }, /meta/],
      [{ kind: 'cycling', dataset: shortColumn }, /voltageV has/],
      [{ kind: 'cycling', dataset: wrongType }, /currentMA must be a Float32Array/],
      [{ kind: 'cycling', dataset: { ...good, columns: noTime } }, /timeS must be a Float64Array/],
      [{ kind: 'cycling', dataset: { ...good, rowCount: -1 } }, /rowCount/],
      [{ kind: 'indentation', dataset: badCurve }, /curves\[0\]\.loadMN has/],
      [{ kind: 'cycling', dataset: good, params: [1] }, /params must be an object/],
      [{ kind: 'cycling', dataset: good, cell: 'full' }, /cell must be an object/],
    ];
    for (const [request, problem] of cases) expect(analysisRequestProblem(request), JSON.stringify(request)?.slice(0, 80)).toMatch(problem);
    expect(analysisRequestProblem({ kind: 'cycling', dataset: good })).toBeUndefined();
    expect(analysisRequestProblem({ kind: 'indentation', dataset: indent })).toBeUndefined();

    const { run } = endpoint();
    expect(run(1, { kind: 'cycling', dataset: shortColumn })).toMatchObject({
      type: 'error',
      payload: { name: 'ImportError', code: 'invalid-parameter', message: expect.stringMatching(/^stable.*voltageV has/) as unknown },
    });
  });

  it('copies a dataset so that transferring the copy leaves the original intact', () => {
    const original = stableScenario({ cycles: 2 });
    const copy = copyImportedDataset(original);
    const buffers = datasetBuffers(copy);
    expect(buffers.length).toBe(datasetBuffers(original).length);
    const received = structuredClone(copy, { transfer: buffers });
    expect(copy.columns.timeS.length).toBe(0);
    expect(original.columns.timeS.length).toBe(original.rowCount);
    expect(received.columns.timeS).toEqual(original.columns.timeS);
    expect(received.columns.voltageV).toEqual(original.columns.voltageV);

    const indent = indentationDataset().dataset;
    const indentCopy = copyImportedDataset(indent);
    structuredClone(indentCopy, { transfer: datasetBuffers(indentCopy) });
    expect(indentCopy.curves[0].depthNm.length).toBe(0);
    expect(indent.curves[0].depthNm.length).toBeGreaterThan(0);
    expect('timeS' in indentCopy.curves[0]).toBe('timeS' in indent.curves[0]);
  });
});

describe('copyImportedDatasetInSlices (a big dataset copied without blocking the page)', () => {
  it('equals copyImportedDataset, in fresh buffers, pausing between slices of at most sliceBytes', async () => {
    const dataset = stableScenario({ cycles: 3 });
    const sliceBytes = 4096;
    const copiedAt: number[] = [];
    let pauses = 0;
    const copy = await copyImportedDatasetInSlices(dataset, sliceBytes, () => {
      pauses++;
      copiedAt.push(pauses);
      return Promise.resolve();
    });
    expect(copy).toEqual(copyImportedDataset(dataset));
    const own = new Set(datasetBuffers(dataset));
    for (const buffer of datasetBuffers(copy)) expect(own.has(buffer)).toBe(false);
    // Every slice but the first follows a pause, and no slice is larger than sliceBytes.
    expect(pauses).toBeGreaterThanOrEqual(Math.ceil(datasetByteLength(dataset) / sliceBytes) - 1);
  });

  it('copies no more than sliceBytes between two pauses', async () => {
    const dataset = stableScenario({ cycles: 2 });
    const sliceBytes = 1000;
    // Every byte is copied by %TypedArray%.prototype.set: log its sizes between the pauses.
    const typedArrayPrototype = Object.getPrototypeOf(Int8Array.prototype) as { set: (source: ArrayLike<number>, offset?: number) => void };
    const set = typedArrayPrototype.set;
    const log: (number | 'pause')[] = [];
    typedArrayPrototype.set = function (this: unknown, source: ArrayLike<number>, offset?: number) {
      log.push((source as unknown as ArrayBufferView).byteLength);
      set.call(this, source, offset);
    };
    try {
      await copyImportedDatasetInSlices(dataset, sliceBytes, () => {
        log.push('pause');
        return Promise.resolve();
      });
    } finally {
      typedArrayPrototype.set = set;
    }
    const between = log
      .join(' ')
      .split('pause')
      .map((run) => run.trim().split(' ').filter(Boolean).map(Number));
    expect(between.flat().reduce((n, b) => n + b, 0)).toBe(datasetByteLength(dataset));
    for (const run of between) expect(run.reduce((n, b) => n + b, 0)).toBeLessThanOrEqual(sliceBytes);
  });

  it('refuses a slice size below one byte', async () => {
    await expect(copyImportedDatasetInSlices(stableScenario({ cycles: 2 }), 0, () => Promise.resolve())).rejects.toThrow(/sliceBytes/);
  });
});
