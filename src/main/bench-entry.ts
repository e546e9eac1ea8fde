/** The import path as the desktop worker and the CLI run it, exposed for `npm run bench`. */
import { importDataset } from '@shared/formats/import-dataset';
import { createNodeHasher, openFileSource } from './node-file-source';

/** Imports a file from disk into columns and returns the row count. */
export async function runImportForBench(path: string): Promise<number> {
  const dataset = await importDataset(await openFileSource(path), { createHasher: createNodeHasher });
  return dataset.rowCount;
}
