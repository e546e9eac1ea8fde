/**
 * The IndentationDataset wrapper that analysis and figure tests put around generated curves
 * (synth/indentation-curve.ts): fixed synthetic metadata, so a test states only its curves.
 */
import type { IndentationCurve, IndentationDataset } from '../model/indentation';

/** A dataset named `synthetic.txt` holding `curves` (and the instrument settings, when a test needs them). */
export function syntheticIndentationDataset(
  curves: IndentationCurve[],
  instrumentSettings?: IndentationDataset['instrumentSettings'],
): IndentationDataset {
  return {
    kind: 'indentation',
    meta: {
      name: 'synthetic.txt',
      source: { fileName: 'synthetic.txt', sizeBytes: 0, sha256: '' },
      format: 'synthetic',
      instrument: 'generator',
      encoding: 'utf-8',
      sourceColumns: [],
      warnings: [],
    },
    curves,
    instrumentSettings,
  };
}
