/**
 * The form **Cell metadata** of the Cell view: what the user knows about a cell that the cycler file does not
 * say (area, cell type, active mass, temperature, stack pressure, coating, the nominal current density and
 * areal capacity that replace the detected ones, notes). Saving hands the new metadata to the view, which
 * stores it through the shell (undoable); the analysis re-runs because its cache is keyed by the metadata.
 */
import { CELL_TYPES, DEFAULT_AREA_CM2, resolveCellMetadata, type CellMetadata, type CellType } from '@shared/model/cell-metadata';
import { el } from './dom';

const CELL_TYPE_LABELS: Readonly<Record<CellType, string>> = {
  asymmetric: 'Li | SE | In (asymmetric)',
  'li-in-asymmetric': 'Li-In | SE | In',
  full: 'Full cell (LCO | SE | In)',
};

type NumberField = 'areaCm2' | 'activeMassG' | 'temperatureC' | 'stackPressureMPa' | 'currentDensityMACm2' | 'arealCapacityMAhCm2';

const NUMBER_FIELDS: readonly { key: NumberField; label: string; step: string; min?: string }[] = [
  { key: 'areaCm2', label: 'Area (cm²)', step: 'any', min: '0' },
  { key: 'activeMassG', label: 'Active mass (g)', step: 'any', min: '0' },
  { key: 'temperatureC', label: 'Temperature (°C)', step: 'any' },
  { key: 'stackPressureMPa', label: 'Stack pressure (MPa)', step: 'any', min: '0' },
  { key: 'currentDensityMACm2', label: 'Current density override (mA cm⁻²)', step: 'any', min: '0' },
  { key: 'arealCapacityMAhCm2', label: 'Areal capacity override (mAh cm⁻²)', step: 'any', min: '0' },
];

/** Same metadata (key order and absent-vs-undefined ignored). */
export function sameCellMetadata(a: CellMetadata | undefined, b: CellMetadata | undefined): boolean {
  const canonical = (m: CellMetadata | undefined): string =>
    JSON.stringify(
      Object.entries(m ?? {})
        .filter(([, v]) => v !== undefined && v !== '')
        .sort(([x], [y]) => x.localeCompare(y)),
    );
  return canonical(a) === canonical(b);
}

export class CellMetadataForm {
  readonly element: HTMLFormElement;
  private readonly numbers = new Map<NumberField, HTMLInputElement>();
  private readonly cellType: HTMLSelectElement;
  private readonly coating: HTMLInputElement;
  private readonly notes: HTMLTextAreaElement;
  private readonly error: HTMLParagraphElement;
  private readonly saveButton: HTMLButtonElement;
  private shown?: CellMetadata;

  /** `save` stores the metadata; the form stays disabled until it settles. */
  constructor(private readonly save: (cell: CellMetadata) => Promise<void>) {
    const field = (id: string, label: string, control: HTMLElement): HTMLElement =>
      el('div', { className: 'cell-meta-field' }, [el('label', { htmlFor: id, textContent: label }), control]);
    this.cellType = el(
      'select',
      { id: 'cell-meta-cellType' },
      CELL_TYPES.map((t) => el('option', { value: t, textContent: CELL_TYPE_LABELS[t] })),
    );
    const fields: HTMLElement[] = [field('cell-meta-cellType', 'Cell type', this.cellType)];
    for (const f of NUMBER_FIELDS) {
      const input = el('input', { type: 'number', id: `cell-meta-${f.key}`, step: f.step, ...(f.min ? { min: f.min } : {}) });
      if (f.key === 'areaCm2') input.placeholder = String(DEFAULT_AREA_CM2);
      else if (f.key === 'currentDensityMACm2' || f.key === 'arealCapacityMAhCm2') input.placeholder = 'detected';
      this.numbers.set(f.key, input);
      fields.push(field(input.id, f.label, input));
    }
    this.coating = el('input', { type: 'text', id: 'cell-meta-coating', placeholder: 'e.g. ALD Al2O3' });
    fields.push(field(this.coating.id, 'Coating', this.coating));
    this.notes = el('textarea', { id: 'cell-meta-notes', rows: 2 });
    fields.push(field(this.notes.id, 'Notes', this.notes));
    this.error = el('p', { className: 'cell-meta-error' });
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.saveButton = el('button', { type: 'submit', textContent: 'Save metadata' });
    this.element = el('form', { className: 'cell-metadata' }, [
      el('div', { className: 'cell-meta-grid' }, fields),
      this.error,
      el('div', { className: 'cell-meta-actions' }, [this.saveButton]),
    ]);
    this.element.setAttribute('aria-label', 'Cell metadata');
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
  }

  /** Shows a record's metadata; a no-op when it is what the form already shows (keeps the user's typing). */
  fill(cell: CellMetadata | undefined): void {
    if (this.shown !== undefined && sameCellMetadata(this.shown, cell)) return;
    this.shown = cell ?? { cellType: 'asymmetric' };
    this.cellType.value = cell?.cellType ?? 'asymmetric';
    for (const [key, input] of this.numbers) {
      const value = cell?.[key];
      input.value = typeof value === 'number' ? String(value) : '';
    }
    this.coating.value = cell?.coating ?? '';
    this.notes.value = cell?.notes ?? '';
    this.error.hidden = true;
  }

  /** The metadata the form holds; throws an Error naming a bad value. */
  read(): CellMetadata {
    const cell: CellMetadata = { cellType: this.cellType.value as CellType };
    for (const [key, input] of this.numbers) {
      const text = input.value.trim();
      if (text === '') continue;
      const value = Number(text);
      if (!Number.isFinite(value)) throw new Error(`${key}: not a number (${JSON.stringify(text)}).`);
      cell[key] = value;
    }
    if (cell.stackPressureMPa !== undefined && cell.stackPressureMPa < 0)
      throw new Error(`cell metadata: stackPressureMPa must not be negative, got ${cell.stackPressureMPa}.`);
    const coating = this.coating.value.trim();
    if (coating) cell.coating = coating;
    const notes = this.notes.value.trim();
    if (notes) cell.notes = notes;
    resolveCellMetadata(cell);
    return cell;
  }

  private async submit(): Promise<void> {
    let cell: CellMetadata;
    try {
      cell = this.read();
    } catch (error) {
      this.error.textContent = error instanceof Error ? error.message : String(error);
      this.error.hidden = false;
      return;
    }
    this.error.hidden = true;
    if (this.shown && sameCellMetadata(this.shown, cell)) return;
    this.saveButton.disabled = true;
    try {
      await this.save(cell);
      this.shown = cell;
    } catch (error) {
      this.error.textContent = error instanceof Error ? error.message : String(error);
      this.error.hidden = false;
    } finally {
      this.saveButton.disabled = false;
    }
  }
}
