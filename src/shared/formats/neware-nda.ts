/**
 * NEWARE `.nda` (BTS 7.x and older, and BTS 9.x): one binary file starting with ASCII `NEWARE`; byte 14 is
 * the file version. Layouts (learned from fastnda / NewareNDA, checked against the real files):
 *
 * - versions 5–8: 59-byte records (id 0 or 85), step time in s, voltage 0.1 mV, current × range multiplier,
 *   one capacity, Unix time;
 * - versions 14, 16, 17, 20, 22–24: 86-byte records (id 85), step time in ms, charge and discharge
 *   capacities, Unix time, a current range per record;
 * - versions 26, 28, 29 (BTS 7.6): as 22 but a calendar date instead of Unix time, and aux records (id 101,
 *   voltage and temperature) interleaved;
 * - version 130 (BTS 9): byte 1024 = 85 is BTS 9.1 (records of a length found from the repeating record id:
 *   float32 current/voltage, test time in s + ns, capacity in mAs, Unix time, an inline aux temperature);
 *   byte 1024 = 18 is BTS 9.0 (88-byte records with µs times, no cycle counter).
 *
 * The header's pointer at byte 64 (u32 begin, u32 length; 0 = to the end) locates the records of versions
 * ≤ 29; the fixed current range sits at byte 26 of the block whose offset is the u32 at byte 16.
 *
 * Pipeline: detect (magic) -> version -> records in index order -> canonical columns (finishNewareRecords).
 * Dates: versions 5–24 and 130 store Unix time (shown in UTC), versions 26–29 the tester's wall clock.
 */
import type { ImportWarning, SourceColumn } from '../model/dataset';
import type { BinaryFormat, ParseContext, ParsedCycling } from './binary-format';
import { ImportError } from './import-error';
import {
  CANONICAL,
  alignAux,
  allocateNewareColumns,
  binaryField,
  finishNewareRecords,
  formatCalendar,
  formatUnixSeconds,
  guardNewareParse,
  i64,
  rangeToMultiplier,
  startTimeUtcWarning,
  trailingBytesWarning,
  u64,
  viewOf,
  type NewareRecords,
} from './neware-ndc';

const MAGIC = 'NEWARE';
const VERSION_OFFSET = 14;
const INSTRUMENT = 'NEWARE BTS .nda';

const RECORD_ID_DATA = 85;
const RECORD_ID_AUX = 101;
const BTS9_HEAD = 1024;
const BTS91_SUBVERSION = 85;
const BTS90_SUBVERSION = 18;
const BTS90_RECORD_BYTES = 88;
const BTS90_SIGNATURE = [0x12, 0x50, 0x00, 0x07, 0x55, 0x81, 0x01, 0x06];

type Family = 'v5' | 'v14' | 'v29';

const FAMILY_OF_VERSION: Readonly<Record<number, Family>> = {
  5: 'v5',
  6: 'v5',
  7: 'v5',
  8: 'v5',
  14: 'v14',
  16: 'v14',
  17: 'v14',
  20: 'v14',
  22: 'v14',
  23: 'v14',
  24: 'v14',
  26: 'v29',
  28: 'v29',
  29: 'v29',
};

/** The .nda file versions this reader knows (8, 22, 29 and 130 verified against real files). */
export const NDA_VERSIONS: readonly number[] = [...Object.keys(FAMILY_OF_VERSION).map(Number), 130];

function hasMagic(head: Uint8Array): boolean {
  if (head.length < MAGIC.length) return false;
  for (let k = 0; k < MAGIC.length; k++) if (head[k] !== MAGIC.charCodeAt(k)) return false;
  return true;
}

export const NEWARE_NDA: BinaryFormat = {
  id: 'neware-nda',
  instrument: INSTRUMENT,
  detect(head: Uint8Array): boolean {
    return hasMagic(head);
  },
  parse(bytes: Uint8Array, context: ParseContext): ParsedCycling {
    return guardNewareParse(context.fileName, '.nda', () => {
      const { records, instrument, sourceColumns, warnings } = decodeNda(bytes, context.fileName);
      if (context.signal?.aborted) throw new ImportError('aborted', context.fileName, 'import cancelled.');
      return finishNewareRecords(records, { fileName: context.fileName, instrument, sourceColumns, warnings });
    });
  },
};

export interface DecodedNda {
  readonly records: NewareRecords;
  readonly version: number;
  readonly instrument: string;
  readonly sourceColumns: SourceColumn[];
  readonly warnings: ImportWarning[];
}

/** Decodes an `.nda` file's records (exported for tests that look at NEWARE's own step codes). */
export function decodeNda(bytes: Uint8Array, fileName: string): DecodedNda {
  if (!hasMagic(bytes))
    throw new ImportError('unrecognised-format', fileName, 'this file does not start with NEWARE, so it is not a NEWARE .nda file.');
  if (bytes.length <= VERSION_OFFSET) throw new ImportError('damaged-file', fileName, 'the .nda file ends inside its header.');
  const version = bytes[VERSION_OFFSET];
  const warnings: ImportWarning[] = [];
  if (version === 130) {
    if (bytes.length <= BTS9_HEAD) throw new ImportError('no-data-rows', fileName, 'the BTS 9 .nda file ends before its first record.');
    const sub = bytes[BTS9_HEAD];
    const server = btsVersion(bytes);
    const label = (bts: string) => `NEWARE BTS ${server ?? bts} .nda (version 130)`;
    if (sub === BTS91_SUBVERSION) return { version, instrument: label('9.1'), ...decodeBts91(bytes, fileName, warnings) };
    if (sub === BTS90_SUBVERSION) return { version, instrument: label('9.0'), ...decodeBts90(bytes, fileName, warnings) };
    throw new ImportError(
      'unsupported-format',
      fileName,
      `this BTS 9 .nda (version 130) has a record layout (${sub} at byte 1024) this reader does not know; BTS 9.0 and 9.1 are supported.`,
    );
  }
  const family = FAMILY_OF_VERSION[version];
  if (!family) {
    throw new ImportError(
      'unsupported-format',
      fileName,
      `this is a NEWARE .nda of version ${version}; this reader knows versions ${NDA_VERSIONS.join(', ')}.`,
    );
  }
  const server = btsVersion(bytes);
  const instrument = `NEWARE BTS${server ? ` ${server}` : ''} .nda (version ${version})`;
  return { version, instrument, ...decodeLegacy(bytes, fileName, version, family, warnings) };
}

/** `7.6.0.301` from a `BTSServer(R3)-7.6.0.301…` string in the first 4 KiB, when present. */
function btsVersion(bytes: Uint8Array): string | undefined {
  const end = Math.min(bytes.length, 4096);
  let text = '';
  for (let k = 0; k < end; k++) text += bytes[k] >= 0x20 && bytes[k] < 0x7f ? String.fromCharCode(bytes[k]) : '\u0000';
  return /BTSServer(?:\(R\d\))?[-\s]*(\d+(?:\.\d+){2,})/.exec(text)?.[1] ?? /(\d+\.\d+\.\d+\.\d+)\.\d{8}\.R\d/.exec(text)?.[1];
}

interface Region {
  readonly begin: number;
  readonly end: number;
}

/** The record region of versions ≤ 29 from the header pointer (bounds-checked). */
function recordRegion(bytes: Uint8Array, fileName: string, recordBytes: number, warnings: ImportWarning[]): Region {
  if (bytes.length < 72) throw new ImportError('damaged-file', fileName, 'the .nda file ends inside its header.');
  const view = viewOf(bytes);
  let begin = view.getUint32(64, true);
  const length = view.getUint32(68, true);
  if (begin < 72 || begin >= bytes.length) {
    // Older writers left the pointer empty: the first record starts with id 0xAA and record number 1.
    begin = indexOf(bytes, [0xaa, 0x00, 0x01, 0x00, 0x00, 0x00], 72);
    if (begin < 0) throw new ImportError('no-data-rows', fileName, 'the .nda header points to no records and no record block was found.');
  }
  let end = length > 0 ? begin + length : bytes.length;
  if (end > bytes.length) {
    warnings.push({
      code: 'file-truncated',
      message: `the header announces ${end - begin} bytes of records but the file ends after ${bytes.length - begin}; the records present were read.`,
    });
    end = bytes.length;
  }
  const partial = (end - begin) % recordBytes;
  if (partial !== 0) {
    warnings.push(trailingBytesWarning(partial, recordBytes));
  }
  return { begin, end: end - partial };
}

function indexOf(bytes: Uint8Array, pattern: readonly number[], from: number): number {
  outer: for (let at = from; at + pattern.length <= bytes.length; at++) {
    for (let k = 0; k < pattern.length; k++) if (bytes[at + k] !== pattern[k]) continue outer;
    return at;
  }
  return -1;
}

/**
 * Record offsets sorted by record index with duplicates dropped (the first kept), as BTSDA lists them;
 * records are normally already in order, so this is one check.
 */
function inIndexOrder(offsets: number[], indexOf: (at: number) => number, warnings: ImportWarning[]): number[] {
  let ordered = true;
  for (let k = 1; k < offsets.length && ordered; k++) if (indexOf(offsets[k]) <= indexOf(offsets[k - 1])) ordered = false;
  if (ordered) return offsets;
  const sorted = offsets.map((at, k) => ({ at, k, index: indexOf(at) })).sort((a, b) => a.index - b.index || a.k - b.k);
  const out: number[] = [];
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k].index !== sorted[k - 1].index) out.push(sorted[k].at);
  warnings.push({
    code: 'records-reordered',
    message: `records were stored out of order${out.length < offsets.length ? ` and ${offsets.length - out.length} were duplicates (dropped)` : ''}; they were sorted by record number.`,
  });
  return out;
}

function decodeLegacy(bytes: Uint8Array, fileName: string, version: number, family: Family, warnings: ImportWarning[]) {
  const view = viewOf(bytes);
  const recordBytes = family === 'v5' ? 59 : 86;
  const region = recordRegion(bytes, fileName, recordBytes, warnings);
  // The channel's fixed range: byte 26 of the block the u32 at byte 16 points to.
  const blockBegin = view.getUint32(16, true);
  const fixedRange = blockBegin + 30 <= bytes.length ? view.getInt32(blockBegin + 26, true) : 0;
  const dataOffsets: number[] = [];
  const auxOffsets: number[] = [];
  for (let at = region.begin; at < region.end; at += recordBytes) {
    const id = bytes[at];
    if (id === RECORD_ID_DATA || (family === 'v5' && id === 0)) dataOffsets.push(at);
    else if (family === 'v29' && id === RECORD_ID_AUX) auxOffsets.push(at);
  }
  const indexAt = family === 'v5' ? 1 : 2;
  const rows = inIndexOrder(dataOffsets, (at) => view.getUint32(at + indexAt, true), warnings);
  const n = rows.length;
  const { index, stepTimeS, voltageV, currentMA, capacityMAh, stepIndex, stepCode, stepNumber, cycle } = allocateNewareColumns(n);
  // Versions 5 and 7 count cycles from 0, 6 and 8 from 1; 14+ from 0.
  const cycleBase = version === 6 || version === 8 ? 0 : 1;
  let step = 0;
  let lastStepCount = -1;
  let firstDateTime: string | undefined;
  for (let k = 0; k < n; k++) {
    const at = rows[k];
    if (family === 'v5') {
      index[k] = view.getUint32(at + 1, true);
      cycle[k] = view.getUint32(at + 5, true) + cycleBase;
      stepIndex[k] = bytes[at + 9];
      stepCode[k] = bytes[at + 10];
      stepTimeS[k] = view.getUint32(at + 11, true);
      voltageV[k] = view.getInt32(at + 15, true) * 1e-4;
      const mult = rangeToMultiplier(fixedRange);
      currentMA[k] = view.getInt32(at + 19, true) * mult;
      capacityMAh[k] = (i64(view, at + 31) * mult) / 3600;
      if (step === 0 || stepIndex[k] !== stepIndex[k - 1]) step++;
      if (k === 0) firstDateTime = formatUnixSeconds(u64(view, at + 47));
    } else {
      index[k] = view.getUint32(at + 2, true);
      cycle[k] = view.getUint32(at + 6, true) + cycleBase;
      stepIndex[k] = view.getUint16(at + 10, true);
      stepCode[k] = bytes[at + 12];
      const stepCount = bytes[at + 13];
      stepTimeS[k] = u64(view, at + 14) / 1000;
      voltageV[k] = view.getInt32(at + 22, true) * 1e-4;
      const range = view.getInt32(at + 78, true);
      const mult = rangeToMultiplier(range === 0 ? fixedRange : range);
      currentMA[k] = view.getInt32(at + 26, true) * mult;
      capacityMAh[k] = ((i64(view, at + 38) - i64(view, at + 46)) * mult) / 3600;
      if (step === 0 || stepIndex[k] !== stepIndex[k - 1] || stepCount !== lastStepCount) step++;
      lastStepCount = stepCount;
      if (k === 0) {
        firstDateTime =
          family === 'v14'
            ? formatUnixSeconds(u64(view, at + 70))
            : formatCalendar(view.getUint16(at + 70, true), bytes[at + 72], bytes[at + 73], bytes[at + 74], bytes[at + 75], bytes[at + 76]);
      }
    }
    stepNumber[k] = step;
  }
  const sourceColumns: SourceColumn[] =
    family === 'v5'
      ? [
          binaryField('record step time (uint32, s)', 's', CANONICAL.timeS),
          binaryField('record voltage (int32, 0.1 mV)', '0.1 mV', CANONICAL.voltageV),
          binaryField(`record current (int32, × multiplier of range ${fixedRange})`, 'mA', CANONICAL.currentMA),
          binaryField('record capacity (int64, × range multiplier, mAs)', 'mAs', CANONICAL.capacityMAh),
          binaryField('record step index (uint8)', '', CANONICAL.step),
          binaryField('record step type (uint8 NEWARE code)', '', CANONICAL.stepType),
          binaryField('record cycle (uint32)', '', CANONICAL.cycle),
          binaryField('record Unix time (uint64, s)', 's'),
        ]
      : [
          binaryField('record step time (uint64, ms)', 'ms', CANONICAL.timeS),
          binaryField('record voltage (int32, 0.1 mV)', '0.1 mV', CANONICAL.voltageV),
          binaryField('record current (int32, × multiplier of the record range)', 'mA', CANONICAL.currentMA),
          binaryField('record charge − discharge capacity (int64, × range multiplier, mAs)', 'mAs', CANONICAL.capacityMAh),
          binaryField('record step index (uint16)', '', CANONICAL.step),
          binaryField('record step type (uint8 NEWARE code)', '', CANONICAL.stepType),
          binaryField('record cycle (uint32, 0-based)', '', CANONICAL.cycle),
          binaryField(
            family === 'v14' ? 'record Unix time (uint64, s)' : 'record date (calendar fields, wall clock)',
            family === 'v14' ? 's' : '',
          ),
        ];
  let temperatureC: Float32Array | undefined;
  if (auxOffsets.length > 0) temperatureC = readV29Aux(view, auxOffsets, index, sourceColumns, warnings);
  if (firstDateTime && family !== 'v29') {
    warnings.push(startTimeUtcWarning());
  }
  const records: NewareRecords = {
    count: n,
    stepTimeS,
    voltageV,
    currentMA,
    capacityMAh,
    stepIndex,
    stepCode,
    stepNumber,
    cycle,
    temperatureC,
    firstDateTime,
  };
  return { records, sourceColumns, warnings };
}

/**
 * Aux records of versions 26–29 (id 101): channel number at byte 1, record index at 2, voltage int32 0.1 mV
 * at 22, temperature int16 0.1 °C at 34. The first channel with a non-zero temperature is the temperature
 * column; aux voltage has no canonical column.
 */
function readV29Aux(
  view: DataView,
  offsets: number[],
  recordIndex: Int32Array,
  sourceColumns: SourceColumn[],
  warnings: ImportWarning[],
): Float32Array | undefined {
  const channels = new Map<number, number[]>();
  for (const at of offsets) {
    const channel = view.getUint8(at + 1);
    const list = channels.get(channel) ?? [];
    list.push(at);
    channels.set(channel, list);
  }
  let temperature: Float32Array | undefined;
  const skipped: string[] = [];
  for (const [channel, list] of [...channels].sort((a, b) => a[0] - b[0])) {
    const index = Int32Array.from(list, (at) => view.getUint32(at + 2, true));
    const volts = Float32Array.from(list, (at) => view.getInt32(at + 22, true) * 1e-4);
    const temps = Float32Array.from(list, (at) => view.getInt16(at + 34, true) * 0.1);
    if (temps.some((t) => t !== 0)) {
      if (!temperature) {
        temperature = alignAux(temps, index, recordIndex);
        sourceColumns.push(binaryField(`aux record channel ${channel} temperature (int16, 0.1 °C)`, '°C', CANONICAL.temperatureC));
      } else skipped.push(`channel ${channel} temperature`);
    }
    if (volts.some((v) => v !== 0)) {
      sourceColumns.push(binaryField(`aux record channel ${channel} voltage (int32, 0.1 mV)`, 'V'));
      skipped.push(`channel ${channel} voltage`);
    }
  }
  if (skipped.length > 0) {
    warnings.push({
      code: 'aux-not-imported',
      message: `aux channels without a canonical column were not imported: ${skipped.join('; ')}.`,
      count: skipped.length,
    });
  }
  return temperature;
}

/** Running step count from step-index changes (BTS 9 records have no step counter). */
function stepNumbersFromIndex(stepIndex: Int32Array): Int32Array {
  const out = new Int32Array(stepIndex.length);
  let step = 0;
  for (let k = 0; k < stepIndex.length; k++) {
    if (k === 0 || stepIndex[k] !== stepIndex[k - 1]) step++;
    out[k] = step;
  }
  return out;
}

/** BTS 9.1: record length = the stride at which the first record's 2-byte id repeats. */
function bts91RecordBytes(bytes: Uint8Array): number {
  const id0 = bytes[BTS9_HEAD];
  const id1 = bytes[BTS9_HEAD + 1];
  const available = bytes.length - BTS9_HEAD;
  for (let length = 52; length <= 512; length++) {
    const repeats = Math.min(8, Math.floor(available / length) - 1);
    if (repeats < 1) break;
    let ok = true;
    for (let r = 1; r <= repeats && ok; r++) ok = bytes[BTS9_HEAD + r * length] === id0 && bytes[BTS9_HEAD + r * length + 1] === id1;
    if (ok) return length;
  }
  return available >= 52 && available <= 512 ? available : 0;
}

/**
 * BTS 9.x records: fixed-size records from `begin` to the end of the file. Returns the offsets of the
 * whole records that `isChannelData` accepts and how many others it refused; bytes after the last
 * whole record get a trailing-bytes warning.
 */
function channelRecordOffsets(
  bytes: Uint8Array,
  begin: number,
  recordBytes: number,
  isChannelData: (at: number) => boolean,
  warnings: ImportWarning[],
): { offsets: number[]; other: number } {
  const whole = Math.floor((bytes.length - begin) / recordBytes);
  const partial = (bytes.length - begin) % recordBytes;
  if (partial !== 0) warnings.push(trailingBytesWarning(partial, recordBytes));
  const offsets: number[] = [];
  let other = 0;
  for (let r = 0; r < whole; r++) {
    const at = begin + r * recordBytes;
    if (isChannelData(at)) offsets.push(at);
    else other++;
  }
  return { offsets, other };
}

function decodeBts91(bytes: Uint8Array, fileName: string, warnings: ImportWarning[]) {
  const view = viewOf(bytes);
  const recordBytes = bts91RecordBytes(bytes);
  if (recordBytes === 0) throw new ImportError('damaged-file', fileName, 'no repeating BTS 9.1 record was found after byte 1024.');
  const id = view.getUint16(BTS9_HEAD, true);
  const { offsets, other } = channelRecordOffsets(bytes, BTS9_HEAD, recordBytes, (at) => view.getUint16(at, true) === id, warnings);
  if (other > 0)
    warnings.push({ code: 'records-skipped', message: `${other} records of another kind (not channel data) were skipped.`, count: other });
  const rows = inIndexOrder(offsets, (at) => view.getUint32(at + 8, true), warnings);
  const n = rows.length;
  const hasTemperature = recordBytes >= 56;
  const totalTimeS = new Float64Array(n);
  const voltageV = new Float32Array(n);
  const currentMA = new Float32Array(n);
  const capacityMAh = new Float32Array(n);
  const stepIndex = new Int32Array(n);
  const stepCode = new Uint8Array(n);
  const cycle = new Int32Array(n);
  const temperatureC = hasTemperature ? new Float32Array(n) : undefined;
  for (let k = 0; k < n; k++) {
    const at = rows[k];
    stepIndex[k] = bytes[at + 2];
    stepCode[k] = bytes[at + 3];
    totalTimeS[k] = view.getUint32(at + 12, true) + view.getUint32(at + 16, true) / 1e9;
    currentMA[k] = view.getFloat32(at + 20, true);
    voltageV[k] = view.getFloat32(at + 24, true);
    capacityMAh[k] = view.getFloat32(at + 28, true) / 3600;
    cycle[k] = view.getUint32(at + 36, true) + 1;
    if (temperatureC) temperatureC[k] = view.getFloat32(at + 52, true);
  }
  const stepNumber = stepNumbersFromIndex(stepIndex);
  const stepTimeS = new Float64Array(n);
  let stepStart = 0;
  for (let k = 0; k < n; k++) {
    if (k > 0 && stepNumber[k] !== stepNumber[k - 1]) stepStart = totalTimeS[k - 1];
    stepTimeS[k] = totalTimeS[k] - stepStart;
  }
  const firstDateTime = n > 0 ? formatUnixSeconds(view.getUint32(rows[0] + 44, true)) : undefined;
  if (firstDateTime) warnings.push(startTimeUtcWarning());
  const sourceColumns: SourceColumn[] = [
    binaryField('record test time (uint32 s + uint32 ns)', 's', CANONICAL.timeS),
    binaryField('record voltage (float32, V)', 'V', CANONICAL.voltageV),
    binaryField('record current (float32, mA)', 'mA', CANONICAL.currentMA),
    binaryField('record capacity (float32, mAs)', 'mAs', CANONICAL.capacityMAh),
    binaryField('record step index (uint8)', '', CANONICAL.step),
    binaryField('record step type (uint8 NEWARE code)', '', CANONICAL.stepType),
    binaryField('record cycle (uint32, 0-based)', '', CANONICAL.cycle),
    binaryField('record Unix time (uint32 s + uint32 ns)', 's'),
  ];
  if (temperatureC)
    sourceColumns.push(
      binaryField(`record aux temperature (float32 at byte 52 of ${recordBytes}-byte records, °C)`, '°C', CANONICAL.temperatureC),
    );
  const records: NewareRecords = {
    count: n,
    stepTimeS,
    totalTimeS,
    voltageV,
    currentMA,
    capacityMAh,
    stepIndex,
    stepCode,
    stepNumber,
    cycle,
    temperatureC,
    firstDateTime,
  };
  return { records, sourceColumns, warnings };
}

function decodeBts90(bytes: Uint8Array, fileName: string, warnings: ImportWarning[]) {
  const view = viewOf(bytes);
  const begin = indexOf(bytes, BTS90_SIGNATURE, BTS9_HEAD);
  if (begin < 0) throw new ImportError('no-data-rows', fileName, 'no BTS 9.0 channel record was found.');
  const { offsets, other } = channelRecordOffsets(bytes, begin, BTS90_RECORD_BYTES, (at) => bytes[at + 4] === RECORD_ID_DATA, warnings);
  if (other > 0)
    warnings.push({
      code: 'records-skipped',
      message: `${other} aux or other records were skipped (their layout is not known).`,
      count: other,
    });
  const rows = inIndexOrder(offsets, (at) => view.getUint32(at + 16, true), warnings);
  const n = rows.length;
  const stepTimeS = new Float64Array(n);
  const voltageV = new Float32Array(n);
  const currentMA = new Float32Array(n);
  const capacityMAh = new Float32Array(n);
  const stepIndex = new Int32Array(n);
  const stepCode = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const at = rows[k];
    stepIndex[k] = bytes[at + 9];
    stepCode[k] = bytes[at + 10];
    stepTimeS[k] = u64(view, at + 28) / 1e6;
    voltageV[k] = view.getFloat32(at + 36, true);
    currentMA[k] = view.getFloat32(at + 40, true);
    capacityMAh[k] = view.getFloat32(at + 60, true) / 3600;
  }
  const firstDateTime = n > 0 ? formatUnixSeconds(u64(view, rows[0] + 68) / 1e6) : undefined;
  if (firstDateTime) warnings.push(startTimeUtcWarning());
  warnings.push({
    code: 'no-cycle-counter',
    message: 'BTS 9.0 records carry no cycle counter; the cycle column is left out (cycles are found from the step types).',
  });
  const sourceColumns: SourceColumn[] = [
    binaryField('record step time (uint64, µs)', 'µs', CANONICAL.timeS),
    binaryField('record voltage (float32, V)', 'V', CANONICAL.voltageV),
    binaryField('record current (float32, mA)', 'mA', CANONICAL.currentMA),
    binaryField('record capacity (float32, mAs)', 'mAs', CANONICAL.capacityMAh),
    binaryField('record step index (uint8)', '', CANONICAL.step),
    binaryField('record step type (uint8 NEWARE code)', '', CANONICAL.stepType),
    binaryField('record Unix time (uint64, µs)', 'µs'),
  ];
  const records: NewareRecords = {
    count: n,
    stepTimeS,
    voltageV,
    currentMA,
    capacityMAh,
    stepIndex,
    stepCode,
    stepNumber: stepNumbersFromIndex(stepIndex),
    firstDateTime,
  };
  return { records, sourceColumns, warnings };
}
