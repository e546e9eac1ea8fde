import type { DatasetMeta } from './dataset';

/**
 * Segment codes of an indentation curve, stored per point in a Uint8Array.
 * The order is part of the stored format: append, never reorder.
 */
export const INDENT_SEGMENTS = ['unknown', 'approach', 'loading', 'hold', 'unloading'] as const;
export type IndentSegment = (typeof INDENT_SEGMENTS)[number];
export const INDENT_SEGMENT_CODE: Readonly<Record<IndentSegment, number>> = Object.freeze(
  Object.fromEntries(INDENT_SEGMENTS.map((name, code) => [name, code])) as Record<IndentSegment, number>,
);

/**
 * One load–displacement test (one indent at one site), in DOMAIN.md's units.
 * `depthNm` is displacement into the surface (nm, positive into the sample); `loadMN` is the load on
 * the sample (mN, positive in compression). µN and µm from the file are converted on import.
 */
export interface IndentationCurve {
  /** Test / site name as the file gives it (sheet name, "Test 001", "Indent 3", file stem). */
  name: string;
  /** Time on sample, s, when the file has it. */
  timeS?: Float64Array;
  depthNm: Float64Array;
  loadMN: Float64Array;
  /** Codes of {@link INDENT_SEGMENTS} when the file marks segments (e.g. Agilent `Segment`). */
  segment?: Uint8Array;
  /**
   * The instrument's own results for this test when the file carries them (e.g. FischerScope
   * `EIT/(1-vs^2)` in GPa, Agilent Results sheet `Modulus` / `Hardness`), keyed with units in the name:
   * `E_GPa`, `H_GPa`, `Er_GPa`, `HIT_N_mm2`, `hmax_um`, `hr_um`, `Pmax_mN`, `S_N_m` …
   */
  instrumentResults?: Record<string, number>;
}

/** What an indentation file holds: one or more curves plus the same provenance metadata as cycling data. */
export interface IndentationDataset {
  kind: 'indentation';
  meta: DatasetMeta;
  curves: IndentationCurve[];
  /** Instrument settings found in the file that analysis may use (Poisson's ratio, frame stiffness, tip name). */
  instrumentSettings?: Record<string, string | number>;
}

/** The ArrayBuffers behind an indentation dataset's curves, for a transfer list. */
export function indentationBuffers(dataset: IndentationDataset): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const c of dataset.curves) {
    for (const a of [c.timeS, c.depthNm, c.loadMN, c.segment]) if (a) out.push(a.buffer as ArrayBuffer);
  }
  return out;
}
