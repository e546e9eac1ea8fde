import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../synth/seeded-random';
import { utf8 } from '../test-support/real-data';
import { parseDurationBytes, parseNumberBytes, pickFieldsBytes } from './byte-fields';

const num = (text: string) => parseNumberBytes(utf8(text), 0, utf8(text).length);
const dur = (text: string) => parseDurationBytes(utf8(text), 0, utf8(text).length);

describe('parseNumberBytes', () => {
  it('equals the engine on the forms instruments write', () => {
    for (const text of ['0', '-0.0785', '3.4228721', '1.2e-5', '-4.5E+02', '.5', '12.', '+7', '0.00', '123456789012345', '0.000001234']) {
      expect(num(text)).toBe(Number(text));
    }
  });

  it('is bit-identical to Number() on 20,000 random decimals of up to 15 digits', () => {
    const rng = createSeededRandom(7);
    for (let k = 0; k < 20_000; k++) {
      const digits = 1 + Math.floor(rng.uniform() * 15);
      const mantissa = Math.floor(rng.uniform() * 10 ** digits);
      const point = Math.floor(rng.uniform() * (digits + 1));
      const s = String(mantissa).padStart(point + 1, '0');
      const text = `${rng.uniform() < 0.5 ? '-' : ''}${s.slice(0, s.length - point)}.${s.slice(s.length - point)}`;
      expect(num(text)).toBe(Number(text));
    }
  });

  it('refuses (NaN) what the string path must handle: empty, blanks, decimal commas, text, too many digits', () => {
    for (const text of ['', ' 1', '1 ', '1,5', 'abc', '-', '.', '1e', '1e+', '1234567890123456', '1.2.3', 'NaN', 'inf']) {
      expect(num(text)).toBeNaN();
    }
  });
});

describe('parseDurationBytes', () => {
  it('reads H:MM:SS.fff with hours past 24, MM:SS and plain seconds', () => {
    expect(dur('288:21:34.500')).toBe(288 * 3600 + 21 * 60 + 34.5);
    expect(dur('00:00:01')).toBe(1);
    expect(dur('02:30')).toBe(150);
    expect(dur('12.25')).toBe(12.25);
    expect(dur('1d 02:00:00')).toBeNaN();
    expect(dur('1:2:3:4')).toBeNaN();
  });
});

describe('pickFieldsBytes', () => {
  it('finds the wanted fields, including empty and last ones', () => {
    const line = utf8('1,,CC Chg,0:00:01,0.5');
    const starts = new Int32Array(3);
    const ends = new Int32Array(3);
    expect(pickFieldsBytes(line, 0, line.length, 44, [1, 2, 4], starts, ends)).toBe(3);
    const text = (k: number) => new TextDecoder().decode(line.subarray(starts[k], ends[k]));
    expect([text(0), text(1), text(2)]).toEqual(['', 'CC Chg', '0.5']);
    expect(pickFieldsBytes(line, 0, line.length, 44, [1, 7], starts, ends)).toBe(1);
  });
});
