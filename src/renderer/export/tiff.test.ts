import * as UTIF from 'utif2';
import { describe, expect, it } from 'vitest';
import { encodeRgbaTiff } from './tiff';

function gradient(width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([(i * 7) & 0xff, (i * 13) & 0xff, (i * 29) & 0xff, 255], i * 4);
  return rgba;
}

function decode(tiff: Uint8Array) {
  const buffer = tiff.buffer.slice(tiff.byteOffset, tiff.byteOffset + tiff.byteLength) as ArrayBuffer;
  const [ifd] = UTIF.decode(buffer);
  UTIF.decodeImage(buffer, ifd);
  return ifd;
}

describe('encodeRgbaTiff', () => {
  it.each([300, 600, 1200])('round-trips the pixels through utif2 with X/YResolution = %i dpi per inch', (dpi) => {
    const rgba = gradient(13, 7);
    const ifd = decode(encodeRgbaTiff(rgba, 13, 7, dpi, { software: 'Interphase 0.1.0', description: '{"a":1}', shortDescription: 'a' }));
    expect([ifd.width, ifd.height]).toEqual([13, 7]);
    expect(UTIF.toRGBA8(ifd)).toEqual(rgba);
    expect(ifd.t282).toEqual([[dpi, 1]]); // a RATIONAL: numerator, denominator
    expect(ifd.t283).toEqual([[dpi, 1]]);
    expect(ifd.t296).toEqual([2]);
    expect(ifd.t305).toEqual(['Interphase 0.1.0']);
    expect(ifd.t270).toEqual(['{"a":1}']);
    // TIFF 6.0 requires the directory's tags in ascending order.
    const tags = Object.keys(ifd)
      .filter((k) => /^t\d+$/.test(k))
      .map((k) => Number(k.slice(1)));
    expect(tags).toEqual([...tags].sort((a, b) => a - b));
  });

  it('keeps a long provenance (past utif2’s 1000-byte header) out of the pixels, and falls back past 16 000 characters', () => {
    const rgba = gradient(5, 4);
    const long = JSON.stringify({ sources: Array.from({ length: 40 }, (_, i) => ({ fileName: `cell-${i}.csv`, sha256: 'f'.repeat(64) })) });
    expect(long.length).toBeGreaterThan(1000);
    const ifd = decode(encodeRgbaTiff(rgba, 5, 4, 600, { software: 's', description: long, shortDescription: 'short' }));
    expect(ifd.t270).toEqual([long]);
    expect(UTIF.toRGBA8(ifd)).toEqual(rgba);
    const huge = 'x'.repeat(20_000);
    expect(decode(encodeRgbaTiff(rgba, 5, 4, 600, { software: 's', description: huge, shortDescription: 'short' })).t270).toEqual([
      'short',
    ]);
  });

  it('refuses pixels that do not match the size', () => {
    expect(() => encodeRgbaTiff(new Uint8Array(10), 2, 2, 300, { software: 's', description: '', shortDescription: '' })).toThrow(
      /2 × 2 × 4/,
    );
  });
});
