import { describe, expect, it } from 'vitest';
import { colourFor, conditionColours, JOURNAL_FONT_FAMILY, journalAxis } from './journal-style';
import { OKABE_ITO } from './voltage-time-spec';

describe('journal style', () => {
  it('puts ticks inside and mirrors them on the opposite side (ticks on all four sides)', () => {
    const axis = journalAxis('Voltage (V)');
    expect(axis).toMatchObject({ ticks: 'inside', mirror: 'allticks', showline: true, showgrid: false, zeroline: false });
    expect(journalAxis('D', { type: 'log' })).toMatchObject({ type: 'log', exponentformat: 'power' });
    expect(JOURNAL_FONT_FAMILY).toMatch(/sans-serif$/);
  });

  it('keeps one colour per condition whatever order the panels list them in', () => {
    const a = conditionColours(['1 mA', '0.2 mA', '0.5 mA']);
    const b = conditionColours(['0.5 mA', '1 mA', '0.2 mA', '0.5 mA']);
    expect([...a]).toEqual([...b]);
    expect(a.get('0.2 mA')).toBe(OKABE_ITO[0]);
    expect(new Set(a.values()).size).toBe(3);
  });

  it('wraps the palette instead of failing', () => {
    expect(colourFor(OKABE_ITO.length + 2)).toBe(OKABE_ITO[2]);
    expect(colourFor(-1)).toBe(OKABE_ITO[OKABE_ITO.length - 1]);
    expect(() => colourFor(0, [])).toThrow(/empty/);
  });
});
