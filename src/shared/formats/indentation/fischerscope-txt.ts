/**
 * Helmut Fischer FISCHERSCOPE (WIN-HCU) text export: Latin-1, decimal commas in the tables, mixed
 * CRLF / LF line ends. Layout:
 *
 *   FS1.hap<TAB>Name of the application
 *   …  F = ESP n 300.000mN/120s/37s   (test parameters)
 *   block statistics: "value<TAB>label<TAB>…" lines
 *   per indent:
 *     FS1.hap   26.05.2020  15:17:54            <- starts an indent
 *     HM  0.299995/    117.0/      0.0=   3928.6  <- Martens hardness HM (N/mm²) after '='
 *     Block : 1   Value : 1
 *     EIT/(1-vs^2)<TAB>[GPa]<TAB>     83.7        <- ISO 14577 results, `name [unit] value [percent]`
 *     …
 *     20.95%  -  95.33% Fmax     Epsilon = 0.750   <- tangent fit range of the instrument's analysis
 *     F<TAB>h<TAB>t                                 <- curve: force mN, depth µm, time s
 *
 * Depth µm → nm. The instrument's results go into `instrumentResults` with the unit in the key:
 * `EIT_GPa` (the plane-strain modulus EIT/(1−νs²) as printed), `HIT_N_mm2`, `HUpl_N_mm2`, `hmax_um`,
 * `hr_um`, `Compliance_um_N`, `Wt_uJ`, `We_uJ`, `We_percent`, `Wr_uJ`, `Wr_percent`, `HM_N_mm2`.
 */
import type { ImportWarning, SourceColumn } from '../../model/dataset';
import type { IndentationCurve } from '../../model/indentation';
import type { BinaryFormat, ParseContext, ParsedIndentation } from '../binary-format';
import { ImportError } from '../import-error';
import {
  allNumeric,
  checkAbort,
  checkBadRows,
  CurveBuilder,
  droppedPointsWarning,
  headLines,
  parseCell,
  parsedIndentation,
  parseTextLines,
  repairMojibake,
  sourceColumn,
} from './common';

const APPLICATION_LINE = /^\S+\.hap\tName of the application/;
const INDENT_START = /^\S+\.hap\s+(\d{2}\.\d{2}\.\d{4})\s+(\d{2}:\d{2}:\d{2})\s*$/;
const BLOCK_VALUE = /^\s*Block\s*:\s*(\d+)\s+Value\s*:\s*(\d+)/;
const MARTENS = /^HM\s.*=\s*(\S+)\s*$/;
const RESULT_LINE = /^([^\t[]+?)\t\[([^\]]*)\]\t\s*(\S+)(?:\t\s*(\S+?)%)?\s*$/;
const FIT_RANGE = /^(.*Fmax)\s+Epsilon\s*=\s*(\S+)/;
const TEST_PARAMETER = /^([FCR])\s*=\s*(.*)$/;
const NM_PER_UM = 1000;

/** `N/mm²` → `N_mm2`, `µm/N` → `um_N`, `GPa` → `GPa`: a unit as a key suffix. */
function unitKey(unit: string): string {
  return repairMojibake(unit)
    .trim()
    .replace(/[µμ]/g, 'u')
    .replace(/²/g, '2')
    .replace(/³/g, '3')
    .replace(/\//g, '_')
    .replace(/[^A-Za-z0-9_]/g, '');
}

/** `EIT/(1-vs^2)` is printed as EIT (the plane-strain modulus); other names keep their letters. */
function resultName(name: string): string {
  const n = name.trim();
  if (/^EIT\s*\/\s*\(1-vs\^2\)$/i.test(n)) return 'EIT';
  return n.replace(/[^A-Za-z0-9]/g, '');
}

interface IndentDraft {
  /** `Block : b   Value : n` of the indent, when the file gives it. */
  block?: number;
  value?: number;
  dateTime: string;
  results: Record<string, number>;
  builder: CurveBuilder;
  inCurve: boolean;
}

export const fischerscopeTxtFormat: BinaryFormat = {
  id: 'fischerscope-txt',
  instrument: 'Helmut Fischer FISCHERSCOPE (WIN-HCU text export)',

  detect(head: Uint8Array): boolean {
    const [first] = headLines(head, 1);
    return first !== undefined && APPLICATION_LINE.test(first);
  },

  parse(bytes: Uint8Array, context: ParseContext): ParsedIndentation {
    const { fileName } = context;
    return parseTextLines(bytes, fileName, 'FISCHERSCOPE export', (lines, encoding) => {
      if (!APPLICATION_LINE.test(lines[0] ?? '')) {
        throw new ImportError('unrecognised-format', fileName, 'the first line is not "<name>.hap<TAB>Name of the application".');
      }
      const settings: Record<string, string | number> = {};
      const drafts: IndentDraft[] = [];
      let draft: IndentDraft | undefined;
      let rows = 0;
      let badRows = 0;
      const blocks = new Set<number>();
      for (let i = 1; i < lines.length; i++) {
        if ((i & 0xfff) === 0) checkAbort(context);
        const line = lines[i];
        const start = INDENT_START.exec(line);
        if (start) {
          draft = {
            dateTime: `${start[1]} ${start[2]}`,
            results: {},
            builder: new CurveBuilder(NM_PER_UM, 1, 1),
            inCurve: false,
          };
          drafts.push(draft);
          continue;
        }
        if (!draft) {
          const p = TEST_PARAMETER.exec(line);
          if (p) settings[`testParameter${p[1]}`] = p[2].trim();
          continue;
        }
        if (draft.inCurve) {
          if (line.trim().length === 0) continue;
          const fields = line.split('\t');
          if (fields.length >= 3) {
            rows++;
            if (!allNumeric(fields.slice(0, 3))) badRows++;
            draft.builder.push(parseCell(fields[1]), parseCell(fields[0]), parseCell(fields[2]));
            continue;
          }
          draft.inCurve = false;
        }
        if (/^F\th\tt\s*$/.test(line)) {
          draft.inCurve = true;
          continue;
        }
        const block = BLOCK_VALUE.exec(line);
        if (block) {
          blocks.add(Number(block[1]));
          draft.block = Number(block[1]);
          draft.value = Number(block[2]);
          continue;
        }
        const hm = MARTENS.exec(line);
        if (hm) {
          const v = parseCell(hm[1]);
          if (Number.isFinite(v)) draft.results.HM_N_mm2 = v;
          continue;
        }
        const fit = FIT_RANGE.exec(line);
        if (fit) {
          settings.tangentFitRange = fit[1].replace(/\s+/g, ' ').trim();
          const eps = parseCell(fit[2]);
          if (Number.isFinite(eps)) settings.epsilon = eps;
          continue;
        }
        const result = RESULT_LINE.exec(line);
        if (result) {
          const key = `${resultName(result[1])}_${unitKey(result[2])}`;
          const value = parseCell(result[3]);
          if (Number.isFinite(value)) draft.results[key] = value;
          if (result[4] !== undefined) {
            const pct = parseCell(result[4]);
            if (Number.isFinite(pct)) draft.results[`${resultName(result[1])}_percent`] = pct;
          }
        }
      }
      checkBadRows(fileName, rows, badRows);
      if (drafts.length === 0) {
        throw new ImportError('no-data-rows', fileName, 'no indent ("<name>.hap  date  time" line) was found.');
      }
      const singleBlock = blocks.size <= 1;
      const warnings: ImportWarning[] = [];
      let dropped = 0;
      const curves: IndentationCurve[] = drafts.map((d, k) => {
        dropped += d.builder.droppedPoints;
        const n = d.value ?? k + 1;
        const name = singleBlock || d.block === undefined ? `Indent ${n}` : `Block ${d.block} indent ${n}`;
        return d.builder.finish(name, fileName, d.results);
      });
      warnings.push(...droppedPointsWarning(dropped, 'non-numeric rows'));
      settings.firstIndentDateTime = drafts[0].dateTime;
      const sourceColumns: SourceColumn[] = [
        sourceColumn('F', 'mN', 'load'),
        sourceColumn('h', 'µm', 'depth'),
        sourceColumn('t', 's', 'time'),
      ];
      return parsedIndentation({ encoding, curves, instrumentSettings: settings, warnings, sourceColumns });
    });
  },
};
