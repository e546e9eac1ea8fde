/**
 * The workspace shell: first start with the demo experiment, the navigation bar, the library's
 * experiments, search and filter, delete and metadata edits with undo, and the view state kept
 * across a restart (same browser profile).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { AppPage } from './pages/app-page';

// A fresh profile imports the whole demo experiment (33 files) before it is ready.
test.describe.configure({ timeout: 180_000 });

const SAMPLES = join(__dirname, '..', 'resources', 'samples');
const DEMO = 'Demo: indium anode study';
const VIEW_LINKS = ['Cell', 'Compare', 'Failure map', 'CCD', 'GITT', 'Indentation'];

interface SampleIndexJson {
  files: { fileName: string; experiment?: string; isOpenedOnFirstStart: boolean }[];
}
const demoFiles = (JSON.parse(readFileSync(join(SAMPLES, 'index.json'), 'utf8')) as SampleIndexJson).files.filter(
  (f) => f.experiment === DEMO && f.isOpenedOnFirstStart,
);

test('a fresh profile opens on the demo experiment, clearly marked as generated, with every view reachable', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await expect(app.library.getByRole('heading', { name: DEMO })).toBeVisible();
  await expect(page.getByText('Generated data')).toBeVisible();
  await expect(app.libraryItems).toHaveCount(demoFiles.length);
  await expect(page.getByRole('status', { name: 'Library count' })).toHaveText(`${demoFiles.length} datasets`);
  for (const name of VIEW_LINKS) {
    const link = app.viewLink(name);
    await link.click();
    await expect(link).toHaveAttribute('aria-current', 'page');
    await expect(page.locator('body')).toHaveAttribute('data-view', new RegExp('.'));
  }
});

test('the library filters by kind and by any field, deletes with undo, and removes and restores the demo', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await expect(app.libraryItems).toHaveCount(demoFiles.length);
  const search = page.getByRole('searchbox', { name: 'Search library' });

  await search.fill('temperature:60');
  await expect(app.libraryItems).toHaveCount(1);
  await expect(app.libraryItems.first()).toContainText('60C');
  await search.fill('j>=0.5 q<=0.2');
  // The 0.5 and 1 mA/cm² cells of Figure 2d.
  await expect(app.libraryItems).toHaveCount(2);
  await search.fill('');
  await page.getByRole('combobox', { name: 'Show' }).selectOption('Indentation');
  await expect(app.libraryItems).toHaveCount(12);
  await page.getByRole('combobox', { name: 'Show' }).selectOption('GITT');
  await expect(app.libraryItems).toHaveCount(2);
  await page.getByRole('combobox', { name: 'Show' }).selectOption('All data');

  const victim = demoFiles[0].fileName;
  await app.libraryItem(victim).hover();
  await page.getByRole('button', { name: `Delete ${victim}` }).click();
  await expect(app.libraryItems).toHaveCount(demoFiles.length - 1);
  await page.getByRole('button', { name: 'Undo', exact: true }).first().click();
  await expect(app.libraryItems).toHaveCount(demoFiles.length);

  await page.getByRole('button', { name: `Delete experiment ${DEMO}` }).click();
  await expect(app.libraryItems).toHaveCount(0);
  await expect(app.library.getByText('No datasets yet')).toBeVisible();
  await page.getByRole('button', { name: 'Restore the demo experiment' }).click();
  await expect(app.libraryItems).toHaveCount(demoFiles.length);
  await expect(app.library.getByRole('heading', { name: DEMO })).toBeVisible();
});

test('a restart returns to the same view, dataset and library search', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const name = demoFiles.find((f) => f.fileName.startsWith('Fig5a_GITT_1h'))!.fileName;
  await app
    .libraryItem(name)
    .getByRole('button', { name: new RegExp(name.slice(0, 20)) })
    .click();
  await expect(app.viewLink('GITT')).toHaveAttribute('aria-current', 'page');
  await page.getByRole('searchbox', { name: 'Search library' }).fill('gitt');
  await expect(app.libraryItems).toHaveCount(2);
  await page.reload();
  await expect(page.locator('body[data-app-state="ready"]')).toBeAttached({ timeout: 30_000 });
  await expect(app.viewLink('GITT')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('searchbox', { name: 'Search library' })).toHaveValue('gitt');
  await expect(app.libraryItem(name).locator('button[aria-current="true"]')).toHaveCount(1);
});

test('many files at once: one progress bar and Cancel per file; a cancelled file is not stored, the others are', async ({
  page,
}, testInfo) => {
  const app = new AppPage(page);
  await app.open({ demo: false });
  await expect(page.getByRole('status', { name: 'Storage usage' })).toHaveText(/^Storage: .+ of .+ used$/);
  // A large first file keeps the queue busy while the user cancels the waiting second one.
  const header = 'DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,Current(mA),Voltage(V)\n';
  const bigRows: string[] = [header];
  for (let i = 1; i <= 400_000; i++)
    bigRows.push(
      `${i},1,2,CC DChg,00:00:01,${String(Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},-0.0785,0.6${i % 10}\n`,
    );
  const big = testInfo.outputPath('first-big.csv');
  writeFileSync(big, bigRows.join(''));
  const second = join(SAMPLES, 'Fig2d_Li-LPSC-In_1mAcm2_0.2mAhcm2.csv');
  const third = join(SAMPLES, 'Fig4_pristine-In_site1 0000LC.txt');
  await app.importThroughChooser([big, second, third]);
  const imports = page.getByRole('list', { name: 'Imports' });
  await expect(imports.getByRole('progressbar')).toHaveCount(3);
  await page.getByRole('button', { name: 'Cancel import of Fig2d_Li-LPSC-In_1mAcm2_0.2mAhcm2.csv' }).click();
  await expect(page.getByText('Import of Fig2d_Li-LPSC-In_1mAcm2_0.2mAhcm2.csv cancelled; nothing was stored.')).toBeVisible();
  await expect(app.libraryItem('first-big.csv')).toHaveCount(1, { timeout: 60_000 });
  await expect(app.libraryItem('Fig4_pristine-In_site1 0000LC.txt')).toHaveCount(1);
  await expect(imports).toBeHidden();
  await expect(app.libraryItems).toHaveCount(2);
  await expect(app.libraryItem('Fig2d_Li-LPSC-In_1mAcm2_0.2mAhcm2.csv')).toHaveCount(0);
});
