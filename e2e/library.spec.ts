import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { generateAsymmetricCell } from '../src/shared/synth/asymmetric-cell';
import { formatNewareXlsx, formatNewareXlsxPart } from '../src/shared/synth/neware-xlsx-writer';
import { AppPage } from './pages/app-page';

const SAMPLES = join(__dirname, '..', 'resources', 'samples');
/** A demo cell (NEWARE CSV) and the generic TSV of resources/samples. */
const FIRST_SAMPLE = 'Fig2d_Li-LPSC-In_0.2mAcm2_0.2mAhcm2.csv';
const SECOND_SAMPLE = 'Li-LPSC-In_0.5mAcm2_0.5mAhcm2_generic.tsv';

test.beforeAll(() => {
  expect(existsSync(join(SAMPLES, FIRST_SAMPLE)), 'resources/samples is missing: run npm run samples').toBe(true);
});

test('imports a file through the chooser, plots it, and keeps it after a reload', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ demo: false });
  await app.importThroughChooser(join(SAMPLES, SECOND_SAMPLE));
  // A generic delimited file: the app proposes the mapping from the headers and the user confirms it.
  await app.mapColumns({ expected: { 'Time (elapsed)': 'Time (h)', Voltage: 'Voltage (V)', Current: 'Current (µA)' } });
  await expect(app.libraryItem(SECOND_SAMPLE)).toHaveCount(1);
  await app.expectPlotted(SECOND_SAMPLE);
  await expect(app.alerts).toHaveCount(0);
  // The generic export has no step-type column: the import says what it inferred.
  await page.getByText('2 import warnings').click();
  await expect(page.getByText('inferred from the current')).toBeVisible();
  // The file-health report says what was converted on import.
  await page.getByText('File health:').click();
  await expect(page.getByText('Converted Current (µA): µA → mA.')).toBeVisible();
  await expect(page.getByText('Converted Time (h): h → s.')).toBeVisible();

  await page.reload();
  await expect(page.locator('body[data-app-state="ready"]')).toBeAttached();
  await expect(app.libraryItems).toHaveCount(1);
  await expect(app.libraryItem(SECOND_SAMPLE)).toHaveCount(1);
});

test('dropping a file on the window imports it', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ demo: false });
  const text = readFileSync(join(SAMPLES, SECOND_SAMPLE), 'utf8');
  const dataTransfer = await page.evaluateHandle(
    ({ name, content }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([content], name, { type: 'text/tab-separated-values' }));
      return transfer;
    },
    { name: SECOND_SAMPLE, content: text },
  );
  await page.dispatchEvent('#app', 'dragover', { dataTransfer });
  await page.dispatchEvent('#app', 'drop', { dataTransfer });
  await app.mapColumns();
  await expect(app.libraryItem(SECOND_SAMPLE)).toHaveCount(1);
  await app.expectPlotted(SECOND_SAMPLE);
});

test('Map columns: a file whose headers no format knows is mapped by hand, and the mapping is remembered', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ demo: false });
  // German lab software: semicolons, decimal commas, headers nothing recognises.
  const file = (name: string, phase: number) => {
    const rows = Array.from(
      { length: 50 },
      (_, k) => `${k * 60};${(0.62 - 0.001 * Math.sin(k + phase)).toFixed(4).replace('.', ',')};-0,0785`,
    );
    return { name, mimeType: 'text/plain', buffer: Buffer.from(['Zeit [s];Spannung [V];Strom [mA]', ...rows].join('\n')) };
  };
  await app.importThroughChooser(file('zelle-1.txt', 0));
  const dialog = app.mapColumnsDialog;
  await expect(dialog.getByRole('table', { name: 'First rows of the file' })).toContainText('Spannung [V]');
  // Nothing proposed for voltage: Import without it says what is missing.
  await expect(dialog.getByLabel('Voltage column')).toHaveValue('');
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog.getByRole('alert')).toContainText('a voltage column');
  await app.mapColumns({ choose: { 'Time (elapsed)': 'Zeit [s]', Voltage: 'Spannung [V]', Current: 'Strom [mA]' } });
  await expect(app.libraryItem('zelle-1.txt')).toHaveCount(1);
  await app.expectPlotted('zelle-1.txt');

  // Same headers again: no dialog, the remembered mapping is applied.
  await app.importThroughChooser(file('zelle-2.txt', 1));
  await expect(app.libraryItem('zelle-2.txt')).toHaveCount(1);
  await expect(app.mapColumnsDialog).toHaveCount(0);
});

test('a garbage file gets an alert naming it, and the library is unchanged', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ demo: false });
  await expect(app.libraryItems).toHaveCount(0);
  await app.importThroughChooser({ name: 'garbage.csv', mimeType: 'text/csv', buffer: Buffer.from('this,is\nnot,a cycler export\n') });
  await expect(app.alerts).toHaveCount(1);
  await expect(app.alerts.first()).toContainText('garbage.csv');
  await expect(app.alerts.first()).toContainText('not a recognised instrument file');
  await expect(app.libraryItems).toHaveCount(0);

  await app.importThroughChooser({
    name: 'random.bin',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 256)),
  });
  await expect(app.alerts).toHaveCount(2);
  await expect(app.alerts.nth(1)).toContainText('random.bin');
  await page.reload();
  await expect(page.locator('body[data-app-state="ready"]')).toBeAttached();
  await expect(app.libraryItems).toHaveCount(0);
});

test('Cancel stops a large import and stores nothing', async ({ page }, testInfo) => {
  const app = new AppPage(page);
  await app.open({ demo: false });
  // ~60 MB NEWARE-like export made here: big enough that Cancel lands mid-import.
  const header = 'DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,Current(mA),Voltage(V)\n';
  const row = (i: number) =>
    `${i},1,2,CC DChg,00:00:01,${String(Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},-0.0785,0.6${i % 10}\n`;
  const rows: string[] = [header];
  for (let i = 1; i <= 1_200_000; i++) rows.push(row(i));
  const bigFile = testInfo.outputPath('big.csv');
  writeFileSync(bigFile, rows.join(''));
  await app.importThroughChooser(bigFile);
  const cancel = page.getByRole('button', { name: 'Cancel import of big.csv' });
  await cancel.click();
  await expect(page.getByText('Import of big.csv cancelled; nothing was stored.')).toBeVisible();
  await expect(app.libraryItems).toHaveCount(0);
  await expect(app.libraryItem('big.csv')).toHaveCount(0);
});

test('zooming the time axis re-decimates from the full columns', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ demo: false });
  await app.importThroughChooser(join(SAMPLES, FIRST_SAMPLE));
  await app.expectPlotted(FIRST_SAMPLE);
  const fullSpan = await app.voltagePlot.locator('.plot-area').evaluate((el) => {
    const r = (el as unknown as { layout: { xaxis: { range: [number, number] } } }).layout.xaxis.range;
    return r[1] - r[0];
  });
  const drag = app.voltagePlot.locator('.nsewdrag').first();
  const box = (await drag.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.4, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, y, { steps: 5 });
  await page.mouse.up();
  // About 5 % of the test, drawn from the raw samples of that window.
  await expect
    .poll(async () =>
      app.voltagePlot.locator('.plot-area').evaluate((el) => {
        const gd = el as unknown as { layout: { xaxis: { range: [number, number] } }; data: { x: number[] }[] };
        const [a, b] = gd.layout.xaxis.range;
        return { span: b - a, allInside: gd.data[0].x.slice(1, -1).every((x) => x >= a && x <= b) };
      }),
    )
    .toMatchObject({ allInside: true });
  const span = await app.voltagePlot.locator('.plot-area').evaluate((el) => {
    const r = (el as unknown as { layout: { xaxis: { range: [number, number] } } }).layout.xaxis.range;
    return r[1] - r[0];
  });
  expect(span).toBeLessThan(fullSpan * 0.1);
  await expect(app.voltagePlot).toHaveAttribute('data-state', 'ready');
});

test('binary instrument files import in the page: NEWARE .ndax, BioLogic .mpr and an Arbin .res (Access reader in the Web Worker)', async ({
  page,
}) => {
  const real = join(__dirname, '..', '..', 'shared', 'data', 'real');
  test.skip(!existsSync(real), `real instrument files not found at ${real} (../shared is absent in a user's clone)`);
  const app = new AppPage(page);
  await app.open({ demo: false });
  for (const file of ['neware/21_10_7_85.ndax', 'biologic/yadg_cp.mpr', 'arbin/20210210_FC_01_cc_04.res']) {
    const name = file.split('/')[1];
    await app.importThroughChooser(join(real, file));
    await expect(app.libraryItem(name)).toHaveCount(1);
    await app.expectPlotted(name);
  }
  await expect(app.alerts).toHaveCount(0);
});

test('the parts of a split NEWARE Excel export chosen together become one dataset', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ demo: false });
  const records = generateAsymmetricCell({ cycles: 4, seed: 5 });
  const cut = Math.floor(records.length / 2);
  const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  await app.importThroughChooser([
    { name: 'split-cell_1.xlsx', mimeType: xlsx, buffer: Buffer.from(formatNewareXlsxPart(records.slice(cut), cut + 1)) },
    { name: 'split-cell.xlsx', mimeType: xlsx, buffer: Buffer.from(formatNewareXlsx(records.slice(0, cut))) },
  ]);
  await expect(app.libraryItem('split-cell.xlsx')).toHaveCount(1);
  await expect(app.libraryItem('split-cell.xlsx')).toContainText(`${records.length.toLocaleString('en')} rows`);
  await expect(app.libraryItem('split-cell_1.xlsx')).toHaveCount(0);
  await app.expectPlotted('split-cell.xlsx');
  await expect(app.alerts).toHaveCount(0);
});
