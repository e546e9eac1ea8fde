/**
 * The README tour: a fresh profile opens on the demo experiment ("Demo: indium anode study"); each
 * view is visited as a new user would, checked for meaningful content, and photographed. The pictures
 * go to docs/tour/ (shown in the README) and are attached to the test as artifacts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { AppPage } from './pages/app-page';

const TOUR_DIR = join(__dirname, '..', 'docs', 'tour');

test.describe.configure({ timeout: 300_000 });

async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  mkdirSync(TOUR_DIR, { recursive: true });
  const path = join(TOUR_DIR, `${name}.png`);
  // The picture starts at the top of the view (a table click may have scrolled it).
  await page.locator('main.pane').evaluate((pane) => pane.scrollTo(0, 0));
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function expectDrawn(page: Page, regions: string[]): Promise<void> {
  for (const name of regions) {
    const region = page.getByRole('region', { name, exact: true });
    await expect(region, `region ${name}`).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    expect(Number(await region.getAttribute('data-points')), `points in ${name}`).toBeGreaterThan(0);
  }
}

test('tour of the demo experiment: every view has content, and the README pictures are refreshed', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const app = new AppPage(page);
  await app.open();

  // Cell: a Figure 2d cell that soft-shorts; two consecutive cycles chosen in the table.
  await app.libraryItem('Fig2d_Li-LPSC-In_0.5mAcm2_0.2mAhcm2.csv').getByRole('button').first().click();
  await expect(app.viewLink('Cell')).toHaveAttribute('aria-current', 'page');
  await expectDrawn(page, ['Voltage vs time', 'Coulombic efficiency', 'Voltage gap', 'Nucleation overpotential']);
  const rows = page.getByRole('table', { name: 'Cycles' }).locator('tbody tr');
  await rows.nth(9).click();
  await rows.nth(10).click();
  await expect(page.getByRole('status', { name: 'Selection' })).toHaveText('Selected cycles: 10, 11');
  await expectDrawn(page, ['Voltage vs capacity', 'dQ/dV']);
  await snap(page, testInfo, 'cell');

  // Compare: cells of the experiment overlaid, one colour each.
  await app.viewLink('Compare').click();
  await expectDrawn(page, ['Coulombic efficiency', 'Voltage gap']);
  await snap(page, testInfo, 'compare');

  // Failure map: every cycled cell of the library, all four classes.
  await app.viewLink('Failure map').click();
  await expectDrawn(page, ['Failure map']);
  const map = page.getByRole('region', { name: 'Failure map', exact: true });
  for (const label of ['stable', 'polarization', 'soft short', 'hard short'])
    await expect(map.locator('.legendtext', { hasText: new RegExp(label, 'i') })).not.toHaveCount(0);
  await snap(page, testInfo, 'failure-map');

  // CCD: the staircase shorting at 0.8 mA/cm².
  await app.viewLink('CCD').click();
  await expectDrawn(page, ['CCD']);
  await expect(page.getByText(/0\.80 mA cm⁻²/).first()).toBeVisible();
  await snap(page, testInfo, 'ccd');

  // GITT: D against areal capacity over the trace with its pulses.
  await app.viewLink('GITT').click();
  await expectDrawn(page, ['Voltage vs time', 'Diffusion coefficient']);
  await expect(page.getByRole('table', { name: 'Pulses' }).locator('tbody tr')).not.toHaveCount(0);
  await snap(page, testInfo, 'gitt');

  // Indentation: the sites of the four conditions with their unloading fits.
  await app.viewLink('Indentation').click();
  await expectDrawn(page, ['Load vs displacement']);
  await expect(page.getByRole('table', { name: 'Indents' }).locator('tbody tr')).not.toHaveCount(0);
  await snap(page, testInfo, 'indentation');
});
