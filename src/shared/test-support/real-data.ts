/**
 * Access to the real instrument files in ../shared/data/real (see its MANIFEST.md). A user's clone has
 * no ../shared: tests that need it are skipped with this message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { bytesSource, importDataset } from '../formats/import-dataset';
import type { Dataset } from '../model/dataset';
import { createHash } from 'node:crypto';

export const REAL_DATA_DIR = resolve(__dirname, '../../../../shared/data/real');
export const HAS_REAL_DATA = existsSync(REAL_DATA_DIR);
export const REAL_DATA_SKIP_REASON = `real instrument files not found at ${REAL_DATA_DIR} (../shared is absent in a user's clone): skipped`;

export function realPath(relative: string): string {
  return resolve(REAL_DATA_DIR, relative);
}

export function readReal(relative: string): Uint8Array {
  const bytes = readFileSync(realPath(relative));
  return relative.endsWith('.gz') ? gunzipSync(bytes) : bytes;
}

export function nodeHasher() {
  const h = createHash('sha256');
  return { update: (b: Uint8Array) => void h.update(b), digestHex: () => h.digest('hex') };
}

/** Imports bytes through the real pipeline (64 KiB chunks so chunk boundaries are exercised). */
export function importBytes(fileName: string, bytes: Uint8Array, chunkBytes = 65_536): Promise<Dataset> {
  return importDataset(bytesSource(fileName, bytes, chunkBytes), { createHasher: nodeHasher });
}

/** UTF-8 bytes of a test's text. */
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Parses a plain CSV (no quotes) into header and rows of strings. */
export function readSimpleCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}
