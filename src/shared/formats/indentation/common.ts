/**
 * Shared pieces of the nanoindentation readers: text decoding of whole files, unit factors for length
 * and force, a numeric table reader with bad-row counting, and a curve builder that produces the
 * columnar {@link IndentationCurve} in DOMAIN.md's units (depth nm, load mN, time s).
 */
import { ColumnBuilder } from '../../model/column-builder';
import type { ImportWarning, SourceColumn } from '../../model/dataset';
import type { IndentationCurve } from '../../model/indentation';
import { INDENT_SEGMENT_CODE, type IndentSegment } from '../../model/indentation';
import { normaliseUnit } from '../../model/units';
import type { ParseContext, ParsedIndentation } from '../binary-format';
import { parseNumber } from '../field-parsing';
import { ImportError } from '../import-error';
import { decodeHead, guessEncoding } from '../text-decoding';

/** nm per unit of length, keyed by {@link normaliseUnit}'s spelling (µ → u). */
const NM_PER_LENGTH_UNIT: Readonly<Record<string, number>> = { nm: 1, um: 1e3, mm: 1e6, m: 1e9, a: 0.1, å: 0.1 };
/** mN per unit of force. */
const MN_PER_FORCE_UNIT: Readonly<Record<string, number>> = { n: 1e3, mn: 1, un: 1e-3, nn: 1e-6 };
/** s per unit of time. */
const S_PER_TIME_UNIT: Readonly<Record<string, number>> = { s: 1, sec: 1, ms: 1e-3, min: 60 };

/**
 * Repairs unit strings that an exporter wrote as UTF-8 and then re-read as Latin-1 (KLA InView:
 * `Âµm`, `nmÂ²`). Strings that are not such mojibake come back unchanged.
 */
export function repairMojibake(text: string): string {
  if (!/[ÂÃ]/.test(text)) return text;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) return text;
    bytes[i] = c;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return text;
  }
}

function unitFactor(table: Readonly<Record<string, number>>, raw: string): number | undefined {
  const unit = normaliseUnit(repairMojibake(raw));
  return Object.prototype.hasOwnProperty.call(table, unit) ? table[unit] : undefined;
}

/** Factor from `raw` length unit to nm, or undefined when it is not a length unit. */
export const nmPerUnit = (raw: string): number | undefined => unitFactor(NM_PER_LENGTH_UNIT, raw);
/** Factor from `raw` force unit to mN, or undefined when it is not a force unit. */
export const mNPerUnit = (raw: string): number | undefined => unitFactor(MN_PER_FORCE_UNIT, raw);
/** Factor from `raw` time unit to s, or undefined when it is not a time unit. */
export const sPerUnit = (raw: string): number | undefined => unitFactor(S_PER_TIME_UNIT, raw);

/** The head of a file decoded for detection: UTF-8 when valid, else windows-1252 (Latin-1 exports). */
export function decodeHeadText(head: Uint8Array): string {
  return decodeHead(head, guessEncoding(head));
}

/** A whole (small) text export decoded, with the encoding used. */
export function decodeWholeText(bytes: Uint8Array, fileName: string): { text: string; encoding: string } {
  if (bytes.length === 0) throw new ImportError('empty-file', fileName, 'the file is empty.');
  const guess = guessEncoding(bytes);
  return { text: decodeHead(bytes, guess), encoding: guess.encoding };
}

/** Lines of a text, any of CRLF / LF / CR ending a line. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

/** The first `count` lines of a head (the last one may be cut by the head's byte limit). */
export function headLines(head: Uint8Array, count: number): string[] {
  const lines = splitLines(decodeHeadText(head));
  return lines.slice(0, count);
}

/** A cell parsed as a number; decimal commas accepted (FischerScope); NaN when not a number. */
export function parseCell(cell: string): number {
  return parseNumber(cell.trim());
}

/** True when every field of `fields` is a finite number. */
export function allNumeric(fields: readonly string[]): boolean {
  if (fields.length === 0) return false;
  for (const f of fields) if (!Number.isFinite(parseCell(f))) return false;
  return true;
}

/** The file's name without folders and extension (Micro Materials: the file name is the test name). */
export function fileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** Throws ImportError('aborted') when the caller cancelled. */
export function checkAbort(context: ParseContext): void {
  if (context.signal?.aborted) throw new ImportError('aborted', context.fileName, 'import cancelled.');
}

/**
 * Accumulates one curve point by point, converting to nm / mN / s with the given factors, and
 * dropping points whose depth or load is not finite (counted, for a warning).
 */
export class CurveBuilder {
  private readonly depth = new ColumnBuilder(Float64Array, 1024);
  private readonly load = new ColumnBuilder(Float64Array, 1024);
  private readonly time = new ColumnBuilder(Float64Array, 1024);
  private readonly segment = new ColumnBuilder(Uint8Array, 1024);
  private hasTime = false;
  private hasSegment = false;
  /** Points dropped because depth or load was missing or invalid. */
  droppedPoints = 0;

  constructor(
    private readonly nmPerDepthUnit = 1,
    private readonly mNPerLoadUnit = 1,
    private readonly sPerTimeUnit = 1,
  ) {}

  get size(): number {
    return this.depth.size;
  }

  /** Adds a point in the file's units; `time` NaN when absent; `segment` a code of INDENT_SEGMENTS. */
  push(depth: number, load: number, time = NaN, segment?: number): void {
    if (!Number.isFinite(depth) || !Number.isFinite(load)) {
      this.droppedPoints++;
      return;
    }
    this.depth.push(depth * this.nmPerDepthUnit);
    this.load.push(load * this.mNPerLoadUnit);
    const t = time * this.sPerTimeUnit;
    if (Number.isFinite(t)) this.hasTime = true;
    this.time.push(t);
    if (segment !== undefined) this.hasSegment = true;
    this.segment.push(segment ?? INDENT_SEGMENT_CODE.unknown);
  }

  /** The curve; throws ImportError when it holds no point. */
  finish(name: string, fileName: string, instrumentResults?: Record<string, number>): IndentationCurve {
    if (this.depth.size === 0) {
      throw new ImportError('no-data-rows', fileName, `${name}: no load–displacement points were found.`);
    }
    const curve: IndentationCurve = { name, depthNm: this.depth.finish(), loadMN: this.load.finish() };
    const time = this.time.finish();
    const segment = this.segment.finish();
    if (this.hasTime) curve.timeS = time;
    if (this.hasSegment) curve.segment = segment;
    if (instrumentResults && Object.keys(instrumentResults).length > 0) curve.instrumentResults = instrumentResults;
    return curve;
  }
}

/** Segment code of a name of INDENT_SEGMENTS. */
export const segmentCode = (segment: IndentSegment): number => INDENT_SEGMENT_CODE[segment];

/** Adds the dropped-point warning when a builder dropped any. */
export function droppedPointsWarning(dropped: number, what: string): ImportWarning[] {
  if (dropped === 0) return [];
  return [
    {
      code: 'invalid-points-dropped',
      message: `${dropped} point(s) with a missing or invalid depth or load (${what}) were dropped.`,
      count: dropped,
    },
  ];
}

/**
 * Reads the numeric rows `from`..`to` (exclusive) of a delimited table into the wanted columns.
 * Blank lines are skipped; a line with a non-numeric wanted field counts as bad (NaN values).
 */
export function readNumericRows(
  lines: readonly string[],
  from: number,
  to: number,
  delimiter: string | RegExp,
  wanted: readonly number[],
  onRow: (values: readonly number[]) => void,
): { rows: number; badRows: number } {
  let rows = 0;
  let badRows = 0;
  const values = new Array<number>(wanted.length);
  for (let i = from; i < to; i++) {
    const line = lines[i];
    if (line.trim().length === 0) continue;
    const fields = line.split(delimiter);
    let ok = true;
    for (let k = 0; k < wanted.length; k++) {
      const idx = wanted[k];
      const v = idx < 0 ? NaN : idx < fields.length ? parseCell(fields[idx]) : NaN;
      values[k] = v;
      if (idx >= 0 && !Number.isFinite(v)) ok = false;
    }
    rows++;
    if (!ok) badRows++;
    onRow(values);
  }
  return { rows, badRows };
}

/** Refuses a parse whose bad rows are the majority: the file is not what its header claims. */
export function checkBadRows(fileName: string, rows: number, badRows: number): void {
  if (rows > 0 && badRows * 2 > rows) {
    throw new ImportError(
      'too-many-bad-rows',
      fileName,
      `${badRows} of ${rows} data rows are not numbers: the file is damaged or not of this format.`,
    );
  }
}

/** A source column record (header as written, its unit and the canonical column it fed). */
export function sourceColumn(header: string, unit: string, mappedTo?: 'depth' | 'load' | 'time'): SourceColumn {
  return mappedTo === undefined ? { header, unit } : { header, unit, mappedTo };
}

/** Assembles a ParsedIndentation, dropping empty optional parts. */
export function parsedIndentation(parts: {
  encoding: string;
  instrument?: string;
  curves: IndentationCurve[];
  instrumentSettings?: Record<string, string | number>;
  warnings: ImportWarning[];
  sourceColumns: SourceColumn[];
}): ParsedIndentation {
  const settings = parts.instrumentSettings;
  return {
    kind: 'indentation',
    encoding: parts.encoding,
    ...(parts.instrument === undefined ? {} : { instrument: parts.instrument }),
    curves: parts.curves,
    ...(settings && Object.keys(settings).length > 0 ? { instrumentSettings: settings } : {}),
    warnings: parts.warnings,
    sourceColumns: parts.sourceColumns,
  };
}

/** Converts anything thrown inside a parser that is not an ImportError into one naming the file. */
export function guardParse<T>(fileName: string, what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new ImportError('damaged-file', fileName, `could not read this ${what}: it looks damaged (${detail}).`);
  }
}

/**
 * The decode scaffolding of every whole-text indentation reader: guards the parse (see
 * {@link guardParse}), decodes the whole file in its guessed encoding and hands its lines to `parse`.
 */
export function parseTextLines<T>(bytes: Uint8Array, fileName: string, what: string, parse: (lines: string[], encoding: string) => T): T {
  return guardParse(fileName, what, () => {
    const { text, encoding } = decodeWholeText(bytes, fileName);
    return parse(splitLines(text), encoding);
  });
}

/** Which columns of a unit-labelled table hold depth, load and time (-1: absent), and every column's unit. */
export interface CurveColumns {
  readonly depthIdx: number;
  readonly loadIdx: number;
  readonly timeIdx: number;
  readonly units: readonly string[];
}

/**
 * Reads one curve from the delimited numeric rows `from`… of a table whose depth, load and (optional)
 * time columns are known, converting each by its column's unit; refuses a majority of bad rows and
 * warns of dropped points.
 */
export function readCurveColumns(
  fileName: string,
  lines: readonly string[],
  from: number,
  delimiter: string | RegExp,
  { depthIdx, loadIdx, timeIdx, units }: CurveColumns,
): { builder: CurveBuilder; rows: number; warnings: ImportWarning[] } {
  const builder = new CurveBuilder(nmPerUnit(units[depthIdx]), mNPerUnit(units[loadIdx]), timeIdx < 0 ? 1 : sPerUnit(units[timeIdx]));
  const { rows, badRows } = readNumericRows(lines, from, lines.length, delimiter, [depthIdx, loadIdx, timeIdx], ([d, p, t]) =>
    builder.push(d, p, t),
  );
  checkBadRows(fileName, rows, badRows);
  return { builder, rows, warnings: droppedPointsWarning(builder.droppedPoints, 'non-numeric rows') };
}

/** The source columns of such a table: each header with its unit, depth/load/time marked as fed. */
export function curveSourceColumns(headers: readonly string[], { depthIdx, loadIdx, timeIdx, units }: CurveColumns): SourceColumn[] {
  return headers.map((h, k) =>
    sourceColumn(h, units[k], k === depthIdx ? 'depth' : k === loadIdx ? 'load' : k === timeIdx ? 'time' : undefined),
  );
}
