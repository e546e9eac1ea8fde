/**
 * Which analysis a dataset gets when the user asks for `auto`: one function for the CLI
 * (`interphase analyze --kind auto`) and the compute workers, so both choose alike.
 *
 *   indentation dataset -> 'indentation' | GITT pulse/rest pattern -> 'gitt' | current staircase -> 'ccd' | else 'cycling'
 */
import type { ImportedDataset } from '../formats/import-dataset';
import { detectCyclingKind } from './analyze-cycling';
import { looksLikeGitt } from './gitt';

export type AnalysisKind = 'cycling' | 'ccd' | 'gitt' | 'indentation';

/** The kinds a caller may ask for; `auto` picks one with {@link detectAnalysisKind}. */
export const ANALYSIS_KINDS: readonly (AnalysisKind | 'auto')[] = ['cycling', 'ccd', 'gitt', 'indentation', 'auto'];

export function isAnalysisKind(value: unknown): value is AnalysisKind | 'auto' {
  return typeof value === 'string' && (ANALYSIS_KINDS as readonly string[]).includes(value);
}

/**
 * The kind a dataset gets under `auto`: by its data, never its file name. The cycling/CCD choice
 * segments the cycles once (as long as the analysis itself), without progress or abort.
 */
export function detectAnalysisKind(dataset: ImportedDataset): AnalysisKind {
  if (dataset.kind === 'indentation') return 'indentation';
  if (looksLikeGitt(dataset)) return 'gitt';
  return detectCyclingKind(dataset);
}
