/**
 * The Cell view (issue 7): every region drawn, and every linking rule — selecting cycles by click, box or
 * lasso in a per-cycle plot or in the Cycles table shows them in Voltage vs time, Voltage vs capacity and
 * dQ/dV; hovering a cycle highlights it everywhere; zooming the time axis shades the visible cycles in the
 * per-cycle plots; a failure marker click jumps to the evidence; the selection and the x-axis choice survive
 * a reload; a metadata edit re-runs the analysis. On a generated Figure 2 cell, on the demo, and on a real
 * NEWARE file when /work/shared/data/real is there.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test, type TestInfo } from '@playwright/test';
import { AppPage } from './pages/app-page';
import { type CellRegion, CellPage } from './pages/cell-page';

const SAMPLES = join(__dirname, '..', 'resources', 'samples');
/** Figure 2d, 0.5 mA/cm² and 0.2 mAh/cm²: 30 cycles, soft breakdown from cycle 21 (failure evidence). */
const SOFT_SHORT_CELL = 'Fig2d_Li-LPSC-In_0.5mAcm2_0.2mAhcm2.csv';
const GITT_FILE = 'Fig5a_GITT_10min-pulses_Li-LPSC-In.csv';
const REAL_NEWARE = '/work/shared/data/real/neware/test_2.ndax';

/** The traces Plotly holds in a region (what the user sees), with their names and linked items. */
async function tracesOf(cell: CellPage, name: CellRegion) {
  return cell
    .region(name)
    .locator('.plot-area')
    .evaluate((node) =>
      ((node as unknown as { data: { name?: string; customdata?: number[] }[] }).data ?? []).map((t) => ({
        name: t.name ?? '',
        items: [...new Set(t.customdata ?? [])],
      })),
    );
}

async function shapesOf(cell: CellPage, name: CellRegion): Promise<number> {
  return cell
    .region(name)
    .locator('.plot-area')
    .evaluate((node) => ((node as unknown as { layout: { shapes?: unknown[] } }).layout.shapes ?? []).length);
}

async function openInCellView(app: AppPage, fileName: string): Promise<CellPage> {
  await app
    .libraryItem(fileName)
    .getByRole('button', { name: new RegExp(fileName.slice(0, 16).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) })
    .click();
  await app.viewLink('Cell').click();
  await expect(app.viewLink('Cell')).toHaveAttribute('aria-current', 'page');
  const cell = new CellPage(app.page);
  await expect(cell.region('Voltage vs time')).toHaveAttribute('data-dataset', fileName);
  return cell;
}

async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(name);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test.describe('Cell view on a generated Figure 2 cell', () => {
  // Many gestures, each waiting for the linked plots to redraw: longer than the default minute on a busy machine.
  test.describe.configure({ timeout: 180_000 });
  test.beforeEach(() => {
    expect(existsSync(join(SAMPLES, SOFT_SHORT_CELL)), 'resources/samples is missing: run npm run samples').toBe(true);
  });

  test('draws every region and links selection, hover, zoom and the failure evidence', async ({ page }, testInfo) => {
    const app = new AppPage(page);
    await app.open({ demo: false });
    await app.importThroughChooser(join(SAMPLES, SOFT_SHORT_CELL));
    await expect(app.libraryItem(SOFT_SHORT_CELL)).toHaveCount(1);
    const cell = await openInCellView(app, SOFT_SHORT_CELL);
    await cell.expectAnalysed();
    await expect(cell.analysisStatus).toContainText('soft-short');
    await expect(cell.selectionStatus).toHaveText('No cycles selected');
    const cycleCount = await cell.cyclesTable.locator('tbody tr').count();
    expect(cycleCount).toBeGreaterThan(20);
    // No selection: Voltage vs capacity and dQ/dV show the first and the last cycle, and say so.
    await expect(page.getByText('No cycles selected: showing the first and the last cycle')).toBeVisible();
    await expect(cell.region('Voltage vs capacity')).toHaveAttribute('data-cycles', `1,${cycleCount}`);
    await screenshot(page, testInfo, 'cell-view-generated.png');

    // Click in a per-cycle plot: the status line, the table, the trace and the curve plots follow.
    await cell.clickPoint('Coulombic efficiency', 12);
    await expect(cell.selectionStatus).toHaveText('Selected cycles: 12');
    await expect(cell.row(12)).toHaveAttribute('aria-selected', 'true');
    await expect(cell.region('Voltage vs time')).toHaveAttribute('data-selected-cycles', '12');
    // The pointer is still on cycle 12 (hovered); once it leaves, only the selected window is shaded.
    await page.mouse.move(1, 1);
    await expect(cell.region('Voltage vs time')).toHaveAttribute('data-hovered-cycle', '');
    await expect.poll(() => shapesOf(cell, 'Voltage vs time')).toBe(1);
    await expect(cell.region('Voltage vs capacity')).toHaveAttribute('data-cycles', '12');
    await expect(cell.region('dQ/dV')).toHaveAttribute('data-cycles', '12');
    await expect
      .poll(async () => (await tracesOf(cell, 'Voltage vs capacity')).map((t) => t.name))
      .toEqual(['Cycle 12 plating', 'Cycle 12 stripping']);
    await expect.poll(async () => (await tracesOf(cell, 'dQ/dV')).flatMap((t) => t.items)).toEqual([12, 12]);

    // A table row adds its cycle; both show everywhere.
    await cell.row(13).click();
    await expect(cell.selectionStatus).toHaveText('Selected cycles: 12, 13');
    await expect(cell.region('Voltage vs capacity')).toHaveAttribute('data-cycles', '12,13');
    await expect(cell.region('Voltage vs time')).toHaveAttribute('data-selected-cycles', '12,13');
    await expect(page.getByText('Showing the selected cycles: 12, 13.')).toBeVisible();
    // Clicking a selected row deselects it.
    await cell.row(13).click();
    await expect(cell.selectionStatus).toHaveText('Selected cycles: 12');

    // Hover: a table row highlights its cycle in the trace and in the per-cycle plots.
    await cell.row(5).hover();
    await expect(cell.region('Voltage vs time')).toHaveAttribute('data-hovered-cycle', '5');
    await expect.poll(() => shapesOf(cell, 'Voltage vs time')).toBe(2);
    for (const name of ['Coulombic efficiency', 'Voltage gap', 'Nucleation overpotential'] as const) {
      await expect.poll(async () => (await tracesOf(cell, name)).find((t) => t.name === 'Hovered cycle')?.items).toEqual([5]);
    }
    // … and a point of a per-cycle plot highlights its table row.
    await cell.hoverPoint('Voltage gap', 7);
    await expect(cell.row(7)).toHaveAttribute('data-hovered', 'true');
    await expect(cell.region('Voltage vs time')).toHaveAttribute('data-hovered-cycle', '7');

    // Box select in Voltage gap, lasso in Nucleation overpotential.
    await cell.tool('Voltage gap', 'Box Select');
    await cell.dragAround('Voltage gap', 3, 6, 'box');
    await expect(cell.selectionStatus).toHaveText('Selected cycles: 3, 4, 5, 6');
    await expect(cell.region('Voltage vs capacity')).toHaveAttribute('data-cycles', '3,4,5,6');
    await expect(cell.region('Voltage vs time')).toHaveAttribute('data-selected-cycles', '3,4,5,6');
    await cell.tool('Nucleation overpotential', 'Lasso Select');
    await cell.dragAround('Nucleation overpotential', 8, 10, 'lasso');
    await expect(cell.selectionStatus).toHaveText('Selected cycles: 8, 9, 10');
    await expect(cell.region('dQ/dV')).toHaveAttribute('data-cycles', '8,9,10');
    for (const name of ['Coulombic efficiency', 'Voltage gap', 'Nucleation overpotential'] as const) {
      await expect.poll(async () => (await tracesOf(cell, name)).find((t) => t.name === 'Selected cycles')?.items).toEqual([8, 9, 10]);
    }

    // Zooming the time axis: the per-cycle plots shade the cycles visible in the window.
    for (const name of ['Coulombic efficiency', 'Voltage gap', 'Nucleation overpotential'] as const)
      await expect(cell.region(name)).toHaveAttribute('data-visible-cycles', 'all');
    await cell.zoomTime(0.3, 0.45);
    await expect(cell.region('Voltage vs time')).not.toHaveAttribute('data-range', 'all');
    await expect(cell.region('Voltage vs time')).toHaveAttribute('data-state', 'ready');
    for (const name of ['Coulombic efficiency', 'Voltage gap', 'Nucleation overpotential'] as const) {
      await expect(cell.region(name)).toHaveAttribute('data-visible-cycles', /^\d+-\d+$/);
      await expect.poll(() => shapesOf(cell, name)).toBe(1);
    }
    const span = (await cell.region('Coulombic efficiency').getAttribute('data-visible-cycles'))!.split('-').map(Number);
    expect(span[0]).toBeGreaterThan(1);
    expect(span[1]).toBeLessThan(cycleCount);
    await screenshot(page, testInfo, 'cell-view-zoomed.png');

    // A failure marker click selects the failing cycle and zooms the trace to it.
    // Reset axes from the mode bar (a double click on the plot would make the marker click that follows
    // within Plotly's double-click delay a second double click, i.e. another reset).
    await cell.region('Voltage vs time').hover({ position: { x: 300, y: 150 } });
    await cell.region('Voltage vs time').locator('.modebar-btn[data-val="reset"]').click();
    await expect(cell.region('Voltage vs time')).toHaveAttribute('data-range', 'all');
    const markers = Number(await cell.region('Voltage vs time').getAttribute('data-markers'));
    expect(markers).toBeGreaterThan(0);
    const failing = Number(/at cycle (\d+)/.exec((await cell.analysisStatus.textContent()) ?? '')?.[1]);
    const marker = cell.region('Voltage vs time').locator('.scatterlayer .trace').last().locator('path.point').first();
    const box = (await marker.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect(cell.selectionStatus).toHaveText(`Selected cycles: ${failing}`);
    await expect(cell.region('Voltage vs time')).not.toHaveAttribute('data-range', 'all');
    await expect(cell.row(failing)).toHaveAttribute('aria-selected', 'true');
    await expect(cell.region('Coulombic efficiency')).toHaveAttribute('data-visible-cycles', new RegExp(`^\\d+-\\d+$`));
    const [first, last] = (await cell.region('Coulombic efficiency').getAttribute('data-visible-cycles'))!.split('-').map(Number);
    expect(first).toBeLessThanOrEqual(failing);
    expect(last).toBeGreaterThanOrEqual(failing);
    expect(last - first).toBeLessThanOrEqual(2);
    await screenshot(page, testInfo, 'cell-view-failure-evidence.png');
  });

  test('keeps the selected cycles and the x axis after a reload, and re-analyses after a metadata edit', async ({ page }, testInfo) => {
    const app = new AppPage(page);
    await app.open({ demo: false });
    await app.importThroughChooser(join(SAMPLES, SOFT_SHORT_CELL));
    const cell = await openInCellView(app, SOFT_SHORT_CELL);
    await cell.expectAnalysed();

    await cell.row(4).click();
    await cell.row(9).click();
    await expect(cell.selectionStatus).toHaveText('Selected cycles: 4, 9');
    await cell.xAxis.selectOption('accumulated-capacity');
    await expect(cell.region('Voltage gap')).toHaveAttribute('data-x-axis', 'accumulated-capacity');
    await expect(cell.region('Voltage gap').locator('.xtitle')).toContainText('ccumulated');

    await page.reload();
    await expect(page.locator('body[data-app-state="ready"]')).toBeAttached({ timeout: 60_000 });
    await expect(app.viewLink('Cell')).toHaveAttribute('aria-current', 'page');
    await cell.expectAnalysed();
    await expect(cell.selectionStatus).toHaveText('Selected cycles: 4, 9');
    await expect(cell.xAxis).toHaveValue('accumulated-capacity');
    await expect(cell.region('Voltage gap')).toHaveAttribute('data-x-axis', 'accumulated-capacity');
    await expect(cell.region('Voltage vs capacity')).toHaveAttribute('data-cycles', '4,9');

    // The area divides every areal quantity: halving it doubles the accumulated areal capacity.
    const accumulated = cell.row(10).locator('td').nth(7);
    const before = Number(await accumulated.textContent());
    expect(before).toBeGreaterThan(0);
    const area = cell.metadataForm.getByLabel('Area (cm²)');
    const oldArea = Number((await area.inputValue()) || '0.785');
    await area.fill(String(oldArea / 2));
    await cell.metadataForm.getByLabel('Temperature (°C)').fill('60');
    await cell.metadataForm.getByRole('button', { name: 'Save metadata' }).click();
    await expect.poll(async () => Number(await accumulated.textContent())).toBeCloseTo(2 * before, 1);
    await expect(cell.view.locator('.cell-content')).toHaveAttribute('data-analysis', 'ready');
    await expect(cell.selectionStatus).toHaveText('Selected cycles: 4, 9');
    await expect(cell.metadataForm.getByLabel('Temperature (°C)')).toHaveValue('60');
    // The file-health report of the import is there.
    await expect(page.getByText(/^File health:/)).toBeVisible();
    await screenshot(page, testInfo, 'cell-view-metadata.png');
  });
});

test('Cell view on the demo experiment: a Figure 2 cell, and a GITT test pointing to its view', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const app = new AppPage(page);
  // First start imports and stores the whole demo (31 files): slower than AppPage.open's minute on a busy machine.
  await page.goto('/');
  await expect(page.locator('body[data-app-state="ready"]')).toBeAttached({ timeout: 150_000 });
  const cell = await openInCellView(app, SOFT_SHORT_CELL);
  await cell.expectAnalysed();
  // The demo's metadata says 0.5 mA/cm² and 0.2 mAh/cm².
  await expect(cell.analysisStatus).toContainText('0.50 mA cm⁻² and 0.20 mAh cm⁻²');
  await expect(cell.metadataForm.getByLabel('Current density override (mA cm⁻²)')).toHaveValue('0.5');
  await page.getByRole('button', { name: 'Show the failure evidence' }).click();
  const failing = Number(/at cycle (\d+)/.exec((await cell.analysisStatus.textContent()) ?? '')?.[1]);
  await expect(cell.selectionStatus).toHaveText(`Selected cycles: ${failing}`);
  await expect(cell.region('Voltage vs time')).not.toHaveAttribute('data-range', 'all');
  await expect(cell.region('Voltage vs capacity')).toHaveAttribute('data-cycles', String(failing));
  await screenshot(page, testInfo, 'cell-view-demo.png');

  await app
    .libraryItem(GITT_FILE)
    .getByRole('button', { name: /Fig5a_GITT_10min/ })
    .click();
  await app.viewLink('Cell').click();
  await expect(cell.region('Voltage vs time')).toHaveAttribute('data-dataset', GITT_FILE);
  await expect(cell.region('Voltage vs time')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByText('This dataset is a GITT test')).toBeVisible();
  await expect(cell.region('Coulombic efficiency')).toBeHidden();
  await page.getByRole('button', { name: 'Open it in the GITT view' }).click();
  await expect(app.viewLink('GITT')).toHaveAttribute('aria-current', 'page');
});

test('Cell view on a real NEWARE file (test_2.ndax, 54 cycles)', async ({ page }, testInfo) => {
  test.skip(!existsSync(REAL_NEWARE), `the real NEWARE file ${REAL_NEWARE} is absent (the /work/shared/data/real folder is not mounted)`);
  test.setTimeout(120_000);
  const app = new AppPage(page);
  await app.open({ demo: false });
  const name = 'test_2.ndax';
  await app.importThroughChooser(REAL_NEWARE);
  await expect(app.libraryItem(name)).toHaveCount(1, { timeout: 60_000 });
  const cell = await openInCellView(app, name);
  await cell.expectAnalysed();
  const rows = await cell.cyclesTable.locator('tbody tr').count();
  expect(rows).toBeGreaterThan(10);
  // The trace holds the decimated points only (108,563 records in the file).
  expect(Number(await cell.region('Voltage vs time').getAttribute('data-points'))).toBeLessThan(20_000);

  await cell.clickPoint('Coulombic efficiency', 5);
  await cell.row(6).click();
  await expect(cell.selectionStatus).toHaveText('Selected cycles: 5, 6');
  await expect(cell.region('Voltage vs time')).toHaveAttribute('data-selected-cycles', '5,6');
  await expect(cell.region('Voltage vs capacity')).toHaveAttribute('data-cycles', '5,6');
  await expect(cell.region('dQ/dV')).toHaveAttribute('data-cycles', '5,6');
  await cell.row(8).hover();
  await expect(cell.region('Voltage vs time')).toHaveAttribute('data-hovered-cycle', '8');
  await cell.zoomTime(0.2, 0.4);
  await expect(cell.region('Coulombic efficiency')).toHaveAttribute('data-visible-cycles', /^\d+-\d+$/);
  await screenshot(page, testInfo, 'cell-view-real-neware.png');
});
