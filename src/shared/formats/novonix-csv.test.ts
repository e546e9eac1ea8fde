/**
 * Novonix UHPC CSV: synthetic snippets (sections, hours -> s, Step Type codes, truncation) and the real
 * sample in ../shared/data/real/other with MANIFEST.md's values.
 */
import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON, readReal, utf8 } from '../test-support/real-data';
import { textHeadOf, parseWithTextFormat } from '../test-support/text-format-driver';
import { ARBIN_CSV } from './arbin-csv';
import { BASYTEC_TEXT } from './basytec-text';
import { ImportError } from './import-error';
import { MACCOR_TEXT } from './maccor-text';
import { NEWARE_CSV } from './neware-csv';
import { NOVONIX_CSV } from './novonix-csv';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

const PREAMBLE = [
  '[Summary]',
  'Novonix UHPC data file',
  'Novonix',
  'Started: 2025-07-19 15:26:20',
  '[End Summary]',
  '[Protocol]',
  '{"Version":"UHPC Control: 2.13.0","ProtocolStepList":[]}',
  '[End Protocol]',
  '[Data]',
  'Date and Time,Cycle Number,Step Type,Run Time (h),Step Time (h),Current (A),Potential (V),Capacity (Ah),Temperature (°C),Circuit Temperature (°C),Step Number',
].join('\n');

describe('NOVONIX_CSV on synthetic snippets', () => {
  it('reads [Data] after [Summary]/[Protocol]: h -> s, A -> mA, Ah -> mAh, Step Type codes -> step types', () => {
    // 0.5 A for 1 h is 500 mAh; codes 0 rest, 7/8 CC-CV charge parts, 2 CC discharge (magnitude written).
    const rows = [
      '2025-07-19 15:26:20,1,0,0.0,0.0,0.0,3.80,0.0,24.6,25.2,1',
      '2025-07-19 16:26:20,1,7,1.0,1.0,0.5,4.10,0.5,24.7,25.3,2',
      '2025-07-19 16:56:20,1,8,1.5,0.5,0.1,4.20,0.55,24.7,25.3,2',
      '2025-07-19 17:56:20,1,2,2.5,1.0,0.5,3.50,0.5,24.7,25.3,3',
    ];
    const p = parseWithTextFormat(NOVONIX_CSV, 'n.csv', utf8([PREAMBLE, ...rows].join('\r\n') + '\r\n'));
    expect(p.rowCount).toBe(4);
    expect(Array.from(p.columns.timeS)).toEqual([0, 3600, 5400, 9000]);
    expect(Array.from(p.columns.currentMA).map((v) => +v.toFixed(3))).toEqual([0, 500, 100, -500]);
    expect(Array.from(p.columns.capacityMAh!).map((v) => +v.toFixed(3))).toEqual([0, 500, 550, 500]);
    expect(Array.from(p.columns.stepType)).toEqual([
      STEP_TYPE_CODE.rest,
      STEP_TYPE_CODE.cc_charge,
      STEP_TYPE_CODE.cv_charge,
      STEP_TYPE_CODE.cc_discharge,
    ]);
    expect(Array.from(p.columns.step)).toEqual([1, 2, 2, 3]);
    expect(p.columns.temperatureC![1]).toBeCloseTo(24.7, 5);
    expect(p.startDateTime).toBe('2025-07-19 15:26:20');
  });

  it('unknown Step Type codes become `other` with a warning', () => {
    const p = parseWithTextFormat(NOVONIX_CSV, 'u.csv', utf8(`${PREAMBLE}\n2025-07-19 15:26:20,1,42,0.0,0.0,0.0,3.80,0.0,24.6,25.2,1\n`));
    expect(p.columns.stepType[0]).toBe(STEP_TYPE_CODE.other);
    expect(p.warnings.find((w) => w.code === 'unknown-step-type')?.count).toBe(1);
  });

  it('no [Data] section, header without rows, truncated last line: ImportError or counted skip only', () => {
    expect(() => parseWithTextFormat(NOVONIX_CSV, 'a.csv', utf8('[Summary]\nNovonix\n[End Summary]\n'))).toThrow(ImportError);
    expect(() => parseWithTextFormat(NOVONIX_CSV, 'b.csv', utf8(PREAMBLE + '\n'))).toThrow(ImportError);
    const p = parseWithTextFormat(
      NOVONIX_CSV,
      'c.csv',
      utf8(`${PREAMBLE}\n2025-07-19 15:26:20,1,0,0.0,0.0,0.0,3.80,0.0,24.6,25.2,1\n2025-07-19 15:26:21,1,0,0.1,0.1,0.0,3.8`),
    );
    expect(p.rowCount).toBe(1);
    expect(p.warnings.find((w) => w.code === 'rows-skipped')?.count).toBe(1);
    const noVoltage = PREAMBLE.replace('Potential (V)', 'Volts');
    expect(() => parseWithTextFormat(NOVONIX_CSV, 'd.csv', utf8(`${noVoltage}\n1,1,0,0,0,0,3.8,0,1,1,1\n`))).toThrow(/Potential|potential/);
  });

  it('claims only Novonix heads, and no other detector claims a Novonix head', () => {
    const head = textHeadOf(utf8(PREAMBLE), 'n.csv');
    for (const other of [ARBIN_CSV, MACCOR_TEXT, BASYTEC_TEXT, NEWARE_CSV]) expect(other.detect(head)).toBe(false);
    expect(NOVONIX_CSV.detect(textHeadOf(utf8('[Summary]\nSomething else\n[End Summary]'), 'x.csv'))).toBe(false);
  });
});

describeReal('Novonix sample in ../shared/data/real/other', () => {
  it('sample_data_novonix.csv: ~200 rows of 0.5 A CC-CV charge (code 7), capacities that integrate', () => {
    const bytes = readReal('other/sample_data_novonix.csv');
    const p = parseWithTextFormat(NOVONIX_CSV, 'sample_data_novonix.csv', bytes);
    const text = new TextDecoder().decode(bytes);
    const dataRows = text
      .slice(text.indexOf('[Data]'))
      .split(/\r?\n/)
      .slice(2)
      .filter((l) => l.trim() !== '');
    expect(p.rowCount).toBe(dataRows.length);
    expect(p.rowCount).toBeGreaterThanOrEqual(190);
    expect(p.rowCount).toBeLessThanOrEqual(230);
    expect(p.startDateTime).toBe('2025-07-19 15:26:20');
    expect(p.columns.stepType.every((s) => s === STEP_TYPE_CODE.cc_charge)).toBe(true);
    expect(p.columns.currentMA[1]).toBeCloseTo(499.89602, 3);
    expect(p.columns.voltageV[0]).toBeCloseTo(3.84318331, 6);
    const { timeS, currentMA, capacityMAh } = p.columns;
    const last = p.rowCount - 1;
    let mAh = 0;
    for (let k = 1; k <= last; k++) mAh += (((currentMA[k] + currentMA[k - 1]) / 2) * (timeS[k] - timeS[k - 1])) / 3600;
    expect(Math.abs(mAh - capacityMAh![last]) / capacityMAh![last]).toBeLessThan(0.01);
  });
});
