/**
 * Instrument files with analytic answers for the command-line e2e (e2e/cli-analysis.spec.ts): the
 * project's synthetic scenarios (cycling-scenarios.ts, gitt-run.ts, indentation-curve.ts) written as the
 * files a user would hand to `interphase analyze` — NEWARE BTSDA record CSV and Excel exports and a
 * Hysitron TriboScan LC.txt — each with the numbers the analysis must return, taken from the generator's
 * own parameters (never from running the analysis). Deterministic; pure (bytes only, no file system).
 */
import type { Dataset } from '../model/dataset';
import { STEP_TYPE_CODE } from '../model/step-type';
import type { SynthRecord, SynthStepLabel } from './asymmetric-cell';
import {
  DEFAULT_ASYMMETRIC_SCENARIO,
  DEFAULT_CCD_SCENARIO,
  DEFAULT_FULL_CELL_SCENARIO,
  ccdScenario,
  fullCellChargeMAh,
  fullCellDischargeMAh,
  fullCellScenario,
  hardShortScenario,
  polarizationScenario,
  softShortScenario,
  stableScenario,
} from './cycling-scenarios';
import { generateGittRun } from './gitt-run';
import { hysitronLcTxtBytes } from './hysitron-txt-writer';
import { INDIUM_LIKE_MATERIALS, generateIndentationCurve, reducedModulusOnDiamond } from './indentation-curve';
import { formatNewareCsv } from './neware-csv-writer';
import { formatNewareXlsx } from './neware-xlsx-writer';

/** Expected per-cycle numbers of a cycled cell (asymmetric: plating / stripping; full cell: charge / discharge). */
export interface CyclingFixtureCycle {
  readonly index: number;
  readonly plateCapacityMAh: number;
  readonly stripCapacityMAh: number;
  readonly ce: number;
  /** Σ plated (charged) capacity through this cycle / area, mAh/cm². */
  readonly accumulatedArealCapacityMAhCm2: number;
  /**
   * Plateau(stripping) − plateau(plating), mV, where the voltage model fixes it (asymmetric cells before a
   * hard short); null where it does not (shorted cycles, the full cell's sloping curves).
   */
  readonly voltageGapMV: number | null;
}

export interface CyclingFixtureExpectation {
  readonly kind: 'cycling';
  readonly currentDensityMACm2: number;
  readonly arealCapacityMAhCm2: number;
  readonly failureClass: 'stable' | 'polarization' | 'soft-short' | 'hard-short';
  /** First failing cycle; null for a stable cell. */
  readonly failureCycle: number | null;
  /** Accumulated areal capacity through the cycle before the failure (stable: at the end), mAh/cm². */
  readonly lifespanMAhCm2: number;
  readonly censored: boolean;
  readonly cycles: readonly CyclingFixtureCycle[];
}

export interface CcdFixtureExpectation {
  readonly kind: 'ccd';
  readonly ccdMACm2: number;
  readonly lastStableMACm2: number;
  readonly stepsMACm2: readonly number[];
}

export interface GittFixtureExpectation {
  readonly kind: 'gitt';
  readonly activeMaterialMol: number;
  readonly molarVolumeCm3Mol: number;
  readonly areaCm2: number;
  /** Per pulse in time order: start (s from the first record), τ (s), D (cm²/s). */
  readonly pulses: readonly { readonly startS: number; readonly tauS: number; readonly dCm2S: number }[];
}

export interface IndentationFixtureExpectation {
  readonly kind: 'indentation';
  readonly nu: number;
  readonly pmaxMN: number;
  readonly hardnessGPa: number;
  readonly reducedModulusGPa: number;
  readonly modulusGPa: number;
}

export type CliFixtureExpectation =
  CyclingFixtureExpectation | CcdFixtureExpectation | GittFixtureExpectation | IndentationFixtureExpectation;

export interface CliFixture {
  readonly fileName: string;
  readonly description: string;
  readonly bytes: Uint8Array;
  /** The importer format id the file must be recognised as. */
  readonly format: string;
  /** Options the analysis needs besides the file (e.g. the full cell's `--cell full`). */
  readonly args: readonly string[];
  readonly expected: CliFixtureExpectation;
}

const LABEL_OF_CODE: ReadonlyMap<number, SynthStepLabel> = new Map([
  [STEP_TYPE_CODE.rest, 'Rest'],
  [STEP_TYPE_CODE.other, 'Rest'],
  [STEP_TYPE_CODE.cc_charge, 'CC Chg'],
  [STEP_TYPE_CODE.cc_discharge, 'CC DChg'],
]);

/**
 * A synthetic Dataset as NEWARE-style records: step time restarts at every change of the step counter;
 * the cycle counter starts at 1 (BTSDA never writes 0; the scenarios' initial rest has cycle 0).
 * Throws RangeError on a step type the NEWARE writers cannot label (a caller bug).
 */
export function datasetToSynthRecords(dataset: Dataset): SynthRecord[] {
  const { timeS, voltageV, currentMA, capacityMAh, step, stepType, cycle } = dataset.columns;
  const out: SynthRecord[] = [];
  let stepStartS = 0;
  for (let i = 0; i < dataset.rowCount; i++) {
    if (i === 0 || step[i] !== step[i - 1]) stepStartS = timeS[i];
    const label = LABEL_OF_CODE.get(stepType[i]);
    if (label === undefined) throw new RangeError(`datasetToSynthRecords: step type code ${stepType[i]} has no NEWARE label`);
    out.push({
      totalTimeS: timeS[i],
      stepTimeS: timeS[i] - stepStartS,
      voltageV: voltageV[i],
      currentMA: currentMA[i],
      capacityMAh: capacityMAh ? capacityMAh[i] : 0,
      cycle: Math.max(1, cycle ? cycle[i] : 1),
      stepIndex: step[i],
      stepLabel: label,
    });
  }
  return out;
}

const encoder = new TextEncoder();
const newareCsvBytes = (dataset: Dataset): Uint8Array => encoder.encode(formatNewareCsv(datasetToSynthRecords(dataset)));

/** Expected numbers of an asymmetric scenario with constant j and q (every half-cycle time-limited, CE 1). */
function asymmetricExpectation(
  j: number,
  q: number,
  cycles: number,
  failureClass: CyclingFixtureExpectation['failureClass'],
  failureCycle: number | null,
  gapV: (cycle: number) => number | null,
): CyclingFixtureExpectation {
  const areaCm2 = DEFAULT_ASYMMETRIC_SCENARIO.areaCm2;
  const lastGood = failureCycle === null ? cycles : failureCycle - 1;
  // Hard-short cycles still pass the set current: the trapezoid gives q · A in every cycle.
  return {
    kind: 'cycling',
    currentDensityMACm2: j,
    arealCapacityMAhCm2: q,
    failureClass,
    failureCycle,
    lifespanMAhCm2: lastGood * q,
    censored: failureCycle === null,
    cycles: Array.from({ length: cycles }, (_, k) => {
      const gap = gapV(k + 1);
      return {
        index: k + 1,
        plateCapacityMAh: q * areaCm2,
        stripCapacityMAh: q * areaCm2,
        ce: 1,
        accumulatedArealCapacityMAhCm2: (k + 1) * q,
        voltageGapMV: gap === null ? null : gap * 1000,
      };
    }),
  };
}

/** polarizationScenario's gap of cycle 1, V; it grows by 3.3× up to the failure cycle (cycling-scenarios.ts). */
const POLARIZATION_FIRST_GAP_V = 0.04;

/** The four failure classes of the study's map (Fig. 2e), one file each. */
function cyclingFixtures(): CliFixture[] {
  const stableCycles = DEFAULT_ASYMMETRIC_SCENARIO.cycles;
  const firstGapV = DEFAULT_ASYMMETRIC_SCENARIO.firstGapV;
  const polarizationAt = 8;
  const softAt = 6;
  const hardAt = 4;
  return [
    {
      fileName: 'stable_0.1mAcm2_0.2mAhcm2.csv',
      description: `stable cell, 0.1 mA/cm² and 0.2 mAh/cm², ${stableCycles} cycles (NEWARE CSV)`,
      bytes: newareCsvBytes(stableScenario()),
      format: 'neware-csv',
      args: [],
      expected: asymmetricExpectation(0.1, 0.2, stableCycles, 'stable', null, () => firstGapV),
    },
    {
      fileName: 'polarization_0.1mAcm2_5mAhcm2.csv',
      description: `polarization from cycle ${polarizationAt}, 0.1 mA/cm² and 5 mAh/cm² (NEWARE CSV)`,
      bytes: newareCsvBytes(polarizationScenario(polarizationAt)),
      format: 'neware-csv',
      args: [],
      expected: asymmetricExpectation(
        0.1,
        5,
        polarizationAt + 3,
        'polarization',
        polarizationAt,
        (n) => POLARIZATION_FIRST_GAP_V * Math.pow(3.3, (n - 1) / (polarizationAt - 1)),
      ),
    },
    {
      fileName: 'soft-short_0.5mAcm2_0.5mAhcm2.csv',
      description: `soft short from cycle ${softAt}, 0.5 mA/cm² and 0.5 mAh/cm² (NEWARE CSV)`,
      bytes: newareCsvBytes(softShortScenario(softAt)),
      format: 'neware-csv',
      args: [],
      expected: asymmetricExpectation(0.5, 0.5, softAt + 4, 'soft-short', softAt, () => firstGapV),
    },
    {
      fileName: 'hard-short_1mAcm2_1mAhcm2.csv',
      description: `hard short from cycle ${hardAt}, 1 mA/cm² and 1 mAh/cm² (NEWARE CSV)`,
      bytes: newareCsvBytes(hardShortScenario(hardAt)),
      format: 'neware-csv',
      args: [],
      expected: asymmetricExpectation(1, 1, hardAt + 2, 'hard-short', hardAt, (n) => (n < hardAt ? firstGapV : null)),
    },
  ];
}

function ccdFixture(): CliFixture {
  const p = DEFAULT_CCD_SCENARIO;
  const shortIndex = p.stepsMACm2.findIndex((j) => j >= p.shortAtMACm2 - 1e-12);
  return {
    fileName: 'ccd-staircase.csv',
    description: `critical-current-density staircase ${p.stepsMACm2.join(', ')} mA/cm², short at ${p.shortAtMACm2} (NEWARE CSV)`,
    bytes: newareCsvBytes(ccdScenario()),
    format: 'neware-csv',
    args: [],
    expected: { kind: 'ccd', ccdMACm2: p.shortAtMACm2, lastStableMACm2: p.stepsMACm2[shortIndex - 1], stepsMACm2: p.stepsMACm2 },
  };
}

function median(values: readonly number[]): number {
  const a = [...values].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

/** LCO | SE | In full cell as a NEWARE Excel export; capacities from the scenario's closed forms. */
function fullCellFixture(): CliFixture {
  const p = DEFAULT_FULL_CELL_SCENARIO;
  const areaCm2 = DEFAULT_ASYMMETRIC_SCENARIO.areaCm2;
  let accumulated = 0;
  const charges: number[] = [];
  const cycles = Array.from({ length: p.cycles }, (_, k) => {
    const charge = fullCellChargeMAh(p, k + 1);
    const discharge = fullCellDischargeMAh(p, k + 1);
    charges.push(charge);
    accumulated += charge / areaCm2;
    return {
      index: k + 1,
      plateCapacityMAh: charge,
      stripCapacityMAh: discharge,
      ce: discharge / charge,
      accumulatedArealCapacityMAhCm2: accumulated,
      voltageGapMV: null,
    };
  });
  return {
    fileName: 'full-cell_LCO-In.xlsx',
    description: `LCO | LPSC | In full cell, ${p.cycles} cycles at ${p.currentMA} mA (NEWARE Excel export)`,
    bytes: formatNewareXlsx(datasetToSynthRecords(fullCellScenario())),
    format: 'neware-xlsx',
    args: ['--cell', 'full', '--mass', String(p.activeMassG)],
    expected: {
      kind: 'cycling',
      currentDensityMACm2: p.currentMA / areaCm2,
      // The charge capacity fades: the analysis reports a cell's q as the median over its complete cycles.
      arealCapacityMAhCm2: median(charges) / areaCm2,
      failureClass: 'stable',
      failureCycle: null,
      lifespanMAhCm2: accumulated,
      censored: true,
      cycles,
    },
  };
}

/** GITT with 2 × 12 pulses (lithiation then delithiation), D known per pulse. */
function gittFixture(): CliFixture {
  const run = generateGittRun({ pulsesPerRun: 12, initialRestS: 3600 });
  const { params, activeMaterialMol, molarVolumeCm3Mol } = run.truth;
  return {
    fileName: 'gitt_10min-pulses.csv',
    description: '24 GITT pulses of 10 min with 30 min rests on a Li | LPSC | In cell (NEWARE CSV)',
    bytes: newareCsvBytes(run.dataset),
    format: 'neware-csv',
    args: ['--area', String(params.areaCm2), '--moles', String(activeMaterialMol), '--molar-volume', String(molarVolumeCm3Mol)],
    expected: {
      kind: 'gitt',
      activeMaterialMol,
      molarVolumeCm3Mol,
      areaCm2: params.areaCm2,
      pulses: run.truth.pulses.map((p) => ({ startS: p.startS, tauS: p.tauS, dCm2S: p.dCm2S })),
    },
  };
}

/** One fused-silica-like indent (E 72 GPa, ν 0.17, H 9.25 GPa) as a Hysitron LC.txt. */
function indentationFixture(): CliFixture {
  const material = INDIUM_LIKE_MATERIALS.fusedSilica;
  const reducedModulusGPa = reducedModulusOnDiamond(material.modulusGPa, material.nu);
  const { curve, truth } = generateIndentationCurve({
    name: 'fused-silica-like',
    hardnessGPa: material.hardnessGPa,
    reducedModulusGPa,
    peakLoadsMN: [10],
  });
  return {
    fileName: 'fused-silica-like 0000LC.txt',
    description: 'one 10 mN Berkovich indent on a fused-silica-like sample (Hysitron TriboScan LC.txt)',
    bytes: hysitronLcTxtBytes(curve),
    format: 'hysitron-txt',
    args: ['--nu', String(material.nu)],
    expected: {
      kind: 'indentation',
      nu: material.nu,
      pmaxMN: truth[0].Pmax_mN,
      hardnessGPa: material.hardnessGPa,
      reducedModulusGPa,
      modulusGPa: material.modulusGPa,
    },
  };
}

/** Every fixture, in a fixed order: the four failure classes, CCD, full cell, GITT, indentation. */
export function cliFixtures(): CliFixture[] {
  return [...cyclingFixtures(), ccdFixture(), fullCellFixture(), gittFixture(), indentationFixture()];
}
