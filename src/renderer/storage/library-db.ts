/**
 * The experiment library in IndexedDB (Dexie). Datasets are columnar: each column is stored as one
 * Blob (measured: Blobs read 800 MB in ~3.4 s where many ArrayBuffer records take ~10 s), metadata in
 * its own table. An import is written in one transaction, so a crash or Cancel leaves no half dataset.
 *
 * Schema versions (add a new `version(n)` with an upgrade for any change; each is tested from the one before):
 * - v1: datasets, columns, settings.
 * - v2: datasets gain `kind` ('cycling' | 'indentation', v1 rows become 'cycling') and `experimentId`
 *   (null = in no experiment); an `experiments` table; indentation curves stored as columns keyed
 *   `curve:<k>:<name>` (depthNm, loadMN, timeS, segment) beside the cycling column keys.
 * - v3: datasets gain the user's `cell` metadata, per-analysis `params` and `deletedAt` (delete with
 *   undo: a deleted dataset is hidden at once and purged at the next start); experiments gain
 *   `deletedAt`; an `analyses` table caches each dataset's analysis result keyed by its inputs.
 */
import Dexie, { type Table } from 'dexie';
import { columnBlobOf } from './column-blobs';
import type { ImportedDataset } from '@shared/formats/import-dataset';
import type { AnalysisKind } from '@shared/analysis/analysis-kind';
import type { CellMetadata } from '@shared/model/cell-metadata';
import type { IndentationCurve, IndentationDataset } from '@shared/model/indentation';
import {
  COLUMN_SPECS,
  presentColumns,
  typedArrayFromBuffer,
  type ColumnDType,
  type ColumnKey,
  type DatasetColumns,
  type DatasetMeta,
} from '@shared/model/dataset';

export type DatasetKind = 'cycling' | 'indentation';

export interface DatasetRecord {
  id: string;
  kind: DatasetKind;
  name: string;
  meta: DatasetMeta;
  /** Records (cycling) or points over all curves (indentation). */
  rowCount: number;
  importedAt: number;
  sha256: string;
  /** The experiment the dataset belongs to; null when in none. */
  experimentId: string | null;
  /** Stored column keys: canonical keys for cycling data, `curve:<k>:<array>` for indentation curves. */
  columnKeys: string[];
  /** Indentation only: each curve's name and what the file says about it. */
  curves?: { name: string; instrumentResults?: Record<string, number> }[];
  /** Indentation only: the file's instrument settings (Poisson's ratio, frame stiffness, tip). */
  instrumentSettings?: IndentationDataset['instrumentSettings'];
  /** The user's description of the cell (area, type, temperature, coating …); DOMAIN.md defaults when absent. */
  cell?: CellMetadata;
  /** Each analysis' parameters as the user last set them (GITT needs the amount of active material). */
  params?: Partial<Record<AnalysisKind, Record<string, unknown>>>;
  /** A line on the dataset (the bundled samples' descriptions). */
  description?: string;
  /** Soft delete (undo window): set when deleted, purged at the next start; null or absent = live. */
  deletedAt?: number | null;
}

/** The fields a user edits on a dataset (each edit is one transaction, undoable). */
export type DatasetEdit = Partial<Pick<DatasetRecord, 'name' | 'cell' | 'params' | 'experimentId' | 'description'>>;

/** A cached analysis result: valid while `inputKey` (cell metadata + parameters) is unchanged. */
export interface AnalysisRecord {
  /** `<datasetId>|<kind>`. */
  key: string;
  datasetId: string;
  kind: AnalysisKind;
  inputKey: string;
  result: unknown;
  computedAt: number;
}

export interface ColumnRecord {
  datasetId: string;
  key: string;
  dtype: ColumnDType;
  blob: Blob;
}

export interface ExperimentRecord {
  id: string;
  name: string;
  createdAt: number;
  description?: string;
  /** True for the generated demo experiment (clearly marked, removable, restorable). */
  isGenerated?: boolean;
  deletedAt?: number | null;
}

/** The typed arrays of an indentation curve and their stored dtypes. */
const CURVE_ARRAYS: readonly { key: 'timeS' | 'depthNm' | 'loadMN' | 'segment'; dtype: ColumnDType }[] = [
  { key: 'timeS', dtype: 'float64' },
  { key: 'depthNm', dtype: 'float64' },
  { key: 'loadMN', dtype: 'float64' },
  { key: 'segment', dtype: 'uint8' },
];

// A Blob the compute worker already made (column-blobs.ts) saves a copy of the whole column on this thread.
const blobOf = (array: ArrayBufferView): Blob =>
  columnBlobOf(array) ?? new Blob([array as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });

export interface SettingRecord {
  key: string;
  value: unknown;
}

export class LibraryDb extends Dexie {
  datasets!: Table<DatasetRecord, string>;
  columns!: Table<ColumnRecord, [string, ColumnKey]>;
  settings!: Table<SettingRecord, string>;
  experiments!: Table<ExperimentRecord, string>;
  analyses!: Table<AnalysisRecord, string>;

  constructor(name = 'interphase-library') {
    super(name);
    this.version(1).stores({
      datasets: 'id, name, importedAt, sha256',
      columns: '[datasetId+key], datasetId',
      settings: 'key',
    });
    this.version(2)
      .stores({
        datasets: 'id, name, importedAt, sha256, kind, experimentId',
        columns: '[datasetId+key], datasetId',
        settings: 'key',
        experiments: 'id, name, createdAt',
      })
      .upgrade((tx) =>
        tx
          .table<Partial<DatasetRecord>>('datasets')
          .toCollection()
          .modify((record) => {
            record.kind ??= 'cycling';
            record.experimentId ??= null;
          }),
      );
    this.version(3)
      .stores({
        datasets: 'id, name, importedAt, sha256, kind, experimentId',
        columns: '[datasetId+key], datasetId',
        settings: 'key',
        experiments: 'id, name, createdAt',
        analyses: 'key, datasetId',
      })
      .upgrade(async (tx) => {
        await tx
          .table<Partial<DatasetRecord>>('datasets')
          .toCollection()
          .modify((record) => {
            record.deletedAt ??= null;
          });
        await tx
          .table<Partial<ExperimentRecord>>('experiments')
          .toCollection()
          .modify((record) => {
            record.deletedAt ??= null;
          });
      });
  }
}

export interface SaveOptions {
  /** The experiment the dataset joins (null = none). */
  experimentId?: string | null;
  /** Cell metadata known at import (the bundled samples carry theirs). */
  cell?: CellMetadata;
  /** Analysis parameters known at import (the demo's indentation files carry their Poisson's ratio). */
  params?: DatasetRecord['params'];
  description?: string;
}

export type SaveOutcome = { status: 'added'; record: DatasetRecord } | { status: 'duplicate'; record: DatasetRecord };

export class Library {
  constructor(readonly db: LibraryDb = new LibraryDb()) {}

  /** Live datasets (not deleted), oldest import first. */
  async list(): Promise<DatasetRecord[]> {
    return (await this.db.datasets.orderBy('importedAt').toArray()).filter((r) => !r.deletedAt);
  }

  /** One dataset (live or deleted), or undefined. */
  get(id: string): Promise<DatasetRecord | undefined> {
    return this.db.datasets.get(id);
  }

  /**
   * Changes a dataset's user fields in one transaction and returns what they were, so the caller can
   * undo with another `update(id, previous)`. A changed cell or parameters drops the cached analyses.
   */
  async update(id: string, edit: DatasetEdit): Promise<DatasetEdit> {
    return this.db.transaction('rw', this.db.datasets, this.db.analyses, async () => {
      const record = await this.db.datasets.get(id);
      if (!record) throw new Error(`Dataset ${id} is not in the library.`);
      const previous: DatasetEdit = {};
      for (const key of Object.keys(edit) as (keyof DatasetEdit)[]) (previous as Record<string, unknown>)[key] = record[key];
      await this.db.datasets.update(id, edit);
      if ('cell' in edit || 'params' in edit) await this.db.analyses.where('datasetId').equals(id).delete();
      return previous;
    });
  }

  /** Deletes datasets with undo: hidden at once (one transaction), purged by {@link purgeDeleted}. */
  async remove(ids: readonly string[]): Promise<void> {
    const at = Date.now();
    await this.db.transaction('rw', this.db.datasets, async () => {
      for (const id of ids) await this.db.datasets.update(id, { deletedAt: at });
    });
  }

  /** Undoes {@link remove}. */
  async restore(ids: readonly string[]): Promise<void> {
    await this.db.transaction('rw', this.db.datasets, async () => {
      for (const id of ids) await this.db.datasets.update(id, { deletedAt: null });
    });
  }

  /** Deletes for good what was deleted before `beforeMs` (datasets with their columns and analyses, experiments). */
  async purgeDeleted(beforeMs: number = Date.now()): Promise<number> {
    return this.db.transaction('rw', [this.db.datasets, this.db.columns, this.db.analyses, this.db.experiments], async () => {
      const gone = (await this.db.datasets.toArray()).filter((r) => r.deletedAt && r.deletedAt < beforeMs).map((r) => r.id);
      for (const id of gone) {
        await this.db.columns.where('datasetId').equals(id).delete();
        await this.db.analyses.where('datasetId').equals(id).delete();
      }
      await this.db.datasets.bulkDelete(gone);
      const experiments = (await this.db.experiments.toArray()).filter((e) => e.deletedAt && e.deletedAt < beforeMs).map((e) => e.id);
      await this.db.experiments.bulkDelete(experiments);
      return gone.length;
    });
  }

  /** A cached analysis, when its inputs are still `inputKey`. */
  async cachedAnalysis(datasetId: string, kind: AnalysisKind, inputKey: string): Promise<unknown> {
    const row = await this.db.analyses.get(`${datasetId}|${kind}`);
    return row && row.inputKey === inputKey ? row.result : undefined;
  }

  async cacheAnalysis(datasetId: string, kind: AnalysisKind, inputKey: string, result: unknown): Promise<void> {
    await this.db.transaction('rw', this.db.datasets, this.db.analyses, async () => {
      // A dataset deleted meanwhile keeps no orphan result.
      if (!(await this.db.datasets.get(datasetId))) return;
      await this.db.analyses.put({ key: `${datasetId}|${kind}`, datasetId, kind, inputKey, result, computedAt: Date.now() });
    });
  }

  /**
   * Stores an imported dataset (cycling records or indentation curves) atomically; a file already in the
   * library (same SHA-256) is not stored twice.
   */
  async save(dataset: ImportedDataset, options: SaveOptions = {}): Promise<SaveOutcome> {
    const sha256 = dataset.meta.source.sha256;
    const id = crypto.randomUUID();
    const experimentId = options.experimentId ?? null;
    const base = {
      id,
      name: dataset.meta.name,
      meta: dataset.meta,
      importedAt: Date.now(),
      sha256,
      experimentId,
      deletedAt: null,
      ...(options.cell ? { cell: options.cell } : {}),
      ...(options.params ? { params: options.params } : {}),
      ...(options.description ? { description: options.description } : {}),
    };
    let record: DatasetRecord;
    let columnRecords: ColumnRecord[];
    if (dataset.kind === 'indentation') {
      columnRecords = dataset.curves.flatMap((curve, k) =>
        CURVE_ARRAYS.filter(({ key }) => curve[key] !== undefined).map(({ key, dtype }) => ({
          datasetId: id,
          key: `curve:${k}:${key}`,
          dtype,
          blob: blobOf(curve[key]!),
        })),
      );
      record = {
        ...base,
        kind: 'indentation',
        rowCount: dataset.curves.reduce((n, c) => n + c.loadMN.length, 0),
        columnKeys: columnRecords.map((c) => c.key),
        curves: dataset.curves.map((c) => ({ name: c.name, instrumentResults: c.instrumentResults })),
        instrumentSettings: dataset.instrumentSettings,
      };
    } else {
      const columns = presentColumns(dataset.columns);
      columnRecords = columns.map(({ spec, array }) => ({ datasetId: id, key: spec.key, dtype: spec.dtype, blob: blobOf(array) }));
      record = { ...base, kind: 'cycling', rowCount: dataset.rowCount, columnKeys: columns.map(({ spec }) => spec.key) };
    }
    return this.db.transaction('rw', this.db.datasets, this.db.columns, async (): Promise<SaveOutcome> => {
      const existing = await this.db.datasets.where('sha256').equals(sha256).first();
      if (existing?.deletedAt) {
        // Imported again inside the undo window: the deleted copy comes back, with the new context.
        const revived: DatasetRecord = { ...existing, ...base, id: existing.id, importedAt: existing.importedAt, deletedAt: null };
        await this.db.datasets.put(revived);
        return { status: 'added', record: revived };
      }
      if (existing) return { status: 'duplicate', record: existing };
      await this.db.datasets.add(record);
      await this.db.columns.bulkAdd(columnRecords);
      return { status: 'added', record };
    });
  }

  /** Reads an indentation dataset's curves back as typed arrays. */
  async loadCurves(record: DatasetRecord): Promise<IndentationCurve[]> {
    if (record.kind !== 'indentation' || !record.curves) throw new Error(`${record.name}: not an indentation dataset.`);
    const rows = await this.db.columns.where('datasetId').equals(record.id).toArray();
    const byKey = new Map(rows.map((r) => [r.key, r]));
    const curves: IndentationCurve[] = [];
    for (const [k, info] of record.curves.entries()) {
      const read = async (key: string): Promise<ArrayBuffer | undefined> => byKey.get(`curve:${k}:${key}`)?.blob.arrayBuffer();
      const depth = await read('depthNm');
      const load = await read('loadMN');
      if (!depth || !load) throw new Error(`${record.name}: stored curve "${info.name}" is missing from the library.`);
      const time = await read('timeS');
      const segment = await read('segment');
      curves.push({
        name: info.name,
        depthNm: new Float64Array(depth),
        loadMN: new Float64Array(load),
        ...(time ? { timeS: new Float64Array(time) } : {}),
        ...(segment ? { segment: new Uint8Array(segment) } : {}),
        ...(info.instrumentResults ? { instrumentResults: info.instrumentResults } : {}),
      });
    }
    return curves;
  }

  /** Live experiments, oldest first. */
  async experiments(): Promise<ExperimentRecord[]> {
    return (await this.db.experiments.orderBy('createdAt').toArray()).filter((e) => !e.deletedAt);
  }

  /** A deleted experiment by name (to restore the demo), or undefined. */
  async deletedExperiment(name: string): Promise<ExperimentRecord | undefined> {
    return (await this.db.experiments.where('name').equals(name).toArray()).find((e) => e.deletedAt);
  }

  async renameExperiment(id: string, name: string): Promise<string> {
    const experiment = await this.db.experiments.get(id);
    if (!experiment) throw new Error(`Experiment ${id} is not in the library.`);
    await this.db.experiments.update(id, { name });
    return experiment.name;
  }

  /** Deletes an experiment and its datasets with undo (one transaction); returns the dataset ids. */
  async removeExperiment(id: string): Promise<string[]> {
    const at = Date.now();
    return this.db.transaction('rw', this.db.datasets, this.db.experiments, async () => {
      const ids = (await this.db.datasets.where('experimentId').equals(id).toArray()).filter((r) => !r.deletedAt).map((r) => r.id);
      for (const datasetId of ids) await this.db.datasets.update(datasetId, { deletedAt: at });
      await this.db.experiments.update(id, { deletedAt: at });
      return ids;
    });
  }

  /** Undoes {@link removeExperiment}: the given datasets, or every deleted dataset of the experiment. */
  async restoreExperiment(id: string, datasetIds?: readonly string[]): Promise<void> {
    await this.db.transaction('rw', this.db.datasets, this.db.experiments, async () => {
      await this.db.experiments.update(id, { deletedAt: null });
      const ids =
        datasetIds ?? (await this.db.datasets.where('experimentId').equals(id).toArray()).filter((r) => r.deletedAt).map((r) => r.id);
      for (const datasetId of ids) await this.db.datasets.update(datasetId, { deletedAt: null });
    });
  }

  async createExperiment(name: string, options: { description?: string; isGenerated?: boolean } = {}): Promise<ExperimentRecord> {
    const experiment: ExperimentRecord = { id: crypto.randomUUID(), name, createdAt: Date.now(), ...options };
    await this.db.experiments.add(experiment);
    return experiment;
  }

  /** Moves datasets into an experiment (or out of any, with null), in one transaction. */
  async assignToExperiment(datasetIds: readonly string[], experimentId: string | null): Promise<void> {
    await this.db.transaction('rw', this.db.datasets, async () => {
      for (const id of datasetIds) await this.db.datasets.update(id, { experimentId });
    });
  }

  /**
   * Reads a dataset's columns back as typed arrays: all of them, or only `keys` (e.g. time and voltage
   * for a first plot; the other Blobs are not read). A missing required column is an error only when asked for.
   */
  async loadColumns(record: DatasetRecord): Promise<DatasetColumns>;
  async loadColumns<K extends ColumnKey>(record: DatasetRecord, keys: readonly K[]): Promise<Pick<DatasetColumns, K>>;
  async loadColumns(record: DatasetRecord, keys?: readonly ColumnKey[]): Promise<Partial<DatasetColumns>> {
    const rows = await this.db.columns.where('datasetId').equals(record.id).toArray();
    const byKey = new Map(rows.map((r) => [r.key, r]));
    const out: Partial<Record<ColumnKey, unknown>> = {};
    for (const spec of COLUMN_SPECS) {
      if (keys && !keys.includes(spec.key)) continue;
      const row = byKey.get(spec.key);
      if (!row) {
        if (spec.isRequired) throw new Error(`${record.name}: stored column "${spec.name}" is missing from the library.`);
        continue;
      }
      out[spec.key] = typedArrayFromBuffer(row.dtype, await row.blob.arrayBuffer());
    }
    return out as Partial<DatasetColumns>;
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    return (await this.db.settings.get(key))?.value as T | undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    await this.db.settings.put({ key, value });
  }
}
