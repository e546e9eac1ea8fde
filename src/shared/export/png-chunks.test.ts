import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  crc32,
  encodeChunk,
  insertPngChunks,
  physChunk,
  pixelsPerMetre,
  PNG_SIGNATURE,
  pngSizePx,
  readPhys,
  readPngChunks,
  readText,
  textChunk,
} from './png-chunks';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A valid w × h 8-bit greyscale PNG built from the spec (IHDR, IDAT of filter-0 rows, IEND). */
function greyPng(width: number, height: number, extra: { type: string; data: Uint8Array }[] = []): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = (x * 37 + y * 11) & 0xff;
  const parts = [
    PNG_SIGNATURE,
    encodeChunk({ type: 'IHDR', data: ihdr }),
    ...extra.map(encodeChunk),
    encodeChunk({ type: 'IDAT', data: zlibSync(raw) }),
    encodeChunk({ type: 'IEND', data: new Uint8Array(0) }),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('crc32', () => {
  it('matches the standard check value and the CRC every PNG ends with', () => {
    // "123456789" -> 0xCBF43926 is the catalogued check value of CRC-32/ISO-HDLC.
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    // The IEND chunk (no data) of every PNG carries AE 42 60 82.
    expect(crc32(ascii('IEND'))).toBe(0xae426082);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('continues across split input', () => {
    const bytes = ascii('The quick brown fox jumps over the lazy dog');
    expect(crc32(bytes.subarray(10), crc32(bytes.subarray(0, 10)))).toBe(crc32(bytes));
    expect(crc32(bytes)).toBe(0x414fa339);
  });
});

describe('pHYs', () => {
  it.each([
    [300, 11811],
    [600, 23622],
    [1200, 47244],
  ])('stores %i dpi as round(dpi / 0.0254) = %i pixels per metre, unit metre', (dpi, ppm) => {
    expect(pixelsPerMetre(dpi)).toBe(ppm);
    const chunk = physChunk(dpi);
    expect(chunk.data).toHaveLength(9);
    expect(readPhys(chunk)).toEqual({ xPpm: ppm, yPpm: ppm, isMetre: true });
    // Reading back gives the dpi to within the rounding of the integer field.
    expect(Math.abs(ppm * 0.0254 - dpi)).toBeLessThan(0.02);
  });

  it('rejects a non-positive dpi', () => {
    expect(() => physChunk(0)).toThrow(/dpi/);
    expect(() => physChunk(Number.NaN)).toThrow(/dpi/);
  });
});

describe('tEXt', () => {
  it('is keyword NUL text in Latin-1 and reads back', () => {
    const chunk = textChunk('Software', 'Interphase 0.1.0');
    expect(Array.from(chunk.data.subarray(0, 9))).toEqual([...ascii('Software'), 0]);
    expect(readText(chunk)).toEqual({ keyword: 'Software', text: 'Interphase 0.1.0' });
  });

  it('refuses what a PNG reader would mangle', () => {
    expect(() => textChunk('', 'x')).toThrow(/keyword/);
    expect(() => textChunk('k'.repeat(80), 'x')).toThrow(/keyword/);
    expect(() => textChunk(' Title', 'x')).toThrow(/keyword/);
    expect(() => textChunk('Title', 'mA cm⁻²')).toThrow(/U\+207b/);
  });
});

describe('insertPngChunks', () => {
  it('puts the chunks right after IHDR, before IDAT, with valid CRCs, and keeps the image data', () => {
    const png = greyPng(7, 5);
    const out = insertPngChunks(png, [physChunk(600), textChunk('Software', 'Interphase'), textChunk('Comment', '{"a":1}')]);
    // readPngChunks re-checks every CRC and throws on a bad one.
    const chunks = readPngChunks(out);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'pHYs', 'tEXt', 'tEXt', 'IDAT', 'IEND']);
    expect(readText(chunks[3])).toEqual({ keyword: 'Comment', text: '{"a":1}' });
    expect(readPhys(chunks[1]).xPpm).toBe(23622);
    const before = readPngChunks(png).find((c) => c.type === 'IDAT')!;
    expect(chunks[4].data).toEqual(before.data);
    expect(pngSizePx(out)).toEqual({ width: 7, height: 5 });
    expect(out.length).toBe(png.length + chunks.slice(1, 4).reduce((n, c) => n + 12 + c.data.length, 0));
  });

  it('replaces an existing pHYs and a tEXt of the same keyword instead of duplicating them', () => {
    const png = greyPng(3, 2, [physChunk(72), textChunk('Software', 'Chromium'), textChunk('Author', 'me')]);
    const out = insertPngChunks(png, [physChunk(1200), textChunk('Software', 'Interphase')]);
    const chunks = readPngChunks(out);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'pHYs', 'tEXt', 'tEXt', 'IDAT', 'IEND']);
    expect(chunks.filter((c) => c.type === 'pHYs').map((c) => readPhys(c).xPpm)).toEqual([47244]);
    expect(chunks.filter((c) => c.type === 'tEXt').map((c) => readText(c))).toEqual([
      { keyword: 'Software', text: 'Interphase' },
      { keyword: 'Author', text: 'me' },
    ]);
  });

  it('rejects a corrupt PNG and chunks that must not be inserted', () => {
    const png = greyPng(2, 2);
    const bad = png.slice();
    bad[bad.length - 20] ^= 0xff; // inside IDAT: its CRC no longer matches
    expect(() => insertPngChunks(bad, [physChunk(300)])).toThrow(/bad CRC/);
    expect(() => insertPngChunks(png.subarray(0, png.length - 6), [physChunk(300)])).toThrow(/PNG/);
    expect(() => insertPngChunks(ascii('GIF89a........'), [physChunk(300)])).toThrow(/signature/);
    expect(() => insertPngChunks(png, [physChunk(300), physChunk(600)])).toThrow(/one pHYs/);
    expect(() => insertPngChunks(png, [{ type: 'IDAT', data: new Uint8Array(1) }])).toThrow(/IDAT/);
  });
});
