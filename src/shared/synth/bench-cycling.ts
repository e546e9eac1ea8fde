/**
 * The cycling dataset of `npm run bench` (analysis speed, import excluded): `rows` records of a
 * Li | SE | In cell at ±0.0785 mA, 2000-s half-cycles with 50-s rests, generated straight into columns.
 */
import type { Dataset } from '../model/dataset';
import { STEP_TYPE_CODE } from '../model/step-type';

/** Rows per half-cycle and per rest; one cycle = 2 half-cycles + 2 rests. */
const HALF_ROWS = 2000;
const REST_ROWS = 50;

/** A long plating/stripping record with rests, 1-s logging, built straight into typed arrays. */
export function buildBenchCyclingDataset(rows: number): Dataset {
  const timeS = new Float64Array(rows);
  const voltageV = new Float32Array(rows);
  const currentMA = new Float32Array(rows);
  const step = new Int32Array(rows);
  const stepType = new Uint8Array(rows);
  const cycleLength = 2 * (HALF_ROWS + REST_ROWS);
  for (let i = 0; i < rows; i++) {
    const k = i % cycleLength;
    timeS[i] = i; // 1-s logging
    step[i] = Math.floor(i / (HALF_ROWS + REST_ROWS));
    if (k < HALF_ROWS) {
      currentMA[i] = -0.0785;
      voltageV[i] = 0.6 + 0.001 * Math.sin(i);
      stepType[i] = STEP_TYPE_CODE.cc_discharge;
    } else if (k < HALF_ROWS + REST_ROWS || k >= 2 * HALF_ROWS + REST_ROWS) {
      voltageV[i] = 0.62;
      stepType[i] = STEP_TYPE_CODE.rest;
    } else {
      currentMA[i] = 0.0785;
      voltageV[i] = 0.64 + 0.001 * Math.sin(i);
      stepType[i] = STEP_TYPE_CODE.cc_charge;
    }
  }
  return {
    meta: {
      name: 'bench',
      source: { fileName: 'bench', sizeBytes: 0, sha256: '' },
      format: 'synthetic',
      instrument: 'bench',
      encoding: 'utf-8',
      sourceColumns: [],
      warnings: [],
    },
    rowCount: rows,
    columns: { timeS, voltageV, currentMA, step, stepType },
  };
}
