import { describe, expect, it } from 'vitest';
import { describeStorage, formatBytes, importStorageWarning } from './storage-usage';

describe('storage usage', () => {
  it('formats sizes in kB, MB and GB', () => {
    expect([formatBytes(12_345), formatBytes(12_345_678), formatBytes(12_345_678_901)]).toEqual(['12 kB', '12.3 MB', '12.3 GB']);
  });

  it('describes usage and turns to a warning at 80 % of the quota', () => {
    expect(describeStorage({ usage: 1e8, quota: 1e10 })).toEqual({ text: 'Storage: 100.0 MB of 10.0 GB used', isNearlyFull: false });
    expect(describeStorage({ usage: 8e9, quota: 1e10 }).isNearlyFull).toBe(true);
  });

  it('warns before an import that would pass the warning level, naming the file', () => {
    expect(importStorageWarning({ usage: 1e9, quota: 1e10 }, 'cell.csv', 5e9)).toBeUndefined();
    const warning = importStorageWarning({ usage: 7e9, quota: 1e10 }, 'cell.csv', 1.5e9);
    expect(warning).toContain('cell.csv (1.5 GB) may not fit');
    expect(warning).toContain('7.0 GB of 10.0 GB used');
  });
});
