/**
 * The figure export engine behind **Export figure** and the Figure composer (issue 8 §3–4):
 *
 *   FigureSpec -> applyPreset (mm, pt, palette) -> Plotly.toImage SVG (offscreen, SVG traces only)
 *     -> check vector (paths, no <image>) -> physical size + <title>/<desc>/<metadata> provenance
 *       -> svg | pdf (jsPDF + svg2pdf, page = figure size, info dictionary)
 *          | png / tiff (the SVG drawn on a canvas of round(mm / 25.4 × dpi) px, pHYs + tEXt / X/YResolution)
 *
 * Every format comes from the one SVG, so the vector and raster files show the same figure. jsPDF, svg2pdf and
 * utif2 are loaded on first export only.
 */
import type { jsPDF } from 'jspdf';
import type PlotlyModule from 'plotly.js-cartesian-dist-min';
import type { FigureSpec } from '@shared/figures/figure-spec';
import { applyPreset, rasterSizePx, validatePreset, vectorSizePx, type FigurePreset } from '@shared/figures/presets';
import { insertPngChunks, physChunk, pngSizePx, textChunk } from '@shared/export/png-chunks';
import { asciiJson, provenanceSummary, sidecarJson, validateProvenance, type Provenance } from '@shared/export/provenance';
import { loadPlotly } from '../plots/voltage-time-plot';

export type ExportFormat = 'svg' | 'pdf' | 'png' | 'tiff';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['svg', 'pdf', 'png', 'tiff'];

const MIME_TYPE: Readonly<Record<ExportFormat, string>> = {
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  png: 'image/png',
  tiff: 'image/tiff',
};

const SVG_NS = 'http://www.w3.org/2000/svg';
/** The PNG tEXt keyword and TIFF/PDF field holding the provenance JSON. */
export const PROVENANCE_KEYWORD = 'Interphase provenance';

export interface ExportedFigure {
  blob: Blob;
  fileName: string;
  sidecarJson: string;
}

/** "Voltage vs time" -> "voltage-vs-time". */
function slug(text: string): string {
  const s = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s || 'figure';
}

/** `voltage-vs-time-85mm.pdf`, `voltage-vs-time-85mm-600dpi.png`. */
export function exportFileName(figureName: string, preset: FigurePreset, format: ExportFormat): string {
  const size = `${Number(preset.widthMm.toFixed(1))}mm`;
  const ext = format === 'tiff' ? 'tif' : format;
  return format === 'png' || format === 'tiff'
    ? `${slug(figureName)}-${size}-${preset.dpi}dpi.${ext}`
    : `${slug(figureName)}-${size}.${ext}`;
}

function decodeDataUrl(url: string): string {
  const comma = url.indexOf(',');
  if (!url.startsWith('data:image/svg+xml') || comma < 0) throw new Error(`Plotly returned no SVG (got ${url.slice(0, 30)}…)`);
  const head = url.slice(0, comma);
  const body = url.slice(comma + 1);
  if (head.endsWith(';base64')) {
    const bytes = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  }
  return decodeURIComponent(body);
}

/**
 * The figure as an SVG string from Plotly (an offscreen graph div it creates and purges itself). Hover rings
 * are dropped: they mark where the pointer was, not part of the figure.
 */
async function plotlySvg(styled: FigureSpec): Promise<string> {
  const plotly = await loadPlotly();
  const data = styled.data.filter((t) => t.meta.role !== 'hovered');
  const { width, height } = styled.layout;
  const url = await plotly.toImage(
    {
      data: data as unknown as PlotlyModule.Data[],
      layout: styled.layout as unknown as Partial<PlotlyModule.Layout>,
      config: { staticPlot: true },
    },
    { format: 'svg', width, height },
  );
  return decodeDataUrl(url);
}

/**
 * Throws unless the SVG is true vector: not one `<image>` (a WebGL trace or a raster would be one) nor
 * `<foreignObject>`, and every drawn trace's lines/markers are `<path>` elements. Returns the path count.
 */
export function assertVectorSvg(doc: Document): number {
  const raster = doc.getElementsByTagNameNS(SVG_NS, 'image').length + doc.getElementsByTagNameNS(SVG_NS, 'foreignObject').length;
  if (raster > 0) throw new Error(`the exported SVG embeds ${raster} raster element(s); figures must be vector`);
  const traces = doc.querySelectorAll('.scatterlayer .trace');
  const paths = doc.querySelectorAll('.scatterlayer .trace path');
  if (traces.length > 0 && paths.length === 0) throw new Error('the exported SVG has traces without any <path>');
  return paths.length;
}

/**
 * Sets the physical size (width/height in mm over a px viewBox, so 1 user unit = 1/96 in) and adds
 * `<title>`, `<desc>` and `<metadata>` (the provenance JSON in CDATA) as the root's first children.
 */
function decorateSvg(svgText: string, preset: FigurePreset, provenance: Provenance): Document {
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  if (error) throw new Error(`Plotly's SVG does not parse: ${error.textContent ?? ''}`);
  assertVectorSvg(doc);
  const root = doc.documentElement;
  const { width, height } = vectorSizePx(preset);
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  root.setAttribute('width', `${preset.widthMm}mm`);
  root.setAttribute('height', `${preset.heightMm}mm`);
  const title = doc.createElementNS(SVG_NS, 'title');
  title.textContent = provenance.figureName;
  const desc = doc.createElementNS(SVG_NS, 'desc');
  desc.textContent = provenanceSummary(provenance);
  const metadata = doc.createElementNS(SVG_NS, 'metadata');
  metadata.setAttribute('id', 'interphase-provenance');
  metadata.appendChild(doc.createCDATASection(asciiJson(provenance)));
  root.insertBefore(metadata, root.firstChild);
  root.insertBefore(desc, metadata);
  root.insertBefore(title, desc);
  return doc;
}

/**
 * The PDF's text font: DejaVu Sans Condensed (Bitstream Vera licence; widths close to Arial's, so Plotly's
 * text layout still fits), embedded with Unicode (Identity-H) so "mA cm⁻²" and "cm² s⁻¹" survive. jsPDF's
 * built-in Helvetica is WinAnsi-only and garbles the superscript minus, and Liberation Sans 1.x (the
 * metric Arial clone) has no U+207B glyph, which jsPDF drops silently. Loaded on first PDF export only.
 */
const PDF_FONT_FAMILY = 'DejaVu Sans Condensed';

async function addPdfFonts(pdf: jsPDF): Promise<void> {
  const [regular, bold] = await Promise.all([
    import('./fonts/DejaVuSansCondensed.ttf?inline'),
    import('./fonts/DejaVuSansCondensed-Bold.ttf?inline'),
  ]);
  const fonts = [
    { file: 'DejaVuSansCondensed.ttf', style: 'normal', url: regular.default },
    { file: 'DejaVuSansCondensed-Bold.ttf', style: 'bold', url: bold.default },
  ];
  for (const font of fonts) {
    pdf.addFileToVFS(font.file, font.url.slice(font.url.indexOf(',') + 1));
    pdf.addFont(font.file, PDF_FONT_FAMILY, font.style);
  }
}

/** A sans-serif font list (the journal default) gets the embedded font first; a serif one is left alone. */
function isSansFamily(family: string): boolean {
  return /sans-serif|arial|helvetica|liberation sans|dejavu sans/i.test(family) && !/(^|,)\s*serif\s*$/i.test(family);
}

async function svgToPdf(doc: Document, preset: FigurePreset, provenance: Provenance): Promise<Blob> {
  const [{ jsPDF: JsPdf }, { svg2pdf }] = await Promise.all([import('jspdf'), import('svg2pdf.js')]);
  const { widthMm, heightMm } = preset;
  const pdf = new JsPdf({
    unit: 'mm',
    format: [widthMm, heightMm],
    orientation: widthMm > heightMm ? 'landscape' : 'portrait',
    compress: true,
    putOnlyUsedFonts: true,
  });
  await addPdfFonts(pdf);
  // svg2pdf takes the first family of a list that jsPDF knows (Arial -> its WinAnsi Helvetica), so the copy
  // drawn into the PDF names the embedded font first.
  const svg = doc.documentElement.cloneNode(true) as SVGSVGElement;
  for (const element of [svg, ...svg.querySelectorAll<SVGElement>('[style*="font-family"]')]) {
    const family = element.style.fontFamily;
    if (family && isSansFamily(family)) element.style.fontFamily = `"${PDF_FONT_FAMILY}", ${family}`;
  }
  await svg2pdf(svg, pdf, { x: 0, y: 0, width: widthMm, height: heightMm });
  pdf.setProperties({
    title: provenance.figureName,
    subject: asciiJson(provenance),
    author: `${provenance.app} ${provenance.version}`,
    keywords: provenance.sources.map((s) => `${s.fileName} sha256:${s.sha256}`).join('; '),
    creator: `${provenance.app} ${provenance.version}`,
  });
  pdf.setCreationDate(new Date(provenance.exportedAt));
  return pdf.output('blob');
}

/** Draws the SVG on a canvas of exactly `width` × `height` device pixels, on white. */
async function rasterize(svgText: string, width: number, height: number): Promise<HTMLCanvasElement> {
  const url = URL.createObjectURL(new Blob([svgText], { type: MIME_TYPE.svg }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) throw new Error(`no 2D canvas of ${width} × ${height} px (too large for this browser?)`);
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    context.drawImage(image, 0, 0, width, height);
    return canvas;
  } finally {
    URL.revokeObjectURL(url);
  }
}

function canvasPng(canvas: HTMLCanvasElement): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (!blob) reject(new Error(`the browser could not encode a ${canvas.width} × ${canvas.height} px PNG`));
      else blob.arrayBuffer().then((b) => resolve(new Uint8Array(b)), reject);
    }, MIME_TYPE.png);
  });
}

/**
 * Exports `spec` styled by `preset` as one file plus its sidecar JSON. `provenance.preset` and
 * `provenance.figureName` should describe this export (the sidecar repeats them).
 */
export async function exportFigure(
  spec: FigureSpec,
  preset: FigurePreset,
  format: ExportFormat,
  provenance: Provenance,
): Promise<ExportedFigure> {
  if (!EXPORT_FORMATS.includes(format))
    throw new RangeError(`format must be one of ${EXPORT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  validatePreset(preset);
  validateProvenance(provenance);
  const fileName = exportFileName(provenance.figureName, preset, format);
  const doc = decorateSvg(await plotlySvg(applyPreset(spec, preset)), preset, provenance);
  const svgText = new XMLSerializer().serializeToString(doc);
  const physical = { fileName, format, widthMm: preset.widthMm, heightMm: preset.heightMm };

  if (format === 'svg')
    return { blob: new Blob([svgText], { type: MIME_TYPE.svg }), fileName, sidecarJson: sidecarJson(provenance, physical) };
  if (format === 'pdf') return { blob: await svgToPdf(doc, preset, provenance), fileName, sidecarJson: sidecarJson(provenance, physical) };

  const { width, height } = rasterSizePx(preset);
  const canvas = await rasterize(svgText, width, height);
  const sidecar = sidecarJson(provenance, { ...physical, widthPx: width, heightPx: height });
  const software = `${provenance.app} ${provenance.version}`;
  if (format === 'png') {
    const png = insertPngChunks(await canvasPng(canvas), [
      physChunk(preset.dpi),
      textChunk('Title', asciiJson(provenance.figureName).slice(1, -1)),
      textChunk('Software', software),
      textChunk(PROVENANCE_KEYWORD, asciiJson(provenance)),
    ]);
    const size = pngSizePx(png);
    if (size.width !== width || size.height !== height)
      throw new Error(`PNG came out ${size.width} × ${size.height} px, expected ${width} × ${height}`);
    return { blob: new Blob([png as Uint8Array<ArrayBuffer>], { type: MIME_TYPE.png }), fileName, sidecarJson: sidecar };
  }
  const context = canvas.getContext('2d')!;
  const rgba = new Uint8Array(context.getImageData(0, 0, width, height).data.buffer);
  const { encodeRgbaTiff } = await import('./tiff');
  const tiff = encodeRgbaTiff(rgba, width, height, preset.dpi, {
    software,
    description: asciiJson(provenance),
    shortDescription: asciiJson(provenanceSummary(provenance)).slice(1, -1),
  });
  return { blob: new Blob([tiff as Uint8Array<ArrayBuffer>], { type: MIME_TYPE.tiff }), fileName, sidecarJson: sidecar };
}

/**
 * Writes a file where the user wants it. The desktop host passes `nativeSave` (a native save dialog; resolves
 * false when the user cancels); without it the browser downloads the file through an `<a download>`.
 */
export type NativeSave = (fileName: string, bytes: Uint8Array, mimeType: string) => Promise<boolean>;

/** How long the object URL of a download stays valid; Chromium reads it when the click is handled. */
const DOWNLOAD_URL_LIFETIME_MS = 60_000;

export async function saveBlob(blob: Blob, fileName: string, nativeSave?: NativeSave): Promise<boolean> {
  if (nativeSave) return nativeSave(fileName, new Uint8Array(await blob.arrayBuffer()), blob.type);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
  return true;
}
