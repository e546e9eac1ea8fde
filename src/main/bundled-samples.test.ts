import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE_INDEX_VERSION } from '@shared/model/sample-index';
import { listSamples } from './bundled-samples';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'interphase-samples-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const writeIndex = (json: unknown): void => writeFileSync(join(dir, 'index.json'), typeof json === 'string' ? json : JSON.stringify(json));

const file = (fileName: string) => ({ fileName, description: fileName, isOpenedOnFirstStart: true });

describe('listSamples (samples:list)', () => {
  it('returns the validated index and an absolute path inside the folder for each file, in index order', async () => {
    writeIndex({
      version: SAMPLE_INDEX_VERSION,
      experiments: [{ name: 'Demo', description: 'generated', isGenerated: true }],
      files: [{ ...file('b cell.csv'), experiment: 'Demo', cell: { cellType: 'full', activeMassG: 0.01 } }, file('a.txt')],
    });
    const { index, paths } = await listSamples(dir);
    expect(index.experiments.map((e) => e.name)).toEqual(['Demo']);
    expect(index.files.map((f) => f.fileName)).toEqual(['b cell.csv', 'a.txt']);
    expect(index.files[0].cell).toEqual({ cellType: 'full', activeMassG: 0.01 });
    expect(paths).toEqual([join(dir, 'b cell.csv'), join(dir, 'a.txt')]);
  });

  it('has no samples when the folder has no index.json', async () => {
    expect(await listSamples(join(dir, 'missing'))).toEqual({
      index: { version: SAMPLE_INDEX_VERSION, experiments: [], files: [] },
      paths: [],
    });
  });

  it('refuses an index that is not JSON, naming the file', async () => {
    writeIndex('{"files": [');
    await expect(listSamples(dir)).rejects.toThrow(`${join(dir, 'index.json')}: not valid JSON`);
  });

  it.each([['../secret.csv'], ['/etc/passwd'], ['sub\\a.csv'], ['..']])('refuses the file name %j: it is not plain', async (fileName) => {
    writeIndex({ version: SAMPLE_INDEX_VERSION, experiments: [], files: [file('ok.csv'), file(fileName)] });
    await expect(listSamples(dir)).rejects.toThrow(`files[1].fileName ${JSON.stringify(fileName)} is not a plain file name`);
  });

  it('refuses an index of the old shape (no version), naming the field', async () => {
    writeIndex({ files: [file('a.csv')] });
    await expect(listSamples(dir)).rejects.toThrow(/index\.json: version must be 2, got undefined/);
  });

  it('reads the shipped resources/samples: every listed file is in the folder', async () => {
    const samples = resolve(__dirname, '../../resources/samples');
    const { index, paths } = await listSamples(samples);
    expect(index.files.length).toBeGreaterThan(0);
    expect(paths).toEqual(index.files.map((f) => join(samples, f.fileName)));
    for (const path of paths) expect(existsSync(path), path).toBe(true);
  });
});
