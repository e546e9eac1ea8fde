/**
 * The file-health report kept with every dataset: what the import converted (units, signs, time
 * formats), what looks wrong in the records (gaps, duplicate rows, time running backwards) and which
 * columns of the file were not used. Computed once after import from the columns and the metadata.
 */
import { CANONICAL_UNIT, normaliseUnit, type Quantity } from './units';
import type { Dataset, ImportWarning } from './dataset';

export interface FileHealth {
  /** One line per header whose unit was converted, e.g. `Current(µA): µA → mA`. */
  conversions: string[];
  /** Headers of the file that feed no canonical column. */
  unusedColumns: string[];
  /** Time steps longer than `gapThresholdS` (logging stopped, tester paused, file joined). */
  gaps: { count: number; largestS: number; thresholdS: number; firstAtS: number | null };
  /** Consecutive records identical in time, voltage and current (exported twice). */
  duplicateRows: number;
  /** Records whose time is earlier than the record before (clock set back, files concatenated). */
  timeBackwards: number;
  /** Median interval between records, s. */
  medianIntervalS: number;
  /** The import's own warnings (sign conversions, skipped rows, inferred step types …). */
  warnings: ImportWarning[];
}

/** A gap is a step longer than this many median intervals, and never shorter than GAP_MIN_S. */
export const GAP_MEDIAN_FACTOR = 10;
export const GAP_MIN_S = 60;
const MEDIAN_SAMPLE = 20_001;

/** What is stored with a dataset (its warnings are already in the metadata). */
export type FileHealthReport = Omit<FileHealth, 'warnings'>;

/** The dataset with its file-health report in its metadata. */
export function withFileHealth<D extends Dataset>(dataset: D): D {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the warnings stay in meta.warnings only
  const { warnings: _warnings, ...health } = computeFileHealth(dataset);
  dataset.meta.health = health;
  return dataset;
}

const QUANTITY_OF_CANONICAL: Readonly<Record<string, Quantity>> = {
  time: 'time',
  voltage: 'voltage',
  current: 'current',
  capacity: 'capacity',
  temperature: 'temperature',
};

function medianInterval(timeS: Float64Array): number {
  const n = timeS.length - 1;
  if (n < 1) return NaN;
  const stride = Math.max(1, Math.floor(n / MEDIAN_SAMPLE));
  const dts: number[] = [];
  for (let i = 0; i < n; i += stride) dts.push(timeS[i + 1] - timeS[i]);
  dts.sort((a, b) => a - b);
  return dts[Math.floor(dts.length / 2)];
}

export function computeFileHealth(dataset: Dataset): FileHealth {
  const { timeS, voltageV, currentMA } = dataset.columns;
  const conversions: string[] = [];
  const unusedColumns: string[] = [];
  for (const c of dataset.meta.sourceColumns) {
    if (!c.mappedTo) {
      unusedColumns.push(c.header);
      continue;
    }
    const quantity = QUANTITY_OF_CANONICAL[c.mappedTo];
    if (quantity && c.unit !== '' && normaliseUnit(c.unit) !== normaliseUnit(CANONICAL_UNIT[quantity])) {
      conversions.push(`${c.header}: ${c.unit} → ${CANONICAL_UNIT[quantity]}`);
    }
  }
  const median = medianInterval(timeS);
  const thresholdS = Math.max(GAP_MIN_S, Number.isFinite(median) ? GAP_MEDIAN_FACTOR * median : GAP_MIN_S);
  let gapCount = 0;
  let largest = 0;
  let firstAt: number | null = null;
  let duplicates = 0;
  let backwards = 0;
  for (let i = 1; i < timeS.length; i++) {
    const dt = timeS[i] - timeS[i - 1];
    if (dt > thresholdS) {
      gapCount++;
      if (firstAt === null) firstAt = timeS[i - 1];
    }
    if (dt > largest) largest = dt;
    if (dt < 0) backwards++;
    else if (dt === 0 && voltageV[i] === voltageV[i - 1] && currentMA[i] === currentMA[i - 1]) duplicates++;
  }
  return {
    conversions,
    unusedColumns,
    gaps: { count: gapCount, largestS: gapCount > 0 ? largest : 0, thresholdS, firstAtS: firstAt },
    duplicateRows: duplicates,
    timeBackwards: backwards,
    medianIntervalS: median,
    warnings: dataset.meta.warnings,
  };
}
