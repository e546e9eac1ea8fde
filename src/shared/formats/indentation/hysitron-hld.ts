/**
 * Hysitron HighLoad `.hld` (FBControls), a native text file in Latin-1:
 *
 *   File Version: Hysitron HighLoad FBControls 6.1 Release
 *   <key>: <value> <unit>          <- calibration, tip area function, load-function segments
 *   Sample Approach Data Points: 312       + column header + 312 rows
 *   Drift Measurement Data Points: 913     + column header + 913 rows
 *   Test Data Points: 1068                 + `Time_s Disp_nm Force_µN LoadCell_nm …` + 1068 rows
 *
 * Only the `Test Data Points` block is the load–displacement curve; `Disp_nm` is the displacement
 * (the instrument's drift-corrected depth axis), `Force_µN` is converted to mN. The load function's
 * segments (begin/end time and demand) give each point a segment: rising demand = loading, constant
 * non-zero = hold, falling = unloading; the zero-demand segments before the test are left `unknown`.
 */
import type { ImportWarning, SourceColumn } from '../../model/dataset';
import type { BinaryFormat, ParseContext, ParsedIndentation } from '../binary-format';
import { ImportError } from '../import-error';
import {
  checkAbort,
  checkBadRows,
  CurveBuilder,
  droppedPointsWarning,
  fileStem,
  headLines,
  mNPerUnit,
  nmPerUnit,
  parseCell,
  parsedIndentation,
  parseTextLines,
  readNumericRows,
  segmentCode,
  sourceColumn,
  sPerUnit,
} from './common';

const BLOCK_LINE = /^\s*(.+?)\s+Data Points:\s*(\d+)\s*$/;
const KEY_VALUE = /^([^:]+):\s*(.*)$/;
/** Header keys kept as instrument settings (analysis uses the tip area function and the drift rate). */
const KEPT_KEYS = /^(Time Stamp|Test Type|System|Tip ID|Tip C\d|Tip B|Drift Rate|Machine Comp|Maximum Demand|Contact Threshold)$/;

interface LoadSegment {
  beginS: number;
  endS: number;
  beginDemand: number;
  endDemand: number;
}

/** A header value `1.5e3 µN/V` split into its number and unit ('' when none). */
function splitValue(value: string): { number: number; unit: string } {
  const m = /^\s*(\S+)\s*(.*)$/.exec(value);
  if (!m) return { number: NaN, unit: '' };
  return { number: parseCell(m[1]), unit: m[2].trim() };
}

/** Segment of a point at time `t` from the load function (demands compared relative to their size). */
function segmentAt(segments: readonly LoadSegment[], t: number): number {
  for (const s of segments) {
    if (t < s.beginS || t > s.endS) continue;
    const scale = Math.max(Math.abs(s.beginDemand), Math.abs(s.endDemand));
    if (scale === 0) return segmentCode('unknown');
    const change = (s.endDemand - s.beginDemand) / scale;
    if (change > 1e-6) return segmentCode('loading');
    if (change < -1e-6) return segmentCode('unloading');
    return segmentCode('hold');
  }
  return segmentCode('unknown');
}

export const hysitronHldFormat: BinaryFormat = {
  id: 'hysitron-hld',
  instrument: 'Hysitron HighLoad (.hld)',

  detect(head: Uint8Array): boolean {
    const [first] = headLines(head, 1);
    return first !== undefined && /^File Version:\s*Hysitron/i.test(first);
  },

  parse(bytes: Uint8Array, context: ParseContext): ParsedIndentation {
    const { fileName } = context;
    return parseTextLines(bytes, fileName, 'Hysitron .hld file', (lines, encoding) => {
      if (!/^File Version:\s*Hysitron/i.test(lines[0] ?? '')) {
        throw new ImportError('unrecognised-format', fileName, 'the first line is not "File Version: Hysitron …".');
      }
      const settings: Record<string, string | number> = {};
      const segments: LoadSegment[] = [];
      let current: Partial<LoadSegment> = {};
      let i = 1;
      // Header: key: value lines up to the first data block.
      for (; i < lines.length; i++) {
        const line = lines[i];
        if (BLOCK_LINE.test(line)) break;
        const kv = KEY_VALUE.exec(line);
        if (!kv) continue;
        const key = kv[1].trim();
        const { number, unit } = splitValue(kv[2]);
        if (KEPT_KEYS.test(key)) {
          if (Number.isFinite(number) && key !== 'Time Stamp' && key !== 'Tip ID') {
            const force = mNPerUnit(unit);
            // Demands are forces: stored in mN like every load of the app.
            if (force !== undefined) settings[`${key} (mN)`] = number * force;
            else settings[unit.length > 0 ? `${key} (${unit})` : key] = number;
          } else settings[key] = kv[2].trim();
        }
        if (key === 'Segment Begin Time') current = { beginS: number };
        else if (key === 'Segment End Time') current.endS = number;
        else if (key === 'Segment Begin Demand') current.beginDemand = number;
        else if (key === 'Segment End Demand') {
          current.endDemand = number;
          const { beginS, endS, beginDemand } = current;
          if (beginS !== undefined && endS !== undefined && beginDemand !== undefined) {
            segments.push({ beginS, endS, beginDemand, endDemand: number });
          }
          current = {};
        }
      }
      checkAbort(context);
      // Data blocks: find `Test Data Points: N`, skipping the other blocks by their declared length.
      let testBlock: { headerLine: number; count: number } | undefined;
      while (i < lines.length) {
        const m = BLOCK_LINE.exec(lines[i]);
        if (!m) {
          i++;
          continue;
        }
        const count = Number(m[2]);
        if (/^Test$/i.test(m[1].trim())) {
          testBlock = { headerLine: i + 1, count };
          break;
        }
        i += 2 + count;
      }
      if (!testBlock || testBlock.headerLine >= lines.length) {
        throw new ImportError('no-data-rows', fileName, 'the "Test Data Points" block was not found.');
      }
      const headers = lines[testBlock.headerLine].split('\t').map((h) => h.trim());
      // Hysitron writes `Name_unit` (Time_s, Disp_nm, Force_µN).
      const split = headers.map((h) => {
        const u = h.lastIndexOf('_');
        return u < 0 ? { name: h, unit: '' } : { name: h.slice(0, u), unit: h.slice(u + 1) };
      });
      const depthIdx = split.findIndex((h) => /^disp$/i.test(h.name) && nmPerUnit(h.unit) !== undefined);
      const loadIdx = split.findIndex((h) => /^force$/i.test(h.name) && mNPerUnit(h.unit) !== undefined);
      const timeIdx = split.findIndex((h) => /^time$/i.test(h.name) && sPerUnit(h.unit) !== undefined);
      if (depthIdx < 0 || loadIdx < 0) {
        throw new ImportError(
          'missing-column',
          fileName,
          `the test block's header "${headers.join(' | ')}" has no Disp_nm or Force_µN column.`,
        );
      }
      const sPer = timeIdx < 0 ? 1 : sPerUnit(split[timeIdx].unit)!;
      const builder = new CurveBuilder(nmPerUnit(split[depthIdx].unit), mNPerUnit(split[loadIdx].unit), sPer);
      const first = testBlock.headerLine + 1;
      const end = Math.min(lines.length, first + testBlock.count);
      const useSegments = segments.length > 0 && timeIdx >= 0;
      const { rows, badRows } = readNumericRows(lines, first, end, '\t', [depthIdx, loadIdx, timeIdx], ([d, p, t]) =>
        builder.push(d, p, t, useSegments ? segmentAt(segments, t * sPer) : undefined),
      );
      checkBadRows(fileName, rows, badRows);
      const warnings: ImportWarning[] = droppedPointsWarning(builder.droppedPoints, 'non-numeric rows');
      if (rows < testBlock.count) {
        warnings.push({
          code: 'point-count-mismatch',
          message: `the test block declares ${testBlock.count} points but ${rows} were read (file cut short?).`,
          count: testBlock.count - rows,
        });
      }
      const sourceColumns: SourceColumn[] = headers.map((h, k) =>
        sourceColumn(h, split[k].unit, k === depthIdx ? 'depth' : k === loadIdx ? 'load' : k === timeIdx ? 'time' : undefined),
      );
      const version = /^File Version:\s*(.*)$/i.exec(lines[0])![1].trim();
      return parsedIndentation({
        encoding,
        instrument: version.length > 0 ? `${version} (.hld)` : undefined,
        curves: [builder.finish(fileStem(fileName), fileName)],
        instrumentSettings: settings,
        warnings,
        sourceColumns,
      });
    });
  },
};
