import { columnRange, presentColumns, type Dataset } from './dataset';
import { computeFileHealth, type FileHealthReport } from './file-health';
import type { IndentationDataset } from './indentation';

/** The CLI's `import --json` shape (field names are a contract with scripts). */
export interface DatasetSummary {
  kind: 'cycling';
  file: string;
  format: string;
  instrument: string;
  rows: number;
  columns: { name: string; unit: string }[];
  timeRange_s: [number, number];
  voltageRange_V: [number, number];
  warnings: string[];
  sha256: string;
  sizeBytes: number;
  encoding: string;
  startDateTime: string | null;
  /** The file-health report (conversions, gaps, duplicates, unused columns). */
  health: FileHealthReport;
}

/** The CLI's `import --json` shape for a nanoindentation file. */
export interface IndentationSummary {
  kind: 'indentation';
  file: string;
  format: string;
  instrument: string;
  /** Points over all curves. */
  rows: number;
  curves: { name: string; points: number; Pmax_mN: number; hmax_nm: number }[];
  warnings: string[];
  sha256: string;
  sizeBytes: number;
  encoding: string;
}

export function summarizeIndentation(dataset: IndentationDataset): IndentationSummary {
  const { meta } = dataset;
  return {
    kind: 'indentation',
    file: meta.source.fileName,
    format: meta.format,
    instrument: meta.instrument,
    rows: dataset.curves.reduce((n, c) => n + c.loadMN.length, 0),
    curves: dataset.curves.map((c) => ({
      name: c.name,
      points: c.loadMN.length,
      Pmax_mN: round(columnRange(c.loadMN)[1], 7),
      hmax_nm: round(columnRange(c.depthNm)[1], 7),
    })),
    warnings: meta.warnings.map((w) => w.message),
    sha256: meta.source.sha256,
    sizeBytes: meta.source.sizeBytes,
    encoding: meta.encoding,
  };
}

/** Rounds to the precision stored (Float32 voltages would print as 0.6200000166893005). */
function round(value: number, digits: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : value;
}

export function summarizeDataset(dataset: Dataset): DatasetSummary {
  const { meta, columns } = dataset;
  const [t0, t1] = columnRange(columns.timeS);
  const [v0, v1] = columnRange(columns.voltageV);
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the warnings are listed once, as text
  const { warnings: _omitted, ...computed } = computeFileHealth(dataset);
  const health = meta.health ?? computed;
  return {
    kind: 'cycling',
    file: meta.source.fileName,
    format: meta.format,
    instrument: meta.instrument,
    rows: dataset.rowCount,
    columns: presentColumns(columns).map(({ spec }) => ({ name: spec.name, unit: spec.unit })),
    timeRange_s: [round(t0, 12), round(t1, 12)],
    voltageRange_V: [round(v0, 7), round(v1, 7)],
    warnings: meta.warnings.map((w) => w.message),
    sha256: meta.source.sha256,
    sizeBytes: meta.source.sizeBytes,
    encoding: meta.encoding,
    startDateTime: meta.startDateTime ?? null,
    health,
  };
}
