/**
 * Byte-order marks and encoding choice for instrument text exports.
 * Instruments write UTF-8 (with or without BOM), UTF-16 with BOM, or the Windows code page
 * (cp1252: `µ` = 0xB5, `°` = 0xB0), or GBK when the tester's PC runs a Chinese Windows (BTSDA in
 * Chinese writes `电压(V)`). We decode the head strictly as UTF-8; when it is not valid UTF-8 we take GBK
 * only if it decodes cleanly AND names a battery quantity in Chinese (cp1252 text such as `µA` is
 * also valid GBK byte pairs, so validity alone cannot decide), else windows-1252.
 */

/** Chinese words of cycler headers: 电压 voltage, 电流 current, 容量 capacity, 时间 time, 循环 cycle, 工步 step, 记录 record, 能量 energy, 温度 temperature. */
const CHINESE_HEADER_WORDS = /电压|电流|容量|时间|循环|工步|记录|能量|温度/;

/** Longest line the splitter holds before it gives up (a binary blob or a file without line breaks). */
export const MAX_LINE_CHARS = 64 * 1024 * 1024;

export class LineTooLongError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly limitChars: number,
  ) {
    super(`line ${lineNumber} exceeds ${limitChars} characters`);
  }
}

function looksGbk(head: Uint8Array): boolean {
  try {
    const text = new TextDecoder('gbk', { fatal: true }).decode(head.subarray(0, Math.min(head.length, 16384)), { stream: true });
    return CHINESE_HEADER_WORDS.test(text);
  } catch {
    return false;
  }
}

export interface EncodingGuess {
  /** WHATWG encoding label for TextDecoder. */
  readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'gbk';
  /** Bytes of BOM to skip at the start of the file. */
  readonly bomLength: number;
}

export function guessEncoding(head: Uint8Array): EncodingGuess {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  try {
    // stream: true tolerates a multi-byte sequence cut at the end of the head.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'utf-8', bomLength: 0 };
  } catch {
    return looksGbk(head) ? { encoding: 'gbk', bomLength: 0 } : { encoding: 'windows-1252', bomLength: 0 };
  }
}

/** True when the head looks like binary data rather than text (NUL or many control bytes). */
export function looksBinary(head: Uint8Array, encoding: EncodingGuess['encoding']): boolean {
  if (encoding.startsWith('utf-16')) return false;
  const n = Math.min(head.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  return n > 0 && control / n > 0.05;
}

/**
 * Splits decoded text into lines across chunk boundaries. `\r\n`, `\n` and lone `\r` end a line.
 * Calls `onLine` synchronously for every complete line; `finish()` flushes the last one, marked
 * `isUnterminated` when the file does not end with a line break (a tester that lost power mid-line).
 */
export class LineSplitter {
  // Structural type: @types/node declares TextDecoder as a value only.
  private readonly decoder: { decode(input?: Uint8Array, options?: { stream?: boolean }): string };
  private carry = '';
  private lineNumber = 0;
  private pendingCR = false;

  constructor(
    encoding: string,
    private readonly onLine: (line: string, lineNumber: number, isUnterminated: boolean) => void,
    private readonly maxLineChars = MAX_LINE_CHARS,
  ) {
    this.decoder = new TextDecoder(encoding, { ignoreBOM: false });
  }

  push(bytes: Uint8Array): void {
    this.pushText(this.decoder.decode(bytes, { stream: true }));
  }

  finish(): void {
    this.pushText(this.decoder.decode());
    if (this.carry.length > 0) this.emit(this.carry, true);
    this.carry = '';
  }

  private pushText(chunk: string): void {
    if (chunk.length === 0) return;
    let text = chunk;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    let start = 0;
    const n = text.length;
    let first = true;
    // Cached positions of the next \n and \r: re-searched only once passed, so a chunk is scanned
    // once per character class however many lines it holds.
    let nl = text.indexOf('\n');
    let cr = text.indexOf('\r');
    while (nl !== -1 || cr !== -1) {
      let end: number;
      let next: number;
      if (cr !== -1 && (nl === -1 || cr < nl)) {
        end = cr;
        if (cr + 1 === n) {
          this.pendingCR = true;
          next = n;
        } else next = text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      } else {
        end = nl;
        next = nl + 1;
      }
      const piece = text.slice(start, end);
      if (first && this.carry.length > 0) {
        this.emit(this.carry + piece);
        this.carry = '';
      } else this.emit(piece);
      first = false;
      start = next;
      if (nl !== -1 && nl < start) nl = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
    }
    const rest = text.slice(start);
    this.carry = first ? this.carry + rest : rest;
    if (this.carry.length > this.maxLineChars) throw new LineTooLongError(this.lineNumber + 1, this.maxLineChars);
  }

  private emit(line: string, isUnterminated = false): void {
    this.lineNumber++;
    this.onLine(line, this.lineNumber, isUnterminated);
  }
}

/** Receives one line as a byte range of `bytes` (line break excluded; valid only during the call). */
export type ByteLineHandler = (bytes: Uint8Array, start: number, end: number, lineNumber: number, isUnterminated: boolean) => void;

/**
 * The byte-level twin of {@link LineSplitter} for ASCII-compatible encodings: lines are found with the
 * engine's native `indexOf(10)` and handed over as byte ranges, so the big numeric exports are never
 * decoded to strings. `\r\n` and `\n` end a line (a lone `\r` does not: the pipeline takes the string
 * splitter for such files). Line numbers and the unterminated last line are as LineSplitter's.
 */
export class ByteLineSplitter {
  private carry = new Uint8Array(4096);
  private carryLength = 0;
  private lineNumber = 0;
  private skip: number;

  constructor(
    private readonly onLine: ByteLineHandler,
    bomLength = 0,
    private readonly maxLineBytes = MAX_LINE_CHARS,
  ) {
    this.skip = bomLength;
  }

  push(chunk: Uint8Array): void {
    let pos = 0;
    if (this.skip > 0) {
      pos = Math.min(this.skip, chunk.length);
      this.skip -= pos;
    }
    if (this.carryLength > 0) {
      const nl = chunk.indexOf(10, pos);
      if (nl === -1) {
        this.append(chunk, pos, chunk.length);
        return;
      }
      this.append(chunk, pos, nl);
      this.emit(this.carry, 0, this.carryLength, false);
      this.carryLength = 0;
      pos = nl + 1;
    }
    for (let nl = chunk.indexOf(10, pos); nl !== -1; nl = chunk.indexOf(10, pos)) {
      this.emit(chunk, pos, nl, false);
      pos = nl + 1;
    }
    if (pos < chunk.length) this.append(chunk, pos, chunk.length);
  }

  finish(): void {
    if (this.carryLength > 0) this.emit(this.carry, 0, this.carryLength, true);
    this.carryLength = 0;
  }

  private emit(bytes: Uint8Array, start: number, end: number, isUnterminated: boolean): void {
    this.lineNumber++;
    const stop = end > start && bytes[end - 1] === 13 ? end - 1 : end;
    this.onLine(bytes, start, stop, this.lineNumber, isUnterminated);
  }

  private append(chunk: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (this.carryLength + n > this.carry.length) {
      if (this.carryLength + n > this.maxLineBytes) throw new LineTooLongError(this.lineNumber + 1, this.maxLineBytes);
      const next = new Uint8Array(Math.max(this.carry.length * 2, this.carryLength + n));
      next.set(this.carry.subarray(0, this.carryLength));
      this.carry = next;
    }
    this.carry.set(chunk.subarray(from, to), this.carryLength);
    this.carryLength += n;
  }
}

/** True for encodings in which every byte below 0x80 is that ASCII character (delimiters, digits). */
export function isAsciiCompatible(encoding: string): boolean {
  return encoding === 'utf-8' || encoding === 'windows-1252' || encoding === 'gbk';
}

/** True when the head ends lines with a lone `\r` (classic Mac), which only the string splitter handles. */
export function hasLoneCarriageReturns(head: Uint8Array): boolean {
  for (let i = head.indexOf(13); i !== -1 && i < head.length - 1; i = head.indexOf(13, i + 1)) {
    if (head[i + 1] !== 10) return true;
  }
  return false;
}

/** Decodes a whole (small) buffer, skipping a BOM. Used for heads and tests. */
export function decodeHead(bytes: Uint8Array, guess: EncodingGuess): string {
  return new TextDecoder(guess.encoding).decode(bytes.subarray(guess.bomLength), { stream: true });
}
