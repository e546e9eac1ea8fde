/** The cycling analysis' verdict on a cell, in the study's words (the Cell view's status "Analysis"). */
import type { CyclingResultJson } from '@shared/analysis/analyze-cycling';
import { fixed } from './dom';

/** One line on the cell's fate: cycles, test condition, failure class and lifespan. */
export function describeFailure(result: CyclingResultJson): string {
  const j = fixed(result.currentDensity_mA_cm2, 2);
  const q = fixed(result.arealCapacity_mAh_cm2, 2);
  const { failure } = result;
  const fate =
    failure.class === 'stable'
      ? `stable (lifespan ≥ ${fixed(failure.lifespan_mAh_cm2, 1)} mAh cm⁻², still running)`
      : `${failure.class} at cycle ${failure.cycle ?? '–'} (lifespan ${fixed(failure.lifespan_mAh_cm2, 1)} mAh cm⁻²)`;
  return `${result.cycles.length} cycles at ${j} mA cm⁻² and ${q} mAh cm⁻² per cycle: ${fate}.`;
}
