/**
 * `interphase analyze` and `interphase map`: the same analysis core as the app, for scripts and batches.
 *
 *   file -> import (pipeline) -> kind (given, or auto: indentation | gitt | ccd | cycling)
 *     -> analysis with the options given -> JSON on stdout (--json) or a short table; --csv FILE
 */
import { writeFile } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { analyzeCcd, analyzeCycling, cyclesToCsv, failureMapRow, type CyclingAnalysisParams } from '@shared/analysis/analyze-cycling';
import { detectAnalysisKind, type AnalysisKind } from '@shared/analysis/analysis-kind';
import { analyzeGitt, pulsesToCsv, type GittParams } from '@shared/analysis/gitt';
import { calibrateTip, FUSED_SILICA } from '@shared/analysis/tip-calibration';
import { analyzeIndentation, indentsToCsv, summariseBySample, type OliverPharrParams, type Tip } from '@shared/analysis/indentation';
import { cyclesTable, indentsTable, pulsesTable, type ExportTable } from '@shared/export/tables';
import type { ImportedDataset } from '@shared/formats/import-dataset';
import type { CellMetadata, CellType } from '@shared/model/cell-metadata';
import type { Dataset } from '@shared/model/dataset';

// The CLI's public names stay here; the choice itself lives in the shared core, used by the workers too.
export { ANALYSIS_KINDS, detectAnalysisKind, type AnalysisKind } from '@shared/analysis/analysis-kind';
const CELL_TYPES: readonly CellType[] = ['asymmetric', 'li-in-asymmetric', 'full'];

/** A wrong option value: the CLI prints it with the usage and exits 1. */
export class OptionError extends Error {}

/** Options of `analyze` / `map`, as parsed from the command line (names as the user typed them). */
export interface AnalyzeOptions {
  readonly kind: AnalysisKind | 'auto';
  readonly values: ReadonlyMap<string, string>;
}

function numberOption(values: ReadonlyMap<string, string>, name: string): number | undefined {
  const text = values.get(name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new OptionError(`--${name} must be a number, got "${text}"`);
  return value;
}

export function cellMetadataFrom(values: ReadonlyMap<string, string>): CellMetadata {
  const cell = values.get('cell') ?? 'asymmetric';
  if (!(CELL_TYPES as readonly string[]).includes(cell))
    throw new OptionError(`--cell must be one of ${CELL_TYPES.join(', ')}, got "${cell}"`);
  return {
    cellType: cell as CellType,
    areaCm2: numberOption(values, 'area'),
    activeMassG: numberOption(values, 'mass'),
    currentDensityMACm2: numberOption(values, 'current-density'),
    arealCapacityMAhCm2: numberOption(values, 'areal-capacity'),
  };
}

function gittParamsFrom(values: ReadonlyMap<string, string>): GittParams {
  const moles = numberOption(values, 'moles');
  const mass = numberOption(values, 'mass');
  if (moles === undefined && mass === undefined) {
    throw new OptionError('GITT needs the amount of active material: --moles <mol> (or --mass <g> with --molar-mass, default In)');
  }
  const method = values.get('method') ?? 'sqrt-fit';
  if (method !== 'sqrt-fit' && method !== 'end-point') throw new OptionError(`--method must be sqrt-fit or end-point, got "${method}"`);
  return {
    areaCm2: numberOption(values, 'area'),
    activeMaterialMol: moles,
    activeMassG: moles === undefined ? mass : undefined,
    molarVolumeCm3Mol: numberOption(values, 'molar-volume'),
    molarMassGMol: numberOption(values, 'molar-mass'),
    densityGCm3: numberOption(values, 'density'),
    deltaEtMethod: method,
  };
}

async function indentationParamsFrom(values: ReadonlyMap<string, string>): Promise<Partial<OliverPharrParams>> {
  const params: Partial<OliverPharrParams> = {};
  const nu = numberOption(values, 'nu');
  if (nu !== undefined) params.nu = nu;
  const tipPath = values.get('tip');
  if (tipPath !== undefined) {
    let tip: unknown;
    try {
      tip = JSON.parse(await readFile(tipPath, 'utf8'));
    } catch (error) {
      throw new OptionError(`--tip ${tipPath}: not a readable tip JSON file (${error instanceof Error ? error.message : String(error)})`);
    }
    params.tip = tip as Tip;
  }
  return params;
}

/**
 * Which sample a curve belongs to, for the mean ± s.d. table: `--group <regex>` takes the regex's first
 * capture group of the curve name (e.g. `^(.*)-site\d+$` groups "In-pristine-site2" as "In-pristine");
 * without it every curve of the file is one sample, named by the file.
 */
function sampleOfCurve(values: ReadonlyMap<string, string>, fileName: string): (curve: { name: string }) => string {
  const pattern = values.get('group');
  if (pattern === undefined) return () => fileName;
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    throw new OptionError(`--group: not a regular expression (${error instanceof Error ? error.message : String(error)})`);
  }
  return (curve) => regex.exec(curve.name)?.[1] ?? curve.name;
}

export interface AnalysisOutput {
  json: Record<string, unknown>;
  csv?: string;
  /** The per-cycle / per-pulse / per-indent table behind `csv` (for `interphase export`); none for CCD. */
  table?: ExportTable;
  text: string[];
}

const fmt = (v: number | null | undefined, digits = 4): string =>
  typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : '–';

/** Runs one analysis on an imported dataset. `isAuto` adds `"autoDetected": true` to the JSON. */
export async function runAnalysis(dataset: ImportedDataset, options: AnalyzeOptions): Promise<AnalysisOutput> {
  const kind = options.kind === 'auto' ? detectAnalysisKind(dataset) : options.kind;
  const auto = options.kind === 'auto' ? { autoDetected: true } : {};
  if (kind === 'indentation') {
    if (dataset.kind !== 'indentation')
      throw new OptionError(`${dataset.meta.name} holds cycling records, not load–displacement curves: use --kind cycling, ccd or gitt`);
    const result = analyzeIndentation(dataset, await indentationParamsFrom(options.values));
    const samples = summariseBySample(result.curves, sampleOfCurve(options.values, dataset.meta.source.fileName));
    return {
      json: { ...result, samples, file: dataset.meta.source.fileName, ...auto },
      csv: indentsToCsv(result),
      table: indentsTable(result),
      text: [
        `${dataset.meta.source.fileName}: indentation, ${result.curves.length} curves (ν = ${result.parameters.nu}, ${result.parameters.nuSource})`,
        ...result.curves.map(
          (c) =>
            `  ${c.name}: Pmax ${fmt(c.Pmax_mN)} mN, hmax ${fmt(c.hmax_nm)} nm, H ${fmt(c.H_GPa)} GPa, Er ${fmt(c.Er_GPa)} GPa, E ${fmt(c.E_GPa)} GPa${c.flags.length ? `  [${c.flags.join(', ')}]` : ''}`,
        ),
        ...samples.map(
          (g) =>
            `  sample ${g.sample} (${g.count} curves): H ${fmt(g.H_GPa.mean)} ± ${fmt(g.H_GPa.sd, 2)} GPa, E ${fmt(g.E_GPa.mean)} ± ${fmt(g.E_GPa.sd, 2)} GPa`,
        ),
      ],
    };
  }
  if (dataset.kind === 'indentation') throw new OptionError(`${dataset.meta.name} holds load–displacement curves: use --kind indentation`);
  const cycling: Dataset = dataset;
  if (kind === 'gitt') {
    const result = analyzeGitt(cycling, gittParamsFrom(options.values));
    return {
      json: { ...result, file: cycling.meta.source.fileName, ...auto },
      csv: pulsesToCsv(result),
      table: pulsesTable(result),
      text: [
        `${cycling.meta.source.fileName}: GITT, ${result.pulses.length} pulses`,
        ...result.pulses.map(
          (p) =>
            `  ${p.index}: t ${fmt(p.start_s, 6)} s, τ ${fmt(p.tau_s)} s, D ${fmt(p.D_cm2_s, 3)} cm²/s, ${fmt(p.relaxedVoltage_V, 5)} V${p.flags.length ? `  [${p.flags.join(', ')}]` : ''}`,
        ),
      ],
    };
  }
  const meta = cellMetadataFrom(options.values);
  const params: Partial<CyclingAnalysisParams> = {};
  if (kind === 'ccd') {
    const result = analyzeCcd(cycling, meta, params);
    return {
      json: { ...result, ...auto },
      text: [
        `${cycling.meta.source.fileName}: critical current density ${fmt(result.ccd_mA_cm2)} mA/cm² (last stable ${fmt(result.lastStable_mA_cm2)} mA/cm²)`,
        ...result.steps.map((s) => `  ${fmt(s.currentDensity_mA_cm2)} mA/cm²: ${s.shorted ? 'short' : 'stable'}`),
      ],
    };
  }
  const result = analyzeCycling(cycling, meta, params);
  return {
    json: { ...result, ...auto },
    csv: cyclesToCsv(result),
    table: cyclesTable(result),
    text: [
      `${cycling.meta.source.fileName}: ${result.cycles.length} cycles at ${fmt(result.currentDensity_mA_cm2)} mA/cm², ${fmt(result.arealCapacity_mAh_cm2)} mAh/cm² per cycle (area ${result.area_cm2} cm²)`,
      `  failure: ${result.failure.class}${result.failure.cycle !== null ? ` at cycle ${result.failure.cycle}` : ''}, lifespan ${fmt(result.failure.lifespan_mAh_cm2)} mAh/cm²${result.failure.censored ? ' (censored: still stable)' : ''}`,
    ],
  };
}

/** One failure-map row per cycling file (`interphase map`). */
export function mapRow(dataset: ImportedDataset, values: ReadonlyMap<string, string>): Record<string, unknown> {
  if (dataset.kind === 'indentation') throw new OptionError(`${dataset.meta.name} holds load–displacement curves, not a cycled cell`);
  return { ...failureMapRow(analyzeCycling(dataset, cellMetadataFrom(values))) };
}

export async function writeCsv(path: string, csv: string | undefined, kind: string): Promise<void> {
  if (csv === undefined) throw new OptionError(`--csv is not available for --kind ${kind}`);
  await writeFile(path, csv);
}

/**
 * `calibrate-tip`: fits a tip's area function and frame compliance on a reference material of known
 * modulus (fused silica by default), as instrument software does, and returns the tip as JSON to store
 * (one file per tip) and pass to `analyze --kind indentation --tip FILE`.
 */
export function runTipCalibration(dataset: ImportedDataset, values: ReadonlyMap<string, string>): AnalysisOutput {
  if (dataset.kind !== 'indentation') throw new OptionError(`${dataset.meta.name} holds cycling records, not load–displacement curves`);
  const reference = {
    E_GPa: numberOption(values, 'modulus') ?? FUSED_SILICA.E_GPa,
    nu: numberOption(values, 'nu') ?? FUSED_SILICA.nu,
  };
  const areaTerms = numberOption(values, 'area-terms');
  const calibration = calibrateTip(dataset.curves, reference, {
    tipName: values.get('name') ?? `calibrated on ${dataset.meta.source.fileName}`,
    ...(areaTerms === undefined ? {} : { areaTerms }),
  });
  const { tip } = calibration;
  return {
    json: {
      kind: 'tip-calibration',
      file: dataset.meta.source.fileName,
      tip,
      reference,
      Er_GPa: calibration.Er_GPa,
      converged: calibration.converged,
      iterations: calibration.iterations,
      areaRmsRelative: calibration.areaRmsRelative,
      points: calibration.points.length,
    },
    text: [
      `${dataset.meta.source.fileName}: tip "${tip.name}" from ${calibration.points.length} unloadings (reference E ${reference.E_GPa} GPa, ν ${reference.nu})`,
      `  area function C = [${tip.areaCoefficients.map((c) => fmt(c, 6)).join(', ')}], frame compliance ${fmt(tip.frameComplianceNmPerMN, 4)} nm/mN`,
      `  area fit RMS ${fmt(calibration.areaRmsRelative * 100, 3)} %${calibration.converged ? '' : ' (did not converge)'}`,
    ],
  };
}
