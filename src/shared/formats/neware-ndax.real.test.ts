/**
 * Every NEWARE .ndax in ../shared/data/real/neware against its fastnda reference (BTSDA's own export of
 * the same test, MANIFEST.md) with fastnda's tolerances: voltage 6e-5 V, current 0.05 mA, total time
 * 0.0101 s below 1800 s and 0.101 s beyond, |capacity| 6e-4 mAh, Step Index / Step Type / Cycle Index
 * equal (Cycle Index as stored or regenerated in fastnda's "auto" mode), row counts equal.
 */
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { columnRange } from '../model/dataset';
import { STEP_TYPE_CODE } from '../model/step-type';
import { compareWithNewareReference, expectNewareAgreement, offsetFromReferenceS } from '../test-support/neware-reference';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON, readReal, readSimpleCsv } from '../test-support/real-data';
import { createSeededRandom } from '../synth/seeded-random';
import { isImportError } from './import-error';
import { NEWARE_NDAX, decodeNdax } from './neware-ndax';
import type { ParsedCycling } from './binary-format';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

function parseReal(name: string) {
  const bytes = readReal(`neware/${name}`);
  const parsed = NEWARE_NDAX.parse(bytes, { fileName: name, services: {} }) as ParsedCycling;
  const decoded = decodeNdax(bytes, name);
  return { bytes, parsed, stepCodes: decoded.records.stepCode };
}

const CASES: { file: string; reference: string; version: number; temperature?: string }[] = [
  { file: '21_10_7_85.ndax', reference: '21_10_7_85.ndax.reference.csv', version: 14 },
  { file: '46_1_5_60_bts16.ndax', reference: '46_1_5_60_bts16.ndax.reference.csv', version: 16, temperature: 'T1(?)' },
  {
    file: 'TESTCELL0001-Test_Data_Collection_Ndc17.ndax',
    reference: 'TESTCELL0001-Test_Data_Collection_Ndc17.ndax.reference.csv',
    version: 17,
    temperature: 'T1(?)',
  },
  { file: 'Unit27_Example_Data_File.ndax', reference: 'Unit27_Example_Data_File.ndax.reference.csv', version: 14, temperature: 'T1(?)' },
  { file: 'Unit27_Example_Corrupt.ndax', reference: 'Unit27_Example_Corrupt.ndax.reference.csv', version: 14 },
  { file: 'interp-test.ndax', reference: 'interp-test.ndax.reference.csv', version: 14 },
  { file: 'scrubbed_ndc2.ndax', reference: 'scrubbed_ndc2.ndax.reference.csv', version: 2, temperature: 'T1(?)' },
  { file: 'test_2.ndax', reference: 'test_2.ndax.reference.csv.gz', version: 17 },
];

describeReal('NEWARE .ndax files in ../shared/data/real', () => {
  it.each(CASES)('$file (NDC $version) matches its fastnda reference row by row', ({ file, reference, version, temperature }) => {
    const { bytes, parsed, stepCodes } = parseReal(file);
    expect(NEWARE_NDAX.detect(bytes.subarray(0, 65_536), file)).toBe(true);
    expect(parsed.instrument).toMatch(new RegExp(`\\.ndax \\(NDC ${version}\\)$`));
    const referenceCsv = new TextDecoder().decode(readReal(`neware/${reference}`));
    // Every .ndax stores its cycle index: the stored column must match, not only fastnda's regenerated one.
    expect(parsed.columns.cycle).toBeDefined();
    const agreement = compareWithNewareReference(parsed, stepCodes, referenceCsv, temperature);
    if (process.env.NEWARE_REPORT) console.warn(file, JSON.stringify(agreement));
    expectNewareAgreement(agreement, readSimpleCsv(referenceCsv).rows.length);
    if (temperature) {
      expect(parsed.columns.temperatureC).toBeDefined();
      expect(agreement.maxTemperatureErrC).toBeLessThan(0.051);
    }
    // Start date: Unix time shown in UTC (NDC ≥ 11) or the wall clock (NDC 2) — a whole number of hours from BTSDA's local Date.
    const offsetS = offsetFromReferenceS(parsed.startDateTime, referenceCsv);
    expect(Math.abs(offsetS)).toBeLessThanOrEqual(14 * 3600);
    expect(Math.abs(offsetS / 3600 - Math.round(offsetS / 3600))).toBeLessThan(1 / 3600 + 1e-9);
    if (version === 2) expect(offsetS).toBe(0);
  });

  it('Unit27_Example_Corrupt.ndax (members in another order) gives the same records as the ordered file', () => {
    const ordered = parseReal('Unit27_Example_Data_File.ndax').parsed;
    const reordered = parseReal('Unit27_Example_Corrupt.ndax').parsed;
    expect(reordered.rowCount).toBe(ordered.rowCount);
    expect(reordered.columns.voltageV).toEqual(ordered.columns.voltageV);
    expect(reordered.columns.timeS).toEqual(ordered.columns.timeS);
  });

  it.each(['scrubbed_ndc2.ndax', '46_1_5_60_bts16.ndax', 'Unit27_Example_Data_File.ndax'])(
    '%s with each .ndc member cut or overwritten by garbage: records or an ImportError, never another exception',
    (file) => {
      const members = unzipSync(readReal(`neware/${file}`));
      const rng = createSeededRandom(file.length);
      for (const name of Object.keys(members).filter((n) => n.endsWith('.ndc'))) {
        const original = members[name];
        const variants = [original.subarray(0, Math.floor(original.length / 2) + 7), original.subarray(0, 3)];
        const garbage = original.slice();
        for (let k = 4; k < garbage.length; k++) garbage[k] = Math.floor(rng.uniform() * 256);
        variants.push(garbage);
        for (const variant of variants) {
          try {
            const parsed = NEWARE_NDAX.parse(zipSync({ ...members, [name]: variant }), { fileName: file, services: {} }) as ParsedCycling;
            expect(parsed.rowCount).toBeGreaterThan(0);
          } catch (error) {
            expect(isImportError(error), `${name}: ${error instanceof Error ? error.message : typeof error}`).toBe(true);
          }
        }
      }
    },
  );

  it('empty.ndax (a valid ZIP without records) is a clear no-data-rows ImportError', () => {
    const bytes = readReal('neware/empty.ndax');
    expect(NEWARE_NDAX.detect(bytes.subarray(0, 65_536), 'empty.ndax')).toBe(true);
    let error: unknown;
    try {
      NEWARE_NDAX.parse(bytes, { fileName: 'empty.ndax', services: {} });
    } catch (e) {
      error = e;
    }
    expect(isImportError(error) && error.code).toBe('no-data-rows');
    expect((error as Error).message).toMatch(/^empty\.ndax: .*no records/);
  });

  it("20260302_IFE_BTS85_2_9_8_1.ndax (NDC 17, no row reference) has cellpy's 252,951 records with plausible ranges", () => {
    const file = '20260302_IFE_BTS85_2_9_8_1.ndax';
    const bytes = readReal(`neware/${file}`);
    const started = performance.now();
    const parsed = NEWARE_NDAX.parse(bytes, { fileName: file, services: {} }) as ParsedCycling;
    const elapsedMs = performance.now() - started;
    if (process.env.NEWARE_REPORT) console.warn(`${file}: ${parsed.rowCount} rows parsed in ${elapsedMs.toFixed(0)} ms`);
    expect(parsed.rowCount).toBe(252_951);
    expect(parsed.instrument).toBe('NEWARE BTS 8.0.1.489 .ndax (NDC 17)');
    const { timeS, voltageV, currentMA, temperatureC, cycle, stepType } = parsed.columns;
    let backwards = 0;
    for (let i = 1; i < parsed.rowCount; i++) if (timeS[i] < timeS[i - 1]) backwards++;
    expect(backwards).toBe(0);
    // An LNMO formation (TestInfo: "LNMO-C_Formation_1Ah"): 0–5 V, |I| within the 15 A range, 1 summary cycle (cellpy).
    const [vMin, vMax] = columnRange(voltageV);
    expect(vMin).toBeGreaterThanOrEqual(0);
    expect(vMax).toBeLessThan(5.1);
    const [iMin, iMax] = columnRange(currentMA);
    expect(Math.max(-iMin, iMax)).toBeLessThanOrEqual(15_000);
    expect(iMax).toBeGreaterThan(0);
    // Step.xml's plan: step 1 Control (type 21), then CC Chg (1) and CV Chg (3) steps.
    expect(stepType[0]).toBe(STEP_TYPE_CODE.other);
    expect(new Set(stepType)).toEqual(new Set([STEP_TYPE_CODE.other, STEP_TYPE_CODE.cc_charge, STEP_TYPE_CODE.cv_charge]));
    expect(columnRange(cycle!)[0]).toBe(1);
    // One aux channel is a temperature (ChlType 103): room temperature.
    expect(temperatureC).toBeDefined();
    const [tMin, tMax] = columnRange(temperatureC!);
    expect(tMin).toBeGreaterThan(10);
    expect(tMax).toBeLessThan(60);
    if (process.env.NEWARE_REPORT)
      console.warn(
        JSON.stringify({
          vMin,
          vMax,
          iMin,
          iMax,
          tMin,
          tMax,
          cycles: columnRange(cycle!),
          hours: timeS[parsed.rowCount - 1] / 3600,
          start: parsed.startDateTime,
          warnings: parsed.warnings,
        }),
      );
    expect(parsed.startDateTime).toMatch(/^2026-02-27 1\d:\d\d:\d\d$/);
  });
});
