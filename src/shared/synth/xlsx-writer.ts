/**
 * A small deterministic .xlsx writer: sheets of numbers, strings and booleans, no styles. It makes the
 * fixtures of the workbook readers and formats (NEWARE, Arbin, Landt exports) and the demo data.
 * The same input always gives the same bytes (fixed ZIP timestamps, fixed part order), so fixtures can
 * be compared byte for byte.
 *
 * Layout follows ECMA-376 Part 1 (SpreadsheetML): `[Content_Types].xml`, `_rels/.rels`,
 * `docProps/app.xml`, `xl/workbook.xml` + its rels, `xl/sharedStrings.xml`, `xl/worksheets/sheetN.xml`.
 * Shared strings come before the worksheets, as in BTSDA's exports, so a reader's head probe sees them.
 */
import { zipSync, type Zippable } from 'fflate';
import type { CellValue } from '../formats/containers/workbook';

export interface XlsxSheetInput {
  readonly name: string;
  readonly rows: readonly (readonly CellValue[])[];
}

export interface XlsxWriteOptions {
  /** Strings in the shared-string table (default, as Excel and BTSDA write) or inline in each cell. */
  readonly strings?: 'shared' | 'inline';
  /** A `<dimension ref>` to write instead of the true one (BTSDA writes `A1`), to test readers ignore it. */
  readonly dimension?: string;
  /** Leave out the `r` attributes of rows and cells (allowed by the standard; some writers do). */
  readonly omitReferences?: boolean;
  /** docProps/app.xml `Application` (and `Company`), e.g. to imitate an instrument's exporter. */
  readonly application?: string;
  readonly company?: string;
}

/** Excel's sheet-name rules: 1–31 characters, none of `[]:*?/\`. */
const SHEET_NAME = /^[^[\]:*?/\\]{1,31}$/;
/** The DOS timestamp of every member: 1980-01-01 00:00 local, the earliest a ZIP can hold. */
const ZIP_TIME = new Date(1980, 0, 1, 0, 0, 0);

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Escapes text for XML content/attributes; control characters and literal `_xHHHH_` as OOXML wants. */
function escapeXml(text: string): string {
  return text
    .replace(/_x([0-9A-Fa-f]{4})_/g, '_x005F_x$1_')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(
      // eslint-disable-next-line no-control-regex
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g,
      (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`,
    );
}

function textElement(text: string): string {
  const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
  return `<t${space}>${escapeXml(text)}</t>`;
}

/** Column letters of a 0-based column index (0 -> A, 26 -> AA). */
export function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

class SharedStrings {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  count = 0;

  indexOf(text: string): number {
    this.count++;
    let k = this.index.get(text);
    if (k === undefined) {
      k = this.list.length;
      this.list.push(text);
      this.index.set(text, k);
    }
    return k;
  }
}

function sheetXml(sheet: XlsxSheetInput, options: XlsxWriteOptions, sst: SharedStrings): string {
  const parts: string[] = [];
  let lastCol = 0;
  sheet.rows.forEach((row, r) => {
    const cells: string[] = [];
    row.forEach((value, c) => {
      // A sheet cannot hold NaN/Infinity: such cells are left empty. Without references an empty cell
      // must still be written, or the cells after it would shift left.
      if (value === null || (typeof value === 'number' && !Number.isFinite(value))) {
        if (options.omitReferences) cells.push('<c/>');
        return;
      }
      lastCol = Math.max(lastCol, c);
      const ref = options.omitReferences ? '' : ` r="${columnLetters(c)}${r + 1}"`;
      if (typeof value === 'number') cells.push(`<c${ref}><v>${String(value)}</v></c>`);
      else if (typeof value === 'boolean') cells.push(`<c${ref} t="b"><v>${value ? 1 : 0}</v></c>`);
      else if (options.strings === 'inline') cells.push(`<c${ref} t="inlineStr"><is>${textElement(value)}</is></c>`);
      else cells.push(`<c${ref} t="s"><v>${sst.indexOf(value)}</v></c>`);
    });
    // With references, empty rows are simply absent (a gap); without, every row must be written.
    if (cells.length === 0 && !options.omitReferences) return;
    const ref = options.omitReferences ? '' : ` r="${r + 1}"`;
    parts.push(`<row${ref}>${cells.join('')}</row>`);
  });
  const dimension = options.dimension ?? (sheet.rows.length === 0 ? 'A1' : `A1:${columnLetters(lastCol)}${sheet.rows.length}`);
  return `${XML_DECL}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><dimension ref="${escapeXml(dimension)}"/><sheetData>${parts.join('')}</sheetData></worksheet>`;
}

/** Writes the sheets as an .xlsx file. Throws RangeError for sheet names Excel would refuse. */
export function writeXlsx(sheets: readonly XlsxSheetInput[], options: XlsxWriteOptions = {}): Uint8Array {
  if (sheets.length === 0) throw new RangeError('a workbook needs at least one sheet');
  const seen = new Set<string>();
  for (const s of sheets) {
    if (!SHEET_NAME.test(s.name)) throw new RangeError(`invalid sheet name "${s.name}"`);
    if (seen.has(s.name.toLowerCase())) throw new RangeError(`duplicate sheet name "${s.name}"`);
    seen.add(s.name.toLowerCase());
  }
  const enc = new TextEncoder();
  const sst = new SharedStrings();
  const sheetParts = sheets.map((s) => sheetXml(s, options, sst));
  const hasShared = sst.list.length > 0;

  const contentTypes =
    `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    sheets
      .map(
        (_s, k) =>
          `<Override PartName="/xl/worksheets/sheet${k + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
      )
      .join('') +
    (hasShared
      ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
      : '') +
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
    '</Types>';
  const rootRels =
    `${XML_DECL}<Relationships xmlns="${NS_PKG_REL}">` +
    `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/>` +
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>' +
    '</Relationships>';
  const app =
    `${XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
    `<Application>${escapeXml(options.application ?? 'Interphase xlsx-writer')}</Application>` +
    (options.company !== undefined ? `<Company>${escapeXml(options.company)}</Company>` : '') +
    '</Properties>';
  const workbook =
    `${XML_DECL}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheets>` +
    sheets.map((s, k) => `<sheet name="${escapeXml(s.name)}" sheetId="${k + 1}" r:id="rId${k + 1}"/>`).join('') +
    '</sheets></workbook>';
  const workbookRels =
    `${XML_DECL}<Relationships xmlns="${NS_PKG_REL}">` +
    sheets.map((_s, k) => `<Relationship Id="rId${k + 1}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${k + 1}.xml"/>`).join('') +
    (hasShared ? `<Relationship Id="rId${sheets.length + 1}" Type="${NS_REL}/sharedStrings" Target="sharedStrings.xml"/>` : '') +
    '</Relationships>';

  const files: Zippable = {
    '[Content_Types].xml': enc.encode(contentTypes),
    '_rels/.rels': enc.encode(rootRels),
    'docProps/app.xml': enc.encode(app),
    'xl/workbook.xml': enc.encode(workbook),
    'xl/_rels/workbook.xml.rels': enc.encode(workbookRels),
  };
  if (hasShared) {
    files['xl/sharedStrings.xml'] = enc.encode(
      `${XML_DECL}<sst xmlns="${NS_MAIN}" count="${sst.count}" uniqueCount="${sst.list.length}">` +
        sst.list.map((t) => `<si>${textElement(t)}</si>`).join('') +
        '</sst>',
    );
  }
  sheetParts.forEach((xml, k) => {
    files[`xl/worksheets/sheet${k + 1}.xml`] = enc.encode(xml);
  });
  return zipSync(files, { level: 6, mtime: ZIP_TIME });
}
