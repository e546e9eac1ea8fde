/**
 * Entry points of the cycling analyses, returning the CLI's JSON objects (field names are a contract).
 *
 *   Dataset + CellMetadata -> segment half-cycles (cycles.ts) -> per-cycle metrics -> failure (failure.ts)
 *                                                                               \-> CCD steps (ccd.ts)
 *
 * Every threshold is a named parameter with DOMAIN.md's default; the values used are returned in
 * `parameters`. Numbers that are undefined (no stripping after the last plating, no active mass) are null.
 */
import { cyclesTable, tableToCsv } from '../export/tables';
import { ImportError } from '../formats/import-error';
import { type CellMetadata, isAsymmetricCell, resolveCellMetadata, type ResolvedCellMetadata } from '../model/cell-metadata';
import type { Dataset } from '../model/dataset';
import { analyzeCcdSteps, type CcdParams, DEFAULT_CCD_PARAMS, groupCurrentSteps, isStaircase } from './ccd';
import {
  type CycleMetrics,
  type CycleParams,
  computeCycleMetrics,
  DEFAULT_CYCLE_PARAMS,
  type HalfCycleKind,
  type LongLoopOptions,
  type Segmentation,
  segmentCycles,
} from './cycles';
import { type DqdvCurve, dqdvHalfCycle, type DqdvParams } from './dqdv';
import { classifyFailure, DEFAULT_FAILURE_PARAMS, type FailureClass, type FailureEvidence, type FailureParams } from './failure';

export { failureMapRow, failureMapRows, FAILURE_REGION_COLOURS, type FailureMapRow } from './failure-map';

export type CyclingAnalysisParams = CycleParams & FailureParams & CcdParams;

export const DEFAULT_CYCLING_ANALYSIS_PARAMS: Readonly<CyclingAnalysisParams> = Object.freeze({
  ...DEFAULT_CYCLE_PARAMS,
  ...DEFAULT_FAILURE_PARAMS,
  ...DEFAULT_CCD_PARAMS,
});

export interface CycleJson {
  index: number;
  /** Plating capacity (full cell: charge), mAh. */
  plateCapacity_mAh: number | null;
  /** Stripping capacity (full cell: discharge), mAh. */
  stripCapacity_mAh: number | null;
  ce: number | null;
  plateV: number | null;
  stripV: number | null;
  voltageGap_mV: number | null;
  nucleationOverpotential_mV: number | null;
  accumulatedArealCapacity_mAh_cm2: number | null;
  flags: string[];
  plateArealCapacity_mAh_cm2: number | null;
  stripArealCapacity_mAh_cm2: number | null;
  plateSpecificCapacity_mAh_g: number | null;
  stripSpecificCapacity_mAh_g: number | null;
  currentDensity_mA_cm2: number | null;
  retention: number | null;
  duration_s: number | null;
  startTime_s: number | null;
  instrumentCycle: number | null;
  sampleStart: number;
  sampleEnd: number;
  /** Row ranges of the plating (charge) and stripping (discharge) half-cycles; null when absent. */
  plateSampleStart: number;
  plateSampleEnd: number;
  stripSampleStart: number | null;
  stripSampleEnd: number | null;
}

export interface FailureEvidenceJson {
  criterion: FailureEvidence['criterion'];
  class: FailureEvidence['class'];
  cycle: number;
  halfCycle: HalfCycleKind;
  timeS: number | null;
  sampleStart: number;
  sampleEnd: number;
  value: number | null;
  threshold: number;
}

export interface CyclingResultJson {
  kind: 'cycling';
  file: string;
  cellType: CellMetadata['cellType'];
  area_cm2: number;
  activeMass_g: number | null;
  /** Nominal (metadata) or detected: median |I| of the plating (full cell: charge) half-cycles / A. */
  currentDensity_mA_cm2: number | null;
  /** Nominal (metadata) or detected: median Q_plating / A. */
  arealCapacity_mAh_cm2: number | null;
  detectedCurrentDensity_mA_cm2: number | null;
  detectedArealCapacity_mAh_cm2: number | null;
  cycleCount: number;
  cycleCounterAgrees: boolean;
  zeroCurrentThreshold_mA: number;
  formation: { kind: HalfCycleKind; capacity_mAh: number; sampleStart: number; sampleEnd: number; startTime_s: number | null }[];
  flags: string[];
  cycles: CycleJson[];
  failure: {
    class: FailureClass;
    cycle: number | null;
    lifespan_mAh_cm2: number | null;
    censored: boolean;
    evidence: FailureEvidenceJson[];
  };
  cell: Omit<ResolvedCellMetadata, 'areaCm2' | 'cellType'>;
  parameters: CyclingAnalysisParams;
}

export interface CcdResultJson {
  kind: 'ccd';
  file: string;
  area_cm2: number;
  ccd_mA_cm2: number | null;
  lastStable_mA_cm2: number | null;
  steps: { currentDensity_mA_cm2: number; shorted: boolean; cycles: number[]; evidence: FailureEvidenceJson[] }[];
  parameters: CyclingAnalysisParams;
}

/** JSON has no NaN/Infinity. */
function num(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function resolveParams(overrides: Partial<CyclingAnalysisParams> | undefined, fileName: string): CyclingAnalysisParams {
  for (const key of Object.keys(overrides ?? {})) {
    if (!(key in DEFAULT_CYCLING_ANALYSIS_PARAMS))
      throw new ImportError('invalid-parameter', fileName, `unknown analysis parameter ${JSON.stringify(key)}.`);
  }
  const params: CyclingAnalysisParams = { ...DEFAULT_CYCLING_ANALYSIS_PARAMS, ...overrides };
  for (const [key, value] of Object.entries(params)) {
    if (typeof value !== 'number' || Number.isNaN(value))
      throw new ImportError('invalid-parameter', fileName, `analysis parameter ${key} must be a number, got ${String(value)}.`);
  }
  return params;
}

interface Prepared {
  fileName: string;
  cell: ResolvedCellMetadata;
  isFullCell: boolean;
  params: CyclingAnalysisParams;
  segmentation: Segmentation;
  metrics: CycleMetrics[];
  timeOfRow: (row: number) => number;
}

function prepare(
  dataset: Dataset,
  meta: CellMetadata,
  overrides: Partial<CyclingAnalysisParams> | undefined,
  options: LongLoopOptions | undefined,
): Prepared {
  const fileName = dataset?.meta?.source?.fileName ?? dataset?.meta?.name ?? 'dataset';
  if (!dataset?.columns) throw new ImportError('missing-column', fileName, 'no columns to analyse.');
  const cell = resolveCellMetadata(meta, fileName);
  const isFullCell = !isAsymmetricCell(cell.cellType);
  const params = resolveParams(overrides, fileName);
  const segmentation = segmentCycles(dataset.columns, isFullCell, params, options, fileName);
  const metrics = computeCycleMetrics(segmentation, { areaCm2: cell.areaCm2, activeMassG: cell.activeMassG, isFullCell });
  const timeS = dataset.columns.timeS;
  const timeOfRow = (row: number) => (row >= 0 && row < timeS.length ? timeS[row] : NaN);
  return { fileName, cell, isFullCell, params, segmentation, metrics, timeOfRow };
}

function evidenceJson(e: FailureEvidence): FailureEvidenceJson {
  return { ...e, timeS: num(e.timeS), value: num(e.value) };
}

function medianFinite(values: number[]): number {
  const a = values.filter(Number.isFinite).sort((x, y) => x - y);
  if (a.length === 0) return NaN;
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

/** What the user stated about the cell besides its type and area (which have their own fields). */
function cellDetails(cell: ResolvedCellMetadata): CyclingResultJson['cell'] {
  const details: CyclingResultJson['cell'] = {};
  for (const key of ['activeMassG', 'temperatureC', 'stackPressureMPa', 'currentDensityMACm2', 'arealCapacityMAhCm2'] as const) {
    if (cell[key] !== undefined) details[key] = cell[key];
  }
  if (cell.coating !== undefined) details.coating = cell.coating;
  if (cell.notes !== undefined) details.notes = cell.notes;
  return details;
}

/**
 * Per-cycle metrics and failure class of a cycled cell (DOMAIN.md 'Cells and cycles', 'Failure').
 * Throws ImportError on missing columns, bad metadata or parameters, and on abort.
 */
export function analyzeCycling(
  dataset: Dataset,
  meta: CellMetadata,
  params?: Partial<CyclingAnalysisParams>,
  options?: LongLoopOptions,
): CyclingResultJson {
  const p = prepare(dataset, meta, params, options);
  const { cell, metrics, segmentation } = p;
  const failure = classifyFailure(metrics, p.isFullCell, p.params, p.timeOfRow);
  const complete = metrics.filter((m) => !m.flags.includes('incomplete'));
  const detectedJ = medianFinite(complete.map((m) => m.currentDensityMACm2));
  const detectedQ = medianFinite(complete.map((m) => m.leadArealCapacityMAhCm2));
  return {
    kind: 'cycling',
    file: p.fileName,
    cellType: cell.cellType,
    area_cm2: cell.areaCm2,
    activeMass_g: cell.activeMassG ?? null,
    currentDensity_mA_cm2: num(cell.currentDensityMACm2 ?? detectedJ),
    arealCapacity_mAh_cm2: num(cell.arealCapacityMAhCm2 ?? detectedQ),
    detectedCurrentDensity_mA_cm2: num(detectedJ),
    detectedArealCapacity_mAh_cm2: num(detectedQ),
    cycleCount: metrics.length,
    cycleCounterAgrees: segmentation.cycleCounterAgrees,
    zeroCurrentThreshold_mA: segmentation.zeroCurrentThresholdMA,
    formation: segmentation.formation.map((h) => ({
      kind: h.kind,
      capacity_mAh: h.capacityMAh,
      sampleStart: h.start,
      sampleEnd: h.end,
      startTime_s: num(h.startTimeS),
    })),
    flags: [...segmentation.flags],
    cycles: metrics.map((m) => ({
      index: m.index,
      plateCapacity_mAh: num(m.leadCapacityMAh),
      stripCapacity_mAh: num(m.followCapacityMAh),
      ce: num(m.ce),
      plateV: num(m.leadPlateauV),
      stripV: num(m.followPlateauV),
      voltageGap_mV: num(m.voltageGapMV),
      nucleationOverpotential_mV: num(m.nucleationOverpotentialMV),
      accumulatedArealCapacity_mAh_cm2: num(m.accumulatedArealCapacityMAhCm2),
      flags: [...m.flags],
      plateArealCapacity_mAh_cm2: num(m.leadArealCapacityMAhCm2),
      stripArealCapacity_mAh_cm2: num(m.followArealCapacityMAhCm2),
      plateSpecificCapacity_mAh_g: num(m.leadSpecificCapacityMAhG),
      stripSpecificCapacity_mAh_g: num(m.followSpecificCapacityMAhG),
      currentDensity_mA_cm2: num(m.currentDensityMACm2),
      retention: num(m.retention),
      duration_s: num(m.durationS),
      startTime_s: num(m.segment.lead.startTimeS),
      instrumentCycle: num(m.instrumentCycle),
      sampleStart: m.segment.start,
      sampleEnd: m.segment.end,
      plateSampleStart: m.segment.lead.start,
      plateSampleEnd: m.segment.lead.end,
      stripSampleStart: m.segment.follow?.start ?? null,
      stripSampleEnd: m.segment.follow?.end ?? null,
    })),
    failure: {
      class: failure.class,
      cycle: failure.cycle,
      lifespan_mAh_cm2: num(failure.lifespanMAhCm2),
      censored: failure.censored,
      evidence: failure.evidence.map(evidenceJson),
    },
    cell: cellDetails(cell),
    parameters: p.params,
  };
}

/** Critical current density of a staircase test (DOMAIN.md 'Failure'). */
export function analyzeCcd(
  dataset: Dataset,
  meta: CellMetadata,
  params?: Partial<CyclingAnalysisParams>,
  options?: LongLoopOptions,
): CcdResultJson {
  const p = prepare(dataset, meta, params, options);
  const ccd = analyzeCcdSteps(p.metrics, p.isFullCell, p.params, p.timeOfRow);
  return {
    kind: 'ccd',
    file: p.fileName,
    area_cm2: p.cell.areaCm2,
    ccd_mA_cm2: ccd.ccdMACm2,
    lastStable_mA_cm2: ccd.lastStableMACm2,
    steps: ccd.steps.map((s) => ({
      currentDensity_mA_cm2: s.currentDensityMACm2,
      shorted: s.shorted,
      cycles: s.cycles,
      evidence: s.evidence.map(evidenceJson),
    })),
    parameters: p.params,
  };
}

/**
 * 'ccd' when the cycles' current density rises step by step (≥ minStaircaseSteps increasing steps),
 * else 'cycling'. Current density needs an area; the ratio test does not, so the default area is fine.
 */
export function detectCyclingKind(
  dataset: Dataset,
  meta: CellMetadata = { cellType: 'asymmetric' },
  params?: Partial<CyclingAnalysisParams>,
): 'cycling' | 'ccd' {
  const p = prepare(dataset, meta, params, undefined);
  return isStaircase(groupCurrentSteps(p.metrics, p.params.stepRelativeTolerance), p.params) ? 'ccd' : 'cycling';
}

/**
 * dQ/dV of one half-cycle of an analysed cycle (`which`: the plating/charge or stripping/discharge), from the
 * result's row ranges and zero-current threshold.
 */
export function dqdvOfCycle(
  dataset: Dataset,
  result: Pick<CyclingResultJson, 'cycles' | 'zeroCurrentThreshold_mA' | 'file'>,
  cycleIndex: number,
  which: 'plate' | 'strip',
  params?: Partial<DqdvParams>,
): DqdvCurve {
  const c = result.cycles.find((x) => x.index === cycleIndex);
  const start = which === 'plate' ? c?.plateSampleStart : c?.stripSampleStart;
  const end = which === 'plate' ? c?.plateSampleEnd : c?.stripSampleEnd;
  if (!c || start === null || start === undefined || end === null || end === undefined)
    throw new ImportError(
      'no-data-rows',
      result.file,
      `cycle ${cycleIndex} has no ${which === 'plate' ? 'plating' : 'stripping'} half-cycle.`,
    );
  const sign = Math.sign(dataset.columns.currentMA[start]);
  return dqdvHalfCycle(dataset.columns, { start, end, sign }, result.zeroCurrentThreshold_mA, params, result.file);
}

/**
 * One row per cycle for `analyze --csv FILE`: the export table (src/shared/export/tables.ts) with the JSON
 * field names as header; empty cells for null, flags joined by ';'.
 */
export function cyclesToCsv(result: Pick<CyclingResultJson, 'cycles'>): string {
  return tableToCsv(cyclesTable(result), { header: 'key' });
}
