/**
 * Provenance of an exported figure (issue 8 §4): enough to trace a figure back to its raw files and redo it —
 * the app and version, the export time, the source files with their SHA-256, each analysis with its
 * parameters, and the journal preset. It travels in the SVG `<metadata>`, the PDF info dictionary, the PNG
 * `tEXt`, the TIFF ImageDescription and a sidecar JSON. Pure: the caller passes the clock's reading.
 */
import { validatePreset, type FigurePreset } from '../figures/presets';

/** A JSON value (analysis parameters are plain data). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ProvenanceSource {
  fileName: string;
  /** SHA-256 of the file's bytes as imported, 64 lowercase hex digits. */
  sha256: string;
}

export interface ProvenanceAnalysis {
  /** 'cycling', 'ccd', 'gitt', 'indentation' … */
  kind: string;
  parameters: { [key: string]: JsonValue };
}

export interface Provenance {
  app: 'Interphase';
  version: string;
  /** ISO 8601 UTC, e.g. 2025-03-01T12:00:00.000Z. */
  exportedAt: string;
  figureName: string;
  sources: ProvenanceSource[];
  analysis: ProvenanceAnalysis[];
  preset: FigurePreset;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Checks a provenance record at the export's entry; throws naming the bad field and value. */
export function validateProvenance(provenance: Provenance): Provenance {
  if (provenance.app !== 'Interphase') throw new RangeError(`provenance.app must be 'Interphase', got ${JSON.stringify(provenance.app)}`);
  if (!/^\d+\.\d+\.\d+/.test(provenance.version))
    throw new RangeError(`provenance.version must be semver, got ${JSON.stringify(provenance.version)}`);
  if (!ISO_UTC.test(provenance.exportedAt) || Number.isNaN(Date.parse(provenance.exportedAt)))
    throw new RangeError(`provenance.exportedAt must be an ISO 8601 UTC time, got ${JSON.stringify(provenance.exportedAt)}`);
  if (provenance.figureName.trim() === '') throw new RangeError('provenance.figureName is empty');
  provenance.sources.forEach((s, i) => {
    if (s.fileName.trim() === '') throw new RangeError(`provenance.sources[${i}].fileName is empty`);
    if (!SHA256_HEX.test(s.sha256))
      throw new RangeError(`provenance.sources[${i}].sha256 must be 64 lowercase hex digits, got ${JSON.stringify(s.sha256)}`);
  });
  provenance.analysis.forEach((a, i) => {
    if (a.kind.trim() === '') throw new RangeError(`provenance.analysis[${i}].kind is empty`);
  });
  validatePreset(provenance.preset);
  return provenance;
}

/**
 * JSON with every non-ASCII character written as a \u escape: still the same JSON value when parsed, and safe
 * in Latin-1 containers (PNG tEXt, TIFF ASCII tags, PDF strings). `]]>` cannot appear (its `>` is escaped), so
 * the text also fits in an XML CDATA section.
 */
export function asciiJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[^\x20-\x7e\n]|>/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line a reader can take in: "Voltage vs time — Interphase 0.1.0, 2025-03-01T12:00:00.000Z, from a.csv, b.ndax". */
export function provenanceSummary(provenance: Provenance): string {
  const files = provenance.sources.map((s) => s.fileName).join(', ');
  return `${provenance.figureName} — ${provenance.app} ${provenance.version}, ${provenance.exportedAt}${files ? `, from ${files}` : ''}`;
}

export interface SidecarExtras {
  /** The exported file's name (the sidecar sits beside it). */
  fileName: string;
  format: 'svg' | 'pdf' | 'png' | 'tiff';
  widthMm: number;
  heightMm: number;
  /** Raster exports only. */
  widthPx?: number;
  heightPx?: number;
}

/** The sidecar JSON: the provenance plus what was written (file, format, physical and pixel size). */
export function sidecarJson(provenance: Provenance, extras: SidecarExtras): string {
  return `${asciiJson({ ...provenance, export: extras }, 2)}\n`;
}
