/**
 * Bruker/Hysitron TriboScan quasi-static "export curve to text" (`… LC.txt`), one indent per file:
 *
 *   Mon Apr 29 10:41:06 2019          <- date line
 *                                     <- blank
 *   Number of Points = 5304
 *   Depth (nm)  Load (µN)  Time (s)  Depth (V)  Load (V)     (tab-separated, Latin-1 µ = 0xB5)
 *   0.814723    1.836146   0.000000  ...
 *
 * Load is written in µN and converted to mN (DOMAIN.md); depth stays in nm.
 */
import type { BinaryFormat, ParseContext, ParsedIndentation } from '../binary-format';
import { ImportError } from '../import-error';
import { splitHeaderUnit } from '../../model/units';
import {
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

const NUMBER_OF_POINTS = /^\s*Number of Points\s*=\s*(\d+)\s*$/i;
/** Lines searched for `Number of Points` (the date and a blank line come first). */
const HEADER_SEARCH_LINES = 6;

/** Locates the `Number of Points` line and the column header after it, or undefined. */
function findHeader(lines: readonly string[]): { countLine: number; headerLine: number } | undefined {
  for (let i = 0; i < Math.min(lines.length, HEADER_SEARCH_LINES); i++) {
    if (!NUMBER_OF_POINTS.test(lines[i])) continue;
    const headerLine = i + 1;
    if (headerLine >= lines.length) return undefined;
    const header = lines[headerLine];
    if (/depth\s*\(/i.test(header) && /load\s*\(/i.test(header)) return { countLine: i, headerLine };
    return undefined;
  }
  return undefined;
}

export const hysitronTxtFormat: BinaryFormat = {
  id: 'hysitron-txt',
  instrument: 'Bruker/Hysitron TriboScan (quasi-static curve text export)',

  detect(head: Uint8Array): boolean {
    return findHeader(headLines(head, HEADER_SEARCH_LINES + 1)) !== undefined;
  },

  parse(bytes: Uint8Array, context: ParseContext): ParsedIndentation {
    const { fileName } = context;
    return parseTextLines(bytes, fileName, 'Hysitron curve export', (lines, encoding) => {
      const found = findHeader(lines);
      if (!found) {
        throw new ImportError(
          'unrecognised-format',
          fileName,
          'no "Number of Points = N" line followed by a "Depth (nm) Load (µN)" header was found.',
        );
      }
      checkAbort(context);
      const headers = lines[found.headerLine].split('\t').map((h) => h.trim());
      const split = headers.map(splitHeaderUnit);
      const depthIdx = split.findIndex((h) => /^depth$/i.test(h.name) && nmPerUnit(h.unit) !== undefined);
      const loadIdx = split.findIndex((h) => /^load$/i.test(h.name) && mNPerUnit(h.unit) !== undefined);
      const timeIdx = split.findIndex((h) => /^time$/i.test(h.name) && sPerUnit(h.unit) !== undefined);
      if (depthIdx < 0 || loadIdx < 0) {
        throw new ImportError(
          'missing-column',
          fileName,
          `the header "${headers.join(' | ')}" has no depth (length unit) or load (force unit) column.`,
        );
      }
      const columns = { depthIdx, loadIdx, timeIdx, units: split.map((h) => h.unit) };
      const { builder, rows, warnings } = readCurveColumns(fileName, lines, found.headerLine + 1, '\t', columns);
      const declared = Number(NUMBER_OF_POINTS.exec(lines[found.countLine])![1]);
      if (declared !== rows) {
        warnings.push({
          code: 'point-count-mismatch',
          message: `the header declares ${declared} points but ${rows} data rows were read (file cut short?).`,
          count: Math.abs(declared - rows),
        });
      }
      const date = lines[0].trim();
      const sourceColumns = curveSourceColumns(headers, columns);
      return parsedIndentation({
        encoding,
        curves: [builder.finish(fileStem(fileName), fileName)],
        instrumentSettings: date.length > 0 && found.countLine > 0 ? { testDate: date } : undefined,
        warnings,
        sourceColumns,
      });
    });
  },
};
