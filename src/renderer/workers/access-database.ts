/**
 * Web Worker host's Access (Jet) reader for the core's Arbin `.res` format. mdb-reader's browser build
 * calls the global `Buffer` when it reads, so this module (imported only by workers) provides the `buffer`
 * package's implementation on the worker's globalThis; the window's global scope is never touched.
 */
import './node-globals-shim';
import { Buffer } from 'buffer';
import MDBReader from 'mdb-reader';
import { accessDatabaseFrom } from '@shared/formats/access-table';
import type { AccessDatabase } from '@shared/formats/binary-format';

const workerGlobal = globalThis as { Buffer?: typeof Buffer };
// mdb-reader reads `Buffer` at call time, not at import, so setting it here (after the imports) is in time.
workerGlobal.Buffer ??= Buffer;

export function openAccessDatabase(bytes: Uint8Array): AccessDatabase {
  return accessDatabaseFrom(new MDBReader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
}
