/**
 * Agilent/Keysight (formerly MTS) NanoSuite Excel export (.xls, BIFF8) and the MTS/Agilent Analyst
 * averaged-curve export:
 *
 *  - NanoSuite: sheets `Results`, `Required Inputs`, `Inputs Editable Post Test`, then `Test 0NN` in
 *    reverse order (sometimes an empty `Sheet1`). Test sheets: row 1 names (`Segment`, `Displacement Into
 *    Surface`, `Load On Sample`, `Time On Sample`, CSM channels …), row 2 units (nm, mN, s); `Segment`
 *    carries markers (`Cycle Begin Marker 1`, `Surface Marker`, `Hold Segment Type` …) and `END`.
 *    Invalid values are written as 1.797e308: such points are dropped and counted in a warning.
 *  - Analyst averaged export: one sheet of mean (and standard-deviation) channels -> one curve.
 *
 * `Results` rows (`1`, or `1-3` for unload 3 of test 1 in multi-cycle methods) become each curve's
 * instrumentResults (`E_GPa`, `unload3_Stiffness_N_m` …); input-sheet values equal for all tests become
 * instrumentSettings (`Poissons_Ratio`, `Frame_Stiffness_Correction_N_m`, plus `poissonRatio`,
 * `frameStiffness_N_m`, `tipName`).
 */
import type { BinaryFormat, ParseContext, ParsedIndentation } from '../binary-format';
import { readWorkbook } from '../containers/read-workbook';
import { guardParse, parsedIndentation } from './common';
import { readWorkbookCurves } from './workbook-curves';

const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const SETTINGS_SHEETS = ['Required Inputs', 'Inputs Editable Post Test'];

/**
 * The head's bytes as Latin-1 text with NULs removed, so BIFF8 strings match whether stored compressed
 * (8-bit) or as UTF-16LE (every other byte 0).
 */
function headStrings(head: Uint8Array): string {
  let out = '';
  const n = head.length;
  for (let i = 0; i < n; i += 8192) {
    const part = head.subarray(i, Math.min(n, i + 8192));
    out += String.fromCharCode(...part);
  }
  return out.replace(/\0/g, '');
}

export const agilentXlsFormat: BinaryFormat = {
  id: 'agilent-xls',
  instrument: 'Agilent/Keysight NanoSuite (.xls)',

  detect(head: Uint8Array): boolean {
    if (head.length < 8 || !OLE2_MAGIC.every((b, k) => head[k] === b)) return false;
    // Sheet names and the shared strings (column names) lie in the workbook globals near the start.
    const text = headStrings(head);
    const hasChannels = text.includes('Displacement Into Surface') && text.includes('Load On Sample');
    const hasTestSheets = /Test 0\d\d/.test(text) && text.includes('Required Inputs');
    return hasChannels || hasTestSheets;
  },

  parse(bytes: Uint8Array, context: ParseContext): ParsedIndentation {
    const { fileName } = context;
    return guardParse(fileName, 'NanoSuite workbook', () => {
      const workbook = readWorkbook(bytes, fileName);
      const read = readWorkbookCurves(workbook, context, SETTINGS_SHEETS);
      return parsedIndentation({
        encoding: 'binary',
        instrument: read.layout === 'averaged' ? 'MTS/Agilent Analyst (averaged curve .xls)' : 'Agilent/Keysight NanoSuite (.xls)',
        curves: read.curves,
        instrumentSettings: read.instrumentSettings,
        warnings: read.warnings,
        sourceColumns: read.sourceColumns,
      });
    });
  },
};
