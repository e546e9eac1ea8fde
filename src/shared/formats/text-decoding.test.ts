import { describe, expect, it } from 'vitest';
import { guessEncoding, LineSplitter, looksBinary } from './text-decoding';

function splitAll(bytes: Uint8Array, encoding: string, chunk: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter(encoding, (l) => lines.push(l));
  for (let i = 0; i < bytes.length; i += chunk) splitter.push(bytes.subarray(i, i + chunk));
  splitter.finish();
  return lines;
}

describe('text decoding', () => {
  it('guesses UTF-8, UTF-8 with BOM, UTF-16 and cp1252', () => {
    expect(guessEncoding(new TextEncoder().encode('Current(µA)'))).toEqual({ encoding: 'utf-8', bomLength: 0 });
    expect(guessEncoding(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41]))).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(guessEncoding(Uint8Array.from([0xff, 0xfe, 0x41, 0]))).toEqual({ encoding: 'utf-16le', bomLength: 2 });
    expect(guessEncoding(Uint8Array.from([0x41, 0xb5, 0x41]))).toEqual({ encoding: 'windows-1252', bomLength: 0 });
  });

  it('splits CRLF, LF and CR lines across any chunk boundary, and decodes multi-byte characters cut in two', () => {
    const text = 'h1,µ\r\nrow1\nrow2\rrow3\r\n\r\nlast';
    const bytes = new TextEncoder().encode(text);
    for (const chunk of [1, 2, 3, 5, 1000]) {
      expect(splitAll(bytes, 'utf-8', chunk)).toEqual(['h1,µ', 'row1', 'row2', 'row3', '', 'last']);
    }
  });

  it('drops a BOM and reads cp1252 µ', () => {
    expect(splitAll(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61, 0x0a, 0x62]), 'utf-8', 1)).toEqual(['a', 'b']);
    expect(splitAll(Uint8Array.from([0x49, 0x28, 0xb5, 0x41, 0x29]), 'windows-1252', 2)).toEqual(['I(µA)']);
    const utf16 = Uint8Array.from([0xff, 0xfe, 0x61, 0, 0x0a, 0, 0x62, 0]);
    expect(splitAll(utf16, 'utf-16le', 3)).toEqual(['a', 'b']);
  });

  it('tells binary from text', () => {
    expect(looksBinary(new TextEncoder().encode('a,b\n1,2\n'), 'utf-8')).toBe(false);
    expect(looksBinary(Uint8Array.from([1, 2, 0, 4]), 'utf-8')).toBe(true);
  });
});
