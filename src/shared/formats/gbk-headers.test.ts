/**
 * A NEWARE export from a Chinese-language BTSDA (GBK bytes, Chinese headers and step labels). No such
 * real file exists in ../shared (MANIFEST: known gap), so the bytes are built here from GBK code points.
 */
import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { importBytes } from '../test-support/real-data';
import { guessEncoding } from './text-decoding';

/** GBK codes of the characters used (checked against TextDecoder('gbk') in the first test). */
const GBK: Readonly<Record<string, string>> = {
  记: 'BCC7',
  录: 'C2BC',
  序: 'D0F2',
  号: 'BAC5',
  循: 'D1AD',
  环: 'BBB7',
  工: 'B9A4',
  步: 'B2BD',
  类: 'C0E0',
  型: 'D0CD',
  总: 'D7DC',
  时: 'CAB1',
  间: 'BCE4',
  电: 'B5E7',
  流: 'C1F7',
  压: 'D1B9',
  容: 'C8DD',
  量: 'C1BF',
  恒: 'BAE3',
  放: 'B7C5',
  充: 'B3E4',
  搁: 'B8E9',
  置: 'D6C3',
};

function gbkBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const hex = GBK[ch];
    if (hex) out.push(parseInt(hex.slice(0, 2), 16), parseInt(hex.slice(2), 16));
    else out.push(ch.charCodeAt(0));
  }
  return Uint8Array.from(out);
}

const CSV = [
  '记录序号,循环号,工步号,工步类型,总时间,电流(mA),电压(V),容量(mAh)',
  '1,1,1,搁置,00:00:00,0.0000,0.9500,0.0000',
  '2,1,1,搁置,00:00:10,0.0000,0.9500,0.0000',
  '3,1,2,恒流放电,00:00:20,0.0785,0.6200,0.0000',
  '4,1,2,恒流放电,01:00:20,0.0785,0.6100,0.0785',
  '5,1,3,恒流充电,01:00:30,0.0785,0.6400,0.0000',
  '6,1,3,恒流充电,02:00:30,0.0785,0.6500,0.0785',
].join('\r\n');

describe('GBK (Chinese BTSDA) exports', () => {
  it('the GBK code table of this test is right', () => {
    const text = Object.keys(GBK).join('');
    expect(new TextDecoder('gbk').decode(gbkBytes(text))).toBe(text);
  });

  it('are decoded as GBK (not cp1252) and read with Chinese headers and step labels', async () => {
    const bytes = gbkBytes(CSV);
    expect(guessEncoding(bytes).encoding).toBe('gbk');
    const dataset = await importBytes('中文.csv', bytes);
    expect(dataset.meta.encoding).toBe('gbk');
    expect(dataset.meta.format).toBe('neware-csv');
    expect(dataset.rowCount).toBe(6);
    expect(dataset.meta.sourceColumns.find((c) => c.mappedTo === 'voltage')?.header).toBe('电压(V)');
    expect(Array.from(dataset.columns.stepType)).toEqual([
      STEP_TYPE_CODE.rest,
      STEP_TYPE_CODE.rest,
      STEP_TYPE_CODE.cc_discharge,
      STEP_TYPE_CODE.cc_discharge,
      STEP_TYPE_CODE.cc_charge,
      STEP_TYPE_CODE.cc_charge,
    ]);
    // The discharge current written as a magnitude gets the discharge sign (DOMAIN: + = charge).
    expect(dataset.columns.currentMA[3]).toBeCloseTo(-0.0785, 6);
    expect(dataset.columns.timeS[5]).toBe(7230);
  });

  it('a cp1252 file with µ (0xB5, also a GBK lead byte) stays cp1252', () => {
    const latin = Uint8Array.from(
      [...'Time(s),Current(', 0xb5, ...'A),Voltage(V)\n0,1,2\n'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0))),
    );
    expect(guessEncoding(latin).encoding).toBe('windows-1252');
  });
});
