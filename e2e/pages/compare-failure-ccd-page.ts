import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './app-page';

/** The Compare, Failure map and CCD views, reached by role and accessible name. */
export class CompareFailureCcdPage {
  readonly app: AppPage;
  readonly cellsToCompare: Locator;
  readonly groupBy: Locator;
  readonly xAxis: Locator;
  readonly compareStatus: Locator;
  readonly voltagePlot: Locator;
  readonly cePlot: Locator;
  readonly gapPlot: Locator;
  readonly failureMap: Locator;
  readonly lifespan: Locator;
  readonly failureClasses: Locator;
  readonly cellsTable: Locator;
  readonly ccdTest: Locator;
  readonly ccdPlot: Locator;
  readonly ccdResult: Locator;
  readonly steps: Locator;

  constructor(readonly page: Page) {
    this.app = new AppPage(page);
    this.cellsToCompare = page.getByRole('list', { name: 'Cells to compare' });
    const compare = page.locator('.compare-view');
    this.groupBy = compare.getByLabel('Group by');
    this.xAxis = compare.getByLabel('X axis');
    this.compareStatus = page.getByRole('status', { name: 'Compare' });
    this.voltagePlot = page.getByRole('region', { name: 'Voltage vs time' }).and(page.locator('.compare-voltage'));
    this.cePlot = page.locator('.compare-view').getByRole('region', { name: 'Coulombic efficiency' });
    this.gapPlot = page.locator('.compare-view').getByRole('region', { name: 'Voltage gap' });
    this.failureMap = page.getByRole('region', { name: 'Failure map' });
    this.lifespan = page.getByRole('region', { name: 'Lifespan' });
    this.failureClasses = page.getByRole('status', { name: 'Failure classes' });
    this.cellsTable = page.getByRole('table', { name: 'Cells' });
    this.ccdTest = page.locator('.ccd-view').getByLabel('CCD test');
    this.ccdPlot = page.getByRole('region', { name: 'CCD' });
    this.ccdResult = page.getByRole('status', { name: 'CCD result' });
    this.steps = page.getByRole('table', { name: 'Steps' });
  }

  async goTo(view: 'Compare' | 'Failure map' | 'CCD' | 'Cell'): Promise<void> {
    await this.app.viewLink(view).click();
  }

  /** Waits until the Compare panels are drawn. */
  async expectCompareReady(): Promise<void> {
    for (const region of [this.voltagePlot, this.cePlot, this.gapPlot])
      await expect(region).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  }
}
