import { describe, expect, it } from 'vitest';
import { columnBlobOf, rememberColumnBlob } from './column-blobs';

describe('column Blobs made by the compute worker', () => {
  it('gives back the Blob remembered for exactly that column', () => {
    const column = new Float64Array([1, 2, 3]);
    const blob = new Blob([column]);
    rememberColumnBlob(column, blob);
    expect(columnBlobOf(column)).toBe(blob);
    // Another array with the same values is another column.
    expect(columnBlobOf(new Float64Array([1, 2, 3]))).toBeUndefined();
  });

  it('ignores a Blob that does not hold the column’s bytes', () => {
    const column = new Float32Array(4);
    rememberColumnBlob(column, new Blob([new Uint8Array(3)]));
    expect(columnBlobOf(column)).toBeUndefined();
  });
});
