/**
 * Interphase on the command line: the same core services as the app, without Electron.
 *
 *   interphase import <file> [--json] [--map …]          read an instrument file, print what was found
 *   interphase analyze <file> [--kind …] [options] [--json] [--csv FILE]   per-cycle, CCD, GITT or Oliver–Pharr analysis
 *   interphase map <files…> [--area …] [--json]           one failure-map row per cell
 *   interphase export <file> [--kind …] [--table …] [--format csv|xlsx] --out FILE   a result table as CSV or XLSX
 *   interphase generate-samples <dir>                     write the bundled sample files (deterministic)
 *
 * Exit codes: 0 success, 1 usage error, 2 bad input (one line on stderr naming the file and the problem),
 * 3 internal error (a bug: please report it).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { GittError } from '@shared/analysis/gitt';
import { IndentationAnalysisError } from '@shared/analysis/indentation';
import { parseColumnMapArgument, type ColumnMap } from '@shared/formats/column-map';
import { importFile, type ImportedDataset } from '@shared/formats/import-dataset';
import { ImportError, isImportError } from '@shared/formats/import-error';
import { groupSplitExports, importSplitExport } from '@shared/formats/import-split';
import { summarizeDataset, summarizeIndentation } from '@shared/model/dataset-summary';
import { openAccessDatabase } from './access-database';
import { ANALYSIS_KINDS, mapRow, OptionError, runAnalysis, runTipCalibration, writeCsv, type AnalysisKind } from './cli-analyze';
import { sampleFiles, sampleIndexJson } from '@shared/synth/sample-files';
import { createNodeHasher, openFileSource } from './node-file-source';
import { exportRequestFrom, exportTable } from './cli-export';
import { version as APP_VERSION } from '../../package.json';

const USAGE = `usage: interphase <command> [options]
  import <file> [--json] [--map time=ColA,voltage=ColB,current=ColC]
  import <name.xlsx> <name_1.xlsx> … [--json]   the parts of a split NEWARE Excel export, as one dataset
                                  read an instrument file and report format, rows, columns, ranges,
                                  warnings and the file-health report; --map assigns the columns of a
                                  generic delimited file (roles: time, dateTime, voltage, current,
                                  capacity, step, stepType, cycle, temperature)
  analyze <file> [--kind cycling|ccd|gitt|indentation|auto] [--json] [--csv FILE]
                                  analyse a file (auto, the default, picks the kind from the data)
      cycling, ccd:  [--area 0.785] [--cell asymmetric|li-in-asymmetric|full] [--mass <g>]
                     [--current-density <mA/cm²>] [--areal-capacity <mAh/cm²>]
      gitt:          --moles <mol> | --mass <g> [--molar-mass <g/mol>] [--molar-volume <cm³/mol>]
                     [--density <g/cm³>] [--area 0.785] [--method sqrt-fit|end-point]
      indentation:   [--nu <Poisson's ratio>] [--tip <tip.json>] [--group <regex>] (mean ± s.d. per
                     sample: the regex's first group of the curve name; default: the whole file)
  export <file> [--kind cycling|gitt|indentation|auto] [--table cycles|pulses|indents]
         [--format csv|xlsx] --out FILE [the analysis options of analyze]
                                  write the per-cycle (cycling), per-pulse (gitt) or per-indent
                                  (indentation) table as CSV (header with units) or XLSX (the table
                                  plus a Provenance sheet); --format defaults to --out's extension
  map <files…> [--area 0.785] [--cell …] [--json]
                                  one failure-map row per cell (current density, areal capacity,
                                  class, lifespan)
  calibrate-tip <reference file> [--modulus 72] [--nu 0.17] [--name TIP] [--area-terms 3]
                [--out tip.json] [--json]
                                  fit a tip's area function and frame compliance on a reference
                                  material (fused silica by default); --out writes the tip for --tip
  generate-samples <dir>          write the bundled sample files into <dir>`;

const EXIT_USAGE = 1;
const EXIT_BAD_INPUT = 2;
const EXIT_INTERNAL = 3;

class UsageError extends Error {}

interface ParsedArgs {
  positional: string[];
  flags: Set<string>;
  values: Map<string, string>;
}

/** Splits `--flag`, `--name value` / `--name=value` and positional arguments; unknown options are usage errors. */
function parseArgs(args: readonly string[], flagNames: readonly string[], valueNames: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { positional: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (flagNames.includes(name) && eq < 0) out.flags.add(name);
    else if (valueNames.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      out.values.set(name, value);
    } else throw new UsageError(`unknown option ${arg}`);
  }
  return out;
}

/** Imports one file through the same pipeline as the app; any non-ImportError still names the file. */
export async function importPath(path: string, columnMap?: ColumnMap): Promise<ImportedDataset> {
  const source = await openFileSource(path);
  try {
    return await importFile(source, { createHasher: createNodeHasher, columnMap, services: { openAccessDatabase } });
  } catch (error) {
    if (isImportError(error)) throw error;
    // A parser bug must still name the file and exit 2, never print a bare stack to the user.
    throw new ImportError(
      'read-failed',
      source.fileName,
      `could not be read: internal error (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
}

async function runImport(args: string[]): Promise<number> {
  const parsed = parseArgs(args, ['json'], ['map']);
  const isJson = parsed.flags.has('json');
  const files = parsed.positional;
  if (files.length === 0) throw new UsageError('import takes a file (or the parts of one split NEWARE Excel export)');
  if (files.length > 1 && groupSplitExports(files.map((f) => basename(f))).length !== 1) {
    throw new UsageError('import takes one file, or the parts of one split NEWARE Excel export (name.xlsx name_1.xlsx …)');
  }
  const mapText = parsed.values.get('map');
  const columnMap = mapText === undefined ? undefined : parseColumnMapArgument(mapText);
  const imported =
    files.length > 1
      ? await importSplitExport(await Promise.all(files.map((f) => openFileSource(f))), { createHasher: createNodeHasher })
      : await importPath(files[0], columnMap);
  if (imported.kind === 'indentation') {
    const summary = summarizeIndentation(imported);
    if (isJson) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      const lines = [
        `${summary.file}: ${summary.instrument} (${summary.format}), ${summary.curves.length} load–displacement curves, ${summary.rows} points`,
        ...summary.curves.map((c) => `  ${c.name}: ${c.points} points, Pmax ${c.Pmax_mN} mN, hmax ${c.hmax_nm} nm`),
        ...summary.warnings.map((w) => `  warning: ${w}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return 0;
  }
  const summary = summarizeDataset(imported);
  if (isJson) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    const lines = [
      `${summary.file}: ${summary.instrument} (${summary.format}), ${summary.rows} rows`,
      `  columns: ${summary.columns.map((c) => (c.unit ? `${c.name} [${c.unit}]` : c.name)).join(', ')}`,
      `  time ${summary.timeRange_s[0]}–${summary.timeRange_s[1]} s, voltage ${summary.voltageRange_V[0]}–${summary.voltageRange_V[1]} V`,
      ...summary.warnings.map((w) => `  warning: ${w}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}

const ANALYSIS_VALUES = [
  'kind',
  'area',
  'cell',
  'mass',
  'current-density',
  'areal-capacity',
  'moles',
  'molar-mass',
  'molar-volume',
  'density',
  'method',
  'nu',
  'tip',
  'group',
  'csv',
  'map',
];

/**
 * JSON for scripts: numbers computed from Float32 columns carry ~7 significant digits, so 0.1 mA/cm²
 * would print as 0.10000000334089729; 9 significant digits keep every real digit and drop the noise.
 */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(9)) : v,
  );
}

async function runAnalyze(args: string[]): Promise<number> {
  const parsed = parseArgs(args, ['json'], ANALYSIS_VALUES);
  if (parsed.positional.length !== 1) throw new UsageError('analyze takes exactly one file');
  const kind = parsed.values.get('kind') ?? 'auto';
  if (!(ANALYSIS_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${ANALYSIS_KINDS.join(', ')}`);
  const mapText = parsed.values.get('map');
  const dataset = await importPath(parsed.positional[0], mapText === undefined ? undefined : parseColumnMapArgument(mapText));
  const output = await runAnalysis(dataset, { kind: kind as AnalysisKind | 'auto', values: parsed.values });
  const csvPath = parsed.values.get('csv');
  if (csvPath !== undefined) await writeCsv(csvPath, output.csv, String(output.json.kind));
  if (parsed.flags.has('json')) process.stdout.write(`${toJson(output.json)}\n`);
  else process.stdout.write(`${output.text.join('\n')}\n`);
  return 0;
}

/** `export`: the same options as `analyze` (not --csv/--json) plus --table, --format and --out. */
async function runExport(args: string[]): Promise<number> {
  const parsed = parseArgs(args, [], [...ANALYSIS_VALUES.filter((name) => name !== 'csv'), 'table', 'format', 'out']);
  if (parsed.positional.length !== 1) throw new UsageError('export takes exactly one file');
  const request = exportRequestFrom(parsed.values);
  const mapText = parsed.values.get('map');
  const dataset = await importPath(parsed.positional[0], mapText === undefined ? undefined : parseColumnMapArgument(mapText));
  const summary = await exportTable(dataset, request, parsed.values, { version: APP_VERSION, exportedAt: new Date().toISOString() });
  process.stdout.write(
    `${summary.out}: ${summary.table} table of the ${summary.kind} analysis, ${summary.rows} rows, ${summary.format.toUpperCase()}\n`,
  );
  return 0;
}

async function runMap(args: string[]): Promise<number> {
  const parsed = parseArgs(args, ['json'], ['area', 'cell', 'mass', 'current-density', 'areal-capacity']);
  if (parsed.positional.length === 0) throw new UsageError('map takes one or more cycling files');
  const rows: Record<string, unknown>[] = [];
  for (const path of parsed.positional) rows.push(mapRow(await importPath(path), parsed.values));
  if (parsed.flags.has('json')) process.stdout.write(`${toJson(rows)}\n`);
  else {
    for (const r of rows) {
      process.stdout.write(
        `${String(r.file)}: ${String(r.currentDensity_mA_cm2)} mA/cm², ${String(r.arealCapacity_mAh_cm2)} mAh/cm², ${String(r.class)}, lifespan ${String(r.lifespan_mAh_cm2)} mAh/cm²${r.censored ? ' (censored)' : ''}\n`,
      );
    }
  }
  return 0;
}

async function runCalibrateTip(args: string[]): Promise<number> {
  const parsed = parseArgs(args, ['json'], ['modulus', 'nu', 'name', 'area-terms', 'out']);
  if (parsed.positional.length !== 1) throw new UsageError('calibrate-tip takes exactly one reference file');
  const output = runTipCalibration(await importPath(parsed.positional[0]), parsed.values);
  const out = parsed.values.get('out');
  if (out !== undefined) await writeFile(out, `${JSON.stringify(output.json.tip, null, 2)}\n`);
  process.stdout.write(parsed.flags.has('json') ? `${toJson(output.json)}\n` : `${output.text.join('\n')}\n`);
  return 0;
}

async function runGenerateSamples(args: string[]): Promise<number> {
  if (args.length !== 1) throw new UsageError('generate-samples takes exactly one directory');
  const dir = args[0];
  await mkdir(dir, { recursive: true });
  const files = sampleFiles();
  for (const sample of files) {
    await writeFile(join(dir, sample.fileName), sample.bytes);
  }
  await writeFile(join(dir, 'index.json'), sampleIndexJson(files));
  process.stdout.write(`wrote ${files.length} samples and index.json to ${dir}\n`);
  return 0;
}

/** Errors the analyses throw for data or parameters they cannot use (not bugs): exit 2 like bad files. */
function isAnalysisInputError(error: unknown): error is Error {
  return error instanceof GittError || error instanceof IndentationAnalysisError;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'import':
        return await runImport(rest);
      case 'analyze':
        return await runAnalyze(rest);
      case 'export':
        return await runExport(rest);
      case 'map':
        return await runMap(rest);
      case 'calibrate-tip':
        return await runCalibrateTip(rest);
      case 'generate-samples':
        return await runGenerateSamples(rest);
      case undefined:
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? EXIT_USAGE : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof OptionError) {
      process.stderr.write(`interphase: ${error.message}\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    if (isImportError(error) || isAnalysisInputError(error)) {
      process.stderr.write(`interphase: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    process.stderr.write(`interphase: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_INTERNAL;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
