/**
 * RGBA pixels -> baseline TIFF (uncompressed, one strip, big-endian) through utif2, with the resolution a
 * journal checks (XResolution/YResolution = dpi, ResolutionUnit = inch) and the provenance in ImageDescription.
 *
 * utif2's `encodeImage` reserves a fixed 1000 bytes for the header, which a provenance JSON overflows, and keeps
 * its own tag order; so the IFD is built here with the tags in ascending order (TIFF 6.0 §2 requires it) and the
 * pixel strip placed right after the header.
 */
import * as UTIF from 'utif2';

/** utif2 writes the header into a fixed 20 000-byte buffer; a longer description falls back to the summary. */
const MAX_DESCRIPTION_CHARS = 16_000;

export interface TiffText {
  software: string;
  /** ASCII (asciiJson); replaced by `shortDescription` when longer than the header allows. */
  description: string;
  shortDescription: string;
}

export function encodeRgbaTiff(rgba: Uint8Array, width: number, height: number, dpi: number, text: TiffText): Uint8Array {
  if (rgba.length !== width * height * 4) throw new RangeError(`RGBA length ${rgba.length} is not ${width} × ${height} × 4`);
  const description = text.description.length <= MAX_DESCRIPTION_CHARS ? text.description : text.shortDescription;
  const ifd = (stripOffset: number) =>
    ({
      t256: [width],
      t257: [height],
      t258: [8, 8, 8, 8],
      t259: [1], // no compression
      t262: [2], // RGB
      t270: [description],
      t273: [stripOffset],
      t277: [4], // samples per pixel
      t278: [height], // rows per strip
      t279: [rgba.length],
      t282: [[dpi, 1]],
      t283: [[dpi, 1]],
      t284: [1], // chunky
      t296: [2], // inch
      t305: [text.software],
      t338: [2], // the 4th sample is unassociated alpha
    }) as unknown as UTIF.IFD;
  // The header's length does not depend on the strip offset's value, so measure once and write again.
  const headerLength = new Uint8Array(UTIF.encode([ifd(0)])).length;
  const stripOffset = headerLength + ((2 - (headerLength % 2)) % 2);
  const header = new Uint8Array(UTIF.encode([ifd(stripOffset)]));
  const out = new Uint8Array(stripOffset + rgba.length);
  out.set(header, 0);
  out.set(rgba, stripOffset);
  return out;
}
