/**
 * What the Indentation view decides without the DOM: which indentation files it shows, the sample each
 * file belongs to, and the numbering of indents across several files.
 *
 * Indent numbering (the selection store's `indents` and `hoveredIndent`, the Indents table's first
 * column, the load–displacement curves' `customdata`): the shown files are taken in library order and
 * their curves in file order, and the indents are numbered through that list, 0-based in the store and
 * 1-based on screen ("Selected indents: 1, 4"). One Hysitron .txt holds one curve, so with the 12 demo
 * files indent 1 is the first file's curve; an Agilent/KLA workbook adds one number per test sheet.
 * Adding or removing a file renumbers the indents, so the view clears the indent selection then.
 */
import type { CurveResult, IndentationResult } from '@shared/analysis/indentation';

/** The record fields the view reads (a subset of DatasetRecord). */
export interface IndentRecordLike {
  readonly id: string;
  readonly kind: 'cycling' | 'indentation';
  readonly name: string;
  readonly meta: { readonly source: { readonly fileName: string } };
  readonly curves?: readonly { readonly name: string }[];
  readonly instrumentSettings?: Readonly<Record<string, string | number>>;
}

/** The view's saved state (ctx.saveViewState('indentation', …)). */
export interface IndentationViewState {
  /** Files the user ticked in "Indentation files", besides the open one. */
  readonly datasetIds: readonly string[];
}

export function isIndentationViewState(value: unknown): value is IndentationViewState {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { datasetIds?: unknown }).datasetIds) &&
    (value as { datasetIds: unknown[] }).datasetIds.every((id) => typeof id === 'string')
  );
}

export function indentationRecords<R extends IndentRecordLike>(records: readonly R[]): R[] {
  return records.filter((r) => r.kind === 'indentation');
}

/**
 * The files shown, in library order: the ticked ones still in the library plus the open dataset when
 * it is an indentation file; with neither, the library's first indentation file.
 */
export function shownIndentationRecords<R extends IndentRecordLike>(
  records: readonly R[],
  current: R | undefined,
  state: IndentationViewState | undefined,
): R[] {
  const all = indentationRecords(records);
  const wanted = new Set(state?.datasetIds ?? []);
  if (current?.kind === 'indentation') wanted.add(current.id);
  const shown = all.filter((r) => wanted.has(r.id));
  return shown.length > 0 ? shown : all.slice(0, 1);
}

/** A file name without its folder and extension. */
export function fileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/**
 * The sample or condition a one-curve file names, from its file name: the stem without the instrument's
 * test counter (Hysitron "… 0000LC"), the site or indent number ("_site2", "indent 3") and a leading
 * figure tag ("Fig4_"). `Fig4_after-1mAhcm2_site2 0001LC.txt` → `after-1mAhcm2`.
 */
export function conditionFromFileName(fileName: string): string {
  const stem = fileStem(fileName);
  const condition = stem
    .replace(/\s*\d{3,5}\s*LC$/i, '')
    .replace(/[\s_-]*(site|indent|test|pos(ition)?)[\s_-]*\d+/gi, '')
    .replace(/^fig(ure)?\s*\d+[a-z]?[\s_-]+/i, '')
    .replace(/^[\s_-]+|[\s_-]+$/g, '');
  return condition === '' ? stem : condition;
}

/**
 * The sample of a file's indents: a workbook's own sample name (a text setting named "Sample…"), else
 * the condition in the file name.
 */
export function sampleOfRecord(record: Pick<IndentRecordLike, 'meta' | 'instrumentSettings' | 'name'>): string {
  for (const [key, value] of Object.entries(record.instrumentSettings ?? {})) {
    if (/^sample([\s_-]*(name|id))?$/i.test(key) && typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return conditionFromFileName(record.meta.source.fileName || record.name);
}

/** One indent of the shown files: its number (0-based), file, curve and sample. */
export interface IndentItem {
  readonly item: number;
  readonly datasetId: string;
  readonly fileName: string;
  /** Curve index within its file. */
  readonly curve: number;
  /** What the table's Site column shows: the curve's name (a one-curve file's stem, a workbook's test sheet). */
  readonly site: string;
  readonly sample: string;
}

/** Numbers the indents of the shown files (see the file comment). */
export function numberIndents(
  files: readonly Pick<IndentRecordLike, 'id' | 'name' | 'meta' | 'curves' | 'instrumentSettings'>[],
): IndentItem[] {
  const items: IndentItem[] = [];
  for (const file of files) {
    const sample = sampleOfRecord(file);
    const curves = file.curves && file.curves.length > 0 ? file.curves : [{ name: fileStem(file.meta.source.fileName || file.name) }];
    curves.forEach((curve, k) => {
      items.push({
        item: items.length,
        datasetId: file.id,
        fileName: file.meta.source.fileName || file.name,
        curve: k,
        site: curve.name,
        sample,
      });
    });
  }
  return items;
}

/** An indent's numbers with its table identity. */
export interface IndentRow {
  readonly indent: IndentItem;
  readonly result: CurveResult | undefined;
}

/** Joins the numbered indents with each file's analysis (undefined while it runs or when it failed). */
export function indentRows(items: readonly IndentItem[], results: ReadonlyMap<string, IndentationResult>): IndentRow[] {
  return items.map((indent) => ({ indent, result: results.get(indent.datasetId)?.curves[indent.curve] }));
}
