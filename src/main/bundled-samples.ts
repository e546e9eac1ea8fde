/**
 * The `samples:list` service: reads `<dir>/index.json` (resources/samples), validates it, and turns each
 * listed file name into an absolute path inside `<dir>`.
 *
 *   read index.json (none: no samples) -> JSON.parse -> checkSampleIndex -> plain names -> paths
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { SampleList } from '@shared/ipc/contract';
import { checkSampleIndex, SAMPLE_INDEX_VERSION } from '@shared/model/sample-index';

/**
 * The validated index and the absolute path of each listed file. No index means no samples; a listed
 * name that is not a plain file name is refused (checkSampleIndex, and basename here on this OS's own
 * separators), so the index cannot point outside the folder.
 */
export async function listSamples(dir: string): Promise<SampleList> {
  const indexPath = join(dir, 'index.json');
  let text: string;
  try {
    text = await readFile(indexPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { index: { version: SAMPLE_INDEX_VERSION, experiments: [], files: [] }, paths: [] };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${indexPath}: not valid JSON (${error instanceof Error ? error.message : String(error)}).`, { cause: error });
  }
  const index = checkSampleIndex(json, indexPath);
  const paths = index.files.map(({ fileName }) => {
    if (fileName !== basename(fileName)) throw new Error(`${indexPath}: ${JSON.stringify(fileName)} is not a plain file name.`);
    return join(dir, fileName);
  });
  return { index, paths };
}
