/**
 * Node host's Access (Jet) reader for the core's Arbin `.res` format: mdb-reader over a Buffer that
 * shares the bytes' memory. Injected as `ParseServices.openAccessDatabase` so src/shared stays pure.
 */
import MDBReader from 'mdb-reader';
import { accessDatabaseFrom } from '@shared/formats/access-table';
import type { AccessDatabase } from '@shared/formats/binary-format';

export function openAccessDatabase(bytes: Uint8Array): AccessDatabase {
  return accessDatabaseFrom(new MDBReader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
}
