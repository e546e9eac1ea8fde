import { columnRange, presentColumns, type Dataset } from './dataset';

/** The CLI's `import --json` shape (field names are a contract with scripts). */
export interface DatasetSummary {
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
}

/** Rounds to the precision stored (Float32 voltages would print as 0.6200000166893005). */
function round(value: number, digits: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : value;
}

export function summarizeDataset(dataset: Dataset): DatasetSummary {
  const { meta, columns } = dataset;
  const [t0, t1] = columnRange(columns.timeS);
  const [v0, v1] = columnRange(columns.voltageV);
  return {
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
  };
}
