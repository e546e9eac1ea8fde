/**
 * Every NEWARE .nda in ../shared/data/real/neware (versions 8, 22, 29, 130 as BTS 9.1 and BTS 9.0) against
 * its fastnda reference (BTSDA's own export of the same test, MANIFEST.md) with fastnda's tolerances:
 * voltage 6e-5 V, current 0.05 mA, total time 0.0101 s below 1800 s and 0.101 s beyond, |capacity| 6e-4 mAh,
 * Step Index / Step Type / Cycle Index equal (Cycle Index as stored or regenerated in fastnda's "auto"
 * mode), row counts equal.
 */
import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE, stepTypeFromLabel } from '../model/step-type';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON, readReal, readSimpleCsv } from '../test-support/real-data';
import type { ParsedCycling } from './binary-format';
import { isImportError } from './import-error';
import { NEWARE_NDA, decodeNda } from './neware-nda';
import { NEWARE_STEP_LABELS } from './neware-ndc';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

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

interface Agreement {
  rows: number;
  maxVoltageErrV: number;
  maxCurrentErrMA: number;
  maxTimeErrS: number;
  timeOutOfTolerance: number;
  maxCapacityErrMAh: number;
  stepIndexMismatches: number;
  stepTypeMismatches: number;
  labelMismatches: number;
  cycleMismatchesStored: number;
  cycleMismatchesAuto: number;
  maxTemperatureErrC: number;
}

/** Compares parsed columns (and the decoder's NEWARE step codes) with a fastnda reference CSV. */
function compare(parsed: ParsedCycling, stepCodes: Uint8Array, referenceCsv: string, temperatureColumn?: string): Agreement {
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
  const a: Agreement = {
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

function expectAgreement(a: Agreement, referenceRows: number): void {
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

function parseReal(name: string) {
  const bytes = readReal(`neware/${name}`);
  const started = performance.now();
  const parsed = NEWARE_NDA.parse(bytes, { fileName: name, services: {} }) as ParsedCycling;
  const elapsedMs = performance.now() - started;
  return { bytes, parsed, elapsedMs, stepCodes: decodeNda(bytes, name).records.stepCode };
}

/** Seconds between the start date-time and the reference's first Date (BTSDA writes local wall-clock time). */
function offsetFromReferenceS(startDateTime: string | undefined, referenceCsv: string): number {
  const firstDate = readSimpleCsv(referenceCsv).rows[0][9].slice(0, 19);
  return (Date.parse(`${firstDate.replace(' ', 'T')}Z`) - Date.parse(`${startDateTime!.replace(' ', 'T')}Z`)) / 1000;
}

const CASES: { file: string; reference: string; version: number; layout: RegExp; temperature?: string; hasCycle: boolean }[] = [
  { file: 'nda_v8.nda', reference: 'nda_v8.nda.reference.csv', version: 8, layout: /\.nda \(version 8\)$/, hasCycle: true },
  { file: 'nda_v22.nda', reference: 'nda_v22.nda.reference.csv', version: 22, layout: /\.nda \(version 22\)$/, hasCycle: true },
  {
    file: 'new_nda_file.nda',
    reference: 'new_nda_file.nda.reference.csv',
    version: 29,
    layout: /^NEWARE BTS 7\.6\.0\.301 \.nda \(version 29\)$/,
    hasCycle: true,
  },
  {
    file: 'TestFile.nda',
    reference: 'TestFile.nda.reference.csv',
    version: 130,
    layout: /^NEWARE BTS 9\.\S+ \.nda \(version 130\)$/,
    temperature: 'T1',
    hasCycle: true,
  },
  {
    file: '2-1-6_61_07005012.nda',
    reference: '2-1-6_61_07005012.nda.reference.csv.gz',
    version: 130,
    layout: /^NEWARE BTS 9\.\S+ \.nda \(version 130\)$/,
    hasCycle: false,
  },
];

describeReal('NEWARE .nda files in ../shared/data/real', () => {
  it.each(CASES)(
    '$file (version $version) matches its fastnda reference row by row',
    ({ file, reference, version, layout, temperature, hasCycle }) => {
      const { bytes, parsed, stepCodes, elapsedMs } = parseReal(file);
      expect(bytes[14]).toBe(version);
      expect(NEWARE_NDA.detect(bytes.subarray(0, 65_536), file)).toBe(true);
      expect(parsed.instrument).toMatch(layout);
      const referenceCsv = new TextDecoder().decode(readReal(`neware/${reference}`));
      const agreement = compare(parsed, stepCodes, referenceCsv, temperature);
      if (process.env.NEWARE_REPORT)
        console.warn(file, parsed.instrument, `${elapsedMs.toFixed(0)} ms`, JSON.stringify(agreement), JSON.stringify(parsed.warnings));
      expectAgreement(agreement, readSimpleCsv(referenceCsv).rows.length);
      expect(parsed.columns.cycle !== undefined).toBe(hasCycle);
      if (temperature) expect(agreement.maxTemperatureErrC).toBeLessThan(0.051);
      // Unix times are shown in UTC, calendar fields as written: a whole number of hours from BTSDA's local Date.
      const offsetS = offsetFromReferenceS(parsed.startDateTime, referenceCsv);
      expect(Math.abs(offsetS)).toBeLessThanOrEqual(14 * 3600);
      expect(Math.abs(offsetS / 3600 - Math.round(offsetS / 3600))).toBeLessThan(1.001 / 3600);
      if (version === 29) expect(offsetS).toBe(0);
    },
  );

  it.each(CASES)('$file cut at 25 offsets gives its leading records or an ImportError, never another exception', ({ file }) => {
    const bytes = readReal(`neware/${file}`);
    const whole = NEWARE_NDA.parse(bytes, { fileName: file, services: {} }) as ParsedCycling;
    for (let k = 1; k < 25; k++) {
      const cut = Math.floor((bytes.length * k) / 25);
      let parsed: ParsedCycling | undefined;
      let error: unknown;
      try {
        parsed = NEWARE_NDA.parse(bytes.subarray(0, cut), { fileName: file, services: {} }) as ParsedCycling;
      } catch (e) {
        error = e;
      }
      if (parsed) {
        expect(parsed.rowCount).toBeLessThanOrEqual(whole.rowCount);
        const last = parsed.rowCount - 1;
        expect(parsed.columns.voltageV[last]).toBe(whole.columns.voltageV[last]);
      } else expect(isImportError(error), `cut at ${cut}`).toBe(true);
    }
  });
});
