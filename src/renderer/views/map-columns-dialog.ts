/**
 * The **Map columns** dialog: for a generic delimited file, shows the file's columns with a preview and
 * the proposed role of each canonical column (from header names and units); the user confirms or
 * edits it. Resolves with the mapping, or null when cancelled. Time (or an absolute date-time),
 * voltage and current are required; the rest are optional.
 */
import type { DelimitedInspection } from '@shared/formats/delimited-text';
import { MAPPABLE_ROLES, type ColumnMap, type MappableRole } from '@shared/formats/column-map';
import { el } from './dom';

const ROLE_LABELS: Readonly<Record<MappableRole, string>> = {
  time: 'Time (elapsed)',
  dateTime: 'Date and time (absolute)',
  voltage: 'Voltage',
  current: 'Current',
  capacity: 'Capacity',
  step: 'Step',
  stepType: 'Step type',
  cycle: 'Cycle',
  temperature: 'Temperature',
};

export interface MapColumnsResult {
  columnMap: ColumnMap;
  isRemembered: boolean;
}

export function showMapColumnsDialog(fileName: string, inspection: DelimitedInspection, reason: string): Promise<MapColumnsResult | null> {
  const dialog = el('dialog', { className: 'map-columns' });
  const headingId = 'map-columns-heading';
  dialog.setAttribute('aria-labelledby', headingId);
  const selects = new Map<MappableRole, HTMLSelectElement>();
  const rows = MAPPABLE_ROLES.map((role) => {
    const select = el('select', { id: `map-${role}` });
    select.append(el('option', { value: '', textContent: '(none)' }));
    for (const header of inspection.headers) {
      if (header !== '') select.append(el('option', { value: header, textContent: header }));
    }
    select.value = inspection.proposed[role] ?? '';
    selects.set(role, select);
    const label = el('label', { htmlFor: select.id, textContent: `${ROLE_LABELS[role]} column` });
    return el('div', { className: 'map-row' }, [label, select]);
  });
  const headerCells: Node[] = inspection.headers.map((h) => el('th', { textContent: h }));
  const bodyRows: Node[] = inspection.sampleRows.map((r) => {
    const cells: Node[] = r.map((c) => el('td', { textContent: c }));
    return el('tr', {}, cells);
  });
  const preview = el('table', { className: 'map-preview' }, [el('thead', {}, [el('tr', {}, headerCells)]), el('tbody', {}, bodyRows)]);
  preview.setAttribute('aria-label', 'First rows of the file');
  const remember = el('input', { type: 'checkbox', checked: true, id: 'map-remember' });
  const error = el('p', { className: 'map-error' });
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const importButton = el('button', { type: 'submit', className: 'primary', textContent: 'Import' });
  const cancelButton = el('button', { type: 'button', textContent: 'Cancel' });
  const form = el('form', { method: 'dialog' }, [
    el('h2', { id: headingId, textContent: 'Map columns' }),
    el('p', {
      textContent: `${fileName}: ${reason} Units are read from the headers (e.g. “Current (µA)”); a header without a unit is read in V, mA, mAh, s or °C.`,
    }),
    el('div', { className: 'map-grid' }, rows),
    el('div', { className: 'map-preview-wrap' }, [preview]),
    el('div', { className: 'map-remember' }, [
      remember,
      el('label', { htmlFor: remember.id, textContent: 'Remember for files with these columns' }),
    ]),
    error,
    el('div', { className: 'map-actions' }, [cancelButton, importButton]),
  ]);
  dialog.append(form);
  document.body.append(dialog);

  return new Promise((resolve) => {
    const close = (result: MapColumnsResult | null) => {
      dialog.close();
      dialog.remove();
      resolve(result);
    };
    cancelButton.addEventListener('click', () => close(null));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(null);
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const columnMap: ColumnMap = {};
      for (const [role, select] of selects) if (select.value !== '') columnMap[role] = select.value;
      const missing = [
        columnMap.time === undefined && columnMap.dateTime === undefined ? 'a time or date-time column' : '',
        columnMap.voltage === undefined ? 'a voltage column' : '',
        columnMap.current === undefined ? 'a current column' : '',
      ].filter((m) => m !== '');
      if (missing.length > 0) {
        error.textContent = `Choose ${missing.join(', ')}.`;
        error.hidden = false;
        return;
      }
      close({ columnMap, isRemembered: remember.checked });
    });
    dialog.showModal();
  });
}
