/**
 * Every instrument file in ../shared/data/real through the real import pipeline (64 KiB chunks, as the
 * app and the CLI read them): each one is read by the format it belongs to, or refused with the
 * reason it is not data (an EIS sweep, a metadata side file, a test with no records).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAccessDatabase } from '../../main/access-database';
import { HAS_REAL_DATA, REAL_DATA_DIR, REAL_DATA_SKIP_REASON, nodeHasher, readReal } from '../test-support/real-data';
import { bytesSource, importFile, type ImportedDataset } from './import-dataset';
import { ImportError } from './import-error';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

/** Expected format id, or `!code` for an expected ImportError code. */
function expectedFor(path: string): string {
  const name = path.split('/').pop()!;
  const folder = path.split('/')[0];
  if (name === 'empty.ndax') return '!no-data-rows';
  if (name.endsWith('_Metadata.csv')) return '!unsupported-format';
  if (name.includes('EDA0001')) return '!unsupported-format';
  if (name.endsWith('.mpl')) return '!unsupported-format';
  if (name.endsWith('.nda')) return 'neware-nda';
  if (name.endsWith('.ndax')) return 'neware-ndax';
  if (name.endsWith('.res')) return 'arbin-res';
  if (name.endsWith('.mpr')) return 'biologic-mpr';
  if (folder === 'neware') {
    if (name.endsWith('.xlsx')) return 'neware-xlsx';
    return name.startsWith('nw_regular') ? 'neware-csv-nested' : 'neware-csv';
  }
  if (folder === 'biologic') return 'biologic-mpt';
  if (folder === 'arbin') return name.endsWith('.xlsx') ? 'arbin-xlsx' : 'arbin-csv';
  if (folder === 'maccor') return 'maccor-text';
  if (folder === 'other') return name.includes('basytec') ? 'basytec-text' : 'novonix-csv';
  if (folder === 'indentation') {
    if (name.endsWith('.xls')) return 'agilent-xls';
    if (name.endsWith('.xlsx')) return 'kla-xlsx';
    if (name.endsWith('.hld')) return 'hysitron-hld';
    if (name === 'Hysitron_dma.txt') return 'hysitron-dma';
    if (name === 'FS1.txt') return 'fischerscope-txt';
    if (name.startsWith('RobinSteel')) return 'hysitron-txt';
    return 'micromaterials-txt';
  }
  return '?';
}

function instrumentFiles(): string[] {
  if (!HAS_REAL_DATA) return [];
  const out: string[] = [];
  for (const folder of readdirSync(REAL_DATA_DIR)) {
    const dir = join(REAL_DATA_DIR, folder);
    if (!statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir)) {
      if (/\.(reference|converted)\.|\.parquet$/.test(name)) continue;
      out.push(`${folder}/${name}`);
    }
  }
  return out.sort();
}

describeReal('every real instrument file', () => {
  const files = instrumentFiles();
  it('the folder holds the files the MANIFEST lists (at least 75)', () => {
    expect(files.length).toBeGreaterThanOrEqual(75);
  });
  for (const path of files) {
    const expected = expectedFor(path);
    it(`${path} → ${expected}`, async () => {
      const name = path.split('/').pop()!;
      const attempt = importFile(bytesSource(name, readReal(path), 65_536), {
        createHasher: nodeHasher,
        services: { openAccessDatabase },
      });
      if (expected.startsWith('!')) {
        const error = await attempt.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ImportError);
        expect((error as ImportError).code).toBe(expected.slice(1));
        expect((error as ImportError).message.startsWith(`${name}: `)).toBe(true);
        return;
      }
      const dataset: ImportedDataset = await attempt;
      expect(dataset.meta.format).toBe(expected);
      if (dataset.kind === 'indentation') {
        expect(dataset.curves.length).toBeGreaterThan(0);
        for (const c of dataset.curves) expect(c.loadMN.length).toBe(c.depthNm.length);
      } else {
        expect(dataset.rowCount).toBeGreaterThan(0);
        expect(dataset.columns.timeS[0]).toBe(0);
        expect(dataset.columns.voltageV.length).toBe(dataset.rowCount);
      }
    });
  }
});
