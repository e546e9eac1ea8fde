/**
 * NEWARE BTS 8 `.ndax`: a ZIP of XML settings (VersionInfo.xml, TestInfo.xml, Step.xml) and binary `.ndc`
 * members (layouts in neware-ndc.ts). Member order is not fixed.
 *
 * Pipeline: detect (ZIP magic + an `.ndc` / VersionInfo.xml member name in the head) -> unzip the members
 * needed -> NDC version from data.ndc -> records (NDC 2/5: data.ndc alone; NDC ≥ 11: data.ndc ⨝
 * data_runInfo.ndc ⨝ data_step.ndc) -> temperature from the aux member whose TestInfo.xml channel is a
 * temperature -> canonical columns (finishNewareRecords).
 *
 * Time is BTSDA's Total Time (sum of step times) from the first record. The start date-time comes from
 * the first runInfo row's Unix time and is given in UTC (the file holds no time zone); NDC 2/5 records
 * hold calendar fields as the tester's wall clock.
 */
import { openZip } from './containers/xlsx-reader';
import type { ImportWarning, SourceColumn } from '../model/dataset';
import type { BinaryFormat, ParseContext, ParsedCycling } from './binary-format';
import type { AbortSignalLike } from './import-dataset';
import { ImportError } from './import-error';
import {
  CANONICAL,
  NDC_FILE_TYPE,
  NDC_VERSIONS,
  alignAux,
  assembleNdcRecords,
  binaryField,
  decodeNdcAux,
  decodeNdcLegacyMain,
  decodeNdcMainFloat,
  decodeNdcRunInfo,
  decodeNdcSteps,
  finishNewareRecords,
  guardNewareParse,
  readNdcHeader,
  startTimeUtcWarning,
  type AssembleNotes,
  type NdcAux,
  type NdcReadNotes,
  type NewareRecords,
} from './neware-ndc';

const INSTRUMENT = 'NEWARE BTS .ndax';

/** Members never needed for records (event log, energy-saving log, step plan editor copies). */
const SKIPPED_MEMBERS = new Set(['data_log.ndc', 'data_es.ndc']);

/** TestInfo.xml channel type of an aux temperature channel (`T`, BTSDA's T1, T2 …). */
const AUX_CHANNEL_TEMPERATURE = 103;

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];

/** Names of the ZIP members whose local headers lie in `head` (scans for the signature). */
export function zipMemberNamesInHead(head: Uint8Array): string[] {
  const names: string[] = [];
  for (let at = 0; at + 30 <= head.length; at++) {
    if (head[at] !== 0x50 || head[at + 1] !== 0x4b || head[at + 2] !== 0x03 || head[at + 3] !== 0x04) continue;
    const nameLength = head[at + 26] | (head[at + 27] << 8);
    if (nameLength === 0 || at + 30 + nameLength > head.length) continue;
    let name = '';
    for (let k = 0; k < nameLength; k++) name += String.fromCharCode(head[at + 30 + k]);
    names.push(name);
  }
  return names;
}

/** Phases of a large file take a few hundred ms; a cancel between them is honoured. */
function checkAbort(signal: AbortSignalLike | undefined, fileName: string): void {
  if (signal?.aborted) throw new ImportError('aborted', fileName, 'import cancelled.');
}

function isNdaxMemberName(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return base.toLowerCase().endsWith('.ndc') || base === 'VersionInfo.xml';
}

export const NEWARE_NDAX: BinaryFormat = {
  id: 'neware-ndax',
  instrument: INSTRUMENT,
  detect(head: Uint8Array): boolean {
    if (!ZIP_LOCAL_HEADER.every((b, k) => head[k] === b)) return false;
    return zipMemberNamesInHead(head).some(isNdaxMemberName);
  },
  parse(bytes: Uint8Array, context: ParseContext): ParsedCycling {
    return guardNewareParse(context.fileName, '.ndax', () => parseNdax(bytes, context));
  },
};

/** A channel of TestInfo.xml (`<Aux1 AuxID="1" RealChlID="225" ChlType="103" …/>`). */
interface AuxChannel {
  readonly tag: string;
  readonly auxId: number;
  readonly realChannel: number;
  readonly channelType: number;
}

/** Attribute text of simple XML (ASCII attributes of GB2312 files; no DOM in the pure core). */
function latin1(bytes: Uint8Array): string {
  let s = '';
  const chunk = 8192;
  for (let at = 0; at < bytes.length; at += chunk) s += String.fromCharCode(...bytes.subarray(at, Math.min(bytes.length, at + chunk)));
  return s;
}

function attribute(attributes: string, name: string): string | undefined {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(attributes)?.[1];
}

export function readAuxChannels(testInfoXml: string): AuxChannel[] {
  const out: AuxChannel[] = [];
  for (const match of testInfoXml.matchAll(/<(Aux\d+)\s([^>]*)>/g)) {
    const attrs = match[2];
    out.push({
      tag: match[1],
      auxId: Number(attribute(attrs, 'AuxID') ?? NaN),
      realChannel: Number(attribute(attrs, 'RealChlID') ?? NaN),
      channelType: Number(attribute(attrs, 'ChlType') ?? NaN),
    });
  }
  return out;
}

/** `8.0.1.492` from VersionInfo.xml's client version, if present. */
function clientVersion(versionXml: string | undefined): string | undefined {
  if (!versionXml) return undefined;
  const client = attribute(versionXml, 'CurrClientVer') ?? attribute(versionXml, 'StartClientVer') ?? '';
  return /(\d+(?:\.\d+){2,})/.exec(client)?.[1];
}

interface AuxMember {
  readonly name: string;
  /** Numbers in `data_AUX_<real>_<type − 100>_<n>.ndc`, or the trailing number of `<…>_<n>.ndc`. */
  readonly sortKey: number[];
  readonly aux: NdcAux;
  channel?: AuxChannel;
}

function auxSortKey(name: string): number[] {
  const m = /data_AUX_(\d+)_(\d+)_(\d+)\.ndc$/i.exec(name);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  const tail = /_(\d+)\.ndc$/i.exec(name);
  return [tail ? Number(tail[1]) : 0, 0, 0];
}

/**
 * Pairs aux members with TestInfo.xml channels: by the name `data_AUX_<RealChlID>_<ChlType − 100>_<n>`
 * (true of every BTS 8 file here), else in sorted-name order when the counts agree (fastnda's rule).
 */
function pairAuxChannels(members: AuxMember[], channels: readonly AuxChannel[]): void {
  const free = new Set(channels);
  for (const m of members) {
    if (!/data_AUX_/i.test(m.name)) continue;
    const [real, sub] = m.sortKey;
    const match = [...free].find((c) => c.realChannel === real && c.channelType - 100 === sub);
    if (match) {
      m.channel = match;
      free.delete(match);
    }
  }
  const unpaired = members.filter((m) => !m.channel);
  const left = channels.filter((c) => free.has(c));
  if (unpaired.length > 0 && unpaired.length === left.length) unpaired.forEach((m, k) => (m.channel = left[k]));
}

function hasNonZero(values: Float32Array | undefined): values is Float32Array {
  if (!values) return false;
  for (let k = 0; k < values.length; k++) if (values[k] !== 0 && !Number.isNaN(values[k])) return true;
  return false;
}

/** Parses an `.ndax` file's bytes. Exported for tests that want the decoded NEWARE records too. */
export function decodeNdax(
  bytes: Uint8Array,
  fileName: string,
  signal?: AbortSignalLike,
): { records: NewareRecords; instrument: string; sourceColumns: SourceColumn[]; warnings: ImportWarning[] } {
  // The project's own central-directory reader (ZIP64-aware; fflate inflates): fflate's unzipSync
  // reads the 0xFFFFFFFF size markers of BTS 8's ZIP64 members as sizes in Chromium and fails.
  const members: Record<string, Uint8Array> = {};
  try {
    const zip = openZip(bytes, fileName);
    for (const name of zip.names) {
      const base = name.slice(name.lastIndexOf('/') + 1);
      const isWanted =
        (base.toLowerCase().endsWith('.ndc') && !SKIPPED_MEMBERS.has(base)) || base === 'TestInfo.xml' || base === 'VersionInfo.xml';
      if (isWanted) members[name] = zip.read(name);
    }
  } catch (error) {
    const reason =
      error instanceof ImportError ? error.message.slice(fileName.length + 2) : error instanceof Error ? error.message : String(error);
    throw new ImportError('damaged-file', fileName, `this .ndax is not a readable ZIP archive (${reason}); it may be truncated.`);
  }
  checkAbort(signal, fileName);
  const byBase = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(members)) byBase.set(name.slice(name.lastIndexOf('/') + 1), data);

  const data = byBase.get('data.ndc');
  if (!data)
    throw new ImportError('unsupported-format', fileName, 'this ZIP holds no data.ndc member, so it is not a NEWARE .ndax with records.');
  const header = readNdcHeader(data);
  if (!header || header.fileType !== NDC_FILE_TYPE.records) {
    throw new ImportError('damaged-file', fileName, 'data.ndc does not start with a NEWARE record-file header.');
  }
  const version = header.version;
  if (!NDC_VERSIONS.includes(version)) {
    throw new ImportError(
      'unsupported-format',
      fileName,
      `data.ndc is NDC version ${version}; this reader knows versions ${NDC_VERSIONS.join(', ')}.`,
    );
  }
  const versionXml = byBase.has('VersionInfo.xml') ? latin1(byBase.get('VersionInfo.xml')!) : undefined;
  const client = clientVersion(versionXml);
  const instrument = `NEWARE BTS${client ? ` ${client}` : ''} .ndax (NDC ${version})`;
  const warnings: ImportWarning[] = [];
  const sourceColumns: SourceColumn[] = [];
  const notes: NdcReadNotes = { partialPageBytes: 0 };

  let records: NewareRecords;
  let recordIndex: Int32Array;
  if (version === 2 || version === 5) {
    const legacy = decodeNdcLegacyMain(data, version, notes);
    records = legacy;
    recordIndex = legacy.index;
    sourceColumns.push(
      binaryField('data.ndc step time (uint64, ms)', 'ms', CANONICAL.timeS),
      binaryField('data.ndc voltage (int32, 0.1 mV)', '0.1 mV', CANONICAL.voltageV),
      binaryField('data.ndc current (int32, × range multiplier)', 'mA', CANONICAL.currentMA),
      binaryField('data.ndc charge − discharge capacity (int64, × range multiplier, mAs)', 'mAs', CANONICAL.capacityMAh),
      binaryField('data.ndc step index (uint8)', '', CANONICAL.step),
      binaryField('data.ndc step type (uint8 NEWARE code)', '', CANONICAL.stepType),
      binaryField('data.ndc cycle (uint32, 0-based)', '', CANONICAL.cycle),
      binaryField('data.ndc date (calendar fields, wall clock)', ''),
    );
  } else {
    const main = decodeNdcMainFloat(data, version, notes);
    const runInfoBytes = byBase.get('data_runInfo.ndc');
    if (!runInfoBytes) {
      throw new ImportError(
        'unsupported-format',
        fileName,
        `this NDC ${version} file has no data_runInfo.ndc, which holds the records' times.`,
      );
    }
    const runHeader = readNdcHeader(runInfoBytes);
    if (!runHeader || runHeader.fileType !== NDC_FILE_TYPE.runInfo)
      throw new ImportError('damaged-file', fileName, 'data_runInfo.ndc does not start with a runInfo header.');
    const runInfo = decodeNdcRunInfo(runInfoBytes, version, notes);
    const stepBytes = byBase.get('data_step.ndc');
    const steps =
      stepBytes && readNdcHeader(stepBytes)?.fileType === NDC_FILE_TYPE.step ? decodeNdcSteps(stepBytes, version, notes) : undefined;
    const assembleNotes: AssembleNotes = { recordsBeforeRunInfo: 0, recordsWithoutStep: 0, recordsInterpolated: 0 };
    records = assembleNdcRecords(main, runInfo, steps, assembleNotes);
    recordIndex = main.slots;
    const voltageUnit = version === 11 || version === 16 ? '0.1 mV' : 'V';
    const currentUnit = version === 11 || version === 16 ? 'mA' : 'A';
    const capacityUnit = version === 11 || version === 16 ? 'mAs' : 'Ah';
    sourceColumns.push(
      binaryField(`data.ndc voltage (float32, ${voltageUnit})`, voltageUnit, CANONICAL.voltageV),
      binaryField(`data.ndc current (float32, ${currentUnit})`, currentUnit, CANONICAL.currentMA),
      binaryField('data_runInfo.ndc step time (uint32, ms)', 'ms', CANONICAL.timeS),
      binaryField(`data_runInfo.ndc charge − discharge capacity (float32, ${capacityUnit})`, capacityUnit, CANONICAL.capacityMAh),
      binaryField('data_runInfo.ndc Unix time (uint32 s + ms)', 's'),
      binaryField('data_step.ndc step index (uint32)', '', CANONICAL.step),
      binaryField('data_step.ndc step type (uint8 NEWARE code)', '', CANONICAL.stepType),
      binaryField('data_step.ndc cycle (uint32, 0-based)', '', CANONICAL.cycle),
    );
    if (assembleNotes.recordsInterpolated > 0) {
      warnings.push({
        code: 'time-interpolated',
        message: `${assembleNotes.recordsInterpolated} records have no runInfo row of their own; their step time and capacity were carried forward from the last runInfo row by its logging interval.`,
        count: assembleNotes.recordsInterpolated,
      });
    }
    if (assembleNotes.recordsBeforeRunInfo > 0) {
      warnings.push({
        code: 'time-unknown',
        message: `${assembleNotes.recordsBeforeRunInfo} records come before the first runInfo row; their step time was set to 0.`,
        count: assembleNotes.recordsBeforeRunInfo,
      });
    }
    if (assembleNotes.recordsWithoutStep > 0) {
      warnings.push({
        code: 'step-unknown',
        message: `${assembleNotes.recordsWithoutStep} records have no row in data_step.ndc${steps ? '' : ' (the member is missing)'}; their step index is the step count, step type 'other' and cycle 1.`,
        count: assembleNotes.recordsWithoutStep,
      });
    }
  }

  checkAbort(signal, fileName);
  const temperature = readAuxTemperature(
    byBase,
    byBase.has('TestInfo.xml') ? latin1(byBase.get('TestInfo.xml')!) : '',
    recordIndex,
    sourceColumns,
    warnings,
    notes,
  );
  if (temperature) records = { ...records, temperatureC: temperature };
  if (notes.partialPageBytes > 0) {
    warnings.push({
      code: 'member-truncated',
      message: `${notes.partialPageBytes} bytes at the end of .ndc members do not fill a page and were ignored.`,
    });
  }
  if (records.firstDateTime && version !== 2 && version !== 5) {
    warnings.push(startTimeUtcWarning());
  }
  return { records, instrument, sourceColumns, warnings };
}

function parseNdax(bytes: Uint8Array, context: ParseContext): ParsedCycling {
  const { fileName } = context;
  const { records, instrument, sourceColumns, warnings } = decodeNdax(bytes, fileName, context.signal);
  checkAbort(context.signal, fileName);
  return finishNewareRecords(records, { fileName, instrument, sourceColumns, warnings });
}

/**
 * The temperature column from the aux members: the first channel that is a temperature (a layout with its
 * own temperature field, or a float channel whose TestInfo.xml type is 103 = T). Other aux channels have
 * no canonical column; they are listed in the source columns and a warning.
 */
function readAuxTemperature(
  byBase: ReadonlyMap<string, Uint8Array>,
  testInfoXml: string,
  recordIndex: Int32Array,
  sourceColumns: SourceColumn[],
  warnings: ImportWarning[],
  notes: NdcReadNotes,
): Float32Array | undefined {
  const members: AuxMember[] = [];
  for (const [name, bytes] of byBase) {
    if (!name.toLowerCase().endsWith('.ndc')) continue;
    const header = readNdcHeader(bytes);
    if (!header || header.fileType !== NDC_FILE_TYPE.aux) continue;
    const aux = decodeNdcAux(bytes, header.version, notes);
    if (!aux) {
      warnings.push({
        code: 'aux-not-read',
        message: `aux member ${name} (NDC ${header.version}) has a layout this reader does not know; it was skipped.`,
      });
      continue;
    }
    members.push({ name, sortKey: auxSortKey(name), aux });
  }
  if (members.length === 0) return undefined;
  members.sort((a, b) => a.sortKey[0] - b.sortKey[0] || a.sortKey[1] - b.sortKey[1] || a.sortKey[2] - b.sortKey[2]);
  pairAuxChannels(members, readAuxChannels(testInfoXml));

  let temperature: Float32Array | undefined;
  const skipped: string[] = [];
  for (const m of members) {
    const label = m.channel ? `${m.name} (${m.channel.tag}, type ${m.channel.channelType})` : m.name;
    if (hasNonZero(m.aux.temperatureC)) {
      if (!temperature) {
        temperature = alignAux(m.aux.temperatureC, m.aux.index, recordIndex);
        sourceColumns.push(binaryField(`${label} temperature: ${m.aux.layout}`, '°C', CANONICAL.temperatureC));
      } else skipped.push(`${label} temperature`);
    }
    if (hasNonZero(m.aux.voltageV)) {
      sourceColumns.push(binaryField(`${label} aux voltage: ${m.aux.layout}`, 'V'));
      skipped.push(`${label} aux voltage`);
    }
    if (m.aux.value) {
      if (m.channel?.channelType === AUX_CHANNEL_TEMPERATURE && !temperature) {
        temperature = alignAux(m.aux.value, m.aux.index, recordIndex);
        sourceColumns.push(binaryField(`${label}: ${m.aux.layout}`, '°C', CANONICAL.temperatureC));
      } else {
        sourceColumns.push(binaryField(`${label}: ${m.aux.layout}`, ''));
        skipped.push(label);
      }
    }
  }
  if (skipped.length > 0) {
    warnings.push({
      code: 'aux-not-imported',
      message: `aux channels without a canonical column (or a second temperature) were not imported: ${skipped.join('; ')}.`,
      count: skipped.length,
    });
  }
  return temperature;
}
