/**
 * Drives a streaming TextFormat in tests the way the import pipeline does: a head of 64 KiB / 60 lines for
 * detection, then every line through a LineSplitter fed in 4 KiB chunks (so chunk boundaries are
 * exercised), then the pipeline's empty-result check.
 */
import { ImportError } from '../formats/import-error';
import { decodeHead, guessEncoding, LineSplitter } from '../formats/text-decoding';
import type { ParsedRecords, TextFormat, TextHead } from '../formats/text-format';

const HEAD_BYTES = 65_536;
const HEAD_LINES = 60;
const CHUNK_BYTES = 4096;

/** The head a TextFormat is detected on: the first 64 KiB decoded in the guessed encoding, at most 60 lines. */
export function textHeadOf(bytes: Uint8Array, fileName: string): TextHead {
  const guess = guessEncoding(bytes.subarray(0, HEAD_BYTES));
  const lines = decodeHead(bytes.subarray(0, HEAD_BYTES), guess)
    .split(/\r\n|\n|\r/)
    .slice(0, HEAD_LINES);
  return { fileName, encoding: guess.encoding, lines };
}

/** Detects and parses `bytes` with `format`; throws when it is not detected or yields no rows (as the pipeline does). */
export function parseWithTextFormat(format: TextFormat, fileName: string, bytes: Uint8Array): ParsedRecords {
  const head = textHeadOf(bytes, fileName);
  if (!format.detect(head)) throw new Error(`${format.id} did not detect ${fileName}`);
  const parser = format.createParser(head);
  const splitter = new LineSplitter(head.encoding, (line, n, isUnterminated) => parser.onLine(line, n, isUnterminated));
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) splitter.push(bytes.subarray(at, at + CHUNK_BYTES));
  splitter.finish();
  const parsed = parser.finish();
  if (parsed.rowCount === 0) throw new ImportError('no-data-rows', fileName, 'no rows');
  return parsed;
}

/** [min, max] of `a`; NaN propagates (unlike columnRange, which skips it), so a NaN in a column fails a range check. */
export function valueRange(a: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    lo = Math.min(lo, a[i]);
    hi = Math.max(hi, a[i]);
  }
  return [lo, hi];
}
