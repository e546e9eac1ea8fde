import { describe, expect, it } from 'vitest';
import { parseDateTimeMs, parseDurationS, parseNumber, pickFields } from './field-parsing';

describe('field parsing', () => {
  it('picks wanted fields without splitting the rest', () => {
    const out: string[] = [];
    expect(pickFields('a,b,,d,e', ',', [0, 2, 3], out)).toBe(3);
    expect(out).toEqual(['a', '', 'd']);
    expect(pickFields('a,b', ',', [0, 4], out)).toBe(1);
    expect(out.slice(0, 2)).toEqual(['a', '']);
  });

  it('never reads an empty cell as 0', () => {
    expect(parseNumber('')).toBeNaN();
    expect(parseNumber('  ')).toBeNaN();
    expect(parseNumber('-0.00024859')).toBe(-0.00024859);
    expect(parseNumber('3,4228721E+000')).toBeCloseTo(3.4228721, 12);
    expect(parseNumber('1e-3')).toBe(0.001);
  });

  it('reads durations with hours past 24, days and fractions', () => {
    expect(parseDurationS('288:21:34.500')).toBe(288 * 3600 + 21 * 60 + 34.5);
    expect(parseDurationS('00:00:03.000')).toBe(3);
    expect(parseDurationS('12:30')).toBe(750);
    expect(parseDurationS('1d 02:00:00')).toBe(86400 + 7200);
    expect(parseDurationS('42.5')).toBe(42.5);
    expect(parseDurationS('12::30')).toBeNaN();
    expect(parseDurationS('ab:cd')).toBeNaN();
    expect(parseDurationS('1:2:3:4')).toBeNaN();
    expect(parseDurationS(' :30')).toBeNaN();
    expect(parseDurationS('-')).toBeNaN();
  });

  it('reads wall-clock date-times on a zone-free axis', () => {
    const a = parseDateTimeMs('2025-06-17 09:26:39.383');
    const b = parseDateTimeMs('2025-06-17 09:26:42.383');
    expect(b - a).toBeCloseTo(3000, 6);
    expect(parseDateTimeMs('2022-05-18T16:27:52')).toBe(Date.UTC(2022, 4, 18, 16, 27, 52));
    expect(parseDateTimeMs('05/18/2022 4:27:52 PM')).toBe(Date.UTC(2022, 4, 18, 16, 27, 52));
    expect(parseDateTimeMs('18.05.2022 16:27:52,5')).toBe(Date.UTC(2022, 4, 18, 16, 27, 52, 500));
    expect(parseDateTimeMs('2022/05/18 16:27')).toBe(Date.UTC(2022, 4, 18, 16, 27, 0));
    expect(parseDateTimeMs('2022-13-18 16:27:52')).toBeNaN();
    expect(parseDateTimeMs('yesterday')).toBeNaN();
  });
});
