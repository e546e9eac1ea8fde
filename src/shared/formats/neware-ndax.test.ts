/**
 * NEWARE .ndax on synthetic bytes built here (NDC 14 members zipped with fflate): analytic records
 * (1 mA for 3600 s is 1 mAh, with runInfo rows only once a minute so the rest is carried forward),
 * detection against other ZIPs, and damaged input: truncation at many offsets, garbage members, a ZIP
 * without .ndc members — always an ImportError, never another exception.
 */
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { createSeededRandom } from '../synth/seeded-random';
import type { ParsedCycling } from './binary-format';
import { isImportError } from './import-error';
import { NEWARE_NDAX } from './neware-ndax';
import { describeError, errorOf } from '../test-support/errors';

const PAGE = 4096;
const DATA_START = 132;

/** An NDC (≥ 5) member: a 4096-byte file header (type, version) and pages of rows with their bitmask. */
function ndcMember(
  fileType: number,
  version: number,
  rowBytes: number,
  rows: readonly ((view: DataView, at: number) => void)[],
): Uint8Array {
  const rowsPerPage = Math.floor((PAGE - DATA_START - 1) / rowBytes);
  const pages = Math.ceil(rows.length / rowsPerPage);
  const bytes = new Uint8Array(PAGE * (1 + pages));
  bytes[0] = fileType;
  bytes[2] = version;
  const view = new DataView(bytes.buffer);
  rows.forEach((write, k) => {
    const page = PAGE * (1 + Math.floor(k / rowsPerPage));
    const r = k % rowsPerPage;
    bytes[page + 4 + (r >> 3)] |= 1 << (r & 7);
    view.setUint16(page + 2, view.getUint16(page + 2, true) + 1, true);
    write(view, page + DATA_START + r * rowBytes);
  });
  return bytes;
}

const START_UNIX_S = 1_700_000_000; // 2023-11-14 22:13:20 UTC
const REST_RECORDS = 10;
const CHARGE_S = 3600;
const CHARGE_MA = 1;
const VOLTAGE_V = 3.25;
const AUX_T_C = 25.5;

interface Synthetic {
  members: Record<string, Uint8Array>;
  runInfoRows: number;
}

/**
 * Step 1: rest, 10 records 1 s apart. Step 2: CC charge at 1 mA, step times 0…3600 s, 1 s apart. runInfo
 * rows at each step start and every 60 s (as BTS 8 writes them); capacities in Ah (NDC 14).
 */
function syntheticNdax(): Synthetic {
  const records: { v: number; iA: number; stepTimeMs: number; step: number; capAh: number }[] = [];
  for (let t = 0; t < REST_RECORDS; t++) records.push({ v: VOLTAGE_V, iA: 0, stepTimeMs: t * 1000, step: 1, capAh: 0 });
  for (let t = 0; t <= CHARGE_S; t++)
    records.push({ v: VOLTAGE_V, iA: CHARGE_MA / 1000, stepTimeMs: t * 1000, step: 2, capAh: (CHARGE_MA * t) / 3600 / 1000 });
  const data = ndcMember(
    1,
    14,
    8,
    records.map((r) => (view, at) => {
      view.setFloat32(at, r.v, true);
      view.setFloat32(at + 4, r.iA, true);
    }),
  );
  const runRows: ((view: DataView, at: number) => void)[] = [];
  let totalMs = 0;
  records.forEach((r, k) => {
    if (k > 0) totalMs += 1000;
    if (r.stepTimeMs % 60_000 !== 0) return;
    const unixS = START_UNIX_S + Math.floor(totalMs / 1000);
    runRows.push((view, at) => {
      view.setUint32(at, r.stepTimeMs, true);
      view.setFloat32(at + 5, r.capAh, true);
      view.setInt32(at + 29, 1000, true);
      view.setUint32(at + 33, unixS, true);
      view.setUint32(at + 37, r.step, true);
      view.setUint32(at + 41, k + 1, true);
    });
  });
  const runInfo = ndcMember(18, 14, 55, runRows);
  const steps = ndcMember(7, 14, 37, [
    (view, at) => {
      view.setUint32(at + 4, 1, true);
      view.setUint8(at + 24, 4); // Rest
    },
    (view, at) => {
      view.setUint32(at + 4, 2, true);
      view.setUint8(at + 24, 1); // CC_Chg
    },
  ]);
  const aux = ndcMember(
    5,
    14,
    4,
    records.map(() => (view, at) => view.setFloat32(at, AUX_T_C, true)),
  );
  const text = (s: string) => new TextEncoder().encode(s);
  return {
    runInfoRows: runRows.length,
    members: {
      'VersionInfo.xml': text('<root><config><ZwjVersion CurrClientVer="BTS Client 8.0.1.492(2025.01.23)" /></config></root>'),
      'TestInfo.xml': text(
        '<root><config><TestInfo AuxCount="1"><Aux1 AuxID="1" RealChlID="5" ChlType="103" TypeID="1" /></TestInfo></config></root>',
      ),
      'data_step.ndc': steps,
      'data.ndc': data,
      'data_runInfo.ndc': runInfo,
      'data_AUX_5_3_1.ndc': aux,
    },
  };
}

const parse = (bytes: Uint8Array, fileName = 'synthetic.ndax') => NEWARE_NDAX.parse(bytes, { fileName, services: {} }) as ParsedCycling;

describe('NEWARE .ndax (synthetic NDC 14)', () => {
  const synthetic = syntheticNdax();
  const bytes = zipSync(synthetic.members);

  it('reads records, carries runInfo forward and integrates 1 mA × 3600 s to 1 mAh', () => {
    expect(NEWARE_NDAX.detect(bytes.subarray(0, 65_536), 'x.ndax')).toBe(true);
    const parsed = parse(bytes);
    const n = REST_RECORDS + CHARGE_S + 1;
    expect(parsed.rowCount).toBe(n);
    expect(parsed.instrument).toBe('NEWARE BTS 8.0.1.492 .ndax (NDC 14)');
    const { timeS, voltageV, currentMA, capacityMAh, step, stepType, cycle, temperatureC } = parsed.columns;
    // BTSDA total time: the charge step starts at the rest step's last step time (9 s).
    expect(timeS[REST_RECORDS - 1]).toBe(REST_RECORDS - 1);
    expect(timeS[REST_RECORDS]).toBe(REST_RECORDS - 1);
    expect(timeS[n - 1]).toBe(REST_RECORDS - 1 + CHARGE_S);
    expect(voltageV[n - 1]).toBeCloseTo(VOLTAGE_V, 6);
    expect(currentMA[REST_RECORDS + 1]).toBeCloseTo(CHARGE_MA, 6);
    expect(capacityMAh![n - 1]).toBeCloseTo(1, 6);
    // A record between runInfo rows: 1234 s into the charge -> 1234/3600 mAh.
    expect(capacityMAh![REST_RECORDS + 1234]).toBeCloseTo(1234 / 3600, 6);
    expect([step[0], step[n - 1]]).toEqual([1, 2]);
    expect([stepType[0], stepType[n - 1]]).toEqual([STEP_TYPE_CODE.rest, STEP_TYPE_CODE.cc_charge]);
    expect(cycle![n - 1]).toBe(1);
    expect(temperatureC![n - 1]).toBeCloseTo(AUX_T_C, 6);
    expect(parsed.startDateTime).toBe('2023-11-14 22:13:20');
    const interpolated = parsed.warnings.find((w) => w.code === 'time-interpolated');
    expect(interpolated?.count).toBe(n - synthetic.runInfoRows);
    expect(parsed.sourceColumns.find((c) => c.mappedTo === 'temperature')?.header).toMatch(/data_AUX_5_3_1\.ndc/);
  });

  it('honours a cancel between phases', () => {
    const error = errorOf(() => NEWARE_NDAX.parse(bytes, { fileName: 'c.ndax', services: {}, signal: { aborted: true } }));
    expect(isImportError(error) && error.code).toBe('aborted');
  });

  it('does not claim other ZIPs (xlsx) or non-ZIP bytes', () => {
    const xlsx = zipSync({ '[Content_Types].xml': new Uint8Array(10), 'xl/workbook.xml': new Uint8Array(10) });
    expect(NEWARE_NDAX.detect(xlsx, 'book.xlsx')).toBe(false);
    expect(NEWARE_NDAX.detect(new TextEncoder().encode('Cycle Index,Step Index\n'), 'a.ndax')).toBe(false);
  });

  it('a ZIP without .ndc members is an ImportError', () => {
    const versionOnly = zipSync({ 'VersionInfo.xml': synthetic.members['VersionInfo.xml'] });
    expect(NEWARE_NDAX.detect(versionOnly, 'v.ndax')).toBe(true);
    const error = errorOf(() => parse(versionOnly, 'v.ndax'));
    expect(isImportError(error) && error.code).toBe('unsupported-format');
    const other = errorOf(() => parse(zipSync({ 'readme.txt': new Uint8Array(3) }), 'r.ndax'));
    expect(isImportError(other)).toBe(true);
  });

  it('no records is no-data-rows; an unknown NDC version is unsupported-format', () => {
    const empty = zipSync({ ...synthetic.members, 'data.ndc': ndcMember(1, 14, 8, []) });
    expect(isImportError(errorOf(() => parse(empty))) && (errorOf(() => parse(empty)) as { code: string }).code).toBe('no-data-rows');
    const v15 = zipSync({ ...synthetic.members, 'data.ndc': ndcMember(1, 15, 8, []) });
    const error = errorOf(() => parse(v15));
    expect(isImportError(error) && error.code).toBe('unsupported-format');
    expect((error as Error).message).toMatch(/^synthetic\.ndax: .*NDC version 15/);
  });

  it('truncated at any of 40 offsets: an ImportError naming the file, never another exception', () => {
    for (let k = 0; k < 40; k++) {
      const cut = Math.floor((bytes.length * k) / 40);
      const error = errorOf(() => parse(bytes.subarray(0, cut), 'cut.ndax'));
      expect(isImportError(error), `cut at ${cut}`).toBe(true);
      expect((error as Error).message.startsWith('cut.ndax: ')).toBe(true);
    }
  });

  it('members cut mid-page or filled with garbage give records with a warning or an ImportError, never another exception', () => {
    const cutData = zipSync({ ...synthetic.members, 'data.ndc': synthetic.members['data.ndc'].subarray(0, 2 * PAGE + 1000) });
    const parsed = parse(cutData);
    expect(parsed.warnings.some((w) => w.code === 'member-truncated')).toBe(true);
    const rng = createSeededRandom(20_260_302);
    for (const name of ['data.ndc', 'data_runInfo.ndc', 'data_step.ndc', 'data_AUX_5_3_1.ndc']) {
      for (let trial = 0; trial < 5; trial++) {
        const garbage = synthetic.members[name].slice();
        for (let k = 4; k < garbage.length; k++) garbage[k] = Math.floor(rng.uniform() * 256);
        let result: ParsedCycling | undefined;
        const error = errorOf(() => (result = parse(zipSync({ ...synthetic.members, [name]: garbage }))));
        if (error !== undefined) expect(isImportError(error), `${name}: ${describeError(error)}`).toBe(true);
        else expect(result!.rowCount).toBeGreaterThan(0);
      }
    }
  });
});
