/**
 * Generic load–displacement text: two columns (depth, load) and optionally a third (time), delimited by
 * tab, semicolon, comma or spaces, with either
 *  - a header naming the units, e.g. `Depth (nm)<TAB>Load (mN)`, `h [µm];P [µN];t [s]`: columns are told
 *    apart by their units (length → depth, force → load, time → time), so any names and order work; or
 *  - no header: exactly two numeric columns, read as depth nm and load mN, with a warning saying so.
 *
 * Detection is narrow on purpose: it runs before the cycler delimited-text format, and a cycler file
 * never has a length and a force unit in its header, nor exactly two bare numeric columns.
 */
import { splitHeaderUnit } from '../../model/units';
import type { BinaryFormat, ParseContext, ParsedIndentation } from '../binary-format';
import { ImportError } from '../import-error';
import {
  allNumeric,
  checkAbort,
  curveSourceColumns,
  fileStem,
  headLines,
  mNPerUnit,
  nmPerUnit,
  parsedIndentation,
  parseTextLines,
  readCurveColumns,
  sPerUnit,
} from './common';

const DELIMITERS: readonly (string | RegExp)[] = ['\t', ';', ',', /\s+/];
const MAX_COLUMNS = 3;
/** Numeric rows of the head needed for detection. */
const MIN_DETECT_ROWS = 5;
const DETECT_LINES = 40;

interface Layout {
  delimiter: string | RegExp;
  /** Index of the header line, -1 when the file has none. */
  headerLine: number;
  headers: string[];
  units: string[];
  depthIdx: number;
  loadIdx: number;
  timeIdx: number;
}

const fieldsOf = (line: string, delimiter: string | RegExp): string[] =>
  (typeof delimiter === 'string' ? line.split(delimiter) : line.trim().split(delimiter)).map((f) => f.trim());

/** The layout of the file from its first lines, or undefined when it is not this format. */
function findLayout(lines: readonly string[]): Layout | undefined {
  const nonEmpty = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.trim().length > 0);
  if (nonEmpty.length === 0) return undefined;
  const first = nonEmpty[0];
  for (const delimiter of DELIMITERS) {
    const headerFields = fieldsOf(first.l, delimiter);
    if (headerFields.length < 2 || headerFields.length > MAX_COLUMNS) continue;
    const data = nonEmpty.slice(1, DETECT_LINES);
    const isHeaderless = allNumeric(headerFields);
    if (isHeaderless) {
      if (headerFields.length !== 2) continue;
      const rows = nonEmpty.slice(0, DETECT_LINES);
      if (rows.length < MIN_DETECT_ROWS) continue;
      if (!rows.every(({ l }) => ((f) => f.length === 2 && allNumeric(f))(fieldsOf(l, delimiter)))) continue;
      return {
        delimiter,
        headerLine: -1,
        headers: ['column 1', 'column 2'],
        units: ['nm', 'mN'],
        depthIdx: 0,
        loadIdx: 1,
        timeIdx: -1,
      };
    }
    const split = headerFields.map(splitHeaderUnit);
    const depth = split.map((h, k) => (nmPerUnit(h.unit) !== undefined && h.unit !== '' ? k : -1)).filter((k) => k >= 0);
    const load = split.map((h, k) => (mNPerUnit(h.unit) !== undefined && h.unit !== '' ? k : -1)).filter((k) => k >= 0);
    const time = split.map((h, k) => (sPerUnit(h.unit) !== undefined && h.unit !== '' ? k : -1)).filter((k) => k >= 0);
    if (depth.length !== 1 || load.length !== 1 || time.length > 1) continue;
    if (depth.length + load.length + time.length !== headerFields.length) continue;
    if (data.length < Math.min(MIN_DETECT_ROWS, nonEmpty.length - 1) || data.length === 0) continue;
    const isTable = data.every(({ l }) => {
      const f = fieldsOf(l, delimiter);
      return f.length === headerFields.length && allNumeric(f);
    });
    if (!isTable) continue;
    return {
      delimiter,
      headerLine: first.i,
      headers: headerFields,
      units: split.map((h) => h.unit),
      depthIdx: depth[0],
      loadIdx: load[0],
      timeIdx: time.length === 1 ? time[0] : -1,
    };
  }
  return undefined;
}

export const genericTwoColumnFormat: BinaryFormat = {
  id: 'indentation-two-column',
  instrument: 'Load–displacement text (depth, load)',

  detect(head: Uint8Array): boolean {
    const lines = headLines(head, DETECT_LINES + 1);
    // The last head line may be cut by the byte limit.
    return findLayout(lines.length > DETECT_LINES ? lines.slice(0, DETECT_LINES) : lines) !== undefined;
  },

  parse(bytes: Uint8Array, context: ParseContext): ParsedIndentation {
    const { fileName } = context;
    return parseTextLines(bytes, fileName, 'load–displacement text', (lines, encoding) => {
      const layout = findLayout(lines.slice(0, DETECT_LINES));
      if (!layout) {
        throw new ImportError(
          'unrecognised-format',
          fileName,
          'expected two numeric columns (depth, load), with a header naming a length unit and a force unit or none.',
        );
      }
      checkAbort(context);
      const { builder, warnings } = readCurveColumns(fileName, lines, layout.headerLine + 1, layout.delimiter, layout);
      if (layout.headerLine < 0) {
        warnings.push({
          code: 'units-assumed',
          message: 'the file has no header: column 1 was read as depth in nm and column 2 as load in mN.',
        });
      }
      return parsedIndentation({
        encoding,
        curves: [builder.finish(fileStem(fileName), fileName)],
        warnings,
        sourceColumns: curveSourceColumns(layout.headers, layout),
      });
    });
  },
};
