import { expect, type Locator, type Page } from '@playwright/test';

/** Regions of the Cell view, by their accessible names (issue 7's interface contract). */
export const CELL_REGIONS = [
  'Voltage vs time',
  'Voltage vs capacity',
  'Coulombic efficiency',
  'Voltage gap',
  'Nucleation overpotential',
  'dQ/dV',
] as const;
export type CellRegion = (typeof CELL_REGIONS)[number];

/** Page object of the **Cell** view: reached by role and accessible name. */
export class CellPage {
  readonly view: Locator;
  readonly selectionStatus: Locator;
  readonly analysisStatus: Locator;
  readonly cyclesTable: Locator;
  readonly metadataForm: Locator;
  readonly xAxis: Locator;

  constructor(readonly page: Page) {
    this.view = page.locator('section.cell-view');
    this.selectionStatus = page.getByRole('status', { name: 'Selection' });
    this.analysisStatus = page.getByRole('status', { name: 'Analysis' });
    this.cyclesTable = page.getByRole('table', { name: 'Cycles' });
    this.metadataForm = page.getByRole('form', { name: 'Cell metadata' });
    this.xAxis = this.view.getByLabel('X axis');
  }

  region(name: CellRegion): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }

  /** The table row of a cycle (its first cell is the cycle number). */
  row(cycle: number): Locator {
    return this.cyclesTable.locator(`tbody tr[data-item="${cycle}"]`);
  }

  /** Waits until the trace and the analysis are drawn: every region ready, the verdict written. */
  async expectAnalysed(): Promise<void> {
    await expect(this.view.locator('.cell-content')).toHaveAttribute('data-analysis', 'ready', { timeout: 60_000 });
    for (const name of CELL_REGIONS) await expect(this.region(name)).toHaveAttribute('data-state', 'ready');
    await expect(this.analysisStatus).toContainText('cycles at');
  }

  /** Centre of a data point (Plotly `path.point`) of the first data trace whose `customdata` is `cycle`. */
  async pointOf(name: CellRegion, cycle: number): Promise<{ x: number; y: number }> {
    const region = this.region(name);
    await region.scrollIntoViewIfNeeded();
    const index = await region.locator('.plot-area').evaluate((node, c) => {
      const data = (node as unknown as { data: { customdata?: number[] }[] }).data;
      return data[0]?.customdata?.indexOf(c) ?? -1;
    }, cycle);
    expect(index, `cycle ${cycle} is drawn in ${name}`).toBeGreaterThanOrEqual(0);
    const box = await region.locator('.scatterlayer .trace').first().locator('path.point').nth(index).boundingBox();
    if (!box) throw new Error(`no point of cycle ${cycle} in ${name}`);
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  /** Clicks a cycle's point in a per-cycle plot (mouse move first: Plotly clicks the hovered point). */
  async clickPoint(name: CellRegion, cycle: number): Promise<void> {
    const { x, y } = await this.pointOf(name, cycle);
    await this.page.mouse.move(x, y);
    await this.page.mouse.click(x, y);
  }

  async hoverPoint(name: CellRegion, cycle: number): Promise<void> {
    const { x, y } = await this.pointOf(name, cycle);
    await this.page.mouse.move(x - 3, y);
    await this.page.mouse.move(x, y);
  }

  /** Chooses a modebar tool ("Box Select", "Lasso Select", "Zoom") of a plot. */
  async tool(name: CellRegion, title: string): Promise<void> {
    const region = this.region(name);
    await region.hover();
    await region.locator(`.modebar-btn[data-title="${title}"]`).click();
  }

  /** Drags a box (or a lasso through the box's corners) around the points of cycles `from`..`to`. */
  async dragAround(name: CellRegion, from: number, to: number, shape: 'box' | 'lasso'): Promise<void> {
    const a = await this.pointOf(name, from);
    const b = await this.pointOf(name, to);
    const x0 = Math.min(a.x, b.x) - 4;
    const x1 = Math.max(a.x, b.x) + 4;
    const plot = await this.region(name).locator('.nsewdrag').first().boundingBox();
    if (!plot) throw new Error(`${name} has no drag layer`);
    // From the bottom up: the modebar covers the top of the plot and would take the mouse-down.
    const y0 = plot.y + plot.height - 2;
    const y1 = plot.y + 2;
    await this.page.mouse.move(x0, y0);
    await this.page.mouse.down();
    const path =
      shape === 'box'
        ? [[x1, y1]]
        : [
            [x1, y0],
            [x1, y1],
            [x0, y1],
            [x0, y0 - 1],
          ];
    for (const [x, y] of path) await this.page.mouse.move(x, y, { steps: 6 });
    await this.page.mouse.up();
  }

  /** Zooms the time axis by dragging across the given fractions of the Voltage vs time plot's width. */
  async zoomTime(fromFraction: number, toFraction: number): Promise<void> {
    await this.region('Voltage vs time').scrollIntoViewIfNeeded();
    const plot = await this.region('Voltage vs time').locator('.nsewdrag').first().boundingBox();
    if (!plot) throw new Error('Voltage vs time has no drag layer');
    const y = plot.y + plot.height / 2;
    await this.page.mouse.move(plot.x + plot.width * fromFraction, y);
    await this.page.mouse.down();
    await this.page.mouse.move(plot.x + plot.width * toFraction, y + 20, { steps: 8 });
    await this.page.mouse.up();
  }
}
