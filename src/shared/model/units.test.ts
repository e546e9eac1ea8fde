import { describe, expect, it } from 'vitest';
import { normaliseUnit, splitHeaderUnit, unitConversion } from './units';

describe('units', () => {
  it('splits the header spellings instruments use', () => {
    expect(splitHeaderUnit('Current(µA)')).toEqual({ name: 'Current', unit: 'µA' });
    expect(splitHeaderUnit('Current (A)')).toEqual({ name: 'Current', unit: 'A' });
    expect(splitHeaderUnit('Voltage[V]')).toEqual({ name: 'Voltage', unit: 'V' });
    expect(splitHeaderUnit('I/mA')).toEqual({ name: 'I', unit: 'mA' });
    expect(splitHeaderUnit('Q charge/discharge/mA.h')).toEqual({ name: 'Q charge/discharge', unit: 'mA.h' });
    expect(splitHeaderUnit('DataPoint')).toEqual({ name: 'DataPoint', unit: '' });
  });

  it('normalises micro signs, dotted units and the ? NEWARE writes for ℃', () => {
    expect(normaliseUnit('µA')).toBe('ua');
    expect(normaliseUnit('μA')).toBe('ua');
    expect(normaliseUnit('mA.h')).toBe('mah');
    expect(normaliseUnit('℃')).toBe('c');
    expect(normaliseUnit('°C')).toBe('c');
    expect(normaliseUnit('?')).toBe('c');
  });

  it('converts to the canonical units of DOMAIN.md', () => {
    const convert = (q: Parameters<typeof unitConversion>[0], unit: string, v: number) => {
      const c = unitConversion(q, unit)!;
      return v * c.factor + c.offset;
    };
    expect(convert('current', 'A', 0.00099171)).toBeCloseTo(0.99171, 12);
    expect(convert('current', 'µA', 250)).toBeCloseTo(0.25, 12);
    expect(convert('voltage', 'mV', 620)).toBeCloseTo(0.62, 12);
    expect(convert('capacity', 'mAs', 3600)).toBeCloseTo(1, 12);
    expect(convert('capacity', 'As', 3.6)).toBeCloseTo(1, 12);
    expect(convert('capacity', 'Ah', 0.02256)).toBeCloseTo(22.56, 10);
    expect(convert('time', 'h', 1.5)).toBe(5400);
    expect(convert('time', 'min', 2)).toBe(120);
    expect(convert('temperature', 'K', 298.15)).toBeCloseTo(25, 10);
    expect(unitConversion('current', 'V')).toBeUndefined();
    expect(unitConversion('voltage', 'furlong')).toBeUndefined();
  });
});
