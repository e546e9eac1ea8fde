/** The import path as the desktop worker and the CLI run it, exposed for `npm run bench`. */
import { importDataset } from '@shared/formats/import-dataset';
import { analyzeCycling } from '@shared/analysis/analyze-cycling';
import { buildBenchCyclingDataset } from '@shared/synth/bench-cycling';
import { createNodeHasher, openFileSource } from './node-file-source';

/** Imports a file from disk into columns and returns the row count. */
export async function runImportForBench(path: string): Promise<number> {
  const dataset = await importDataset(await openFileSource(path), { createHasher: createNodeHasher });
  return dataset.rowCount;
}

/**
 * Analysis speed on `rows` synthetic cycling records (import excluded): the per-cycle analysis and, as
 * the baseline measured in the same run, one pass reading every column (the memory-bandwidth floor).
 */
export function runAnalysisForBench(rows: number): { analysisS: number; floorS: number; cycles: number } {
  const dataset = buildBenchCyclingDataset(rows);
  let t = performance.now();
  let sum = 0;
  const { timeS, voltageV, currentMA, stepType } = dataset.columns;
  for (let i = 0; i < rows; i++) sum += timeS[i] + voltageV[i] + currentMA[i] + stepType[i];
  const floorS = (performance.now() - t) / 1000;
  t = performance.now();
  const result = analyzeCycling(dataset, { cellType: 'asymmetric' });
  const analysisS = (performance.now() - t) / 1000;
  if (!Number.isFinite(sum)) throw new Error('bench floor pass read a non-finite value');
  return { analysisS, floorS, cycles: result.cycles.length };
}
