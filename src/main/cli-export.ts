/**
 * `interphase export`: a result table (per cycle, per pulse or per indent) as CSV or XLSX, with the same
 * analysis options as `analyze`.
 *
 *   options -> (kind, table, format, out) checked before any file is read -> import -> runAnalysis (as
 *   `analyze`) -> its table -> CSV (header with units) | XLSX (table + Provenance sheet) -> temp file ->
 *   rename onto --out (a failed export leaves no half-written file)
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { EXPORT_TABLE_NAMES, tableForAnalysisKind, tableToCsv, type ExportProvenance, type ExportTableName } from '@shared/export/tables';
import type { ImportedDataset } from '@shared/formats/import-dataset';
import { ANALYSIS_KINDS, OptionError, runAnalysis, type AnalysisKind } from './cli-analyze';
import { writeTableXlsx } from './export/xlsx-table';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest {
  readonly kind: AnalysisKind | 'auto';
  /** Undefined: the table of the (detected) kind. */
  readonly table: ExportTableName | undefined;
  readonly format: ExportFormat;
  readonly out: string;
}

/** Which table each kind has, for the error messages. */
const TABLE_OF_KIND = 'cycles for --kind cycling, pulses for --kind gitt, indents for --kind indentation';

/** Throws OptionError (exit 1) when the kind has no table or a different one. */
function checkTableFitsKind(kind: AnalysisKind, table: ExportTableName | undefined, detected: boolean): ExportTableName {
  const fitting = tableForAnalysisKind(kind);
  const how = detected ? `this file (detected as ${kind})` : `--kind ${kind}`;
  if (fitting === undefined) {
    throw new OptionError(
      `${how} has no per-row table to export (a CCD result is one number per current step); use --kind cycling --table cycles for its cycles`,
    );
  }
  if (table !== undefined && table !== fitting)
    throw new OptionError(`--table ${table} does not fit ${how}: its table is ${fitting} (${TABLE_OF_KIND})`);
  return fitting;
}

/**
 * Reads and checks `export`'s own options before any file is read, so a wrong combination exits 1 at once.
 * --format defaults to --out's extension (.csv or .xlsx).
 */
export function exportRequestFrom(values: ReadonlyMap<string, string>): ExportRequest {
  const kind = values.get('kind') ?? 'auto';
  if (!(ANALYSIS_KINDS as readonly string[]).includes(kind)) throw new OptionError(`--kind must be one of ${ANALYSIS_KINDS.join(', ')}`);
  const table = values.get('table');
  if (table !== undefined && !(EXPORT_TABLE_NAMES as readonly string[]).includes(table))
    throw new OptionError(`--table must be one of ${EXPORT_TABLE_NAMES.join(', ')} (${TABLE_OF_KIND}), got "${table}"`);
  const out = values.get('out');
  if (out === undefined || out === '') throw new OptionError('export needs --out FILE (the CSV or XLSX file to write)');
  const format = values.get('format') ?? extname(out).slice(1).toLowerCase();
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    throw new OptionError(
      `--format must be one of ${EXPORT_FORMATS.join(', ')}${values.has('format') ? `, got "${format}"` : ' (or --out must end in .csv or .xlsx)'}`,
    );
  if (kind !== 'auto') checkTableFitsKind(kind as AnalysisKind, table as ExportTableName | undefined, false);
  return { kind: kind as AnalysisKind | 'auto', table: table as ExportTableName | undefined, format: format as ExportFormat, out };
}

/**
 * Writes `bytes` to `path` through a temporary file in the same folder and a rename (atomic on one file
 * system): readers never see half a file, and a failed write removes its temporary file.
 */
export async function writeFileAtomic(path: string, bytes: string | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export interface ExportSummary {
  readonly kind: AnalysisKind;
  readonly table: ExportTableName;
  readonly format: ExportFormat;
  readonly rows: number;
  readonly out: string;
}

/** The analysis parameters for the provenance: the options as typed plus what the analysis resolved. */
function provenanceParameters(json: Record<string, unknown>, values: ReadonlyMap<string, string>): Record<string, unknown> {
  const options = Object.fromEntries([...values].filter(([name]) => !['kind', 'table', 'format', 'out'].includes(name)));
  const resolved: Record<string, unknown> = { parameters: json.parameters };
  for (const key of ['area_cm2', 'cellType', 'cell'] as const) if (key in json) resolved[key] = json[key];
  return { options, ...resolved };
}

/** Runs the analysis as `analyze` does and writes its table; `app` carries the version and the clock's reading. */
export async function exportTable(
  dataset: ImportedDataset,
  request: ExportRequest,
  values: ReadonlyMap<string, string>,
  app: { version: string; exportedAt: string },
): Promise<ExportSummary> {
  const output = await runAnalysis(dataset, { kind: request.kind, values });
  const kind = output.json.kind as AnalysisKind;
  const tableName = checkTableFitsKind(kind, request.table, request.kind === 'auto');
  const table = output.table;
  if (table === undefined || table.name !== tableName) throw new Error(`analysis of kind ${kind} returned no ${tableName} table`);
  const provenance: ExportProvenance = {
    app: 'Interphase',
    version: app.version,
    sourceFile: dataset.meta.source.fileName,
    sha256: dataset.meta.source.sha256,
    analysisKind: kind,
    parameters: provenanceParameters(output.json, values),
    exportedAt: app.exportedAt,
  };
  const bytes = request.format === 'csv' ? tableToCsv(table) : await writeTableXlsx(table, provenance);
  await writeFileAtomic(request.out, bytes);
  return { kind, table: tableName, format: request.format, rows: table.rows.length, out: request.out };
}
