/**
 * The GITT and Indentation views on the demo experiment (generated files) and on real instrument files
 * (MANIFEST.md of ../shared/data/real): what they draw, and issue 7's linking rules for pulses and
 * indents (hover and selection across plots and tables, a flag click jumping to its pulse).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { demoStudyFiles, type DemoGittExpectation, type DemoIndentationExpectation } from '../src/shared/synth/demo-study';
import { AppPage } from './pages/app-page';
import { GittPage, IndentationPage, openApp } from './pages/gitt-indentation-page';

const REAL = join(__dirname, '..', '..', 'shared', 'data', 'real');
const REAL_GITT = join(REAL, 'gitt', '20210210_FC_01_cc_03.res');
const REAL_WORKBOOK = join(REAL, 'indentation', 'FQ.xls');

const demo = demoStudyFiles();
const gittRuns = demo.filter((f) => f.expected.kind === 'gitt');
const indentFiles = demo.filter((f) => f.expected.kind === 'indentation');
const stem = (fileName: string): string => fileName.replace(/\.[^.]+$/, '');

// The demo's first start imports and analyses 31 files before the views can be tested.
test.describe.configure({ timeout: 300_000 });

test.describe('GITT view', () => {
  test('draws each demo run with its pulses and links pulses across D, table and trace', async ({ page }, testInfo) => {
    const app = new AppPage(page);
    const gitt = new GittPage(page);
    await openApp(page);
    await app.viewLink('GITT').click();
    // Runs of 10-min and 1-h pulses, analysed from the cell metadata alone (no typing).
    await expect(gitt.runSelect.locator('option')).toHaveCount(gittRuns.length);
    for (const run of gittRuns) {
      const expected = run.expected as DemoGittExpectation;
      await gitt.runSelect.selectOption({ label: run.fileName });
      await expect(gitt.trace).toHaveAttribute('data-dataset', run.fileName, { timeout: 30_000 });
      await gitt.expectAnalysed(expected.pulseCount);
      expect(await gitt.diffusionPoints()).toBe(expected.pulseCount);
      await expect(gitt.analysisStatus).toContainText(`${expected.pulseCount} pulses in 2 runs`);
      await expect(gitt.form.getByLabel('Active mass (g)')).not.toHaveValue('');
      await page.screenshot({ path: testInfo.outputPath(`gitt-${stem(run.fileName)}.png`), fullPage: true });
    }
    const pulseCount = (gittRuns[gittRuns.length - 1].expected as DemoGittExpectation).pulseCount;

    // Selecting a pulse in the table: its row, the status line and a shaded segment on the trace.
    await expect(gitt.selectionStatus).toHaveText('No pulses selected');
    await gitt.row(3).click();
    await gitt.row(4).click();
    await expect(gitt.selectionStatus).toHaveText('Selected pulses: 3, 4');
    await expect(gitt.row(3)).toHaveAttribute('aria-selected', 'true');
    await expect(gitt.trace).toHaveAttribute('data-selected-pulses', '3,4');
    // The pointer still rests on row 4 (hovered): move it away to count the selected windows alone.
    await page.mouse.move(0, 0);
    await expect.poll(() => gitt.traceWindows()).toBe(2);

    // Hovering a row shades its segment too (and rings it in the D plot).
    await gitt.row(10).hover();
    await expect(gitt.row(10)).toHaveAttribute('data-hovered', 'true');
    await expect.poll(() => gitt.traceWindows()).toBe(3);
    await page.mouse.move(0, 0);
    await expect.poll(() => gitt.traceWindows()).toBe(2);

    // Clicking a point of the D plot selects that pulse everywhere.
    await gitt.row(3).click();
    await gitt.row(4).click();
    await expect(gitt.selectionStatus).toHaveText('No pulses selected');
    const clicked = await gitt.clickIsolatedDiffusionPoint();
    await expect(gitt.selectionStatus).toHaveText(`Selected pulses: ${clicked}`);
    await expect(gitt.row(clicked)).toHaveAttribute('aria-selected', 'true');
    // The pointer rests on the point: the D plot's hover marks the pulse's row as well.
    await expect(gitt.row(clicked)).toHaveAttribute('data-hovered', 'true');

    // A flag marker's click zooms the trace to its pulse and selects its row.
    const flagged = await gitt.flaggedPulses();
    expect(flagged.length).toBeGreaterThan(0);
    await expect(gitt.trace).toHaveAttribute('data-range', 'all');
    await gitt.clickFlag(0);
    await expect(gitt.selectionStatus).toHaveText(`Selected pulses: ${flagged[0]}`);
    await expect(gitt.row(flagged[0])).toHaveAttribute('aria-selected', 'true');
    await expect(gitt.trace).not.toHaveAttribute('data-range', 'all');
    await expect(gitt.trace).toHaveAttribute('data-state', 'ready');
    const [t0, t1] = (await gitt.trace.getAttribute('data-range'))!.split(',').map(Number);
    const start = Number((await gitt.row(flagged[0]).locator('td').nth(1).textContent())!) * 3600;
    expect(t0).toBeLessThan(start);
    expect(t1).toBeGreaterThan(start);
    expect(t1 - t0).toBeLessThan(4 * 3600);
    expect(flagged[0]).toBeLessThanOrEqual(pulseCount);
    await page.screenshot({ path: testInfo.outputPath('gitt-flag-jump.png'), fullPage: true });
  });

  test('the real Arbin GITT run analyses once the active mass is typed in', async ({ page }, testInfo) => {
    test.skip(!existsSync(REAL_GITT), `real data absent: ${REAL_GITT} (see ../shared/data/real/MANIFEST.md)`);
    const app = new AppPage(page);
    const gitt = new GittPage(page);
    await openApp(page, { demo: false });
    await app.importThroughChooser(REAL_GITT);
    await expect(app.libraryItem('20210210_FC_01_cc_03.res')).toHaveCount(1, { timeout: 60_000 });
    await app.viewLink('GITT').click();
    await expect(gitt.trace).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await expect(gitt.analysisStatus).toContainText('enter the amount of active material');
    // MANIFEST.md: Arbin MASS field 0.02264 g; S = 1 cm² as in gitt.real.test.ts.
    await gitt.form.getByLabel('Active mass (g)').fill('0.02264');
    await gitt.form.getByLabel('Contact area S (cm²)').fill('1');
    await gitt.form.getByRole('button', { name: 'Save parameters' }).click();
    // MANIFEST.md: 93 charge pulses then 94 discharge pulses.
    await gitt.expectAnalysed(93 + 94);
    const flagged = await gitt.flaggedPulses();
    // The last pulse of each run is cut by the voltage limit (flagged short).
    expect(flagged).toEqual(expect.arrayContaining([93, 187]));
    await gitt.clickFlag(flagged.indexOf(93));
    await expect(gitt.selectionStatus).toHaveText('Selected pulses: 93');
    await expect(gitt.trace).not.toHaveAttribute('data-range', 'all');
    await page.screenshot({ path: testInfo.outputPath('gitt-real-arbin.png'), fullPage: true });
  });
});

test.describe('Indentation view', () => {
  test('shows all 12 demo sites, stiffer after plating, with per-sample means and linked indents', async ({ page }, testInfo) => {
    const app = new AppPage(page);
    const view = new IndentationPage(page);
    await openApp(page);
    await app.viewLink('Indentation').click();
    await expect(view.files.getByRole('checkbox')).toHaveCount(indentFiles.length);
    await view.view.getByRole('button', { name: 'Select all' }).click();
    await view.expectShown(indentFiles.length);
    await expect(view.means.locator('tbody tr')).toHaveCount(4);

    // E in the table follows the generator's moduli: every site stiffer than all pristine sites reads stiffer.
    const rows = await view.table();
    const truth = new Map(indentFiles.map((f) => [stem(f.fileName), f.expected as DemoIndentationExpectation]));
    const measured = rows.map((r) => ({ e: Number(r['E (GPa)']), truth: truth.get(r.Site)! }));
    expect(measured.every((m) => m.truth !== undefined && Number.isFinite(m.e))).toBe(true);
    const pristine = measured.filter((m) => m.truth.condition === 'pristine In');
    const maxPristineTruth = Math.max(...pristine.map((m) => m.truth.modulusGPa));
    const maxPristine = Math.max(...pristine.map((m) => m.e));
    const stiffer = measured.filter((m) => m.truth.condition.startsWith('after') && m.truth.modulusGPa > maxPristineTruth * 1.1);
    expect(stiffer.length).toBeGreaterThan(0);
    for (const m of stiffer) expect(m.e).toBeGreaterThan(maxPristine);

    // Selecting an indent in the table marks its row and thickens its curve; hovering does too.
    await view.row(2).click();
    await expect(view.selectionStatus).toHaveText('Selected indents: 2');
    await expect(view.curves).toHaveAttribute('data-selected-indents', '2');
    await expect.poll(async () => (await view.curveWidths()).get(2)).toBeGreaterThan((await view.curveWidths()).get(1)!);
    await view.row(5).hover();
    await expect(view.row(5)).toHaveAttribute('data-hovered', 'true');
    await expect.poll(async () => (await view.curveWidths()).get(5)).toBe(Math.max(...(await view.curveWidths()).values()));
    await view.row(2).click();
    await expect(view.selectionStatus).toHaveText('No indents selected');

    // Clicking a curve in the plot selects its indent and row (the stiffest site: its peak stands apart).
    const stiffest = rows.reduce((best, r, k) => (Number(r['hmax (nm)']) < Number(rows[best]['hmax (nm)']) ? k : best), 0) + 1;
    await view.clickCurve(stiffest);
    await expect(view.selectionStatus).toHaveText(`Selected indents: ${stiffest}`);
    await expect(view.row(stiffest)).toHaveAttribute('aria-selected', 'true');
    await page.screenshot({ path: testInfo.outputPath('indentation-demo.png'), fullPage: true });

    // The ticked files are kept across a restart.
    await page.reload();
    await expect(page.locator('body[data-app-state="ready"]')).toBeAttached({ timeout: 180_000 });
    await app.viewLink('Indentation').click();
    await view.expectShown(indentFiles.length);
  });

  test('an Agilent workbook shows one indent per test sheet', async ({ page }, testInfo) => {
    test.skip(!existsSync(REAL_WORKBOOK), `real data absent: ${REAL_WORKBOOK} (see ../shared/data/real/MANIFEST.md)`);
    const app = new AppPage(page);
    const view = new IndentationPage(page);
    await openApp(page, { demo: false });
    await app.importThroughChooser(REAL_WORKBOOK);
    await expect(app.libraryItem('FQ.xls')).toHaveCount(1, { timeout: 60_000 });
    await app.viewLink('Indentation').click();
    // MANIFEST.md: 10 tests of fused quartz.
    await view.expectShown(10);
    await expect(view.means.locator('tbody tr')).toHaveCount(1);
    await view.row(3).click();
    await expect(view.selectionStatus).toHaveText('Selected indents: 3');
    await expect(view.curves).toHaveAttribute('data-selected-indents', '3');
    await page.screenshot({ path: testInfo.outputPath('indentation-real-agilent.png'), fullPage: true });
  });
});
