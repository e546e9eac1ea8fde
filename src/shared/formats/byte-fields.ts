/**
 * The fast path for big numeric exports: fields found and numbers parsed straight from the file's
 * bytes, with no text decoding and no per-field strings. Valid for ASCII-compatible encodings
 * (UTF-8, windows-1252, GBK), where every delimiter, digit, sign and point is one byte below 0x80.
 *
 * Every function reports failure (NaN / -1) rather than guessing: the caller then decodes that one
 * line and takes the general string path, so quirky rows lose speed, never correctness.
 */

/** Exact powers of ten: a double holds 10^k exactly for k ≤ 22. */
const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Largest mantissa accumulated exactly (2^53). */
const MAX_EXACT = 9007199254740992;

const COMMA = 44;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const COLON = 58;
const ZERO = 48;
const NINE = 57;

/**
 * Writes the start and end byte offsets of the fields at `wanted` (ascending indices) of the line
 * bytes[start, end) into `starts` / `ends` and returns how many wanted fields were found.
 */
export function pickFieldsBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  delimiter: number,
  wanted: readonly number[],
  starts: Int32Array,
  ends: Int32Array,
): number {
  let fieldIndex = 0;
  let fieldStart = start;
  let w = 0;
  const count = wanted.length;
  let want = wanted[0];
  for (let i = start; i <= end; i++) {
    if (i === end || bytes[i] === delimiter) {
      if (fieldIndex === want) {
        starts[w] = fieldStart;
        ends[w] = i;
        if (++w === count) return w;
        want = wanted[w];
      }
      fieldIndex++;
      fieldStart = i + 1;
    }
  }
  return w;
}

/**
 * A decimal number (`-12.5`, `3`, `1.2e-5`, `.5`) from bytes[start, end). NaN when the field is empty,
 * has any other byte (spaces, decimal comma, text) or more digits than a double holds exactly: the
 * caller falls back to the string path, so the value is then parsed by the engine instead.
 * Correctly rounded: an exact integer mantissa times or divided by an exact power of ten is one
 * IEEE operation (Clinger's fast path).
 */
export function parseNumberBytes(bytes: Uint8Array, start: number, end: number): number {
  if (start >= end) return NaN;
  let i = start;
  let negative = false;
  let c = bytes[i];
  if (c === MINUS) {
    negative = true;
    i++;
  } else if (c === PLUS) i++;
  let mantissa = 0;
  let digits = 0;
  let hasDigits = false;
  let fraction = 0;
  let seenDot = false;
  for (; i < end; i++) {
    c = bytes[i];
    if (c >= ZERO && c <= NINE) {
      hasDigits = true;
      // Leading zeros do not count against the exact-digit budget.
      if (mantissa !== 0 || c !== ZERO) digits++;
      mantissa = mantissa * 10 + (c - ZERO);
      if (seenDot) fraction++;
    } else if (c === DOT && !seenDot) seenDot = true;
    else break;
  }
  if (!hasDigits || digits > 15 || mantissa > MAX_EXACT) return NaN;
  let exponent = 0;
  if (i < end) {
    c = bytes[i];
    if (c !== 101 && c !== 69) return NaN; // e / E
    i++;
    let expNegative = false;
    if (bytes[i] === MINUS) {
      expNegative = true;
      i++;
    } else if (bytes[i] === PLUS) i++;
    const expStart = i;
    for (; i < end; i++) {
      c = bytes[i];
      if (c < ZERO || c > NINE) return NaN;
      exponent = exponent * 10 + (c - ZERO);
      if (exponent > 400) return NaN;
    }
    if (i === expStart) return NaN;
    if (expNegative) exponent = -exponent;
  }
  const scale = exponent - fraction;
  let value: number;
  if (scale === 0) value = mantissa;
  else if (scale > 0 && scale <= 22) {
    value = mantissa * POW10[scale];
    if (value > MAX_EXACT) return NaN;
  } else if (scale < 0 && scale >= -22) value = mantissa / POW10[-scale];
  else return NaN;
  return negative ? -value : value;
}

/**
 * A duration `H:MM:SS(.fff)` (hours may exceed 24) or `MM:SS(.fff)` or plain seconds, from bytes, in s.
 * NaN for anything else (`1d 02:00:00` and spaced forms go to the string path).
 */
export function parseDurationBytes(bytes: Uint8Array, start: number, end: number): number {
  let c1 = -1;
  let c2 = -1;
  for (let i = start; i < end; i++) {
    if (bytes[i] === COLON) {
      if (c1 < 0) c1 = i;
      else if (c2 < 0) c2 = i;
      else return NaN;
    }
  }
  if (c1 < 0) return parseNumberBytes(bytes, start, end);
  if (c2 < 0) return parseUnsignedInt(bytes, start, c1) * 60 + parseNumberBytes(bytes, c1 + 1, end);
  return parseUnsignedInt(bytes, start, c1) * 3600 + parseUnsignedInt(bytes, c1 + 1, c2) * 60 + parseNumberBytes(bytes, c2 + 1, end);
}

function parseUnsignedInt(bytes: Uint8Array, start: number, end: number): number {
  if (start >= end || end - start > 12) return NaN;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c < ZERO || c > NINE) return NaN;
    v = v * 10 + (c - ZERO);
  }
  return v;
}

/** True when bytes[aStart, aEnd) equals bytes[bStart, bEnd) of another buffer. */
export function bytesEqual(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): boolean {
  const n = aEnd - aStart;
  if (n !== bEnd - bStart) return false;
  for (let k = 0; k < n; k++) if (a[aStart + k] !== b[bStart + k]) return false;
  return true;
}

export const COMMA_BYTE = COMMA;
