/**
 * Test-only stand-in for the Arbin `.res` reader (being written elsewhere): builds a Dataset from the
 * collector's `<file>.res.converted.csv.gz` (Channel_Normal_Table dumped with mdbtools, already sorted by
 * Data_Point; see ../shared/data/real/MANIFEST.md). Units as stored: Test_Time s, Current A,
 * Voltage V, capacities Ah. Current keeps Arbin's sign (+ charge), converted to mA; time is rebased to
 * the first record (DOMAIN.md). Arbin has no step-type column: the type follows the current's sign.
 */
import { readReal, readSimpleCsv } from './real-data';
import type { Dataset } from '../model/dataset';
import { STEP_TYPE_CODE } from '../model/step-type';

export function datasetFromArbinConverted(relPath: string): Dataset {
  const text = new TextDecoder('utf-8').decode(readReal(relPath));
  const { header, rows } = readSimpleCsv(text);
  const col = (name: string): number => {
    const k = header.indexOf(name);
    if (k < 0) throw new Error(`${relPath}: no column ${name} in ${header.join(',')}`);
    return k;
  };
  const [iTime, iStep, iCycle, iCurrent, iVoltage] = ['Test_Time', 'Step_Index', 'Cycle_Index', 'Current', 'Voltage'].map(col);
  const n = rows.length;
  const timeS = new Float64Array(n);
  const voltageV = new Float32Array(n);
  const currentMA = new Float32Array(n);
  const step = new Int32Array(n);
  const stepType = new Uint8Array(n);
  const cycle = new Int32Array(n);
  const t0 = Number(rows[0][iTime]);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    timeS[i] = Number(r[iTime]) - t0;
    voltageV[i] = Number(r[iVoltage]);
    const mA = Number(r[iCurrent]) * 1000;
    currentMA[i] = mA;
    step[i] = Number(r[iStep]);
    cycle[i] = Number(r[iCycle]);
    stepType[i] = mA > 0 ? STEP_TYPE_CODE.cc_charge : mA < 0 ? STEP_TYPE_CODE.cc_discharge : STEP_TYPE_CODE.rest;
  }
  return {
    meta: {
      name: relPath,
      source: { fileName: relPath, sizeBytes: 0, sha256: '' },
      format: 'arbin-converted-csv (test support)',
      instrument: 'Arbin (Channel_Normal_Table via mdbtools)',
      encoding: 'utf-8',
      sourceColumns: header.map((h) => ({ header: h, unit: '' })),
      warnings: [],
    },
    rowCount: n,
    columns: { timeS, voltageV, currentMA, step, stepType, cycle },
  };
}
