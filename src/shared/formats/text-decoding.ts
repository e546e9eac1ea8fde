/**
 * Byte-order marks and encoding choice for instrument text exports.
 * Instruments write UTF-8 (with or without BOM), UTF-16 with BOM, or the Windows code page
 * (cp1252: `µ` = 0xB5, `°` = 0xB0). We decode the head strictly as UTF-8 and fall back to
 * windows-1252 when it is not valid UTF-8.
 */

export interface EncodingGuess {
  /** WHATWG encoding label for TextDecoder. */
  readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
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
    return { encoding: 'windows-1252', bomLength: 0 };
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
  }

  private emit(line: string, isUnterminated = false): void {
    this.lineNumber++;
    this.onLine(line, this.lineNumber, isUnterminated);
  }
}

/** Decodes a whole (small) buffer, skipping a BOM. Used for heads and tests. */
export function decodeHead(bytes: Uint8Array, guess: EncodingGuess): string {
  return new TextDecoder(guess.encoding).decode(bytes.subarray(guess.bomLength), { stream: true });
}
