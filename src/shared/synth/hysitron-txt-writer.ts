/**
 * Writes a load–displacement curve as a Bruker/Hysitron TriboScan quasi-static "export curve to text"
 * (`… LC.txt`), the layout that formats/indentation/hysitron-txt.ts reads (demo data, e2e inputs):
 *
 *   Wed Mar 04 09:00:00 2026
 *   <blank>
 *   Number of Points = N
 *   Depth (nm)<TAB>Load (µN)<TAB>Time (s)<TAB>Depth (V)<TAB>Load (V)
 *   …six decimals, tab-separated, LF line ends, Latin-1 (µ = 0xB5) like the instrument.
 *
 * Load is given in mN (DOMAIN.md) and written in µN. The two voltage columns are the transducer
 * signals; they are written from nominal sensitivities (the parser does not read them).
 */

export interface HysitronCurve {
  readonly depthNm: ArrayLike<number>;
  readonly loadMN: ArrayLike<number>;
  /** Time on sample, s; when absent, samples are written `sampleIntervalS` apart from 0. */
  readonly timeS?: ArrayLike<number>;
}

export interface HysitronTxtOptions {
  /** Test start on a zone-free axis (ms since epoch, read as UTC); written as the first line. */
  readonly startMs?: number;
  /** Sample spacing when the curve has no time, s (the instrument's 200 Hz default: 0.005005 s). */
  readonly sampleIntervalS?: number;
}

/** Nominal displacement sensor sensitivity for the `Depth (V)` column, nm per V. */
const DEPTH_NM_PER_V = 5000;
/** Nominal load actuator sensitivity for the `Load (V)` column, µN per V. */
const LOAD_UN_PER_V = 6000;
const UN_PER_MN = 1000;
const DEFAULT_SAMPLE_INTERVAL_S = 0.005005;
const DEFAULT_START_MS = Date.UTC(2026, 2, 4, 9, 0, 0);

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Mon Apr 29 10:41:06 2019`, the C `asctime` form TriboScan writes, from a UTC reading of `ms`. */
export function formatAscTime(ms: number): string {
  const d = new Date(ms);
  const pad = (v: number) => String(v).padStart(2, '0');
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** The LC.txt text of a curve. Throws RangeError when the columns differ in length (a caller bug). */
export function formatHysitronLcTxt(curve: HysitronCurve, options: HysitronTxtOptions = {}): string {
  const n = curve.depthNm.length;
  if (curve.loadMN.length !== n || (curve.timeS && curve.timeS.length !== n)) {
    throw new RangeError('formatHysitronLcTxt: depth, load and time must have the same length');
  }
  const dt = options.sampleIntervalS ?? DEFAULT_SAMPLE_INTERVAL_S;
  const lines = [
    formatAscTime(options.startMs ?? DEFAULT_START_MS),
    '',
    `Number of Points = ${n}`,
    'Depth (nm)\tLoad (µN)\tTime (s)\tDepth (V)\tLoad (V)',
  ];
  for (let k = 0; k < n; k++) {
    const depth = curve.depthNm[k];
    const loadUN = curve.loadMN[k] * UN_PER_MN;
    const time = curve.timeS ? curve.timeS[k] : k * dt;
    lines.push([depth, loadUN, time, depth / DEPTH_NM_PER_V, loadUN / LOAD_UN_PER_V].map((v) => v.toFixed(6)).join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

/** Latin-1 bytes of a text whose characters are all ≤ U+00FF (the writer's output is). */
export function encodeLatin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new RangeError(`encodeLatin1: character U+${c.toString(16)} is not Latin-1`);
    out[i] = c;
  }
  return out;
}

/** The LC.txt file's bytes, Latin-1 like the instrument writes it. */
export function hysitronLcTxtBytes(curve: HysitronCurve, options: HysitronTxtOptions = {}): Uint8Array {
  return encodeLatin1(formatHysitronLcTxt(curve, options));
}
