// e2e's tsconfig does not include src/renderer/types, where the renderer declares the plotly module.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../src/renderer/types/plotly.d.ts" />
/// <reference types="vite/client" />
/**
 * Test-only entry for e2e/figure-export.spec.ts: the real export engine (src/renderer/export) and a small
 * synthetic figure, bundled by the spec with Vite and served under /__e2e__/ on the app's own origin (so the
 * app's CSP applies). Nothing here ships in the app: the production bundle neither imports nor exposes it.
 * TODO(#8): once the Figure composer and the **Export figure** button exist, drive them instead.
 */
import { exportFigure, type ExportFormat } from '../../src/renderer/export/figure-export';
import { AXIS_LABELS } from '../../src/shared/figures/axis-labels';
import { baseLayout, curveStyle, type FigureSpec, type ScatterTrace } from '../../src/shared/figures/figure-spec';
import { journalAxis } from '../../src/shared/figures/journal-style';
import { JOURNAL_PRESETS, type FigurePreset, type RasterDpi } from '../../src/shared/figures/presets';
import type { Provenance } from '../../src/shared/export/provenance';
import { OKABE_ITO } from '../../src/shared/figures/voltage-time-spec';

/** Two cells' voltage against a current-density ramp (analytic: V = 5 mV + R·j, R = 20 and 35 mV per mA cm⁻²). */
export function syntheticSpec(): FigureSpec {
  const jMACm2 = Array.from({ length: 41 }, (_, i) => 0.05 * i);
  const cell = (name: string, colourIndex: number, ohmMV: number): ScatterTrace => ({
    type: 'scatter',
    mode: 'lines+markers',
    name,
    x: jMACm2,
    y: jMACm2.map((j) => 5 + ohmMV * j),
    customdata: jMACm2.map((_, i) => i),
    ...curveStyle(OKABE_ITO[colourIndex], 'normal'),
    marker: { color: OKABE_ITO[colourIndex], size: 6 },
    meta: { role: 'data' },
  });
  return {
    data: [cell('Li|LPSC|In A', 0, 20), cell('Li|LPSC|In B', 1, 35)],
    layout: baseLayout('Critical current density', journalAxis(AXIS_LABELS.currentDensity), journalAxis(AXIS_LABELS.voltageGapMV), {}),
  };
}

export function provenanceFor(preset: FigurePreset): Provenance {
  return {
    app: 'Interphase',
    version: '0.1.0',
    exportedAt: '2025-03-01T12:00:00.000Z',
    figureName: 'Critical current density',
    sources: [
      { fileName: 'cell-A.csv', sha256: '0'.repeat(63) + '1' },
      { fileName: 'cell-B.ndax', sha256: 'ab'.repeat(32) },
    ],
    analysis: [{ kind: 'ccd', parameters: { stepMACm2: 0.05, cutoffV: 1.0 } }],
    preset,
  };
}

export interface HarnessExport {
  base64: string;
  mimeType: string;
  fileName: string;
  sidecarJson: string;
  traceCount: number;
}

/** Runs the engine on the synthetic figure with the single-column preset at `dpi`. */
export async function runExport(format: ExportFormat, dpi: RasterDpi): Promise<HarnessExport> {
  const preset: FigurePreset = { ...JOURNAL_PRESETS[0], dpi };
  const spec = syntheticSpec();
  const out = await exportFigure(spec, preset, format, provenanceFor(preset));
  const bytes = new Uint8Array(await out.blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return {
    base64: btoa(binary),
    mimeType: out.blob.type,
    fileName: out.fileName,
    sidecarJson: out.sidecarJson,
    traceCount: spec.data.length,
  };
}
