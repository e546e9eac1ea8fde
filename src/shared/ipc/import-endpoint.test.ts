import { describe, expect, it } from 'vitest';
import { bytesSource, type ImportedDataset } from '../formats/import-dataset';
import { demoStudyFiles } from '../synth/demo-study';
import { nodeHasher } from '../test-support/real-data';
import type { WorkerResponse } from './worker-protocol';
import { createImportEndpoint } from './import-endpoint';

/** Runs one import through the endpoint and returns what it posted last. */
async function importThroughEndpoint(fileName: string, bytes: Uint8Array): Promise<WorkerResponse<ImportedDataset>> {
  const posted: WorkerResponse<ImportedDataset>[] = [];
  const endpoint = createImportEndpoint<{ name: string; bytes: Uint8Array }>({
    post: (message) => posted.push(message),
    openSource: (s) => bytesSource(s.name, s.bytes),
    createHasher: nodeHasher,
  });
  await endpoint({ seq: 1, type: 'import', payload: { name: fileName, bytes } });
  return posted[posted.length - 1];
}

describe('import endpoint', () => {
  // The demo's files say what they are (group) independently of the analysis that detects it.
  const files = demoStudyFiles();
  const expectedKind = { GITT: 'gitt', CCD: 'ccd', 'Figure 2 matrix': 'cycling', 'Full cells': 'cycling' } as const;

  it.each(Object.entries(expectedKind))('labels a %s file with the analysis it needs (meta.analysisKind)', async (group, kind) => {
    const file = files.find((f) => f.group === group)!;
    const message = await importThroughEndpoint(file.fileName, file.bytes);
    expect(message.type).toBe('result');
    const dataset = (message as Extract<typeof message, { type: 'result' }>).payload;
    expect(dataset.kind === 'indentation' ? 'indentation' : dataset.meta.analysisKind).toBe(kind);
  });

  it('leaves indentation files without a cycling kind', async () => {
    const file = files.find((f) => f.group === 'Indentation')!;
    const message = await importThroughEndpoint(file.fileName, file.bytes);
    const dataset = (message as Extract<typeof message, { type: 'result' }>).payload;
    expect(dataset.kind).toBe('indentation');
    expect(dataset.meta.analysisKind).toBeUndefined();
  });
});
