import { describe, expect, it } from 'vitest';
import { AXIS_LABELS, axisTitle, journalUnit, toSuperscript } from './axis-labels';

describe('journalUnit', () => {
  it('typesets the study units with superscript exponents', () => {
    expect(journalUnit('mA/cm2')).toBe('mA cm⁻²');
    expect(journalUnit('mAh/cm^2')).toBe('mAh cm⁻²');
    expect(journalUnit('cm2/s')).toBe('cm² s⁻¹');
    expect(journalUnit('mAh/V')).toBe('mAh V⁻¹');
    expect(journalUnit('mAh/g')).toBe('mAh g⁻¹');
    expect(journalUnit('V')).toBe('V');
    expect(journalUnit('mN nm^-1')).toBe('mN nm⁻¹');
  });

  it('leaves a unit it cannot typeset unchanged rather than half-converted', () => {
    expect(journalUnit('mN/nm^1.5')).toBe('mN/nm^1.5');
  });

  it('refuses characters with no superscript', () => {
    expect(toSuperscript('-12')).toBe('⁻¹²');
    expect(() => toSuperscript('1.5')).toThrow(/no superscript/);
  });

  it('builds the axis titles of the study figures', () => {
    expect(axisTitle('Current density', 'mA/cm2')).toBe('Current density (mA cm⁻²)');
    expect(AXIS_LABELS.arealCapacity).toBe('Areal capacity (mAh cm⁻²)');
    expect(AXIS_LABELS.diffusionCoefficient).toBe('D (cm² s⁻¹)');
    expect(AXIS_LABELS.cycle).toBe('Cycle number');
  });
});
