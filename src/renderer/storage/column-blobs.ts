/**
 * Blobs of imported columns made off the UI thread. `new Blob([column])` copies the bytes on the
 * thread that calls it (measured: ~1.4 s for the 290 MB of a 1e7-row dataset), so the compute worker
 * makes each column's Blob before it transfers the columns back, and the page stores those Blobs
 * (cloned by reference, free) instead of making its own. Keyed weakly by the typed array they copy.
 */
const blobs = new WeakMap<ArrayBufferView, Blob>();

/** Remembers `blob` as the stored form of `column` (ignored unless it holds exactly its bytes). */
export function rememberColumnBlob(column: ArrayBufferView, blob: Blob): void {
  if (blob.size === column.byteLength) blobs.set(column, blob);
}

/** The Blob made for `column` off the UI thread, if any. */
export function columnBlobOf(column: ArrayBufferView): Blob | undefined {
  return blobs.get(column);
}
