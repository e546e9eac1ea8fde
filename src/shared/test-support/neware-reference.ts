/**
 * Row-by-row comparison of a parsed NEWARE .nda/.ndax with its fastnda reference CSV (BTSDA's own export of
 * the same test, ../shared/data/real/MANIFEST.md) under fastnda's tolerances: voltage 6e-5 V, current
 * 0.05 mA, total time 0.0101 s below 1800 s and 0.101 s beyond, |capacity| 6e-4 mAh, Step Index / Step Type /
 * Cycle Index equal (Cycle Index as stored or regenerated in fastnda's "auto" mode), row counts equal.
 */
import { expect } from 'vitest';
import type { ParsedCycling } from '../formats/binary-format';
import { NEWARE_STEP_LABELS } from '../formats/neware-ndc';
import { STEP_TYPE_CODE, stepTypeFromLabel } from '../model/step-type';
import { readSimpleCsv } from './real-data';

const VOLTAGE_TOL_V = 6e-5;
const CURRENT_TOL_MA = 0.05;
const CAPACITY_TOL_MAH = 6e-4;

/** fastnda's total-time tolerance: BTSDA rounds to 10 ms below 1800 s and to 0.1 s beyond. */
const timeTolS = (totalTimeS: number) => (totalTimeS < 1800 ? 0.0101 : 0.101);

/** BTSDA labels compared as fastnda does: spaces = `_`, `Dchg` = `DChg`, `Pulse Step` = `Pulse`. */
const normaliseLabel = (label: string) =>
  label
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '_')
    .replace(/^pulse_step$/, 'pulse');

/** fastnda's "auto" cycle numbering: the first charge/discharge state decides; a cycle starts at every change into it. */
function autoCycles(labels: readonly string[]): Int32Array {
  const state = labels.map((l) => (/_chg$/.test(normaliseLabel(l)) ? 1 : /_dchg$/.test(normaliseLabel(l)) ? 0 : -1));
  const first = state.find((s) => s >= 0) ?? 0;
  const out = new Int32Array(labels.length);
  let cycle = 1;
  let previous = -1;
  state.forEach((s, i) => {
    if (s >= 0) {
      if (previous >= 0 && previous !== s && s === first) cycle++;
      previous = s;
    }
    out[i] = cycle;
  });
  return out;
}

export interface NewareAgreement {
  rows: number;
  maxVoltageErrV: number;
  maxCurrentErrMA: number;
  maxTimeErrS: number;
  timeOutOfTolerance: number;
  maxCapacityErrMAh: number;
  stepIndexMismatches: number;
  stepTypeMismatches: number;
  labelMismatches: number;
  /** Rows whose stored cycle differs from the reference (every row when the file stores no cycle column). */
  cycleMismatchesStored: number;
  cycleMismatchesAuto: number;
  maxTemperatureErrC: number;
}

/** Compares parsed columns (and the decoder's NEWARE step codes) with a fastnda reference CSV. */
export function compareWithNewareReference(
  parsed: ParsedCycling,
  stepCodes: Uint8Array,
  referenceCsv: string,
  temperatureColumn?: string,
): NewareAgreement {
  const reference = readSimpleCsv(referenceCsv);
  const col = (name: string) => {
    const k = reference.header.indexOf(name);
    if (k < 0) throw new Error(`reference has no ${name}`);
    return k;
  };
  const [cV, cI, cT, cQ, cStep, cType, cCycle] = [
    'Voltage(mV)',
    'Current(uA)',
    'Total Time',
    'Capacity(mAs)',
    'Step Index',
    'Step Type',
    'Cycle Index',
  ].map(col);
  const cTemp = temperatureColumn ? col(temperatureColumn) : -1;
  const { timeS, voltageV, currentMA, capacityMAh, step, stepType, cycle, temperatureC } = parsed.columns;
  const auto = autoCycles(Array.from(stepCodes, (code) => NEWARE_STEP_LABELS[code] ?? ''));
  const t0 = Number(reference.rows[0]?.[cT] ?? 0);
  const a: NewareAgreement = {
    rows: parsed.rowCount,
    maxVoltageErrV: 0,
    maxCurrentErrMA: 0,
    maxTimeErrS: 0,
    timeOutOfTolerance: 0,
    maxCapacityErrMAh: 0,
    stepIndexMismatches: 0,
    stepTypeMismatches: 0,
    labelMismatches: 0,
    cycleMismatchesStored: 0,
    cycleMismatchesAuto: 0,
    maxTemperatureErrC: 0,
  };
  reference.rows.forEach((row, i) => {
    a.maxVoltageErrV = Math.max(a.maxVoltageErrV, Math.abs(voltageV[i] - Number(row[cV]) / 1000));
    a.maxCurrentErrMA = Math.max(a.maxCurrentErrMA, Math.abs(currentMA[i] - Number(row[cI]) / 1000));
    const refTotal = Number(row[cT]);
    const dt = Math.abs(timeS[i] - (refTotal - t0));
    a.maxTimeErrS = Math.max(a.maxTimeErrS, dt);
    if (dt > timeTolS(refTotal)) a.timeOutOfTolerance++;
    const refQ = Math.abs(Number(row[cQ])) / 3600;
    const dq = Math.abs(capacityMAh![i] - refQ);
    if (dq > 1e-6 * refQ) a.maxCapacityErrMAh = Math.max(a.maxCapacityErrMAh, dq);
    if (step[i] !== Number(row[cStep])) a.stepIndexMismatches++;
    if (stepType[i] !== STEP_TYPE_CODE[stepTypeFromLabel(row[cType])]) a.stepTypeMismatches++;
    if (normaliseLabel(NEWARE_STEP_LABELS[stepCodes[i]] ?? '?') !== normaliseLabel(row[cType])) a.labelMismatches++;
    if (!cycle || cycle[i] !== Number(row[cCycle])) a.cycleMismatchesStored++;
    if (auto[i] !== Number(row[cCycle])) a.cycleMismatchesAuto++;
    if (cTemp >= 0) a.maxTemperatureErrC = Math.max(a.maxTemperatureErrC, Math.abs(temperatureC![i] - Number(row[cTemp])));
  });
  return a;
}

/** Expects every measure of `a` within fastnda's tolerances and the row count of the reference. */
export function expectNewareAgreement(a: NewareAgreement, referenceRows: number): void {
  expect(a.rows).toBe(referenceRows);
  expect(a.maxVoltageErrV).toBeLessThan(VOLTAGE_TOL_V);
  expect(a.maxCurrentErrMA).toBeLessThan(CURRENT_TOL_MA);
  expect(a.timeOutOfTolerance).toBe(0);
  expect(a.maxCapacityErrMAh).toBeLessThan(CAPACITY_TOL_MAH);
  expect(a.stepIndexMismatches).toBe(0);
  expect(a.stepTypeMismatches).toBe(0);
  expect(a.labelMismatches).toBe(0);
  expect(Math.min(a.cycleMismatchesStored, a.cycleMismatchesAuto)).toBe(0);
}

/** Seconds between the start date-time and the reference's first Date (BTSDA writes local wall-clock time). */
export function offsetFromReferenceS(startDateTime: string | undefined, referenceCsv: string): number {
  const firstDate = readSimpleCsv(referenceCsv).rows[0][9].slice(0, 19);
  return (Date.parse(`${firstDate.replace(' ', 'T')}Z`) - Date.parse(`${startDateTime!.replace(' ', 'T')}Z`)) / 1000;
}
