/** The CCD view's pure part: the status line. */
import type { CcdResultJson } from '@shared/analysis/analyze-cycling';
import { fixed } from './dom';

/** "Critical current density: 0.80 mA cm⁻² (last stable 0.70)", or the highest step passed when none shorted. */
export function describeCcd(ccd: Pick<CcdResultJson, 'ccd_mA_cm2' | 'lastStable_mA_cm2' | 'steps'>): string {
  if (ccd.ccd_mA_cm2 !== null) {
    const last = ccd.lastStable_mA_cm2 === null ? 'no stable step' : `last stable ${fixed(ccd.lastStable_mA_cm2, 2)}`;
    return `Critical current density: ${fixed(ccd.ccd_mA_cm2, 2)} mA cm⁻² (${last})`;
  }
  const top = ccd.steps.length === 0 ? null : Math.max(...ccd.steps.map((s) => s.currentDensity_mA_cm2));
  return top === null ? 'No current steps found' : `No short up to ${fixed(top, 2)} mA cm⁻²: the CCD is above the last step`;
}
