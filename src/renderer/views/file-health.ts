/** The file-health report of an imported dataset, as sentences and as a collapsible details element. */
import type { FileHealthReport } from '@shared/model/file-health';
import type { DatasetRecord } from '../storage/library-db';
import { el } from './dom';

function formatDuration(seconds: number): string {
  const h = seconds / 3600;
  return h >= 1 ? `${h.toFixed(1)} h` : `${(seconds / 60).toFixed(1)} min`;
}

/** The file-health report as sentences: what was converted, what looks wrong, what was not used. */
export function fileHealthLines(health: FileHealthReport): string[] {
  const lines: string[] = [];
  for (const c of health.conversions) lines.push(`Converted ${c}.`);
  if (health.gaps.count > 0) {
    const at = health.gaps.firstAtS === null ? '' : `, the first at ${formatDuration(health.gaps.firstAtS)}`;
    lines.push(
      `${health.gaps.count} gap${health.gaps.count === 1 ? '' : 's'} longer than ${formatDuration(health.gaps.thresholdS)} (the longest ${formatDuration(health.gaps.largestS)}${at}).`,
    );
  }
  if (health.duplicateRows > 0)
    lines.push(
      `${health.duplicateRows} duplicate record${health.duplicateRows === 1 ? '' : 's'} (same time, voltage and current as the one before).`,
    );
  if (health.timeBackwards > 0)
    lines.push(`Time runs backwards at ${health.timeBackwards} record${health.timeBackwards === 1 ? '' : 's'}.`);
  if (health.unusedColumns.length > 0) lines.push(`Columns not used: ${health.unusedColumns.join(', ')}.`);
  return lines;
}

/**
 * "File health: 2 notes" as a `<details>` listing the notes; undefined when the record has no report
 * (indentation files, or datasets imported before the report existed).
 */
export function fileHealthDetails(record: Pick<DatasetRecord, 'meta'>): HTMLDetailsElement | undefined {
  const health = record.meta.health;
  if (!health) return undefined;
  const lines = fileHealthLines(health);
  return el('details', { className: 'file-health' }, [
    el('summary', {
      textContent: `File health: ${lines.length === 0 ? 'nothing to report' : `${lines.length} note${lines.length === 1 ? '' : 's'}`}`,
    }),
    el(
      'ul',
      {},
      lines.map((text) => el('li', { textContent: text })),
    ),
  ]);
}

/** What the importer converted or skipped, kept visible with the data it concerns; undefined when nothing. */
export function importWarningsDetails(record: Pick<DatasetRecord, 'meta'>): HTMLDetailsElement | undefined {
  const warnings = record.meta.warnings;
  if (warnings.length === 0) return undefined;
  return el('details', { className: 'import-warnings' }, [
    el('summary', { textContent: `${warnings.length} import warning${warnings.length === 1 ? '' : 's'}` }),
    el(
      'ul',
      {},
      warnings.map((w) => el('li', { textContent: w.message })),
    ),
  ]);
}

/** The dataset's notes beside its plots: import warnings, then the file-health report. */
export function datasetNotes(record: Pick<DatasetRecord, 'meta'>): HTMLDetailsElement[] {
  return [importWarningsDetails(record), fileHealthDetails(record)].filter((d): d is HTMLDetailsElement => d !== undefined);
}
