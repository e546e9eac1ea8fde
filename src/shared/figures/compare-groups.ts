/**
 * Which cells the Compare view overlays and how it colours them (issue 7, Compare: "several cells overlaid
 * with one colour per cell, grouped by any metadata").
 *
 *   cells + metadata -> group key per cell -> groups sorted by value -> one hue per group, one shade per cell
 *
 * Colours: without grouping each cell gets its own Okabe & Ito colour (the palette of every other panel).
 * With grouping each group gets one Okabe & Ito hue and its cells shades of that hue (darker to lighter),
 * so a group reads as one colour family in the legend and every cell still has its own colour.
 */
import type { CellMetadata, CellType } from '../model/cell-metadata';
import { colourFor } from './journal-style';
import { OKABE_ITO } from './voltage-time-spec';

export type CompareGroupBy =
  'none' | 'current-density' | 'areal-capacity' | 'temperature' | 'coating' | 'stack-pressure' | 'cell-type' | 'experiment';

/** The "Group by" choices, in menu order; `label` is the option's text. */
export const COMPARE_GROUP_BY: readonly { readonly value: CompareGroupBy; readonly label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'current-density', label: 'Current density' },
  { value: 'areal-capacity', label: 'Areal capacity' },
  { value: 'temperature', label: 'Temperature' },
  { value: 'coating', label: 'Coating' },
  { value: 'stack-pressure', label: 'Stack pressure' },
  { value: 'cell-type', label: 'Cell type' },
  { value: 'experiment', label: 'Experiment' },
];

export function isCompareGroupBy(value: unknown): value is CompareGroupBy {
  return typeof value === 'string' && COMPARE_GROUP_BY.some((g) => g.value === value);
}

/** What grouping needs to know about a cell. */
export interface CompareCellInfo {
  readonly id: string;
  readonly name: string;
  /** The user's metadata (record.cell); nominal j and q here win over the detected ones. */
  readonly cell?: Partial<CellMetadata>;
  /** j detected by the analysis (median |I| of the plating half-cycles / A), mA cm⁻². */
  readonly detectedCurrentDensityMACm2?: number | null;
  /** q detected by the analysis (median Q_plating / A), mAh cm⁻². */
  readonly detectedArealCapacityMAhCm2?: number | null;
  /** The experiment's name, when the cell belongs to one. */
  readonly experiment?: string;
}

const CELL_TYPE_LABELS: Readonly<Record<CellType, string>> = {
  asymmetric: 'Li | SE | In',
  'li-in-asymmetric': 'Li-In | SE | In',
  full: 'full cell',
};

const UNKNOWN = 'not stated';

/** Three significant digits: 0.2 and 0.2000001 (a detected value) fall in one group. */
function round3(v: number): number {
  return Number(v.toPrecision(3));
}

function positive(v: number | null | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

function finite(v: number | null | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A cell's group: `value` orders the groups (numbers ascending, then text); undefined = not stated (last). */
export interface GroupValue {
  readonly key: string;
  readonly label: string;
  readonly value: number | string | undefined;
}

function numeric(v: number | undefined, unit: string, name: string): GroupValue {
  if (v === undefined) return { key: UNKNOWN, label: `${name} ${UNKNOWN}`, value: undefined };
  const r = round3(v);
  return { key: String(r), label: `${r} ${unit}`, value: r };
}

function text(v: string | undefined, name: string): GroupValue {
  const t = v?.trim();
  if (!t) return { key: UNKNOWN, label: `${name} ${UNKNOWN}`, value: undefined };
  return { key: t.toLowerCase(), label: t, value: t };
}

/** The group of one cell under `by` (nominal metadata first, else the analysis' detected j and q). */
export function groupValueOf(info: CompareCellInfo, by: CompareGroupBy): GroupValue {
  const cell = info.cell ?? {};
  switch (by) {
    case 'none':
      return { key: '', label: '', value: '' };
    case 'current-density':
      return numeric(positive(cell.currentDensityMACm2) ?? positive(info.detectedCurrentDensityMACm2), 'mA cm⁻²', 'current density');
    case 'areal-capacity':
      return numeric(positive(cell.arealCapacityMAhCm2) ?? positive(info.detectedArealCapacityMAhCm2), 'mAh cm⁻²', 'areal capacity');
    case 'temperature':
      return numeric(finite(cell.temperatureC), '°C', 'temperature');
    case 'stack-pressure':
      return numeric(positive(cell.stackPressureMPa), 'MPa', 'stack pressure');
    case 'coating':
      // A cell without a coating is a bare anode, a group of its own rather than "not stated".
      return cell.coating?.trim() ? text(cell.coating, 'coating') : { key: 'bare', label: 'bare (no coating)', value: '' };
    case 'cell-type':
      return cell.cellType
        ? { key: cell.cellType, label: CELL_TYPE_LABELS[cell.cellType], value: cell.cellType }
        : text(undefined, 'cell type');
    case 'experiment':
      return text(info.experiment, 'experiment');
  }
}

export interface ComparedCell {
  readonly id: string;
  readonly name: string;
  readonly colour: string;
}

export interface CompareGroup {
  readonly key: string;
  /** Legend group title ("0.2 mA cm⁻²"); empty without grouping. */
  readonly label: string;
  readonly cells: readonly ComparedCell[];
}

function compareValues(a: GroupValue, b: GroupValue): number {
  if (a.value === undefined || b.value === undefined) return a.value === undefined ? (b.value === undefined ? 0 : 1) : -1;
  if (typeof a.value === 'number' && typeof b.value === 'number') return a.value - b.value;
  if (typeof a.value === 'number') return -1;
  if (typeof b.value === 'number') return 1;
  return a.value.localeCompare(b.value, 'en', { numeric: true });
}

/** `#rrggbb` mixed toward white (t > 0) or black (t < 0) by |t| ∈ [0, 1]. */
export function shade(hex: string, t: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new RangeError(`shade: expected #rrggbb, got ${JSON.stringify(hex)}`);
  if (!(t >= -1 && t <= 1)) throw new RangeError(`shade: t must be in [-1, 1], got ${t}`);
  const n = parseInt(m[1], 16);
  const target = t > 0 ? 255 : 0;
  const a = Math.abs(t);
  const channel = (c: number) =>
    Math.round(c + (target - c) * a)
      .toString(16)
      .padStart(2, '0');
  return `#${channel((n >> 16) & 255)}${channel((n >> 8) & 255)}${channel(n & 255)}`;
}

/** Shade offsets of n cells in one group: from darker (−0.35) to lighter (+0.45), the base hue for one cell. */
export function shadeSteps(n: number): number[] {
  if (n <= 1) return [0];
  return Array.from({ length: n }, (_, i) => -0.35 + (0.8 * i) / (n - 1));
}

/**
 * Groups the cells by `by` and gives each a colour (see the file comment). Groups are ordered by their value
 * (numbers ascending, "not stated" last); cells keep their given order within a group. Without grouping there
 * is one group (label '') holding every cell in the given order.
 */
export function groupCompareCells(
  cells: readonly CompareCellInfo[],
  by: CompareGroupBy,
  palette: readonly string[] = OKABE_ITO,
): CompareGroup[] {
  if (by === 'none')
    return [{ key: '', label: '', cells: cells.map((c, k) => ({ id: c.id, name: c.name, colour: colourFor(k, palette) })) }];
  const groups = new Map<string, { value: GroupValue; members: CompareCellInfo[] }>();
  for (const c of cells) {
    const value = groupValueOf(c, by);
    const group = groups.get(value.key);
    if (group) group.members.push(c);
    else groups.set(value.key, { value, members: [c] });
  }
  return [...groups.values()]
    .sort((a, b) => compareValues(a.value, b.value))
    .map(({ value, members }, g) => {
      const base = colourFor(g, palette);
      const steps = shadeSteps(members.length);
      return {
        key: value.key,
        label: value.label,
        cells: members.map((c, k) => ({ id: c.id, name: c.name, colour: shade(base, steps[k]) })),
      };
    });
}

/** A dataset the Compare view may overlay: a cycling cell (not a CCD staircase, GITT or indentation file). */
export interface CompareCandidate {
  readonly id: string;
  readonly experimentId: string | null;
}

/** At most this many cells are overlaid by default (Okabe & Ito has 8 colours). */
export const DEFAULT_COMPARE_CELLS = 8;

/**
 * The cells Compare shows before the user picks: the open cell's experiment (at most `max`, a window that
 * starts at the open cell when the experiment is larger), else the open cell and the next ones in library
 * order, else the library's first `max` cells. `candidates` are the cycling cells in library order.
 */
export function defaultCompareCells(
  candidates: readonly CompareCandidate[],
  openId: string | undefined,
  max = DEFAULT_COMPARE_CELLS,
): string[] {
  if (!(max >= 1)) throw new RangeError(`max must be >= 1, got ${max}`);
  const window = (list: readonly CompareCandidate[], at: number): string[] => {
    const start = Math.max(0, Math.min(at, list.length - max));
    return list.slice(start, start + max).map((c) => c.id);
  };
  const open = candidates.find((c) => c.id === openId);
  if (!open) return window(candidates, 0);
  const pool = open.experimentId === null ? candidates : candidates.filter((c) => c.experimentId === open.experimentId);
  if (pool.length <= 1 && candidates.length > 1) return window(candidates, candidates.indexOf(open));
  return window(pool, pool.indexOf(open));
}
