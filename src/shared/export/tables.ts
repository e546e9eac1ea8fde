/**
 * The per-cycle, per-pulse and per-indent result tables, as one neutral shape that every writer uses:
 * CSV (here), XLSX (xlsx-table.ts through exceljs in the hosts) and the CLI's `analyze --csv`.
 *
 *   analysis result -> table (columns with units, rows of number | string | null) -> CSV | XLSX
 *
 * One column list per table lives here; `cyclesToCsv`, `pulsesToCsv` and `indentsToCsv` in the analysis
 * modules are this table written with the keys as header. Values are the analysis results as they are
 * (the numbers the JSON of `analyze --json` carries, unrounded); NaN and ±Infinity become null (an empty
 * cell). Ratios (CE, retention) stay fractions, as in the JSON (1 = 100 %), and say so in their header.
 */
import type { CycleJson, CyclingResultJson } from '../analysis/analyze-cycling';
import type { GittPulse, GittResult } from '../analysis/gitt';
import type { IndentationResult, UnloadResult } from '../analysis/indentation';

/** One cell: a number, a text, or null for no value (written as an empty cell). */
export type ExportCell = number | string | null;

export interface ExportColumn {
  /** Machine name, as in the analysis JSON (e.g. `D_cm2_s`). */
  readonly key: string;
  /** Human header with the unit, e.g. "D (cm² s⁻¹)". */
  readonly header: string;
  /** The unit alone ('' for counts, names and dimensionless numbers). */
  readonly unit: string;
}

export interface ExportTable {
  /** Short name, also the XLSX sheet name: 'cycles' | 'pulses' | 'indents'. */
  readonly name: string;
  readonly columns: readonly ExportColumn[];
  /** One array per row, in column order. */
  readonly rows: readonly (readonly ExportCell[])[];
}

export const EXPORT_TABLE_NAMES = ['cycles', 'pulses', 'indents'] as const;
export type ExportTableName = (typeof EXPORT_TABLE_NAMES)[number];

/**
 * Where an exported table came from, so it can be traced and redone (issue 8, provenance). The caller
 * supplies every field, the export time too: the core has no clock.
 */
export interface ExportProvenance {
  readonly app: 'Interphase';
  readonly version: string;
  readonly sourceFile: string;
  /** SHA-256 of the source file's bytes, lowercase hex. */
  readonly sha256: string;
  /** 'cycling' | 'ccd' | 'gitt' | 'indentation'. */
  readonly analysisKind: string;
  /** The analysis parameters as resolved by the analysis (its result's `parameters`). */
  readonly parameters: unknown;
  /** ISO 8601 time of the export. */
  readonly exportedAt: string;
}

interface ColumnSpec<T> extends ExportColumn {
  readonly get: (row: T) => ExportCell;
}

/** A number cell: NaN and ±Infinity (and null) are "no value". */
function numberCell(value: number | null | undefined): ExportCell {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function col<T>(key: string, header: string, unit: string, get: (row: T) => ExportCell): ColumnSpec<T> {
  return { key, header: unit ? `${header} (${unit})` : header, unit, get };
}

/** A numeric field of the row, read by its key (the key is the JSON field name). */
function num<T, K extends keyof T & string>(key: K, header: string, unit: string): ColumnSpec<T> {
  return col<T>(key, header, unit, (row) => numberCell(row[key] as number | null));
}

const FRACTION = 'fraction';

const CYCLE_COLUMNS: readonly ColumnSpec<CycleJson>[] = [
  num('index', 'Cycle', ''),
  num('plateCapacity_mAh', 'Plating (charge) capacity', 'mAh'),
  num('stripCapacity_mAh', 'Stripping (discharge) capacity', 'mAh'),
  num('ce', 'CE', FRACTION),
  num('plateV', 'Plating voltage', 'V'),
  num('stripV', 'Stripping voltage', 'V'),
  num('voltageGap_mV', 'Voltage gap', 'mV'),
  num('nucleationOverpotential_mV', 'Nucleation overpotential', 'mV'),
  num('accumulatedArealCapacity_mAh_cm2', 'Accumulated areal capacity', 'mAh cm⁻²'),
  num('plateArealCapacity_mAh_cm2', 'Plating areal capacity', 'mAh cm⁻²'),
  num('stripArealCapacity_mAh_cm2', 'Stripping areal capacity', 'mAh cm⁻²'),
  num('plateSpecificCapacity_mAh_g', 'Plating specific capacity', 'mAh g⁻¹'),
  num('stripSpecificCapacity_mAh_g', 'Stripping specific capacity', 'mAh g⁻¹'),
  num('currentDensity_mA_cm2', 'Current density', 'mA cm⁻²'),
  num('retention', 'Retention', FRACTION),
  num('duration_s', 'Duration', 's'),
  num('startTime_s', 'Start time', 's'),
  col('flags', 'Flags', '', (c) => c.flags.join(';')),
];

const PULSE_COLUMNS: readonly ColumnSpec<GittPulse>[] = [
  num('index', 'Pulse', ''),
  num('run', 'Run', ''),
  col('direction', 'Direction', '', (p) => p.direction),
  num('start_s', 'Start time', 's'),
  num('tau_s', 'τ', 's'),
  num('current_mA', 'Current', 'mA'),
  num('irStep_V', 'IR step', 'V'),
  num('dEs_V', 'ΔE_s', 'V'),
  num('dEt_V', 'ΔE_t', 'V'),
  num('D_cm2_s', 'D', 'cm² s⁻¹'),
  num('sqrtFitR2', '√t fit R²', ''),
  num('arealCapacity_mAh_cm2', 'Areal capacity of the run', 'mAh cm⁻²'),
  num('totalArealCapacity_mAh_cm2', 'Total areal capacity', 'mAh cm⁻²'),
  num('relaxedVoltage_V', 'Relaxed voltage after', 'V'),
  num('relaxedVoltageBefore_V', 'Relaxed voltage before', 'V'),
  num('restAfter_s', 'Rest after', 's'),
  num('endRestSlope_V_per_s', 'End-of-rest slope', 'V s⁻¹'),
  col('plateau', 'Plateau', '', (p) => p.plateau),
  col('flags', 'Flags', '', (p) => p.flags.join(';')),
];

/** An unload with whether it is its curve's main unload (the one `analyze` reports per curve). */
interface IndentRow {
  readonly unload: UnloadResult;
  readonly isMain: boolean;
}

const un = <K extends keyof UnloadResult>(key: K, header: string, unit: string): ColumnSpec<IndentRow> =>
  col(key, header, unit, (r) => numberCell(r.unload[key] as number));

const INDENT_COLUMNS: readonly ColumnSpec<IndentRow>[] = [
  col('name', 'Curve', '', (r) => r.unload.name),
  un('unload', 'Unload', ''),
  col('is_main', 'Main unload (1 = yes)', '', (r) => (r.isMain ? 1 : 0)),
  un('Pmax_mN', 'P_max', 'mN'),
  un('hmax_nm', 'h_max', 'nm'),
  un('hf_nm', 'h_f', 'nm'),
  un('S_mN_nm', 'S', 'mN nm⁻¹'),
  un('hc_nm', 'h_c', 'nm'),
  un('A_nm2', 'A', 'nm²'),
  un('H_GPa', 'H', 'GPa'),
  un('Er_GPa', 'E_r', 'GPa'),
  un('E_GPa', 'E', 'GPa'),
  un('m', 'm', ''),
  un('fitR2', 'Fit R²', ''),
  un('alpha', 'α', 'mN nm⁻ᵐ'),
  un('fitPoints', 'Fit points', ''),
  un('hfOverHmax', 'h_f / h_max', ''),
  un('elasticWorkFraction', 'Elastic work fraction η_IT', ''),
  col('flags', 'Flags', '', (r) => r.unload.flags.join(';')),
];

function buildTable<T>(name: ExportTableName, specs: readonly ColumnSpec<T>[], items: readonly T[]): ExportTable {
  return {
    name,
    columns: specs.map(({ key, header, unit }) => ({ key, header, unit })),
    rows: items.map((item) => specs.map((s) => s.get(item))),
  };
}

/** One row per analysed cycle (`CyclingResultJson.cycles`); flags joined by ';'. */
export function cyclesTable(result: Pick<CyclingResultJson, 'cycles'>): ExportTable {
  return buildTable('cycles', CYCLE_COLUMNS, result.cycles);
}

/** One row per GITT pulse (`GittResult.pulses`), in time order; D empty where the pulse has none. */
export function pulsesTable(result: Pick<GittResult, 'pulses'>): ExportTable {
  return buildTable('pulses', PULSE_COLUMNS, result.pulses);
}

/**
 * One row per unloading of every curve (a multi-cycle curve gives several), `is_main` = 1 on the curve's
 * main unload; a curve without a separate unload list is its own single row.
 */
export function indentsTable(result: Pick<IndentationResult, 'curves'>): ExportTable {
  const rows: IndentRow[] = [];
  for (const curve of result.curves) {
    const unloads = curve.unloads.length > 0 ? curve.unloads : [curve];
    for (const u of unloads) rows.push({ unload: u, isMain: u.unload === curve.unload });
  }
  return buildTable('indents', INDENT_COLUMNS, rows);
}

/**
 * A CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled. An empty
 * text is written `""` so it stays distinct from null (an empty field). Numbers are JavaScript's
 * shortest round-trip form ('.' decimal, exponent for very small or large values): full precision.
 */
function csvField(cell: ExportCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (cell === '' || /[",\r\n]/.test(cell)) return `"${cell.replace(/"/g, '""')}"`;
  return cell;
}

export interface CsvOptions {
  /** 'header' (default): "D (cm² s⁻¹)"; 'key': the JSON field names, for scripts (`analyze --csv`). */
  readonly header?: 'header' | 'key';
}

/** The table as CSV: one header line, one line per row, '\n' line ends, a final line end. */
export function tableToCsv(table: ExportTable, options: CsvOptions = {}): string {
  const useKeys = options.header === 'key';
  const lines = [table.columns.map((c) => csvField(useKeys ? c.key : c.header)).join(',')];
  for (const row of table.rows) lines.push(row.map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * The provenance as name–value pairs (the XLSX "Provenance" sheet, a sidecar for CSV): the parameters
 * as compact JSON, every other field as given.
 */
export function provenanceEntries(provenance: ExportProvenance): [string, string][] {
  return [
    ['app', provenance.app],
    ['version', provenance.version],
    ['sourceFile', provenance.sourceFile],
    ['sha256', provenance.sha256],
    ['analysisKind', provenance.analysisKind],
    ['parameters', JSON.stringify(provenance.parameters ?? null)],
    ['exportedAt', provenance.exportedAt],
  ];
}

/** Which table a result kind has: cycling -> cycles, gitt -> pulses, indentation -> indents (ccd: none). */
export function tableForAnalysisKind(kind: string): ExportTableName | undefined {
  switch (kind) {
    case 'cycling':
      return 'cycles';
    case 'gitt':
      return 'pulses';
    case 'indentation':
      return 'indents';
    default:
      return undefined;
  }
}
