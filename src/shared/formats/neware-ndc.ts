/**
 * Record decoding shared by the NEWARE binary formats: the `.ndc` members of a BTS 8 `.ndax` ZIP, and the
 * pieces both `.ndax` and `.nda` (BTS 7 / BTS 9) need — NEWARE's numeric step-type codes, the current
 * range multiplier, BTSDA's total time, and the conversion of decoded records into canonical columns.
 *
 * Layouts were learned from the open-source readers fastnda (BSD-3-Clause, Empa / SES AI) and NewareNDA
 * (BSD-3-Clause, SES AI) and checked byte by byte against the real files in ../shared/data/real/neware
 * and their BTSDA-derived references (MANIFEST.md). No code was copied; the offsets are facts of the format.
 *
 * An `.ndc` member (version ≥ 5) is a 4096-byte file header followed by 4096-byte pages. Byte 0 of the
 * file is its type (1 records, 5 aux, 7 step, 9 log, 16 es, 18 runInfo) and byte 2 its NDC version.
 * Each page holds fixed-size rows from byte 132; bytes 4.. of the page are a little-endian bitmask of
 * the rows in use (bit r = row r). NDC 2 uses 512-byte pages, rows from byte 5, and marks unused rows
 * with index 0.
 *
 * Pipeline of an NDC ≥ 11 file: data.ndc (voltage, current per record) ⨝ data_runInfo.ndc (step time,
 * capacities, Unix time, step number; sparse: records between two runInfo rows are filled forward by
 * the runInfo's record interval `dt`) ⨝ data_step.ndc (cycle, step index, step type per executed
 * step) ⨝ aux members (temperature) -> {@link NewareRecords} -> {@link finishNewareRecords}.
 */
import { COLUMN_SPECS, type DatasetColumns, type ImportWarning, type SourceColumn } from '../model/dataset';
import { STEP_TYPE_CODE, stepTypeFromLabel } from '../model/step-type';
import type { ParsedCycling } from './binary-format';
import { ImportError } from './import-error';

/** `.ndc` file types (byte 0 of the member). */
export const NDC_FILE_TYPE = { records: 1, auxList: 3, aux: 5, step: 7, log: 9, es: 16, runInfo: 18 } as const;

/** NDC versions whose layouts this reader knows (2, 14, 16, 17 are verified against real files). */
export const NDC_VERSIONS: readonly number[] = [2, 5, 11, 14, 16, 17];

/**
 * NEWARE's numeric step-type codes (as stored in .ndc step rows and .nda records) and BTSDA's labels
 * for them (fastnda `STEP_TYPE_MAP`; BTSDA exports spell them with spaces, e.g. `CC DChg`).
 */
export const NEWARE_STEP_LABELS: Readonly<Record<number, string>> = {
  1: 'CC_Chg',
  2: 'CC_DChg',
  3: 'CV_Chg',
  4: 'Rest',
  5: 'Cycle',
  7: 'CCCV_Chg',
  8: 'CP_DChg',
  9: 'CP_Chg',
  10: 'CR_DChg',
  13: 'Pause',
  16: 'Pulse',
  17: 'SIM',
  18: 'PCCCV_Chg',
  19: 'CV_DChg',
  20: 'CCCV_DChg',
  21: 'Control',
  22: 'OCV',
  25: 'Ramp',
  26: 'CPCV_DChg',
  27: 'CPCV_Chg',
};

/** Canonical step-type code (STEP_TYPES) of a NEWARE numeric code; unknown codes are `other`. */
export function stepTypeFromNewareCode(code: number): number {
  const label = NEWARE_STEP_LABELS[code];
  return STEP_TYPE_CODE[label === undefined ? 'other' : stepTypeFromLabel(label)];
}

/**
 * Multiplier from a record's current range to mA (current, and capacity in mAs). NEWARE stores current as
 * an integer in a unit set by the channel's range: a positive range in mA (1–5 mA -> 0.1 µA steps, …,
 * ≥ 1000 mA -> 0.1 mA), a negative range in µA (−1…−5 µA -> 10 pA steps, …). Table as in fastnda's
 * `_range_to_mult`; 0 (no range) reads as 0.1 mA.
 */
export function rangeToMultiplier(range: number): number {
  const a = Math.abs(range);
  if (range === 0 || range < -2e9) return 1e-1;
  if (range < 0) {
    if (a < 10) return 1e-5;
    if (a < 100) return 1e-4;
    if (a < 1000) return 1e-3;
    if (a < 1e6) return 1e-2;
    if (a < 1e7) return 1e-8;
    if (a < 1e8) return 1e-7;
    return 1e-6;
  }
  if (a < 10) return 1e-4;
  if (a < 100) return 1e-3;
  if (a < 1000) return 1e-2;
  return 1e-1;
}

/**
 * Records as decoded from a NEWARE file, before canonical conversion. Exported so tests and tools can
 * see the instrument's own codes (e.g. step-type code 16 = `Pulse`), which the canonical enum folds.
 */
export interface NewareRecords {
  readonly count: number;
  /** Step time, s, restarting at every step (BTSDA `Time`). */
  readonly stepTimeS: Float64Array;
  /** Test time, s, when the file writes it (BTS 9.1); else derived from step times. */
  readonly totalTimeS?: Float64Array;
  readonly voltageV: Float32Array;
  /** mA, signed as the instrument writes it (positive = charge). */
  readonly currentMA: Float32Array;
  /** Per-step capacity, mAh (sign as stored; the canonical column takes its magnitude). */
  readonly capacityMAh: Float32Array;
  /** Step index in the plan (BTSDA `Step Index`). */
  readonly stepIndex: Int32Array;
  /** NEWARE numeric step type ({@link NEWARE_STEP_LABELS}). */
  readonly stepCode: Uint8Array;
  /** Running count of executed steps, 1-based (BTSDA `Step Count`). */
  readonly stepNumber: Int32Array;
  /** NEWARE's cycle counter, 1-based (BTSDA `Cycle Index`); absent when the file has none (BTS 9.0 .nda). */
  readonly cycle?: Int32Array;
  readonly temperatureC?: Float32Array;
  /** Wall-clock time of the first record, `YYYY-MM-DD HH:MM:SS`, when the file has it. */
  readonly firstDateTime?: string;
}

/** What the format reader knows besides the records. */
export interface NewareFileInfo {
  readonly fileName: string;
  readonly instrument: string;
  readonly sourceColumns: SourceColumn[];
  readonly warnings: ImportWarning[];
}

const MS_PER_S = 1000;

/**
 * BTSDA's `Total Time`: the step time plus the durations (last step time) of all earlier executed steps
 * — pauses between steps do not count, unlike wall-clock time. Step times are rounded to the ms first,
 * as BTSDA writes them.
 */
export function totalTimeFromStepTimes(stepTimeS: Float64Array, stepNumber: Int32Array): Float64Array {
  const out = new Float64Array(stepTimeS.length);
  let offset = 0;
  let stepMax = 0;
  for (let i = 0; i < stepTimeS.length; i++) {
    const t = Math.round(stepTimeS[i] * MS_PER_S) / MS_PER_S;
    if (i > 0 && stepNumber[i] !== stepNumber[i - 1]) {
      offset += stepMax;
      stepMax = 0;
    }
    if (t > stepMax) stepMax = t;
    out[i] = offset + t;
  }
  return out;
}

/**
 * Canonical columns from decoded records: time from the first record (total time rebased), step types
 * mapped from NEWARE codes, capacity as a magnitude. Current keeps the instrument's sign (already
 * positive = charge; no record of the real files disagrees with its step type). It is not re-signed by
 * step type as magnitude-only text exports are, so a genuine opposite current inside a step (fastnda's
 * tests allow for negative current during charge) stays visible.
 * Throws `no-data-rows` when there are no records.
 */
export function finishNewareRecords(records: NewareRecords, info: NewareFileInfo): ParsedCycling {
  const n = records.count;
  if (n === 0) throw new ImportError('no-data-rows', info.fileName, `the ${info.instrument} file holds no records.`);
  const warnings = [...info.warnings];
  const total = records.totalTimeS ?? totalTimeFromStepTimes(records.stepTimeS, records.stepNumber);
  const timeS = new Float64Array(n);
  const t0 = total[0];
  let backwards = 0;
  for (let i = 0; i < n; i++) {
    timeS[i] = total[i] - t0;
    if (i > 0 && timeS[i] < timeS[i - 1]) backwards++;
  }
  if (backwards > 0) {
    warnings.push({ code: 'time-not-monotonic', message: `time goes backwards at ${backwards} records.`, count: backwards });
  }
  const stepType = new Uint8Array(n);
  const capacityMAh = new Float32Array(n);
  const unknownCodes = new Set<number>();
  let unknownCount = 0;
  for (let i = 0; i < n; i++) {
    const code = records.stepCode[i];
    if (NEWARE_STEP_LABELS[code] === undefined) {
      unknownCodes.add(code);
      unknownCount++;
    }
    stepType[i] = stepTypeFromNewareCode(code);
    capacityMAh[i] = Math.abs(records.capacityMAh[i]);
  }
  if (unknownCount > 0) {
    warnings.push({
      code: 'unknown-step-type',
      message: `${unknownCount} records have NEWARE step-type codes this reader does not know (${[...unknownCodes].join(', ')}); they were imported as 'other'.`,
      count: unknownCount,
    });
  }
  const columns: DatasetColumns = {
    timeS,
    voltageV: records.voltageV,
    currentMA: records.currentMA,
    capacityMAh,
    step: records.stepIndex,
    stepType,
  };
  if (records.cycle) columns.cycle = records.cycle;
  if (records.temperatureC) columns.temperatureC = records.temperatureC;
  return {
    kind: 'cycling',
    encoding: 'binary',
    instrument: info.instrument,
    columns,
    rowCount: n,
    sourceColumns: info.sourceColumns,
    warnings,
    startDateTime: records.firstDateTime,
  };
}

/** Zeroed columns for `n` records of a decoder that reads every field per record (`index`: the file's record counter). */
export function allocateNewareColumns(n: number) {
  return {
    index: new Int32Array(n),
    stepTimeS: new Float64Array(n),
    voltageV: new Float32Array(n),
    currentMA: new Float32Array(n),
    capacityMAh: new Float32Array(n),
    stepIndex: new Int32Array(n),
    stepCode: new Uint8Array(n),
    stepNumber: new Int32Array(n),
    cycle: new Int32Array(n),
  };
}

/** The warning that goes with a start date-time read from a record's Unix time. */
export function startTimeUtcWarning(): ImportWarning {
  return {
    code: 'start-time-utc',
    message: 'the start date-time is the Unix time of the first record, shown in UTC (the file holds no time zone).',
  };
}

/** The warning for bytes after the last whole fixed-size record. */
export function trailingBytesWarning(partial: number, recordBytes: number): ImportWarning {
  return {
    code: 'trailing-bytes',
    message: `the last ${partial} bytes do not make a whole ${recordBytes}-byte record and were ignored.`,
  };
}

/**
 * Runs a NEWARE binary parse, turning anything thrown that is not an ImportError (a read past a cut
 * file's end, a bad offset) into a `damaged-file` ImportError naming the file.
 */
export function guardNewareParse<T>(fileName: string, extension: '.nda' | '.ndax', parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportError(
      'damaged-file',
      fileName,
      `the NEWARE ${extension} file could not be read: it looks damaged or truncated (${reason}).`,
    );
  }
}

/** `YYYY-MM-DD HH:MM:SS` of a Unix time (s), in UTC; undefined when not a plausible date (1990–2100). */
export function formatUnixSeconds(unixS: number): string | undefined {
  if (!Number.isFinite(unixS) || unixS < 631_152_000 || unixS > 4_102_444_800) return undefined;
  return new Date(Math.floor(unixS) * MS_PER_S).toISOString().slice(0, 19).replace('T', ' ');
}

/** `YYYY-MM-DD HH:MM:SS` from calendar fields; undefined when they are not a date. */
export function formatCalendar(y: number, mo: number, d: number, h: number, mi: number, s: number): string | undefined {
  if (y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const p = (v: number) => String(v).padStart(2, '0');
  return `${y}-${p(mo)}-${p(d)} ${p(h)}:${p(mi)}:${p(s)}`;
}

/** Source-column entry for a binary field. */
export function binaryField(header: string, unit: string, mappedTo?: string): SourceColumn {
  return mappedTo === undefined ? { header, unit } : { header, unit, mappedTo };
}

/** Canonical names, to keep `mappedTo` spelled as the Dataset's column specs. */
export const CANONICAL = Object.fromEntries(COLUMN_SPECS.map((s) => [s.key, s.name])) as Record<keyof DatasetColumns, string>;

// ---------------------------------------------------------------------------------------------------
// Little-endian readers. Callers check bounds once per row (row offset + row size ≤ length), so the
// per-field reads stay plain DataView calls.

/** Unsigned 64-bit little-endian as a Number (exact below 2^53). */
export function u64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
}

/** Signed 64-bit little-endian as a Number (exact within ±2^53). */
export function i64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getInt32(at + 4, true) * 2 ** 32;
}

export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// ---------------------------------------------------------------------------------------------------
// .ndc members

export interface NdcHeader {
  readonly fileType: number;
  readonly version: number;
}

export function readNdcHeader(bytes: Uint8Array): NdcHeader | undefined {
  return bytes.length >= 3 ? { fileType: bytes[0], version: bytes[2] } : undefined;
}

const PAGE_BYTES = 4096;
const PAGE_DATA_START = 132;
const PAGE_BITMASK_START = 4;
const NDC2_PAGE_BYTES = 512;
const NDC2_DATA_START = 5;
const NDC2_ROW_BYTES = 94;
const NDC2_ROWS_PER_PAGE = 5;

/** What went wrong while reading a member, for the caller's warnings. */
export interface NdcReadNotes {
  /** Bytes at the end that do not fill a page (a member cut short). */
  partialPageBytes: number;
}

/** Rows in use of a member: byte offset of each, and its 1-based slot number across all pages. */
export interface NdcRows {
  readonly offsets: Int32Array;
  /** Slot = (page − 1) · rowsPerPage + row + 1; BTS numbers records by slot (runInfo and aux refer to it). */
  readonly slots: Int32Array;
}

/**
 * Rows in use in a paged NDC (version ≥ 5) member: every page after the 4096-byte file header, rows of
 * `rowBytes` from byte 132, kept where the page's bitmask bit is set.
 */
export function ndcRows(bytes: Uint8Array, rowBytes: number, notes?: NdcReadNotes): NdcRows {
  const pages = Math.max(0, Math.floor((bytes.length - PAGE_BYTES) / PAGE_BYTES));
  if (notes && bytes.length > PAGE_BYTES) notes.partialPageBytes += (bytes.length - PAGE_BYTES) % PAGE_BYTES;
  const rowsPerPage = Math.floor((PAGE_BYTES - PAGE_DATA_START - 1) / rowBytes);
  let count = 0;
  for (let p = 1; p <= pages; p++) {
    const base = p * PAGE_BYTES + PAGE_BITMASK_START;
    for (let r = 0; r < rowsPerPage; r++) if ((bytes[base + (r >> 3)] >> (r & 7)) & 1) count++;
  }
  const offsets = new Int32Array(count);
  const slots = new Int32Array(count);
  let k = 0;
  for (let p = 1; p <= pages; p++) {
    const page = p * PAGE_BYTES;
    const base = page + PAGE_BITMASK_START;
    for (let r = 0; r < rowsPerPage; r++) {
      if ((bytes[base + (r >> 3)] >> (r & 7)) & 1) {
        offsets[k] = page + PAGE_DATA_START + r * rowBytes;
        slots[k++] = (p - 1) * rowsPerPage + r + 1;
      }
    }
  }
  return { offsets, slots };
}

/** Byte offsets of the rows in use (see {@link ndcRows}). */
export function ndcRowOffsets(bytes: Uint8Array, rowBytes: number, notes?: NdcReadNotes): Int32Array {
  return ndcRows(bytes, rowBytes, notes).offsets;
}

/** Row offsets of an NDC 2 member: 512-byte pages after a 512-byte header, 5 rows of 94 bytes from byte 5, index ≠ 0. */
export function ndc2RowOffsets(bytes: Uint8Array, notes?: NdcReadNotes): Int32Array {
  const pages = Math.max(0, Math.floor((bytes.length - NDC2_PAGE_BYTES) / NDC2_PAGE_BYTES));
  if (notes && bytes.length > NDC2_PAGE_BYTES) notes.partialPageBytes += (bytes.length - NDC2_PAGE_BYTES) % NDC2_PAGE_BYTES;
  const view = viewOf(bytes);
  const out: number[] = [];
  for (let p = 1; p <= pages; p++) {
    for (let r = 0; r < NDC2_ROWS_PER_PAGE; r++) {
      const at = p * NDC2_PAGE_BYTES + NDC2_DATA_START + r * NDC2_ROW_BYTES;
      if (view.getUint32(at + 8, true) !== 0) out.push(at);
    }
  }
  return Int32Array.from(out);
}

/** data.ndc records of NDC ≥ 11. */
export interface NdcMain {
  readonly voltageV: Float32Array;
  readonly currentMA: Float32Array;
  /** Record numbers (slots) that runInfo and aux rows refer to. */
  readonly slots: Int32Array;
}

/** Voltage and current of data.ndc in NDC 11/14/16/17: two float32 per record, scaled per version. */
export function decodeNdcMainFloat(bytes: Uint8Array, version: number, notes?: NdcReadNotes): NdcMain {
  const { offsets: rows, slots } = ndcRows(bytes, 8, notes);
  const view = viewOf(bytes);
  // NDC 11 and 16 write 0.1 mV and mA; 14 and 17 write V and A.
  const voltageScale = version === 11 || version === 16 ? 1e-4 : 1;
  const currentScale = version === 11 || version === 16 ? 1 : 1e3;
  const voltageV = new Float32Array(rows.length);
  const currentMA = new Float32Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    voltageV[k] = view.getFloat32(rows[k], true) * voltageScale;
    currentMA[k] = view.getFloat32(rows[k] + 4, true) * currentScale;
  }
  return { voltageV, currentMA, slots };
}

/** data_runInfo.ndc rows: sparse per-record state, keyed by the record's slot number in data.ndc. */
export interface NdcRunInfo {
  readonly index: Int32Array;
  readonly stepTimeS: Float64Array;
  readonly chargeMAh: Float64Array;
  readonly dischargeMAh: Float64Array;
  /** Record interval after this row, s (fills the records without a runInfo row). */
  readonly dtS: Float64Array;
  readonly unixS: Float64Array;
  /** Step number, recounted 1, 2, … at each change of the stored value (file order). */
  readonly stepNumber: Int32Array;
}

export function decodeNdcRunInfo(bytes: Uint8Array, version: number, notes?: NdcReadNotes): NdcRunInfo {
  const rowBytes = version === 11 ? 54 : version === 14 ? 55 : 100;
  // Capacities: NDC 11/16 in mAs, 14/17 in Ah.
  const capScale = version === 11 || version === 16 ? 1 / 3600 : 1e3;
  const rows = ndcRowOffsets(bytes, rowBytes, notes);
  const view = viewOf(bytes);
  const n = rows.length;
  const out = {
    index: new Int32Array(n),
    stepTimeS: new Float64Array(n),
    chargeMAh: new Float64Array(n),
    dischargeMAh: new Float64Array(n),
    dtS: new Float64Array(n),
    unixS: new Float64Array(n),
    stepNumber: new Int32Array(n),
  };
  let lastRaw = NaN;
  let stepNumber = 0;
  for (let k = 0; k < n; k++) {
    const at = rows[k];
    out.stepTimeS[k] = view.getUint32(at, true) / MS_PER_S;
    out.chargeMAh[k] = view.getFloat32(at + 5, true) * capScale;
    out.dischargeMAh[k] = view.getFloat32(at + 9, true) * capScale;
    out.dtS[k] = view.getInt32(at + 29, true) / MS_PER_S;
    const ms = version === 14 ? view.getInt16(at + 45, true) : view.getUint16(at + 45, true);
    out.unixS[k] = view.getUint32(at + 33, true) + ms / MS_PER_S;
    const raw = view.getUint32(at + 37, true);
    if (raw !== lastRaw) stepNumber++;
    lastRaw = raw;
    out.stepNumber[k] = stepNumber;
    out.index[k] = view.getUint32(at + 41, true);
  }
  return out;
}

/** data_step.ndc rows: one per executed step, in order (row k = step number k + 1). */
export interface NdcSteps {
  readonly cycle: Int32Array;
  readonly stepIndex: Int32Array;
  readonly stepCode: Uint8Array;
}

export function decodeNdcSteps(bytes: Uint8Array, version: number, notes?: NdcReadNotes): NdcSteps {
  const rows = ndcRowOffsets(bytes, version >= 16 ? 100 : 37, notes);
  const view = viewOf(bytes);
  const n = rows.length;
  const cycle = new Int32Array(n);
  const stepIndex = new Int32Array(n);
  const stepCode = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const at = rows[k];
    cycle[k] = view.getUint32(at, true) + 1;
    stepIndex[k] = view.getUint32(at + 4, true);
    stepCode[k] = bytes[at + 24];
  }
  return { cycle, stepIndex, stepCode };
}

/** One aux member's values per record; `index` absent when row k belongs to record k + 1. */
export interface NdcAux {
  readonly index?: Int32Array;
  /** Aux voltage, V, when the layout has it. */
  readonly voltageV?: Float32Array;
  /** Temperature, °C, when the layout has it. */
  readonly temperatureC?: Float32Array;
  /** A single float whose meaning the channel type in TestInfo.xml gives (NDC 14/17). */
  readonly value?: Float32Array;
  /** Layout name for the source-column list. */
  readonly layout: string;
}

const AUX_ID_VOLT_TEMP = 0x65;
const AUX_ID_TEMP = 0x74;

/** Decodes an aux member (file type 5) of any known version; undefined for an unknown layout. */
export function decodeNdcAux(bytes: Uint8Array, version: number, notes?: NdcReadNotes): NdcAux | undefined {
  const view = viewOf(bytes);
  if (version === 2) {
    const rows = ndc2RowOffsets(bytes, notes);
    return auxWithIndex(view, rows, 8, 31, 41, 'NDC 2 aux (index, V int32 0.1 mV, T int16 0.1 °C)');
  }
  if (version === 5) {
    const rows = ndcRowOffsets(bytes, 87, notes);
    return auxWithIndex(view, rows, 1, 24, 34, 'NDC 5 aux (index, V int32 0.1 mV, T int16 0.1 °C)');
  }
  if (version === 14 || version === 17) {
    const { offsets: rows, slots } = ndcRows(bytes, 4, notes);
    const value = new Float32Array(rows.length);
    for (let k = 0; k < rows.length; k++) value[k] = view.getFloat32(rows[k], true);
    return { index: slots, value, layout: `NDC ${version} aux (float32 per record)` };
  }
  if (version === 11 || version === 16) {
    const firstRow = PAGE_BYTES + PAGE_DATA_START;
    if (bytes.length <= firstRow) return { value: new Float32Array(0), layout: `NDC ${version} aux (empty)` };
    const id = bytes[firstRow];
    if (id === AUX_ID_VOLT_TEMP) {
      const rows = ndcRowOffsets(bytes, 7, notes);
      const kept: number[] = [];
      for (let k = 0; k < rows.length; k++) if (bytes[rows[k]] === AUX_ID_VOLT_TEMP) kept.push(rows[k]);
      const voltageV = new Float32Array(kept.length);
      const temperatureC = new Float32Array(kept.length);
      for (let k = 0; k < kept.length; k++) {
        voltageV[k] = view.getFloat32(kept[k] + 1, true) * 1e-4;
        temperatureC[k] = view.getInt16(kept[k] + 5, true) * 0.1;
      }
      return { voltageV, temperatureC, layout: `NDC ${version} aux (V float32 0.1 mV, T int16 0.1 °C)` };
    }
    if (id === AUX_ID_TEMP && version === 11) {
      const rows = ndcRowOffsets(bytes, 87, notes);
      const index = new Int32Array(rows.length);
      const temperatureC = new Float32Array(rows.length);
      for (let k = 0; k < rows.length; k++) {
        index[k] = view.getUint32(rows[k] + 1, true);
        temperatureC[k] = view.getInt16(rows[k] + 35, true) * 0.1;
      }
      return { index, temperatureC, layout: 'NDC 11 aux (index, T int16 0.1 °C)' };
    }
  }
  return undefined;
}

function auxWithIndex(view: DataView, rows: Int32Array, indexAt: number, voltageAt: number, temperatureAt: number, layout: string): NdcAux {
  const index = new Int32Array(rows.length);
  const voltageV = new Float32Array(rows.length);
  const temperatureC = new Float32Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    index[k] = view.getUint32(rows[k] + indexAt, true);
    voltageV[k] = view.getInt32(rows[k] + voltageAt, true) * 1e-4;
    temperatureC[k] = view.getInt16(rows[k] + temperatureAt, true) * 0.1;
  }
  return { index, voltageV, temperatureC, layout };
}

/**
 * Spreads aux values onto records: record i takes the aux row whose index equals `recordIndex[i]`, or aux
 * row i when the aux has no index; NaN where the aux has no row.
 */
export function alignAux(values: Float32Array, index: Int32Array | undefined, recordIndex: Int32Array): Float32Array {
  const n = recordIndex.length;
  const out = new Float32Array(n).fill(NaN);
  if (!index) {
    out.set(values.subarray(0, Math.min(values.length, n)));
    return out;
  }
  // Record indices are dense (1…n) in intact files; a damaged file can hold any u32, so fall back to a
  // Map rather than a lookup table sized by the largest index.
  let maxIndex = 0;
  for (let i = 0; i < n; i++) if (recordIndex[i] > maxIndex) maxIndex = recordIndex[i];
  if (maxIndex <= 4 * (n + index.length) + 1024) {
    const rowOfIndex = new Int32Array(maxIndex + 1).fill(-1);
    for (let k = 0; k < index.length; k++) {
      const j = index[k];
      if (j >= 1 && j <= maxIndex && rowOfIndex[j] === -1) rowOfIndex[j] = k;
    }
    for (let i = 0; i < n; i++) {
      const j = recordIndex[i];
      const k = j >= 1 && j <= maxIndex ? rowOfIndex[j] : -1;
      if (k >= 0) out[i] = values[k];
    }
  } else {
    const rowOfIndex = new Map<number, number>();
    for (let k = 0; k < index.length; k++) if (!rowOfIndex.has(index[k])) rowOfIndex.set(index[k], k);
    for (let i = 0; i < n; i++) {
      const k = rowOfIndex.get(recordIndex[i]);
      if (k !== undefined) out[i] = values[k];
    }
  }
  return out;
}

/**
 * Records of an NDC 2 or NDC 5 data.ndc, where every record carries its own step, cycle, time,
 * capacities, calendar date and current range (no runInfo/step members).
 */
export function decodeNdcLegacyMain(
  bytes: Uint8Array,
  version: 2 | 5,
  notes?: NdcReadNotes,
): NewareRecords & { readonly index: Int32Array } {
  const rows = version === 2 ? ndc2RowOffsets(bytes, notes) : ndcRowOffsets(bytes, 87, notes);
  // Field offsets within a row: NDC 2 rows start with 8 bytes before the index, NDC 5 with 1.
  const o = version === 2 ? 8 : 1;
  const view = viewOf(bytes);
  const n = rows.length;
  const { index, stepTimeS, voltageV, currentMA, capacityMAh, stepIndex, stepCode, stepNumber, cycle } = allocateNewareColumns(n);
  let firstDateTime: string | undefined;
  let step = 0;
  for (let k = 0; k < n; k++) {
    const at = rows[k] + o;
    index[k] = view.getUint32(at, true);
    cycle[k] = view.getUint32(at + 4, true) + 1;
    stepIndex[k] = bytes[at + 8];
    stepCode[k] = bytes[at + 9];
    if (k === 0 || stepIndex[k] !== stepIndex[k - 1]) step++;
    stepNumber[k] = step;
    stepTimeS[k] = u64(view, at + 15) / MS_PER_S;
    voltageV[k] = view.getInt32(at + 23, true) * 1e-4;
    const mult = rangeToMultiplier(view.getInt32(at + 74, true));
    currentMA[k] = view.getInt32(at + 27, true) * mult;
    const chargeMAs = i64(view, at + 35) * mult;
    const dischargeMAs = i64(view, at + 43) * mult;
    capacityMAh[k] = (chargeMAs - dischargeMAs) / 3600;
    if (k === 0) {
      firstDateTime = formatCalendar(
        view.getUint16(at + 67, true),
        bytes[at + 69],
        bytes[at + 70],
        bytes[at + 71],
        bytes[at + 72],
        bytes[at + 73],
      );
    }
  }
  return { count: n, index, stepTimeS, voltageV, currentMA, capacityMAh, stepIndex, stepCode, stepNumber, cycle, firstDateTime };
}

/** Where a record's state came from when it had no runInfo row of its own. */
export interface AssembleNotes {
  /** Records before the first runInfo row (no step known: given the first row's step). */
  recordsBeforeRunInfo: number;
  /** Records whose step number has no row in data_step.ndc. */
  recordsWithoutStep: number;
  /** Records filled forward from the previous runInfo row by its interval `dt`. */
  recordsInterpolated: number;
}

/**
 * Joins data.ndc (voltage, current) with data_runInfo.ndc and data_step.ndc (NDC ≥ 11). A record without
 * a runInfo row of its own (runInfo is written at step starts and about once a minute) takes the last
 * runInfo row's step and adds that row's interval `dt` per record to its step time and Unix time; the
 * capacity grows by dt·I (rectangle rule, as BTSDA's own interpolation).
 */
export function assembleNdcRecords(main: NdcMain, runInfo: NdcRunInfo, steps: NdcSteps | undefined, notes: AssembleNotes): NewareRecords {
  const n = main.voltageV.length;
  const maxSlot = n > 0 ? main.slots[n - 1] : 0;
  // runInfo row of each record slot; the first wins (BTS writes some twice).
  const rowOfSlot = new Int32Array(maxSlot + 1).fill(-1);
  for (let k = 0; k < runInfo.index.length; k++) {
    const slot = runInfo.index[k];
    if (slot >= 1 && slot <= maxSlot && rowOfSlot[slot] === -1) rowOfSlot[slot] = k;
  }
  const stepTimeS = new Float64Array(n);
  const capacityMAh = new Float32Array(n);
  const stepIndex = new Int32Array(n);
  const stepCode = new Uint8Array(n);
  const stepNumber = new Int32Array(n);
  const cycle = new Int32Array(n);
  let firstUnixS = NaN;
  let last = -1;
  let sinceLast = 0;
  let charge = 0;
  let discharge = 0;
  let firstRow = -1;
  for (let k = 0; k < runInfo.index.length && firstRow < 0; k++) {
    const slot = runInfo.index[k];
    if (slot >= 1 && slot <= maxSlot && rowOfSlot[slot] === k) firstRow = k;
  }
  for (let i = 0; i < n; i++) {
    const r = rowOfSlot[main.slots[i]];
    let step: number;
    if (r >= 0) {
      last = r;
      sinceLast = 0;
      charge = Math.abs(runInfo.chargeMAh[r]);
      discharge = Math.abs(runInfo.dischargeMAh[r]);
      stepTimeS[i] = runInfo.stepTimeS[r];
      step = runInfo.stepNumber[r];
      if (i === 0) firstUnixS = runInfo.unixS[r];
    } else if (last >= 0) {
      sinceLast++;
      notes.recordsInterpolated++;
      const dt = runInfo.dtS[last];
      stepTimeS[i] = runInfo.stepTimeS[last] + sinceLast * dt;
      const dq = (dt * main.currentMA[i]) / 3600;
      if (dq > 0) charge += dq;
      else discharge -= dq;
      step = runInfo.stepNumber[last];
      if (i === 0) firstUnixS = runInfo.unixS[last] + sinceLast * dt;
    } else {
      notes.recordsBeforeRunInfo++;
      step = firstRow >= 0 ? runInfo.stepNumber[firstRow] : 1;
    }
    capacityMAh[i] = charge - discharge;
    stepNumber[i] = step;
    const s = step - 1;
    if (steps && s >= 0 && s < steps.stepIndex.length) {
      stepIndex[i] = steps.stepIndex[s];
      stepCode[i] = steps.stepCode[s];
      cycle[i] = steps.cycle[s];
    } else {
      notes.recordsWithoutStep++;
      stepIndex[i] = step;
      stepCode[i] = 0;
      cycle[i] = 1;
    }
  }
  if (Number.isNaN(firstUnixS) && firstRow >= 0) firstUnixS = runInfo.unixS[firstRow];
  return {
    count: n,
    stepTimeS,
    voltageV: main.voltageV,
    currentMA: main.currentMA,
    capacityMAh,
    stepIndex,
    stepCode,
    stepNumber,
    cycle,
    firstDateTime: formatUnixSeconds(firstUnixS),
  };
}
