/** Small DOM helpers shared by the views: elements, named plot regions, tables of rows that link to the selection. */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** A plot region with its accessible name (an interface contract: "Voltage vs time", "dQ/dV" …). */
export function plotRegion(name: string, className = 'plot small'): HTMLElement {
  const region = el('section', { className });
  region.setAttribute('role', 'region');
  region.setAttribute('aria-label', name);
  region.dataset.state = 'empty';
  return region;
}

/** A number with fixed digits, or an en dash for missing values. */
export const fixed = (v: number | null | undefined, digits: number): string =>
  typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '–';

/** A number in scientific notation (D in cm² s⁻¹), or an en dash. */
export const scientific = (v: number | null | undefined, digits = 2): string =>
  typeof v === 'number' && Number.isFinite(v) ? v.toExponential(digits) : '–';

export interface TableColumn<Row> {
  header: string;
  cell(row: Row): string;
}

/**
 * A table (accessible name `name`) whose rows are items of a selection: a click or Enter/Space toggles
 * the row's item, hovering reports it (null on leave). Rows carry `data-item` and `aria-selected`.
 */
export function itemTable<Row>(
  table: HTMLTableElement,
  rows: readonly Row[],
  columns: readonly TableColumn<Row>[],
  itemOf: (row: Row) => number,
  handlers: { toggle(item: number): void; hover?(item: number | null): void },
): void {
  const head = el('thead', {}, [
    el(
      'tr',
      {},
      columns.map((c) => el('th', { scope: 'col', textContent: c.header })),
    ),
  ]);
  const body = el(
    'tbody',
    {},
    rows.map((r) => {
      const item = itemOf(r);
      const row = el(
        'tr',
        {},
        columns.map((c) => el('td', { textContent: c.cell(r) })),
      );
      row.dataset.item = String(item);
      row.tabIndex = 0;
      row.setAttribute('aria-selected', 'false');
      row.addEventListener('click', () => handlers.toggle(item));
      row.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          handlers.toggle(item);
        }
      });
      if (handlers.hover) {
        row.addEventListener('mouseenter', () => handlers.hover?.(item));
        row.addEventListener('mouseleave', () => handlers.hover?.(null));
      }
      return row;
    }),
  );
  table.replaceChildren(head, body);
}

/** Marks the rows of `table` whose item is selected (aria-selected) or hovered (data-hovered). */
export function markTableRows(table: HTMLTableElement, selected: readonly number[], hovered: number | null): void {
  for (const row of table.tBodies[0]?.rows ?? []) {
    const item = Number(row.dataset.item);
    row.setAttribute('aria-selected', String(selected.includes(item)));
    if (item === hovered) row.dataset.hovered = 'true';
    else delete row.dataset.hovered;
  }
}

/** Scrolls a table row into view (after a jump from a plot), without moving the page. */
export function revealRow(table: HTMLTableElement, item: number): void {
  const row = table.querySelector<HTMLTableRowElement>(`tbody tr[data-item="${item}"]`);
  row?.scrollIntoView({ block: 'nearest' });
}
