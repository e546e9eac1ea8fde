/**
 * Plateau annotation of a GITT relaxed-voltage curve (relaxed voltage against areal capacity).
 *
 * The known plateaus are the Li–In two-phase equilibria of DOMAIN.md (Ren et al., Adv. Energy Mater.
 * 2026, Fig. S2a): 0.62 V (In/LiIn), 0.29 V (LiIn/Li5In4) and 0.01 V (Li5In4/Li3In2) vs Li.
 *
 * A two-phase region is flat in relaxed voltage while the capacity grows, so a plateau is detected as a
 * run of consecutive points whose local slope |ΔV/Δq| is small compared with the curve's mean slope
 * (voltage span / capacity span). The comparison is relative so the same default works for any pulse
 * size, area or capacity unit; each region is then labelled with the nearest known plateau when it lies
 * within a tolerance (a full cell at 3–4 V gets flat regions but no Li–In label).
 */

export interface KnownPlateau {
  /** Equilibrium voltage vs Li, V. */
  readonly voltageV: number;
  /** The two phases in equilibrium. */
  readonly label: string;
}

/** Li–In plateaus vs Li (DOMAIN.md, the study's Fig. S2a), highest first. */
export const LI_IN_PLATEAUS: readonly KnownPlateau[] = Object.freeze([
  Object.freeze({ voltageV: 0.62, label: 'In/LiIn' }),
  Object.freeze({ voltageV: 0.29, label: 'LiIn/Li5In4' }),
  Object.freeze({ voltageV: 0.01, label: 'Li5In4/Li3In2' }),
]);

/** A segment is flat when its |slope| ≤ this fraction of the curve's mean slope (span V / span q). */
export const DEFAULT_PLATEAU_FLAT_SLOPE_FRACTION = 0.25;
/** Fewest points (relaxed voltages) that make a plateau: two flat segments in a row. */
export const DEFAULT_PLATEAU_MIN_POINTS = 3;
/** A flat region is labelled with the nearest known plateau only when its median is this close, V. */
export const DEFAULT_PLATEAU_LABEL_TOLERANCE_V = 0.05;

export interface PlateauOptions {
  readonly flatSlopeFraction?: number;
  readonly minPoints?: number;
  readonly labelToleranceV?: number;
  readonly knownPlateaus?: readonly KnownPlateau[];
}

export interface PlateauRegion {
  /** Indices into the input arrays, inclusive. */
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly startCapacity: number;
  readonly endCapacity: number;
  /** Median relaxed voltage of the region, V. */
  readonly medianVoltageV: number;
  /** Nearest known plateau within the tolerance, else null. */
  readonly knownVoltageV: number | null;
  readonly label: string | null;
}

/**
 * Finds flat regions of `voltageV` against `capacity` (same length, capacity monotonic — one GITT run
 * of one direction). Non-finite points break a region. Returns regions in input order.
 */
export function findPlateaus(capacity: ArrayLike<number>, voltageV: ArrayLike<number>, options: PlateauOptions = {}): PlateauRegion[] {
  const flatSlopeFraction = options.flatSlopeFraction ?? DEFAULT_PLATEAU_FLAT_SLOPE_FRACTION;
  const minPoints = options.minPoints ?? DEFAULT_PLATEAU_MIN_POINTS;
  const tolerance = options.labelToleranceV ?? DEFAULT_PLATEAU_LABEL_TOLERANCE_V;
  const known = options.knownPlateaus ?? LI_IN_PLATEAUS;
  const n = Math.min(capacity.length, voltageV.length);
  if (n < minPoints) return [];

  let vMin = Infinity;
  let vMax = -Infinity;
  let qMin = Infinity;
  let qMax = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = voltageV[i];
    const q = capacity[i];
    if (!Number.isFinite(v) || !Number.isFinite(q)) continue;
    if (v < vMin) vMin = v;
    if (v > vMax) vMax = v;
    if (q < qMin) qMin = q;
    if (q > qMax) qMax = q;
  }
  if (!(qMax > qMin)) return [];
  const flatSlope = (flatSlopeFraction * (vMax - vMin)) / (qMax - qMin);

  const isFlatSegment = (i: number): boolean => {
    const dq = Math.abs(capacity[i + 1] - capacity[i]);
    const dv = Math.abs(voltageV[i + 1] - voltageV[i]);
    if (!Number.isFinite(dq) || !Number.isFinite(dv) || dq === 0) return false;
    return dv <= flatSlope * dq;
  };

  const regions: PlateauRegion[] = [];
  let i = 0;
  while (i < n - 1) {
    if (!isFlatSegment(i)) {
      i++;
      continue;
    }
    let j = i;
    while (j < n - 1 && isFlatSegment(j)) j++;
    // Segments i..j-1 are flat: points i..j.
    if (j - i + 1 >= minPoints) regions.push(describeRegion(capacity, voltageV, i, j, known, tolerance));
    i = j;
  }
  return regions;
}

function describeRegion(
  capacity: ArrayLike<number>,
  voltageV: ArrayLike<number>,
  first: number,
  last: number,
  known: readonly KnownPlateau[],
  tolerance: number,
): PlateauRegion {
  const values: number[] = [];
  for (let k = first; k <= last; k++) values.push(voltageV[k]);
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  const median = values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  let nearest: KnownPlateau | null = null;
  for (const p of known) {
    if (
      Math.abs(p.voltageV - median) <= tolerance &&
      (nearest === null || Math.abs(p.voltageV - median) < Math.abs(nearest.voltageV - median))
    ) {
      nearest = p;
    }
  }
  return {
    firstIndex: first,
    lastIndex: last,
    startCapacity: capacity[first],
    endCapacity: capacity[last],
    medianVoltageV: median,
    knownVoltageV: nearest ? nearest.voltageV : null,
    label: nearest ? nearest.label : null,
  };
}
