/**
 * PNG chunk surgery for figure exports: the browser's canvas encoder writes no resolution and no text, so the
 * exporter inserts a `pHYs` chunk (the dpi a journal checks) and `tEXt` chunks (software, provenance JSON)
 * right after `IHDR`. Pure bytes in, bytes out.
 *
 * Format: PNG specification (ISO/IEC 15948, W3C PNG 3rd ed.): 8-byte signature, then chunks of
 * `length (u32 BE) | type (4 ASCII) | data | CRC-32 (u32 BE) over type + data`. `pHYs` must come before the
 * first `IDAT`; `tEXt` is Latin-1 `keyword NUL text` with a 1–79 character keyword.
 */

export const PNG_SIGNATURE: Readonly<Uint8Array> = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** Metres per inch, exactly (the pHYs unit is pixels per metre). */
const METRES_PER_INCH = 0.0254;

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the table computed once. */
const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of `bytes`, continuing from `previous` (the CRC of the bytes before) when given. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface PngChunk {
  /** Four ASCII letters, e.g. 'IHDR', 'pHYs', 'tEXt'. */
  type: string;
  data: Uint8Array;
}

function typeBytes(type: string): Uint8Array {
  if (!/^[A-Za-z]{4}$/.test(type)) throw new RangeError(`PNG chunk type must be 4 ASCII letters, got ${JSON.stringify(type)}`);
  return Uint8Array.from(type, (ch) => ch.charCodeAt(0));
}

/** One chunk as bytes: length, type, data, CRC over type + data. */
export function encodeChunk(chunk: PngChunk): Uint8Array {
  const type = typeBytes(chunk.type);
  const out = new Uint8Array(12 + chunk.data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, chunk.data.length);
  out.set(type, 4);
  out.set(chunk.data, 8);
  view.setUint32(8 + chunk.data.length, crc32(out.subarray(4, 8 + chunk.data.length)));
  return out;
}

interface ChunkAt extends PngChunk {
  /** Byte offset of the chunk's length field. */
  offset: number;
  /** Byte length of the whole chunk (12 + data). */
  size: number;
}

function walkChunks(png: Uint8Array): ChunkAt[] {
  if (png.length < PNG_SIGNATURE.length || PNG_SIGNATURE.some((b, i) => png[i] !== b)) throw new RangeError('not a PNG: bad signature');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: ChunkAt[] = [];
  let offset = PNG_SIGNATURE.length;
  while (offset < png.length) {
    if (offset + 12 > png.length) throw new RangeError(`truncated PNG chunk at byte ${offset}`);
    const length = view.getUint32(offset);
    const end = offset + 12 + length;
    if (end > png.length) throw new RangeError(`PNG chunk at byte ${offset} claims ${length} bytes past the end`);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const stored = view.getUint32(offset + 8 + length);
    const computed = crc32(png.subarray(offset + 4, offset + 8 + length));
    if (stored !== computed) throw new RangeError(`PNG chunk ${type} at byte ${offset} has a bad CRC`);
    chunks.push({ type, data: png.subarray(offset + 8, offset + 8 + length), offset, size: 12 + length });
    offset = end;
    if (type === 'IEND') break;
  }
  if (chunks[0]?.type !== 'IHDR') throw new RangeError('not a PNG: first chunk is not IHDR');
  if (chunks[chunks.length - 1].type !== 'IEND') throw new RangeError('truncated PNG: no IEND');
  return chunks;
}

/** The chunks of a PNG in file order, each CRC checked. Throws on a bad signature, CRC or truncation. */
export function readPngChunks(png: Uint8Array): PngChunk[] {
  return walkChunks(png).map(({ type, data }) => ({ type, data }));
}

/** Width and height in pixels from IHDR. */
export function pngSizePx(png: Uint8Array): { width: number; height: number } {
  const ihdr = walkChunks(png)[0].data;
  const view = new DataView(ihdr.buffer, ihdr.byteOffset, ihdr.byteLength);
  return { width: view.getUint32(0), height: view.getUint32(4) };
}

/** Pixels per metre for a resolution in dots per inch, rounded as the spec stores an integer. */
export function pixelsPerMetre(dpi: number): number {
  if (!(Number.isFinite(dpi) && dpi > 0)) throw new RangeError(`dpi must be a positive number, got ${dpi}`);
  return Math.round(dpi / METRES_PER_INCH);
}

/** A `pHYs` chunk: the same pixels per metre on both axes, unit 1 (metre). */
export function physChunk(dpi: number): PngChunk {
  const ppm = pixelsPerMetre(dpi);
  const data = new Uint8Array(9);
  const view = new DataView(data.buffer);
  view.setUint32(0, ppm);
  view.setUint32(4, ppm);
  data[8] = 1;
  return { type: 'pHYs', data };
}

/** Reads a pHYs chunk back: pixels per metre on x and y and whether the unit is the metre. */
export function readPhys(chunk: PngChunk): { xPpm: number; yPpm: number; isMetre: boolean } {
  if (chunk.type !== 'pHYs' || chunk.data.length !== 9)
    throw new RangeError(`not a pHYs chunk: ${chunk.type} of ${chunk.data.length} bytes`);
  const view = new DataView(chunk.data.buffer, chunk.data.byteOffset, 9);
  return { xPpm: view.getUint32(0), yPpm: view.getUint32(4), isMetre: chunk.data[8] === 1 };
}

function latin1(text: string, what: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff || code === 0)
      throw new RangeError(`${what} must be Latin-1 without NUL; character ${i} is U+${code.toString(16).padStart(4, '0')}`);
    out[i] = code;
  }
  return out;
}

/**
 * A `tEXt` chunk. `text` must be Latin-1: pass JSON through `asciiJson` (src/shared/export/provenance.ts)
 * so non-Latin characters travel as \u escapes.
 */
export function textChunk(keyword: string, text: string): PngChunk {
  if (keyword.length < 1 || keyword.length > 79 || keyword !== keyword.trim() || keyword.includes('  '))
    throw new RangeError(`tEXt keyword must be 1–79 characters without leading, trailing or double spaces, got ${JSON.stringify(keyword)}`);
  const key = latin1(keyword, 'tEXt keyword');
  const body = latin1(text, 'tEXt text');
  const data = new Uint8Array(key.length + 1 + body.length);
  data.set(key, 0);
  data.set(body, key.length + 1);
  return { type: 'tEXt', data };
}

/** Splits a tEXt chunk into its keyword and text. */
export function readText(chunk: PngChunk): { keyword: string; text: string } {
  const nul = chunk.data.indexOf(0);
  if (chunk.type !== 'tEXt' || nul < 1) throw new RangeError(`not a tEXt chunk: ${chunk.type}`);
  return {
    keyword: String.fromCharCode(...chunk.data.subarray(0, nul)),
    text: Array.from(chunk.data.subarray(nul + 1), (b) => String.fromCharCode(b)).join(''),
  };
}

/** True when `existing` says the same thing as `added` and should be dropped: one pHYs, one tEXt per keyword. */
function isReplacedBy(existing: ChunkAt, added: readonly PngChunk[]): boolean {
  if (existing.type === 'pHYs') return added.some((c) => c.type === 'pHYs');
  if (existing.type === 'tEXt') {
    const keyword = readText(existing).keyword;
    return added.some((c) => c.type === 'tEXt' && readText(c).keyword === keyword);
  }
  return false;
}

/**
 * Inserts `chunks` right after IHDR (so before any PLTE/IDAT, as pHYs requires), in the given order.
 * An existing pHYs, or tEXt with the same keyword, is removed so the file says one thing. The image data
 * chunks are copied unchanged.
 */
export function insertPngChunks(png: Uint8Array, chunks: readonly PngChunk[]): Uint8Array {
  if (chunks.filter((c) => c.type === 'pHYs').length > 1) throw new RangeError('a PNG holds at most one pHYs chunk');
  for (const c of chunks)
    if (c.type === 'IHDR' || c.type === 'IDAT' || c.type === 'IEND' || c.type === 'PLTE')
      throw new RangeError(`cannot insert a ${c.type} chunk`);
  const existing = walkChunks(png);
  const encoded = chunks.map(encodeChunk);
  const kept = existing.filter((c) => !isReplacedBy(c, chunks));
  const total = PNG_SIGNATURE.length + encoded.reduce((n, e) => n + e.length, 0) + kept.reduce((n, c) => n + c.size, 0);
  const out = new Uint8Array(total);
  out.set(PNG_SIGNATURE, 0);
  let at = PNG_SIGNATURE.length;
  const [ihdr, ...rest] = kept;
  out.set(png.subarray(ihdr.offset, ihdr.offset + ihdr.size), at);
  at += ihdr.size;
  for (const e of encoded) {
    out.set(e, at);
    at += e.length;
  }
  for (const c of rest) {
    out.set(png.subarray(c.offset, c.offset + c.size), at);
    at += c.size;
  }
  return out;
}
