/**
 * The storage-usage line and the quota warning: how full the browser's storage is (StorageManager
 * estimate) and whether an import of a given size would take the library past the warning level.
 */

/** Share of the browser's storage quota above which the line turns red and imports warn first. */
export const STORAGE_WARNING_FRACTION = 0.8;

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.round(bytes / 1e3)} kB`;
}

export interface StorageEstimate {
  usage: number;
  quota: number;
}

/** "Storage: 12.3 MB of 10.2 GB used", and whether it is past the warning level. */
export function describeStorage({ usage, quota }: StorageEstimate): { text: string; isNearlyFull: boolean } {
  return { text: `Storage: ${formatBytes(usage)} of ${formatBytes(quota)} used`, isNearlyFull: usage >= quota * STORAGE_WARNING_FRACTION };
}

/**
 * The warning to show before importing `fileName` of `sizeBytes`, or undefined when it fits well.
 * Stored columns take about as much as the text they came from (float32/float64 per value), so the
 * file's size is the estimate of what the import adds.
 */
export function importStorageWarning(estimate: StorageEstimate, fileName: string, sizeBytes: number): string | undefined {
  if (estimate.usage + sizeBytes <= estimate.quota * STORAGE_WARNING_FRACTION) return undefined;
  return (
    `Storage is nearly full (${formatBytes(estimate.usage)} of ${formatBytes(estimate.quota)} used): importing ${fileName} (${formatBytes(sizeBytes)}) may not fit. ` +
    'Nothing stored will be lost if it does not; delete datasets you no longer need to make room.'
  );
}
