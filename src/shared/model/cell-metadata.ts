/**
 * What the user knows about a cell that the cycler file does not say: its construction, electrode area
 * and active mass, test conditions. The analysis reads current density and areal capacity from the data
 * (DOMAIN.md 'Cells and cycles': j = |I| / A, q = Q_plating / A); the overrides here replace those
 * detected values when the user states the nominal test condition (e.g. for the failure map).
 */
import { ImportError } from '../formats/import-error';

/**
 * - `asymmetric`: Li | SE | In, the In electrode is the working electrode (plating = negative current).
 * - `li-in-asymmetric`: Li | SE | LiIn (pre-lithiated In); same sign convention as `asymmetric`.
 * - `full`: e.g. LCO | SE | In; a cycle is a charge (positive current) then a discharge.
 */
export type CellType = 'asymmetric' | 'li-in-asymmetric' | 'full';

export const CELL_TYPES: readonly CellType[] = ['asymmetric', 'li-in-asymmetric', 'full'];

/** DOMAIN.md default electrode area: a 10 mm disc, cm². */
export const DEFAULT_AREA_CM2 = 0.785;

export interface CellMetadata {
  cellType: CellType;
  /** Electrode area A, cm² (default {@link DEFAULT_AREA_CM2}). */
  areaCm2?: number;
  /** Active material mass, g; enables specific capacities (mAh/g). */
  activeMassG?: number;
  temperatureC?: number;
  stackPressureMPa?: number;
  /** Anode coating, e.g. `ALD Al2O3 (20 cycles)`. */
  coating?: string;
  notes?: string;
  /** Nominal current density, mA/cm²; replaces the value detected from the data. */
  currentDensityMACm2?: number;
  /** Nominal areal capacity per cycle, mAh/cm²; replaces the value detected from the data. */
  arealCapacityMAhCm2?: number;
}

/** Metadata with the defaults filled in and every number checked. */
export interface ResolvedCellMetadata extends CellMetadata {
  areaCm2: number;
}

export function isAsymmetricCell(cellType: CellType): boolean {
  return cellType !== 'full';
}

function checkPositive(fileName: string, name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0))
    throw new ImportError('invalid-parameter', fileName, `cell metadata: ${name} must be a positive number, got ${String(value)}.`);
}

/** Fills defaults and validates; throws an ImportError naming the bad value. */
export function resolveCellMetadata(meta: CellMetadata, fileName = 'cell'): ResolvedCellMetadata {
  if (!CELL_TYPES.includes(meta.cellType))
    throw new ImportError('invalid-parameter', fileName, `cell metadata: unknown cell type ${JSON.stringify(meta.cellType)}.`);
  checkPositive(fileName, 'areaCm2', meta.areaCm2);
  checkPositive(fileName, 'activeMassG', meta.activeMassG);
  checkPositive(fileName, 'currentDensityMACm2', meta.currentDensityMACm2);
  checkPositive(fileName, 'arealCapacityMAhCm2', meta.arealCapacityMAhCm2);
  return { ...meta, areaCm2: meta.areaCm2 ?? DEFAULT_AREA_CM2 };
}
