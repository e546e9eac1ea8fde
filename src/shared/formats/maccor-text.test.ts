/**
 * Maccor text exports: synthetic snippets for each layout quirk (minutes, `0d hh:mm:ss`, decimal commas,
 * 0xFF bytes, State-signed current, day/month dates, EIS refusal, truncation) and every file in
 * ../shared/data/real/maccor with MANIFEST.md's row counts and ranges.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON, readReal, utf8 } from '../test-support/real-data';
import { textHeadOf, parseWithTextFormat, valueRange } from '../test-support/text-format-driver';
import { ARBIN_CSV } from './arbin-csv';
import { BASYTEC_TEXT } from './basytec-text';
import { ImportError } from './import-error';
import { MACCOR_TEXT, parseMaccorDateTimeMs } from './maccor-text';
import { NEWARE_CSV, NEWARE_CSV_NESTED } from './neware-csv';
import { NOVONIX_CSV } from './novonix-csv';
import type { ParsedRecords, TextFormat } from './text-format';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

/** Largest relative gap between ∫|I| dt of each charge/discharge run (≥ minRows) and the capacity at its end. */
function worstRunIntegralGap(p: ParsedRecords, minRows: number): { worst: number; checked: number } {
  const { timeS, currentMA, capacityMAh, stepType, step } = p.columns;
  let worst = 0;
  let checked = 0;
  for (let i = 1, start = 0; i <= p.rowCount; i++) {
    if (i < p.rowCount && stepType[i] === stepType[i - 1] && step[i] === step[i - 1]) continue;
    const end = i - 1;
    if (stepType[end] !== STEP_TYPE_CODE.rest && stepType[end] !== STEP_TYPE_CODE.other && end - start >= minRows) {
      // Maccor's first record of a state is logged just after it starts; the integral starts there.
      let mAh = capacityMAh![start];
      for (let k = start + 1; k <= end; k++)
        mAh += (((Math.abs(currentMA[k]) + Math.abs(currentMA[k - 1])) / 2) * (timeS[k] - timeS[k - 1])) / 3600;
      worst = Math.max(worst, Math.abs(mAh - capacityMAh![end]) / capacityMAh![end]);
      checked++;
    }
    start = i;
  }
  return { worst, checked };
}

const MIMS_HEADER = "Today's Date 04/04/2016  Date of Test:\t03/31/2016\t Filename:\tC:\\x.001 Procedure: p.000\tComment/Barcode: c";

describe('MACCOR_TEXT on synthetic snippets', () => {
  it('layout 1 (MIMS), Test (Min): minutes -> s, magnitudes signed by State, Amp-hr -> mAh', () => {
    const text = [
      MIMS_HEADER,
      'Rec#\tCyc#\tStep\tTest (Min)\tStep (Min)\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES\tDPt Time',
      '1\t0\t1\t0.0000\t0.0000\t0\t0\t0\t3.30\tR\t0\t03/31/2016 16:05:31',
      '2\t0\t2\t1.0000\t0.0000\t0.001\t0\t0.06\t3.40\tC\t0\t03/31/2016 16:06:31',
      '3\t0\t3\t2.0000\t0.0000\t0.0005\t0\t0.03\t3.20\tD\t0\t03/31/2016 16:07:31',
      '',
    ].join('\r\n');
    const p = parseWithTextFormat(MACCOR_TEXT, 'a.001', utf8(text));
    expect(Array.from(p.columns.timeS)).toEqual([0, 60, 120]);
    expect(Array.from(p.columns.currentMA).map((v) => +v.toFixed(4))).toEqual([0, 60, -30]);
    expect(Array.from(p.columns.capacityMAh!).map((v) => +v.toFixed(4))).toEqual([0, 1, 0.5]);
    expect(Array.from(p.columns.stepType)).toEqual([STEP_TYPE_CODE.rest, STEP_TYPE_CODE.cc_charge, STEP_TYPE_CODE.cc_discharge]);
    expect(p.warnings.find((w) => w.code === 'current-sign-from-state')?.count).toBe(1);
    expect(p.startDateTime).toBe('2016-03-31 16:05:31');
  });

  it('already-negative discharge current is kept as written, without a warning', () => {
    const text = [
      MIMS_HEADER,
      'Rec#\tCyc#\tStep\tTest (Sec)\tStep (Sec)\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES\tDPt Time',
      '1\t1\t4\t10.0\t1.0\t0.001\t0\t-4.84\t3.86\tD\t1\t10/21/2019 23:59:59',
      '2\t1\t4\t11.0\t2.0\t0.002\t0\t-4.84\t3.85\tD\t1\t10/22/2019 00:00:00',
    ].join('\n');
    const p = parseWithTextFormat(MACCOR_TEXT, 'b.052', utf8(text));
    expect(Array.from(p.columns.currentMA)).toEqual([-4840, -4840]);
    expect(p.columns.timeS[1]).toBe(1);
    expect(p.warnings).toEqual([]);
  });

  it('layout 2: `0d 00:00:0` durations and a named-month header date', () => {
    const text = [
      "Today's Date:\t28 november 2023\tDate of Test:\t28 november 2023, 10:45:55 AM",
      'Filename:\tX',
      'Rec\tCycle\tStep\tTest Time\tStep Time\tCapacity\tEnergy\tCurrent\tVoltage\tMD\tES\tDPT Time\tAux #1\t Units\t',
      '1\t0\t1\t  0d 00:00:0\t  0d 00:00:0\t0\t0\t0\t3.61\tR\t0\t10:45:55\t-0.0004\t V  \t',
      '2\t0\t2\t  1d 01:08:24.24\t  0d 01:03:24.24\t0.148\t0.539\t0.14\t3.662\tC\t5\t11:54:19\t-0.0002\t V  \t',
    ].join('\n');
    const p = parseWithTextFormat(MACCOR_TEXT, 'c.txt', utf8(text));
    expect(p.columns.timeS[1]).toBeCloseTo(86400 + 3600 + 8 * 60 + 24.24, 6);
    expect(p.columns.capacityMAh![1]).toBeCloseTo(148, 3);
    // Time-only DPT Time takes its date from the header's Date of Test.
    expect(p.startDateTime).toBe('2023-11-28 10:45:55');
    expect(p.warnings.find((w) => w.code === 'time-unit-inferred')).toBeUndefined();
  });

  it('layout 3: decimal commas, 0xFF padding, blank line after the header, TestTime in minutes, day/month dates', () => {
    const lines = [
      'Name:\tKIT.081',
      'Description\tSIMBA \u0004 \u0003 @@@@',
      'Started\t06/05/2021 11:23:46',
      'SCap\t0,017',
      '',
      'Rec\tCycle P\tCycle C\tStep\tTestTime\tStepTime\tCap. [Ah]\tEner. [Wh]\tCurrent [A]\tVoltage [V]\tMd\tES\tDPT Time',
      '',
      '1\t0\t1\t1\t0,000000\t0,000000\t0,00000000\t0\t0,00000000\t0,1377\tR\t0\t06/05/2021 11:23:46',
      '2\t0\t1\t2\t1,000000\t1,000000\t0,00000100\t0\t0,00010000\t0,1385\tD\t1\t06/05/2021 11:24:46',
      '3\t0\t1\t2\t2,000000\t2,000000\t0,00000200\t0\t0,00010000\t0,1394\tD\t1\t06/05/2021 11:25:46',
      '',
    ];
    // 0xFF bytes (the Description padding of maccor_002.txt) make the file invalid UTF-8.
    const bytes = utf8(lines.join('\n'));
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x40) bytes[i] = 0xff;
    const p = parseWithTextFormat(MACCOR_TEXT, 'd.txt', bytes);
    expect(textHeadOf(bytes, 'd.txt').encoding).toBe('windows-1252');
    expect(p.rowCount).toBe(3);
    expect(Array.from(p.columns.timeS)).toEqual([0, 60, 120]);
    expect(p.columns.voltageV[2]).toBeCloseTo(0.1394, 6);
    expect(p.columns.currentMA[2]).toBeCloseTo(-0.1, 6);
    expect(p.columns.capacityMAh![2]).toBeCloseTo(0.002, 9);
    expect(Array.from(p.columns.cycle!)).toEqual([1, 1, 1]);
    expect(p.startDateTime).toBe('2021-05-06 11:23:46');
    expect(p.warnings.find((w) => w.code === 'time-unit-inferred')?.message).toMatch(/minutes/);
  });

  it('CSV without State: step types inferred from the current; DD-Mon-YY dates', () => {
    const text = [
      "Today's Date ,28-Nov-23",
      'Date of Test:,23-Nov-23 3:56:08 PM',
      'Rec,Cycle C,Step,Test Time (sec),Step Time (sec),Capacity,Energy,Current,Voltage,DPT Time,Temp 1',
      '1,1,1,0.0000,0.0000,0,0,0,3.668,23-Nov-23 3:56:11 PM,22.2591',
      '2,1,2,1.0000,0.0000,0.008,0.03,28.798,3.714,23-Nov-23 3:56:12 PM,22.2591',
    ].join('\n');
    const p = parseWithTextFormat(MACCOR_TEXT, 'e.csv', utf8(text));
    expect(Array.from(p.columns.stepType)).toEqual([STEP_TYPE_CODE.rest, STEP_TYPE_CODE.cc_charge]);
    expect(p.columns.temperatureC![0]).toBeCloseTo(22.2591, 4);
    expect(p.startDateTime).toBe('2023-11-23 15:56:11');
  });

  it('DPT Time layouts: US 12 h, European day/month, time only', () => {
    expect(new Date(parseMaccorDateTimeMs('5/11/2021 3:40:24 PM', false)).toISOString()).toBe('2021-05-11T15:40:24.000Z');
    expect(new Date(parseMaccorDateTimeMs('12/11/2021 12:05:00 AM', false)).toISOString()).toBe('2021-12-11T00:05:00.000Z');
    expect(new Date(parseMaccorDateTimeMs('06/05/2021 11:23:46', true)).toISOString()).toBe('2021-05-06T11:23:46.000Z');
    expect(new Date(parseMaccorDateTimeMs('25/05/2021 11:23:46', false)).toISOString()).toBe('2021-05-25T11:23:46.000Z');
    expect(parseMaccorDateTimeMs('11:23:46', false)).toBeNaN();
    expect(parseMaccorDateTimeMs('garbage', false)).toBeNaN();
  });

  it('refuses the Maccor AC impedance (EIS) file with an unsupported-format ImportError naming it', () => {
    const head = textHeadOf(utf8('MACCOR, INC.    AC Impedance Test\r\nFrequency Sweep:   Open Circut Voltage\r\n'), 'x.EDA0001.041');
    expect(MACCOR_TEXT.detect(head)).toBe(true);
    let error: unknown;
    try {
      MACCOR_TEXT.createParser(head);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).code).toBe('unsupported-format');
    expect((error as ImportError).message).toMatch(/AC Impedance/);
  });

  it('header without rows, truncated last line and garbage rows give ImportError or counted skips only', () => {
    const header = [MIMS_HEADER, 'Rec#\tCyc#\tStep\tTest (Sec)\tStep (Sec)\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES\tDPt Time'].join('\n');
    expect(() => parseWithTextFormat(MACCOR_TEXT, 'h.001', utf8(header + '\n'))).toThrow(ImportError);
    const p = parseWithTextFormat(
      MACCOR_TEXT,
      't.001',
      utf8(`${header}\n1\t0\t1\t0\t0\t0\t0\t0\t3.3\tR\t0\t03/31/2016 16:05:31\n2\t0\t1\t1\t1\t0\t0\t0\t3.`),
    );
    expect(p.rowCount).toBe(1);
    expect(p.warnings.find((w) => w.code === 'rows-skipped')?.count).toBe(1);
    const g = parseWithTextFormat(
      MACCOR_TEXT,
      'g.001',
      utf8(`${header}\n1\t0\t1\t0\t0\t0\t0\t0\t3.3\tR\t0\tx\nN/A\t\t\t\n\u0000\u0001\t\t\t\t\t\t\t\t\t\t\t`),
    );
    expect(g.rowCount).toBe(1);
  });

  it('does not collide with NEWARE or Arbin CSV detectors, nor they with Maccor', () => {
    const neware = textHeadOf(
      utf8('DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,Current(A),Voltage(V),Capacity(Ah)\n'),
      'n.csv',
    );
    expect(MACCOR_TEXT.detect(neware)).toBe(false);
    const maccor = textHeadOf(
      utf8(`${MIMS_HEADER}\nRec#\tCyc#\tStep\tTest (Sec)\tStep (Sec)\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\n`),
      'm.001',
    );
    for (const other of [NEWARE_CSV, NEWARE_CSV_NESTED, ARBIN_CSV]) expect(other.detect(maccor)).toBe(false);
  });
});

describeReal('Maccor files in ../shared/data/real/maccor', () => {
  const read = (f: string) => parseWithTextFormat(MACCOR_TEXT, f, readReal(`maccor/${f}`));
  const expectRange = (values: ArrayLike<number>, lo: number, hi: number, digits: number) => {
    const [a, b] = valueRange(values);
    expect(a).toBeCloseTo(lo, digits);
    expect(b).toBeCloseTo(hi, digits);
  };

  it('PredictionDiagnostics_000151_test.052: 333 rows of −4.84 A discharge in cycle 37, 3.862–3.868 V', () => {
    const p = read('PredictionDiagnostics_000151_test.052');
    expect(p.rowCount).toBe(333);
    expectRange(p.columns.voltageV, 3.8625, 3.8682, 3);
    expect(p.columns.currentMA[0] / 1000).toBeCloseTo(-4.84, 2);
    expect(p.columns.stepType.every((s) => s === STEP_TYPE_CODE.cc_discharge)).toBe(true);
    expect(valueRange(p.columns.cycle!)).toEqual([37, 37]);
    expect(p.columns.timeS[p.rowCount - 1]).toBeCloseTo(769270.57 - 769267.24, 6);
  });

  it('xTESLADIAG_000038con.078: 3873 rows, cycles 0–7, ±4.71 A, 3.00–4.30 V; Amp-hr integrates', () => {
    const p = read('xTESLADIAG_000038con.078');
    expect(p.rowCount).toBe(3873);
    expect(valueRange(p.columns.cycle!)).toEqual([0, 7]);
    const [iLo, iHi] = valueRange(p.columns.currentMA);
    expect(iLo / 1000).toBeCloseTo(-4.71, 2);
    expect(iHi / 1000).toBeCloseTo(4.71, 2);
    expectRange(p.columns.voltageV, 3.0, 4.3, 2);
    expect(p.warnings.find((w) => w.code === 'current-sign-from-state')).toBeUndefined();
    const { worst, checked } = worstRunIntegralGap(p, 20);
    expect(checked).toBeGreaterThanOrEqual(4);
    expect(worst).toBeLessThan(0.01);
    console.warn(`xTESLADIAG: worst ∫|I|dt vs Amp-hr gap ${worst} over ${checked} runs`);
  });

  it('maccor_two.txt (decimal commas, minutes): 213 whole rows + 1 cut-off last line, rest at 0.138–0.151 V', () => {
    const p = read('maccor_two.txt');
    // MANIFEST counts 214 records; the file's last line stops after the Current cell (no voltage): skipped, counted.
    expect(p.rowCount).toBe(213);
    expect(p.warnings.find((w) => w.code === 'rows-skipped')?.count).toBe(1);
    expectRange(p.columns.voltageV, 0.1377, 0.1514, 4);
    expect(p.columns.timeS[212]).toBe(212 * 60);
    expect(p.columns.stepType.every((s) => s === STEP_TYPE_CODE.rest)).toBe(true);
    expect(p.startDateTime).toBe('2021-05-06 11:23:46');
  });

  it('maccor_002.txt (0xFF bytes, minutes, US 12 h dates): 7446 rows, cycles 1–2, 0–0.16 mA, 0.035–3.80 V', () => {
    const p = read('maccor_002.txt');
    expect(p.rowCount).toBe(7446);
    expect(valueRange(p.columns.cycle!)).toEqual([1, 2]);
    const [iLo, iHi] = valueRange(p.columns.currentMA);
    expect(Math.max(-iLo, iHi)).toBeCloseTo(0.16, 2);
    expectRange(p.columns.voltageV, 0.0345, 3.8, 3);
    expect(p.columns.timeS[p.rowCount - 1]).toBeCloseTo(3809.841833 * 60, 3);
    expect(p.startDateTime).toBe('2021-05-11 15:40:24');
    const { worst, checked } = worstRunIntegralGap(p, 20);
    expect(checked).toBeGreaterThanOrEqual(2);
    expect(worst).toBeLessThan(0.01);
    console.warn(`maccor_002: worst ∫|I|dt vs Cap. gap ${worst} over ${checked} runs`);
  });

  it('maccor_example.001 (Test (Min)): 8 rows of rest at 3.306 V, 10 s apart', () => {
    const p = read('maccor_example.001');
    expect(p.rowCount).toBe(8);
    expect(p.columns.timeS[1]).toBeCloseTo(0.1667 * 60, 6);
    expect(p.columns.voltageV[0]).toBeCloseTo(3.306, 2);
    expect(p.columns.stepType.every((s) => s === STEP_TYPE_CODE.rest)).toBe(true);
  });

  it('ecdh_maccor.txt: 342 rows, cycle 0, 0 -> 0.14 A, 3.61–3.66 V', () => {
    const p = read('ecdh_maccor.txt');
    expect(p.rowCount).toBe(342);
    expect(valueRange(p.columns.currentMA)).toEqual([0, 140]);
    expectRange(p.columns.voltageV, 3.61, 3.663, 3);
    expect(p.columns.timeS[p.rowCount - 1]).toBeCloseTo(3600 + 10 * 60 + 25.56, 6);
    expect(p.startDateTime).toBe('2023-11-28 10:45:55');
  });

  it('sample_data_maccor.csv: 15 rows, 0 -> 28.8 A, 3.668–3.716 V', () => {
    const p = read('sample_data_maccor.csv');
    expect(p.rowCount).toBe(15);
    expect(valueRange(p.columns.currentMA)[1] / 1000).toBeCloseTo(28.8, 1);
    expectRange(p.columns.voltageV, 3.668, 3.716, 3);
  });

  it('maccor_test_file_4267-66-6519.041: 74 rows at 3.908–3.912 V before the EIS; its .EDA0001.041 is refused', () => {
    const p = read('maccor_test_file_4267-66-6519.041');
    expect(p.rowCount).toBe(74);
    expectRange(p.columns.voltageV, 3.908, 3.9117, 3);
    expect(() => read('maccor_test_file_4267-66-6519.EDA0001.041')).toThrow(/AC Impedance Test/);
  });
});

describe('garbage after a valid header (property)', () => {
  // One valid head per format of this batch; random lines after it must parse, be skipped, or end in an
  // ImportError: never a TypeError/RangeError.
  const heads: [TextFormat, string][] = [
    [MACCOR_TEXT, `${MIMS_HEADER}\nRec#\tCyc#\tStep\tTest (Sec)\tStep (Sec)\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES\tDPt Time`],
    [ARBIN_CSV, 'Data_Point,Test_Time,DateTime,Step_Time,Step_Index,Cycle_Index,Current,Voltage,Charge_Capacity,Discharge_Capacity'],
    [BASYTEC_TEXT, '~Resultfile from Basytec Battery Test System\n~Time[s]\tLine\tCommand\tU[V]\tI[A]\tAh-Step\tCyc-Count'],
    [
      NOVONIX_CSV,
      '[Summary]\nNovonix\n[End Summary]\n[Data]\nDate and Time,Cycle Number,Step Type,Run Time (h),Current (A),Potential (V),Capacity (Ah),Step Number',
    ],
  ];
  const cell = fc.oneof(
    fc.constantFrom('', '0', '-1.5', '3,7', 'N/A', 'C', 'D', 'R', '1e309', '  0d 00:00:1', '01/02/2020 3:04:05 PM'),
    fc.string({ maxLength: 6 }),
  );
  const line = fc.array(cell, { maxLength: 14 }).chain((cells) => fc.constantFrom(cells.join('\t'), cells.join(',')));

  for (const [format, header] of heads) {
    it(`${format.id}: only ImportError or records`, () => {
      fc.assert(
        fc.property(fc.array(line, { maxLength: 12 }), fc.boolean(), (lines, hasFinalBreak) => {
          const text = `${header}\n${lines.join('\n')}${hasFinalBreak ? '\n' : ''}`;
          try {
            const p = parseWithTextFormat(format, 'fuzz.txt', utf8(text));
            expect(p.columns.timeS.length).toBe(p.rowCount);
          } catch (error) {
            expect(error).toBeInstanceOf(ImportError);
          }
        }),
        { numRuns: 150, seed: 20260302 },
      );
    });
  }
});
