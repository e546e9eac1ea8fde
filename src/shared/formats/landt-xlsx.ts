/**
 * Landt / LANHE (LAND CT2001A / CT3001) LANDdt Excel exports (.xlsx, or .xls through the same reader).
 *
 * UNVERIFIED: no real Landt file was available (MANIFEST.md "Known gaps"). This reader follows the
 * documented column names — `Record`, `TestTime` (`TestTime/Sec` in cellpy's Landt configuration),
 * `StepTime`, `Current/mA`, `Voltage/V`, `Capacity/mAh`, `SpeCap/mAh/g`, `SysTime`, `Cycle-Index`,
 * `Step-Index`, `Step-State` (`R` rest, `RateC` charge, `RateD` discharge; also `C_CC`, `D_CC`, `C_CV` …)
 * — and their Chinese forms (序号, 测试时间, 步骤时间, 电流/mA, 电压/V, 容量/mAh, 比容量/mAh/g, 系统时间,
 * 循环序号, 工步序号, 工步状态). Units follow a slash, as Landt writes them. It is tested only on workbooks
 * our own writer makes; treat its output as provisional until a real export confirms it.
 *
 * Assumptions (each a guess a real file must confirm): `Capacity` restarts at each step (a per-step
 * magnitude, like NEWARE's); the current may be written as a magnitude, so its sign is taken from the
 * step state (DOMAIN.md: + = charge) and the accumulator's warning counts the records it signed; a
 * `TestTime` without a unit is seconds, or `[d-]HH:MM:SS(.fff)` text.
 *
 * Pipeline: workbook -> first sheet with Landt headers (header row within its first rows) -> roles +
 * units -> rows -> RecordAccumulator.
 */
import { stepTypeFromLabel, type StepType } from '../model/step-type';
import type { BinaryFormat, ParseContext, ParsedCycling } from './binary-format';
import { cellText, dateCellMs, readWorkbook } from './containers/read-workbook';
import type { CellValue, Workbook } from './containers/workbook';
import { isOle2 } from './containers/xls-reader';
import { isZip, probeXlsxHead } from './containers/xlsx-reader';
import { parseDurationS } from './field-parsing';
import { mapHeaders, roleOfHeader, type HeaderRoles } from './header-mapping';
import { ImportError } from './import-error';
import {
  checkAbort,
  pushRow,
  recordAccumulatorFor,
  recordFieldCells,
  scaledCell,
  StepCodeCache,
  workbookCycling,
} from './workbook-cycler-common';

type LandtRole =
  'record' | 'testTime' | 'stepTime' | 'current' | 'voltage' | 'capacity' | 'sysTime' | 'cycle' | 'stepIndex' | 'stepState' | 'temperature';

/** Header names, unit stripped, lower case, `-`/`_` read as nothing (Cycle-Index = cycleindex). */
const ROLE_NAMES: Readonly<Record<LandtRole, readonly string[]>> = {
  record: ['record', 'record index', '序号', '记录序号', '记录号'],
  testTime: ['testtime', 'test time', '测试时间', '总时间'],
  stepTime: ['steptime', 'step time', '步骤时间', '工步时间'],
  current: ['current', '电流'],
  voltage: ['voltage', '电压'],
  capacity: ['capacity', '容量'],
  sysTime: ['systime', 'system time', 'realtime', '系统时间', '绝对时间'],
  cycle: ['cycleindex', 'cycle', '循环序号', '循环号', '循环'],
  stepIndex: ['stepindex', 'step', '工步序号', '工步号', '步骤序号'],
  stepState: ['stepstate', 'state', '工步状态', '状态', '工步类型'],
  temperature: ['temperature', 'temp', '温度'],
};

const LANDT_HEADERS: HeaderRoles<LandtRole> = {
  names: ROLE_NAMES,
  quantities: { testTime: 'time', current: 'current', voltage: 'voltage', capacity: 'capacity', temperature: 'temperature' },
  canonical: {
    testTime: 'time',
    current: 'current',
    voltage: 'voltage',
    capacity: 'capacity',
    cycle: 'cycle',
    stepIndex: 'step',
    stepState: 'stepType',
    temperature: 'temperature',
  },
  normalise: (name) => name.toLowerCase().replace(/[-_]/g, '').replace(/\s+/g, ' ').trim(),
};

/** Spellings only Landt uses: hyphenated indices, run-together times, SpeCap, or a slash unit on current. */
const LANDT_SPECIFIC = /^(step-?state|cycle-index|step-index|testtime|steptime|specap|systime)\b|^(current|电流)\s*\//i;
/** Rows scanned for the header row (LANDdt may put a title above it). */
const HEADER_SEARCH_ROWS = 10;

function hasLandtHeaders(headers: readonly string[]): boolean {
  const roles = new Set(headers.map((h) => roleOfHeader(LANDT_HEADERS, h)));
  return (
    roles.has('current') &&
    roles.has('voltage') &&
    (roles.has('testTime') || roles.has('sysTime')) &&
    headers.some((h) => LANDT_SPECIFIC.test(h.trim()))
  );
}

/** Landt's step states, and the canonical type of each; other labels go through stepTypeFromLabel. */
function stepTypeOfState(label: string): StepType {
  const s = label
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (s === 'r' || s === 'rest' || s === '静置' || s === '搁置') return 'rest';
  if (['c', 'ratec', 'c_cc', 'cc_c', 'cc_chg', 'chg', 'charge', '充电', '恒流充电'].includes(s)) return 'cc_charge';
  if (['d', 'rated', 'd_cc', 'cc_d', 'cc_dchg', 'dchg', 'discharge', '放电', '恒流放电'].includes(s)) return 'cc_discharge';
  if (['c_cv', 'cv_c', 'cvc', 'cv_chg', '恒压充电'].includes(s)) return 'cv_charge';
  if (['d_cv', 'cv_d', 'cvd', 'cv_dchg', '恒压放电'].includes(s)) return 'cv_discharge';
  if (['c_cccv', 'cccv_c', 'cccv_chg', '恒流恒压充电'].includes(s)) return 'ccv';
  return stepTypeFromLabel(label);
}

/** `TestTime` seconds: a number, `HH:MM:SS(.fff)`, `Nd HH:MM:SS` or `N-HH:MM:SS` (days before a hyphen). */
function durationCellS(value: CellValue | undefined, factor: number): number {
  if (typeof value === 'number') return value * factor;
  if (typeof value !== 'string') return NaN;
  const m = /^\s*(\d+)-(\d+:\d{1,2}:\d{1,2}(?:\.\d+)?)\s*$/.exec(value);
  if (m) return Number(m[1]) * 86400 + parseDurationS(m[2]);
  const v = parseDurationS(value);
  return value.includes(':') ? v : v * factor;
}

/** Landt's own column names as they appear in raw BIFF string bytes (8-bit or UTF-16LE). */
const LANDT_BIFF_TOKENS = ['Step-State', 'Cycle-Index', 'TestTime', 'Current/mA'];

/**
 * Detects from the head: an .xlsx whose strings in the head hold Landt's own spellings (Step-State,
 * Cycle-Index, TestTime, SpeCap, or a `Current/mA` slash unit) with current, voltage and a time column;
 * or an .xls (OLE2) whose head bytes hold at least two of those column names (BIFF8 stores the shared
 * strings uncompressed near the start of the Workbook stream, as 8-bit or UTF-16LE characters).
 */
function detectLandtXlsx(head: Uint8Array): boolean {
  if (isZip(head)) return hasLandtHeaders(probeXlsxHead(head).strings);
  if (!isOle2(head)) return false;
  let text = '';
  for (let k = 0; k < head.length; k++) if (head[k] !== 0) text += String.fromCharCode(head[k]);
  return LANDT_BIFF_TOKENS.filter((t) => text.includes(t)).length >= 2;
}

function findDataSheet(wb: Workbook, fileName: string) {
  for (const name of wb.sheetNames) {
    const sheet = wb.sheet(name);
    if (!sheet) continue;
    let rowIndex = 0;
    for (const row of sheet.rows()) {
      if (rowIndex >= HEADER_SEARCH_ROWS) break;
      const headers = row.map(cellText);
      if (hasLandtHeaders(headers)) return { sheet, headerRow: rowIndex, headers };
      rowIndex++;
    }
  }
  throw new ImportError(
    'missing-column',
    fileName,
    `no sheet with Landt's record columns (Current/mA, Voltage/V, TestTime, Step-State …); sheets: ${wb.sheetNames.join(', ')}.`,
  );
}

/** Parses a LANDdt Excel export (unverified against real files; see the file comment). Throws ImportError only. */
export function parseLandtXlsx(bytes: Uint8Array, context: ParseContext): ParsedCycling {
  const fileName = context.fileName;
  const wb = readWorkbook(bytes, fileName);
  const { sheet, headerRow, headers } = findDataSheet(wb, fileName);
  const { roles, sourceColumns } = mapHeaders(LANDT_HEADERS, fileName, headers);
  const col = (role: LandtRole) => roles.get(role)?.index ?? -1;
  const conv = (role: LandtRole) => roles.get(role)?.conversion ?? { factor: 1, offset: 0 };
  const [iTest, iSys, iV, iI, iState] = (['testTime', 'sysTime', 'voltage', 'current', 'stepState'] as const).map(col);
  const [cTest, cV, cI] = (['testTime', 'voltage', 'current'] as const).map(conv);

  const fields = recordFieldCells(roles);
  const acc = recordAccumulatorFor(fields);
  const codes = new StepCodeCache(stepTypeOfState);
  let startDateTime: string | undefined;
  let rowIndex = -1;
  for (const cells of sheet.rows()) {
    rowIndex++;
    if (rowIndex <= headerRow || cells.length === 0) continue;
    const rowNumber = rowIndex + 1;
    checkAbort(rowIndex, context);
    const timeS = iTest >= 0 ? durationCellS(cells[iTest], cTest.factor) : dateCellMs(cells[iSys]) / 1000;
    const first = acc.rowCount === 0;
    const stepTypeCode = () => codes.code(iState >= 0 ? cellText(cells[iState]) : '');
    if (!pushRow(acc, rowNumber, cells, fields, timeS, scaledCell(cells, iV, cV), scaledCell(cells, iI, cI), stepTypeCode)) continue;
    if (first && iSys >= 0) {
      const sys = cells[iSys];
      startDateTime = typeof sys === 'string' ? sys.trim() || undefined : undefined;
    }
  }
  if (acc.rowCount === 0) throw new ImportError('no-data-rows', fileName, `sheet "${sheet.name}" has a header but no readable records.`);
  const { columns, warnings } = acc.finish();
  warnings.push({
    code: 'format-unverified',
    message: 'the Landt (LANDdt) Excel reader follows documented column names only; no real Landt export has been checked.',
  });
  if (iState < 0) warnings.push({ code: 'no-step-state', message: 'no Step-State column: step types are unknown (other).' });
  context.onProgress?.(1);
  return workbookCycling(columns, sourceColumns, warnings, startDateTime);
}

export const LANDT_XLSX: BinaryFormat = {
  id: 'landt-xlsx',
  instrument: 'Landt LANDdt (Excel export, unverified)',
  detect: (head) => detectLandtXlsx(head),
  parse: parseLandtXlsx,
};
