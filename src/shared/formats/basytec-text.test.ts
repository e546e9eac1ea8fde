/**
 * BaSyTec result files: synthetic snippets (`~` header, units, Command -> step type, truncation) and the
 * real sample in ../shared/data/real/other with MANIFEST.md's values.
 */
import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON, readReal, utf8 } from '../test-support/real-data';
import { textHeadOf, parseWithTextFormat } from '../test-support/text-format-driver';
import { BASYTEC_TEXT } from './basytec-text';
import { ImportError } from './import-error';
import { MACCOR_TEXT } from './maccor-text';
import { NOVONIX_CSV } from './novonix-csv';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

const HEADER = [
  '~Resultfile from Basytec Battery Test System',
  '~Start of Test: 19.06.2023 17:56:53',
  '~',
  '~Time[s]\tDataSet\tt-Step[s]\tLine\tCommand\tU[V]\tI[A]\tAh[Ah]\tAh-Step\tT1[°C]\tCyc-Count\tState',
].join('\n');

describe('BASYTEC_TEXT on synthetic snippets', () => {
  it('reads ~ headers, A -> mA, per-step Ah-Step -> mAh, Command -> step type, German start date', () => {
    // 1 A for 3600 s is 1 Ah = 1000 mAh; then a discharge of -0.5 A.
    const rows = [
      '0\t1\t0\t3\tPause\t3.5\t0\t0\t0\t25\t0\t1',
      '3600\t2\t3600\t4\tCharge\t3.6\t1\t1\t1\t25.5\t0\t1',
      '7200\t3\t3600\t5\tDischarge\t3.4\t-0.5\t0.5\t0.5\t25.5\t1\t1',
    ];
    const p = parseWithTextFormat(BASYTEC_TEXT, 'b.txt', utf8([HEADER, ...rows].join('\n') + '\n'));
    expect(p.rowCount).toBe(3);
    expect(Array.from(p.columns.timeS)).toEqual([0, 3600, 7200]);
    expect(Array.from(p.columns.currentMA)).toEqual([0, 1000, -500]);
    expect(Array.from(p.columns.capacityMAh!)).toEqual([0, 1000, 500]);
    expect(Array.from(p.columns.step)).toEqual([3, 4, 5]);
    expect(Array.from(p.columns.cycle!)).toEqual([0, 0, 1]);
    expect(Array.from(p.columns.stepType)).toEqual([STEP_TYPE_CODE.rest, STEP_TYPE_CODE.cc_charge, STEP_TYPE_CODE.cc_discharge]);
    expect(p.columns.temperatureC![1]).toBeCloseTo(25.5, 5);
    expect(p.startDateTime).toBe('2023-06-19 17:56:53');
  });

  it('header without rows, truncated last line and garbage give ImportError or counted skips only', () => {
    expect(() => parseWithTextFormat(BASYTEC_TEXT, 'h.txt', utf8(HEADER + '\n'))).toThrow(ImportError);
    const p = parseWithTextFormat(BASYTEC_TEXT, 't.txt', utf8(`${HEADER}\n0\t1\t0\t3\tPause\t3.5\t0\t0\t0\t25\t0\t1\n1\t2\t1\t3\tPau`));
    expect(p.rowCount).toBe(1);
    expect(p.warnings.find((w) => w.code === 'rows-skipped')?.count).toBe(1);
    const g = parseWithTextFormat(
      BASYTEC_TEXT,
      'g.txt',
      utf8(`${HEADER}\n0\t1\t0\t3\tPause\t3.5\t0\t0\t0\t25\t0\t1\nx\ty\n\u0000\t\t\t\t\t\t\t\t\t\t\t`),
    );
    expect(g.rowCount).toBe(1);
  });

  it('is not confused with Maccor or Novonix heads', () => {
    const head = textHeadOf(utf8(HEADER), 'b.txt');
    expect(MACCOR_TEXT.detect(head)).toBe(false);
    expect(NOVONIX_CSV.detect(head)).toBe(false);
    expect(BASYTEC_TEXT.detect(textHeadOf(utf8('Time[s]\tU[V]\tI[A]\n0\t1\t2'), 'x.txt'))).toBe(false);
  });
});

describeReal('BaSyTec sample in ../shared/data/real/other', () => {
  it('sample_data_basytec.txt: ~70 rows, pause steps at 3.526 V, then a 0.45 A charge', () => {
    const p = parseWithTextFormat(BASYTEC_TEXT, 'sample_data_basytec.txt', readReal('other/sample_data_basytec.txt'));
    const dataLines = new TextDecoder()
      .decode(readReal('other/sample_data_basytec.txt'))
      .split(/\r?\n/)
      .filter((l) => /^\d/.test(l));
    expect(p.rowCount).toBe(dataLines.length);
    expect(p.rowCount).toBeGreaterThanOrEqual(65);
    expect(p.rowCount).toBeLessThanOrEqual(75);
    expect(p.warnings).toEqual([]);
    expect(p.columns.stepType[0]).toBe(STEP_TYPE_CODE.rest);
    expect(p.columns.voltageV[0]).toBeCloseTo(3.526, 3);
    const last = p.rowCount - 1;
    expect(p.columns.stepType[last]).toBe(STEP_TYPE_CODE.cc_charge);
    expect(p.columns.currentMA[last]).toBeGreaterThan(0);
    expect(p.columns.temperatureC![0]).toBeCloseTo(25.48, 2);
    expect(p.startDateTime).toBe('2023-06-19 17:56:53');
    // Ah-Step against ∫|I| dt over the charge step (1 s logging).
    const { timeS, currentMA, capacityMAh, step } = p.columns;
    let first = last;
    while (first > 0 && step[first - 1] === step[last]) first--;
    let mAh = capacityMAh![first];
    for (let k = first + 1; k <= last; k++) mAh += (((currentMA[k] + currentMA[k - 1]) / 2) * (timeS[k] - timeS[k - 1])) / 3600;
    expect(Math.abs(mAh - capacityMAh![last]) / capacityMAh![last]).toBeLessThan(0.01);
  });
});
