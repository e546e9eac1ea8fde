/**
 * Hot-path helpers for delimited records: pick the wanted fields of a line without splitting all of
 * it, and parse numbers, durations and date-times as instruments write them.
 */

/**
 * Writes the fields at `wanted` (ascending indices) of `line` into `out` (same order) and returns
 * the number of fields seen up to the last wanted one. Fields are not unquoted: this path is for
 * instrument exports that never quote numbers (the general quoted path goes through papaparse).
 */
export function pickFields(line: string, delimiter: string, wanted: readonly number[], out: string[]): number {
  let fieldIndex = 0;
  let start = 0;
  let w = 0;
  const last = wanted[wanted.length - 1];
  while (w < wanted.length) {
    const end = line.indexOf(delimiter, start);
    const stop = end === -1 ? line.length : end;
    if (fieldIndex === wanted[w]) {
      out[w++] = line.slice(start, stop);
    }
    if (end === -1) break;
    fieldIndex++;
    start = end + 1;
    if (fieldIndex > last) break;
  }
  for (let k = w; k < wanted.length; k++) out[k] = '';
  return w;
}

/** A number as written in a cell; NaN for an empty or non-numeric cell (never 0 for ''). */
export function parseNumber(cell: string): number {
  if (cell.length === 0) return NaN;
  const v = +cell;
  // `+'  '` is 0: a blank cell must stay missing, so zeros are checked (rare enough to be cheap).
  if (v === 0) return cell.trim().length === 0 ? NaN : 0;
  if (v === v) return v;
  const t = cell.trim();
  return t.length === 0 ? NaN : Number(t.replace(',', '.'));
}

/**
 * A duration in seconds from `HH:MM:SS(.fff)` (hours may exceed 24), `MM:SS(.fff)`,
 * `Nd HH:MM:SS(.fff)` or plain seconds. NaN when it is none of these.
 */
export function parseDurationS(cell: string): number {
  const c1 = cell.indexOf(':');
  if (c1 === -1) return parseNumber(cell);
  // Hot path (one call per record): `H:MM:SS(.fff)` or `MM:SS(.fff)` read with indexOf and unary plus,
  // no regex or split. Days (`1d 02:00:00`) take the general path below.
  if (cell.indexOf('d') === -1) {
    const c2 = cell.indexOf(':', c1 + 1);
    if (c2 === -1) return field(cell, 0, c1) * 60 + field(cell, c1 + 1, cell.length);
    if (cell.indexOf(':', c2 + 1) !== -1) return NaN;
    return field(cell, 0, c1) * 3600 + field(cell, c1 + 1, c2) * 60 + field(cell, c2 + 1, cell.length);
  }
  const dayMatch = /^\s*(\d+)\s*d\s*(.*)$/.exec(cell);
  if (!dayMatch) return NaN;
  const rest = dayMatch[2].trim();
  return +dayMatch[1] * 86400 + (rest.length === 0 ? 0 : parseDurationS(rest));
}

/** A numeric part of a duration; NaN when empty or not a number (`+''` would be 0). */
function field(text: string, from: number, to: number): number {
  if (to <= from) return NaN;
  const part = text.slice(from, to);
  const v = +part;
  return v === 0 && part.trim().length === 0 ? NaN : v;
}

const DATE_TIME_ISO = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?/;
/** German / European dotted dates are day-first: `25.11.2026 14:03:11(.fff)`. */
const DATE_TIME_DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}(?:[.,]\d+)?))?/;
const DATE_TIME_US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?\s*([AaPp][Mm])?/;

/**
 * A wall-clock date-time as milliseconds on a time-zone-free axis (read as if UTC: only differences
 * are used). Accepts `YYYY-MM-DD HH:MM:SS(.fff)` (also `/` or `.` separators, `T`) and
 * `DD.MM.YYYY HH:MM:SS(.fff)` (dotted dates are day-first in every locale that writes them) and
 * `MM/DD/YYYY HH:MM:SS(.fff) [AM|PM]`. NaN when it is none of these.
 */
export function parseDateTimeMs(cell: string): number {
  const s = cell.trim();
  let m = DATE_TIME_ISO.exec(s);
  if (m) return utcMs(+m[1], +m[2], +m[3], +m[4], +m[5], m[6] === undefined ? 0 : +m[6]);
  m = DATE_TIME_DOTTED.exec(s);
  if (m) return utcMs(+m[3], +m[2], +m[1], +m[4], +m[5], m[6] === undefined ? 0 : +m[6].replace(',', '.'));
  m = DATE_TIME_US.exec(s);
  if (m) {
    let hour = +m[4];
    const ampm = m[7]?.toLowerCase();
    if (ampm === 'pm' && hour < 12) hour += 12;
    if (ampm === 'am' && hour === 12) hour = 0;
    return utcMs(+m[3], +m[1], +m[2], hour, +m[5], m[6] === undefined ? 0 : +m[6]);
  }
  return NaN;
}

function utcMs(y: number, mo: number, d: number, h: number, mi: number, sec: number): number {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || sec >= 61) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi, 0) + sec * 1000;
}
