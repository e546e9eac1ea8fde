/**
 * Reads Excel 97–2003 workbooks (.xls: BIFF8 records in the `Workbook` stream of an OLE2 compound
 * file) into the format-neutral {@link Workbook}.
 *
 * Pipeline: OLE2 container (the `cfb` package) -> `Workbook` stream -> globals substream (BOUNDSHEET
 * names and offsets, SST shared strings with their CONTINUE records) -> per sheet, on demand: cell
 * records from the sheet's BOF to its EOF -> dense rows.
 *
 * Cell records read: LABELSST, LABEL, RSTRING, NUMBER, RK, MULRK, BOOLERR and FORMULA (its cached
 * result; a string result follows in a STRING record). Error cells become their Excel text (`#DIV/0!`),
 * as in the .xlsx reader. Layout: [MS-XLS] (Microsoft Open Specifications), sections 2.4 and 2.5.
 */
import * as CFB from 'cfb';
import { ImportError } from '../import-error';
import type { CellValue, Workbook, WorkbookSheet } from './workbook';

const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** True when the bytes start like an OLE2 compound file. */
export function isOle2(head: Uint8Array): boolean {
  return head.length >= 8 && OLE2_MAGIC.every((b, k) => head[k] === b);
}

const REC = {
  BOF: 0x0809,
  EOF: 0x000a,
  BOUNDSHEET: 0x0085,
  SST: 0x00fc,
  CONTINUE: 0x003c,
  FILEPASS: 0x002f,
  LABELSST: 0x00fd,
  LABEL: 0x0204,
  RSTRING: 0x00d6,
  NUMBER: 0x0203,
  RK: 0x027e,
  MULRK: 0x00bd,
  BOOLERR: 0x0205,
  FORMULA: 0x0006,
  STRING: 0x0207,
} as const;

/** BIFF8 BOF `vers` field; BIFF5 (Excel 5/95) writes 0x0500. */
const BIFF8_VERSION = 0x0600;
/** Sheet type in BOUNDSHEET: 0 = worksheet (1 macro sheet, 2 chart, 6 VB module are not read). */
const SHEET_TYPE_WORKSHEET = 0;

/** Excel's error codes (BOOLERR, FORMULA) as the text Excel shows. */
const ERROR_TEXT: Readonly<Record<number, string>> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
  0x2b: '#GETTING_DATA',
};

const MAX_COLUMNS = 16_384;

const LATIN1 = new TextDecoder('latin1');
const UTF16LE = new TextDecoder('utf-16le');

/** One BIFF record: its type and where its data lies in the stream. */
interface BiffRecord {
  readonly type: number;
  readonly start: number;
  readonly end: number;
}

class BiffStream {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    private readonly fileName: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(problem: string): never {
    throw new ImportError('read-failed', this.fileName, `.xls workbook is damaged: ${problem}.`);
  }

  /** The record at `offset`, checked to lie inside the stream. */
  recordAt(offset: number): BiffRecord {
    if (offset + 4 > this.bytes.length) this.fail(`record header at byte ${offset} is past the end of the stream`);
    const type = this.u16(offset);
    const length = this.u16(offset + 2);
    const end = offset + 4 + length;
    if (end > this.bytes.length) this.fail(`record 0x${type.toString(16)} at byte ${offset} is cut short`);
    return { type, start: offset + 4, end };
  }

  u8(p: number): number {
    return this.bytes[p];
  }

  u16(p: number): number {
    return this.view.getUint16(p, true);
  }

  u32(p: number): number {
    return this.view.getUint32(p, true);
  }

  f64(p: number): number {
    return this.view.getFloat64(p, true);
  }

  /** Checks that `count` bytes from `p` lie inside the record. */
  need(record: BiffRecord, p: number, count: number): void {
    if (p + count > record.end) this.fail(`record 0x${record.type.toString(16)} at byte ${record.start - 4} is too short`);
  }
}

/** RK number: bit 0 = divide by 100, bit 1 = 30-bit signed integer, else the top 30 bits of a double. */
function decodeRk(rk: number): number {
  let v: number;
  if (rk & 2) v = rk >> 2;
  else {
    const view = new DataView(new ArrayBuffer(8));
    view.setUint32(0, 0, true);
    view.setUint32(4, rk & 0xfffffffc, true);
    v = view.getFloat64(0, true);
  }
  return rk & 1 ? v / 100 : v;
}

/**
 * Reads character data that may run across record boundaries (SST, STRING + CONTINUE). At each
 * boundary inside character data the next record starts with a fresh option byte (bit 0: 16-bit chars).
 */
class SegmentedReader {
  private segment = 0;
  pos: number;

  constructor(
    private readonly s: BiffStream,
    private readonly segments: readonly BiffRecord[],
  ) {
    this.pos = segments[0].start;
  }

  private get end(): number {
    return this.segments[this.segment].end;
  }

  /** Moves to the next segment when the current one is used up. */
  private advanceIfAtEnd(): void {
    while (this.pos >= this.end && this.segment + 1 < this.segments.length) {
      this.segment++;
      this.pos = this.segments[this.segment].start;
    }
  }

  private ensure(count: number): void {
    this.advanceIfAtEnd();
    if (this.pos + count > this.end) this.s.fail('a string runs past the end of its record');
  }

  u8(): number {
    this.ensure(1);
    return this.s.u8(this.pos++);
  }

  u16(): number {
    this.ensure(2);
    const v = this.s.u16(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.ensure(4);
    const v = this.s.u32(this.pos);
    this.pos += 4;
    return v;
  }

  /** Skips bytes that may span segments without option bytes (rich-text runs, phonetic data). */
  skip(count: number): void {
    let left = count;
    while (left > 0) {
      this.advanceIfAtEnd();
      const here = Math.min(left, this.end - this.pos);
      if (here <= 0) this.s.fail('a string runs past the end of its record');
      this.pos += here;
      left -= here;
    }
  }

  /** `count` characters, 8-bit (Latin-1) or 16-bit (UTF-16LE) as the option bytes say. */
  chars(count: number, isWide: boolean): string {
    let out = '';
    let left = count;
    let wide = isWide;
    for (;;) {
      const size = wide ? 2 : 1;
      const here = Math.min(left, Math.floor((this.end - this.pos) / size));
      if (here > 0) {
        const slice = this.s.bytes.subarray(this.pos, this.pos + here * size);
        out += wide ? UTF16LE.decode(slice) : LATIN1.decode(slice);
        this.pos += here * size;
        left -= here;
      }
      if (left === 0) return out;
      if (this.segment + 1 >= this.segments.length) this.s.fail('a string runs past the end of its record');
      this.segment++;
      this.pos = this.segments[this.segment].start;
      if (this.pos >= this.end) this.s.fail('an empty CONTINUE record inside a string');
      wide = (this.s.u8(this.pos++) & 1) === 1;
    }
  }

  /** XLUnicodeRichExtendedString (SST entries) or XLUnicodeString (`isRichAllowed` false). */
  unicodeString(): string {
    const count = this.u16();
    const flags = this.u8();
    const runs = flags & 0x08 ? this.u16() : 0;
    const extSize = flags & 0x04 ? this.u32() : 0;
    const text = this.chars(count, (flags & 1) === 1);
    if (runs > 0) this.skip(runs * 4);
    if (extSize > 0) this.skip(extSize);
    return text;
  }
}

/** The records following `index` that are CONTINUE records. */
function withContinues(records: readonly BiffRecord[], index: number): BiffRecord[] {
  const out = [records[index]];
  for (let k = index + 1; k < records.length && records[k].type === REC.CONTINUE; k++) out.push(records[k]);
  return out;
}

/** Records of one substream, BOF at `offset` through its matching EOF (embedded substreams skipped). */
function substream(s: BiffStream, offset: number): BiffRecord[] {
  const records: BiffRecord[] = [];
  let p = offset;
  let depth = 0;
  while (p < s.bytes.length) {
    const r = s.recordAt(p);
    p = r.end;
    if (r.type === REC.BOF) {
      depth++;
      if (depth === 1) records.push(r);
      continue;
    }
    if (r.type === REC.EOF) {
      depth--;
      if (depth <= 0) return records;
      continue;
    }
    if (depth === 1) records.push(r);
  }
  return s.fail('a substream has no EOF record (truncated file)');
}

class XlsSheet implements WorkbookSheet {
  private cached: CellValue[][] | undefined;

  constructor(
    readonly name: string,
    private readonly s: BiffStream,
    private readonly offset: number,
    private readonly sst: readonly string[],
  ) {}

  get rowCount(): number {
    return this.read().length;
  }

  rows(): Iterable<CellValue[]> {
    return this.read();
  }

  private read(): CellValue[][] {
    if (this.cached) return this.cached;
    const s = this.s;
    if (this.offset + 4 > s.bytes.length || s.u16(this.offset) !== REC.BOF) s.fail(`sheet "${this.name}" does not start with a BOF record`);
    const rows: CellValue[][] = [];
    const put = (row: number, col: number, value: CellValue) => {
      // BIFF8 has 16-bit row and column fields; Excel uses 256 columns, later writers more, never > XFD.
      if (col >= MAX_COLUMNS) s.fail(`sheet "${this.name}" has a cell beyond column XFD`);
      while (rows.length <= row) rows.push([]);
      const cells = rows[row];
      while (cells.length < col) cells.push(null);
      cells[col] = value;
    };
    const records = substream(s, this.offset);
    // A FORMULA with a string result is followed by a STRING record holding the text.
    let pendingString: { row: number; col: number } | undefined;
    for (let k = 0; k < records.length; k++) {
      const r = records[k];
      const p = r.start;
      switch (r.type) {
        case REC.LABELSST: {
          s.need(r, p, 10);
          const index = s.u32(p + 6);
          if (index >= this.sst.length) s.fail(`sheet "${this.name}" refers to shared string ${index}, but there are ${this.sst.length}`);
          put(s.u16(p), s.u16(p + 2), this.sst[index]);
          break;
        }
        case REC.NUMBER:
          s.need(r, p, 14);
          put(s.u16(p), s.u16(p + 2), s.f64(p + 6));
          break;
        case REC.RK:
          s.need(r, p, 10);
          put(s.u16(p), s.u16(p + 2), decodeRk(s.u32(p + 6)));
          break;
        case REC.MULRK: {
          s.need(r, p, 6);
          const row = s.u16(p);
          const first = s.u16(p + 2);
          const count = (r.end - p - 6) / 6;
          if (!Number.isInteger(count)) s.fail(`a MULRK record in sheet "${this.name}" has a bad length`);
          for (let c = 0; c < count; c++) put(row, first + c, decodeRk(s.u32(p + 4 + c * 6 + 2)));
          break;
        }
        case REC.LABEL:
        case REC.RSTRING: {
          s.need(r, p, 9);
          const reader = new SegmentedReader(s, [{ type: r.type, start: p + 6, end: r.end }]);
          const count = reader.u16();
          const flags = reader.u8();
          put(s.u16(p), s.u16(p + 2), reader.chars(count, (flags & 1) === 1));
          break;
        }
        case REC.BOOLERR: {
          s.need(r, p, 8);
          const value = s.u8(p + 6);
          const isError = s.u8(p + 7) === 1;
          put(s.u16(p), s.u16(p + 2), isError ? (ERROR_TEXT[value] ?? '#ERROR') : value !== 0);
          break;
        }
        case REC.FORMULA: {
          s.need(r, p, 14);
          const row = s.u16(p);
          const col = s.u16(p + 2);
          // The cached result: a double, unless its top two bytes are 0xFFFF (then byte 0 says the type).
          if (s.u16(p + 12) !== 0xffff) put(row, col, s.f64(p + 6));
          else {
            const kind = s.u8(p + 6);
            if (kind === 0) pendingString = { row, col };
            else if (kind === 1) put(row, col, s.u8(p + 8) !== 0);
            else if (kind === 2) put(row, col, ERROR_TEXT[s.u8(p + 8)] ?? '#ERROR');
            else if (kind === 3) put(row, col, '');
          }
          break;
        }
        case REC.STRING: {
          if (!pendingString) break;
          const reader = new SegmentedReader(s, withContinues(records, k));
          const count = reader.u16();
          const flags = reader.u8();
          put(pendingString.row, pendingString.col, reader.chars(count, (flags & 1) === 1));
          pendingString = undefined;
          break;
        }
        default:
          break;
      }
    }
    this.cached = rows;
    return rows;
  }
}

function readSst(s: BiffStream, segments: readonly BiffRecord[]): string[] {
  const reader = new SegmentedReader(s, segments);
  reader.u32(); // total references
  const unique = reader.u32();
  const strings: string[] = [];
  // The count is checked against what the records hold: a corrupt count must not loop for long.
  for (let k = 0; k < unique; k++) {
    if (reader.pos >= segments[segments.length - 1].end) break;
    strings.push(reader.unicodeString());
  }
  return strings;
}

/** The stream bytes of a cfb entry (a Buffer in Node, a number[] in browsers). */
function entryBytes(entry: CFB.CFB$Entry): Uint8Array | undefined {
  const c = entry.content as CFB.CFB$Entry['content'] | undefined;
  if (c instanceof Uint8Array) return c;
  return Array.isArray(c) ? Uint8Array.from(c) : undefined;
}

/**
 * Reads an .xls (BIFF8) workbook. Sheets are decoded when first read. Throws ImportError:
 * 'unsupported-format' for a file that is not OLE2, an OLE2 file without a workbook stream, BIFF5 or
 * older, or an encrypted workbook; 'read-failed' for damaged containers or records.
 */
export function readXls(bytes: Uint8Array, fileName: string): Workbook {
  if (!isOle2(bytes)) throw new ImportError('unsupported-format', fileName, 'not an .xls workbook (no OLE2 compound-file signature).');
  let entry: CFB.CFB$Entry | null;
  try {
    const container = CFB.parse(bytes);
    entry = CFB.find(container, 'Workbook') ?? CFB.find(container, 'Book');
  } catch (error) {
    throw new ImportError(
      'read-failed',
      fileName,
      `the OLE2 container is damaged (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  if (!entry) throw new ImportError('unsupported-format', fileName, 'OLE2 file without a Workbook stream: not an Excel workbook.');
  if (entry.name.toLowerCase() === 'book')
    throw new ImportError(
      'unsupported-format',
      fileName,
      'Excel 5.0/95 workbook (BIFF5) is not supported: save it as .xlsx or as Excel 97–2003 .xls.',
    );
  const stream = entryBytes(entry);
  if (!stream) throw new ImportError('read-failed', fileName, 'the OLE2 container is damaged (unreadable Workbook stream).');
  const s = new BiffStream(stream, fileName);
  const globals = substream(s, 0);
  const bof = globals[0];
  if (!bof || bof.type !== REC.BOF) s.fail('the workbook stream does not start with a BOF record');
  s.need(bof, bof.start, 2);
  if (s.u16(bof.start) !== BIFF8_VERSION)
    throw new ImportError(
      'unsupported-format',
      fileName,
      `BIFF version 0x${s.u16(bof.start).toString(16)} is not supported (only Excel 97–2003 BIFF8).`,
    );

  const sheetsInfo: { name: string; offset: number }[] = [];
  let sst: string[] = [];
  for (let k = 0; k < globals.length; k++) {
    const r = globals[k];
    if (r.type === REC.FILEPASS) throw new ImportError('unsupported-format', fileName, 'the workbook is encrypted (password-protected).');
    if (r.type === REC.BOUNDSHEET) {
      s.need(r, r.start, 8);
      const offset = s.u32(r.start);
      const type = s.u8(r.start + 5);
      const reader = new SegmentedReader(s, [{ type: r.type, start: r.start + 6, end: r.end }]);
      const count = reader.u8();
      const flags = reader.u8();
      const name = reader.chars(count, (flags & 1) === 1);
      if (type === SHEET_TYPE_WORKSHEET) sheetsInfo.push({ name, offset });
    } else if (r.type === REC.SST) sst = readSst(s, withContinues(globals, k));
  }
  const sheets = new Map<string, XlsSheet>();
  for (const info of sheetsInfo) sheets.set(info.name, new XlsSheet(info.name, s, info.offset, sst));
  return { sheetNames: sheetsInfo.map((i) => i.name), sheet: (name) => sheets.get(name) };
}
