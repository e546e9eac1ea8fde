/**
 * Issue 8's export checks on the real engine in Chromium, on the app's own page and origin:
 * the SVG parses and its traces are <path> with no <image>; the PDF starts with %PDF and draws with vector
 * operators at the figure's size; the PNG is round(width_mm / 25.4 × dpi) px wide with pHYs = dpi; the TIFF
 * decodes (utif2) to the same size and resolution.
 *
 * How: the Figure composer and **Export figure** button are not built yet, so this spec bundles a test-only
 * entry (e2e/support/figure-export-harness.ts: the engine + a synthetic two-cell figure) with Vite and serves it
 * under /__e2e__/ through Playwright routing. The app's bundle exposes nothing for tests.
 * TODO(#8): drive the composer's Export figure / Format controls once they exist.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { unzlibSync } from 'fflate';
import * as UTIF from 'utif2';
import { pngSizePx, readPhys, readPngChunks, readText } from '../src/shared/export/png-chunks';
import type { Provenance } from '../src/shared/export/provenance';
import type { RasterDpi } from '../src/shared/figures/presets';
import type { HarnessExport } from './support/figure-export-harness';

const ROOT = resolve(__dirname, '..');
const WIDTH_MM = 85;
const HEIGHT_MM = 64;
const HARNESS_URL = '/__e2e__/figure-export-harness.js';
let harnessDir = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  harnessDir = mkdtempSync(join(tmpdir(), 'interphase-figure-export-'));
  const { build } = await import('vite');
  await build({
    configFile: false,
    logLevel: 'warn',
    root: ROOT,
    resolve: { alias: { '@shared': join(ROOT, 'src/shared') } },
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir: harnessDir,
      emptyOutDir: true,
      minify: false,
      chunkSizeWarningLimit: 10_000,
      lib: { entry: join(ROOT, 'e2e/support/figure-export-harness.ts'), formats: ['es'], fileName: () => 'figure-export-harness.js' },
    },
  });
});

async function openAppWithHarness(page: Page): Promise<void> {
  await page.route('**/__e2e__/*', (route) =>
    route.fulfill({ path: join(harnessDir, basename(new URL(route.request().url()).pathname)), contentType: 'text/javascript' }),
  );
  await page.goto('/?demo=off');
  await expect(page.locator('body[data-app-state="ready"]')).toBeAttached({ timeout: 60_000 });
}

async function exportInPage(
  page: Page,
  format: 'svg' | 'pdf' | 'png' | 'tiff',
  dpi: RasterDpi = 600,
): Promise<HarnessExport & { bytes: Buffer }> {
  const out = await page.evaluate(
    async ({ url, format, dpi }) => {
      const harness = (await import(url)) as { runExport: (f: string, d: number) => Promise<HarnessExport> };
      return harness.runExport(format, dpi);
    },
    { url: HARNESS_URL, format, dpi },
  );
  return { ...out, bytes: Buffer.from(out.base64, 'base64') };
}

function saveArtifact(name: string, bytes: Buffer | string): string {
  const path = test.info().outputPath(name);
  writeFileSync(path, bytes);
  return path;
}

const expectedPx = (mm: number, dpi: number) => Math.round((mm / 25.4) * dpi);

test.describe('figure export engine', () => {
  test('SVG: parses, traces are paths, no image, physical size and provenance metadata', async ({ page }) => {
    await openAppWithHarness(page);
    const out = await exportInPage(page, 'svg');
    expect(out.fileName).toBe('critical-current-density-85mm.svg');
    expect(out.mimeType).toBe('image/svg+xml');
    const svg = out.bytes.toString('utf8');
    saveArtifact(out.fileName, svg);
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const root = doc.documentElement;
      return {
        isParsed: doc.getElementsByTagName('parsererror').length === 0 && root.localName === 'svg',
        images: doc.getElementsByTagName('image').length,
        foreignObjects: doc.getElementsByTagName('foreignObject').length,
        traces: doc.querySelectorAll('.scatterlayer .trace').length,
        tracesWithPaths: [...doc.querySelectorAll('.scatterlayer .trace')].filter(
          (t) => t.querySelector('path.js-line') && t.querySelector('path.point'),
        ).length,
        width: root.getAttribute('width'),
        height: root.getAttribute('height'),
        title: root.querySelector(':scope > title')?.textContent,
        metadata: root.querySelector(':scope > metadata')?.textContent ?? '',
        texts: [...doc.querySelectorAll('text')].map((t) => t.textContent),
      };
    }, svg);
    expect(parsed.isParsed).toBe(true);
    expect(parsed.images).toBe(0);
    expect(parsed.foreignObjects).toBe(0);
    expect(parsed.traces).toBe(out.traceCount);
    expect(parsed.tracesWithPaths).toBe(out.traceCount);
    expect([parsed.width, parsed.height]).toEqual([`${WIDTH_MM}mm`, `${HEIGHT_MM}mm`]);
    expect(parsed.title).toBe('Critical current density');
    const provenance = JSON.parse(parsed.metadata) as Provenance;
    expect(provenance.sources.map((s) => s.sha256)).toEqual(['0'.repeat(63) + '1', 'ab'.repeat(32)]);
    expect(provenance.preset.widthMm).toBe(WIDTH_MM);
    // Units keep their superscripts as text (selectable, searchable), not as images.
    expect(parsed.texts).toContain('Current density (mA cm⁻²)');
    expect(JSON.parse(out.sidecarJson)).toMatchObject({
      app: 'Interphase',
      figureName: 'Critical current density',
      export: { format: 'svg', widthMm: 85 },
    });
  });

  test('PDF: %PDF, page = figure size, vector drawing operators, no raster, provenance in the info dictionary', async ({ page }) => {
    await openAppWithHarness(page);
    const out = await exportInPage(page, 'pdf');
    expect(out.fileName).toBe('critical-current-density-85mm.pdf');
    saveArtifact(out.fileName, out.bytes);
    const pdf = out.bytes.toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf).not.toMatch(/\/Subtype\s*\/Image/);
    const mediaBox = /\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdf);
    expect(mediaBox).not.toBeNull();
    expect(Number(mediaBox![3])).toBeCloseTo((WIDTH_MM / 25.4) * 72, 1);
    expect(Number(mediaBox![4])).toBeCloseTo((HEIGHT_MM / 25.4) * 72, 1);
    // Inflate every content stream and look for path construction (m, l, c, re) and painting (S, f).
    const content: string[] = [];
    const streamPattern = /<<([^]*?)>>\s*stream\r?\n/g;
    for (let m = streamPattern.exec(pdf); m; m = streamPattern.exec(pdf)) {
      const start = m.index + m[0].length;
      const end = pdf.indexOf('endstream', start);
      const raw = out.bytes.subarray(start, end);
      content.push(/\/FlateDecode/.test(m[1]) ? Buffer.from(unzlibSync(raw)).toString('latin1') : raw.toString('latin1'));
    }
    const ops = content.join('\n');
    const count = (re: RegExp) => (ops.match(re) ?? []).length;
    const moveTo = count(/-?[\d.]+ -?[\d.]+ m\b/g);
    const lineTo = count(/-?[\d.]+ -?[\d.]+ l\b/g);
    const curveTo = count(/(-?[\d.]+ ){6}c\b/g);
    const stroke = count(/^\s*S\s*$|\bS\n/gm);
    const fill = count(/\bf\*?\n|^\s*f\*?\s*$/gm);
    test.info().annotations.push({
      type: 'pdf operators',
      description: JSON.stringify({ moveTo, lineTo, curveTo, stroke, fill, bytes: out.bytes.length }),
    });
    // Plotly draws each (straight) curve as one stroked polyline and each of the 2 × 41 markers as a filled
    // circle of four Bézier segments.
    expect(moveTo).toBeGreaterThanOrEqual(82);
    expect(lineTo).toBeGreaterThanOrEqual(2);
    expect(curveTo).toBeGreaterThanOrEqual(4 * 82);
    expect(stroke).toBeGreaterThanOrEqual(2);
    expect(fill).toBeGreaterThanOrEqual(82);
    // Text is real text in an embedded Unicode font, so the superscript minus and two of "mA cm⁻²" survive.
    expect(pdf).toMatch(/\/FontFile2/);
    expect(pdf).toMatch(/\/BaseFont\s*\/DejaVu#20Sans#20Condensed/);
    // The ToUnicode map of the glyphs used has the superscript minus and two of "mA cm⁻²".
    expect(ops).toMatch(/<[0-9a-f]{4}>\s*<207b>/i);
    expect(ops).toMatch(/<[0-9a-f]{4}>\s*<00b2>/i);
    expect(pdf).toMatch(/\/Title \(Critical current density\)/);
    expect(pdf).toContain(`sha256:${'ab'.repeat(32)}`);
    expect(pdf).toMatch(/\/Creator \(Interphase 0\.1\.0\)/);
  });

  for (const dpi of [300, 600, 1200] as const) {
    test(`PNG at ${dpi} dpi: exact pixel size, pHYs and provenance tEXt`, async ({ page }) => {
      test.setTimeout(120_000);
      await openAppWithHarness(page);
      const out = await exportInPage(page, 'png', dpi);
      expect(out.fileName).toBe(`critical-current-density-85mm-${dpi}dpi.png`);
      saveArtifact(out.fileName, out.bytes);
      const bytes = new Uint8Array(out.bytes);
      expect(pngSizePx(bytes)).toEqual({ width: expectedPx(WIDTH_MM, dpi), height: expectedPx(HEIGHT_MM, dpi) });
      const chunks = readPngChunks(bytes);
      const types = chunks.map((c) => c.type);
      expect(types.indexOf('pHYs')).toBeLessThan(types.indexOf('IDAT'));
      const phys = readPhys(chunks.find((c) => c.type === 'pHYs')!);
      expect(phys.isMetre).toBe(true);
      expect(phys.xPpm * 0.0254).toBeCloseTo(dpi, 1);
      const texts = new Map(chunks.filter((c) => c.type === 'tEXt').map((c) => [readText(c).keyword, readText(c).text]));
      expect((JSON.parse(texts.get('Interphase provenance')!) as Provenance).preset.dpi).toBe(dpi);
      expect(JSON.parse(out.sidecarJson)).toMatchObject({
        export: { widthPx: expectedPx(WIDTH_MM, dpi), heightPx: expectedPx(HEIGHT_MM, dpi) },
      });
      if (dpi === 300) {
        // The figure is drawn, not blank: both cells' colours are on the image (Okabe–Ito blue and vermilion).
        const colours = await page.evaluate(async (base64) => {
          const image = new Image();
          image.src = `data:image/png;base64,${base64}`;
          await image.decode();
          const canvas = document.createElement('canvas');
          canvas.width = image.naturalWidth;
          canvas.height = image.naturalHeight;
          const context = canvas.getContext('2d')!;
          context.drawImage(image, 0, 0);
          const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
          const near = (i: number, r: number, g: number, b: number) =>
            Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30;
          let blue = 0;
          let vermilion = 0;
          let dark = 0;
          for (let i = 0; i < data.length; i += 4) {
            if (near(i, 0x00, 0x72, 0xb2)) blue++;
            if (near(i, 0xd5, 0x5e, 0x00)) vermilion++;
            if (near(i, 0, 0, 0)) dark++;
          }
          return { blue, vermilion, dark };
        }, out.base64);
        expect(colours.blue).toBeGreaterThan(500);
        expect(colours.vermilion).toBeGreaterThan(500);
        expect(colours.dark).toBeGreaterThan(500); // frame, ticks and labels
        await test
          .info()
          .attach('exported figure (PNG, 300 dpi)', { path: test.info().outputPath(out.fileName), contentType: 'image/png' });
      }
    });
  }

  test('TIFF at 600 dpi: decodes with utif2 to the exact size and resolution', async ({ page }) => {
    await openAppWithHarness(page);
    const out = await exportInPage(page, 'tiff', 600);
    expect(out.fileName).toBe('critical-current-density-85mm-600dpi.tif');
    saveArtifact(out.fileName, out.bytes);
    const buffer = out.bytes.buffer.slice(out.bytes.byteOffset, out.bytes.byteOffset + out.bytes.byteLength) as ArrayBuffer;
    const [ifd] = UTIF.decode(buffer);
    UTIF.decodeImage(buffer, ifd);
    expect([ifd.width, ifd.height]).toEqual([expectedPx(WIDTH_MM, 600), expectedPx(HEIGHT_MM, 600)]);
    expect(ifd.t282).toEqual([[600, 1]]);
    expect(ifd.t296).toEqual([2]);
    const rgba = UTIF.toRGBA8(ifd);
    expect(rgba.length).toBe(ifd.width * ifd.height * 4);
    // Not blank: some pixels are far from white.
    let inked = 0;
    for (let i = 0; i < rgba.length; i += 4) if (rgba[i] + rgba[i + 1] + rgba[i + 2] < 600) inked++;
    expect(inked).toBeGreaterThan(1000);
    expect((JSON.parse((ifd.t270 as string[])[0]) as Provenance).figureName).toBe('Critical current density');
  });
});

test.afterAll(() => {
  if (harnessDir) rmSync(harnessDir, { recursive: true, force: true });
});
