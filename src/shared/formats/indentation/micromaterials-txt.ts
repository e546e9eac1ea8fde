/**
 * Micro Materials NanoTest text export: one indent per file (the file name is the test name), no header,
 * three tab-separated numeric columns, CRLF:
 *
 *   0.000000<TAB>-367.982536<TAB>-0.010298      <- pre-contact rows: time 0, depth above the surface
 *   …
 *   32.757423<TAB>1011.365181<TAB>123.332821
 *
 * Column order is time (s), depth (nm), load (mN). The MANIFEST lists "depth nm, load mN, time-like
 * third column", but the data contradict it: column 1 only grows (0 → 162, a clock), column 2 reaches
 * the 1000 nm / 1750 nm of the file names and plateaus there while column 3 holds constant (a load
 * hold), and micromechanics' reader (input.py, loadMicromaterials) reads t, h, p in this order.
 * The leading rows with time 0 are the instrument's pre-contact record (depth < 0, load ≈ 0); they
 * are kept and marked `approach`, the rest `unknown` (segments are found by analysis).
 */
import type { BinaryFormat, ParseContext, ParsedIndentation } from '../binary-format';
import { ImportError } from '../import-error';
import {
  allNumeric,
  checkAbort,
  checkBadRows,
  CurveBuilder,
  droppedPointsWarning,
  fileStem,
  headLines,
  parsedIndentation,
  parseTextLines,
  readNumericRows,
  segmentCode,
  sourceColumn,
} from './common';

/** Rows of the head that must all be three numbers for detection. */
const MIN_DETECT_ROWS = 20;
const DETECT_LINES = 60;

export const micromaterialsTxtFormat: BinaryFormat = {
  id: 'micromaterials-txt',
  instrument: 'Micro Materials NanoTest (text export)',

  detect(head: Uint8Array): boolean {
    const lines = headLines(head, DETECT_LINES + 1).slice(0, DETECT_LINES);
    let rows = 0;
    let previousTime = -Infinity;
    for (const line of lines) {
      if (line.trim().length === 0) continue;
      const fields = line.split('\t');
      if (fields.length !== 3 || !allNumeric(fields)) return false;
      // Column 1 is a clock: it never runs backwards.
      const t = Number(fields[0]);
      if (t < previousTime) return false;
      previousTime = t;
      rows++;
    }
    return rows >= MIN_DETECT_ROWS;
  },

  parse(bytes: Uint8Array, context: ParseContext): ParsedIndentation {
    const { fileName } = context;
    return parseTextLines(bytes, fileName, 'NanoTest export', (lines, encoding) => {
      checkAbort(context);
      const builder = new CurveBuilder(1, 1, 1);
      let started = false;
      const { rows, badRows } = readNumericRows(lines, 0, lines.length, '\t', [0, 1, 2], ([t, h, p]) => {
        if (t > 0) started = true;
        builder.push(h, p, t, started ? segmentCode('unknown') : segmentCode('approach'));
      });
      if (rows === 0) throw new ImportError('no-data-rows', fileName, 'the file holds no data rows.');
      checkBadRows(fileName, rows, badRows);
      return parsedIndentation({
        encoding,
        curves: [builder.finish(fileStem(fileName), fileName)],
        warnings: droppedPointsWarning(builder.droppedPoints, 'non-numeric rows'),
        sourceColumns: [
          sourceColumn('column 1', 's', 'time'),
          sourceColumn('column 2', 'nm', 'depth'),
          sourceColumn('column 3', 'mN', 'load'),
        ],
      });
    });
  },
};
