/**
 * Hysitron TriboScan nanoDMA text export (dynamic indentation), one test per file, Latin-1:
 *
 *   nanoDMA Text Export Version 1.00
 *   <blank>
 *    Test Time (s)<TAB> Indent Disp. (nm)<TAB> Indent Act. Load (µN)<TAB> Indent Load (µN)<TAB> … <TAB>
 *
 * Two loads are written: `Indent Act. Load` is the actuator's force and `Indent Load` the load on the
 * sample (the actuator force less the transducer spring's share: in the reference file the two differ by
 * a near-constant ~120 µN, the spring preload). The curve uses the load on the sample, as DOMAIN.md's P
 * is, and falls back to the actuator load only when the file lacks `Indent Load`. µN → mN.
 * The instrument's per-row storage modulus and hardness are not curve columns; they stay in the file.
 */
import { splitHeaderUnit } from '../../model/units';
import type { BinaryFormat, ParseContext, ParsedIndentation } from '../binary-format';
import { ImportError } from '../import-error';
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

const SIGNATURE = /^\s*nanoDMA Text Export/i;
const HEADER_SEARCH_LINES = 5;

function findHeaderLine(lines: readonly string[]): number {
  for (let i = 1; i < Math.min(lines.length, HEADER_SEARCH_LINES); i++) {
    if (/Indent Disp\./i.test(lines[i]) && /Load/i.test(lines[i])) return i;
  }
  return -1;
}

export const hysitronDmaFormat: BinaryFormat = {
  id: 'hysitron-dma',
  instrument: 'Bruker/Hysitron TriboScan nanoDMA (text export)',

  detect(head: Uint8Array): boolean {
    const lines = headLines(head, HEADER_SEARCH_LINES);
    return lines.length > 0 && SIGNATURE.test(lines[0]) && findHeaderLine(lines) > 0;
  },

  parse(bytes: Uint8Array, context: ParseContext): ParsedIndentation {
    const { fileName } = context;
    return parseTextLines(bytes, fileName, 'nanoDMA export', (lines, encoding) => {
      if (!SIGNATURE.test(lines[0] ?? '')) {
        throw new ImportError('unrecognised-format', fileName, 'the first line is not "nanoDMA Text Export …".');
      }
      const headerLine = findHeaderLine(lines);
      if (headerLine < 0) {
        throw new ImportError('missing-column', fileName, 'no column header with "Indent Disp." was found.');
      }
      checkAbort(context);
      const headers = lines[headerLine].split('\t').map((h) => h.trim());
      const split = headers.map(splitHeaderUnit);
      const find = (name: RegExp, unitOk: (u: string) => number | undefined) =>
        split.findIndex((h) => name.test(h.name) && unitOk(h.unit) !== undefined);
      const depthIdx = find(/^Indent Disp\.$/i, nmPerUnit);
      const sampleLoadIdx = find(/^Indent Load$/i, mNPerUnit);
      const loadIdx = sampleLoadIdx >= 0 ? sampleLoadIdx : find(/^Indent Act\. Load$/i, mNPerUnit);
      const timeIdx = find(/^Test Time$/i, sPerUnit);
      if (depthIdx < 0 || loadIdx < 0) {
        throw new ImportError('missing-column', fileName, 'the header has no "Indent Disp. (nm)" or "Indent Load (µN)" column.');
      }
      const columns = { depthIdx, loadIdx, timeIdx, units: split.map((h) => h.unit) };
      const { builder, warnings } = readCurveColumns(fileName, lines, headerLine + 1, '\t', columns);
      if (sampleLoadIdx < 0) {
        warnings.push({
          code: 'actuator-load-used',
          message: 'no "Indent Load" column: the actuator load (includes the transducer spring force) is used.',
        });
      }
      const sourceColumns = curveSourceColumns(headers, columns).filter((c) => c.header.length > 0);
      return parsedIndentation({
        encoding,
        instrument: `Bruker/Hysitron TriboScan (${lines[0].trim()})`,
        curves: [builder.finish(fileStem(fileName), fileName)],
        warnings,
        sourceColumns,
      });
    });
  },
};
