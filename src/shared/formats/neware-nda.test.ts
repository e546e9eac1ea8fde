/**
 * NEWARE .nda on synthetic bytes built here (version 22 layout: header pointer at byte 64, 86-byte records):
 * analytic records (−2 mA for 1800 s is 1 mAh of discharge), and damaged input — truncation at many
 * offsets, random bytes after the NEWARE magic, unknown versions — as ImportErrors, never another exception.
 */
import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { createSeededRandom } from '../synth/seeded-random';
import type { ParsedCycling } from './binary-format';
import { isImportError } from './import-error';
import { NEWARE_NDA } from './neware-nda';
import { describeError, errorOf } from '../test-support/errors';

const HEADER_BYTES = 512;
const RECORD_BYTES = 86;
const RANGE_MA = 10; // current range 10 mA -> current stored in µA (multiplier 1e-3)
const START_UNIX_S = 1_444_793_310; // 2015-10-14 03:28:30 UTC
const REST_RECORDS = 5;
const DISCHARGE_S = 1800;
const INTERVAL_S = 10;
const DISCHARGE_MA = -2;

/** A version-22 .nda: rest records, then a CC discharge at −2 mA logged every 10 s. */
function syntheticNda(): Uint8Array {
  const rows: { stepIndex: number; code: number; stepTimeMs: number; v: number; iMA: number; dchgMAs: number; unixS: number }[] = [];
  for (let k = 0; k < REST_RECORDS; k++)
    rows.push({
      stepIndex: 1,
      code: 4,
      stepTimeMs: k * INTERVAL_S * 1000,
      v: 1.8105,
      iMA: 0,
      dchgMAs: 0,
      unixS: START_UNIX_S + k * INTERVAL_S,
    });
  for (let t = 0; t <= DISCHARGE_S; t += INTERVAL_S) {
    rows.push({
      stepIndex: 2,
      code: 2,
      stepTimeMs: t * 1000,
      v: 1.7,
      iMA: DISCHARGE_MA,
      dchgMAs: -DISCHARGE_MA * t,
      unixS: START_UNIX_S + (REST_RECORDS - 1) * INTERVAL_S + t,
    });
  }
  const bytes = new Uint8Array(HEADER_BYTES + RECORD_BYTES * (rows.length + 1));
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode('NEWARE20151015'), 0);
  bytes[14] = 22;
  view.setUint32(16, 256, true);
  view.setInt32(256 + 26, RANGE_MA, true);
  view.setUint32(64, HEADER_BYTES, true);
  view.setUint32(68, RECORD_BYTES * (rows.length + 1), true);
  bytes[HEADER_BYTES] = 0xaa; // the block's leading non-data record
  rows.forEach((r, k) => {
    const at = HEADER_BYTES + RECORD_BYTES * (k + 1);
    bytes[at] = 85;
    view.setUint32(at + 2, k + 1, true);
    view.setUint16(at + 10, r.stepIndex, true);
    bytes[at + 12] = r.code;
    bytes[at + 13] = r.stepIndex;
    view.setUint32(at + 14, r.stepTimeMs, true);
    view.setInt32(at + 22, Math.round(r.v * 1e4), true);
    view.setInt32(at + 26, Math.round(r.iMA * 1e3), true);
    view.setUint32(at + 46, Math.round(r.dchgMAs * 1e3), true);
    view.setUint32(at + 70, r.unixS, true);
    view.setInt32(at + 78, RANGE_MA, true);
  });
  return bytes;
}

const parse = (bytes: Uint8Array, fileName = 'synthetic.nda') => NEWARE_NDA.parse(bytes, { fileName, services: {} }) as ParsedCycling;

describe('NEWARE .nda (synthetic version 22)', () => {
  const bytes = syntheticNda();
  const n = REST_RECORDS + DISCHARGE_S / INTERVAL_S + 1;

  it('reads records: time, −2 mA, 1 mAh after 1800 s, step types, cycle, start date', () => {
    expect(NEWARE_NDA.detect(bytes.subarray(0, 65_536), 'x.nda')).toBe(true);
    const parsed = parse(bytes);
    expect(parsed.rowCount).toBe(n);
    expect(parsed.instrument).toBe('NEWARE BTS .nda (version 22)');
    const { timeS, voltageV, currentMA, capacityMAh, step, stepType, cycle } = parsed.columns;
    expect(timeS[n - 1]).toBe((REST_RECORDS - 1) * INTERVAL_S + DISCHARGE_S);
    expect(voltageV[0]).toBeCloseTo(1.8105, 6);
    expect(currentMA[n - 1]).toBeCloseTo(DISCHARGE_MA, 6);
    expect(capacityMAh![n - 1]).toBeCloseTo(1, 6);
    expect(capacityMAh![REST_RECORDS + 90]).toBeCloseTo(0.5, 6);
    expect([step[0], step[n - 1]]).toEqual([1, 2]);
    expect([stepType[0], stepType[n - 1]]).toEqual([STEP_TYPE_CODE.rest, STEP_TYPE_CODE.cc_discharge]);
    expect(cycle![n - 1]).toBe(1);
    expect(parsed.startDateTime).toBe('2015-10-14 03:28:30');
    expect(parsed.warnings.map((w) => w.code)).toEqual(['start-time-utc']);
  });

  it('does not claim files without the NEWARE magic', () => {
    expect(NEWARE_NDA.detect(new TextEncoder().encode('NEWAR'), 'a.nda')).toBe(false);
    expect(NEWARE_NDA.detect(new Uint8Array([0x50, 0x4b, 3, 4]), 'a.nda')).toBe(false);
  });

  it('truncated inside a record keeps the whole records before the cut, with a warning', () => {
    const cut = HEADER_BYTES + RECORD_BYTES * 11 + 40;
    const parsed = parse(bytes.subarray(0, cut));
    expect(parsed.rowCount).toBe(10);
    expect(parsed.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['file-truncated', 'trailing-bytes']));
  });

  it('truncated at any of 60 offsets: records or an ImportError naming the file, never another exception', () => {
    for (let k = 0; k < 60; k++) {
      const cut = Math.floor((bytes.length * k) / 60);
      let parsed: ParsedCycling | undefined;
      const error = errorOf(() => (parsed = parse(bytes.subarray(0, cut), 'cut.nda')));
      if (error !== undefined) {
        expect(isImportError(error), `cut at ${cut}: ${describeError(error)}`).toBe(true);
        expect((error as Error).message.startsWith('cut.nda: ')).toBe(true);
      } else {
        expect(parsed!.rowCount).toBe(Math.floor((cut - HEADER_BYTES) / RECORD_BYTES) - 1);
      }
    }
  });

  it('random bytes after the NEWARE magic are an ImportError for every version byte tried', () => {
    const rng = createSeededRandom(130);
    for (const version of [8, 22, 29, 130, 3, 200]) {
      for (let trial = 0; trial < 5; trial++) {
        const garbage = new Uint8Array(4096);
        for (let k = 0; k < garbage.length; k++) garbage[k] = Math.floor(rng.uniform() * 256);
        garbage.set(new TextEncoder().encode('NEWARE'), 0);
        garbage[14] = version;
        const error = errorOf(() => parse(garbage, 'random.nda'));
        expect(isImportError(error), `version ${version}: ${describeError(error)}`).toBe(true);
      }
    }
  });

  it('names an unknown version and an unknown BTS 9 layout', () => {
    const v3 = bytes.slice();
    v3[14] = 3;
    const error = errorOf(() => parse(v3));
    expect(isImportError(error) && error.code).toBe('unsupported-format');
    expect((error as Error).message).toMatch(/^synthetic\.nda: .*version 3/);
    const bts9 = new Uint8Array(2048);
    bts9.set(new TextEncoder().encode('NEWARE'), 0);
    bts9[14] = 130;
    bts9[1024] = 7;
    const bts9Error = errorOf(() => parse(bts9));
    expect(isImportError(bts9Error) && bts9Error.code).toBe('unsupported-format');
  });

  it('a header without records is no-data-rows', () => {
    const headerOnly = bytes.slice(0, HEADER_BYTES + RECORD_BYTES);
    const error = errorOf(() => parse(headerOnly));
    expect(isImportError(error) && error.code).toBe('no-data-rows');
  });
});
