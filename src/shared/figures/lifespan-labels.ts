/**
 * Short bar labels for the lifespan chart of many cells: "0.5 · 1" (j in mA cm⁻² · q in mAh cm⁻², the units go
 * in the axis title {@link LIFESPAN_LABEL_AXIS_TITLE}). Cells sharing a condition are told apart by their
 * temperature when it differs ("0.2 · 0.2, −10 °C"), else numbered ("0.2 · 0.2 #2").
 */
import type { FailureMapRow } from '../analysis/failure-map';

export const LIFESPAN_LABEL_AXIS_TITLE = 'j (mA cm⁻²) · q (mAh cm⁻²)';

export interface LabelledCell {
  readonly row: Pick<FailureMapRow, 'currentDensity_mA_cm2' | 'arealCapacity_mAh_cm2'>;
  readonly temperatureC?: number;
}

const short = (v: number | null): string => (v === null || !Number.isFinite(v) ? '?' : String(Number(v.toPrecision(3))));

/** A minus sign, not a hyphen, for negative temperatures. */
const celsius = (t: number): string => `${t < 0 ? '−' : ''}${Math.abs(t)} °C`;

export function lifespanBarLabels(cells: readonly LabelledCell[]): string[] {
  const base = cells.map((c) => `${short(c.row.currentDensity_mA_cm2)} · ${short(c.row.arealCapacity_mAh_cm2)}`);
  const seen = new Map<string, number>();
  return cells.map((c, k) => {
    const same = cells.filter((_, i) => base[i] === base[k]);
    if (same.length === 1) return base[k];
    const temperatures = new Set(same.map((s) => s.temperatureC));
    const withT = `${base[k]}${c.temperatureC === undefined ? '' : `, ${celsius(c.temperatureC)}`}`;
    if (temperatures.size === same.length) return withT;
    const n = (seen.get(withT) ?? 0) + 1;
    seen.set(withT, n);
    return `${withT} #${n}`;
  });
}
