/**
 * The columnar Dataset: DOMAIN.md's canonical record columns as typed arrays, one row per record.
 *
 * Sign convention (DOMAIN.md): `currentMA` > 0 is charge / oxidation of the working electrode
 * (NEWARE `CC_Chg`, BioLogic ox); < 0 is discharge / reduction (plating Li into In in a Li | SE | In cell).
 * `timeS` is test time in seconds from the first record and never decreases.
 * `capacityMAh`, when present, is the instrument's own per-step capacity as a magnitude (≥ 0).
 */

import type { FileHealthReport } from './file-health';

export interface DatasetColumns {
  /** Test time from the first record, s. Float64: a 3-week test at 1 ms resolution needs > 24 bits. */
  timeS: Float64Array;
  /** Working electrode vs counter, V. Float32 keeps 7 significant digits (< 1 µV at 5 V). */
  voltageV: Float32Array;
  /** Current, mA, positive = charge / oxidation of the working electrode. */
  currentMA: Float32Array;
  /** Instrument's per-step capacity magnitude, mAh (optional). */
  capacityMAh?: Float32Array;
  /** Step counter as the instrument writes it. */
  step: Int32Array;
  /** Codes of {@link STEP_TYPES}. */
  stepType: Uint8Array;
  /** Instrument's cycle counter (optional). */
  cycle?: Int32Array;
  /** Cell temperature, °C (optional). */
  temperatureC?: Float32Array;
}

export type ColumnKey = keyof DatasetColumns;

export type ColumnDType = 'float64' | 'float32' | 'int32' | 'uint8';

export interface ColumnSpec {
  readonly key: ColumnKey;
  /** DOMAIN.md's canonical name, used in the CLI and exports. */
  readonly name: string;
  readonly unit: string;
  readonly dtype: ColumnDType;
  readonly isRequired: boolean;
}

export const COLUMN_SPECS: readonly ColumnSpec[] = [
  { key: 'timeS', name: 'time', unit: 's', dtype: 'float64', isRequired: true },
  { key: 'voltageV', name: 'voltage', unit: 'V', dtype: 'float32', isRequired: true },
  { key: 'currentMA', name: 'current', unit: 'mA', dtype: 'float32', isRequired: true },
  { key: 'capacityMAh', name: 'capacity', unit: 'mAh', dtype: 'float32', isRequired: false },
  { key: 'step', name: 'step', unit: '', dtype: 'int32', isRequired: true },
  { key: 'stepType', name: 'stepType', unit: '', dtype: 'uint8', isRequired: true },
  { key: 'cycle', name: 'cycle', unit: '', dtype: 'int32', isRequired: false },
  { key: 'temperatureC', name: 'temperature', unit: '°C', dtype: 'float32', isRequired: false },
];

export type TypedColumn = Float64Array | Float32Array | Int32Array | Uint8Array;

/** Builds an empty typed array of a column's dtype (used when rehydrating stored bytes). */
export function typedArrayFromBuffer(dtype: ColumnDType, buffer: ArrayBuffer): TypedColumn {
  switch (dtype) {
    case 'float64':
      return new Float64Array(buffer);
    case 'float32':
      return new Float32Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'uint8':
      return new Uint8Array(buffer);
  }
}

/** How one header of the source file was read. */
export interface SourceColumn {
  /** Header exactly as in the file. */
  readonly header: string;
  /** Unit as written in the header ('' when none). */
  readonly unit: string;
  /** Canonical column it fed, if any. */
  readonly mappedTo?: string;
}

export interface ImportWarning {
  /** Stable machine-readable code, e.g. `current-sign-from-step-type`. */
  readonly code: string;
  readonly message: string;
  /** Number of records concerned, when countable. */
  readonly count?: number;
}

export interface DatasetMeta {
  /** Display name; the source file name by default. */
  name: string;
  source: {
    fileName: string;
    sizeBytes: number;
    /** Lower-case hex SHA-256 of the file's bytes. */
    sha256: string;
  };
  /** Format id of the parser that read it, e.g. `neware-csv`. */
  format: string;
  /** Human-readable instrument / software, e.g. `NEWARE BTSDA (CSV export)`. */
  instrument: string;
  /** Text encoding the file was decoded with. */
  encoding: string;
  /** Every header of the file, with the canonical column it was mapped to. */
  sourceColumns: SourceColumn[];
  /** Wall-clock time of the first record as written in the file (no time zone), if it has one. */
  startDateTime?: string;
  warnings: ImportWarning[];
  /** The file-health report computed after import (conversions, gaps, duplicates, unused columns). */
  health?: FileHealthReport;
  /**
   * What the data look like (analysis-kind.ts, `detectAnalysisKind`), decided once in the import worker
   * so the workspace can list GITT runs and CCD staircases without reading columns back.
   */
  analysisKind?: 'cycling' | 'ccd' | 'gitt';
}

export interface Dataset {
  /** Discriminates from IndentationDataset; absent on datasets built before indentation existed. */
  kind?: 'cycling';
  meta: DatasetMeta;
  rowCount: number;
  columns: DatasetColumns;
}

/** The typed arrays present in `columns`, in COLUMN_SPECS order. */
export function presentColumns(columns: DatasetColumns): { spec: ColumnSpec; array: TypedColumn }[] {
  const out: { spec: ColumnSpec; array: TypedColumn }[] = [];
  for (const spec of COLUMN_SPECS) {
    const array = columns[spec.key];
    if (array) out.push({ spec, array });
  }
  return out;
}

/** The ArrayBuffers behind a dataset's columns, for a transfer list. */
export function columnBuffers(dataset: Dataset): ArrayBuffer[] {
  return presentColumns(dataset.columns).map(({ array }) => array.buffer as ArrayBuffer);
}

/** Min and max of a column, ignoring NaN; [NaN, NaN] when empty. */
export function columnRange(values: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [NaN, NaN];
}
