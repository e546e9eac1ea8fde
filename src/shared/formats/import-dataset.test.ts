import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { generateAsymmetricCell, type SynthRecord } from '../synth/asymmetric-cell';
import { formatNewareCsv } from '../synth/neware-csv-writer';
import { formatNewareXlsx } from '../synth/neware-xlsx-writer';
import { importBytes, nodeHasher, utf8 } from '../test-support/real-data';
import { bytesSource, importDataset } from './import-dataset';
import { ImportError } from './import-error';

/** Latin-1 bytes (µ = 0xB5), as BTSDA writes on Windows. */
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** 1 mA charge for 3600 s then 1 mA discharge for 1800 s, logged every 60 s: Q = 1 mAh and 0.5 mAh. */
function oneMilliampHour(): SynthRecord[] {
  const records: SynthRecord[] = [];
  const step = (label: SynthRecord['stepLabel'], stepIndex: number, currentMA: number, seconds: number, t0: number) => {
    for (let s = 0; s <= seconds; s += 60) {
      records.push({
        totalTimeS: t0 + s,
        stepTimeS: s,
        voltageV: 0.6 + (currentMA > 0 ? 0.01 : -0.01),
        currentMA,
        capacityMAh: (Math.abs(currentMA) * s) / 3600,
        cycle: 1,
        stepIndex,
        stepLabel: label,
      });
    }
  };
  step('CC Chg', 1, 1, 3600, 0);
  step('CC DChg', 2, -1, 1800, 3660);
  return records;
}

async function expectImportError(fileName: string, bytes: Uint8Array, code: string, pattern: RegExp) {
  const attempt = importBytes(fileName, bytes);
  await expect(attempt).rejects.toBeInstanceOf(ImportError);
  await expect(attempt).rejects.toMatchObject({ code, fileName });
  await expect(attempt).rejects.toThrow(pattern);
  await expect(attempt).rejects.toThrow(new RegExp(`^${fileName.replace('.', '\\.')}: `));
}

describe('importDataset on NEWARE record CSV', () => {
  it('reads 1 mA for 3600 s as 1 mAh in every unit choice BTSDA offers', async () => {
    const records = oneMilliampHour();
    const variants = [
      { units: { current: 'mA', voltage: 'V', capacity: 'mAh' }, encode: utf8 },
      { units: { current: 'A', voltage: 'V', capacity: 'Ah' }, encode: utf8 },
      { units: { current: 'µA', voltage: 'mV', capacity: 'mAs' }, encode: latin1 },
      { units: { current: 'µA', voltage: 'mV', capacity: 'mAs' }, encode: utf8 },
    ] as const;
    for (const { units, encode } of variants) {
      const dataset = await importBytes('cell.csv', encode(formatNewareCsv(records, units)));
      const { timeS, currentMA, capacityMAh, stepType, voltageV } = dataset.columns;
      expect(dataset.rowCount).toBe(records.length);
      const endOfCharge = records.findIndex((r) => r.stepLabel === 'CC DChg') - 1;
      expect(timeS[endOfCharge]).toBe(3600);
      expect(capacityMAh![endOfCharge]).toBeCloseTo(1, 6);
      expect(capacityMAh![records.length - 1]).toBeCloseTo(0.5, 6);
      expect(currentMA[0]).toBeCloseTo(1, 6);
      expect(currentMA[records.length - 1]).toBeCloseTo(-1, 6);
      expect(voltageV[0]).toBeCloseTo(0.61, 6);
      expect(stepType[0]).toBe(STEP_TYPE_CODE.cc_charge);
      expect(stepType[records.length - 1]).toBe(STEP_TYPE_CODE.cc_discharge);
    }
  });

  it('gives identical columns whatever the chunking and line endings', async () => {
    const text = formatNewareCsv(generateAsymmetricCell({ cycles: 2 }));
    const whole = await importBytes('a.csv', utf8(text), 1 << 24);
    const tiny = await importBytes('a.csv', utf8(text), 7);
    const lf = await importBytes('a.csv', utf8(text.replace(/\r\n/g, '\n')), 4096);
    for (const other of [tiny, lf]) {
      expect(other.rowCount).toBe(whole.rowCount);
      expect(other.columns.timeS).toEqual(whole.columns.timeS);
      expect(other.columns.voltageV).toEqual(whole.columns.voltageV);
      expect(other.columns.currentMA).toEqual(whole.columns.currentMA);
      expect(other.columns.stepType).toEqual(whole.columns.stepType);
    }
    expect(tiny.meta.source.sha256).toBe(whole.meta.source.sha256);
  });

  it('reads total times past 24 h and rebases time to the first record', async () => {
    const csv = [
      'DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,Current(mA),Voltage(V)',
      '1,1,1,Rest,00:00:00,100:00:00.500,0,0.9',
      '2,1,2,CC DChg,00:00:01,288:21:34.500,-0.1,0.6',
    ].join('\n');
    const dataset = await importBytes('long.csv', utf8(csv));
    expect(Array.from(dataset.columns.timeS)).toEqual([0, 188 * 3600 + 21 * 60 + 34]);
  });

  it('reads a BTSDA export made with the Chinese UI (UTF-8 headers)', async () => {
    const csv = [
      '记录序号,循环号,工步号,工步类型,时间,总时间,电流(mA),电压(V),容量(mAh)',
      '1,1,1,搁置,00:00:00,00:00:00,0,0.95,0',
      '2,1,2,恒流放电,00:00:10,00:00:10,-0.0785,0.61,0.000218',
    ].join('\n');
    const dataset = await importBytes('中文.csv', utf8(csv));
    expect(dataset.meta.format).toBe('neware-csv');
    expect(Array.from(dataset.columns.stepType)).toEqual([STEP_TYPE_CODE.rest, STEP_TYPE_CODE.cc_discharge]);
    expect(dataset.columns.currentMA[1]).toBeCloseTo(-0.0785, 6);
    expect(Array.from(dataset.columns.cycle!)).toEqual([1, 1]);
  });

  it('signs magnitudes by the step type and says so', async () => {
    const csv = ['DataPoint,Step Index,Step Type,Total Time,Current(mA),Voltage(V)', '1,1,CC DChg,0,0.5,0.6', '2,1,CC DChg,1,0.5,0.6'].join(
      '\n',
    );
    const dataset = await importBytes('mag.csv', utf8(csv));
    expect(Array.from(dataset.columns.currentMA)).toEqual([-0.5, -0.5]);
    expect(dataset.meta.warnings.map((w) => w.code)).toContain('current-sign-from-step-type');
  });

  it('skips a truncated last line (a tester that lost power) with a warning naming the line', async () => {
    const text = formatNewareCsv(oneMilliampHour());
    const cut = text.slice(0, text.lastIndexOf(',', text.length - 40));
    const dataset = await importBytes('cut.csv', utf8(cut));
    expect(dataset.rowCount).toBe(oneMilliampHour().length - 1);
    const warning = dataset.meta.warnings.find((w) => w.code === 'rows-skipped');
    expect(warning?.count).toBe(1);
    expect(warning?.message).toContain(`line ${oneMilliampHour().length + 1}`);
  });

  it('keeps a complete last line that merely lacks a line break', async () => {
    const text = formatNewareCsv(oneMilliampHour()).trimEnd();
    const dataset = await importBytes('noeol.csv', utf8(text));
    expect(dataset.rowCount).toBe(oneMilliampHour().length);
    expect(dataset.meta.warnings).toEqual([]);
  });

  it('reads the nested export and does not count a short last cycle row as a cut record', async () => {
    const csv = [
      'Cycle Index,Chg. Cap.(Ah),DChg. Cap.(Ah)',
      ',Step Index,Step Number,Step Type,Step Time',
      ',,DataPoint,Time,Total Time,Current(A),Voltage(V),Capacity(Ah)',
      '1,0.001,0',
      ',1,1,CC Chg,00:00:10',
      ',,1,00:00:00,00:00:00,0.001,3.9,0',
      ',,2,00:00:10,00:00:10,0.001,3.95,0.0000027',
      '2,0,0',
    ].join('\n');
    const dataset = await importBytes('nested.csv', utf8(csv));
    expect(dataset.meta.format).toBe('neware-csv-nested');
    expect(Array.from(dataset.columns.timeS)).toEqual([0, 10]);
    expect(dataset.columns.currentMA[1]).toBeCloseTo(1, 6);
    expect(dataset.meta.warnings).toEqual([]);
  });

  it('reports progress up to 1 and stops when aborted', async () => {
    const bytes = utf8(formatNewareCsv(generateAsymmetricCell({ cycles: 3 })));
    const fractions: number[] = [];
    await importDataset(bytesSource('p.csv', bytes, 10_000), { createHasher: nodeHasher, onProgress: (f) => fractions.push(f) });
    expect(fractions.length).toBeGreaterThan(5);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(fractions[fractions.length - 1]).toBe(1);

    const signal = { aborted: false };
    const attempt = importDataset(bytesSource('p.csv', bytes, 10_000), {
      createHasher: nodeHasher,
      signal,
      onProgress: (f) => {
        if (f > 0.3) signal.aborted = true;
      },
    });
    await expect(attempt).rejects.toMatchObject({ code: 'aborted', message: 'p.csv: import cancelled.' });
  });

  it('hashes the bytes with SHA-256', async () => {
    const dataset = await importBytes('h.csv', utf8(formatNewareCsv(oneMilliampHour())));
    expect(dataset.meta.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await importBytes('h.csv', utf8(formatNewareCsv(oneMilliampHour())), 1000);
    expect(again.meta.source.sha256).toBe(dataset.meta.source.sha256);
  });
});

describe('importDataset on bad input', () => {
  it('names the file and the problem for each kind of bad file', async () => {
    await expectImportError('empty.csv', new Uint8Array(0), 'empty-file', /empty/);
    await expectImportError(
      'random.bin',
      Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256),
      'binary-file',
      /binary/,
    );
    await expectImportError(
      'notes.txt',
      utf8('Dear diary,\nthe cell looked fine today.\n'),
      'unrecognised-format',
      /no header naming time, voltage and current/,
    );
    await expectImportError('cell.ndax', Uint8Array.from([0x50, 0x4b, 3, 4, 20, 0, 0, 0]), 'unsupported-format', /ZIP archive/);
    await expectImportError('cell.nda', utf8('NEWARE\u0000\u0000binary'), 'damaged-file', /\.nda file ends/);
    await expectImportError(
      'header.csv',
      utf8('DataPoint,Step Index,Step Type,Total Time,Current(mA),Voltage(V)\n'),
      'no-data-rows',
      /no readable data rows/,
    );
    await expectImportError(
      'units.csv',
      utf8('DataPoint,Step Index,Step Type,Total Time,Current(furlong),Voltage(V)\n1,1,Rest,0,0,1\n'),
      'unsupported-format',
      /"Current\(furlong\)"/,
    );
    const mostlyBroken = ['DataPoint,Step Index,Step Type,Total Time,Current(mA),Voltage(V)', '1,1,Rest,0,0,0.9'];
    for (let i = 0; i < 10; i++) mostlyBroken.push('x,y,z');
    await expectImportError('broken.csv', utf8(mostlyBroken.join('\n')), 'too-many-bad-rows', /could not be read/);
  });

  it('rejects NaN and infinite cells row by row rather than storing them', async () => {
    const csv = [
      'DataPoint,Step Index,Step Type,Total Time,Current(mA),Voltage(V)',
      '1,1,Rest,0,0,0.9',
      '2,1,Rest,1,0,NaN',
      '3,1,Rest,2,0,inf',
      '4,1,Rest,3,0,0.91',
    ];
    const dataset = await importBytes('nan.csv', utf8(csv.join('\n')));
    expect(dataset.rowCount).toBe(2);
    expect(Array.from(dataset.columns.voltageV)).toEqual([Math.fround(0.9), Math.fround(0.91)]);
  });
});

describe('import progress of whole-file formats', () => {
  it('reads up to 0.7, then the parse continues to 1, never going back', async () => {
    const bytes = formatNewareXlsx(generateAsymmetricCell({ cycles: 2 }));
    const fractions: number[] = [];
    await importDataset(bytesSource('p.xlsx', bytes, 4096), { createHasher: nodeHasher, onProgress: (f) => fractions.push(f) });
    expect(fractions.at(-1)).toBe(1);
    expect(Math.max(...fractions.slice(0, -1))).toBeLessThanOrEqual(1);
    for (let k = 1; k < fractions.length; k++) expect(fractions[k]).toBeGreaterThanOrEqual(fractions[k - 1]);
    expect(fractions.some((f) => f > 0 && f <= 0.7)).toBe(true);
  });
});
