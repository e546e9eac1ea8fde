import { describe, expect, it } from 'vitest';
import { describeCcd } from './ccd-model';

const step = (j: number, shorted: boolean) => ({ currentDensity_mA_cm2: j, shorted, cycles: [], evidence: [] });

describe('the CCD status line', () => {
  it('names the CCD and the last stable step', () => {
    expect(describeCcd({ ccd_mA_cm2: 0.8, lastStable_mA_cm2: 0.7, steps: [step(0.7, false), step(0.8, true)] })).toBe(
      'Critical current density: 0.80 mA cm⁻² (last stable 0.70)',
    );
    expect(describeCcd({ ccd_mA_cm2: 0.1, lastStable_mA_cm2: null, steps: [step(0.1, true)] })).toBe(
      'Critical current density: 0.10 mA cm⁻² (no stable step)',
    );
  });

  it('says the CCD is above the last step when no step shorted', () => {
    expect(describeCcd({ ccd_mA_cm2: null, lastStable_mA_cm2: 0.5, steps: [step(0.25, false), step(0.5, false)] })).toBe(
      'No short up to 0.50 mA cm⁻²: the CCD is above the last step',
    );
    expect(describeCcd({ ccd_mA_cm2: null, lastStable_mA_cm2: null, steps: [] })).toBe('No current steps found');
  });
});
