/**
 * Reads Office Open XML workbooks (.xlsx: a ZIP of XML parts) into the format-neutral {@link Workbook}.
 *
 * Pipeline: ZIP central directory -> `_rels/.rels` -> workbook part + its rels (sheet names, order, parts)
 * -> shared strings (streamed) -> per sheet, on demand: member inflated in chunks -> byte-level tag
 * scanner -> dense rows.
 *
 * Why not a DOM, and why streamed: a NEWARE record sheet at Excel's 1,048,576-row limit is ~1 GB of XML,
 * more than a JavaScript string can hold. The sheet is inflated in chunks (fflate's streaming `Inflate`)
 * and scanned as bytes; only the rows being iterated are alive. The sheet's `<dimension>` is ignored:
 * BTSDA writes `A1` for a sheet of thousands of rows.
 *
 * The ZIP directory is read here rather than with fflate's `unzipSync`, because `unzipSync` inflates a
 * whole member at once; the central directory gives each member's offset so one member can be streamed.
 * Inflating itself is fflate's.
 */
import { Inflate, inflateSync } from 'fflate';
import { ImportError } from '../import-error';
import type { CellValue, Workbook, WorkbookSheet } from './workbook';

/** Compressed bytes handed to the inflater per step while streaming a member. */
const STREAM_CHUNK_BYTES = 1 << 18;
/** Excel's sheet limits; cell references beyond them are corrupt input, not data. */
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;
/** A tag or text run longer than this without a closing '<'/'>' means the XML is garbage. */
const MAX_CARRY_BYTES = 64 << 20;

const UTF8 = new TextDecoder('utf-8');

// ---------------------------------------------------------------------------------------------------
// ZIP

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

/** A ZIP archive's directory, with members read whole or streamed in inflated chunks. */
export interface ZipArchive {
  /** Member names in central-directory order. */
  readonly names: readonly string[];
  /** The entry of that name, matched case-insensitively (some writers capitalise part names). */
  entry(name: string): ZipEntry | undefined;
  /** The whole inflated member. */
  read(name: string): Uint8Array;
  /** The inflated member in chunks, without holding it whole. */
  stream(name: string): Iterable<Uint8Array>;
}

function u16(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8);
}

function u32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

function u64(b: Uint8Array, p: number): number {
  return u32(b, p) + u32(b, p + 4) * 0x1_0000_0000;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;

/** True when the bytes start like a ZIP archive (a local file header). */
export function isZip(head: Uint8Array): boolean {
  return head.length >= 4 && u32(head, 0) === SIG_LOCAL;
}

/**
 * Opens a ZIP archive by its central directory (ZIP64 included). Throws ImportError('read-failed') for
 * a truncated or corrupt directory and 'unsupported-format' for encrypted members or unknown methods.
 */
export function openZip(bytes: Uint8Array, fileName: string): ZipArchive {
  const fail = (problem: string): never => {
    throw new ImportError('read-failed', fileName, `ZIP archive is damaged: ${problem}.`);
  };
  let eocd = -1;
  for (let p = bytes.length - 22; p >= 0 && p >= bytes.length - 22 - 0xffff; p--) {
    if (u32(bytes, p) === SIG_EOCD) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) fail('no end-of-central-directory record (the file is truncated or not a ZIP)');
  let count = u16(bytes, eocd + 10);
  let cdOffset = u32(bytes, eocd + 16);
  if ((count === 0xffff || cdOffset === 0xffffffff) && eocd >= 20 && u32(bytes, eocd - 20) === SIG_ZIP64_LOCATOR) {
    const z64 = u64(bytes, eocd - 20 + 8);
    if (z64 + 56 > bytes.length || u32(bytes, z64) !== SIG_ZIP64_EOCD) fail('bad ZIP64 directory record');
    count = u64(bytes, z64 + 32);
    cdOffset = u64(bytes, z64 + 48);
  }
  const entries: ZipEntry[] = [];
  const byName = new Map<string, ZipEntry>();
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || u32(bytes, p) !== SIG_CENTRAL) fail(`central directory entry ${k + 1} is missing`);
    const flags = u16(bytes, p + 8);
    const method = u16(bytes, p + 10);
    let compressedSize = u32(bytes, p + 20);
    let size = u32(bytes, p + 24);
    const nameLength = u16(bytes, p + 28);
    const extraLength = u16(bytes, p + 30);
    const commentLength = u16(bytes, p + 32);
    let localHeaderOffset = u32(bytes, p + 42);
    if (p + 46 + nameLength + extraLength > bytes.length) fail(`central directory entry ${k + 1} is cut short`);
    const name = UTF8.decode(bytes.subarray(p + 46, p + 46 + nameLength));
    // ZIP64 extra field: the 64-bit values of exactly those fields that hold 0xFFFFFFFF, in this order.
    let x = p + 46 + nameLength;
    const xEnd = x + extraLength;
    while (x + 4 <= xEnd) {
      const id = u16(bytes, x);
      const len = u16(bytes, x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        if (size === 0xffffffff && q + 8 <= x + 4 + len) {
          size = u64(bytes, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff && q + 8 <= x + 4 + len) {
          compressedSize = u64(bytes, q);
          q += 8;
        }
        if (localHeaderOffset === 0xffffffff && q + 8 <= x + 4 + len) localHeaderOffset = u64(bytes, q);
      }
      x += 4 + len;
    }
    const entry: ZipEntry = { name, method, flags, compressedSize, size, localHeaderOffset };
    entries.push(entry);
    byName.set(name.toLowerCase(), entry);
    p += 46 + nameLength + extraLength + commentLength;
  }

  const dataOf = (entry: ZipEntry): Uint8Array => {
    if (entry.flags & 1) throw new ImportError('unsupported-format', fileName, `ZIP member ${entry.name} is encrypted.`);
    if (entry.method !== 0 && entry.method !== 8)
      throw new ImportError(
        'unsupported-format',
        fileName,
        `ZIP member ${entry.name} uses compression method ${entry.method} (only stored and deflate are read).`,
      );
    const h = entry.localHeaderOffset;
    if (h + 30 > bytes.length || u32(bytes, h) !== SIG_LOCAL) fail(`local header of ${entry.name} is missing`);
    const start = h + 30 + u16(bytes, h + 26) + u16(bytes, h + 28);
    const end = start + entry.compressedSize;
    if (end > bytes.length) fail(`member ${entry.name} is cut short`);
    return bytes.subarray(start, end);
  };
  const find = (name: string): ZipEntry => {
    const entry = byName.get(name.toLowerCase());
    if (!entry) throw new ImportError('read-failed', fileName, `ZIP member ${name} is missing.`);
    return entry;
  };

  return {
    names: entries.map((e) => e.name),
    entry: (name) => byName.get(name.toLowerCase()),
    read(name) {
      const entry = find(name);
      const data = dataOf(entry);
      if (entry.method === 0) return data;
      // DEFLATE expands at most ~1032:1; a larger declared size is a corrupt directory, not a part.
      if (entry.size > data.length * 1032 + 1024) fail(`member ${entry.name} declares an impossible size`);
      try {
        return inflateSync(data, { out: new Uint8Array(entry.size) });
      } catch {
        return fail(`member ${entry.name} does not inflate`);
      }
    },
    *stream(name) {
      const entry = find(name);
      const data = dataOf(entry);
      if (entry.method === 0) {
        for (let q = 0; q < data.length; q += STREAM_CHUNK_BYTES) yield data.subarray(q, q + STREAM_CHUNK_BYTES);
        return;
      }
      const out: Uint8Array[] = [];
      const inflater = new Inflate((chunk) => void out.push(chunk));
      for (let q = 0; q < data.length || q === 0; q += STREAM_CHUNK_BYTES) {
        const isLast = q + STREAM_CHUNK_BYTES >= data.length;
        try {
          inflater.push(data.subarray(q, q + STREAM_CHUNK_BYTES), isLast);
        } catch {
          fail(`member ${entry.name} does not inflate`);
        }
        for (const chunk of out) yield chunk;
        out.length = 0;
        if (isLast) break;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// XML scanning over bytes

const LT = 60; // <
const GT = 62; // >
const SLASH = 47;
const QUESTION = 63;
const BANG = 33;
const COLON = 58;
const EQUALS = 61;

/** Tags the scanners care about; everything else is OTHER and skipped. */
const enum Tag {
  Other,
  Row,
  C,
  V,
  Is,
  T,
  R,
  RPh,
  Si,
  SheetData,
}

/** Identifies a tag from its local name's bytes (namespace prefix stripped) without allocating a string. */
function tagOf(b: Uint8Array, s: number, e: number): Tag {
  const n = e - s;
  const c0 = b[s];
  if (n === 1) {
    if (c0 === 0x63) return Tag.C; // c
    if (c0 === 0x76) return Tag.V; // v
    if (c0 === 0x74) return Tag.T; // t
    if (c0 === 0x72) return Tag.R; // r
    return Tag.Other;
  }
  if (n === 2) {
    if (c0 === 0x69 && b[s + 1] === 0x73) return Tag.Is; // is
    if (c0 === 0x73 && b[s + 1] === 0x69) return Tag.Si; // si
    return Tag.Other;
  }
  if (n === 3) {
    if (c0 === 0x72 && b[s + 1] === 0x6f && b[s + 2] === 0x77) return Tag.Row; // row
    if (c0 === 0x72 && b[s + 1] === 0x50 && b[s + 2] === 0x68) return Tag.RPh; // rPh
    return Tag.Other;
  }
  if (n === 9 && c0 === 0x73 && b[s + 5] === 0x44 && asciiEquals(b, s, 'sheetData')) return Tag.SheetData;
  return Tag.Other;
}

function asciiEquals(b: Uint8Array, s: number, text: string): boolean {
  for (let k = 0; k < text.length; k++) if (b[s + k] !== text.charCodeAt(k)) return false;
  return true;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Visits attributes of a tag in b[s, e): calls `visit(nameStart, nameEnd, valueStart, valueEnd)`. */
function forEachAttribute(b: Uint8Array, s: number, e: number, visit: (ns: number, ne: number, vs: number, ve: number) => void): void {
  let p = s;
  while (p < e) {
    while (p < e && isSpace(b[p])) p++;
    const ns = p;
    while (p < e && b[p] !== EQUALS && !isSpace(b[p]) && b[p] !== SLASH) p++;
    const ne = p;
    while (p < e && isSpace(b[p])) p++;
    if (p >= e || b[p] !== EQUALS) {
      p++;
      continue;
    }
    p++;
    while (p < e && isSpace(b[p])) p++;
    const quote = b[p];
    if (quote !== 0x22 && quote !== 0x27) return;
    const vs = p + 1;
    let ve = vs;
    while (ve < e && b[ve] !== quote) ve++;
    visit(ns, ne, vs, ve);
    p = ve + 1;
  }
}

function latin1(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let k = s; k < e; k++) out += String.fromCharCode(b[k]);
  return out;
}

/** Unescapes XML entities and OOXML's `_xHHHH_` escapes (used for control characters). */
export function unescapeXmlText(raw: string): string {
  let s = raw;
  if (s.includes('&')) {
    s = s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (match, e: string) => {
      switch (e) {
        case 'amp':
          return '&';
        case 'lt':
          return '<';
        case 'gt':
          return '>';
        case 'quot':
          return '"';
        case 'apos':
          return "'";
      }
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    });
  }
  if (s.includes('_x')) s = s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return s;
}

/**
 * Receives the tags of an XML byte stream in chunks. A tag (or the text after a text-bearing open tag)
 * split between chunks is carried to the next chunk, so handlers always see complete pieces.
 */
abstract class XmlByteScanner {
  private carry: Uint8Array = new Uint8Array(0);

  constructor(
    protected readonly fileName: string,
    protected readonly partName: string,
  ) {}

  /** An open (or self-closing) tag; attributes in b[as, ae). Return true when its text is wanted. */
  protected abstract onOpen(tag: Tag, b: Uint8Array, as: number, ae: number, isSelfClosing: boolean): boolean;
  protected abstract onClose(tag: Tag): void;
  /** Text content after an open tag that asked for it, up to the next '<' (raw, still escaped). */
  protected abstract onText(b: Uint8Array, s: number, e: number): void;

  push(chunk: Uint8Array): void {
    let b = chunk;
    if (this.carry.length > 0) {
      b = new Uint8Array(this.carry.length + chunk.length);
      b.set(this.carry);
      b.set(chunk, this.carry.length);
    }
    const keepFrom = this.scan(b);
    if (keepFrom < 0) this.carry = new Uint8Array(0);
    else {
      if (b.length - keepFrom > MAX_CARRY_BYTES)
        throw new ImportError('read-failed', this.fileName, `${this.partName} is not well-formed XML.`);
      this.carry = b.slice(keepFrom);
    }
  }

  /** Call after the last chunk: an unfinished tag means the part was cut short. */
  end(): void {
    let p = 0;
    while (p < this.carry.length && isSpace(this.carry[p])) p++;
    if (p < this.carry.length)
      throw new ImportError('read-failed', this.fileName, `${this.partName} ends in the middle of a tag (truncated?).`);
  }

  /** Scans b; returns where to resume with the next chunk, or -1 when everything was consumed. */
  private scan(b: Uint8Array): number {
    let pos = 0;
    const n = b.length;
    for (;;) {
      const lt = b.indexOf(LT, pos);
      if (lt < 0) return -1;
      if (lt + 1 >= n) return lt;
      const c1 = b[lt + 1];
      if (c1 === BANG || c1 === QUESTION) {
        // Comment, CDATA-less declaration or processing instruction: skip to its end.
        const isComment = c1 === BANG && b[lt + 2] === 0x2d && b[lt + 3] === 0x2d;
        let end: number;
        if (isComment) {
          end = lt + 4;
          for (;;) {
            end = b.indexOf(GT, end);
            if (end < 0 || (b[end - 1] === 0x2d && b[end - 2] === 0x2d)) break;
            end++;
          }
        } else end = b.indexOf(GT, lt);
        if (end < 0) return lt;
        pos = end + 1;
        continue;
      }
      const gt = b.indexOf(GT, lt);
      if (gt < 0) return lt;
      const isClose = c1 === SLASH;
      let ns = isClose ? lt + 2 : lt + 1;
      let ne = ns;
      while (ne < gt && !isSpace(b[ne]) && b[ne] !== SLASH) {
        if (b[ne] === COLON) ns = ne + 1;
        ne++;
      }
      const tag = tagOf(b, ns, ne);
      if (isClose) {
        if (tag !== Tag.Other) this.onClose(tag);
        pos = gt + 1;
        continue;
      }
      const isSelfClosing = b[gt - 1] === SLASH;
      if (tag === Tag.Other) {
        pos = gt + 1;
        continue;
      }
      if (!isSelfClosing && (tag === Tag.V || tag === Tag.T)) {
        // Text-bearing tag: it is processed only together with its text, so a split leaves no state behind.
        const textEnd = b.indexOf(LT, gt + 1);
        if (textEnd < 0) return lt;
        if (this.onOpen(tag, b, ne, gt, false)) this.onText(b, gt + 1, textEnd);
        pos = textEnd;
        continue;
      }
      this.onOpen(tag, b, ne, isSelfClosing ? gt - 1 : gt, isSelfClosing);
      if (isSelfClosing) this.onClose(tag);
      pos = gt + 1;
    }
  }
}

/** Reads the shared-string table: one string per `<si>`, its `<t>` runs joined, phonetic runs left out. */
class SharedStringScanner extends XmlByteScanner {
  readonly strings: string[] = [];
  private parts: string[] | undefined;
  private inPhonetic = 0;

  protected onOpen(tag: Tag): boolean {
    if (tag === Tag.Si) this.parts = [];
    else if (tag === Tag.RPh) this.inPhonetic++;
    else if (tag === Tag.T) return this.parts !== undefined && this.inPhonetic === 0;
    return false;
  }

  protected onClose(tag: Tag): void {
    if (tag === Tag.Si && this.parts) {
      this.strings.push(this.parts.length === 1 ? this.parts[0] : this.parts.join(''));
      this.parts = undefined;
    } else if (tag === Tag.RPh) this.inPhonetic = Math.max(0, this.inPhonetic - 1);
  }

  protected onText(b: Uint8Array, s: number, e: number): void {
    this.parts?.push(unescapeXmlText(UTF8.decode(b.subarray(s, e))));
  }
}

/** One row as scanned: its 0-based index and dense cells from column A. */
interface ScannedRow {
  index: number;
  cells: CellValue[];
}

const enum CellKind {
  Number,
  Shared,
  String,
  Inline,
  Boolean,
  Error,
}

/** Scans `<sheetData>`: rows with their cells, references with gaps, values by cell type. */
class SheetScanner extends XmlByteScanner {
  /** Completed rows not yet taken by the reader. */
  readonly ready: ScannedRow[] = [];
  lastRowIndex = -1;
  private row: ScannedRow | undefined;
  private column = -1;
  private kind = CellKind.Number;
  private inCell = false;
  private inInline = false;
  private inPhonetic = 0;
  private raw: string | undefined;
  /** The `<v>` number when the fast byte parser read it (then `raw` is unset). */
  private numeric = 0;
  private hasNumeric = false;
  private inlineParts: string[] = [];

  constructor(
    fileName: string,
    partName: string,
    private readonly sharedStrings: readonly string[],
    private readonly isCountingOnly: boolean,
  ) {
    super(fileName, partName);
  }

  private corrupt(problem: string): never {
    throw new ImportError('read-failed', this.fileName, `${this.partName}: ${problem}.`);
  }

  protected onOpen(tag: Tag, b: Uint8Array, as: number, ae: number, isSelfClosing: boolean): boolean {
    switch (tag) {
      case Tag.Row: {
        let index = this.lastRowIndex + 1;
        forEachAttribute(b, as, ae, (ns, ne, vs, ve) => {
          if (ne - ns === 1 && b[ns] === 0x72) {
            const r = Number(latin1(b, vs, ve));
            if (!Number.isInteger(r) || r < 1 || r > MAX_ROWS) this.corrupt(`row number "${latin1(b, vs, ve)}" is invalid`);
            index = r - 1;
          }
        });
        // Rows out of order are appended where they are met: the reader yields rows in file order.
        if (index <= this.lastRowIndex) index = this.lastRowIndex + 1;
        if (index >= MAX_ROWS) this.corrupt('more rows than Excel allows');
        this.lastRowIndex = index;
        this.column = -1;
        this.row = isSelfClosing ? undefined : { index, cells: [] };
        return false;
      }
      case Tag.C: {
        this.readCellAttributes(b, as, ae);
        if (this.column >= MAX_COLUMNS) this.corrupt(`cell ${this.cellRef()} is beyond column XFD`);
        this.raw = undefined;
        this.hasNumeric = false;
        this.inlineParts.length = 0;
        this.inCell = !isSelfClosing;
        return false;
      }
      case Tag.V:
        return this.inCell && !this.isCountingOnly;
      case Tag.Is:
        this.inInline = this.inCell;
        return false;
      case Tag.RPh:
        this.inPhonetic++;
        return false;
      case Tag.T:
        return this.inInline && this.inPhonetic === 0 && !this.isCountingOnly;
      default:
        return false;
    }
  }

  /**
   * The `r` (reference) and `t` (type) attributes of a `<c>` tag, read in place: this runs once per cell,
   * so it avoids the callback of {@link forEachAttribute}. A cell without `r` follows the previous one.
   */
  private readCellAttributes(b: Uint8Array, s: number, e: number): void {
    let column = this.column + 1;
    this.kind = CellKind.Number;
    let p = s;
    while (p < e) {
      while (p < e && isSpace(b[p])) p++;
      const ns = p;
      while (p < e && b[p] !== EQUALS && !isSpace(b[p])) p++;
      const isOneLetter = p - ns === 1;
      const name = b[ns];
      while (p < e && b[p] !== 0x22 && b[p] !== 0x27) p++;
      const quote = b[p];
      const vs = ++p;
      while (p < e && b[p] !== quote) p++;
      const ve = p++;
      if (!isOneLetter) continue;
      if (name === 0x72) {
        // r="AB12": the letters give the column; the row comes from <row>.
        let col = 0;
        let q = vs;
        while (q < ve && b[q] >= 0x41 && b[q] <= 0x5a) col = col * 26 + (b[q++] - 0x40);
        if (col > 0) column = col - 1;
      } else if (name === 0x74) this.kind = cellKindOf(b, vs, ve);
    }
    this.column = column;
  }

  private cellRef(): string {
    let n = this.column + 1;
    let letters = '';
    while (n > 0) {
      letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
      n = Math.floor((n - 1) / 26);
    }
    return `${letters}${(this.row?.index ?? this.lastRowIndex) + 1}`;
  }

  protected onText(b: Uint8Array, s: number, e: number): void {
    if (this.inInline) this.inlineParts.push(unescapeXmlText(UTF8.decode(b.subarray(s, e))));
    else if (this.kind === CellKind.Number || this.kind === CellKind.Shared) {
      const v = fastDecimal(b, s, e);
      if (v === v) {
        this.numeric = v;
        this.hasNumeric = true;
      } else this.raw = latin1(b, s, e);
    } else if (this.kind === CellKind.Boolean) this.raw = latin1(b, s, e);
    else this.raw = unescapeXmlText(UTF8.decode(b.subarray(s, e)));
  }

  protected onClose(tag: Tag): void {
    switch (tag) {
      case Tag.C:
        if (this.inCell && this.row && !this.isCountingOnly) this.storeCell(this.row);
        this.inCell = false;
        return;
      case Tag.Is:
        this.inInline = false;
        return;
      case Tag.RPh:
        this.inPhonetic = Math.max(0, this.inPhonetic - 1);
        return;
      case Tag.Row:
        if (this.row) this.ready.push(this.row);
        this.row = undefined;
        return;
      default:
        return;
    }
  }

  private storeCell(row: ScannedRow): void {
    const value = this.cellValue();
    if (value === null) return;
    const cells = row.cells;
    while (cells.length < this.column) cells.push(null);
    cells[this.column] = value;
  }

  private cellValue(): CellValue {
    const raw = this.raw;
    switch (this.kind) {
      case CellKind.Inline:
        return this.inlineParts.length === 0 ? (raw ?? null) : this.inlineParts.join('');
      case CellKind.Shared: {
        if (raw === undefined && !this.hasNumeric) return null;
        const k = this.hasNumeric ? this.numeric : Number(raw);
        const text = Number.isInteger(k) ? this.sharedStrings[k] : undefined;
        if (text === undefined)
          this.corrupt(`cell ${this.cellRef()} refers to shared string ${raw ?? k}, but there are ${this.sharedStrings.length}`);
        return text;
      }
      case CellKind.Boolean:
        return raw === undefined ? null : raw.trim() === '1' || raw.trim() === 'true';
      case CellKind.String:
      case CellKind.Error:
        return raw ?? null;
      case CellKind.Number: {
        if (this.hasNumeric) return this.numeric;
        if (raw === undefined || raw.trim() === '') return null;
        const v = Number(raw);
        return Number.isNaN(v) ? raw : v;
      }
    }
  }
}

/** Exact powers of ten for the fast decimal path (10^22 is the largest exactly representable). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * A plain decimal (`-12.5`, `1.0E-3`) read straight from the bytes, or NaN when it is not one the fast
 * path reads exactly. Clinger's fast path: with at most 15 significant digits the integer mantissa is
 * exact, and one multiplication or division by an exact power of ten (≤ 10^22) is correctly rounded,
 * so the result equals `Number(text)`. Everything else falls back to `Number`.
 */
function fastDecimal(b: Uint8Array, s: number, e: number): number {
  let p = s;
  const isNegative = p < e && b[p] === 0x2d;
  if (isNegative) p++;
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let hasDigit = false;
  while (p < e && b[p] >= 0x30 && b[p] <= 0x39) {
    if (digits > 0 || b[p] !== 0x30) digits++;
    mantissa = mantissa * 10 + (b[p++] - 0x30);
    hasDigit = true;
  }
  if (p < e && b[p] === 0x2e) {
    p++;
    while (p < e && b[p] >= 0x30 && b[p] <= 0x39) {
      if (digits > 0 || b[p] !== 0x30) digits++;
      mantissa = mantissa * 10 + (b[p++] - 0x30);
      fraction++;
      hasDigit = true;
    }
  }
  if (!hasDigit || digits > 15) return NaN;
  let exponent = -fraction;
  if (p < e && (b[p] === 0x45 || b[p] === 0x65)) {
    p++;
    const isNegativeExponent = p < e && b[p] === 0x2d;
    if (p < e && (b[p] === 0x2d || b[p] === 0x2b)) p++;
    let value = 0;
    let count = 0;
    while (p < e && b[p] >= 0x30 && b[p] <= 0x39 && count < 5) {
      value = value * 10 + (b[p++] - 0x30);
      count++;
    }
    if (count === 0) return NaN;
    exponent += isNegativeExponent ? -value : value;
  }
  if (p !== e) return NaN;
  let v: number;
  if (exponent === 0) v = mantissa;
  else if (exponent > 0 && exponent <= 22) v = mantissa * POW10[exponent];
  else if (exponent < 0 && exponent >= -22) v = mantissa / POW10[-exponent];
  else return NaN;
  return isNegative ? -v : v;
}

/** The `t` attribute: s (shared), str (formula text), inlineStr, b, e, d (ISO date, kept as text), n. */
function cellKindOf(b: Uint8Array, s: number, e: number): CellKind {
  const n = e - s;
  const c = b[s];
  if (n === 1) {
    if (c === 0x73) return CellKind.Shared;
    if (c === 0x62) return CellKind.Boolean;
    if (c === 0x65) return CellKind.Error;
    if (c === 0x64) return CellKind.String;
    return CellKind.Number;
  }
  if (n === 3 && c === 0x73) return CellKind.String; // str
  if (n === 9 && c === 0x69) return CellKind.Inline; // inlineStr
  return CellKind.Number;
}

/**
 * Scans sheet XML given in arbitrary chunks into dense rows (gaps as empty arrays). The sheets of
 * {@link readXlsx} stream through the same scanner; this entry exists for callers holding sheet XML
 * and for tests of chunk boundaries.
 */
export function scanSheetXml(
  chunks: Iterable<Uint8Array>,
  sharedStrings: readonly string[],
  fileName: string,
  partName = 'sheet',
): CellValue[][] {
  const scanner = new SheetScanner(fileName, partName, sharedStrings, false);
  const rows: CellValue[][] = [];
  for (const chunk of chunks) {
    scanner.push(chunk);
    for (const row of scanner.ready) {
      while (rows.length < row.index) rows.push([]);
      rows.push(row.cells);
    }
    scanner.ready.length = 0;
  }
  scanner.end();
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// Workbook structure

interface Relationship {
  readonly type: string;
  readonly target: string;
}

function attributesOf(tagText: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  for (let m = re.exec(tagText); m; m = re.exec(tagText)) out.set(m[1], unescapeXmlText(m[3] ?? m[4] ?? ''));
  return out;
}

/** Open tags of a (small) XML part with the given local name, as attribute maps. */
function elements(xml: string, localName: string): Map<string, string>[] {
  const re = new RegExp(`<(?:[\\w.-]+:)?${localName}\\b([^>]*)>`, 'g');
  const out: Map<string, string>[] = [];
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(attributesOf(m[1]));
  return out;
}

function attributeByLocalName(attrs: Map<string, string>, localName: string): string | undefined {
  for (const [k, v] of attrs) if (k === localName || k.endsWith(`:${localName}`)) return v;
  return undefined;
}

/** Resolves a relationship target against the directory of the part that owns the rels. */
function resolvePart(baseDir: string, target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : baseDir + target;
  const parts: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

function relsPathOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

function readRels(zip: ZipArchive, part: string, fileName: string): Map<string, Relationship> {
  const rels = new Map<string, Relationship>();
  const path = relsPathOf(part);
  if (!zip.entry(path)) return rels;
  const xml = decodeXml(zip.read(path), fileName);
  const dir = part.slice(0, part.lastIndexOf('/') + 1);
  for (const a of elements(xml, 'Relationship')) {
    const id = a.get('Id');
    const target = a.get('Target');
    if (id === undefined || target === undefined || a.get('TargetMode') === 'External') continue;
    rels.set(id, { type: a.get('Type') ?? '', target: resolvePart(dir, target) });
  }
  return rels;
}

function decodeXml(bytes: Uint8Array, fileName: string): string {
  try {
    // A BOM before `<?xml` occurs in BTSDA exports; TextDecoder drops it.
    return UTF8.decode(bytes);
  } catch {
    throw new ImportError('read-failed', fileName, 'an XML part is not valid text.');
  }
}

class XlsxSheet implements WorkbookSheet {
  private counted: number | undefined;

  constructor(
    readonly name: string,
    private readonly zip: ZipArchive,
    private readonly part: string,
    private readonly sharedStrings: () => readonly string[],
    private readonly fileName: string,
  ) {}

  get rowCount(): number {
    if (this.counted === undefined) {
      const scanner = new SheetScanner(this.fileName, this.label(), [], true);
      let last = -1;
      for (const chunk of this.zip.stream(this.part)) {
        scanner.push(chunk);
        for (const row of scanner.ready) last = row.index;
        scanner.ready.length = 0;
      }
      scanner.end();
      this.counted = last + 1;
    }
    return this.counted;
  }

  private label(): string {
    return `sheet "${this.name}" (${this.part})`;
  }

  *rows(): Iterable<CellValue[]> {
    const scanner = new SheetScanner(this.fileName, this.label(), this.sharedStrings(), false);
    let next = 0;
    for (const chunk of this.zip.stream(this.part)) {
      scanner.push(chunk);
      for (const row of scanner.ready) {
        for (; next < row.index; next++) yield [];
        yield row.cells;
        next++;
      }
      scanner.ready.length = 0;
    }
    scanner.end();
    this.counted = next;
  }
}

/**
 * Reads an .xlsx workbook's structure; sheets are read when iterated. Throws ImportError:
 * 'unsupported-format' when the bytes are not a ZIP or not a spreadsheet package, 'read-failed' when
 * the package is damaged (truncated ZIP, missing parts, bad XML, string references out of range).
 */
export function readXlsx(bytes: Uint8Array, fileName: string): Workbook {
  if (!isZip(bytes)) throw new ImportError('unsupported-format', fileName, 'not an .xlsx workbook (no ZIP signature at the start).');
  const zip = openZip(bytes, fileName);
  // _rels/.rels names the workbook part; xl/workbook.xml is the usual one.
  const rootRels = readRels(zip, '', fileName);
  let workbookPart = 'xl/workbook.xml';
  for (const rel of rootRels.values()) if (rel.type.endsWith('/officeDocument')) workbookPart = rel.target;
  if (!zip.entry(workbookPart)) {
    throw new ImportError(
      'unsupported-format',
      fileName,
      `ZIP archive without ${workbookPart}: not an Excel workbook (members: ${zip.names.slice(0, 5).join(', ')}…).`,
    );
  }
  const workbookXml = decodeXml(zip.read(workbookPart), fileName);
  const rels = readRels(zip, workbookPart, fileName);
  const workbookDir = workbookPart.slice(0, workbookPart.lastIndexOf('/') + 1);

  let sharedStringsPart: string | undefined;
  for (const rel of rels.values()) if (rel.type.endsWith('/sharedStrings')) sharedStringsPart = rel.target;
  if (sharedStringsPart === undefined && zip.entry(`${workbookDir}sharedStrings.xml`))
    sharedStringsPart = `${workbookDir}sharedStrings.xml`;
  let sharedStrings: readonly string[] | undefined;
  const loadSharedStrings = (): readonly string[] => {
    if (sharedStrings) return sharedStrings;
    if (sharedStringsPart === undefined || !zip.entry(sharedStringsPart)) return (sharedStrings = []);
    const scanner = new SharedStringScanner(fileName, sharedStringsPart);
    for (const chunk of zip.stream(sharedStringsPart)) scanner.push(chunk);
    scanner.end();
    return (sharedStrings = scanner.strings);
  };

  const sheets = new Map<string, XlsxSheet>();
  const names: string[] = [];
  for (const a of elements(workbookXml, 'sheet')) {
    const name = a.get('name');
    const id = attributeByLocalName(a, 'id');
    if (name === undefined || id === undefined) continue;
    const rel = rels.get(id);
    // Chart sheets and dialog sheets hold no cells: they are not listed.
    if (!rel || !rel.type.endsWith('/worksheet')) continue;
    if (!zip.entry(rel.target))
      throw new ImportError('read-failed', fileName, `sheet "${name}" points to ${rel.target}, which is missing.`);
    names.push(name);
    sheets.set(name, new XlsxSheet(name, zip, rel.target, loadSharedStrings, fileName));
  }
  return { sheetNames: names, sheet: (name) => sheets.get(name) };
}

// ---------------------------------------------------------------------------------------------------
// Detection from the first bytes only

/** What the first bytes of an .xlsx reveal (formats detect from a 64 KiB head, not the whole file). */
export interface XlsxHeadProbe {
  /** Names of the ZIP members whose local headers lie in the head, in file order. */
  readonly memberNames: readonly string[];
  /** Sheet names, when the workbook part lies (compressed) inside the head. */
  readonly sheetNames?: readonly string[];
  /** `Application` and `Company` of docProps/app.xml, when it lies in the head. */
  readonly application?: string;
  /** Strings seen in the head: the start of the shared-string table and inline strings of sheets. */
  readonly strings: readonly string[];
}

/** Inflates as much of a member as the head holds (a truncated deflate stream yields its first part). */
function inflatePrefix(data: Uint8Array, method: number, maxOut: number): Uint8Array {
  if (method === 0) return data.subarray(0, maxOut);
  const parts: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    if (total < maxOut) parts.push(chunk);
    total += chunk.length;
  });
  try {
    for (let q = 0; q < data.length && total < maxOut; q += 4096) inflater.push(data.subarray(q, q + 4096), false);
  } catch {
    // A damaged or cut stream: keep what came out.
  }
  const out = new Uint8Array(Math.min(total, maxOut));
  let p = 0;
  for (const part of parts) {
    if (p >= out.length) break;
    out.set(part.subarray(0, out.length - p), p);
    p += part.length;
  }
  return out;
}

/** Text strings of a (partial) XML part: `<t>` contents and inline strings. */
function textsOf(xml: string): string[] {
  const out: string[] = [];
  const re = /<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)<\/(?:\w+:)?t>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(unescapeXmlText(m[1]));
  return out;
}

const PROBE_TEXT_BYTES = 256 * 1024;

/**
 * Looks into a ZIP's head without its central directory: walks the local headers, inflates the parts
 * that start inside the head (workbook, app properties, shared strings, worksheets) as far as they go.
 * Never throws: a head that is not a ZIP gives an empty probe.
 */
export function probeXlsxHead(head: Uint8Array): XlsxHeadProbe {
  const memberNames: string[] = [];
  const strings: string[] = [];
  let sheetNames: string[] | undefined;
  let application: string | undefined;
  let p = 0;
  while (p + 30 <= head.length && u32(head, p) === SIG_LOCAL) {
    const flags = u16(head, p + 6);
    const method = u16(head, p + 8);
    const compressedSize = u32(head, p + 18);
    const nameLength = u16(head, p + 26);
    const extraLength = u16(head, p + 28);
    if (p + 30 + nameLength > head.length) break;
    const name = UTF8.decode(head.subarray(p + 30, p + 30 + nameLength));
    memberNames.push(name);
    const start = p + 30 + nameLength + extraLength;
    // With a data descriptor (flag 8) the size is not in the local header: the next member is found by
    // its signature instead.
    const hasKnownSize = (flags & 8) === 0 || compressedSize > 0;
    let end = hasKnownSize ? start + compressedSize : -1;
    if (!hasKnownSize) {
      for (let q = start; q + 4 <= head.length; q++)
        if (u32(head, q) === SIG_LOCAL) {
          end = q;
          break;
        }
    }
    const lower = name.toLowerCase();
    const isInteresting =
      /(^|\/)workbook\.xml$/.test(lower) ||
      lower === 'docprops/app.xml' ||
      /sharedstrings\.xml$/.test(lower) ||
      /worksheets\/[^/]+\.xml$/.test(lower);
    if (isInteresting && start < head.length && (flags & 1) === 0) {
      const data = head.subarray(start, end < 0 ? head.length : Math.min(end, head.length));
      const xml = UTF8.decode(inflatePrefix(data, method, PROBE_TEXT_BYTES));
      if (/(^|\/)workbook\.xml$/.test(lower)) {
        sheetNames = elements(xml, 'sheet')
          .map((a) => a.get('name'))
          .filter((s): s is string => s !== undefined);
      } else if (lower === 'docprops/app.xml') {
        const app = /<Application>([^<]*)</.exec(xml)?.[1] ?? '';
        const company = /<Company>([^<]*)</.exec(xml)?.[1] ?? '';
        application = unescapeXmlText(`${app} ${company}`.trim());
      } else strings.push(...textsOf(xml));
    }
    if (end < 0 || end + 30 > head.length) break;
    // Skip a data descriptor (optionally signed) between members.
    p = end;
    if (u32(head, p) !== SIG_LOCAL) {
      let q = p;
      while (q + 4 <= head.length && u32(head, q) !== SIG_LOCAL && q < p + 24) q++;
      p = q;
    }
  }
  return { memberNames, sheetNames, application, strings };
}
