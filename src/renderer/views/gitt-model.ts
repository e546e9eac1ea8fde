/**
 * What the GITT view decides without the DOM: which run it shows, the analysis parameters a record
 * carries (saved parameters, else the cell's area and active mass), and how pulses map onto the
 * voltage trace (windows for selection and hover, flag markers, the zoom of a jump to a pulse).
 *
 * Item numbering: the selection store holds 0-based pulse numbers (`GittPulse.index − 1`); the figure
 * specs (gitt-spec.ts) carry the 1-based `GittPulse.index` as `customdata`. {@link pulseItem} and
 * {@link pulseIndexOfItem} convert, so that "Selected pulses: 3, 4" reads as the table's Pulse column.
 */
import type { GittParams, GittPulse } from '@shared/analysis/gitt';
import type { TimeMarker, TimeWindow } from '@shared/figures/voltage-time-spec';
import type { CellMetadata } from '@shared/model/cell-metadata';

/** The record fields the view reads (a subset of DatasetRecord, so the helpers stay testable). */
export interface GittRecordLike {
  readonly id: string;
  readonly kind: 'cycling' | 'indentation';
  readonly meta: { readonly analysisKind?: 'cycling' | 'ccd' | 'gitt' };
  readonly cell?: CellMetadata;
  readonly params?: Partial<Record<string, Record<string, unknown>>>;
}

/** The form's fields: the amount of active material and the geometry of Weppner–Huggins' formula. */
export const GITT_FORM_FIELDS = [
  { key: 'areaCm2', label: 'Contact area S (cm²)' },
  { key: 'activeMassG', label: 'Active mass (g)' },
  { key: 'activeMaterialMol', label: 'Active material n (mol)' },
  { key: 'molarMassGMol', label: 'Molar mass (g/mol)' },
  { key: 'molarVolumeCm3Mol', label: 'Molar volume V_m (cm³/mol)' },
] as const satisfies readonly { key: keyof GittParams; label: string }[];

export type GittFormKey = (typeof GITT_FORM_FIELDS)[number]['key'];

export interface ResolvedGittParams {
  /** The parameters to analyse with (saved ones over the cell's area and mass). */
  readonly params: GittParams;
  /** Where the amount of active material came from; 'none' = the analysis cannot run yet. */
  readonly source: 'saved' | 'cell' | 'none';
}

/** The GITT runs of the library (import detected the pulse/rest pattern), in library order. */
export function gittRecords<R extends GittRecordLike>(records: readonly R[]): R[] {
  return records.filter((r) => r.kind === 'cycling' && r.meta.analysisKind === 'gitt');
}

/**
 * The run the view shows: the open dataset when it is a GITT run, else the run chosen last in this view
 * (`savedId`) while it is still in the library, else the library's first GITT run.
 */
export function chooseGittRecord<R extends GittRecordLike>(records: readonly R[], current: R | undefined, savedId?: string): R | undefined {
  const runs = gittRecords(records);
  if (current && runs.some((r) => r.id === current.id)) return current;
  return runs.find((r) => r.id === savedId) ?? runs[0];
}

/**
 * The analysis parameters of a record: `params.gitt` as saved from the form, completed by the cell's
 * area and active mass when the saved ones lack them. The source says whether the amount of active
 * material (activeMaterialMol or activeMassG, which the analysis requires) is known, and from where.
 */
export function resolveGittParams(record: Pick<GittRecordLike, 'cell' | 'params'>): ResolvedGittParams {
  const saved = (record.params?.gitt ?? {}) as GittParams;
  const fromCell: GittParams = {
    ...(record.cell?.areaCm2 !== undefined ? { areaCm2: record.cell.areaCm2 } : {}),
    ...(record.cell?.activeMassG !== undefined ? { activeMassG: record.cell.activeMassG } : {}),
  };
  const hasAmount = (p: GittParams): boolean => p.activeMaterialMol !== undefined || p.activeMassG !== undefined;
  // activeMaterialMol wins over activeMassG in the analysis, so a saved amount in mol beats the cell's mass.
  const params = { ...fromCell, ...saved };
  return { params, source: hasAmount(saved) ? 'saved' : hasAmount(params) ? 'cell' : 'none' };
}

/**
 * The form's values as parameters: empty fields are left out (the analysis' defaults apply); a value
 * that is not a positive number is reported by its label.
 */
export function gittParamsFromForm(
  values: Partial<Record<GittFormKey, string>>,
  base: GittParams = {},
): { params: GittParams } | { problem: string } {
  const out: Record<string, unknown> = { ...base };
  for (const { key, label } of GITT_FORM_FIELDS) {
    const text = (values[key] ?? '').trim();
    delete out[key];
    if (text === '') continue;
    const value = Number(text.replace(',', '.'));
    if (!(Number.isFinite(value) && value > 0)) return { problem: `${label} must be a positive number, got "${text}".` };
    out[key] = value;
  }
  if (out.activeMaterialMol === undefined && out.activeMassG === undefined)
    return { problem: 'Give the active mass (g) or the amount of active material (mol): D depends on it.' };
  return { params: out };
}

/** The store's 0-based item of a pulse. */
export const pulseItem = (pulse: Pick<GittPulse, 'index'>): number => pulse.index - 1;
/** The 1-based GittPulse.index (the specs' customdata) of a store item. */
export const pulseIndexOfItem = (item: number): number => item + 1;

/** A pulse's segment of the trace: the current pulse and the rest after it (over which ΔE_s is read), s. */
export function pulseSpanS(pulse: Pick<GittPulse, 'start_s' | 'tau_s' | 'restAfter_s'>): [number, number] {
  return [pulse.start_s, pulse.start_s + pulse.tau_s + Math.max(0, pulse.restAfter_s)];
}

/** The trace's shaded windows: the selected pulses' segments, and the hovered one's. */
export function pulseWindows(pulses: readonly GittPulse[], selected: readonly number[], hovered: number | null): TimeWindow[] {
  const windows: TimeWindow[] = [];
  for (const item of selected) {
    const pulse = pulses[item];
    if (pulse) {
      const [startS, endS] = pulseSpanS(pulse);
      windows.push({ startS, endS, emphasis: 'selected' });
    }
  }
  const pulse = hovered === null ? undefined : pulses[hovered];
  if (pulse) {
    const [startS, endS] = pulseSpanS(pulse);
    windows.push({ startS, endS, emphasis: 'hovered' });
  }
  return windows;
}

/**
 * One marker per flagged pulse at the end of its current step (where the pulse's voltage excursion
 * peaks), labelled with its flags; `item` is the store's 0-based pulse number.
 */
export function flagMarkers(pulses: readonly GittPulse[], voltageV: ArrayLike<number>): TimeMarker[] {
  return pulses
    .filter((p) => p.flags.length > 0)
    .map((p) => ({
      timeS: p.start_s + p.tau_s,
      voltageV: voltageV[p.lastRow] ?? NaN,
      label: `Pulse ${p.index}: ${p.flags.join(', ')}`,
      item: pulseItem(p),
    }))
    .filter((m) => Number.isFinite(m.voltageV));
}

/** The time range a jump to a pulse zooms to: its segment with a quarter of it on each side, s. */
export function pulseZoomRangeS(pulse: Pick<GittPulse, 'start_s' | 'tau_s' | 'restAfter_s'>): [number, number] {
  const [startS, endS] = pulseSpanS(pulse);
  const margin = Math.max(1, (endS - startS) / 4);
  return [startS - margin, endS + margin];
}
