/**
 * The analysis endpoint on real files (../shared/data/real, MANIFEST.md), as a worker receives them:
 * the dataset copied and moved across a structured-clone boundary with its transfer list, the kind
 * chosen by `auto`. Reference values: MANIFEST.md (cellpy's GITT example).
 */
import { describe, expect, it } from 'vitest';
import type { GittResult } from '../analysis/gitt';
import type { ImportedDataset } from '../formats/import-dataset';
import { datasetFromArbinConverted } from '../test-support/arbin-converted';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON } from '../test-support/real-data';
import { copyImportedDataset, createAnalysisEndpoint, datasetBuffers } from './analysis-endpoint';
import type { AnalysisRequest, AnalysisResult, WorkerResponse } from './worker-protocol';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

/** cellpy docs/examples/05_GITT.md: potential_last of the first five charge rests (step 3), V. */
const CELLPY_OCV_V = [3.487564, 3.49432, 3.499848, 3.505991, 3.513054];

/** Sends `request` as a host would: a copy of the columns, transferred, then served by the endpoint. */
function analyseAcrossBoundary(request: AnalysisRequest): WorkerResponse<AnalysisResult> {
  const dataset = copyImportedDataset(request.dataset);
  const received = structuredClone({ ...request, dataset }, { transfer: datasetBuffers(dataset) });
  const posted: WorkerResponse<AnalysisResult>[] = [];
  createAnalysisEndpoint({ post: (message) => posted.push(message) })({ seq: 1, type: 'analyze', payload: received });
  return posted.at(-1)!;
}

describeReal('analysis endpoint on the real Arbin GITT run 20210210_FC_01_cc_03', () => {
  it('auto picks GITT and the worker result meets the cellpy references', () => {
    const dataset: ImportedDataset = datasetFromArbinConverted('gitt/20210210_FC_01_cc_03.res.converted.csv.gz');
    const answer = analyseAcrossBoundary({ kind: 'auto', dataset, params: { activeMassG: 0.02264, areaCm2: 1 } });
    expect(answer.type).toBe('result');
    const result = answer.payload as GittResult;
    expect(result.kind).toBe('gitt');
    const charge = result.pulses.filter((p) => p.direction === 'charge');
    expect([charge.length, result.pulses.length - charge.length]).toEqual([93, 94]);
    const ocvGaps = charge.slice(0, 5).map((p, k) => Math.abs(p.relaxedVoltage_V - CELLPY_OCV_V[k]));
    const lastChargeGapAh = Math.abs(result.pulses[92].arealCapacity_mAh_cm2 / 1000 - 0.003358);
    const finalRestGapV = Math.abs(result.pulses[186].relaxedVoltage_V - 3.22898);
    expect(Math.max(...ocvGaps)).toBeLessThan(1e-5);
    expect(lastChargeGapAh).toBeLessThan(1e-6);
    expect(finalRestGapV).toBeLessThan(1e-5);
  });
});
