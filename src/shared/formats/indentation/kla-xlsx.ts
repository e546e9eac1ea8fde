/**
 * KLA (Nanomechanics/iNano, InView) Excel export (.xlsx): sheets `Results`, `Sample Information`,
 * `Pre-Test Inputs`, `Sample Summary`, `Post-Test Inputs`, `Cycles-GroupedByCycle`,
 * `Cycles-GroupedByTest`, `Test 1` …. Test sheets: row 1 `Markers`, `Depth`, `Load`, `Time` (order varies
 * between files), row 2 units (nm, mN, s); markers `Surface Index`, `End Of Loading Index`,
 * `End Of Hold At Load Index`, `Begin/End Drift Data Index` give the segments. Unit strings are
 * mojibake (`Âµm`, `nmÂ²`: UTF-8 read back as Latin-1) and are repaired before use.
 * A NanoSuite export saved as .xlsx (`Test 001` sheets, Agilent column names) is read the same way.
 *
 * `Results` rows become instrumentResults (`Pmax_mN`, `X_Position_um` …), and so do the per-unload rows
 * `test:cycle` of `Cycles-GroupedByTest` (`unload3_Su_N_m`, `unload3_Eu_GPa` …); `Pre-Test Inputs` values
 * equal for all tests become instrumentSettings (Poisson's ratio as `poissonRatio`). `Post-Test Inputs`
 * is not read: its header cells are split at a `/` (`Drift Correction? (1-Y` | `0-N)`) so its columns
 * no longer line up with their values.
 */
import type { BinaryFormat, ParseContext, ParsedIndentation } from '../binary-format';
import { readWorkbook } from '../containers/read-workbook';
import { isZip, probeXlsxHead } from '../containers/xlsx-reader';
import { guardParse, parsedIndentation } from './common';
import { readWorkbookCurves } from './workbook-curves';

const TEST_SHEET = /^Test\s+\d+$/i;
const COMPANION_SHEET = /^(Results|Pre-Test Inputs|Sample Summary|Required Inputs)$/i;
const SETTINGS_SHEETS = ['Pre-Test Inputs', 'Required Inputs', 'Inputs Editable Post Test'];

export const klaXlsxFormat: BinaryFormat = {
  id: 'kla-xlsx',
  instrument: 'KLA/Nanomechanics InView (.xlsx)',

  detect(head: Uint8Array): boolean {
    if (!isZip(head)) return false;
    const names = probeXlsxHead(head).sheetNames;
    if (!names) return false;
    return names.some((n) => TEST_SHEET.test(n.trim())) && names.some((n) => COMPANION_SHEET.test(n.trim()));
  },

  parse(bytes: Uint8Array, context: ParseContext): ParsedIndentation {
    const { fileName } = context;
    return guardParse(fileName, 'InView workbook', () => {
      const workbook = readWorkbook(bytes, fileName);
      const read = readWorkbookCurves(workbook, context, SETTINGS_SHEETS);
      const isAgilent = workbook.sheetNames.includes('Required Inputs');
      return parsedIndentation({
        encoding: 'utf-8',
        instrument: isAgilent ? 'Agilent/Keysight NanoSuite (.xlsx)' : 'KLA/Nanomechanics InView (.xlsx)',
        curves: read.curves,
        instrumentSettings: read.instrumentSettings,
        warnings: read.warnings,
        sourceColumns: read.sourceColumns,
      });
    });
  },
};
