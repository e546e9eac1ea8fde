import { expect, type Locator, type Page } from '@playwright/test';

/** Page object of the app shell: reached by role and accessible name, as a user (or a screen reader) would. */
export class AppPage {
  readonly importButton: Locator;
  readonly library: Locator;
  readonly libraryItems: Locator;
  readonly voltagePlot: Locator;
  readonly alerts: Locator;

  constructor(readonly page: Page) {
    this.importButton = page.getByRole('button', { name: 'Import files' });
    this.library = page.getByRole('list', { name: 'Library' });
    this.libraryItems = this.library.getByRole('listitem');
    this.voltagePlot = page.getByRole('region', { name: 'Voltage vs time' });
    this.alerts = page.getByRole('alert');
  }

  /**
   * Opens the app and waits for its own ready signal (library loaded; on a fresh profile, the demo
   * experiment imported). `{ demo: false }` starts a fresh profile empty (URL `?demo=off`).
   */
  async open(options: { demo?: boolean } = {}): Promise<void> {
    await this.page.goto(options.demo === false ? '/?demo=off' : '/');
    await expect(this.page.locator('body[data-app-state="ready"]')).toBeAttached({ timeout: 60_000 });
  }

  /** A link of the navigation bar (Cell, Compare, Failure map, CCD, GITT, Indentation). */
  viewLink(name: string): Locator {
    return this.page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name, exact: true });
  }

  libraryItem(name: string): Locator {
    return this.libraryItems.filter({ hasText: name });
  }

  /** Imports files through the page's file chooser, as a user clicking **Import files** does. */
  async importThroughChooser(
    files: string | string[] | { name: string; mimeType: string; buffer: Buffer } | { name: string; mimeType: string; buffer: Buffer }[],
  ): Promise<void> {
    const chooserPromise = this.page.waitForEvent('filechooser');
    await this.importButton.click();
    const chooser = await chooserPromise;
    await chooser.setFiles(files);
  }

  /** The Map columns dialog. */
  get mapColumnsDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Map columns' });
  }

  /**
   * Answers the Map columns dialog: checks the proposed columns given in `expected` (role label ->
   * header), sets those in `choose`, then presses Import.
   */
  async mapColumns(options: { expected?: Record<string, string>; choose?: Record<string, string> } = {}): Promise<void> {
    const dialog = this.mapColumnsDialog;
    await expect(dialog).toBeVisible();
    for (const [label, header] of Object.entries(options.expected ?? {})) {
      await expect(dialog.getByLabel(`${label} column`)).toHaveValue(header);
    }
    for (const [label, header] of Object.entries(options.choose ?? {})) {
      await dialog.getByLabel(`${label} column`).selectOption(header);
    }
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(dialog).toBeHidden();
  }

  /** Waits until the voltage plot shows `datasetName` fully drawn. */
  async expectPlotted(datasetName: string): Promise<void> {
    await expect(this.voltagePlot).toHaveAttribute('data-dataset', datasetName);
    await expect(this.voltagePlot).toHaveAttribute('data-state', 'ready');
    await expect(this.voltagePlot.locator('.scatterlayer .trace path.js-line')).toHaveCount(1);
  }
}
