/**
 * Every NEWARE .nda in ../shared/data/real/neware (versions 8, 22, 29, 130 as BTS 9.1 and BTS 9.0) against
 * its fastnda reference (BTSDA's own export of the same test, MANIFEST.md) with fastnda's tolerances:
 * voltage 6e-5 V, current 0.05 mA, total time 0.0101 s below 1800 s and 0.101 s beyond, |capacity| 6e-4 mAh,
 * Step Index / Step Type / Cycle Index equal (Cycle Index as stored or regenerated in fastnda's "auto"
 * mode), row counts equal.
 */
import { describe, expect, it } from 'vitest';
import { compareWithNewareReference, expectNewareAgreement, offsetFromReferenceS } from '../test-support/neware-reference';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON, readReal, readSimpleCsv } from '../test-support/real-data';
import type { ParsedCycling } from './binary-format';
import { isImportError } from './import-error';
import { NEWARE_NDA, decodeNda } from './neware-nda';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

function parseReal(name: string) {
  const bytes = readReal(`neware/${name}`);
  const started = performance.now();
  const parsed = NEWARE_NDA.parse(bytes, { fileName: name, services: {} }) as ParsedCycling;
  const elapsedMs = performance.now() - started;
  return { bytes, parsed, elapsedMs, stepCodes: decodeNda(bytes, name).records.stepCode };
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
      const agreement = compareWithNewareReference(parsed, stepCodes, referenceCsv, temperature);
      if (process.env.NEWARE_REPORT)
        console.warn(file, parsed.instrument, `${elapsedMs.toFixed(0)} ms`, JSON.stringify(agreement), JSON.stringify(parsed.warnings));
      expectNewareAgreement(agreement, readSimpleCsv(referenceCsv).rows.length);
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
