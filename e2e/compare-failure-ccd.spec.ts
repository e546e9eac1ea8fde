/**
 * The Compare, Failure map and CCD views on the demo experiment (first start loads it): Compare overlays
 * several cells in distinct colours and groups them by current density; the Failure map places every cycled
 * cell with all four failure classes and opens a clicked cell in the Cell view; the CCD view finds the demo
 * staircase's 0.8 mA cm⁻² and zooms to the failing step.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { CompareFailureCcdPage } from './pages/compare-failure-ccd-page';

test.describe.configure({ timeout: 180_000 });

test('Compare overlays the demo cells in distinct colours and groups them by current density', async ({ page }, testInfo) => {
  const v = new CompareFailureCcdPage(page);
  await v.app.open();
  await v.goTo('Compare');
  await v.expectCompareReady();
  const checked = v.cellsToCompare.getByRole('checkbox', { checked: true });
  expect(await checked.count()).toBeGreaterThanOrEqual(3);
  const colours = (await v.voltagePlot.getAttribute('data-colours'))!.split(' ');
  expect(colours.length).toBe(await checked.count());
  expect(new Set(colours).size).toBe(colours.length);
  await expect(v.voltagePlot.locator('.scatterlayer .trace')).toHaveCount(colours.length);

  await v.groupBy.selectOption({ label: 'Current density' });
  await expect(v.compareStatus).toContainText('by current density');
  await expect(v.compareStatus).toContainText('0.1 mA cm⁻²');
  const grouped = (await v.voltagePlot.getAttribute('data-colours'))!.split(' ');
  expect(new Set(grouped).size).toBe(grouped.length);
  await v.expectCompareReady();
  await page.screenshot({ path: testInfo.outputPath('compare-by-current-density.png'), fullPage: true });

  // Unchecking a cell removes its trace; the choice and the grouping survive a restart.
  const before = await checked.count();
  await checked.first().uncheck();
  await expect(v.compareStatus).toContainText(`Comparing ${before - 1} cells`);
  await expect(v.voltagePlot.locator('.scatterlayer .trace')).toHaveCount(before - 1);
  await v.xAxis.selectOption({ label: 'Accumulated areal capacity' });
  await expect(v.voltagePlot.locator('.xtitle')).toHaveText('Accumulated areal capacity (mAh cm⁻²)');
  await expect(v.gapPlot.locator('.xtitle')).toHaveText('Accumulated areal capacity (mAh cm⁻²)');
  await page.reload();
  await expect(page.locator('body[data-app-state="ready"]')).toBeAttached({ timeout: 60_000 });
  await v.goTo('Compare');
  await v.expectCompareReady();
  await expect(v.groupBy).toHaveValue('current-density');
  await expect(v.xAxis).toHaveValue('accumulated-capacity');
  await expect(v.cellsToCompare.getByRole('checkbox', { checked: true })).toHaveCount(before - 1);
});

test('the Failure map shows all four classes of the demo cells and opens a clicked cell in the Cell view', async ({ page }, testInfo) => {
  const v = new CompareFailureCcdPage(page);
  await v.app.open();
  await v.goTo('Failure map');
  await expect(v.failureMap).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  await expect(v.lifespan).toHaveAttribute('data-state', 'ready');
  for (const cls of ['stable', 'polarization', 'soft short', 'hard short']) await expect(v.failureClasses).toContainText(cls);
  await expect(page.locator('.failure-map-view')).toHaveAttribute('data-classes', 'hard-short polarization soft-short stable');
  // One marker trace per class, each with its legend entry.
  await expect(v.failureMap.locator('.legend .traces')).toHaveCount(4);
  await expect(v.cellsTable.locator('tbody tr')).toHaveCount(Number((await v.failureClasses.textContent())!.match(/^(\d+) cells/)![1]));
  await page.screenshot({ path: testInfo.outputPath('failure-map.png'), fullPage: true });

  // Click the hard-short point (red): the Cell view opens on that cell.
  const hardShort = v.failureMap.locator('.scatterlayer .trace').filter({ has: page.locator('path.point[style*="rgb(214, 39, 40)"]') });
  const point = hardShort.locator('path.point').first();
  const box = (await point.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(v.app.viewLink('Cell')).toHaveAttribute('aria-current', 'page');
  const cellTime = page.getByRole('region', { name: 'Voltage vs time' });
  await expect(cellTime).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(cellTime).toHaveAttribute('data-dataset', /Map_Li-LPSC-In_(1mAcm2_2mAhcm2|0\.75mAcm2_3mAhcm2)/);
});

test('the CCD view finds 0.8 mA cm⁻² on the demo staircase and zooms to the failing step', async ({ page }, testInfo) => {
  const v = new CompareFailureCcdPage(page);
  await v.app.open();
  await v.goTo('CCD');
  await expect(v.ccdPlot).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(v.ccdTest).toHaveValue(/.+/);
  await expect(v.ccdTest.locator('option:checked')).toHaveText('CCD_Li-LPSC-In_staircase.xlsx');
  await expect(v.ccdResult).toHaveText('Critical current density: 0.80 mA cm⁻² (last stable 0.70)');
  const rows = v.steps.locator('tbody tr');
  await expect(rows).toHaveCount(8);
  const failing = v.steps.locator('tbody tr[data-verdict="shorted"]');
  await expect(failing).toHaveCount(1);
  await expect(failing.locator('td').nth(1)).toHaveText('0.80');
  await expect(v.ccdPlot).toHaveAttribute('data-range', 'all');
  await failing.click();
  await expect(failing).toHaveAttribute('aria-selected', 'true');
  await expect(v.ccdPlot).not.toHaveAttribute('data-range', 'all');
  await expect(v.ccdPlot).toHaveAttribute('data-state', 'ready');
  const [t0, t1] = (await v.ccdPlot.getAttribute('data-range'))!.split(',').map(Number);
  // The failing step is the last of 8 steps of equal length: a narrow window late in the test.
  expect(t1 - t0).toBeGreaterThan(0);
  expect(t0).toBeGreaterThan(3 * (t1 - t0));
  await page.screenshot({ path: testInfo.outputPath('ccd.png'), fullPage: true });
  await page.getByRole('button', { name: 'Show whole test' }).click();
  await expect(v.ccdPlot).toHaveAttribute('data-range', 'all');
});

test('a time zoom in Compare is the open cell’s time range when the open cell is compared', async ({ page }) => {
  const v = new CompareFailureCcdPage(page);
  await v.app.open();
  await v.goTo('Compare');
  await v.expectCompareReady();
  await expect(v.voltagePlot).toHaveAttribute('data-range', 'all');
  await expect(v.app.libraryItem('Fig2a_Li-LPSC-In_0.1mAcm2_0.2mAhcm2.csv').getByRole('button').first()).toHaveAttribute(
    'aria-current',
    /true|page/,
  );
  await expect(v.voltagePlot).toHaveAttribute('data-cells', /Fig2a_Li-LPSC-In_0\.1mAcm2_0\.2mAhcm2\.csv/);
  const drag = (await v.voltagePlot.locator('.nsewdrag').first().boundingBox())!;
  const y = drag.y + drag.height / 2;
  await page.mouse.move(drag.x + drag.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(drag.x + drag.width * 0.5, y, { steps: 8 });
  await page.mouse.up();
  await expect(v.voltagePlot).not.toHaveAttribute('data-range', 'all');
  await expect(v.voltagePlot).toHaveAttribute('data-state', 'ready');
  const [h0, h1] = (await v.voltagePlot.getAttribute('data-range'))!.split(',').map(Number);
  expect(h1).toBeGreaterThan(h0);
  // The Cell view of the open dataset (the first demo cell, compared by default) shows the same window.
  await v.goTo('Cell');
  const cellTime = page.getByRole('region', { name: 'Voltage vs time' });
  await expect(cellTime).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(cellTime).not.toHaveAttribute('data-range', 'all');
  const [s0, s1] = (await cellTime.getAttribute('data-range'))!.split(',').map(Number);
  expect(Math.abs(s0 / 3600 - h0)).toBeLessThan(2e-3);
  expect(Math.abs(s1 / 3600 - h1)).toBeLessThan(2e-3);
});

test('Compare and the Failure map on real NEWARE files', async ({ page }, testInfo) => {
  const real = join(__dirname, '..', '..', 'shared', 'data', 'real', 'neware');
  test.skip(!existsSync(real), `real instrument files not found at ${real} (../shared is absent in a user's clone)`);
  const v = new CompareFailureCcdPage(page);
  await v.app.open({ demo: false });
  const files = ['test_2.ndax', 'neware_uio.csv'];
  await v.app.importThroughChooser(files.map((f) => join(real, f)));
  for (const f of files) await expect(v.app.libraryItem(f)).toHaveCount(1, { timeout: 60_000 });
  await v.goTo('Compare');
  await v.expectCompareReady();
  await expect(v.cellsToCompare.getByRole('checkbox', { checked: true })).toHaveCount(2);
  await expect(v.voltagePlot.locator('.scatterlayer .trace')).toHaveCount(2);
  expect(Number(await v.cePlot.getAttribute('data-points'))).toBeGreaterThan(2);
  await page.screenshot({ path: testInfo.outputPath('compare-real-neware.png'), fullPage: true });
  await v.goTo('Failure map');
  // Both files are analysed (one is a full cell, the other a symmetric/asymmetric test): the summary counts them.
  await expect(v.failureClasses).toContainText(/cell/, { timeout: 60_000 });
  await expect(v.cellsTable.locator('tbody tr')).not.toHaveCount(0);
});
