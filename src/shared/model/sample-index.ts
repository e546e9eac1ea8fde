/**
 * resources/samples/index.json: the bundled sample files, the experiments they belong to, and what the
 * user would enter for each cell. Written by `generate-samples` (sample-files.ts); read by main (Electron)
 * and the browser host, both of which run it through {@link checkSampleIndex} before trusting a name.
 *
 *   JSON -> version -> experiments (unique names) -> files (plain unique names, known experiment, cell)
 */
import { CELL_TYPES, type CellMetadata } from './cell-metadata';

/** The index format this code reads and writes; bumped when a field changes meaning. */
export const SAMPLE_INDEX_VERSION = 2;

export interface SampleExperiment {
  /** Shown in the library, e.g. "Demo: indium anode study"; the key files refer to. */
  readonly name: string;
  readonly description: string;
  /** Always true for the bundled samples: the data are synthetic, made by the project's generators. */
  readonly isGenerated: true;
}

export interface SampleIndexEntry {
  /** A plain file name in the samples folder (no '/', '\\' or '..'). */
  readonly fileName: string;
  readonly description: string;
  /** Whether the app imports it when the library is empty on first start. */
  readonly isOpenedOnFirstStart: boolean;
  /** Name of the experiment (one of the index's `experiments`) the file belongs to. */
  readonly experiment?: string;
  /** Group within the experiment, e.g. "Figure 2 matrix", "GITT". */
  readonly group?: string;
  /** Importer format id the file is recognised as, e.g. "neware-csv". */
  readonly format?: string;
  /** What the user would enter for the cell; null where the file is not a cell (indentation). */
  readonly cell?: CellMetadata | null;
  /**
   * Analysis parameters the user would set for this file, by analysis kind (e.g. the sample's Poisson's
   * ratio for an indentation file: `{ "indentation": { "nu": 0.45 } }`). Numbers only.
   */
  readonly params?: Readonly<Partial<Record<SampleAnalysisKind, Readonly<Record<string, number>>>>>;
}

/** The analyses a sample may carry parameters for. */
export type SampleAnalysisKind = 'cycling' | 'ccd' | 'gitt' | 'indentation';
const SAMPLE_ANALYSIS_KINDS: readonly SampleAnalysisKind[] = ['cycling', 'ccd', 'gitt', 'indentation'];

export interface SampleIndex {
  readonly version: typeof SAMPLE_INDEX_VERSION;
  readonly experiments: readonly SampleExperiment[];
  readonly files: readonly SampleIndexEntry[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** A name that stays inside the samples folder on every OS: not empty, no separator, no '..', no NUL. */
export function isPlainFileName(name: string): boolean {
  return name !== '' && name !== '.' && !name.includes('/') && !name.includes('\\') && !name.includes('..') && !name.includes('\0');
}

/** `params`: known analysis kinds only, each a flat object of finite numbers. */
function readParams(r: IndexReader, field: string, value: unknown): NonNullable<SampleIndexEntry['params']> {
  const raw = r.record(field, value, SAMPLE_ANALYSIS_KINDS);
  const out: Partial<Record<SampleAnalysisKind, Record<string, number>>> = {};
  for (const kind of SAMPLE_ANALYSIS_KINDS) {
    const params = raw[kind];
    if (params === undefined) continue;
    if (!isRecord(params)) r.fail(`${field}.${kind}`, `must be an object of numbers, got ${show(params)}`);
    out[kind] = Object.fromEntries(Object.entries(params).map(([key, v]) => [key, r.number(`${field}.${kind}.${key}`, v, false)]));
  }
  return out;
}

class IndexReader {
  constructor(private readonly where: string) {}

  fail(field: string, problem: string): never {
    throw new Error(`${this.where}: ${field} ${problem}.`);
  }

  record(field: string, value: unknown, keys: readonly string[]): Record<string, unknown> {
    if (!isRecord(value)) this.fail(field, `must be an object, got ${show(value)}`);
    for (const key of Object.keys(value)) if (!keys.includes(key)) this.fail(`${field}.${key}`, 'is not a known field');
    return value;
  }

  array(field: string, value: unknown): unknown[] {
    if (!Array.isArray(value)) this.fail(field, `must be an array, got ${show(value)}`);
    return value;
  }

  string(field: string, value: unknown, isEmptyAllowed = true): string {
    if (typeof value !== 'string') this.fail(field, `must be a string, got ${show(value)}`);
    if (!isEmptyAllowed && value.trim() === '') this.fail(field, 'must not be empty');
    return value;
  }

  boolean(field: string, value: unknown): boolean {
    if (typeof value !== 'boolean') this.fail(field, `must be true or false, got ${show(value)}`);
    return value;
  }

  number(field: string, value: unknown, isPositive: boolean): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || (isPositive && value <= 0))
      this.fail(field, `must be a ${isPositive ? 'positive' : 'finite'} number, got ${show(value)}`);
    return value;
  }
}

const CELL_KEYS: readonly (keyof CellMetadata)[] = [
  'cellType',
  'areaCm2',
  'activeMassG',
  'temperatureC',
  'stackPressureMPa',
  'coating',
  'notes',
  'currentDensityMACm2',
  'arealCapacityMAhCm2',
];
const POSITIVE_CELL_NUMBERS = ['areaCm2', 'activeMassG', 'stackPressureMPa', 'currentDensityMACm2', 'arealCapacityMAhCm2'] as const;
const ENTRY_KEYS: readonly (keyof SampleIndexEntry)[] = [
  'params',
  'fileName',
  'description',
  'isOpenedOnFirstStart',
  'experiment',
  'group',
  'format',
  'cell',
];

function readCell(r: IndexReader, field: string, value: unknown): CellMetadata {
  const raw = r.record(field, value, CELL_KEYS);
  if (!CELL_TYPES.includes(raw.cellType as CellMetadata['cellType']))
    r.fail(`${field}.cellType`, `must be one of ${CELL_TYPES.join(', ')}, got ${show(raw.cellType)}`);
  const cell: CellMetadata = { cellType: raw.cellType as CellMetadata['cellType'] };
  for (const key of POSITIVE_CELL_NUMBERS) if (raw[key] !== undefined) cell[key] = r.number(`${field}.${key}`, raw[key], true);
  if (raw.temperatureC !== undefined) cell.temperatureC = r.number(`${field}.temperatureC`, raw.temperatureC, false);
  if (raw.coating !== undefined) cell.coating = r.string(`${field}.coating`, raw.coating);
  if (raw.notes !== undefined) cell.notes = r.string(`${field}.notes`, raw.notes);
  return cell;
}

/**
 * Validates a parsed index.json. Returns a fresh, typed copy holding only the known fields; throws an
 * Error starting with `where` (the index's path or URL) and naming the bad field, e.g.
 * `samples/index.json: files[3].fileName "../x.csv" is not a plain file name.`
 */
export function checkSampleIndex(json: unknown, where: string): SampleIndex {
  const r = new IndexReader(where);
  const root = r.record('the index', json, ['version', 'experiments', 'files']);
  if (root.version !== SAMPLE_INDEX_VERSION) r.fail('version', `must be ${SAMPLE_INDEX_VERSION}, got ${show(root.version)}`);

  const experiments = r.array('experiments', root.experiments).map((value, i): SampleExperiment => {
    const field = `experiments[${i}]`;
    const raw = r.record(field, value, ['name', 'description', 'isGenerated']);
    if (raw.isGenerated !== true)
      r.fail(`${field}.isGenerated`, `must be true (bundled samples are generated data), got ${show(raw.isGenerated)}`);
    return {
      name: r.string(`${field}.name`, raw.name, false),
      description: r.string(`${field}.description`, raw.description),
      isGenerated: true,
    };
  });
  const experimentNames = new Set<string>();
  experiments.forEach(({ name }, i) => {
    if (experimentNames.has(name)) r.fail(`experiments[${i}].name`, `${show(name)} is listed twice`);
    experimentNames.add(name);
  });

  const fileNames = new Set<string>();
  const files = r.array('files', root.files).map((value, i): SampleIndexEntry => {
    const field = `files[${i}]`;
    const raw = r.record(field, value, ENTRY_KEYS);
    const fileName = r.string(`${field}.fileName`, raw.fileName);
    if (!isPlainFileName(fileName)) r.fail(`${field}.fileName`, `${show(fileName)} is not a plain file name`);
    if (fileNames.has(fileName)) r.fail(`${field}.fileName`, `${show(fileName)} is listed twice`);
    fileNames.add(fileName);
    const entry: { -readonly [K in keyof SampleIndexEntry]: SampleIndexEntry[K] } = {
      fileName,
      description: r.string(`${field}.description`, raw.description),
      isOpenedOnFirstStart: r.boolean(`${field}.isOpenedOnFirstStart`, raw.isOpenedOnFirstStart),
    };
    if (raw.experiment !== undefined) {
      entry.experiment = r.string(`${field}.experiment`, raw.experiment);
      if (!experimentNames.has(entry.experiment)) r.fail(`${field}.experiment`, `${show(entry.experiment)} is not in experiments`);
    }
    if (raw.group !== undefined) entry.group = r.string(`${field}.group`, raw.group, false);
    if (raw.format !== undefined) entry.format = r.string(`${field}.format`, raw.format, false);
    if (raw.cell !== undefined) entry.cell = raw.cell === null ? null : readCell(r, `${field}.cell`, raw.cell);
    if (raw.params !== undefined) entry.params = readParams(r, `${field}.params`, raw.params);
    return entry;
  });

  return { version: SAMPLE_INDEX_VERSION, experiments, files };
}
