/**
 * Failure-mechanism map (DOMAIN.md 'Failure', the study's Fig. 2e): one row per cell placed by current density j
 * and areal capacity q, coloured by failure class, sized or labelled by lifespan.
 */
import type { FailureClass } from './failure';

export interface FailureMapRow {
  file: string;
  currentDensity_mA_cm2: number | null;
  arealCapacity_mAh_cm2: number | null;
  class: FailureClass;
  lifespan_mAh_cm2: number | null;
  censored: boolean;
  failureCycle: number | null;
}

/** The part of a cycling result (analyzeCycling's JSON) a map row needs. */
export interface FailureMapSource {
  file: string;
  currentDensity_mA_cm2: number | null;
  arealCapacity_mAh_cm2: number | null;
  failure: { class: FailureClass; cycle: number | null; lifespan_mAh_cm2: number | null; censored: boolean };
}

/** Region colours of the study's map: blue stable, yellow polarization, green soft short, red hard short. */
export const FAILURE_REGION_COLOURS: Readonly<Record<FailureClass, string>> = Object.freeze({
  stable: '#1f77b4',
  polarization: '#f2c318',
  'soft-short': '#2ca02c',
  'hard-short': '#d62728',
});

export const FAILURE_REGION_LABELS: Readonly<Record<FailureClass, string>> = Object.freeze({
  stable: 'stable',
  polarization: 'slow failure by polarization',
  'soft-short': 'fast failure by soft short',
  'hard-short': 'ultrafast failure by hard short',
});

export function failureMapRow(result: FailureMapSource): FailureMapRow {
  return {
    file: result.file,
    currentDensity_mA_cm2: result.currentDensity_mA_cm2,
    arealCapacity_mAh_cm2: result.arealCapacity_mAh_cm2,
    class: result.failure.class,
    lifespan_mAh_cm2: result.failure.lifespan_mAh_cm2,
    censored: result.failure.censored,
    failureCycle: result.failure.cycle,
  };
}

/** Rows of many cells, ordered by j then q (the map's reading order). */
export function failureMapRows(results: readonly FailureMapSource[]): FailureMapRow[] {
  return results
    .map(failureMapRow)
    .sort(
      (a, b) =>
        (a.currentDensity_mA_cm2 ?? 0) - (b.currentDensity_mA_cm2 ?? 0) || (a.arealCapacity_mAh_cm2 ?? 0) - (b.arealCapacity_mAh_cm2 ?? 0),
    );
}
